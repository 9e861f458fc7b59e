//! The events part of the agreement window: trigger and slot F1 per role,
//! how the slots compare, and the event-type κ (figures from
//! `crate::review::frame_metrics`).

use eframe::egui;

use super::agreement_panel::fmt;
use crate::review::frame_align::SlotCategory;
use crate::review::frame_metrics::FrameAgreement;
use crate::review::metrics::Prf;

/// Shows the section; nothing when neither layer has an event.
pub fn section(ui: &mut egui::Ui, f: Option<&FrameAgreement>) {
    let Some(f) = f else {
        return;
    };
    ui.separator();
    ui.strong(format!("Events ({} in A, {} in B)", f.frames_a, f.frames_b));
    egui::Grid::new("agreement-events")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for h in ["", "Exact P", "Exact R", "Exact F1", "Overlap F1", "A / B"] {
                ui.strong(h);
            }
            ui.end_row();
            let row = |ui: &mut egui::Ui, name: &str, e: &Prf, overlap: Option<f64>| {
                ui.label(name);
                ui.label(fmt(e.precision));
                ui.label(fmt(e.recall));
                ui.label(fmt(e.f1));
                ui.label(fmt(overlap));
                ui.label(format!("{} / {}", e.tp + e.fn_, e.tp + e.fp));
                ui.end_row();
            };
            row(ui, "Triggers", &f.trigger.exact, f.trigger.overlap.f1);
            row(
                ui,
                "Slots (micro)",
                &f.slots.exact.micro,
                f.slots.overlap.micro.f1,
            );
            for (role, e) in &f.slots.exact.per_label {
                let o = f.slots.overlap.per_label.get(role).and_then(|p| p.f1);
                row(ui, &format!("   {role}"), e, o);
            }
        });
    let cats: Vec<String> = SlotCategory::ALL
        .iter()
        .map(|c| {
            let n = f.slot_categories.get(c.name()).copied().unwrap_or(0);
            format!("{} {n}", c.name())
        })
        .collect();
    ui.label(format!("Slots (exact): {}", cats.join(" · ")));
    let t = &f.event_type;
    ui.label(format!(
        "Event type κ {} over {} paired events ({} the same)",
        fmt(t.kappa),
        t.pairs,
        t.observed
            .map_or_else(|| "n/a".into(), |o| format!("{:.0}%", o * 100.0))
    ));
}
