//! One registry for every piece of work that runs on a worker thread:
//! opening and saving projects, reading text files, imports, exports, the
//! agreement figures and autosave. Each job has a kind (which says whether
//! it blocks editing and can be cancelled), a label for the status bar, a
//! progress value with a cancel flag, and a result. The app takes finished
//! results once per frame and acts on them in one place; tests wait for
//! [`Jobs::is_idle`] instead of counting frames.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use eframe::egui;

use crate::io::JobProgress;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    OpenProject,
    SaveProject,
    ReadTexts,
    ImportAnnotations,
    ImportColleague,
    Export,
    /// File → Export picture…
    Picture,
    Agreement,
    Autosave,
}

impl JobKind {
    /// Work that replaces or extends the project on screen: the project
    /// must not be edited meanwhile. (A save, an export or the agreement
    /// figures work on a snapshot instead.)
    pub fn blocks_editing(self) -> bool {
        matches!(
            self,
            JobKind::OpenProject | JobKind::ReadTexts | JobKind::ImportColleague
        )
    }

    /// Whether the worker checks the cancel flag.
    pub fn cancellable(self) -> bool {
        matches!(self, JobKind::OpenProject | JobKind::ImportColleague)
    }

    /// Whether a progress bar follows the job (the window then repaints
    /// while it runs). Autosave is quick and silent; the agreement window
    /// has its own spinner. Every job wakes the window when it ends.
    pub fn shows_progress(self) -> bool {
        !matches!(self, JobKind::Autosave | JobKind::Agreement)
    }

    /// Whether the job works on the project file (open, save, merge): at
    /// most one of these runs at a time.
    pub fn uses_project_file(self) -> bool {
        matches!(
            self,
            JobKind::OpenProject
                | JobKind::SaveProject
                | JobKind::ReadTexts
                | JobKind::ImportColleague
        )
    }
}

/// Wakes the window when dropped (a worker ending, or unwinding).
struct RepaintWhenDone(egui::Context);

impl Drop for RepaintWhenDone {
    fn drop(&mut self) {
        self.0.request_repaint();
    }
}

/// A job's handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobId(u64);

/// The worker ended without an answer (it panicked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobLost;

/// A job that ended, with what it produced.
pub struct Finished<R> {
    pub id: JobId,
    pub kind: JobKind,
    pub label: String,
    /// The epoch the job was started in (see [`Jobs::new_epoch`]).
    pub epoch: u64,
    pub output: Result<R, JobLost>,
}

/// A running job as the status bar and the progress windows see it.
pub struct JobView<'a> {
    pub id: JobId,
    pub kind: JobKind,
    pub label: &'a str,
    pub progress: &'a JobProgress,
}

struct Running<R> {
    id: JobId,
    kind: JobKind,
    epoch: u64,
    label: String,
    progress: Arc<JobProgress>,
    rx: Receiver<R>,
}

/// Every job running, producing results of type `R`.
pub struct Jobs<R> {
    next_id: u64,
    running: Vec<Running<R>>,
    /// Counts the projects shown: a job started for an earlier one is told
    /// apart when it ends (its figures or imports are not for this one).
    epoch: u64,
}

impl<R> Default for Jobs<R> {
    fn default() -> Self {
        Jobs {
            next_id: 0,
            running: Vec::new(),
            epoch: 0,
        }
    }
}

impl<R: Send + 'static> Jobs<R> {
    /// Runs `work` on a new thread. The worker gets the job's progress (to
    /// advance and to check for cancelling); the window is woken when it ends.
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        kind: JobKind,
        label: impl Into<String>,
        work: impl FnOnce(&Arc<JobProgress>) -> R + Send + 'static,
    ) -> JobId {
        let id = JobId(self.next_id);
        self.next_id += 1;
        let progress = JobProgress::new();
        let (tx, rx) = channel();
        let worker_progress = progress.clone();
        let repaint = RepaintWhenDone(ctx.clone());
        std::thread::spawn(move || {
            // Dropped at the end, also when `work` panics: the window wakes
            // and reports the job either way.
            let _repaint = repaint;
            let _ = tx.send(work(&worker_progress));
        });
        self.running.push(Running {
            id,
            kind,
            epoch: self.epoch,
            label: label.into(),
            progress,
            rx,
        });
        ctx.request_repaint();
        id
    }
}

