//! Reading a project file: size and nesting limits, the header, typed
//! records with JSON paths in every error, then the load rules.

use std::path::Path;

use super::errors::LoadError;
use super::{
    FORMAT_NAME, FORMAT_VERSION, MAX_FILE_BYTES, OLDEST_FORMAT_VERSION, limits, records, validate,
};
use crate::io::disk_stamp::DiskStamp;
use crate::io::progress::JobProgress;
use crate::model::Project;

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
    crate::io::file_kind::ensure_regular_file(path).map_err(io)?;
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
        let parsed = parse_versioned(&bytes, progress);
        let mut stamp = stamp
            .join()
            .map_err(|_| io(std::io::Error::other("hashing the file failed")))?;
        let (project, version) = parsed?;
        stamp.format_version = Some(version);
        Ok((project, stamp))
    })
}

/// Parses and validates project JSON.
pub fn parse_project(bytes: &[u8]) -> Result<Project, LoadError> {
    parse_project_with(bytes, &JobProgress::default())
}

/// [`parse_project`] reporting its stages, and stopping when asked to.
pub fn parse_project_with(bytes: &[u8], progress: &JobProgress) -> Result<Project, LoadError> {
    parse_versioned(bytes, progress).map(|(project, _)| project)
}

/// The project and the format version of the file it was read from.
fn parse_versioned(bytes: &[u8], progress: &JobProgress) -> Result<(Project, u64), LoadError> {
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
    let version = record.version;
    Ok((validate::build_project(record, progress)?, version))
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
        OLDEST_FORMAT_VERSION..=FORMAT_VERSION => Ok(()),
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
