//! Keyboard shortcuts of the workspace. Each maps to one session call.

use eframe::egui::{self, Key, Modifiers};

use super::app::SpanmarkApp;
use crate::model::Edge;
use crate::model::words::{next_word_start, prev_word_start};

/// Takes Tab presses out of the raw input (unless a text field is focused) so
/// that they step through spans instead of moving egui's keyboard focus.
pub fn take_tabs(app: &mut SpanmarkApp, ctx: &egui::Context, raw: &mut egui::RawInput) {
    if ctx.text_edit_focused() {
        return;
    }
    raw.events.retain(|e| match e {
        egui::Event::Key {
            key: Key::Tab,
            pressed,
            modifiers,
            ..
        } => {
            if *pressed && !modifiers.command && !modifiers.alt {
                app.pending_tabs.push(!modifiers.shift);
            }
            false
        }
        _ => true,
    });
}

/// Handles the shortcuts pressed this frame. Label keys and editing keys are
/// ignored while a text field (note, filter) has keyboard focus.
pub fn handle(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let command = Modifiers::COMMAND;
    let shift_command = Modifiers::COMMAND | Modifiers::SHIFT;
    let pressed = |m: Modifiers, k: Key| ctx.input_mut(|i| i.consume_key(m, k));

    // File and history shortcuts work everywhere.
    if pressed(shift_command, Key::S) {
        app.save_as(ctx);
    } else if pressed(command, Key::S) {
        app.save(ctx);
    }
    if pressed(command, Key::O)
        && let Some(path) = app.dialogs.open_project()
    {
        app.request_open(ctx, path);
    }
    if pressed(Modifiers::NONE, Key::F1) {
        app.ui.show_help = !app.ui.show_help;
    }
    if pressed(command, Key::F) {
        app.ui.search.open();
    }
    if pressed(Modifiers::NONE, Key::F7) {
        if app.ui.review.active {
            super::review::actions::stop(app, ctx);
        } else {
            super::review::actions::start(app, ctx);
        }
    }
    if pressed(Modifiers::NONE, Key::F8) && app.ui.review.active {
        app.ui.review.show_agreement = !app.ui.review.show_agreement;
    }
    // Only a focused text field takes the keys; a focused button or checkbox does not.
    // egui drops focus on Escape before this runs, so a field focused in the last
    // frame still counts: Escape there leaves the field, not the selection.
    if ctx.text_edit_focused() || app.text_edit_was_focused {
        return;
    }
    if pressed(shift_command, Key::Z) || pressed(command, Key::Y) {
        match app.session.redo() {
            Ok(true) => app.set_status(ctx, "Redone"),
            Ok(false) => app.set_status(ctx, "Nothing to redo"),
            Err(e) => app.set_status(ctx, format!("Cannot redo: {e}")),
        }
    } else if pressed(command, Key::Z) {
        match app.session.undo() {
            Ok(true) => app.set_status(ctx, "Undone"),
            Ok(false) => app.set_status(ctx, "Nothing to undo"),
            Err(e) => app.set_status(ctx, format!("Cannot undo: {e}")),
        }
    }
    if pressed(command, Key::Enter) {
        match app.session.mark_done_and_next() {
            Some(_) => app.set_status(ctx, "Marked done; opened the next document"),
            None => app.set_status(ctx, "Marked done; every document is done"),
        }
    }

    // Span resizing: Alt+Shift+arrows move the end, Alt+Ctrl+arrows the start.
    for (key, delta) in [(Key::ArrowLeft, -1isize), (Key::ArrowRight, 1)] {
        if pressed(Modifiers::ALT | Modifiers::SHIFT, key)
            && !app.session.resize_selected(Edge::End, delta)
        {
            app.set_status(ctx, "Cannot resize the span that way");
        }
        if pressed(Modifiers::ALT | Modifiers::CTRL, key)
            && !app.session.resize_selected(Edge::Start, delta)
        {
            app.set_status(ctx, "Cannot resize the span that way");
        }
    }
    keyboard_selection(app, ctx);

    if pressed(Modifiers::SHIFT, Key::Tab) {
        step(app, false);
    } else if pressed(Modifiers::NONE, Key::Tab) {
        step(app, true);
    }
    // Tabs taken out of the input before egui could move keyboard focus with them.
    for forward in std::mem::take(&mut app.pending_tabs) {
        step(app, forward);
    }
    if app.session.offer.is_some() {
        if pressed(Modifiers::NONE, Key::Enter) {
            super::propagation::accept_offer(app, ctx);
        } else if pressed(Modifiers::NONE, Key::Escape) {
            app.session.offer = None;
        }
    }
    if app.ui.search.open && !app.ui.search.hits.is_empty() {
        if pressed(Modifiers::SHIFT, Key::Enter) {
            super::search_bar::step(app, false);
        } else if pressed(Modifiers::NONE, Key::Enter) {
            super::search_bar::step(app, true);
        }
    }
    if pressed(Modifiers::NONE, Key::Escape) {
        if app.session.selection.is_none() && app.session.selected_span.is_none() {
            app.session.sticky_label = None;
        }
        app.session.clear_selection();
    }
    if app.ui.review.active {
        review_keys(app, ctx);
    }
    if (pressed(Modifiers::NONE, Key::Delete) || pressed(Modifiers::NONE, Key::Backspace))
        && app.session.delete_selected()
    {
        app.set_status(ctx, "Span removed (Ctrl+Z to undo)");
    }
    label_keys(app, ctx);
}

