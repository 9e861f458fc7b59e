//! Opening and saving a project on a worker thread, so that a large project
//! never freezes the window: frames keep coming, the analyst sees progress,
//! and an open can be cancelled. A save works on a snapshot of the project
//! (a cheap clone: texts and layers are shared until edited), so editing can
//! go on while it is written.

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;

use super::job_output::JobOutput;
use super::{AfterUnsaved, Dialog, SpanmarkApp, clock_time};
use crate::io::lock::ProjectLock;
use crate::io::recovery::{discard_recovery, pending_recovery};
use crate::io::text_import::{ImportedText, TextImportError, documents_from_files};
use crate::io::{
    DiskStamp, JobProgress, LoadError, SaveCheck, SaveError, load_project_with,
    save_project_checked,
};
use crate::model::{Document, Project, Session};
use crate::ui::jobs::JobKind;
use std::time::Duration;

/// What an open does with the project once it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenKind {
    /// A project file: it becomes the file this window edits.
    Project,
    /// An autosaved recovery copy. With `keep_path` the copy replaces the
    /// work on the current project file (saved over it on the next save);
    /// otherwise it opens as an untitled project.
    Recovery { keep_path: bool },
}

/// A save's stamp, and the lock it was written under (kept: this window
/// now edits that file).
pub type SaveResult = Result<(DiskStamp, Arc<ProjectLock>), SaveError>;

/// Documents read from text files, and what was found in each.
pub type TextsResult = Result<(Vec<Document>, Vec<ImportedText>), TextImportError>;

/// A project read from disk with its stamp.
pub type OpenResult = Result<(Project, DiskStamp), LoadError>;

impl SpanmarkApp {
    /// True while a project is opened, saved, read from text files or
    /// merged on a worker.
    pub fn project_work_running(&self) -> bool {
        self.jobs.project_file_busy()
    }

    /// Starts writing the project to `path` on a worker; `then` runs after
    /// it is saved. A save asked for while another runs waits for it. With
    /// `check_disk`, a file that another program changed since it was read
    /// is not overwritten (checked again under the lock).
    pub(super) fn start_save(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        then: Option<AfterUnsaved>,
        check_disk: bool,
    ) {
        if self.jobs.project_file_busy() {
            self.queued_save = Some((path, then));
            self.set_status(
                ctx,
                "Saving as soon as the current work on the project file is done",
            );
            return;
        }
        let snapshot = self.session.project.clone();
        let worker_path = path.clone();
        let held = self.access.lock_for(&path);
        let holder = self.lock_holder();
        let expected = self
            .disk_stamp
            .clone()
            .filter(|_| check_disk && self.path.as_ref() == Some(&path));
        let revision = self.session.revision();
        let label = format!("Saving {}", file_name(&path));
        self.jobs
            .spawn(ctx, JobKind::SaveProject, label, move |progress| {
                let result = (|| -> SaveResult {
                    let lock = match held {
                        Some(lock) => lock,
                        None => Arc::new(ProjectLock::acquire(
                            &worker_path,
                            &holder,
                            Duration::from_secs(2),
                        )?),
                    };
                    let check = SaveCheck {
                        lock: Some(&lock),
                        expected: expected.as_ref(),
                        must_be_new: false,
                        max_bytes: None,
                    };
                    let stamp = save_project_checked(&snapshot, &worker_path, &check, progress)?;
                    Ok((stamp, lock))
                })();
                JobOutput::Saved {
                    path,
                    revision,
                    then,
                    result,
                }
            });
    }

    /// Starts reading a project on a worker; the window shows its progress
    /// and a Cancel button until it is done.
    pub(super) fn start_open(&mut self, ctx: &egui::Context, path: PathBuf, kind: OpenKind) {
        if self.jobs.project_file_busy() {
            self.set_status(ctx, "Wait for the current save or open to finish");
            return;
        }
        let label = format!("Opening {}", file_name(&path));
        self.jobs
            .spawn(ctx, JobKind::OpenProject, label, move |progress| {
                let result = load_project_with(&path, progress);
                JobOutput::Opened { path, kind, result }
            });
    }

    /// Starts reading text files on a worker, to add them as documents (or
    /// to start a new project from them).
    pub(super) fn start_texts(
        &mut self,
        ctx: &egui::Context,
        paths: Vec<PathBuf>,
        new_project: bool,
    ) {
        if self.jobs.project_file_busy() {
            self.set_status(ctx, "Wait for the current save or open to finish");
            return;
        }
        // Ids are made unique against the project the documents join.
        let base = if new_project {
            Project::new(crate::model::LabelSchema::default())
        } else {
            self.session.project.clone()
        };
        let label = match paths.len() {
            1 => "Reading 1 text file".to_string(),
            n => format!("Reading {n} text files"),
        };
        self.jobs
            .spawn(ctx, JobKind::ReadTexts, label, move |progress| {
                progress.stage("Reading and decoding the text files", 0);
                JobOutput::Texts {
                    new_project,
                    result: documents_from_files(&base, &paths),
                }
            });
    }

