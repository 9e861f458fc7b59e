//! The selected event: its type, its slots (role, span text, go to, empty),
//! the roles still open with this sentence's candidates, nearest first,
//! and what the schema still wants. Shown in the labels panel while an
//! event's trigger is selected. Clicks are gathered and applied after the
//! panel is drawn; keys go through the command table.

use eframe::egui::{self, RichText};

use super::app::SpanmarkApp;
use super::command::{AppCommand, key_hint};
use crate::model::{Frame, FrameId, SpanId};

/// What a click in the panel asks for.
enum Action {
    SetType(FrameId, Option<String>),
    Fill(Option<FrameId>, String, SpanId),
    Empty(FrameId, String, SpanId),
    GoTo(SpanId),
    Run(AppCommand),
}

/// Candidates listed per open role (the rest are a key press away).
const CANDIDATES_SHOWN: usize = 3;

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let Some(trigger) = app.session.selected() else {
        return;
    };
    let events = &app.session.project.schema.events;
    if !events.can_trigger(&trigger.label) {
        return;
    }
    let trigger_id = trigger.id();
    let frames: Vec<FrameId> = app
        .session
        .frames_of_selected()
        .iter()
        .map(|f| f.id)
        .collect();
    let frame = app.session.selected_frame().cloned();
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Event");
        if frames.len() > 1 {
            let at = frame
                .as_ref()
                .and_then(|f| frames.iter().position(|id| *id == f.id))
                .map_or(1, |i| i + 1);
            let next = AppCommand::NextEventOfTrigger;
            if ui
                .small_button(format!("{at} of {}", frames.len()))
                .on_hover_text(format!("{} ({})", next.name(), key_hint(ui.ctx(), &next)))
                .clicked()
            {
                actions.push(Action::Run(next));
            }
        }
    });
    match &frame {
        None => {
            ui.weak(format!(
                "No roles filled yet. Press a role key ({}), then click the span.",
                role_keys(app)
            ));
        }
        Some(f) => {
            event_type(app, ui, f, &mut actions);
            slots(app, ui, f, &mut actions);
        }
    }
    open_roles(app, ui, frame.as_ref(), &mut actions);
    ui.horizontal(|ui| {
        for command in [AppCommand::AddEvent, AppCommand::RemoveEvent] {
            let enabled = command.enabled(&app.command_state());
            let text = if command == AppCommand::AddEvent {
                "Another event"
            } else {
                "Remove event"
            };
            if ui
                .add_enabled(enabled, egui::Button::new(text).small())
                .on_hover_text(format!(
                    "{} ({})",
                    command.name(),
                    key_hint(ui.ctx(), &command)
                ))
                .clicked()
            {
                actions.push(Action::Run(command));
            }
        }
    });
    let ctx = ui.ctx().clone();
    for action in actions {
        apply(app, &ctx, action, trigger_id);
    }
}

