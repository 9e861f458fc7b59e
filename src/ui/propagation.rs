//! The non-modal propagation offer above the text: one key accepts, one dismisses.

use eframe::egui;

use super::app::SpanmarkApp;

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let Some(offer) = app.session.offer().cloned() else {
        return;
    };
    use crate::ui::command::{AppCommand, key_hint};
    let n = offer.ranges.len();
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let other = if n == 1 {
                    "other occurrence"
                } else {
                    "other occurrences"
                };
                ui.label(format!(
                    "Also label the {n} {other} of “{}” as {}?",
                    offer.text, offer.label
                ));
                let enter = key_hint(ui.ctx(), &AppCommand::AcceptOffer);
                if ui.button(format!("Label them ({enter})")).clicked() {
                    app.queue(AppCommand::AcceptOffer);
                }
                let esc = key_hint(ui.ctx(), &AppCommand::DismissOffer);
                if ui.button(format!("Dismiss ({esc})")).clicked() {
                    app.queue(AppCommand::DismissOffer);
                }
            });
        });
}

pub fn accept_offer(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let label = app
        .session
        .offer()
        .map(|o| o.label.clone())
        .unwrap_or_default();
    let added = app.session.accept_offer();
    app.set_status(
        ctx,
        format!(
            "Labelled {added} more as {label} ({} to undo)",
            crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::Undo)
        ),
    );
}
