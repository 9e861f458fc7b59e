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

/// Whether `path` holds plain text rather than a project: a `.txt` name, or
/// content that does not start like JSON (`{` or `[`, after a BOM and
/// white space). `spanmark FILE` opens a text as a new project instead of
/// calling it "not a Spanmark project"; anything JSON-like goes to the
/// project reader, which says what is wrong with it.
pub fn looks_like_text(path: &Path) -> io::Result<bool> {
    use std::io::Read;
    ensure_regular_file(path)?;
    let named_txt = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("text"));
    if named_txt {
        return Ok(true);
    }
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)?
        .take(4096)
        .read_to_end(&mut head)?;
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    Ok(!matches!(first, Some(b'{') | Some(b'[') | None))
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

#[cfg(test)]
mod text_or_project {
    use super::*;

    #[test]
    fn texts_are_told_from_projects_by_name_or_by_their_first_byte() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, body: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, body).unwrap();
            p
        };
        assert!(looks_like_text(&write("a.TXT", b"{ not a project }")).unwrap());
        assert!(looks_like_text(&write("a.md", "In Bannu, “police”.".as_bytes())).unwrap());
        assert!(
            looks_like_text(&write("w", &[0x93, b'B', 0x94])).unwrap(),
            "Windows-1252 text"
        );
        assert!(
            !looks_like_text(&write("p.spanmark.json", b"\xEF\xBB\xBF \n{\"format\"")).unwrap()
        );
        assert!(!looks_like_text(&write("d.json", b"[1]")).unwrap());
        assert!(
            !looks_like_text(&write("empty", b"")).unwrap(),
            "an empty file goes to the reader"
        );
        assert!(looks_like_text(dir.path()).is_err(), "a folder is refused");
    }
}
