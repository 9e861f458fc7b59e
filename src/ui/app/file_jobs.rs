//! Opening and saving a project on a worker thread, so that a large project
//! never freezes the window: frames keep coming, the analyst sees progress,
//! and an open can be cancelled. A save works on a snapshot of the project
//! (a cheap clone: texts and layers are shared until edited), so editing can
//! go on while it is written.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use eframe::egui;

use super::{AfterUnsaved, Dialog, SpanmarkApp, clock_time};
use crate::io::lock::ProjectLock;
use crate::io::recovery::{discard_recovery, pending_recovery};
use crate::io::text_import::{ImportedText, TextImportError, documents_from_files};
use crate::io::{
    DiskStamp, JobProgress, LoadError, SaveCheck, SaveError, load_project_with,
    save_project_checked,
};
use crate::model::{Document, Project, Session};
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

/// A save or open running on a worker.
pub enum FileJob {
    Save {
        path: PathBuf,
        /// The session revision the snapshot holds.
        revision: u64,
        /// What to do once it is saved (quit, open another project…).
        then: Option<AfterUnsaved>,
        progress: Arc<JobProgress>,
        rx: Receiver<SaveResult>,
    },
    Open {
        path: PathBuf,
        kind: OpenKind,
        progress: Arc<JobProgress>,
        rx: Receiver<Result<(Project, DiskStamp), LoadError>>,
    },
    /// Text files read and decoded, to add to the project (or, with
    /// `new_project`, to start a new one).
    Texts {
        count: usize,
        new_project: bool,
        progress: Arc<JobProgress>,
        rx: Receiver<TextsResult>,
    },
}

/// A save's stamp, and the lock it was written under (kept: this window
/// now edits that file).
type SaveResult = Result<(DiskStamp, Arc<ProjectLock>), SaveError>;

type TextsResult = Result<(Vec<Document>, Vec<ImportedText>), TextImportError>;

impl FileJob {
    pub fn progress(&self) -> &JobProgress {
        match self {
            FileJob::Save { progress, .. }
            | FileJob::Open { progress, .. }
            | FileJob::Texts { progress, .. } => progress,
        }
    }
    /// True for work that replaces or extends the project on screen, which
    /// must not be edited meanwhile (a save works on a snapshot instead).
    pub fn blocks_editing(&self) -> bool {
        !matches!(self, FileJob::Save { .. })
    }
}

impl SpanmarkApp {
    /// True while a project is being opened or saved.
    pub fn file_job_running(&self) -> bool {
        self.file_job.is_some()
    }

