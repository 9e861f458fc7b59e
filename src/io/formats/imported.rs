//! What every annotation reader produces and shares: [`ImportedDoc`]s of
//! [`ImportedSpan`]s checked against their text, what could not be imported
//! ([`Unimported`], reported with its line), errors with their location, and
//! the JSONL line reader. The readers depend on this file; the dispatcher
//! (`import.rs`) depends on the readers, so there is no cycle.

use crate::model::Attributes;

/// Where a reader hands each document as soon as it is read, so merging can
/// start before the last line is parsed. An error from the sink stops the
/// reading and is returned.
pub type DocSink<'s> = dyn FnMut(ImportedDoc) -> Result<(), ImportError> + 's;

/// A span as read from another tool, in code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSpan {
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub note: String,
    pub attributes: Attributes,
    /// Where it came from, for error messages ("doc.ann line 3").
    pub location: String,
}

impl ImportedSpan {
    /// A span with no note or attributes.
    pub fn new(
        start: usize,
        end: usize,
        label: impl Into<String>,
        location: impl Into<String>,
    ) -> Self {
        ImportedSpan {
            start,
            end,
            label: label.into(),
            note: String::new(),
            attributes: Attributes::new(),
            location: location.into(),
        }
    }
}

/// Something in an input file that was not imported (a brat relation, a
/// Label Studio result of another type…): counted and listed in the import
/// summary, and refused by `spanmark import --strict`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unimported {
    /// Where it is ("doc.ann line 3").
    pub location: String,
    /// What it is and why it was left out.
    pub what: String,
}

impl Unimported {
    pub fn new(location: impl Into<String>, what: impl Into<String>) -> Self {
        Unimported {
            location: location.into(),
            what: what.into(),
        }
    }
}

/// One line of a JSONL file: the parsed object, its `text`, and where it is.
pub struct JsonLine {
    pub value: serde_json::Value,
    pub text: String,
    /// Length of `text` in code points.
    pub len: usize,
    /// "file line N", for messages.
    pub at: String,
    /// 1-based line number.
    pub line: usize,
}

impl JsonLine {
    /// The array under `key`: `None` when absent or null, an error when it
    /// is something else (a `"label": "PERSON"` must not hide the spans).
    pub fn array(&self, key: &str) -> Result<Option<&Vec<serde_json::Value>>, ImportError> {
        match self.value.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(ImportError::new(
                &self.at,
                format!("\"{key}\" must be an array"),
            )),
        }
    }
}

/// Largest file an importer reads (1 GiB, as for project files).
pub const MAX_IMPORT_BYTES: u64 = crate::io::project_file::MAX_FILE_BYTES;

/// Opens an import file, refusing anything but a regular file and files
/// over [`MAX_IMPORT_BYTES`].
pub fn open_input(path: &std::path::Path) -> Result<std::fs::File, ImportError> {
    let shown = path.display().to_string();
    let io = |e: std::io::Error| ImportError::new(&shown, e.to_string());
    // A FIFO would block the import (and the project's lock) for ever.
    crate::io::file_kind::ensure_regular_file(path).map_err(io)?;
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(ImportError::new(
            &shown,
            format!("the file is too large ({size} bytes); the limit is {MAX_IMPORT_BYTES} bytes"),
        ));
    }
    Ok(file)
}

/// Reads a whole import file as UTF-8 text (see [`input_text`]), refusing
/// files over [`MAX_IMPORT_BYTES`]. Line-based files are streamed instead
/// (see [`super::lines`]).
pub fn read_input(path: &std::path::Path) -> Result<String, ImportError> {
    use std::io::Read;
    let shown = path.display().to_string();
    let mut bytes = Vec::new();
    open_input(path)?
        .take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::new(&shown, e.to_string()))?;
    input_text(bytes, &shown)
}

/// Import bytes as UTF-8 text without a leading byte-order mark (as the
/// text importer drops it); the message names the first bad line, or the
/// UTF-16 byte-order mark.
pub fn input_text(mut bytes: Vec<u8>, shown: &str) -> Result<String, ImportError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportError::new(
            shown,
            "the file starts with a UTF-16 byte-order mark; save it as UTF-8",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e
            .as_bytes()
            .get(..at)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        ImportError::new(
            format!("{shown} line {line}"),
            "the file is not valid UTF-8 (was it saved in another encoding?)",
        )
    })
}

/// A JSON error's reason, without serde_json's position (callers give it),
/// naming the nesting limit when that was hit.
pub fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let reason = match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    };
    if reason.starts_with("recursion limit exceeded") {
        "arrays and objects are nested too deeply; the limit is 128 levels".to_string()
    } else {
        reason
    }
}