/// Review mode: N / P step through undecided differences; A, B, C (both),
/// R (reject), E (edit) decide the current one; U takes a decision back.
fn review_keys(app: &mut SpanmarkApp, ctx: &egui::Context) {
    use super::review::actions;
    use crate::model::Verdict;
    let pressed = |k: Key| ctx.input_mut(|i| i.consume_key(Modifiers::NONE, k));
    if pressed(Key::N) {
        actions::step(app, ctx, true);
    } else if pressed(Key::P) {
        actions::step(app, ctx, false);
    }
    for (key, verdict) in [
        (Key::A, Verdict::AcceptA),
        (Key::B, Verdict::AcceptB),
        (Key::C, Verdict::AcceptBoth),
        (Key::R, Verdict::Reject),
        (Key::E, Verdict::Edit),
    ] {
        if pressed(key) {
            actions::decide(app, ctx, verdict);
        }
    }
    if pressed(Key::U) {
        actions::undecide(app, ctx);
    }
}

/// Letters the review keys use (a label key with one of them is not applied in review).
const REVIEW_LETTERS: &str = "nparbceuNPARBCEU";

/// Shift+arrows extend the selection by a character, Ctrl+Shift+arrows by a word.
fn keyboard_selection(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(doc) = app.session.document() else {
        return;
    };
    let cursor = app.session.cursor;
    let mut head = None;
    for (key, forward) in [(Key::ArrowLeft, false), (Key::ArrowRight, true)] {
        if ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, key)) {
            head = Some(if forward {
                next_word_start(doc, cursor)
            } else {
                prev_word_start(doc, cursor)
            });
        } else if ctx.input_mut(|i| i.consume_key(Modifiers::SHIFT, key)) {
            head = Some(if forward {
                (cursor + 1).min(doc.char_len())
            } else {
                cursor.saturating_sub(1)
            });
        }
    }
    if let Some(head) = head
        && let Some(outcome) = app.session.extend_selection(head)
    {
        app.report_label(ctx, outcome);
    }
}

fn step(app: &mut SpanmarkApp, forward: bool) {
    if let Some(id) = app.session.step_span(forward)
        && let Some(span) = app.session.selected()
    {
        let _ = id;
        app.view.scroll_to(span.start());
    }
}

/// A label's key labels the selection, relabels the selected span, or with
/// nothing selected toggles sticky mode for that label.
fn label_keys(app: &mut SpanmarkApp, ctx: &egui::Context) {
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
    for c in typed {
        if app.ui.review.active && REVIEW_LETTERS.contains(c) {
            continue;
        }
        let Some(label) = app.session.project.schema.by_key(c).map(|l| l.name.clone()) else {
            continue;
        };
        press_label(app, ctx, &label);
    }
}

/// What clicking a label in the palette or pressing its key does.
pub fn press_label(app: &mut SpanmarkApp, ctx: &egui::Context, label: &str) {
    if app.session.selection.is_some() || app.session.selected_span.is_some() {
        let outcome = app.session.label_selection(label);
        app.report_label(ctx, outcome);
    } else if app.session.sticky_label.as_deref() == Some(label) {
        app.session.sticky_label = None;
        app.set_status(ctx, "Sticky label off");
    } else {
        app.session.sticky_label = Some(label.to_string());
        app.set_status(
            ctx,
            format!("Sticky label: every selection becomes {label} (Esc to stop)"),
        );
    }
}
