//! Where an export lands. The files are written into a temporary folder
//! first and put in place only when all of them are complete, so a failed
//! export (a full disk, a read-only file) leaves the folder as it was: no
//! half-written files, and an earlier export there untouched.
//!
//! Each export leaves a manifest, [`MANIFEST`], naming the files it made. The
//! next export into that folder replaces exactly those files and removes the
//! ones it no longer makes (a document gone, a split renamed). A folder that
//! holds anything else is refused unless the caller forces it, and even then
//! only our own earlier files are ever removed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{ExportError, ExportFormat, ExportSummary, io_err};

/// The manifest's name in the export folder (hidden, and not `*.jsonl`, so
/// loaders that read a folder's data files do not see it).
pub const MANIFEST: &str = ".spanmark-export.json";
/// Names of our temporary folders contain this.
const TEMP_TAG: &str = ".spanmark-export-tmp-";
/// Files operating systems put into folders a user opens; never "foreign".
const OS_FILES: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];
/// Foreign files named in the refusal.
const EXAMPLES: usize = 5;
/// A manifest larger than this is not ours.
const MAX_MANIFEST: u64 = 64 << 20;

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    /// Version of this manifest's shape.
    spanmark_export: u32,
    format: String,
    layer: String,
    /// When the export was written (RFC 3339).
    written: String,
    /// Every file, relative to the folder with `/` between parts, and its size.
    files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ManifestFile {
    path: String,
    bytes: u64,
    /// Its modification time as written (RFC 3339): an edit that keeps the
    /// size (LOC → ORG in a `.ann`) still shows, without hashing the export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    modified: Option<String>,
}

/// What a file looked like when an export wrote it: size and modification time.
type Written = (u64, Option<String>);

/// The modification time of `meta` as the manifest keeps it.
fn modified_text(meta: &fs::Metadata) -> Option<String> {
    let t = jiff::Timestamp::try_from(meta.modified().ok()?).ok()?;
    Some(t.to_string())
}

/// An export in progress: its files go to `tmp` until [`Staging::commit`].
pub(crate) struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    out_exists: bool,
    /// Files the previous export here made (paths checked to stay inside).
    previous: BTreeMap<String, Written>,
    /// Keep `tmp` on drop (it holds earlier files a failed rollback left there).
    keep: bool,
    /// Folders made for a new `out`'s parent, outermost first (removed again,
    /// if still empty, when the export fails).
    made: Vec<PathBuf>,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.tmp);
        }
        if !self.out.exists() {
            for dir in self.made.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
        }
    }
}

pub(crate) fn not_a_folder(path: &Path) -> ExportError {
    ExportError::Io {
        path: path.to_path_buf(),
        error: io::Error::new(
            io::ErrorKind::NotADirectory,
            "it is a file, not a folder; --out names the folder to write into",
        ),
    }
}

/// The first of `path` and its ancestors that is a symlink to nothing.
fn dangling_link(path: &Path) -> Option<ExportError> {
    for p in path.ancestors().filter(|p| !p.as_os_str().is_empty()) {
        let Ok(meta) = fs::symlink_metadata(p) else {
            continue;
        };
        if meta.file_type().is_symlink()
            && fs::metadata(p).is_err_and(|e| e.kind() == io::ErrorKind::NotFound)
        {
            return Some(ExportError::DanglingLink {
                link: p.to_path_buf(),
                target: fs::read_link(p).unwrap_or_default(),
            });
        }
        return None;
    }
    None
}

/// The folder `out` names (a symlink followed) and whether it exists.
fn resolve_out(out: &Path) -> Result<(PathBuf, bool), ExportError> {
    match fs::metadata(out) {
        Ok(m) if m.is_dir() => {
            let link = fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
            let dir = if link {
                fs::canonicalize(out).map_err(io_err(out))?
            } else {
                out.to_path_buf()
            };
            Ok((dir, true))
        }
        Ok(_) => Err(not_a_folder(out)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => match dangling_link(out) {
            Some(e) => Err(e),
            None => Ok((out.to_path_buf(), false)),
        },
        Err(e) => Err(io_err(out)(e)),
    }
}

/// A path from a manifest that stays inside the folder: relative, plain
/// names only (no `..`, no drive or root, no backslashes).
fn is_inside(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains(['\\', ':']))
}

