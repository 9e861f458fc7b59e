//! How a command that changes a project writes it: it takes the project's
//! lock before reading (so no other writer's save can fall between its read
//! and its write), waits for another writer up to `--wait`, and saves under
//! that lock with the changed-on-disk check.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use super::output::errln;
use crate::io::lock::{Holder, ProjectLock, os_user};
use crate::io::{DiskStamp, JobProgress, SaveCheck, load_project_stamped, save_project_checked};
use crate::model::Project;

/// A project held for writing by one command.
pub struct Held {
    /// `None` for a device such as `/dev/full`, which is written in place.
    pub lock: Option<ProjectLock>,
    /// The file as read under the lock (`None`: there was no file yet).
    pub stamp: Option<DiskStamp>,
}

/// Takes the lock on `path` for `spanmark COMMAND`, waiting up to `wait`
/// (nothing to lock for a device, which is written in place).
pub fn lock(path: &Path, command: &str, wait: Duration) -> Result<Option<ProjectLock>> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Ok(None);
    }
    let holder = Holder::this_process(&os_user(), &format!("spanmark {command}"));
    let lock = ProjectLock::acquire(path, &holder, wait)
        .with_context(|| format!("{} was not changed", path.display()))?;
    if let Some(stale) = &lock.taken_over {
        errln!(
            "note: took over the lock on {}: it was left by {stale}, which is no longer running",
            path.display()
        );
    }
    Ok(Some(lock))
}

/// Locks `path`, then reads the project in it; with `create`, a missing
/// file (checked under the lock, so two writers cannot both start one) is
/// a new empty project instead.
pub fn open_or_new(
    path: &Path,
    command: &str,
    wait: Duration,
    create: bool,
) -> Result<(Project, Held)> {
    let lock = lock(path, command, wait)?;
    if create && !path.exists() && std::fs::symlink_metadata(path).is_err() {
        let project = Project::new(crate::model::LabelSchema::default());
        return Ok((project, Held { lock, stamp: None }));
    }
    let (project, stamp) = load_project_stamped(path)
        .with_context(|| format!("{} was not changed", path.display()))?;
    Ok((
        project,
        Held {
            lock,
            stamp: Some(stamp),
        },
    ))
}

/// Locks `path`, then reads the project in it.
pub fn open(path: &Path, command: &str, wait: Duration) -> Result<(Project, Held)> {
    open_or_new(path, command, wait, false)
}

/// Saves under the held lock: over the file as it was read, or as a new
/// file if there was none (a file that appeared meanwhile is not replaced).
pub fn save(project: &Project, path: &Path, held: &Held) -> Result<()> {
    let check = SaveCheck {
        lock: held.lock.as_ref(),
        expected: held.stamp.as_ref(),
        must_be_new: held.stamp.is_none(),
        max_bytes: None,
    };
    save_project_checked(project, path, &check, &JobProgress::default())?;
    Ok(())
}

/// Ends a one-shot command that holds a large project: the process exits
/// right after, so the memory is left to the operating system instead of
/// being freed one document at a time (about a seventh of a 100k-line
/// import). Only for the last step of a CLI command.
pub fn release(project: Project) {
    std::mem::forget(project);
}
