//! One writer per project file. Two programs that load, change and save the
//! same project would each overwrite the other's work without a word, so a
//! writer holds an advisory OS lock on `NAME.lock` beside the project (the
//! symlink-resolved file) for as long as it may write. The lock file names
//! its holder (user, host, program, process, time), so a second writer can
//! say who is editing, and a lock left by a process that died (the OS has
//! released its lock, but the file still names it) is taken over with a
//! message.
//!
//! The OS lock is `std::fs::File::try_lock` (flock on Unix, LockFileEx on
//! Windows): the standard library has it since Rust 1.89, so no crate is
//! needed, and the OS releases it when a process ends however it ends.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// How long a command-line writer waits for a lock by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// Who holds (or last held) a project's lock, as written in the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub user: String,
    pub host: String,
    /// The program and command, e.g. "spanmark add" or "Spanmark app".
    pub program: String,
    pub pid: u32,
    /// When the lock was taken (RFC 3339).
    pub since: String,
}

impl Holder {
    /// This process, as `user` (the annotator's name in the app, the OS
    /// user on the command line) running `program`.
    pub fn this_process(user: &str, program: &str) -> Holder {
        Holder {
            user: user.to_string(),
            host: host_name(),
            program: program.to_string(),
            pid: std::process::id(),
            since: jiff::Timestamp::now()
                .round(jiff::Unit::Second)
                .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string()),
        }
    }
}

impl Holder {
    /// When the lock was taken, for people: "2026-12-01 10:14 UTC" (the
    /// stored text as it is if it is not a time).
    pub fn since_text(&self) -> String {
        match self.since.parse::<jiff::Timestamp>() {
            Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            Err(_) => self.since.escape_debug().to_string(),
        }
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Names come from another machine's file: never print them raw.
        write!(
            f,
            "{} on {} ({}, process {}, since {})",
            self.user.escape_debug(),
            self.host.escape_debug(),
            self.program.escape_debug(),
            self.pid,
            self.since_text()
        )
    }
}

/// Why a project's lock was not had.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{} is being edited by {}; try again when they are done{}", .path.display(), holder_text(.holder), wait_hint(*.waited))]
    Held {
        path: PathBuf,
        /// Boxed: errors stay small on the common path.
        holder: Option<Box<Holder>>,
        waited: Duration,
    },
    #[error("cannot lock {}: {error}", .path.display())]
    Io { path: PathBuf, error: io::Error },
}

fn holder_text(holder: &Option<Box<Holder>>) -> String {
    match holder {
        Some(h) => h.to_string(),
        None => "another program (its lock file names no one)".into(),
    }
}

fn wait_hint(waited: Duration) -> String {
    format!(
        " (waited {:.1} s; --wait SECONDS waits longer)",
        waited.as_secs_f64()
    )
}

/// A held lock on one project file; released when dropped.
#[derive(Debug)]
pub struct ProjectLock {
    file: File,
    lock_path: PathBuf,
    /// The project file the lock is for (symlinks resolved).
    target: PathBuf,
    /// The holder named by a lock whose process had ended (taken over).
    pub taken_over: Option<Holder>,
}