/// The previous export's files, from its manifest (none if there is none).
fn read_previous(out: &Path, force: bool) -> Result<BTreeMap<String, Written>, ExportError> {
    let path = out.join(MANIFEST);
    let bad = |reason: String| {
        if force {
            Ok(BTreeMap::new())
        } else {
            Err(ExportError::BadManifest {
                path: path.clone(),
                reason,
            })
        }
    };
    match fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(io_err(&path)(e)),
        Ok(m) if !m.is_file() || m.len() > MAX_MANIFEST => {
            return bad("it is not a manifest Spanmark wrote".into());
        }
        Ok(_) => {}
    }
    let bytes = fs::read(&path).map_err(io_err(&path))?;
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(m) => Ok(m
            .files
            .into_iter()
            .filter(|f| is_inside(&f.path))
            .map(|f| (f.path, (f.bytes, f.modified)))
            .collect()),
        Err(e) => bad(e.to_string()),
    }
}

/// Up to [`EXAMPLES`] + 1 entries under `dir` that the previous export did
/// not make, or that changed since (size or time; symlinks are not followed).
fn foreign_files(
    dir: &Path,
    prefix: &str,
    previous: &BTreeMap<String, Written>,
    found: &mut Vec<String>,
) -> io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        if found.len() > EXAMPLES {
            break;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = prefix.is_empty() && (name == MANIFEST || name.contains(TEMP_TAG));
        if ours || OS_FILES.contains(&name.as_str()) {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let kind = entry.file_type()?;
        if kind.is_dir() {
            foreign_files(&entry.path(), &format!("{rel}/"), previous, found)?;
            continue;
        }
        let unchanged = |(bytes, modified): &Written| -> io::Result<bool> {
            let meta = entry.metadata()?;
            let same_time = modified.is_none() || *modified == modified_text(&meta);
            Ok(kind.is_file() && meta.len() == *bytes && same_time)
        };
        match previous.get(&rel) {
            Some(written) if unchanged(written)? => {}
            Some(_) => found.push(format!("{rel} (changed since the last export)")),
            None => found.push(rel),
        }
    }
    Ok(())
}

/// Every file under `dir`, relative with `/`, with its size, in name order.
fn list_files(dir: &Path, prefix: &str, out: &mut Vec<ManifestFile>) -> io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type()?.is_dir() {
            list_files(&entry.path(), &format!("{rel}/"), out)?;
        } else {
            let meta = entry.metadata()?;
            out.push(ManifestFile {
                path: rel,
                bytes: meta.len(),
                modified: modified_text(&meta),
            });
        }
    }
    Ok(())
}

/// A name no other export (in this or another process) picks.
fn temp_name(base: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{base}{TEMP_TAG}{}-{n}", std::process::id())
}

impl Staging {
    /// Checks `out` and opens a temporary folder for the export's files:
    /// inside `out` if it exists (same disk, whatever is mounted where),
    /// else beside it, to be renamed into place.
    pub(crate) fn begin(out: &Path, force: bool) -> Result<Staging, ExportError> {
        let (out, out_exists) = resolve_out(out)?;
        let mut previous = BTreeMap::new();
        let mut made = Vec::new();
        let tmp = if out_exists {
            previous = read_previous(&out, force)?;
            if !force {
                let mut found = Vec::new();
                foreign_files(&out, "", &previous, &mut found).map_err(io_err(&out))?;
                if found.len() > EXAMPLES {
                    found.truncate(EXAMPLES);
                    found.push("…".into());
                }
                if !found.is_empty() {
                    return Err(ExportError::ForeignFiles {
                        dir: out,
                        examples: found,
                    });
                }
            }
            out.join(temp_name(""))
        } else {
            let name = out.file_name().ok_or_else(|| not_a_folder(&out))?;
            let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
            let parent = parent.unwrap_or(Path::new("."));
            made = parent
                .ancestors()
                .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
                .map(Path::to_path_buf)
                .collect();
            made.reverse();
            fs::create_dir_all(parent).map_err(io_err(&out))?;
            parent.join(temp_name(&format!(".{}", name.to_string_lossy())))
        };
        fs::create_dir(&tmp).map_err(io_err(&out))?;
        Ok(Staging {
            out,
            tmp,
            out_exists,
            previous,
            keep: false,
            made,
        })
    }

