//! Writing a project file: deterministic JSON, atomically (temp file,
//! fsync, rename), under the lock, never over a file another program changed,
//! and never a file that load would refuse (the load rules run beside the
//! writing and gate the rename).

use std::fmt;
use std::path::Path;

use super::errors::{Problem, SaveError};
use super::{MAX_FILE_BYTES, validate, write};
use crate::io::atomic::write_atomic_pipelined;
use crate::io::disk_stamp::{DiskChange, DiskStamp};
use crate::io::lock::{Holder, ProjectLock};
use crate::io::progress::JobProgress;
use crate::model::Project;

/// The project as format-version-1 JSON bytes (deterministic).
pub fn to_json_bytes(project: &Project) -> Vec<u8> {
    let mut out = Vec::with_capacity(estimated_size(project));
    // Writing into a Vec cannot fail.
    let _ = write::write_project(&mut out, project, &JobProgress::default());
    out
}

/// A capacity guess for the JSON of `project`, so the buffer rarely regrows.
fn estimated_size(project: &Project) -> usize {
    project
        .documents
        .iter()
        .map(|d| d.text().len() * 11 / 10 + d.span_count() * 160 + 256)
        .sum()
}

/// Saves atomically: the file at `path` is either the old or the new project, never a mix.
/// The file it replaces is kept as `path` + `.bak` (see [`crate::io::atomic::backup_path`]).
/// Takes the project's lock for the write (waiting up to
/// [`lock::DEFAULT_WAIT`](crate::io::lock::DEFAULT_WAIT) for another writer).
pub fn save_project(project: &Project, path: &Path) -> Result<(), SaveError> {
    save_project_stamped(project, path).map(|_| ())
}

/// [`save_project`], returning the [`DiskStamp`] of the file written.
pub fn save_project_stamped(project: &Project, path: &Path) -> Result<DiskStamp, SaveError> {
    save_project_with(project, path, &JobProgress::default())
}

/// [`save_project_stamped`] reporting its progress.
pub fn save_project_with(
    project: &Project,
    path: &Path,
    progress: &JobProgress,
) -> Result<DiskStamp, SaveError> {
    save_project_checked(project, path, &SaveCheck::default(), progress)
}

/// What a save checks before it writes.
#[derive(Debug, Default)]
pub struct SaveCheck<'a> {
    /// The lock this writer already holds; without one that covers the
    /// path, the save takes the lock for the write.
    pub lock: Option<&'a ProjectLock>,
    /// The file as it was read: if it differs now (under the lock), another
    /// program wrote it and the save is refused instead of overwriting it.
    pub expected: Option<&'a DiskStamp>,
    /// The caller made a new project for a file that did not exist: if one
    /// exists now, another writer made it, and it is not replaced.
    pub must_be_new: bool,
    /// The largest file to write; `None`: [`MAX_FILE_BYTES`], what load
    /// reads (a test sets less to check the refusal without a 1 GiB file).
    pub max_bytes: Option<u64>,
}

/// The save every other one goes through. Under the project's lock it
/// checks the project with the rules load applies, checks that the file on
/// disk is still the one read (if `check.expected`), removes temp files
/// that a killed save left, and writes atomically through a symlink to its
/// target. A project that load would refuse, or a file over the size load
/// reads, is never written.
///
/// The JSON is made on one thread and written (and hashed for the stamp) on
/// another, in pieces, so the two overlap instead of adding up. A save is
/// not cancelled: stopping half-way would gain nothing, and the old file
/// stays until the rename. The load-rule check runs on a third thread
/// beside the writing, and the file is only replaced once it passed.
pub fn save_project_checked(
    project: &Project,
    path: &Path,
    check: &SaveCheck<'_>,
    progress: &JobProgress,
) -> Result<DiskStamp, SaveError> {
    let invalid = |problems| SaveError::Invalid {
        path: path.to_path_buf(),
        problems,
    };
    let target = crate::io::lock::resolve_project_path(path).map_err(|e| SaveError::io(path, e))?;
    // A device (`/dev/full`) is written in place: there is nothing to lock,
    // and no folder of ours to put a lock file in. Nothing is replaced
    // there, so it is checked before anything is written.
    let device = std::fs::metadata(&target).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if device {
        let problems = validate::check_model(project);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        return write_checked(project, path, &target, true, check, progress, || Ok(()));
    }
    std::thread::scope(|scope| {
        let checking = std::cell::Cell::new(Some(scope.spawn(|| validate::check_model(project))));
        let problems = || {
            checking.take().map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    vec![Problem {
                        path: "(project)".into(),
                        message: "the check before saving stopped unexpectedly".into(),
                    }]
                })
            })
        };
        let found = std::cell::RefCell::new(Vec::new());
        let written = write_checked(project, path, &target, false, check, progress, || {
            *found.borrow_mut() = problems().unwrap_or_default();
            if found.borrow().is_empty() {
                Ok(())
            } else {
                Err(std::io::Error::other("the project did not pass the check"))
            }
        });
        // An invalid project is the answer whatever else went wrong (a
        // lock held, a changed file): load's rules refuse it in any case.
        let found = problems().unwrap_or_else(|| found.take());
        if found.is_empty() {
            written
        } else {
            Err(invalid(found))
        }
    })
}

