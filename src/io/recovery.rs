//! Autosave recovery copies: written beside nothing the user owns (in the
//! OS data folder), newer-than-the-project copies are offered on start, and
//! a copy is removed once the project is saved.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::atomic::write_atomic;

/// What a recovery copy belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryMeta {
    /// The project file it is a copy of; `None` for an untitled project.
    pub original: Option<PathBuf>,
    /// When it was written (RFC 3339).
    pub written_at: String,
}

/// A recovery copy on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryEntry {
    /// The copy itself: a complete project file.
    pub file: PathBuf,
    pub meta: RecoveryMeta,
}

/// Stable file stem for a project: a hash of its path, or `untitled`.
fn stem(original: Option<&Path>) -> String {
    match original {
        Some(p) => {
            let digest = Sha256::digest(p.to_string_lossy().as_bytes());
            digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
        }
        None => "untitled".to_string(),
    }
}

fn meta_path(file: &Path) -> PathBuf {
    file.with_extension("meta.json")
}

/// The recovery copy path for a project.
pub fn recovery_file(dir: &Path, original: Option<&Path>) -> PathBuf {
    dir.join(format!("{}.spanmark.json", stem(original)))
}

/// Writes a recovery copy (atomically) and its description.
pub fn write_recovery(
    dir: &Path,
    original: Option<&Path>,
    bytes: &[u8],
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let file = recovery_file(dir, original);
    write_atomic(&file, bytes)?;
    let meta = RecoveryMeta {
        original: original.map(Path::to_path_buf),
        written_at: jiff::Timestamp::now().to_string(),
    };
    let meta_bytes = serde_json::to_vec_pretty(&meta).map_err(std::io::Error::other)?;
    write_atomic(&meta_path(&file), &meta_bytes)?;
    Ok(file)
}

/// The recovery copy for `original`, if one exists and is newer than the project
/// file (or the project file is gone).
pub fn pending_recovery(dir: &Path, original: Option<&Path>) -> Option<RecoveryEntry> {
    let file = recovery_file(dir, original);
    let meta: RecoveryMeta = serde_json::from_slice(&std::fs::read(meta_path(&file)).ok()?).ok()?;
    if meta.original.as_deref() != original {
        return None;
    }
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let copy_time = modified(&file)?;
    let newer = match original.and_then(modified) {
        Some(project_time) => copy_time > project_time,
        None => true,
    };
    newer.then_some(RecoveryEntry { file, meta })
}

/// Removes a project's recovery copy (after a save, or when the user discards it).
pub fn discard_recovery(dir: &Path, original: Option<&Path>) {
    let file = recovery_file(dir, original);
    let _ = std::fs::remove_file(meta_path(&file));
    let _ = std::fs::remove_file(file);
}

/// Seconds since the Unix epoch of a file's modification, for display and tests.
pub fn modified_secs(path: &Path) -> Option<u64> {
    let t = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    t.duration_since(SystemTime::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_is_offered_only_when_newer_than_the_project() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("recovery");
        let project = dir.path().join("p.spanmark.json");
        std::fs::write(&project, b"old").unwrap();
        assert!(pending_recovery(&rec, Some(&project)).is_none());
        std::thread::sleep(std::time::Duration::from_millis(20));
        let file = write_recovery(&rec, Some(&project), b"new").unwrap();
        let entry = pending_recovery(&rec, Some(&project)).unwrap();
        assert_eq!(entry.file, file);
        assert_eq!(entry.meta.original.as_deref(), Some(project.as_path()));
        // Saving the project afterwards makes the copy stale.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&project, b"saved").unwrap();
        assert!(pending_recovery(&rec, Some(&project)).is_none());
        // Untitled projects have their own copy.
        write_recovery(&rec, None, b"untitled").unwrap();
        assert!(pending_recovery(&rec, None).is_some());
        discard_recovery(&rec, None);
        assert!(pending_recovery(&rec, None).is_none());
    }
}
