//! Atomic file replacement: temp file in the same folder, fsync, rename, fsync folder.
//! Project saves also keep the previous file as `NAME.bak` ([`write_atomic_with_backup`]).

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temp path beside `path` that no other writer in this or another process picks.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let unique = format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    Ok(path.with_file_name(unique))
}

/// The backup kept beside a project file: `path` + `.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".bak");
    PathBuf::from(s)
}

/// What is at the target path now.
enum Target {
    /// Nothing: a new file.
    Missing,
    /// A regular file (symlinks are resolved before).
    File,
    /// A character device (e.g. `/dev/full`, `/dev/null`): written in place,
    /// since replacing a device node is never what was meant.
    Device,
}

fn target(path: &Path) -> io::Result<Target> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Missing),
        Err(e) => return Err(e),
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder, not a file",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return Ok(Target::Device);
        }
        if kind.is_fifo() {
            // Writing would block until something reads it, for ever.
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is a named pipe (FIFO), not a regular file",
            ));
        }
        if kind.is_block_device() || kind.is_socket() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "it is a device or socket, not a regular file",
            ));
        }
    }
    if kind.is_file() && meta.permissions().readonly() {
        // A rename would replace a read-only file silently; respect the flag instead.
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only (its permissions do not allow writing); \
             make it writable or save under another name",
        ));
    }
    Ok(Target::File)
}

/// Replaces `path` with `bytes` so that a crash at any moment leaves either the
/// complete old file or the complete new one. A read-only file is refused;
/// a character device (e.g. `/dev/full`) is written in place; a symlink is
/// followed and its target replaced (the link stays a link).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_from(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] with the content written by `produce` as it is made (a
/// large export never sits in memory whole). If `produce` fails, the temp
/// file is removed and the target is left as it was.
pub fn write_atomic_from(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let path = &resolve_symlink(path)?;
    match target(path)? {
        Target::Device => write_device(path, produce),
        Target::Missing | Target::File => replace(path, false, produce),
    }
}

/// Like [`write_atomic`], and keeps the file it replaces as [`backup_path`].
/// The backup turns over only once the new file is complete and differs
/// from the old one: a save that fails (a full disk) or changes nothing
/// leaves the backup as it was, so it stays a real earlier version.
pub fn write_atomic_with_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with_backup_from(path, |w| w.write_all(bytes))
}

/// [`write_atomic_with_backup`] with the content written by `produce`, so a
/// large file can be written while it is being made. If `produce` fails,
/// the temp file is removed and the target is left as it was.
pub fn write_atomic_with_backup_from(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let path = &resolve_symlink(path)?;
    match target(path)? {
        Target::Device => write_device(path, produce),
        Target::Missing => replace(path, false, produce),
        Target::File => replace(path, true, produce),
    }
}

/// The file that writing to `path` should replace: `path` itself, or, for
/// a symbolic link, the file it points to (replacing the link would detach
/// it from the real file, which would then never be updated). A link to
/// nothing is refused with what it points to.
pub fn resolve_symlink(path: &Path) -> io::Result<PathBuf> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(path.to_path_buf());
    }
    match fs::canonicalize(path) {
        Ok(target) => Ok(target),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let dest = fs::read_link(path).map_or_else(|_| "?".into(), |d| d.display().to_string());
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{} is a symbolic link to {dest}, which does not exist; \
                     create it or write somewhere else",
                    path.display()
                ),
            ))
        }
        Err(e) => Err(e),
    }
}

