//! The non-modal propagation offer above the text: one key accepts, one dismisses.

use eframe::egui;

use super::app::SpanmarkApp;

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let Some(offer) = app.session.offer.clone() else {
        return;
    };
    let ctx = ui.ctx().clone();
    let n = offer.ranges.len();
    let mut accept = false;
    let mut dismiss = false;
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let other = if n == 1 { "occurrence" } else { "occurrences" };
                ui.label(format!(
                    "Also label the other {n} {other} of “{}” as {}?",
                    offer.text, offer.label
                ));
                accept = ui.button("Label them (Enter)").clicked();
                let esc = crate::ui::command::key_hint(
                    ui.ctx(),
                    &crate::ui::command::AppCommand::DismissOffer,
                );
                dismiss = ui.button(format!("Dismiss ({esc})")).clicked();
            });
        });
    if accept {
        accept_offer(app, &ctx);
    } else if dismiss {
        app.session.offer = None;
    }
}

pub fn accept_offer(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let label = app
        .session
        .offer
        .as_ref()
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
