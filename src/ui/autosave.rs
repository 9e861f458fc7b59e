//! Autosave: while there are unsaved changes, a recovery copy is written to
//! the OS data folder every interval. A snapshot of the project (a cheap
//! clone: texts and layers are shared) is serialized and written on a worker
//! thread, so a large project does not stall the window.

use std::path::PathBuf;

use eframe::egui;

use super::app::SpanmarkApp;
use super::app::job_output::JobOutput;
use super::jobs::JobKind;
use crate::io::recovery::write_recovery;
use crate::io::to_json_bytes;

/// Seconds between autosaves.
pub const AUTOSAVE_SECONDS: f64 = 30.0;

pub struct Autosave {
    pub interval: f64,
    /// App time of the last write started.
    last_start: Option<f64>,
    /// Revision in the last copy written (or being written).
    written_revision: Option<u64>,
    /// Wall-clock time of the last good autosave, for the status bar.
    pub last_written: Option<String>,
    pub last_error: Option<String>,
}

impl Default for Autosave {
    fn default() -> Self {
        Autosave {
            interval: AUTOSAVE_SECONDS,
            last_start: None,
            written_revision: None,
            last_written: None,
            last_error: None,
        }
    }
}

/// Records a finished write (called by the app's job poller).
pub fn finish(app: &mut SpanmarkApp, result: std::io::Result<PathBuf>) {
    match result {
        Ok(_) => {
            app.autosave.last_written = Some(super::app::clock_time());
            app.autosave.last_error = None;
        }
        Err(e) => app.autosave.last_error = Some(format!("Autosave failed: {e}")),
    }
}

/// Called every frame: starts a write when one is due.
pub fn tick(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(dirs) = app.dirs.clone() else { return };
    let now = ctx.input(|i| i.time);
    if app.jobs.is_running(JobKind::Autosave) {
        return;
    }
    let revision = app.session.revision();
    let needed = app.session.is_dirty() && app.autosave.written_revision != Some(revision);
    if !needed {
        return;
    }
    // The first copy is written one interval after the app started (not on
    // the first keystroke), later ones one interval after the last.
    let since = now - *app.autosave.last_start.get_or_insert(now);
    if since < app.autosave.interval {
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(
            app.autosave.interval - since,
        ));
        return;
    }
    let snapshot = app.session.project.clone();
    let original = app.path.clone();
    app.jobs
        .spawn(ctx, JobKind::Autosave, "Autosaving", move |_| {
            let bytes = to_json_bytes(&snapshot);
            JobOutput::Autosaved(write_recovery(
                &dirs.recovery_dir,
                original.as_deref(),
                &bytes,
            ))
        });
    app.autosave.last_start = Some(now);
    app.autosave.written_revision = Some(revision);
}