/// Removes temp files that an earlier save of `path` by Spanmark left when
/// its process was killed (`.NAME.PID-N.tmp`, `.NAME.bak.PID-N.tmp`). Call
/// only while holding the project's lock, when no other save of it runs.
pub fn remove_stale_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if is_our_temp(&file, &name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// True for `.{name}.PID-N.tmp` and `.{name}.bak.PID-N.tmp` (see [`temp_path`]).
fn is_our_temp(file: &str, name: &str) -> bool {
    let Some(rest) = file
        .strip_prefix('.')
        .and_then(|r| r.strip_prefix(name))
        .and_then(|r| r.strip_prefix('.'))
        .and_then(|r| r.strip_suffix(".tmp"))
    else {
        return false;
    };
    let rest = rest.strip_prefix("bak.").unwrap_or(rest);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    rest.split_once('-')
        .is_some_and(|(pid, n)| digits(pid) && digits(n))
}

/// Writes `path` atomically (with a backup if `backup`) from content that
/// `produce` makes on another thread and hands over in pieces, so making the
/// content and writing it to disk overlap on two cores instead of adding up.
/// `on_piece` sees every piece as it is written (e.g. to hash the file). If
/// `produce` fails or stops, its error is returned and the target is left
/// as it was. `before_replace` runs once everything is written, before the
/// target is replaced: its error leaves the target as it was too (a check
/// that ran beside the writing can still stop the save).
pub fn write_atomic_pipelined(
    path: &Path,
    backup: bool,
    produce: impl FnOnce(&mut PieceWriter) -> io::Result<()> + Send,
    mut on_piece: impl FnMut(&[u8]),
    before_replace: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Piece>(4);
        scope.spawn(move || {
            let mut w = PieceWriter {
                tx,
                buf: Vec::with_capacity(PIECE_BYTES),
            };
            let last = match produce(&mut w).and_then(|()| w.flush()) {
                Ok(()) => Piece::End,
                Err(e) => Piece::Failed(e),
            };
            let _ = w.tx.send(last);
        });
        let write = |out: &mut dyn Write| {
            for piece in &rx {
                match piece {
                    Piece::Bytes(b) => {
                        out.write_all(&b)?;
                        on_piece(&b);
                    }
                    Piece::End => return before_replace(),
                    Piece::Failed(e) => return Err(e),
                }
            }
            Err(io::Error::other(
                "the content could not be made in full; nothing was replaced",
            ))
        };
        if backup {
            write_atomic_with_backup_from(path, write)
        } else {
            write_atomic_from(path, write)
        }
    })
}

/// Size of the pieces handed from the maker to the file writer.
const PIECE_BYTES: usize = 4 << 20;

enum Piece {
    Bytes(Vec<u8>),
    /// Everything was made.
    End,
    Failed(io::Error),
}

/// A `Write` that collects bytes and hands them on in pieces (see
/// [`write_atomic_pipelined`]); writing to it is as cheap as to a `Vec`.
pub struct PieceWriter {
    tx: std::sync::mpsc::SyncSender<Piece>,
    buf: Vec<u8>,
}

impl Write for PieceWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PIECE_BYTES {
            self.flush()?;
        }
        Ok(data.len())
    }
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.write(data).map(|_| ())
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE_BYTES));
        self.tx
            .send(Piece::Bytes(piece))
            .map_err(|_| io::Error::other("the file writer stopped"))
    }
}

fn rotate_backup(path: &Path) -> io::Result<()> {
    let bak = backup_path(path);
    if fs::symlink_metadata(&bak).is_ok_and(|m| m.is_dir()) {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "the backup {} is a folder; move it away so the previous version can be kept",
                bak.display()
            ),
        ));
    }
    let tmp = temp_path(&bak)?;
    let result = (|| {
        if fs::hard_link(path, &tmp).is_err() {
            // File systems without hard links (some network and FAT drives): copy.
            fs::copy(path, &tmp)?;
            OpenOptions::new().write(true).open(&tmp)?.sync_all()?;
        }
        fs::rename(&tmp, &bak)
    })();
    // Also after a successful rename: when the backup already was a link to
    // the same file, rename does nothing and leaves the temp name behind.
    let _ = fs::remove_file(&tmp);
    result.map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot keep the previous version as {}: {e}", bak.display()),
        )
    })
}

fn write_device(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    produce(&mut f)?;
    f.flush()
}

/// Writes a temp file beside `path` in full, then (with `backup`, when the
/// old file differs) keeps the old file as the backup, then renames the
/// temp file over `path`. A failure at any step leaves `path` and its
/// backup as they were.
fn replace(
    path: &Path,
    backup: bool,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = temp_path(path)?;
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        produce(&mut f)?;
        f.sync_all()?;
        drop(f);
        if backup {
            if same_content(&tmp, path)? {
                // Nothing changed: the file stays as it is, and so does its backup.
                fs::remove_file(&tmp)?;
                return Ok(());
            }
            rotate_backup(path)?;
        }
        // The new file keeps the old one's permissions: a project kept
        // private (0600) in a shared folder must not become readable by all.
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)?;
        sync_parent(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// True if the files `a` and `b` hold the same bytes.
fn same_content(a: &Path, b: &Path) -> io::Result<bool> {
    use std::io::Read;
    let (ma, mb) = (fs::metadata(a)?, fs::metadata(b)?);
    if ma.len() != mb.len() {
        return Ok(false);
    }
    let (mut fa, mut fb) = (fs::File::open(a)?, fs::File::open(b)?);
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(bb.get_mut(..n).unwrap_or_default())?;
        if ba.get(..n) != bb.get(..n) {
            return Ok(false);
        }
    }
}

