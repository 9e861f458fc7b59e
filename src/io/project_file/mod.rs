//! The project file: versioned JSON (`.spanmark.json`), validated on load,
//! saved atomically and deterministically. See `docs/project-format.md`.

mod limits;
mod records;
mod validate;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Project;

use super::atomic::write_atomic_pipelined;
use super::disk_stamp::{DiskChange, DiskStamp};
use super::lock::{Holder, ProjectLock};
use super::progress::JobProgress;

pub use limits::{MAX_NESTING, MAX_STRING_BYTES};

/// Value of the top-level `format` field.
pub const FORMAT_NAME: &str = "spanmark-project";
/// The format version this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;
/// Value of the top-level `offset_unit` field: offsets count Unicode code points.
pub const OFFSET_UNIT: &str = "codepoint";
/// File name ending of project files.
pub const EXTENSION: &str = ".spanmark.json";
/// Largest project file read (1 GiB), so a stray huge file fails fast instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// One thing wrong in a project file, with the JSON path where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Why a project could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    // The OS error is in the message, so it is not also a `source`: anyhow
    // would print it twice ("No space left on device (os error 28): No space…").
    #[error("cannot read {}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("the file is too large ({size} bytes); Spanmark reads project files up to {max} bytes")]
    TooLarge { size: u64, max: u64 },
    #[error("the file is empty (0 bytes, or only white space); it is not a Spanmark project")]
    Empty,
    #[error(
        "the file is UTF-16 encoded; Spanmark project files are UTF-8 JSON (re-save it as UTF-8)"
    )]
    Utf16,
    #[error(
        "the file is not valid UTF-8 at line {line}, column {column}; Spanmark project files are UTF-8 JSON (was it saved in another encoding, such as Windows-1252?)"
    )]
    NotUtf8 { line: usize, column: usize },
    #[error(
        "arrays and objects are nested too deeply at line {line}, column {column}; the limit is {MAX_NESTING} levels (a project needs 6)"
    )]
    TooDeep { line: usize, column: usize },
    #[error(
        "the string starting at line {line}, column {column} is {len} bytes long; the limit is {MAX_STRING_BYTES} bytes (64 MiB) per string, except document texts, which only the file size limit bounds"
    )]
    StringTooLong {
        line: usize,
        column: usize,
        len: usize,
    },
    #[error("opening was cancelled")]
    Cancelled,
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Type { path: String, message: String },
    #[error(
        "not a Spanmark project: the file holds {found}, but a project is a JSON object ({{…}})"
    )]
    NotAnObject { found: &'static str },
    #[error("not a Spanmark project: \"format\" is {found:?}, expected \"spanmark-project\"")]
    NotAProject { found: String },
    #[error(
        "made by a newer Spanmark: format version {found}; this build reads version {FORMAT_VERSION}. Update Spanmark to open it; the file was left unchanged"
    )]
    NewerVersion { found: u64 },
    #[error(
        "unsupported format version {found}; this build reads version {FORMAT_VERSION} (versions start at 1)"
    )]
    OldVersion { found: u64 },
    #[error("{} problem(s) found:\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

impl LoadError {
    /// Every problem as one line each (for `spanmark validate`).
    pub fn lines(&self) -> Vec<String> {
        match self {
            LoadError::Invalid(ps) => ps.iter().map(Problem::to_string).collect(),
            other => vec![other.to_string()],
        }
    }
}

/// Why a project could not be saved. The file on disk (and its backup) is
/// unchanged when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("cannot save {}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Another writer holds the project.
    #[error(transparent)]
    Locked(#[from] super::lock::LockError),
    /// The file changed on disk since it was read (another program wrote it).
    #[error(
        "cannot save {}: the file was changed by another program since it was opened; \
         nothing was written, so its changes are kept. Open it again, or save under another name",
        .path.display()
    )]
    ChangedOnDisk { path: PathBuf },
    /// A new project was to be written, but another writer made the file meanwhile.
    #[error(
        "cannot save {}: another program created this file meanwhile; nothing was written, \
         so its contents are kept. Run the command again to add to it",
        .path.display()
    )]
    AppearedMeanwhile { path: PathBuf },
    /// The project breaks a rule that loading checks: saving it would make
    /// a file that Spanmark then refuses to open.
    #[error("cannot save {}: the project would not open again, so nothing was written. {} problem(s):\n{}", .path.display(), .problems.len(), .problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
    /// The file would be larger than Spanmark reads.
    #[error(
        "cannot save {}: the project would be over {} bytes, the most Spanmark reads (MAX_FILE_BYTES = 1 GiB), \
         so it could not be opened again; nothing was written. Split its documents into two projects",
        .path.display(), MAX_FILE_BYTES
    )]
    TooLarge { path: PathBuf },
}