impl ProjectLock {
    /// Takes the lock on `project`, waiting up to `wait` for another holder
    /// to let go; `holder` says who takes it.
    pub fn acquire(project: &Path, holder: &Holder, wait: Duration) -> Result<Self, LockError> {
        let target = resolve_project_path(project).map_err(|error| LockError::Io {
            path: project.to_path_buf(),
            error,
        })?;
        let lock_path = lock_path_of(&target);
        let io_err = |error| LockError::Io {
            path: project.to_path_buf(),
            error,
        };
        let started = Instant::now();
        loop {
            // A lock path that is a symlink (planted in a shared folder)
            // would have the holder written into whatever it points to.
            refuse_special(&lock_path).map_err(io_err)?;
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&lock_path)
                .map_err(io_err)?;
            match file.try_lock() {
                Ok(()) => {
                    // A holder removes the lock file before letting go; if it
                    // did so after this open, this lock is on a file nobody
                    // else will find: start again.
                    if !names_same_file(&file, &lock_path) {
                        drop(file);
                        if started.elapsed() >= wait.max(Duration::from_secs(1)) {
                            return Err(io_err(io::Error::other(format!(
                                "{} keeps changing under Spanmark; another program is replacing it",
                                lock_path.display()
                            ))));
                        }
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                    let mut lock = ProjectLock {
                        file,
                        lock_path,
                        target,
                        taken_over: None,
                    };
                    lock.taken_over = lock.read_holder();
                    lock.write_holder(holder).map_err(io_err)?;
                    return Ok(lock);
                }
                Err(fs::TryLockError::WouldBlock) => {
                    if started.elapsed() >= wait {
                        return Err(LockError::Held {
                            path: target.clone(),
                            holder: read_holder_at(&lock_path).map(Box::new),
                            waited: started.elapsed(),
                        });
                    }
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(fs::TryLockError::Error(e)) => return Err(io_err(e)),
            }
        }
    }

    /// True if this lock is for the project file at `path`.
    pub fn covers(&self, path: &Path) -> bool {
        resolve_project_path(path).is_ok_and(|p| p == self.target)
    }

    /// The project file this lock is for (symlinks resolved).
    pub fn target(&self) -> &Path {
        &self.target
    }

    fn read_holder(&mut self) -> Option<Holder> {
        let mut text = String::new();
        self.file.rewind().ok()?;
        (&self.file)
            .take(64 * 1024)
            .read_to_string(&mut text)
            .ok()?;
        parse_holder(&text)
    }

    fn write_holder(&mut self, holder: &Holder) -> io::Result<()> {
        let mut text = serde_json::to_string_pretty(holder).map_err(io::Error::other)?;
        text.push('\n');
        self.file.set_len(0)?;
        self.file.rewind()?;
        self.file.write_all(text.as_bytes())?;
        self.file.sync_data()
    }
}

impl Drop for ProjectLock {
    fn drop(&mut self) {
        // Unix: remove the file while still holding the lock (a waiting
        // writer then sees that the path names another file and starts
        // again). Elsewhere an open file may linger as "delete pending" and
        // refuse new opens, so the file stays, emptied: it names no one.
        #[cfg(unix)]
        let removed = fs::remove_file(&self.lock_path).is_ok();
        #[cfg(not(unix))]
        let removed = false;
        if !removed {
            let _ = self.file.set_len(0);
        }
        let _ = self.file.unlock();
    }
}

/// Who holds the lock on `project` now, if anyone does (for a read-only
/// banner); `None` when it is free or names no one.
pub fn current_holder(project: &Path) -> Option<Holder> {
    let target = resolve_project_path(project).ok()?;
    let lock_path = lock_path_of(&target);
    let file = File::open(&lock_path).ok()?;
    match file.try_lock_shared() {
        // Nobody holds it: whatever it names is stale.
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(_) => read_holder_at(&lock_path),
    }
}

/// `NAME.lock` beside the project file `target`.
pub fn lock_path_of(target: &Path) -> PathBuf {
    let mut s = target.as_os_str().to_os_string();
    s.push(".lock");
    PathBuf::from(s)
}

/// The file a project path stands for: a symlink is followed to its target
/// (saving replaces the target and keeps the link), and the folder is made
/// absolute, so two names for one project share one lock.
pub fn resolve_project_path(path: &Path) -> io::Result<PathBuf> {
    let resolved = crate::io::atomic::resolve_symlink(path)?;
    let name = resolved
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let parent = match resolved.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok(fs::canonicalize(&parent)?.join(name))
}

fn read_holder_at(lock_path: &Path) -> Option<Holder> {
    let mut text = String::new();
    File::open(lock_path)
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    parse_holder(&text)
}

fn parse_holder(text: &str) -> Option<Holder> {
    if text.trim().is_empty() {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// Refuses a lock path that exists and is not a regular file (a symlink, a
/// folder, a FIFO): the lock file is written, so it must be ours.
fn refuse_special(lock_path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(lock_path) {
        Ok(m) if !m.file_type().is_file() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not a regular file (a symbolic link, folder or device); \
                 Spanmark keeps its lock there, so remove it",
                lock_path.display()
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn names_same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // Not following links: the path itself must be the file we hold.
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn names_same_file(_file: &File, _path: &Path) -> bool {
    // The lock file is never removed there (see `Drop`).
    true
}

/// This machine's name, for lock holders.
fn host_name() -> String {
    let name = gethostname::gethostname().to_string_lossy().into_owned();
    if name.trim().is_empty() {
        "an unnamed computer".into()
    } else {
        name
    }
}

/// The OS user name, if the environment gives one (`USER`, `USERNAME`).
pub fn os_user_name() -> Option<String> {
    std::env::var("USER")
        .ok()
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|n| !n.trim().is_empty())
}

/// The name a command-line writer gives itself in a lock file.
pub fn os_user() -> String {
    os_user_name().unwrap_or_else(|| "someone".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me(program: &str) -> Holder {
        Holder::this_process("ayesha", program)
    }

    #[test]
    fn a_second_writer_is_refused_with_the_holders_name() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        let held = ProjectLock::acquire(&p, &me("spanmark add"), Duration::ZERO).unwrap();
        assert!(held.taken_over.is_none());
        let e = ProjectLock::acquire(&p, &me("spanmark import"), Duration::from_millis(60))
            .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("ayesha on "), "{text}");
        assert!(text.contains("spanmark add"), "{text}");
        assert_eq!(
            current_holder(&p).map(|h| h.program),
            Some("spanmark add".into())
        );
        drop(held);
        #[cfg(unix)]
        assert!(!lock_path_of(&resolve_project_path(&p).unwrap()).exists());
        assert!(current_holder(&p).is_none());
        ProjectLock::acquire(&p, &me("spanmark import"), Duration::ZERO).unwrap();
    }

    #[test]
    fn a_waiting_writer_gets_the_lock_when_it_is_let_go() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        let held = ProjectLock::acquire(&p, &me("one"), Duration::ZERO).unwrap();
        let path = p.clone();
        let waiter = std::thread::spawn(move || {
            ProjectLock::acquire(&path, &me("two"), Duration::from_secs(20))
                .map(|l| l.taken_over.clone())
        });
        std::thread::sleep(Duration::from_millis(100));
        drop(held);
        // Let go cleanly: nothing stale to take over.
        assert_eq!(waiter.join().unwrap().unwrap(), None);
    }

    #[test]
    fn a_lock_left_by_an_ended_process_is_taken_over_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        let lock_file = dir.path().join("p.spanmark.json.lock");
        let dead = Holder {
            pid: 999_999,
            ..me("Spanmark app")
        };
        std::fs::write(&lock_file, serde_json::to_string(&dead).unwrap()).unwrap();
        assert!(current_holder(&p).is_none(), "no process holds it");
        let lock = ProjectLock::acquire(&p, &me("spanmark add"), Duration::ZERO).unwrap();
        assert_eq!(lock.taken_over, Some(dead));
    }

    #[cfg(unix)]
    #[test]
    fn two_names_for_one_project_share_one_lock() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let p = real.join("p.spanmark.json");
        std::fs::write(&p, b"{}").unwrap();
        let link = dir.path().join("link.spanmark.json");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        let held = ProjectLock::acquire(&link, &me("one"), Duration::ZERO).unwrap();
        assert!(held.covers(&p));
        assert!(ProjectLock::acquire(&p, &me("two"), Duration::ZERO).is_err());
        assert!(real.join("p.spanmark.json.lock").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_path_planted_as_a_symlink_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join("p.spanmark.json.lock")).unwrap();
        let e = ProjectLock::acquire(&p, &me("spanmark add"), Duration::ZERO).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        std::fs::remove_file(dir.path().join("p.spanmark.json.lock")).unwrap();
        std::fs::create_dir(dir.path().join("p.spanmark.json.lock")).unwrap();
        assert!(ProjectLock::acquire(&p, &me("x"), Duration::ZERO).is_err());
    }

    #[test]
    fn holder_names_from_a_file_are_never_printed_raw() {
        let h = Holder {
            user: "\u{1b}[2Jmallory".into(),
            ..me("x")
        };
        assert!(!h.to_string().contains('\u{1b}'));
    }
}
