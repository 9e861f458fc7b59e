//! Progress of a long job on a worker thread: the worker advances it, the UI
//! reads it every frame, and the UI may ask the worker to stop.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Shared between one worker and the UI (wrap it in an `Arc`).
#[derive(Debug, Default)]
pub struct JobProgress {
    done: AtomicU64,
    total: AtomicU64,
    stage: Mutex<&'static str>,
    cancelled: AtomicBool,
}

impl JobProgress {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Starts a stage of `total` units (0: no measure, shown as busy).
    pub fn stage(&self, name: &'static str, total: u64) {
        if let Ok(mut s) = self.stage.lock() {
            *s = name;
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// `n` more units of the current stage are done.
    pub fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// What the worker is doing, for the progress label.
    pub fn stage_name(&self) -> &'static str {
        self.stage.lock().map(|s| *s).unwrap_or("")
    }

    /// Share of the current stage done, if it has a measure.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.total.load(Ordering::Relaxed);
        (total > 0)
            .then(|| (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32)
    }

    /// (done, total) units of the current stage, for "3 of 10 documents".
    pub fn counts(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// Asks the worker to stop at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_reset_the_count_and_fraction_is_capped() {
        let p = JobProgress::new();
        assert_eq!(p.fraction(), None);
        p.stage("Reading", 200);
        p.advance(50);
        assert_eq!((p.stage_name(), p.fraction()), ("Reading", Some(0.25)));
        p.advance(500);
        assert_eq!(p.fraction(), Some(1.0));
        p.stage("Checking", 0);
        assert_eq!((p.stage_name(), p.fraction()), ("Checking", None));
        assert!(!p.is_cancelled());
        p.cancel();
        assert!(p.is_cancelled());
    }
}