    /// True while a project is opened, saved or merged on a worker.
    pub fn project_work_running(&self) -> bool {
        self.file_job.is_some() || self.ui.review.import_job.is_some()
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
        if self.file_job.is_some() {
            self.queued_save = Some((path, then));
            self.set_status(ctx, "Saving again once the current save is done");
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
        let (progress, rx) = spawn_worker(ctx, move |progress| {
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
        });
        self.file_job = Some(FileJob::Save {
            path,
            revision: self.session.revision(),
            then,
            progress,
            rx,
        });
        ctx.request_repaint();
    }

    /// Starts reading a project on a worker; the window shows its progress
    /// and a Cancel button until it is done.
    pub(super) fn start_open(&mut self, ctx: &egui::Context, path: PathBuf, kind: OpenKind) {
        if self.file_job.is_some() {
            self.set_status(ctx, "Wait for the current save or open to finish");
            return;
        }
        let worker_path = path.clone();
        let (progress, rx) = spawn_worker(ctx, move |progress| {
            load_project_with(&worker_path, progress)
        });
        self.file_job = Some(FileJob::Open {
            path,
            kind,
            progress,
            rx,
        });
        ctx.request_repaint();
    }

    /// Starts reading text files on a worker, to add them as documents (or
    /// to start a new project from them).
    pub(super) fn start_texts(
        &mut self,
        ctx: &egui::Context,
        paths: Vec<PathBuf>,
        new_project: bool,
    ) {
        if self.file_job.is_some() {
            self.set_status(ctx, "Wait for the current save or open to finish");
            return;
        }
        // Ids are made unique against the project the documents join.
        let base = if new_project {
            Project::new(crate::model::LabelSchema::default())
        } else {
            self.session.project.clone()
        };
        let count = paths.len();
        let (progress, rx) = spawn_worker(ctx, move |progress| {
            progress.stage("Reading and decoding the text files", 0);
            documents_from_files(&base, &paths)
        });
        self.file_job = Some(FileJob::Texts {
            count,
            new_project,
            progress,
            rx,
        });
        ctx.request_repaint();
    }

    /// Called every frame: finishes a job whose worker is done.
    pub(super) fn poll_file_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.file_job else { return };
        let finished = match job {
            FileJob::Save { rx, .. } => match rx.try_recv() {
                Ok(r) => Some(Finished::Save(r)),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => Some(Finished::Save(Err(lost_worker()))),
            },
            FileJob::Texts { rx, .. } => match rx.try_recv() {
                Ok(r) => Some(Finished::Texts(r)),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => {
                    Some(Finished::Texts(Err(TextImportError::Io {
                        path: String::new(),
                        error: std::io::Error::other("reading stopped unexpectedly"),
                    })))
                }
            },
            FileJob::Open { rx, .. } => match rx.try_recv() {
                Ok(r) => Some(Finished::Open(r)),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => Some(Finished::Open(Err(LoadError::Io {
                    path: PathBuf::new(),
                    error: std::io::Error::other("reading stopped unexpectedly"),
                }))),
            },
        };
        let Some(finished) = finished else {
            // Keep polling (the worker also wakes the window when it ends).
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        let Some(job) = self.file_job.take() else {
            return;
        };
        match (job, finished) {
            (
                FileJob::Save {
                    path,
                    revision,
                    then,
                    ..
                },
                Finished::Save(result),
            ) => self.finish_save(ctx, path, revision, then, result),
            (FileJob::Open { path, kind, .. }, Finished::Open(result)) => {
                self.finish_open(ctx, path, kind, result)
            }
            (FileJob::Texts { new_project, .. }, Finished::Texts(result)) => {
                if new_project {
                    self.finish_new_from_texts(ctx, result);
                } else {
                    self.finish_add_texts(ctx, result);
                }
            }
            _ => {}
        }
    }

    fn finish_save(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        revision: u64,
        then: Option<AfterUnsaved>,
        result: SaveResult,
    ) {
        match result {
            Ok((stamp, lock)) => {
                self.disk_stamp = Some(stamp);
                self.access = super::project_access::ProjectAccess::Editing(lock);
                self.session.mark_saved(revision);
                self.set_status(ctx, format!("Saved {}", path.display()));
                self.ui.saved_at = Some(clock_time());
                if let Some(dirs) = &self.dirs {
                    // The work is on disk now: its recovery copies are no longer needed.
                    discard_recovery(&dirs.recovery_dir, self.path.as_deref());
                    discard_recovery(&dirs.recovery_dir, Some(&path));
                }
                self.settings.remember(&path);
                self.path = Some(path);
                if let Some((path, then)) = self.queued_save.take() {
                    self.start_save(ctx, path, then, true);
                } else if let Some(then) = then {
                    self.continue_after_unsaved(ctx, then);
                }
            }
            Err(SaveError::ChangedOnDisk { .. }) => {
                // Another program wrote the file since it was read: ask.
                self.queued_save = None;
                self.push_dialog(Dialog::ChangedOnDisk { path, then });
            }
            Err(e) => {
                self.queued_save = None;
                self.ui.dialog = Some(Dialog::Error {
                    title: "Could not save".into(),
                    message: format!(
                        "{e}\n\nYour work is still open here and nothing was lost. Try Save As… to another folder."
                    ),
                });
            }
        }
    }

    fn finish_open(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        kind: OpenKind,
        result: Result<(Project, DiskStamp), LoadError>,
    ) {
        match (result, kind) {
            (Ok((project, stamp)), OpenKind::Project) => {
                let annotator = self.session.annotator.clone();
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
                let annotator = self.session.annotator.clone();
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
                self.ui.dialog = Some(Dialog::Error {
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

/// Runs `work` on a new thread with a fresh progress, and wakes the window
/// when it ends; the answer arrives on the returned channel.
pub(crate) fn spawn_worker<T: Send + 'static>(
    ctx: &egui::Context,
    work: impl FnOnce(&JobProgress) -> T + Send + 'static,
) -> (Arc<JobProgress>, Receiver<T>) {
    let progress = JobProgress::new();
    let (tx, rx) = channel();
    let worker_progress = progress.clone();
    let repaint = ctx.clone();
    std::thread::spawn(move || {
        let _ = tx.send(work(&worker_progress));
        repaint.request_repaint();
    });
    (progress, rx)
}

enum Finished {
    Save(SaveResult),
    Open(Result<(Project, DiskStamp), LoadError>),
    Texts(TextsResult),
}

/// The save worker ended without an answer (it panicked): nothing was renamed
/// over the project file, so the old file is intact.
fn lost_worker() -> SaveError {
    SaveError::io(
        &PathBuf::new(),
        std::io::Error::other("the save stopped unexpectedly; the file on disk was not changed"),
    )
}

/// While a project opens: a modal with its progress and a Cancel button.
/// While one saves: a small progress line in the status bar (see there).
pub fn show_open_progress(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let (heading, cancellable) = match &app.file_job {
        Some(FileJob::Open { path, .. }) => {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            (format!("Opening {name}"), true)
        }
        Some(FileJob::Texts { count, .. }) => (format!("Reading {count} text file(s)"), false),
        _ => return,
    };
    let Some(job) = &app.file_job else { return };
    let progress = job.progress();
    egui::Modal::new(egui::Id::unique("opening-project")).show(ctx, |ui| {
        ui.set_min_width(360.0);
        ui.heading(heading);
        ui.label(progress.stage_name());
        progress_bar(ui, progress);
        if cancellable && ui.button("Cancel").clicked() {
            progress.cancel();
        }
    });
}

/// A progress bar for a job stage: filled when the stage has a measure,
/// animated otherwise.
pub fn progress_bar(ui: &mut egui::Ui, progress: &JobProgress) {
    match progress.fraction() {
        Some(f) => ui.add(egui::ProgressBar::new(f).show_percentage()),
        None => ui.add(egui::ProgressBar::new(0.0).animate(true)),
    };
}