fn role_keys(app: &SpanmarkApp) -> String {
    app.session
        .project
        .schema
        .events
        .roles
        .iter()
        .filter_map(|r| r.key.map(|k| format!("{k} {}", r.name)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn event_type(app: &SpanmarkApp, ui: &mut egui::Ui, frame: &Frame, actions: &mut Vec<Action>) {
    let types = &app.session.project.schema.events.event_types;
    let shown = frame.event_type.as_deref().unwrap_or("—");
    ui.horizontal(|ui| {
        let caption = ui.label("Type");
        let step = AppCommand::NextEventType;
        egui::ComboBox::from_id_salt(("event-type", frame.id.0))
            .selected_text(shown)
            .width(190.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(frame.event_type.is_none(), "—  (none)")
                    .clicked()
                {
                    actions.push(Action::SetType(frame.id, None));
                }
                for t in types {
                    let on = frame.event_type.as_deref() == Some(t.as_str());
                    if ui.selectable_label(on, t).clicked() {
                        actions.push(Action::SetType(frame.id, Some(t.clone())));
                    }
                }
            })
            .response
            .labelled_by(caption.id)
            .on_hover_text(format!("{} ({})", step.name(), key_hint(ui.ctx(), &step)));
    });
}

fn slots(app: &SpanmarkApp, ui: &mut egui::Ui, frame: &Frame, actions: &mut Vec<Action>) {
    if frame.slots.is_empty() {
        return;
    }
    egui::Grid::new(("event-slots", frame.id.0))
        .num_columns(3)
        .show(ui, |ui| {
            for slot in &frame.slots {
                ui.label(&slot.role);
                let text = app.span_text(Some(slot.span));
                if ui
                    .link(format!("“{text}”"))
                    .on_hover_text("Go to this span")
                    .clicked()
                {
                    actions.push(Action::GoTo(slot.span));
                }
                if ui
                    .small_button("×")
                    .on_hover_text(format!("Empty this {} slot", slot.role))
                    .clicked()
                {
                    actions.push(Action::Empty(frame.id, slot.role.clone(), slot.span));
                }
                ui.end_row();
            }
        });
}

/// The roles that take more fillers, each with its key and this sentence's
/// candidates; a role the schema still needs is marked.
fn open_roles(
    app: &SpanmarkApp,
    ui: &mut egui::Ui,
    frame: Option<&Frame>,
    actions: &mut Vec<Action>,
) {
    let hints = &app.ui.event_hints;
    let enter = key_hint(ui.ctx(), &AppCommand::AcceptSuggestedLink);
    for role in &app.session.project.schema.events.roles {
        let filled = frame.map_or(0, |f| f.fillers(&role.name).count()) as u32;
        if role.cardinality.max().is_some_and(|m| filled >= m) {
            continue;
        }
        let candidates = hints
            .candidates
            .iter()
            .find(|(r, _)| *r == role.name)
            .map(|(_, c)| c.as_slice())
            .unwrap_or_default();
        let short = filled < role.cardinality.min();
        ui.horizontal_wrapped(|ui| {
            let key = role.key.map(|k| format!(" [{k}]")).unwrap_or_default();
            let name = RichText::new(format!("{}{key}", role.name));
            let name = if short {
                name.color(ui.visuals().warn_fg_color)
            } else {
                name.weak()
            };
            let caption = ui.label(name);
            if short {
                caption.on_hover_text(format!(
                    "The schema wants {} here ({} so far)",
                    role.cardinality, filled
                ));
            }
            if candidates.is_empty() {
                ui.weak("no candidate in this sentence");
            }
            for &c in candidates.iter().take(CANDIDATES_SHOWN) {
                let suggested = hints.suggested.as_ref() == Some(&(role.name.clone(), c));
                let text = format!("+ “{}”", app.span_text(Some(c)));
                let mut button = egui::Button::new(text).small();
                if suggested {
                    button = button.shortcut_text(enter.clone());
                }
                if ui
                    .add(button)
                    .on_hover_text(format!("Fill {} with this span", role.name))
                    .clicked()
                {
                    actions.push(Action::Fill(frame.map(|f| f.id), role.name.clone(), c));
                }
            }
        });
    }
}

fn apply(app: &mut SpanmarkApp, ctx: &egui::Context, action: Action, trigger: SpanId) {
    match action {
        Action::SetType(frame, t) => {
            if let Err(e) = app.session.set_event_type(frame, t) {
                app.set_status(ctx, format!("Event type not set: {e}"));
            }
        }
        Action::Fill(frame, role, filler) => app.fill(ctx, frame, &role, trigger, filler),
        Action::Empty(frame, role, filler) => {
            if let Err(e) = app.session.empty_slot(frame, &role, filler) {
                app.set_status(ctx, format!("Not emptied: {e}"));
            }
        }
        Action::GoTo(span) => {
            app.show_span(span);
        }
        Action::Run(command) => app.queue(command),
    }
}