impl SaveError {
    /// An I/O failure while saving `path`.
    pub fn io(path: &Path, error: std::io::Error) -> Self {
        SaveError::Io {
            path: path.to_path_buf(),
            error,
        }
    }
}

/// Reads and validates a project file.
pub fn load_project(path: &Path) -> Result<Project, LoadError> {
    load_project_stamped(path).map(|(project, _)| project)
}

/// Reads and validates a project file, with the [`DiskStamp`] of what was read
/// (to notice, before saving, that another program changed the file).
pub fn load_project_stamped(path: &Path) -> Result<(Project, DiskStamp), LoadError> {
    load_project_with(path, &JobProgress::default())
}

/// [`load_project_stamped`] reporting its progress, and stopping with
/// [`LoadError::Cancelled`] when asked to.
pub fn load_project_with(
    path: &Path,
    progress: &JobProgress,
) -> Result<(Project, DiskStamp), LoadError> {
    use std::io::Read;
    let io = |error| LoadError::Io {
        path: path.to_path_buf(),
        error,
    };
    super::file_kind::ensure_regular_file(path).map_err(io)?;
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            size,
            max: MAX_FILE_BYTES,
        });
    }
    progress.stage("Reading the file", size);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // One byte more than the limit, in case the file grows while being read.
    let mut reader = file.take(MAX_FILE_BYTES + 1);
    // Read in pieces (straight into the buffer) to report progress and
    // notice a cancel.
    loop {
        if progress.is_cancelled() {
            return Err(LoadError::Cancelled);
        }
        let n = (&mut reader)
            .take(8 << 20)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if n == 0 {
            break;
        }
        progress.advance(n as u64);
    }
    // The stamp's hash of the whole file runs beside the parse (a second core).
    std::thread::scope(|scope| {
        let stamp = scope.spawn(|| DiskStamp::of_bytes(&bytes, &meta));
        let project = parse_project_with(&bytes, progress);
        let stamp = stamp
            .join()
            .map_err(|_| io(std::io::Error::other("hashing the file failed")))?;
        Ok((project?, stamp))
    })
}

/// Parses and validates project JSON.
pub fn parse_project(bytes: &[u8]) -> Result<Project, LoadError> {
    parse_project_with(bytes, &JobProgress::default())
}

/// [`parse_project`] reporting its stages, and stopping when asked to.
pub fn parse_project_with(bytes: &[u8], progress: &JobProgress) -> Result<Project, LoadError> {
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            size: bytes.len() as u64,
            max: MAX_FILE_BYTES,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || (bytes.len() >= 2 && (bytes.first() == Some(&0) || bytes.get(1) == Some(&0)))
    {
        return Err(LoadError::Utf16);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // The limits scan runs beside the parse (a second core). Its problems
    // are reported first, as if it had run before: serde_json stays safe on
    // what the scan refuses (its own depth limit, strings bounded by the
    // file size), so the parse meanwhile costs only time.
    let (scanned, parsed) = std::thread::scope(|scope| {
        let scan = scope.spawn(|| limits::scan(bytes));
        let parsed = parse_record(bytes, progress);
        // A panic in the scan would be a bug; the parse checks what it needs.
        (scan.join().unwrap_or(Ok(())), parsed)
    });
    scanned?;
    let record = parsed?;
    if progress.is_cancelled() {
        return Err(LoadError::Cancelled);
    }
    validate::build_project(record, progress)
}

/// The JSON as records, with the header checked.
fn parse_record(bytes: &[u8], progress: &JobProgress) -> Result<records::ProjectRecord, LoadError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        None => return Err(LoadError::Empty),
        Some(b'{') => {}
        Some(&b) => {
            return Err(LoadError::NotAnObject {
                found: json_kind(b),
            });
        }
    }
    // One full parse on the common path. Only when it fails is the header read
    // on its own, so a newer or foreign file is reported as such rather than
    // by the first field this build does not know.
    progress.stage("Reading the JSON", 0);
    let record: records::ProjectRecord = match deserialize(bytes) {
        Ok(record) => record,
        Err(full) => {
            let header: records::Header = deserialize(bytes)?;
            check_header(&header.format, header.version)?;
            return Err(full);
        }
    };
    check_header(&record.format, record.version)?;
    Ok(record)
}

