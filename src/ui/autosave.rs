//! Autosave: while there are unsaved changes, a recovery copy is written to
//! the OS data folder every interval. A snapshot of the project (a cheap
//! clone: texts and layers are shared) is serialized and written on a worker
//! thread, so a large project does not stall the window.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use eframe::egui;

use super::app::SpanmarkApp;
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
    worker: Option<Receiver<std::io::Result<PathBuf>>>,
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
            worker: None,
            last_written: None,
            last_error: None,
        }
    }
}

impl Autosave {
    /// True while a copy is being written.
    pub fn busy(&self) -> bool {
        self.worker.is_some()
    }
}

/// Called every frame: collects a finished write and starts a new one when due.
pub fn tick(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(dirs) = app.dirs.clone() else { return };
    let now = ctx.input(|i| i.time);
    if let Some(rx) = &app.autosave.worker {
        match rx.try_recv() {
            Ok(Ok(_)) => {
                app.autosave.worker = None;
                app.autosave.last_written = Some(super::app::clock_time());
                app.autosave.last_error = None;
            }
            Ok(Err(e)) => {
                app.autosave.worker = None;
                app.autosave.last_error = Some(format!("Autosave failed: {e}"));
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => app.autosave.worker = None,
        }
    }
    let revision = app.session.revision();
    let needed = app.session.is_dirty() && app.autosave.written_revision != Some(revision);
    if !needed {
        return;
    }
    let since = app.autosave.last_start.map_or(f64::INFINITY, |t| now - t);
    if since < app.autosave.interval {
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(
            app.autosave.interval - since,
        ));
        return;
    }
    let snapshot = app.session.project.clone();
    let original = app.path.clone();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let bytes = to_json_bytes(&snapshot);
        let _ = tx.send(write_recovery(
            &dirs.recovery_dir,
            original.as_deref(),
            &bytes,
        ));
    });
    app.autosave.worker = Some(rx);
    app.autosave.last_start = Some(now);
    app.autosave.written_revision = Some(revision);
    ctx.request_repaint_after(std::time::Duration::from_millis(100));
}
