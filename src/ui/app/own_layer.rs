//! The bundled sample opens on its annotator's layer, read-only, so that a
//! new analyst's first clicks never change her spans; one click starts the
//! analyst's own layer, empty or as a copy of hers.

use eframe::egui;

use super::{SpanmarkApp, os_user_name};
use crate::model::LayerId;

impl SpanmarkApp {
    /// The analyst's own name: from the settings, else the OS user.
    pub fn own_name(&self) -> String {
        self.settings.annotator.clone().unwrap_or_else(os_user_name)
    }

    /// Protects the sample's annotated layer when the sample is what is open.
    pub(super) fn protect_sample_layer(&mut self) {
        if !self.is_sample_demo() {
            return;
        }
        let owner = self.session.annotator().to_string();
        self.session.set_read_only(Some((
            LayerId::Annotator(owner.clone()),
            format!("{owner}'s layer of the sample"),
        )));
    }

    /// What to do about a read-only layer, for messages.
    pub fn read_only_hint(&self) -> String {
        format!(
            "Use “Annotate a copy as {}” above the text to work on your own layer.",
            self.own_name()
        )
    }

    /// Starts the analyst's own layer: a copy of the protected one, or empty.
    pub fn annotate_own_layer(&mut self, ctx: &egui::Context, copy: bool) {
        let name = self.own_name();
        let from = self.session.read_only_layer().map(|(l, _)| l.clone());
        let copy_of = if copy { from.as_ref() } else { None };
        match self.session.start_own_layer(&name, copy_of) {
            Ok(n) if copy => self.set_status(
                ctx,
                format!(
                    "Annotating as {name}: your layer starts as a copy of {} spans ({} to undo)",
                    n,
                    crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::Undo)
                ),
            ),
            Ok(_) => self.set_status(ctx, format!("Annotating as {name}, on an empty layer")),
            Err(e) => self.set_status(ctx, format!("Cannot start your layer: {e}")),
        }
        self.settings.annotator = Some(name);
    }
}

/// The banner over the text while the layer shown is read-only.
pub fn show_banner(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let Some((_, what)) = app.session.read_only_layer() else {
        return;
    };
    if !app.session.is_read_only() {
        return;
    }
    let what = what.to_string();
    let me = app.own_name();
    egui::Panel::top("read-only-layer").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let warn = ui.visuals().warn_fg_color;
            ui.label(egui::RichText::new("🔒").strong().color(warn));
            ui.label(
                egui::RichText::new(format!("You are looking at {what}: read-only."))
                    .strong()
                    .color(warn),
            );
            let copy = crate::ui::command::AppCommand::AnnotateCopy;
            if ui
                .button(format!("Annotate a copy as {me}"))
                .on_hover_text("Your own layer, starting with these spans (undoable)")
                .clicked()
            {
                app.queue(copy);
            }
            if ui.button(format!("Start an empty layer as {me}")).clicked() {
                app.queue(crate::ui::command::AppCommand::AnnotateEmpty);
            }
        });
    });
}
