//! What each kind of background job hands back, and the one place where a
//! finished job's result is acted on (at the start of a frame, before the
//! panels draw). A worker that died without an answer is reported for its
//! kind; it is never silently forgotten.

use std::path::PathBuf;

use eframe::egui;

use super::file_jobs::{OpenKind, OpenResult, SaveResult, TextsResult};
use super::{AfterUnsaved, Dialog, SpanmarkApp};
use crate::io::formats::ExportSummary;
use crate::io::formats::import::ImportedDoc;
use crate::review::adjudicate::ReviewLayers;
use crate::review::metrics::Agreement;
use crate::ui::jobs::{Finished, JobKind, JobLost};
use crate::ui::review::import::MergeOutcome;

/// A finished job's result, with what the app needs to act on it. (One
/// value per finished job, moved once: its size does not matter.)
#[allow(clippy::large_enum_variant)]
pub enum JobOutput {
    Saved {
        path: PathBuf,
        /// The session revision the saved snapshot held.
        revision: u64,
        /// What waits for the save (quit, open another project…).
        then: Option<AfterUnsaved>,
        result: SaveResult,
    },
    Opened {
        path: PathBuf,
        kind: OpenKind,
        result: OpenResult,
    },
    Texts {
        /// Start a new project from them (else add them).
        new_project: bool,
        result: TextsResult,
    },
    /// The import dialog's files, read and checked.
    Imported(Result<Vec<ImportedDoc>, String>),
    /// A colleague's project, read and merged against `revision`.
    Colleague {
        file: String,
        revision: u64,
        outcome: MergeOutcome,
    },
    Exported(Result<ExportSummary, String>),
    /// Agreement figures for (revision, layers).
    Agreement {
        key: (u64, ReviewLayers),
        report: Agreement,
    },
    Autosaved(std::io::Result<PathBuf>),
    /// File → Export picture…: what was written, or why not.
    Picture(Result<String, String>),
}

impl SpanmarkApp {
    /// Acts on every job that ended since the last frame.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        for finished in self.jobs.take_finished(ctx) {
            self.on_job_finished(ctx, finished);
        }
        // A save asked for while an open, a text import or a colleague's
        // merge held the project file starts once the file is free.
        if !self.jobs.project_file_busy()
            && let Some((path, then)) = self.queued_save.take()
        {
            self.start_save(ctx, path, then, true);
        }
    }

    fn on_job_finished(&mut self, ctx: &egui::Context, finished: Finished<JobOutput>) {
        let for_another_project = finished.epoch != self.jobs.epoch();
        if for_another_project
            && matches!(
                finished.kind,
                JobKind::Agreement | JobKind::ImportAnnotations | JobKind::ImportColleague
            )
        {
            if finished.kind != JobKind::Agreement {
                self.set_status(
                    ctx,
                    format!(
                        "{} finished for the project open before; nothing was added here",
                        finished.label
                    ),
                );
            }
            return;
        }
        let output = match finished.output {
            Ok(output) => output,
            Err(JobLost) => return self.on_job_lost(ctx, finished.kind, &finished.label),
        };
        match output {
            JobOutput::Saved {
                path,
                revision,
                then,
                result,
            } => self.finish_save(ctx, path, revision, then, result),
            JobOutput::Opened { path, kind, result } => self.finish_open(ctx, path, kind, result),
            JobOutput::Texts {
                new_project: true,
                result,
            } => self.finish_new_from_texts(ctx, result),
            JobOutput::Texts {
                new_project: false,
                result,
            } => self.finish_add_texts(ctx, result),
            JobOutput::Imported(read) => crate::ui::import_dialog::finish(self, ctx, read),
            JobOutput::Colleague {
                file,
                revision,
                outcome,
            } => crate::ui::review::import::finish(self, ctx, file, revision, outcome),
            JobOutput::Exported(result) => crate::ui::export_dialog::finish(self, result),
            JobOutput::Agreement { key, report } => self.ui.review.agreement = Some((key, report)),
            JobOutput::Autosaved(result) => super::super::autosave::finish(self, result),
            JobOutput::Picture(Ok(message)) => self.set_status(ctx, message),
            JobOutput::Picture(Err(message)) => self.push_dialog(Dialog::Error {
                title: "Could not export the picture".into(),
                message,
            }),
        }
    }

    /// A worker ended without an answer (it panicked). Nothing it was
    /// writing replaced a file: saves rename only after a complete write.
    fn on_job_lost(&mut self, ctx: &egui::Context, kind: JobKind, label: &str) {
        let message = format!("{label} stopped unexpectedly.");
        match kind {
            JobKind::SaveProject => {
                // Nothing waits for a save that did not happen (a save asked
                // for meanwhile still runs, from the next frame).
                self.close_after_save = false;
                self.push_dialog(Dialog::Error {
                    title: "Could not save".into(),
                    message: format!(
                        "{message} The file on disk was not changed. Your work is still open \
                         here and nothing was lost. Try Save As… to another folder."
                    ),
                });
            }
            JobKind::OpenProject | JobKind::ReadTexts | JobKind::ImportColleague => {
                self.push_dialog(Dialog::Error {
                    title: "Could not finish".into(),
                    message: format!("{message} The project on screen was not changed."),
                });
            }
            JobKind::ImportAnnotations => self.ui.import.result = Some(Err(message)),
            JobKind::Export => self.ui.export.result = Some(Err(message)),
            JobKind::Picture => self.push_dialog(Dialog::Error {
                title: "Could not export the picture".into(),
                message,
            }),
            JobKind::Agreement => self.set_status(ctx, message),
            JobKind::Autosave => {
                self.autosave.last_error = Some(format!("Autosave failed: {message}"))
            }
        }
    }
}
