//! Review → Import colleague's annotations…: adds the annotator layers of
//! another project file to this one (documents matched by fingerprint), as
//! one undoable step, asking what to do when an annotator name is taken.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use crate::io::{JobProgress, LoadError, load_project_with};
use crate::model::project_diff::edit_between;
use crate::model::{Command, Project};
use crate::review::merge::{MergeError, MergeReport, OnCollision, merge_project};
use crate::ui::app::job_output::JobOutput;
use crate::ui::app::{Dialog, FilePurpose, SpanmarkApp};
use crate::ui::file_dialogs::FileRequest;
use crate::ui::jobs::JobKind;

/// A colleague's project waiting for the reviewer's answer on a name clash.
pub struct PendingImport {
    pub file: String,
    pub other: Arc<Project>,
    pub name: String,
}

/// What the worker found.
pub enum MergeOutcome {
    /// The import as one command on the project, and what it added.
    Ready(Box<Command>, MergeReport),
    NameTaken(Arc<Project>, String),
    Cancelled,
    Failed(String),
}

/// Where the colleague's project comes from.
enum Source {
    File(PathBuf),
    /// Already read (asked again after a name clash).
    Loaded(Arc<Project>),
}

/// Asks for the file, then imports it (or asks about a name clash first).
pub fn start(app: &mut SpanmarkApp, ctx: &egui::Context) {
    app.ask_for_files(ctx, FileRequest::OpenProject, FilePurpose::ImportColleague);
}

/// Imports the colleague's project at `path` (read and merged on a worker).
pub fn import_file(app: &mut SpanmarkApp, ctx: &egui::Context, path: &Path) {
    let file = crate::ui::app::file_jobs::file_name(path);
    spawn(
        app,
        ctx,
        file,
        Source::File(path.to_path_buf()),
        OnCollision::Cancel,
    );
}

fn spawn(
    app: &mut SpanmarkApp,
    ctx: &egui::Context,
    file: String,
    source: Source,
    policy: OnCollision,
) {
    if app.jobs.project_file_busy() {
        app.set_status(ctx, "Wait for the current save or open to finish");
        return;
    }
    let snapshot = app.session.project.clone();
    let revision = app.session.revision();
    let label = format!("Importing {file}");
    app.jobs
        .spawn(ctx, JobKind::ImportColleague, label, move |progress| {
            let outcome = merge_on_worker(snapshot, source, policy, progress);
            JobOutput::Colleague {
                file,
                revision,
                outcome,
            }
        });
}

fn merge_on_worker(
    current: Project,
    source: Source,
    policy: OnCollision,
    progress: &JobProgress,
) -> MergeOutcome {
    let other = match source {
        Source::Loaded(p) => p,
        Source::File(path) => match load_project_with(&path, progress) {
            Ok((p, _)) => Arc::new(p),
            Err(LoadError::Cancelled) => return MergeOutcome::Cancelled,
            Err(e) => return MergeOutcome::Failed(e.to_string()),
        },
    };
    progress.stage("Matching documents and adding layers", 0);
    let mut next = current.clone();
    match merge_project(&mut next, &other, None, policy) {
        Ok(report) => {
            if progress.is_cancelled() {
                return MergeOutcome::Cancelled;
            }
            MergeOutcome::Ready(Box::new(edit_between(&current, &next)), report)
        }
        Err(MergeError::NameTaken(name)) => MergeOutcome::NameTaken(other, name),
        Err(e) => MergeOutcome::Failed(e.to_string()),
    }
}

/// Applies a finished merge (called by the app's job poller), or says why not.
pub fn finish(
    app: &mut SpanmarkApp,
    ctx: &egui::Context,
    file: String,
    revision: u64,
    outcome: MergeOutcome,
) {
    match outcome {
        MergeOutcome::Ready(cmd, report) => {
            if app.session.revision() != revision {
                app.push_dialog(Dialog::Error {
                    title: format!("Cannot import {file}"),
                    message: "The project changed while the file was read; import it again.".into(),
                });
                return;
            }
            match app.session.apply(*cmd) {
                Ok(()) => {
                    // The default pair now includes the colleague.
                    app.ui.review.last_layers = None;
                    app.push_dialog(Dialog::Error {
                        title: format!("Imported {file}"),
                        message: summary(&report),
                    });
                    app.set_status(
                        ctx,
                        format!(
                            "Imported {file} ({} to undo)",
                            crate::ui::command::key_hint(
                                ctx,
                                &crate::ui::command::AppCommand::Undo
                            )
                        ),
                    );
                }
                Err(e) => app.push_dialog(Dialog::Error {
                    title: format!("Cannot import {file}"),
                    message: e.to_string(),
                }),
            }
        }
        MergeOutcome::NameTaken(other, name) => {
            app.ui.review.pending_import = Some(PendingImport { file, other, name });
        }
        MergeOutcome::Cancelled => app.set_status(ctx, format!("Did not import {file}")),
        MergeOutcome::Failed(message) => app.push_dialog(Dialog::Error {
            title: format!("Cannot import {file}"),
            message,
        }),
    }
}

fn summary(report: &MergeReport) -> String {
    let text = report.to_string();
    if report.layers.iter().all(|l| l.documents == 0) {
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
            Some(policy) => spawn(app, ctx, p.file, Source::Loaded(p.other), policy),
            None => app.set_status(ctx, "Import cancelled"),
        }
    }
}