    /// Where the format writers write.
    pub(crate) fn dir(&self) -> &Path {
        &self.tmp
    }

    /// `e` with a path in the temporary folder shown as its place in `out`.
    pub(crate) fn explain(&self, e: ExportError) -> ExportError {
        match e {
            ExportError::Io { path, error } => ExportError::Io {
                path: self.final_path(&path),
                error,
            },
            other => other,
        }
    }

    fn final_path(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.tmp)
            .map_or_else(|_| p.to_path_buf(), |rel| self.out.join(rel))
    }

    /// Writes the manifest and puts every file in place, removing the files
    /// the previous export made that this one did not; on failure the folder
    /// is as it was before.
    pub(crate) fn commit(
        mut self,
        format: ExportFormat,
        summary: &mut ExportSummary,
    ) -> Result<(), ExportError> {
        let mut files = Vec::new();
        list_files(&self.tmp, "", &mut files).map_err(io_err(&self.out))?;
        let manifest = Manifest {
            spanmark_export: 1,
            format: format.name().into(),
            layer: summary.layer.clone(),
            written: jiff::Timestamp::now().to_string(),
            files,
        };
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| io_err(&self.out)(e.into()))?;
        let path = self.tmp.join(MANIFEST);
        super::super::atomic::write_atomic(&path, &json)
            .map_err(|e| self.explain(io_err(&path)(e)))?;
        let mut names: Vec<String> = manifest.files.into_iter().map(|f| f.path).collect();
        names.push(MANIFEST.into());
        if self.out_exists {
            self.replace_in(&names)?;
        } else {
            fs::rename(&self.tmp, &self.out).map_err(io_err(&self.out))?;
        }
        for p in &mut summary.files {
            *p = self.final_path(p);
        }
        Ok(())
    }

    /// Moves the new files into the existing `out`; what they replace and
    /// the previous export's stale files go to a trash folder inside `tmp`
    /// (removed with it), so every step can be undone.
    fn replace_in(&mut self, names: &[String]) -> Result<(), ExportError> {
        for rel in names {
            check_destination(&self.out, rel)?;
        }
        let trash = self.tmp.join(temp_name("replaced"));
        let new: BTreeSet<&str> = names.iter().map(String::as_str).collect();
        let stale: Vec<String> = self
            .previous
            .keys()
            .filter(|rel| !new.contains(rel.as_str()))
            .cloned()
            .collect();
        let mut moves = Moves::default();
        if let Err((path, source)) = self.move_all(&stale, names, &trash, &mut moves) {
            let source = if moves.undo() {
                source
            } else {
                self.keep = true;
                let kept = format!(
                    "{source}; earlier files that could not be put back are in {}",
                    trash.display()
                );
                io::Error::new(source.kind(), kept)
            };
            return Err(ExportError::Io {
                path,
                error: source,
            });
        }
        // Folders our stale files leave empty go too (remove_dir keeps any other).
        for rel in &stale {
            for dir in Path::new(rel).ancestors().skip(1) {
                if dir.as_os_str().is_empty() || fs::remove_dir(self.out.join(dir)).is_err() {
                    break;
                }
            }
        }
        Ok(())
    }

    /// The renames of [`Staging::replace_in`]; an error names the path in `out`.
    fn move_all(
        &self,
        stale: &[String],
        names: &[String],
        trash: &Path,
        moves: &mut Moves,
    ) -> Result<(), (PathBuf, io::Error)> {
        let in_out = |rel: &str| {
            let path = self.out.join(rel);
            move |(_, e): (PathBuf, io::Error)| (path, e)
        };
        for rel in stale.iter().filter(|rel| is_plain_file(&self.out, rel)) {
            moves
                .apply(&self.out.join(rel), &trash.join(rel))
                .map_err(in_out(rel))?;
        }
        for rel in names {
            let dest = self.out.join(rel);
            if fs::symlink_metadata(&dest).is_ok() {
                moves.apply(&dest, &trash.join(rel)).map_err(in_out(rel))?;
            }
            moves
                .apply(&self.tmp.join(rel), &dest)
                .map_err(in_out(rel))?;
        }
        Ok(())
    }
}

