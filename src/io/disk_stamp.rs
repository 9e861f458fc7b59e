//! Changed-on-disk detection: what a project file looked like when it was
//! loaded or saved, and whether it still looks like that before the next save
//! (another program, a colleague, or a sync client may have replaced it).

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// A file's size, modification time and SHA-256, as last read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskStamp {
    pub len: u64,
    /// `None` where the platform or file system has no modification times.
    pub modified: Option<SystemTime>,
    pub sha256: [u8; 32],
    /// The project format version of the file, when it was loaded or
    /// saved as a project (a save can then say it upgrades the file).
    pub format_version: Option<u64>,
}

/// How the file on disk compares with a [`DiskStamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskChange {
    /// Same content (possibly touched: a newer time but the same bytes).
    Unchanged,
    /// Different content: saving would overwrite someone else's version.
    Changed,
    /// The file is gone (moved or deleted).
    Missing,
}

impl DiskStamp {
    /// The stamp of `bytes` just read from, or written to, a file with `meta`.
    pub fn of_bytes(bytes: &[u8], meta: &Metadata) -> Self {
        Self::with_digest(bytes.len() as u64, meta, Self::digest(bytes))
    }

    /// The content hash a stamp keeps (to compute it on another thread).
    pub fn digest(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }

    /// The stamp of a file of `len` bytes with `meta` and content hash `sha256`.
    pub fn with_digest(len: u64, meta: &Metadata, sha256: [u8; 32]) -> Self {
        DiskStamp {
            len,
            modified: meta.modified().ok(),
            sha256,
            format_version: None,
        }
    }

    /// Reads and hashes the file at `path`.
    pub fn read(path: &Path) -> io::Result<Self> {
        let mut f = File::open(path)?;
        let meta = f.metadata()?;
        let (len, sha256) = hash_reader(&mut f)?;
        Ok(DiskStamp {
            len,
            modified: meta.modified().ok(),
            sha256,
            format_version: None,
        })
    }
}

fn hash_reader(r: &mut impl Read) -> io::Result<(u64, [u8; 32])> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            return Ok((len, hasher.finalize().into()));
        }
        len += n as u64;
        hasher.update(buf.get(..n).unwrap_or_default());
    }
}

/// Compares the file at `path` with `stamp`: a different size means changed;
/// the same size and modification time means unchanged; otherwise the content
/// is hashed (a touched but identical file counts as unchanged).
pub fn check_disk(path: &Path, stamp: &DiskStamp) -> io::Result<DiskChange> {
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(DiskChange::Missing),
        Err(e) => return Err(e),
    };
    let meta = f.metadata()?;
    if meta.len() != stamp.len {
        return Ok(DiskChange::Changed);
    }
    if stamp.modified.is_some() && meta.modified().ok() == stamp.modified {
        return Ok(DiskChange::Unchanged);
    }
    let (len, sha256) = hash_reader(&mut f)?;
    Ok(if len == stamp.len && sha256 == stamp.sha256 {
        DiskChange::Unchanged
    } else {
        DiskChange::Changed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_changes_by_size_then_time_then_hash() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.spanmark.json");
        std::fs::write(&p, b"version one").unwrap();
        let stamp = DiskStamp::read(&p).unwrap();
        assert_eq!(stamp.len, 11);
        assert_eq!(check_disk(&p, &stamp).unwrap(), DiskChange::Unchanged);

        // Another size.
        std::fs::write(&p, b"version three").unwrap();
        assert_eq!(check_disk(&p, &stamp).unwrap(), DiskChange::Changed);

        // Same size, other bytes, other time: the hash decides.
        std::fs::write(&p, b"version two").unwrap();
        let set_time = |secs: u64| {
            let f = std::fs::File::options().write(true).open(&p).unwrap();
            f.set_modified(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs))
                .unwrap();
        };
        set_time(1_000_000);
        assert_eq!(check_disk(&p, &stamp).unwrap(), DiskChange::Changed);

        // Same bytes touched later: unchanged.
        std::fs::write(&p, b"version one").unwrap();
        set_time(2_000_000);
        assert_eq!(check_disk(&p, &stamp).unwrap(), DiskChange::Unchanged);

        std::fs::remove_file(&p).unwrap();
        assert_eq!(check_disk(&p, &stamp).unwrap(), DiskChange::Missing);
    }

    #[test]
    fn stamp_of_bytes_matches_a_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("p.json");
        std::fs::write(&p, "🙂 text").unwrap();
        let meta = std::fs::metadata(&p).unwrap();
        assert_eq!(
            DiskStamp::of_bytes("🙂 text".as_bytes(), &meta),
            DiskStamp::read(&p).unwrap()
        );
    }
}
