//! Refusing what is not a regular file before opening it: opening a FIFO
//! for reading blocks until something writes to it (for ever, from a
//! command or the app), and a device is never a project or a text.

use std::io;
use std::path::Path;

/// Ok for a regular file, or a symlink to one; a clear error otherwise
/// (a missing file gives the usual "not found").
pub fn ensure_regular_file(path: &Path) -> io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        return Ok(());
    }
    let what = if meta.is_dir() {
        "a folder"
    } else {
        kind_of_special(&meta)
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, not a regular file"),
    ))
}

#[cfg(unix)]
fn kind_of_special(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a file"
    }
}

#[cfg(not(unix))]
fn kind_of_special(_meta: &std::fs::Metadata) -> &'static str {
    "a special file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn fifos_devices_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p.spanmark.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = ensure_regular_file(&fifo).unwrap_err();
            assert!(e.to_string().contains("named pipe"), "{e}");
        }
        assert!(
            ensure_regular_file(Path::new("/dev/null"))
                .unwrap_err()
                .to_string()
                .contains("device")
        );
        assert!(
            ensure_regular_file(dir.path())
                .unwrap_err()
                .to_string()
                .contains("folder")
        );
        let f = dir.path().join("a.txt");
        std::fs::write(&f, "x").unwrap();
        ensure_regular_file(&f).unwrap();
    }
}
