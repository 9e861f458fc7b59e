//! The review panel on a pair of events: both versions' trigger and type,
//! the slots compared row by row with a verdict per row, and the verdict
//! buttons for the event as a whole (decided by
//! `crate::review::frame_adjudicate`).

use eframe::egui::{self, Color32};

use super::actions::layer_name;
use super::panel::{decision_buttons, legend_bar};
use crate::model::{Frame, Layer, LayerId, Slot, Verdict};
use crate::review::frame_adjudicate::FrameItem;
use crate::review::frame_align::SlotCategory;
use crate::ui::app::SpanmarkApp;
use crate::ui::command::{AppCommand, ROW_VERDICTS, key_hint};

/// Colour of a slot comparison (Okabe–Ito, as the span categories).
fn row_color(c: SlotCategory) -> Color32 {
    match c {
        SlotCategory::Agree => Color32::from_rgb(0, 158, 115),
        SlotCategory::RoleConflict => Color32::from_rgb(230, 159, 0),
        SlotCategory::DifferentSpan => Color32::from_rgb(204, 121, 167),
        SlotCategory::MissingInB => Color32::from_rgb(0, 114, 178),
        SlotCategory::MissingInA => Color32::from_rgb(213, 94, 0),
    }
}

/// A row verdict's button text.
fn row_button(v: Verdict) -> &'static str {
    match v {
        Verdict::AcceptA => "A",
        Verdict::AcceptB => "B",
        Verdict::AcceptBoth => "both",
        _ => "none",
    }
}

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui, item: &FrameItem) {
    let Some(layers) = app.ui.review.layers().cloned() else {
        return;
    };
    let Some(doc) = app.session.document() else {
        return;
    };
    let layer_of = |id: &LayerId| doc.layer(id);
    let text_of = |layer: Option<&Layer>, id| {
        layer
            .and_then(|l: &Layer| l.get(id))
            .and_then(|s| doc.slice(s.start(), s.end()))
            .map(|t| format!("“{t}”"))
            .unwrap_or_else(|| "—".into())
    };
    let (la, lb) = (layer_of(&layers.a), layer_of(&layers.b));
    let slot_text = |layer, slot: Option<&Slot>| match slot {
        Some(s) => format!("{}: {}", s.role, text_of(layer, s.span)),
        None => "—".into(),
    };
    let version = |layer, frame: Option<&Frame>| match frame {
        Some(f) => format!(
            "{} ({})",
            text_of(layer, f.trigger),
            f.event_type.as_deref().unwrap_or("no type")
        ),
        None => "no event".into(),
    };
    let describe = item.describe();
    ui.horizontal(|ui| {
        let color = if item.agrees() {
            row_color(SlotCategory::Agree)
        } else {
            row_color(SlotCategory::RoleConflict)
        };
        legend_bar(ui, color);
        ui.strong(describe);
    });
    ui.label(format!(
        "A: {}  {}",
        layer_name(&layers.a),
        version(la, item.a.as_ref())
    ));
    ui.label(format!(
        "B: {}  {}",
        layer_name(&layers.b),
        version(lb, item.b.as_ref())
    ));
    let mut chosen: Option<(usize, Verdict)> = None;
    let cursor = app.ui.review.event_row();
    // One block per row, wrapping in a narrow panel: the comparison, then
    // both versions, then the row's verdicts.
    for (i, row) in item.rows.iter().enumerate() {
        let marked = cursor == Some(i);
        let frame = egui::Frame::new()
            .inner_margin(egui::Margin::symmetric(4, 2))
            .fill(if marked {
                ui.visuals().faint_bg_color
            } else {
                Color32::TRANSPARENT
            });
        frame.show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                // The row the row keys decide.
                ui.label(if marked { "▶" } else { "  " });
                ui.strong(format!("{}.", i + 1));
                ui.colored_label(row_color(row.category), row.category.name());
                ui.label(format!("A {}", slot_text(la, row.a.as_ref())));
                ui.label(format!("B {}", slot_text(lb, row.b.as_ref())));
            });
            let current = item.row_verdict(i);
            ui.horizontal_wrapped(|ui| {
                ui.weak("take");
                for (verdict, _) in ROW_VERDICTS {
                    let text = row_button(verdict);
                    let usable = match verdict {
                        Verdict::AcceptA => row.a.is_some(),
                        Verdict::AcceptB => row.b.is_some(),
                        _ => true,
                    };
                    let on = current == Some(verdict);
                    let name = format!("Row {}: take {text}", i + 1);
                    let command = AppCommand::DecideRow(verdict);
                    let response = ui
                        .add_enabled(usable, egui::Button::selectable(on, text))
                        .on_hover_text(format!(
                            "{name} ({} on the row marked ▶)",
                            key_hint(ui.ctx(), &command)
                        ));
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::Button, usable, on, &name)
                    });
                    if response.clicked() {
                        chosen = Some((i, verdict));
                    }
                }
            });
        });
    }
    let hint = |c: AppCommand| key_hint(ui.ctx(), &c);
    let row_keys: Vec<String> = ROW_VERDICTS
        .iter()
        .map(|(v, _)| hint(AppCommand::DecideRow(*v)))
        .collect();
    ui.weak(format!(
        "{} / {} move ▶; {} decide its row (A, B, both, none)",
        hint(AppCommand::NextEventRow),
        hint(AppCommand::PreviousEventRow),
        row_keys.join(", "),
    ));
    match &item.decision {
        Some(d) => {
            ui.label(format!("Decision: event {}", d.verdict.describe()));
        }
        None if item.agreed_in_gold => {
            ui.label("Both agree, and gold has it");
        }
        None => {
            ui.label("Decision: undecided");
        }
    }
    decision_buttons(
        app,
        ui,
        item.a.is_some(),
        item.b.is_some(),
        item.decision.is_some(),
    );
    if let Some((row, verdict)) = chosen {
        // A click is the row key on that row: the cursor goes there first.
        app.ui.review.set_event_row(row);
        app.queue(AppCommand::DecideRow(verdict));
    }
}