/// The file stem of a shown path (the default document name).
pub fn stem_of(shown: &str) -> String {
    std::path::Path::new(shown)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a JSONL reader makes of one line: the document name and its spans,
/// plus anything it could not import.
pub type LineSpans = (String, Vec<ImportedSpan>, Vec<Unimported>, ImportedLinks);

/// Reads a JSONL file whose lines each hold a `text` string, streaming it
/// line by line; `spans` turns a line into its document name and spans.
pub fn read_jsonl(
    path: &std::path::Path,
    spans: impl FnMut(&JsonLine, &str) -> Result<LineSpans, ImportError>,
) -> Result<Vec<ImportedDoc>, ImportError> {
    let mut docs = Vec::new();
    read_jsonl_into(path, spans, &mut |d| {
        docs.push(d);
        Ok(())
    })?;
    Ok(docs)
}

/// [`read_jsonl`], handing each line's document to `sink` as it is read.
pub fn read_jsonl_into(
    path: &std::path::Path,
    spans: impl FnMut(&JsonLine, &str) -> Result<LineSpans, ImportError>,
    sink: &mut DocSink<'_>,
) -> Result<(), ImportError> {
    jsonl_lines(
        super::lines::open(path)?,
        &path.display().to_string(),
        spans,
        sink,
    )
}

/// [`read_jsonl`] on bytes already read; `shown` is the file name for messages.
pub fn parse_jsonl(
    bytes: &[u8],
    shown: &str,
    spans: impl FnMut(&JsonLine, &str) -> Result<LineSpans, ImportError>,
) -> Result<Vec<ImportedDoc>, ImportError> {
    let mut docs = Vec::new();
    jsonl_lines(
        super::lines::Lines::new(bytes, shown),
        shown,
        spans,
        &mut |d| {
            docs.push(d);
            Ok(())
        },
    )?;
    Ok(docs)
}

fn jsonl_lines<R: std::io::BufRead>(
    lines: super::lines::Lines<R>,
    shown: &str,
    mut spans: impl FnMut(&JsonLine, &str) -> Result<LineSpans, ImportError>,
    sink: &mut DocSink<'_>,
) -> Result<(), ImportError> {
    let stem = stem_of(shown);
    for line in lines {
        let super::lines::Line { number, text: raw } = line?;
        if raw.trim().is_empty() {
            continue;
        }
        let at = format!("{shown} line {number}");
        let value = super::unique_json::from_str(&raw).map_err(|e| {
            let message = if e.classify() == serde_json::error::Category::Data {
                format!("{} (column {})", json_error(&e), e.column())
            } else {
                format!(
                    "not JSON at column {}: {}; each line must be one JSON object",
                    e.column(),
                    json_error(&e)
                )
            };
            ImportError::new(&at, message)
        })?;
        let text = value["text"]
            .as_str()
            .ok_or_else(|| ImportError::new(&at, "no \"text\" string"))?
            .to_string();
        let line = JsonLine {
            len: text.chars().count(),
            value,
            text,
            at,
            line: number,
        };
        let (name, found, mut unimported, links) = spans(&line, &stem)?;
        // doccano keeps extra keys at the top; Prodigy keeps them in `meta`.
        let named = &line.value["date"];
        let named = if named.is_null() {
            &line.value["meta"]["date"]
        } else {
            named
        };
        let date = read_date(named, &line.at, &mut unimported);
        sink(ImportedDoc {
            name,
            text: line.text,
            spans: found,
            annotator: None,
            source_file: shown.to_string(),
            unimported,
            links,
            date,
        })?;
    }
    Ok(())
}

/// A document as read from another tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDoc {
    pub name: String,
    pub text: String,
    pub spans: Vec<ImportedSpan>,
    /// The annotator named in the file, if any.
    pub annotator: Option<String>,
    pub source_file: String,
    /// What the file holds for this document that was not imported.
    pub unimported: Vec<Unimported>,
    /// Event frames and relations between the spans above.
    pub links: ImportedLinks,
    /// The document's date, when the file names one (our exports do, for
    /// the event table's `event_date`).
    pub date: Option<jiff::civil::Date>,
}

/// A document date as a file names it: `YYYY-MM-DD` exactly, read as
/// strictly as the date dialog reads it. One that isn't a calendar day is
/// reported with its place rather than guessed at (03/04 could be March or
/// April); no date (absent or `null`) is simply none.
pub fn read_date(
    value: &serde_json::Value,
    at: &str,
    unimported: &mut Vec<Unimported>,
) -> Option<jiff::civil::Date> {
    let problem = match value {
        serde_json::Value::Null => return None,
        serde_json::Value::String(text) => match crate::model::parse_date(text) {
            Ok(date) => return Some(date),
            Err(e) => format!("the document date was not imported: {e}"),
        },
        other => format!(
            "the document date was not imported: {other} is not a date string (write \"2025-03-14\")"
        ),
    };
    unimported.push(Unimported::new(at, problem));
    None
}

/// Frames and relations read with a document. Spans are named by their
/// index in [`ImportedDoc::spans`], so a reader needs no span ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportedLinks {
    pub frames: Vec<ImportedFrame>,
    pub relations: Vec<ImportedRelation>,
    /// Links a tool made without saying which are event roles (doccano's
    /// relation mode): one whose type is a role of the schema becomes a
    /// slot of its source span's event, the others binary relations.
    pub loose: Vec<ImportedRelation>,
    /// Our frame ids (as doccano, Label Studio and spaCy JSONL carry them)
    /// → their place in `frames`.
    pub(super) ours: std::collections::BTreeMap<i64, usize>,
}

