//! Left panel: the documents, their status and span counts, a filter, and progress.

use crate::model::bidi::DirectionChoice;
use eframe::egui;

use super::app::SpanmarkApp;
use super::command::AppCommand;
use crate::model::DocStatus;

/// A small circle: empty for todo, a dot for in progress, filled for done.
fn status_mark(ui: &mut egui::Ui, status: DocStatus) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    let color = ui.visuals().text_color();
    let c = rect.center();
    ui.painter()
        .circle_stroke(c, 5.0, egui::Stroke::new(1.2, color));
    match status {
        DocStatus::Todo => {}
        DocStatus::InProgress => {
            ui.painter().circle_filled(c, 2.0, color);
        }
        DocStatus::Done => {
            ui.painter().circle_filled(c, 5.0, color);
        }
    }
}

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let docs = &app.session.project.documents;
    let done = docs.iter().filter(|d| d.status == DocStatus::Done).count();
    ui.heading("Documents");
    ui.label(format!("{done} of {} done", docs.len()));
    ui.add(egui::TextEdit::singleline(&mut app.ui.doc_filter).hint_text("Filter documents"));
    ui.separator();
    let filter = app.ui.doc_filter.to_lowercase();
    let layer = app.session.layer_id();
    let current = app.session.doc_index();
    let busy = app.is_busy();
    let mut open = None;
    let mut date_of = None;
    let mut direction: Option<(String, DirectionChoice)> = None;
    egui::ScrollArea::vertical()
        .id_salt("documents-list")
        .show(ui, |ui| {
            for (i, d) in app.session.project.documents.iter().enumerate() {
                if !filter.is_empty()
                    && !d.name.to_lowercase().contains(&filter)
                    && !d.id.contains(&filter)
                {
                    continue;
                }
                let spans = d.layer(&layer).map_or(0, |l| l.len());
                let review = app
                    .ui
                    .review
                    .active()
                    .then(|| app.ui.review.open_in(i))
                    .flatten();
                let text = match review {
                    Some(0) => format!("{}  ✔ adjudicated", d.name),
                    Some(n) => format!("{}  ({n} open)", d.name),
                    None => format!("{}  ({spans})", d.name),
                };
                let text = match app.document_direction(d) {
                    DirectionChoice::Rtl => format!("{text}  ⇐"),
                    DirectionChoice::Ltr => format!("{text}  ⇒"),
                    DirectionChoice::Auto => text,
                };
                ui.horizontal(|ui| {
                    status_mark(ui, d.status);
                    let response = ui
                        .selectable_label(i == current, text)
                        .on_hover_text(format!(
                            "{}: {}, {spans} spans by you{}. Right-click for its date and the reading direction.",
                            d.id,
                            d.status,
                            d.date.map(|x| format!(", dated {x}")).unwrap_or_default()
                        ));
                    if let Some(date) = d.date {
                        ui.weak(date.to_string());
                    }
                    if response.clicked() {
                        open = Some(i);
                    }
                    response.context_menu(|ui| {
                        let date = AppCommand::DateDocument;
                        let mut button = egui::Button::new(date.name());
                        if let Some(s) = date.shortcuts().first() {
                            button = button.shortcut_text(ui.ctx().format_shortcut(s));
                        }
                        if ui.add_enabled(!busy, button).clicked() {
                            date_of = Some(i);
                            ui.close();
                        }
                        ui.separator();
                        ui.label("Reading direction");
                        let now = app.document_direction(d);
                        for (choice, name) in [
                            (
                                DirectionChoice::Auto,
                                "Automatic (each line's first letter)",
                            ),
                            (DirectionChoice::Ltr, "Left to right"),
                            (DirectionChoice::Rtl, "Right to left"),
                        ] {
                            if ui.radio(now == choice, name).clicked() {
                                direction = Some((d.fingerprint().to_string(), choice));
                                ui.close();
                            }
                        }
                    });
                });
            }
        });
    if let Some(i) = open {
        app.session.open_document(i);
    }
    if let Some(d) = date_of.and_then(|i| app.session.project.documents.get(i)) {
        app.ui.document_date.open(d);
    }
    if let Some((fingerprint, choice)) = direction {
        // A view preference, kept with the settings by the text's
        // fingerprint: it follows the text into other projects.
        if choice == DirectionChoice::Auto {
            app.settings.directions.remove(&fingerprint);
        } else {
            app.settings.directions.insert(fingerprint, choice);
        }
    }
}