/// The format name and version this build reads.
fn check_header(format: &str, version: u64) -> Result<(), LoadError> {
    if format != FORMAT_NAME {
        return Err(LoadError::NotAProject {
            found: format.to_string(),
        });
    }
    match version {
        FORMAT_VERSION => Ok(()),
        v if v > FORMAT_VERSION => Err(LoadError::NewerVersion { found: v }),
        v => Err(LoadError::OldVersion { found: v }),
    }
}

/// What a JSON value starting with byte `b` is, for messages.
fn json_kind(b: u8) -> &'static str {
    match b {
        b'[' => "an array",
        b'"' => "a string",
        b'-' | b'0'..=b'9' => "a number",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "something that is not JSON",
    }
}

/// Deserializes with JSON paths in type errors and line/column in syntax errors.
fn deserialize<'de, T: serde::Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, LoadError> {
    // Plain serde_json first: tracking the path costs an allocation per
    // object key (several per span). Only a file that fails is read again
    // with the path tracked, to say where the problem is.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = json_path(e.path());
        let inner = e.into_inner();
        describe_json_error(&path, &inner)
    })?;
    de.end().map_err(|e| describe_json_error(".", &e))?;
    Ok(value)
}

/// A path like `documents[2].layers["ayesha.siddiqui"][7].end`.
fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => out.push_str(&key_path(key)),
            Segment::Enum { variant } => out.push_str(&key_path(variant)),
            Segment::Unknown => out.push_str(".?"),
        }
    }
    match out.strip_prefix('.') {
        Some(rest) => rest.to_string(),
        None if out.is_empty() => ".".to_string(),
        None => out,
    }
}

/// `.name` for plain keys, `["a.b"]` when the key would make the path ambiguous.
pub(crate) fn key_path(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        format!(".{name}")
    } else {
        format!("[{name:?}]")
    }
}

fn describe_json_error(path: &str, e: &serde_json::Error) -> LoadError {
    use serde_json::error::Category;
    let text = e.to_string();
    // serde_json appends " at line L column C"; keep only the reason.
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
    // JSON's words rather than serde's.
    .replace("invalid type: map", "invalid type: object")
    .replace("invalid type: sequence", "invalid type: array")
    .replace("expected a sequence", "expected an array");
    match e.classify() {
        Category::Data if path != "." => LoadError::Type {
            path: path.to_string(),
            message,
        },
        Category::Data => LoadError::Type {
            path: "(top level)".into(),
            message,
        },
        Category::Eof => LoadError::Syntax {
            line: e.line(),
            column: e.column(),
            message: "the file ends too early (truncated?)".into(),
        },
        _ => LoadError::Syntax {
            line: e.line(),
            column: e.column(),
            message,
        },
    }
}

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
/// [`lock::DEFAULT_WAIT`](super::lock::DEFAULT_WAIT) for another writer).
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
    let target = super::lock::resolve_project_path(path).map_err(|e| SaveError::io(path, e))?;
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
            &Holder::this_process(&super::lock::os_user(), "Spanmark"),
            super::lock::DEFAULT_WAIT,
        )?),
    };
    if check.expected.is_none() && check.must_be_new && std::fs::symlink_metadata(target).is_ok() {
        return Err(SaveError::AppearedMeanwhile {
            path: path.to_path_buf(),
        });
    }
    if let Some(stamp) = check.expected
        && super::disk_stamp::check_disk(target, stamp).map_err(err)? == DiskChange::Changed
    {
        return Err(SaveError::ChangedOnDisk {
            path: path.to_path_buf(),
        });
    }
    if !device {
        super::atomic::remove_stale_temps(target);
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
    Ok(DiskStamp::with_digest(len, &meta, hasher.finalize().into()))
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
