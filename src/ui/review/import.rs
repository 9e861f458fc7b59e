//! Review → Import colleague's annotations…: adds the annotator layers of
//! another project file to this one (documents matched by fingerprint), as
//! one undoable step, asking what to do when an annotator name is taken.

use std::path::Path;

use eframe::egui;

use crate::io::load_project;
use crate::model::Project;
use crate::model::project_diff::edit_between;
use crate::review::merge::{MergeError, MergeReport, OnCollision, merge_project};
use crate::ui::app::{Dialog, SpanmarkApp};

/// A colleague's project waiting for the reviewer's answer on a name clash.
pub struct PendingImport {
    pub file: String,
    pub other: Project,
    pub name: String,
}

/// Asks for the file, then imports it (or asks about a name clash first).
pub fn start(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(path) = app.dialogs.open_project() else {
        return;
    };
    import_file(app, ctx, &path);
}

/// Imports the colleague's project at `path`.
pub fn import_file(app: &mut SpanmarkApp, ctx: &egui::Context, path: &Path) {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    match load_project(path) {
        Ok(other) => run(app, ctx, file, other, OnCollision::Cancel),
        Err(e) => app.push_dialog(Dialog::Error {
            title: format!("Cannot import {file}"),
            message: e.to_string(),
        }),
    }
}

fn run(
    app: &mut SpanmarkApp,
    ctx: &egui::Context,
    file: String,
    other: Project,
    policy: OnCollision,
) {
    let mut next = app.session.project.clone();
    match merge_project(&mut next, &other, None, policy) {
        Ok(report) => {
            let cmd = edit_between(&app.session.project, &next);
            match app.session.apply(cmd) {
                Ok(()) => {
                    app.ui.review.layers = None;
                    app.push_dialog(Dialog::Error {
                        title: format!("Imported {file}"),
                        message: summary(&report),
                    });
                    app.set_status(ctx, format!("Imported {file} (Ctrl+Z to undo)"));
                }
                Err(e) => app.push_dialog(Dialog::Error {
                    title: format!("Cannot import {file}"),
                    message: e.to_string(),
                }),
            }
        }
        Err(MergeError::NameTaken(name)) => {
            app.ui.review.pending_import = Some(PendingImport { file, other, name });
        }
        Err(e) => app.push_dialog(Dialog::Error {
            title: format!("Cannot import {file}"),
            message: e.to_string(),
        }),
    }
}

fn summary(report: &MergeReport) -> String {
    let text = report.to_string();
    if report.layers.iter().all(|l| l.2 == 0) {
        format!("{text}No document of that project has the same text as one here.")
    } else {
        text
    }
}

/// The name-clash question: replace, keep both (renamed), or cancel.
pub fn show_dialog(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(pending) = &app.ui.review.pending_import else {
        return;
    };
    let mut answer = None;
    egui::Modal::new(egui::Id::unique("import-collision")).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading("Annotator name already in use");
        ui.label(format!(
            "{} holds annotations by {:?}, and this project already has a layer with that name.",
            pending.file, pending.name
        ));
        ui.horizontal(|ui| {
            if ui
                .button("Replace")
                .on_hover_text("The imported layer replaces the one here")
                .clicked()
            {
                answer = Some(Some(OnCollision::Replace));
            }
            if ui
                .button("Keep both")
                .on_hover_text("The imported layer gets a new name")
                .clicked()
            {
                answer = Some(Some(OnCollision::KeepBoth));
            }
            if ui.button("Cancel").clicked() {
                answer = Some(None);
            }
        });
    });
    if let Some(answer) = answer
        && let Some(p) = app.ui.review.pending_import.take()
    {
        match answer {
            Some(policy) => run(app, ctx, p.file, p.other, policy),
            None => app.set_status(ctx, "Import cancelled"),
        }
    }
}
