//! What can go wrong loading or saving a project file, in words an analyst
//! can act on (with the JSON path of each problem).

use std::fmt;
use std::path::{Path, PathBuf};

use super::{FORMAT_VERSION, MAX_FILE_BYTES, MAX_NESTING, MAX_STRING_BYTES};

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
        "made by a newer Spanmark: format version {found}; this build reads versions 1 to {FORMAT_VERSION}. Update Spanmark to open it; the file was left unchanged"
    )]
    NewerVersion { found: u64 },
    #[error(
        "unsupported format version {found}; this build reads versions 1 to {FORMAT_VERSION} (versions start at 1)"
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
    Locked(#[from] crate::io::lock::LockError),
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