/// Makes the rename itself durable (Unix); a no-op elsewhere.
fn sync_parent(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        fs::File::open(parent)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_leaves_old_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing-dir").join("a.json");
        assert!(write_atomic(&p, b"x").is_err());
        assert!(!p.exists());
    }

    #[test]
    fn backup_keeps_the_previous_version_each_save() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        let bak = backup_path(&p);
        assert_eq!(bak, dir.path().join("p.spanmark.json.bak"));
        write_atomic_with_backup(&p, b"one").unwrap();
        assert!(!bak.exists(), "a new file has no previous version");
        write_atomic_with_backup(&p, b"two").unwrap();
        assert_eq!(fs::read(&bak).unwrap(), b"one");
        write_atomic_with_backup(&p, b"three").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"three");
        assert_eq!(fs::read(&bak).unwrap(), b"two");
        // Only the file and its backup: no temp files left behind.
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["p.spanmark.json", "p.spanmark.json.bak"]);
    }

    #[test]
    fn a_failed_or_unchanged_save_leaves_the_backup_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        let bak = backup_path(&p);
        write_atomic_with_backup(&p, b"one").unwrap();
        write_atomic_with_backup(&p, b"two").unwrap();
        assert_eq!(fs::read(&bak).unwrap(), b"one");
        // The disk fills half-way: neither the file nor its backup moves.
        let full = write_atomic_with_backup_from(&p, |w| {
            w.write_all(b"thr")?;
            Err(io::Error::from_raw_os_error(28))
        });
        assert_eq!(full.unwrap_err().raw_os_error(), Some(28));
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read(&bak).unwrap(), b"one");
        // The same bytes again: nothing is replaced, the backup stays.
        write_atomic_with_backup(&p, b"two").unwrap();
        assert_eq!(fs::read(&bak).unwrap(), b"one");
        // Same length, other bytes: a real change turns the backup over.
        write_atomic_with_backup(&p, b"TWO").unwrap();
        assert_eq!(fs::read(&bak).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temp files"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        fs::write(&p, b"one").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic_with_backup(&p, b"two").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        write_atomic(&p, b"three").unwrap();
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    #[test]
    fn a_backup_that_is_already_the_file_leaves_no_temp_name() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        fs::write(&p, b"one").unwrap();
        fs::hard_link(&p, backup_path(&p)).unwrap();
        rotate_backup(&p).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn only_our_own_temp_names_count_as_stale() {
        assert!(is_our_temp(".p.spanmark.json.12-0.tmp", "p.spanmark.json"));
        assert!(is_our_temp(
            ".p.spanmark.json.bak.12-30.tmp",
            "p.spanmark.json"
        ));
        for other in [
            ".q.spanmark.json.12-0.tmp",
            ".p.spanmark.json.12.tmp",
            ".p.spanmark.json.a-0.tmp",
            "p.spanmark.json.12-0.tmp",
            ".p.spanmark.json.12-0.tmp.keep",
        ] {
            assert!(!is_our_temp(other, "p.spanmark.json"), "{other}");
        }
    }

    #[test]
    fn backup_in_the_way_stops_the_save_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        fs::write(&p, b"old").unwrap();
        fs::create_dir(backup_path(&p)).unwrap();
        let e = write_atomic_with_backup(&p, b"new").unwrap_err();
        assert!(e.to_string().contains("p.spanmark.json.bak"), "{e}");
        assert_eq!(fs::read(&p).unwrap(), b"old");
    }

    #[test]
    fn read_only_files_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ro.json");
        fs::write(&p, b"old").unwrap();
        let mut perm = fs::metadata(&p).unwrap().permissions();
        perm.set_readonly(true);
        fs::set_permissions(&p, perm).unwrap();
        let e = write_atomic(&p, b"new").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied);
        assert!(e.to_string().contains("read-only"), "{e}");
        assert!(write_atomic_with_backup(&p, b"new").is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert!(!backup_path(&p).exists());
        assert!(write_atomic(dir.path(), b"x").is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_device_reports_no_space_and_stays_a_device() {
        use std::os::unix::fs::FileTypeExt;
        let p = Path::new("/dev/full");
        if !p.exists() {
            return;
        }
        let e = write_atomic_with_backup(p, b"data").unwrap_err();
        assert_eq!(e.raw_os_error(), Some(28), "{e}"); // ENOSPC
        assert!(fs::metadata(p).unwrap().file_type().is_char_device());
        assert!(!Path::new("/dev/full.bak").exists());
    }
}