impl<R> Jobs<R> {
    /// Takes the jobs that ended since the last call, in the order they
    /// were started. While a job with a progress bar runs, the window is
    /// asked to repaint soon so that its progress moves.
    pub fn take_finished(&mut self, ctx: &egui::Context) -> Vec<Finished<R>> {
        let mut finished = Vec::new();
        let mut i = 0;
        while i < self.running.len() {
            let output = match self.running[i].rx.try_recv() {
                Ok(output) => Ok(output),
                Err(TryRecvError::Empty) => {
                    i += 1;
                    continue;
                }
                Err(TryRecvError::Disconnected) => Err(JobLost),
            };
            let job = self.running.remove(i);
            finished.push(Finished {
                id: job.id,
                kind: job.kind,
                label: job.label,
                epoch: job.epoch,
                output,
            });
        }
        if self.running.iter().any(|j| j.kind.shows_progress()) {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        finished
    }

    /// Another project is shown from now on: jobs started before belong to
    /// the last one.
    pub fn new_epoch(&mut self) {
        self.epoch += 1;
    }

    /// The current epoch (see [`Self::new_epoch`]).
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// No job is running.
    pub fn is_idle(&self) -> bool {
        self.running.is_empty()
    }

    pub fn is_running(&self, kind: JobKind) -> bool {
        self.running.iter().any(|j| j.kind == kind)
    }

    pub fn is_running_id(&self, id: JobId) -> bool {
        self.running.iter().any(|j| j.id == id)
    }

    /// Whether a running job forbids editing the project now.
    pub fn blocks_editing(&self) -> bool {
        self.running.iter().any(|j| j.kind.blocks_editing())
    }

    /// Whether a job works on the project file now (see [`JobKind::uses_project_file`]).
    pub fn project_file_busy(&self) -> bool {
        self.running.iter().any(|j| j.kind.uses_project_file())
    }

    /// The running jobs, oldest first.
    pub fn running(&self) -> impl Iterator<Item = JobView<'_>> {
        self.running.iter().map(|j| JobView {
            id: j.id,
            kind: j.kind,
            label: &j.label,
            progress: &j.progress,
        })
    }

    /// The oldest running job of `kind`.
    pub fn find(&self, kind: JobKind) -> Option<JobView<'_>> {
        self.running().find(|j| j.kind == kind)
    }

    /// Asks a job to stop (if its kind checks the flag).
    pub fn cancel(&self, id: JobId) {
        if let Some(job) = self.running.iter().find(|j| j.id == id) {
            job.progress.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::sync_channel;

    /// Takes finished jobs until `count` have ended (workers are real threads).
    fn wait(jobs: &mut Jobs<u32>, ctx: &egui::Context, count: usize) -> Vec<Finished<u32>> {
        let mut all = Vec::new();
        while all.len() < count {
            all.extend(jobs.take_finished(ctx));
            std::thread::yield_now();
        }
        all
    }

    #[test]
    fn a_job_runs_reports_progress_and_hands_back_its_result() {
        let ctx = egui::Context::default();
        let mut jobs = Jobs::default();
        let (go, wait_for_go) = sync_channel::<()>(0);
        let id = jobs.spawn(&ctx, JobKind::OpenProject, "Opening a.json", move |p| {
            p.stage("Reading", 10);
            p.advance(5);
            let _ = wait_for_go.recv();
            42
        });
        assert!(jobs.is_running(JobKind::OpenProject) && jobs.is_running_id(id));
        assert!(jobs.blocks_editing() && jobs.project_file_busy());
        let view = jobs.find(JobKind::OpenProject).unwrap();
        assert_eq!(view.label, "Opening a.json");
        jobs.cancel(id);
        assert!(
            jobs.find(JobKind::OpenProject)
                .unwrap()
                .progress
                .is_cancelled()
        );
        go.send(()).unwrap();
        let done = wait(&mut jobs, &ctx, 1);
        assert_eq!(done[0].output, Ok(42));
        assert_eq!(done[0].kind, JobKind::OpenProject);
        assert!(jobs.is_idle());
    }

    #[test]
    fn a_worker_that_panics_is_reported_lost_not_forgotten() {
        let ctx = egui::Context::default();
        let mut jobs: Jobs<u32> = Jobs::default();
        jobs.spawn(&ctx, JobKind::Export, "Exporting", |_| {
            panic!("disk on fire")
        });
        let done = wait(&mut jobs, &ctx, 1);
        assert_eq!(done[0].output, Err(JobLost));
        assert!(jobs.is_idle());
    }

    #[test]
    fn a_job_started_for_an_earlier_project_is_told_apart() {
        let ctx = egui::Context::default();
        let mut jobs: Jobs<u32> = Jobs::default();
        jobs.spawn(&ctx, JobKind::Agreement, "Computing agreement", |_| 1);
        jobs.new_epoch();
        jobs.spawn(&ctx, JobKind::Agreement, "Computing agreement", |_| 2);
        let mut done = wait(&mut jobs, &ctx, 2);
        done.sort_by_key(|f| f.epoch);
        assert_eq!((done[0].epoch, done[0].output), (0, Ok(1)));
        assert_eq!((done[1].epoch, done[1].output), (1, Ok(2)));
        assert_eq!(jobs.epoch(), 1);
    }

    #[test]
    fn a_save_blocks_no_editing_but_holds_the_project_file() {
        assert!(!JobKind::SaveProject.blocks_editing());
        assert!(JobKind::SaveProject.uses_project_file());
        assert!(!JobKind::Agreement.uses_project_file());
        assert!(!JobKind::Autosave.blocks_editing());
    }
}
