//! "Date of the document": the day its article reports on, which every
//! event of the document is exported with (`event_date`). The date is typed
//! as year-month-day and checked as it is typed; a date found near the top
//! of the text (its dateline) is offered with one click. Setting it is one
//! undoable step.

use eframe::egui;

use super::app::SpanmarkApp;
use crate::model::{Command, Document, find_date, parse_date};
use jiff::civil::Date;

/// The document being dated and the text typed so far.
struct Draft {
    doc: String,
    name: String,
    text: String,
    /// A date written near the top of the text, if any.
    found: Option<Date>,
    /// The document has a date now (an empty field clears it).
    had_date: bool,
    /// The field takes the keyboard on the first frame.
    focus: bool,
}

/// The dialog's state (closed when `None`).
#[derive(Default)]
pub struct DocumentDateDialog {
    open: Option<Draft>,
}

impl DocumentDateDialog {
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Opens the dialog on `doc`, with its date (if any) to edit.
    pub fn open(&mut self, doc: &Document) {
        self.open = Some(Draft {
            doc: doc.id.clone(),
            name: doc.name.clone(),
            text: doc.date.map(|d| d.to_string()).unwrap_or_default(),
            found: find_date(doc.text()),
            had_date: doc.date.is_some(),
            focus: true,
        });
    }

    pub fn close(&mut self) {
        self.open = None;
    }
}

/// What the typed text means: a date, no date (cleared), or a reason.
fn reading(text: &str) -> Result<Option<Date>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some).map_err(|e| e.to_string())
    }
}

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(draft) = app.ui.document_date.open.as_mut() else {
        return;
    };
    let mut apply = false;
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("document-date")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        ui.heading(format!("Date of “{}”", draft.name));
        ui.label("The day the article reports on. Every event of this document is exported with it as its event_date.");
        ui.add_space(4.0);
        let field = ui.add(
            egui::TextEdit::singleline(&mut draft.text)
                .hint_text("YYYY-MM-DD")
                .desired_width(140.0),
        );
        if std::mem::take(&mut draft.focus) {
            field.request_focus();
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let read = reading(&draft.text);
        match &read {
            Err(why) => {
                ui.colored_label(ui.visuals().error_fg_color, why);
            }
            Ok(None) => {
                ui.weak("Year-month-day, e.g. 2025-03-14. Without a date the event table leaves event_date empty.");
            }
            Ok(Some(_)) => {}
        }
        if let Some(found) = draft.found
            && read != Ok(Some(found))
        {
            ui.horizontal(|ui| {
                ui.label(format!("Found near the top of the text: {found}"));
                if ui.button("Use it").clicked() {
                    draft.text = found.to_string();
                }
            });
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let (label, can) = match read {
                Ok(None) if draft.had_date => ("Clear the date", true),
                Ok(None) => ("Set the date", false),
                Ok(Some(_)) => ("Set the date", true),
                Err(_) => ("Set the date", false),
            };
            apply = ui.add_enabled(can, egui::Button::new(label)).clicked() || (entered && can);
            cancel = ui.button("Cancel").clicked();
        });
        cancel |= ui.input(|i| i.key_pressed(egui::Key::Escape));
    });
    if cancel {
        app.ui.document_date.close();
    } else if apply {
        set_date(app, ctx);
    }
}

/// Sets the typed date on the document as one undoable step.
fn set_date(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(draft) = app.ui.document_date.open.take() else {
        return;
    };
    let Ok(date) = reading(&draft.text) else {
        return;
    };
    let unchanged = app
        .session
        .project
        .document(&draft.doc)
        .is_some_and(|d| d.date == date);
    if unchanged {
        return;
    }
    let message = match app.session.apply(Command::SetDate {
        doc: draft.doc,
        date,
    }) {
        Ok(()) => {
            let undo = super::command::key_hint(ctx, &super::command::AppCommand::Undo);
            match date {
                Some(d) => format!("“{}” is dated {d} ({undo} to undo)", draft.name),
                None => format!("“{}” has no date now ({undo} to undo)", draft.name),
            }
        }
        Err(e) => format!("Cannot set the date: {e}"),
    };
    app.set_status(ctx, message);
}