/// Refuses a destination that a rename must not replace: a folder, a
/// device, a read-only file, or a path through a symlink out of `out`.
fn check_destination(out: &Path, rel: &str) -> Result<(), ExportError> {
    let dest = out.join(rel);
    let refuse = |path: &Path, reason: &str| ExportError::Io {
        path: path.to_path_buf(),
        error: io::Error::new(io::ErrorKind::PermissionDenied, reason.to_string()),
    };
    for dir in Path::new(rel).ancestors().skip(1) {
        if dir.as_os_str().is_empty() {
            break;
        }
        let p = out.join(dir);
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refuse(
                    &p,
                    "it is a symbolic link; an export writes only inside --out",
                ));
            }
            Ok(m) if !m.is_dir() => {
                return Err(refuse(&p, "a file is where the export needs a folder"));
            }
            _ => {}
        }
    }
    match fs::symlink_metadata(&dest) {
        Ok(m) if m.is_dir() => Err(refuse(&dest, "it is a folder, not a file")),
        Ok(m) if m.is_file() && m.permissions().readonly() => Err(refuse(
            &dest,
            "the file is read-only (its permissions do not allow writing); make it writable or export elsewhere",
        )),
        Ok(m) if !m.is_file() && !m.file_type().is_symlink() => Err(refuse(
            &dest,
            "it is a device or socket, not a regular file",
        )),
        _ => Ok(()),
    }
}

/// A regular file at `out/rel` reached through real folders only (so
/// removing it cannot reach outside `out`).
fn is_plain_file(out: &Path, rel: &str) -> bool {
    let mut p = out.to_path_buf();
    rel.split('/').all(|part| {
        p.push(part);
        fs::symlink_metadata(&p).is_ok_and(|m| !m.file_type().is_symlink())
    }) && p.is_file()
}

/// Renames done so far, and folders made for them, to undo on failure.
#[derive(Default)]
struct Moves {
    done: Vec<(PathBuf, PathBuf)>,
    made: Vec<PathBuf>,
}

impl Moves {
    fn apply(&mut self, from: &Path, to: &Path) -> Result<(), (PathBuf, io::Error)> {
        if let Some(parent) = to.parent() {
            let missing: Vec<PathBuf> = parent
                .ancestors()
                .take_while(|p| !p.exists())
                .map(Path::to_path_buf)
                .collect();
            fs::create_dir_all(parent).map_err(|e| (to.to_path_buf(), e))?;
            self.made.extend(missing.into_iter().rev());
        }
        fs::rename(from, to).map_err(|e| (to.to_path_buf(), e))?;
        self.done.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    /// Puts everything back; false if some rename could not be undone.
    fn undo(&mut self) -> bool {
        let mut ok = true;
        for (from, to) in self.done.drain(..).rev() {
            ok &= fs::rename(&to, &from).is_ok();
        }
        for dir in self.made.drain(..).rev() {
            let _ = fs::remove_dir(dir);
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undone_moves_put_every_file_back_and_remove_the_folders_made() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        fs::write(&a, b"old a").unwrap();
        fs::write(&b, b"new b").unwrap();
        let trash = dir.path().join("trash").join("deep");
        let mut moves = Moves::default();
        moves.apply(&a, &trash.join("a.txt")).unwrap();
        moves.apply(&b, &a).unwrap();
        // A move that fails (nothing to move) changes nothing more.
        assert!(moves.apply(&dir.path().join("missing"), &b).is_err());
        assert!(moves.undo());
        assert_eq!(fs::read(&a).unwrap(), b"old a");
        assert_eq!(fs::read(&b).unwrap(), b"new b");
        assert!(!dir.path().join("trash").exists());
    }

    #[test]
    fn manifest_paths_must_stay_inside_the_folder() {
        for ok in ["data.csv", "train/a.ann", "COM¹.txt"] {
            assert!(is_inside(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "C:x",
            "a\\..\\x",
            "a/",
        ] {
            assert!(!is_inside(bad), "{bad}");
        }
    }
}