    pub(super) fn finish_save(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        revision: u64,
        then: Option<AfterUnsaved>,
        result: SaveResult,
    ) {
        let then = match std::mem::take(&mut self.close_after_save) {
            true if result.is_ok() => Some(AfterUnsaved::Quit),
            _ => then,
        };
        match result {
            Ok((stamp, lock)) => {
                // A file read in an older format is written in the current one.
                let upgraded = self
                    .disk_stamp
                    .as_ref()
                    .filter(|_| self.path.as_deref() == Some(path.as_path()))
                    .and_then(|old| old.format_version)
                    .filter(|&v| stamp.format_version.is_some_and(|now| v < now));
                let note = match (upgraded, stamp.format_version) {
                    (Some(old), Some(now)) => format!(
                        " (upgraded from format version {old} to {now}: Spanmark builds before version {now} cannot open it)"
                    ),
                    _ => String::new(),
                };
                self.disk_stamp = Some(stamp);
                self.access = super::project_access::ProjectAccess::Editing(lock);
                self.session.mark_saved(revision);
                self.set_status(ctx, format!("Saved {}{note}", path.display()));
                self.ui.saved_at = Some(clock_time());
                // Edits made while the snapshot was written are not in the file.
                let edited_meanwhile = self.session.is_dirty();
                if let Some(dirs) = &self.dirs
                    && !edited_meanwhile
                {
                    // The work is on disk now: its recovery copies are no longer needed.
                    discard_recovery(&dirs.recovery_dir, self.path.as_deref());
                    discard_recovery(&dirs.recovery_dir, Some(&path));
                }
                self.settings.remember(&path);
                self.path = Some(path.clone());
                if let Some((queued, queued_then)) = self.queued_save.take() {
                    // The later save keeps what this one was waited on for.
                    self.start_save(ctx, queued, queued_then.or(then), true);
                } else if let Some(then) = then {
                    if edited_meanwhile {
                        // Quitting or opening another project now would drop
                        // those edits: save them first, then go on.
                        self.start_save(ctx, path, Some(then), true);
                    } else {
                        self.continue_after_unsaved(ctx, then);
                    }
                }
            }
            Err(SaveError::ChangedOnDisk { .. }) => {
                // Another program wrote the file since it was read: ask. A
                // save asked for meanwhile (Save As elsewhere) still runs.
                self.push_dialog(Dialog::ChangedOnDisk { path, then });
            }
            Err(e) => {
                self.push_dialog(Dialog::Error {
                    title: "Could not save".into(),
                    message: format!(
                        "{e}\n\nYour work is still open here and nothing was lost. Try Save As… to another folder."
                    ),
                });
            }
        }
    }

    pub(super) fn finish_open(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        kind: OpenKind,
        result: OpenResult,
    ) {
        match (result, kind) {
            (Ok((project, stamp)), OpenKind::Project) => {
                let annotator = self.session.annotator().to_string();
                self.replace_session(Session::new(project, annotator));
                self.disk_stamp = Some(stamp);
                self.settings.remember(&path);
                self.set_status(ctx, format!("Opened {}", path.display()));
                self.path = Some(path.clone());
                // The lock is taken after the read: a save in between is
                // caught by the changed-on-disk check under the lock.
                self.take_access(Some(ctx));
                // An autosaved copy newer than the file means work was lost
                // in a crash: offer it.
                if let Some(dirs) = &self.dirs
                    && let Some(entry) = pending_recovery(&dirs.recovery_dir, Some(&path))
                {
                    self.push_dialog(Dialog::Recovery { entry });
                }
                self.path = Some(path);
            }
            (Ok((project, _)), OpenKind::Recovery { keep_path }) => {
                let annotator = self.session.annotator().to_string();
                self.replace_session(Session::new(project, annotator));
                self.session.mark_unsaved();
                if !keep_path {
                    self.path = None;
                    self.disk_stamp = None;
                    self.access = Default::default();
                }
                self.set_status(ctx, "Restored the autosaved copy; save to keep it");
            }
            (Err(LoadError::Cancelled), _) => {
                self.set_status(ctx, format!("Did not open {}", path.display()));
            }
            (Err(e), OpenKind::Project) => {
                self.push_dialog(Dialog::Error {
                    title: "Could not open the project".into(),
                    message: format!("{}:\n{}", path.display(), e.lines().join("\n")),
                });
            }
            (Err(e), OpenKind::Recovery { .. }) => {
                self.push_dialog(Dialog::Error {
                    title: "The recovered copy cannot be read".into(),
                    message: format!("{}: {}", path.display(), e.lines().join("\n")),
                });
            }
        }
    }
}

/// A file's name for messages ("big.spanmark.json"), else its whole path.
pub(crate) fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// While a job that blocks editing runs (opening a project, reading text
/// files, merging a colleague's project): a modal with its progress, and a
/// Cancel button when the job can stop. A save shows in the status bar.
pub fn show_blocking_progress(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(job) = app.jobs.running().find(|j| j.kind.blocks_editing()) else {
        return;
    };
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique("blocking-job")).show(ctx, |ui| {
        ui.set_min_width(360.0);
        ui.heading(job.label);
        ui.label(job.progress.stage_name());
        progress_bar(ui, job.progress);
        cancel = job.kind.cancellable() && ui.button("Cancel").clicked();
    });
    if cancel {
        app.jobs.cancel(job.id);
    }
}

/// A progress bar for a job stage: filled when the stage has a measure,
/// animated otherwise.
pub fn progress_bar(ui: &mut egui::Ui, progress: &JobProgress) {
    match progress.fraction() {
        Some(f) => ui.add(egui::ProgressBar::new(f).show_percentage()),
        None => ui.add(egui::ProgressBar::new(0.0).animate(true)),
    };
}
