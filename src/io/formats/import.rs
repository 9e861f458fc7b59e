//! Importing annotations made elsewhere: every reader produces
//! [`ImportedDoc`]s, checked against their text; [`merge`] then adds them to a
//! project (a document with the same text gets the spans as a layer, others
//! are added), so nothing is imported silently wrong or half-way.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Attributes, Document, LayerId, Project, Span, fingerprint};

/// Reads the annotation files of `format` into documents. `originals` are the
/// texts CoNLL tokens are matched against (the project's texts, plus any the
/// user gives). Plain text (`Txt`) is not annotation and is refused here.
pub fn read_files(
    format: super::ImportFormat,
    inputs: &[std::path::PathBuf],
    originals: &[String],
) -> Result<Vec<ImportedDoc>, ImportError> {
    use super::ImportFormat as F;
    let each = |read: &dyn Fn(&std::path::Path) -> Result<Vec<ImportedDoc>, ImportError>| {
        let mut docs = Vec::new();
        for p in inputs {
            docs.extend(read(p)?);
        }
        Ok(docs)
    };
    match format {
        F::Brat => super::brat::read(inputs),
        F::Doccano => each(&super::doccano::read),
        F::LabelStudio => each(&super::label_studio::read),
        F::Jsonl => each(&super::spacy_jsonl::read),
        F::Conll => each(&|p| super::conll::read(p, originals)),
        F::Txt => Err(ImportError::new(
            "txt",
            "plain text holds no annotations; add it as documents instead",
        )),
    }
}

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

/// Largest file an importer reads (1 GiB, as for project files).
pub const MAX_IMPORT_BYTES: u64 = crate::io::project_file::MAX_FILE_BYTES;

/// Reads an import file as UTF-8 text, refusing files over [`MAX_IMPORT_BYTES`].
pub fn read_input(path: &std::path::Path) -> Result<String, ImportError> {
    use std::io::Read;
    let shown = path.display().to_string();
    let io = |e: std::io::Error| ImportError::new(&shown, e.to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(ImportError::new(
            &shown,
            format!("the file is too large ({size} bytes); the limit is {MAX_IMPORT_BYTES} bytes"),
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    input_text(bytes, &shown)
}

/// Import bytes as UTF-8 text; the message names the first bad line.
pub fn input_text(bytes: Vec<u8>, shown: &str) -> Result<String, ImportError> {
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

/// Reads a JSONL file whose lines each hold a `text` string; `spans` turns a
/// line into its document name and spans.
pub fn read_jsonl(
    path: &std::path::Path,
    spans: impl FnMut(&JsonLine, &str) -> Result<(String, Vec<ImportedSpan>), ImportError>,
) -> Result<Vec<ImportedDoc>, ImportError> {
    let content = read_input(path)?;
    parse_jsonl(&content, &path.display().to_string(), spans)
}

/// [`read_jsonl`] on content already read; `shown` is the file name for messages.
pub fn parse_jsonl(
    content: &str,
    shown: &str,
    mut spans: impl FnMut(&JsonLine, &str) -> Result<(String, Vec<ImportedSpan>), ImportError>,
) -> Result<Vec<ImportedDoc>, ImportError> {
    let stem = stem_of(shown);
    let mut docs = Vec::new();
    for (n, raw) in content.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let at = format!("{shown} line {}", n + 1);
        let value: serde_json::Value = serde_json::from_str(raw).map_err(|e| {
            ImportError::new(
                &at,
                format!(
                    "not JSON at column {}: {}; each line must be one JSON object",
                    e.column(),
                    json_error(&e)
                ),
            )
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
            line: n + 1,
        };
        let (name, found) = spans(&line, &stem)?;
        docs.push(ImportedDoc {
            name,
            text: line.text,
            spans: found,
            annotator: None,
            source_file: shown.to_string(),
        });
    }
    Ok(docs)
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

/// Checks a span's offsets against the text (code points) and, when the file
/// states the covered text, that it matches.
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

/// What a merge did, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub documents_added: Vec<String>,
    /// (document id, layer, spans) for spans added to existing documents.
    pub layers_added: Vec<(String, String, usize)>,
    pub spans: usize,
    pub new_labels: Vec<String>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "imported {} span(s)", self.spans)?;
        for d in &self.documents_added {
            writeln!(f, "added document {d:?}")?;
        }
        for (d, layer, n) in &self.layers_added {
            writeln!(
                f,
                "added {n} span(s) to document {d:?} as layer {layer:?} (same text)"
            )?;
        }
        if !self.new_labels.is_empty() {
            writeln!(
                f,
                "labels not in the schema were added: {}",
                self.new_labels.join(", ")
            )?;
        }
        Ok(())
    }
}

/// Adds imported documents to the project. `layer` overrides the layer name
/// (default: the annotator named in the file, else `fallback_layer`);
/// `map` renames labels. The project is changed only if everything fits.
pub fn merge(
    project: &mut Project,
    docs: Vec<ImportedDoc>,
    layer: Option<&str>,
    fallback_layer: &str,
    map: &BTreeMap<String, String>,
) -> Result<ImportReport, ImportError> {
    let mut next = project.clone();
    let mut report = ImportReport::default();
    for d in docs {
        let layer_name = layer
            .map(String::from)
            .or(d.annotator.clone())
            .unwrap_or_else(|| fallback_layer.to_string());
        let layer_id = LayerId::Annotator(layer_name.clone());
        let print = fingerprint(&d.text);
        let existing = next
            .documents
            .iter()
            .position(|doc| doc.fingerprint() == print);
        let mut doc = match existing {
            Some(i) => next.documents.remove(i),
            None => {
                let id = next.unique_document_id(&d.name);
                let mut doc = Document::new(id, d.name.clone(), d.text.clone());
                doc.source_file = Some(d.source_file.clone());
                doc
            }
        };
        let len = doc.char_len();
        let mut added = 0;
        for s in d.spans {
            let label = map.get(&s.label).cloned().unwrap_or(s.label);
            if next.schema.ensure(&label) {
                report.new_labels.push(label.clone());
            }
            let already = doc
                .layer(&layer_id)
                .and_then(|l| l.find_exact(s.start, s.end, &label))
                .is_some();
            if already {
                continue;
            }
            let mut span = Span::new(
                next.allocate_span_id(),
                s.start,
                s.end,
                label,
                len,
                crate::model::now(),
            )
            .map_err(|e| ImportError::new(&s.location, e.to_string()))?;
            span.set_note(s.note);
            span.set_attributes(s.attributes);
            doc.layer_mut(&layer_id)
                .insert(span)
                .map_err(|e| ImportError::new(&s.location, e.to_string()))?;
            added += 1;
        }
        doc.drop_layer_if_empty(&layer_id);
        if added > 0 {
            next.ensure_annotator(&layer_name);
        }
        report.spans += added;
        match existing {
            Some(i) => {
                report
                    .layers_added
                    .push((doc.id.clone(), layer_name, added));
                next.documents.insert(i, doc);
            }
            None => {
                report.documents_added.push(doc.id.clone());
                next.add_document(doc)
                    .map_err(|e| ImportError::new(&d.source_file, e))?;
            }
        }
    }
    *project = next;
    Ok(report)
}