/// [`save_project_checked`] after the target is resolved: lock, stamp,
/// stale temps, then the pipelined write, with `before_replace` as the last
/// word before the file is replaced.
fn write_checked(
    project: &Project,
    path: &Path,
    target: &Path,
    device: bool,
    check: &SaveCheck<'_>,
    progress: &JobProgress,
    before_replace: impl FnOnce() -> std::io::Result<()>,
) -> Result<DiskStamp, SaveError> {
    use sha2::{Digest, Sha256};
    let err = |error| SaveError::io(path, error);
    let _own_lock = match check.lock {
        Some(lock) if lock.covers(target) => None,
        _ if device => None,
        _ => Some(ProjectLock::acquire(
            target,
            &Holder::this_process(&crate::io::lock::os_user(), "Spanmark"),
            crate::io::lock::DEFAULT_WAIT,
        )?),
    };
    if check.expected.is_none() && check.must_be_new && std::fs::symlink_metadata(target).is_ok() {
        return Err(SaveError::AppearedMeanwhile {
            path: path.to_path_buf(),
        });
    }
    if let Some(stamp) = check.expected
        && crate::io::disk_stamp::check_disk(target, stamp).map_err(err)? == DiskChange::Changed
    {
        return Err(SaveError::ChangedOnDisk {
            path: path.to_path_buf(),
        });
    }
    if !device {
        crate::io::atomic::remove_stale_temps(target);
    }
    progress.stage("Writing the project", project.documents.len() as u64);
    let mut hasher = Sha256::new();
    let mut len = 0u64;
    let written = write_atomic_pipelined(
        target,
        true,
        |w| {
            let mut limited = LimitedWriter {
                inner: w,
                left: check
                    .max_bytes
                    .unwrap_or(MAX_FILE_BYTES)
                    .min(MAX_FILE_BYTES),
            };
            write::write_project(&mut limited, project, progress)
        },
        |piece| {
            hasher.update(piece);
            len += piece.len() as u64;
        },
        before_replace,
    );
    if let Err(e) = written {
        return Err(if is_over_limit(&e) {
            SaveError::TooLarge {
                path: path.to_path_buf(),
            }
        } else {
            err(e)
        });
    }
    progress.stage("Saving to disk", 0);
    let meta = std::fs::metadata(target).map_err(err)?;
    let mut stamp = DiskStamp::with_digest(len, &meta, hasher.finalize().into());
    stamp.format_version = Some(super::FORMAT_VERSION);
    Ok(stamp)
}

/// Passes bytes on until `left` runs out, then fails: a save stops as soon
/// as the file would be larger than load reads.
struct LimitedWriter<W> {
    inner: W,
    left: u64,
}

/// The error payload of a [`LimitedWriter`] that ran out.
#[derive(Debug)]
struct OverLimit;

impl fmt::Display for OverLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the file would be larger than {MAX_FILE_BYTES} bytes")
    }
}

impl std::error::Error for OverLimit {}

/// True for the error of a [`LimitedWriter`] that ran out.
fn is_over_limit(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<OverLimit>())
}

impl<W: std::io::Write> std::io::Write for LimitedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len() as u64;
        if n > self.left {
            return Err(std::io::Error::other(OverLimit));
        }
        self.left -= n;
        self.inner.write_all(buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
