//! The keyboard: turns this frame's key presses into queued commands by
//! the command table ([`super::command`]). No key is handled anywhere else.

use eframe::egui::{self, Key};

use super::app::SpanmarkApp;
use super::command::{AppCommand, Context, bindings_in_match_order, shortcut_text};

/// Takes Tab presses out of the raw input (unless a text field is focused) so
/// that they step through spans instead of moving egui's keyboard focus.
pub fn take_tabs(app: &mut SpanmarkApp, ctx: &egui::Context, raw: &mut egui::RawInput) {
    if ctx.text_edit_focused() {
        return;
    }
    let step_keys: Vec<Key> = AppCommand::NextSpan
        .shortcuts()
        .iter()
        .map(|s| s.logical_key)
        .collect();
    raw.events.retain(|e| match e {
        egui::Event::Key {
            key,
            pressed,
            modifiers,
            ..
        } if step_keys.contains(key) => {
            if *pressed && !modifiers.command && !modifiers.alt {
                app.pending_tabs.push(!modifiers.shift);
            }
            false
        }
        _ => true,
    });
}

/// Queues the commands whose shortcuts were pressed this frame. Chords are
/// tried most specific first, so Ctrl+Shift+Z is never taken for Ctrl+Z; a
/// key whose command cannot run now is taken and says why, instead of
/// falling through to a shorter chord. Only a focused text field keeps the
/// keys of editing (egui drops focus on Escape before this runs, so a field
/// focused in the last frame still counts).
pub fn handle(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let state = app.command_state();
    let typing = ctx.text_edit_focused() || app.text_edit_was_focused;
    let active = |c: Context| match c {
        Context::Global => true,
        Context::Editing => !typing,
        Context::Review => !typing && state.reviewing,
        Context::Offer => !typing && state.offer_shown,
        Context::Find => !typing && state.find_hits,
        Context::Window => !typing && state.window_open,
        // Dialogs and fields read their own keys.
        Context::Dialog => false,
    };
    let commands = AppCommand::fixed();
    for (shortcut, command) in bindings_in_match_order(&commands) {
        if !active(command.context()) || !ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
            continue;
        }
        if command.enabled(&state) {
            app.queue(command);
        } else if command == AppCommand::AcceptSuggestedLink {
            // Enter with no link to suggest: nothing to say every time.
            continue;
        } else {
            let why = match command {
                _ if state.layer_read_only
                    && matches!(
                        command,
                        AppCommand::DeleteSpan
                            | AppCommand::MoveEndLeft
                            | AppCommand::MoveEndRight
                            | AppCommand::MoveStartLeft
                            | AppCommand::MoveStartRight
                    ) =>
                {
                    format!("This layer is read-only. {}", app.read_only_hint())
                }
                AppCommand::Undo => "Nothing to undo".to_string(),
                AppCommand::Redo => "Nothing to redo".to_string(),
                AppCommand::MoveEndLeft
                | AppCommand::MoveEndRight
                | AppCommand::MoveStartLeft
                | AppCommand::MoveStartRight => "Cannot resize the span that way".to_string(),
                other => format!(
                    "{} ({}) is not available now",
                    other.name(),
                    shortcut_text(&shortcut)
                ),
            };
            app.set_status(ctx, why);
        }
    }
    if typing {
        app.pending_tabs.clear();
        return;
    }
    // Tabs taken out of the input before egui could move keyboard focus with them.
    for forward in std::mem::take(&mut app.pending_tabs) {
        if state.has_document && !state.busy {
            app.queue(if forward {
                AppCommand::NextSpan
            } else {
                AppCommand::PreviousSpan
            });
        }
    }
    label_keys(app, ctx, state.reviewing);
}

/// A typed character that is a label's key queues that label. In review,
/// the review keys' letters are not label keys.
fn label_keys(app: &mut SpanmarkApp, ctx: &egui::Context, reviewing: bool) {
    let typed: Vec<char> = ctx.input(|i| {
        i.events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(t) if !i.modifiers.command && !i.modifiers.alt => {
                    t.chars().next()
                }
                _ => None,
            })
            .collect()
    });
    if typed.is_empty() {
        return;
    }
    let review_letters: Vec<char> = if reviewing {
        AppCommand::fixed()
            .iter()
            .filter(|c| c.context() == Context::Review)
            .flat_map(|c| c.shortcuts())
            .filter(|s| s.modifiers.is_none())
            .flat_map(|s| s.logical_key.name().chars().collect::<Vec<_>>())
            .flat_map(|c| [c.to_ascii_lowercase(), c.to_ascii_uppercase()])
            .collect()
    } else {
        Vec::new()
    };
    for c in typed {
        if review_letters.contains(&c) {
            continue;
        }
        // With an event selected, a role's key fills that role.
        let event_selected = app.command_state().event_selected;
        let role = app.session.project.schema.events.role_by_key(c);
        if let Some(role) = role.filter(|_| event_selected).map(|r| r.name.clone()) {
            app.queue(AppCommand::FillRole(role));
        } else if let Some(label) = app.session.project.schema.by_key(c).map(|l| l.name.clone()) {
            app.queue(AppCommand::Label(label));
        }
    }
}