impl ImportedLinks {
    /// One of our frames as the JSON formats carry it (`{"id", "event_type",
    /// "note"}`), on span `trigger`; its slots come with the links that name it.
    pub fn add_our_frame(&mut self, id: i64, trigger: usize, f: &serde_json::Value, at: &str) {
        self.ours.insert(id, self.frames.len());
        self.frames.push(ImportedFrame {
            trigger,
            event_type: f["event_type"].as_str().map(String::from),
            slots: Vec::new(),
            note: f["note"].as_str().unwrap_or_default().to_string(),
            location: at.to_string(),
        });
    }

    /// A link read from a file: a slot of our frame `frame` when it names
    /// one (with `from` as its trigger), else a loose link. A link naming a
    /// frame this document does not hold with that trigger is refused with
    /// why, for the caller to report.
    pub fn add_link(
        &mut self,
        frame: Option<i64>,
        from: usize,
        to: usize,
        kind: &str,
        at: &str,
    ) -> Result<(), String> {
        let Some(id) = frame else {
            self.loose.push(ImportedRelation {
                from,
                to,
                kind: kind.to_string(),
                location: at.to_string(),
            });
            return Ok(());
        };
        match self.ours.get(&id).and_then(|&i| self.frames.get_mut(i)) {
            Some(f) if f.trigger == from => {
                f.slots.push((kind.to_string(), to));
                Ok(())
            }
            _ => Err(format!(
                "link {kind} names frame {id}, which this document does not hold with that trigger"
            )),
        }
    }
}

/// An event frame from another tool: a trigger and its (role, span) slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFrame {
    pub trigger: usize,
    pub event_type: Option<String>,
    pub slots: Vec<(String, usize)>,
    pub note: String,
    /// Where it was read ("a.ann line 4"), for messages.
    pub location: String,
}

/// A binary relation from another tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRelation {
    pub from: usize,
    pub to: usize,
    pub kind: String,
    pub location: String,
}

/// Why an import was refused. Nothing is changed when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ImportError {
    pub location: String,
    pub message: String,
}

impl ImportError {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        ImportError {
            location: location.into(),
            message: message.into(),
        }
    }
}

/// An offset from a JSON file: `Ok(None)` when `v` is not a number (the
/// caller says what was expected), an error naming the problem for a
/// fractional or exponent number (`10.0`, `1e3`) or one too large.
pub fn json_offset(v: &serde_json::Value, location: &str) -> Result<Option<i64>, ImportError> {
    if let Some(n) = v.as_i64() {
        return Ok(Some(n));
    }
    if v.is_u64() {
        return Err(ImportError::new(
            location,
            format!("offset {v} is too large; offsets count code points"),
        ));
    }
    if v.is_f64() {
        return Err(ImportError::new(
            location,
            format!(
                "offset {v} is written as a decimal or exponent number; \
                 offsets must be whole numbers (code points, such as 10)"
            ),
        ));
    }
    Ok(None)
}

/// Code points `[s, e)` of `text`, found through its `index` in O(log n)
/// (readers build one index per document instead of walking the text per span).
pub fn slice_cp<'t>(index: &crate::model::TextIndex, text: &'t str, s: usize, e: usize) -> &'t str {
    index
        .byte_range(text, s, e)
        .and_then(|r| text.get(r))
        .unwrap_or_default()
}

/// The error for a span whose stated text differs from the text at its offsets.
pub fn text_mismatch(
    s: usize,
    e: usize,
    stated: &str,
    actual: &str,
    location: &str,
) -> ImportError {
    ImportError::new(
        location,
        format!(
            "the file says the span {s}..{e} covers {stated:?}, but the text there is {actual:?}"
        ),
    )
}

/// Checks a span's offsets against the text (code points) and, when the file
/// states the covered text, that it matches.
pub fn check_span(
    text: &str,
    len: usize,
    start: i64,
    end: i64,
    stated: Option<&str>,
    location: &str,
) -> Result<(usize, usize), ImportError> {
    if start < 0 || end < 0 {
        return Err(ImportError::new(
            location,
            format!("negative offset {start}..{end}"),
        ));
    }
    let (s, e) = (start as usize, end as usize);
    if s >= e {
        return Err(ImportError::new(
            location,
            format!("start {s} is not before end {e}"),
        ));
    }
    if e > len {
        let mut message = format!("end {e} is past the end of the text ({len} code points)");
        let utf16 = text.encode_utf16().count();
        if e <= utf16 {
            message.push_str(&format!(
                "; the text is {utf16} UTF-16 units long, so the offsets were probably \
                 counted in UTF-16 units (as JavaScript does), but Spanmark needs code points"
            ));
        }
        return Err(ImportError::new(location, message));
    }
    if let Some(stated) = stated {
        let actual: String = text.chars().skip(s).take(e - s).collect();
        if actual != stated {
            return Err(text_mismatch(s, e, stated, &actual, location));
        }
    }
    Ok((s, e))
}
