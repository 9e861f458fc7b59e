//! Bottom bar: annotator, document position, cursor and selection, save state, next-key hint.

use eframe::egui;

use super::app::SpanmarkApp;

/// How long a status message stays (seconds).
const MESSAGE_SECONDS: f64 = 6.0;

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let now = ui.input(|i| i.time);
    ui.horizontal(|ui| {
        // Panels that stepped aside (a narrow window) are one click away.
        let width = app.ui.window_width;
        use super::command::AppCommand;
        if !app.ui.panels.documents_shown(width)
            && ui
                .small_button("▸ Documents")
                .on_hover_text(AppCommand::ToggleDocumentsPanel.name())
                .clicked()
        {
            app.queue(AppCommand::ToggleDocumentsPanel);
        }
        if !app.ui.panels.labels_shown(width)
            && ui
                .small_button("Labels ◂")
                .on_hover_text(AppCommand::ToggleLabelsPanel.name())
                .clicked()
        {
            app.queue(AppCommand::ToggleLabelsPanel);
        }
        let s = &app.session;
        ui.label(format!("Annotator: {}", s.annotator()));
        ui.separator();
        match s.project.documents.len() {
            0 => ui.label("No documents"),
            n => ui.label(format!("Document {} of {n}", s.doc_index() + 1)),
        };
        ui.separator();
        ui.label(format!("Offset {}", s.cursor()));
        if let Some(sel) = s.selection() {
            ui.label(format!("Selection {} code points", sel.len()));
        }
        ui.separator();
        // Work running in the background (what blocks editing has its own window).
        for job in app.jobs.running().filter(|j| !j.kind.blocks_editing()) {
            ui.label(format!("{}…", job.label));
            if job.kind != super::jobs::JobKind::Autosave {
                ui.scope(|ui| {
                    ui.set_max_width(120.0);
                    super::app::file_jobs::progress_bar(ui, job.progress);
                });
            }
            ui.separator();
        }
        let save = if let Some(e) = &app.autosave.last_error {
            e.clone()
        } else if s.is_dirty() {
            match &app.autosave.last_written {
                Some(at) => format!("Unsaved · autosaved at {at}"),
                None => "Unsaved changes".to_string(),
            }
        } else if let Some(at) = &app.ui.saved_at {
            format!("Saved at {at}")
        } else if app.path.is_some() {
            "Saved".to_string()
        } else {
            "Untitled".to_string()
        };
        ui.label(save);
        ui.separator();
        match app
            .ui
            .status
            .as_ref()
            .filter(|m| now - m.at < MESSAGE_SECONDS)
        {
            Some(m) => {
                ui.strong(&m.text);
            }
            None => {
                ui.weak(hint(app, ui.ctx()));
            }
        }
    });
}

/// What the analyst can do next.
fn hint(app: &SpanmarkApp, ctx: &egui::Context) -> String {
    use crate::ui::command::{AppCommand as C, key_hint};
    let key = |c: C| key_hint(ctx, &c);
    let s = &app.session;
    let keys: Vec<String> = s
        .project
        .schema
        .labels
        .iter()
        .filter_map(|l| l.key.map(|k| format!("{k} {}", l.name)))
        .collect();
    if let Some(label) = s.sticky_label() {
        format!(
            "Sticky {label}: select text to label it · {} stops",
            key(C::ClearSelection)
        )
    } else if s.selection().is_some() {
        format!("Press {} to label the selection", keys.join(" · "))
    } else if s.selected_span_id().is_some() {
        format!(
            "Label key relabels · {} removes · {} / {} moves the end · {} next span",
            key(C::DeleteSpan),
            key(C::MoveEndLeft),
            key(C::MoveEndRight),
            key(C::NextSpan)
        )
    } else {
        format!(
            "Drag over text to select (Alt: exact) · click a span to select it · {} shortcuts",
            key(C::ShowHelp)
        )
    }
}
