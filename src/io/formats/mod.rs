//! Exchange formats, one file per format. Exports stream one document at a
//! time and write only inside the chosen folder.

pub mod brat;
pub mod brat_links;
pub mod brat_read;
pub mod conll;
pub mod csv_safe;
pub mod csv_spans;
pub mod doccano;
pub mod events;
pub mod export_dir;
pub mod hf;
pub mod import;
pub mod imported;
pub mod iob;
pub mod label_names;
pub mod label_studio;
pub mod label_studio_read;
pub mod lines;
pub mod merge;
mod merge_links;
pub mod overlap;
pub mod paths;
pub mod spacy_jsonl;

pub mod unique_json;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::lcg::Lcg;
use crate::model::{DocStatus, Document, LayerId, Project, Span};

pub use overlap::OverlapPolicy;

/// Formats `spanmark export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Conll,
    Hf,
    Brat,
    Doccano,
    LabelStudio,
    Csv,
    /// One row per event frame (CSV and JSON Lines).
    Events,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Jsonl,
        ExportFormat::Conll,
        ExportFormat::Hf,
        ExportFormat::Brat,
        ExportFormat::Doccano,
        ExportFormat::LabelStudio,
        ExportFormat::Csv,
        ExportFormat::Events,
    ];
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Conll => "conll",
            ExportFormat::Hf => "hf",
            ExportFormat::Brat => "brat",
            ExportFormat::Doccano => "doccano",
            ExportFormat::LabelStudio => "label-studio",
            ExportFormat::Csv => "csv",
            ExportFormat::Events => "events",
        }
    }
}

impl FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.name()).collect();
                format!("unknown format {s:?}; use one of {}", names.join(", "))
            })
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Formats `spanmark import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Brat,
    Doccano,
    LabelStudio,
    Jsonl,
    Conll,
    Txt,
}

impl FromStr for ImportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "brat" => Self::Brat,
            "doccano" => Self::Doccano,
            "label-studio" => Self::LabelStudio,
            "jsonl" => Self::Jsonl,
            "conll" => Self::Conll,
            "txt" => Self::Txt,
            other => {
                return Err(format!(
                    "unknown format {other:?}; use brat, doccano, label-studio, jsonl, conll or txt"
                ));
            }
        })
    }
}

/// Which layer to export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LayerChoice {
    /// Gold if any document has it, else the only annotator layer.
    #[default]
    Auto,
    Gold,
    Annotator(String),
}

/// One record per sentence or per document (CoNLL and Hugging Face).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    #[default]
    Sentence,
    Document,
}

/// Named parts with fractions, e.g. train=0.8,dev=0.1,test=0.1.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub parts: Vec<(String, f64)>,
    pub seed: u64,
}

impl Split {
    /// Parses `train=0.8,dev=0.1,test=0.1`.
    pub fn parse(spec: &str, seed: u64) -> Result<Split, String> {
        let mut parts = Vec::new();
        for item in spec.split(',') {
            let (name, frac) = item
                .split_once('=')
                .ok_or_else(|| format!("{item:?} is not NAME=FRACTION"))?;
            let frac: f64 = frac
                .trim()
                .parse()
                .map_err(|_| format!("{frac:?} is not a number"))?;
            let name = name.trim();
            // Hugging Face split names must match \w+.
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("split name {name:?} must be letters, digits or _"));
            }
            let hf = |n: &str| {
                if n == "dev" {
                    "validation".to_string()
                } else {
                    n.to_string()
                }
            };
            if parts.iter().any(|(p, _): &(String, f64)| hf(p) == hf(name)) {
                return Err(format!(
                    "split name {name:?} is used twice (dev and validation are the same part)"
                ));
            }
            if !(0.0..=1.0).contains(&frac) {
                return Err(format!("fraction {frac} is not between 0 and 1"));
            }
            parts.push((name.to_string(), frac));
        }
        let total: f64 = parts.iter().map(|p| p.1).sum();
        if (total - 1.0).abs() > 1e-6 {
            return Err(format!("split fractions add up to {total}, not 1"));
        }
        Ok(Split { parts, seed })
    }

    /// Assigns each of `n` documents to a part: shuffled by the seed, whole documents only.
    pub fn assign(&self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..n).collect();
        let mut rng = Lcg::new(self.seed);
        for i in (1..n).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        let mut part_of = vec![0; n];
        let mut cumulative = 0.0;
        let mut next = 0usize;
        for (p, (_, frac)) in self.parts.iter().enumerate() {
            cumulative += frac;
            let upto = if p + 1 == self.parts.len() {
                n
            } else {
                (cumulative * n as f64).round() as usize
            };
            while next < upto.min(n) {
                part_of[order[next]] = p;
                next += 1;
            }
        }
        part_of
    }
}

/// Everything an export needs besides the project.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Counts documents as they are written (for a progress bar).
    pub progress: Progress,
    pub layer: LayerChoice,
    pub only_done: bool,
    pub split: Option<Split>,
    pub unit: Unit,
    pub overlap: OverlapPolicy,
    /// CSV: write cells exactly as they are, without the `'` that keeps a
    /// spreadsheet from running a cell such as `=HYPERLINK(…)` as a formula.
    pub raw: bool,
    /// Write into a folder that holds files an earlier export did not make
    /// (they are left alone; files of the same name are replaced).
    pub force: bool,
}

/// Why an export could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("choose a layer with --layer NAME or --gold: this project has {}", .0.join(", "))]
    AmbiguousLayer(Vec<String>),
    #[error("no layer {0:?} in this project")]
    NoSuchLayer(String),
    #[error("nothing to export: {0}")]
    Nothing(String),
    #[error(
        "{} is a symbolic link to {}, which does not exist; create that folder or choose another folder",
        link.display(), target.display()
    )]
    DanglingLink { link: PathBuf, target: PathBuf },
    #[error(
        "{} holds files Spanmark did not make: {}; export into a new or empty folder, or allow other files there (--force)",
        dir.display(), examples.join(", ")
    )]
    ForeignFiles { dir: PathBuf, examples: Vec<String> },
    #[error("{} is not a Spanmark export manifest ({reason}); remove it or allow other files (--force)", path.display())]
    BadManifest { path: PathBuf, reason: String },
    // The OS error is in the message, not also a `source` (anyhow would print it twice).
    #[error("cannot write {}: {error}", .path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// A span an export left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub document: String,
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub reason: &'static str,
}

impl Dropped {
    pub fn new(doc: &Document, span: &Span, reason: &'static str) -> Self {
        Dropped {
            document: doc.id.clone(),
            start: span.start(),
            end: span.end(),
            label: span.label.clone(),
            reason,
        }
    }
}

/// Counts documents written, so a progress bar can follow an export running
/// on another thread.
#[derive(Debug, Clone, Default)]
pub struct Progress(Option<std::sync::Arc<crate::io::JobProgress>>);

impl Progress {
    /// Counts written documents into `job`'s current stage.
    pub fn new(job: std::sync::Arc<crate::io::JobProgress>) -> Self {
        Progress(Some(job))
    }
    /// One more document written.
    pub fn tick(&self) {
        if let Some(job) = &self.0 {
            job.advance(1);
        }
    }
}

impl PartialEq for Progress {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// What an export did, for the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportSummary {
    /// Documents written so far (for progress bars; not part of the result).
    pub progress: Progress,
    pub layer: String,
    pub documents: usize,
    pub spans: usize,
    /// Event frames written (the event table).
    pub frames: usize,
    /// Word tokens cut at a span edge (token formats).
    pub tokens_split: usize,
    /// Spans the format could not carry, with the reason.
    pub dropped: Vec<Dropped>,
    /// Documents exported with no spans because they lack the chosen layer.
    pub without_layer: Vec<String>,
    pub files: Vec<PathBuf>,
    /// What the caller found worth saying about the data (an incomplete
    /// gold review, for example), printed before the files.
    pub warnings: Vec<String>,
}

impl fmt::Display for ExportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "exported {} document(s), {} span(s) from layer {}",
            self.documents, self.spans, self.layer
        )?;
        if self.frames > 0 {
            writeln!(f, "{} event(s) in the event table", self.frames)?;
        }
        if self.tokens_split > 0 {
            writeln!(f, "{} token(s) split at span edges", self.tokens_split)?;
        }
        if !self.without_layer.is_empty() {
            writeln!(
                f,
                "{} document(s) have no layer {} and were exported without spans: {}",
                self.without_layer.len(),
                self.layer,
                self.without_layer.join(", ")
            )?;
        }
        if !self.dropped.is_empty() {
            writeln!(f, "{} span(s) left out:", self.dropped.len())?;
            for d in &self.dropped {
                writeln!(
                    f,
                    "  {} {}-{} {}: {}",
                    d.document, d.start, d.end, d.label, d.reason
                )?;
            }
        }
        for w in &self.warnings {
            writeln!(f, "{w}")?;
        }
        for p in &self.files {
            writeln!(f, "wrote {}", p.display())?;
        }
        Ok(())
    }
}

/// The layer the options pick for this project.
pub fn resolve_layer(project: &Project, choice: &LayerChoice) -> Result<LayerId, ExportError> {
    match choice {
        LayerChoice::Gold => {
            if project.documents.iter().any(|d| d.gold.is_some()) {
                Ok(LayerId::Gold)
            } else {
                Err(ExportError::NoSuchLayer("gold".into()))
            }
        }
        LayerChoice::Annotator(name) => {
            let known = project.annotators.contains(name)
                || project
                    .documents
                    .iter()
                    .any(|d| d.layers.contains_key(name));
            if known {
                Ok(LayerId::Annotator(name.clone()))
            } else {
                Err(ExportError::NoSuchLayer(name.clone()))
            }
        }
        LayerChoice::Auto => {
            if project.documents.iter().any(|d| d.gold.is_some()) {
                return Ok(LayerId::Gold);
            }
            let mut names = project.layer_names();
            match names.len() {
                0 => Err(ExportError::Nothing("no document has any spans".into())),
                1 => Ok(LayerId::Annotator(names.remove(0))),
                _ => Err(ExportError::AmbiguousLayer(names)),
            }
        }
    }
}

/// A document with the spans of the chosen layer, in text order.
pub struct ExportDoc<'a> {
    pub doc: &'a Document,
    pub spans: Vec<&'a Span>,
    /// The layer's event frames, in id order.
    pub frames: Vec<&'a crate::model::Frame>,
    layer: Option<&'a crate::model::Layer>,
}

impl<'a> ExportDoc<'a> {
    /// Document `doc` with the spans and frames of its layer `layer`.
    pub fn new(doc: &'a Document, layer: &LayerId) -> Self {
        let l = doc.layer(layer);
        ExportDoc {
            doc,
            spans: l.map(|l| l.iter().collect()).unwrap_or_default(),
            frames: l.map(|l| l.frames().collect()).unwrap_or_default(),
            layer: l,
        }
    }

    /// The layer's binary relations, in id order.
    pub fn relations(&self) -> impl Iterator<Item = &'a crate::model::Relation> + use<'a> {
        self.layer.into_iter().flat_map(|l| l.links().relations())
    }

    /// A span of the exported layer by id.
    pub fn span(&self, id: crate::model::SpanId) -> Option<&'a Span> {
        self.layer.and_then(|l| l.get(id))
    }

    /// The document's date as a record carries it: `"2025-03-14"`, or null.
    pub fn date_json(&self) -> serde_json::Value {
        self.doc
            .date
            .map_or(serde_json::Value::Null, |d| d.to_string().into())
    }
}

/// Whether any document of an export has a date. Then every record carries
/// `date` (null where a document has none), so the field has one shape for
/// consumers that infer a schema from the first rows (pandas, Hugging Face
/// datasets); an export without dates stays as it was.
pub fn any_dated(parts: &[(String, Vec<&ExportDoc<'_>>)]) -> bool {
    parts
        .iter()
        .flat_map(|(_, docs)| docs)
        .any(|d| d.doc.date.is_some())
}

/// Documents to export (done ones only if asked), with the layer's spans.
pub fn export_docs<'a>(
    project: &'a Project,
    layer: &LayerId,
    only_done: bool,
) -> Vec<ExportDoc<'a>> {
    project
        .documents
        .iter()
        .filter(|d| !only_done || d.status == DocStatus::Done)
        .map(|doc| ExportDoc::new(doc, layer))
        .collect()
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |error| ExportError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Creates `dir` (and parents); exports write nowhere else.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), ExportError> {
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(export_dir::not_a_folder(dir));
    }
    std::fs::create_dir_all(dir).map_err(io_err(dir))
}

/// Writes `bytes` to `dir/name` atomically and records it.
pub(crate) fn write_file(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let path = dir.join(name);
    super::atomic::write_atomic(&path, bytes).map_err(io_err(&path))?;
    summary.files.push(path);
    Ok(())
}

/// Writes `dir/name` atomically from `produce`, which runs on a second
/// thread while its output is written to the file in pieces (nothing is held
/// in memory whole, and making and writing overlap), and records it.
pub(crate) fn write_file_with(
    dir: &Path,
    name: &str,
    summary: &mut ExportSummary,
    produce: impl FnOnce(&mut PieceWriter, &mut ExportSummary) -> std::io::Result<()> + Send,
) -> Result<(), ExportError> {
    let path = dir.join(name);
    super::atomic::write_atomic_pipelined(
        &path,
        false,
        |w| produce(w, &mut *summary),
        |_| {},
        || Ok(()),
    )
    .map_err(io_err(&path))?;
    summary.files.push(path);
    Ok(())
}

pub(crate) use super::atomic::PieceWriter;

/// Exports the project to the folder `out` in `format`.
pub fn export(
    project: &Project,
    format: ExportFormat,
    out: &Path,
    options: &ExportOptions,
) -> Result<ExportSummary, ExportError> {
    let layer = resolve_layer(project, &options.layer)?;
    let docs = export_docs(project, &layer, options.only_done);
    if docs.is_empty() {
        return Err(ExportError::Nothing(if options.only_done {
            "no document is marked done".into()
        } else {
            "the project has no documents".into()
        }));
    }
    let staging = export_dir::Staging::begin(out, options.force)?;
    let mut summary = ExportSummary {
        layer: layer.to_string(),
        documents: docs.len(),
        progress: options.progress.clone(),
        ..Default::default()
    };
    summary.without_layer = docs
        .iter()
        .filter(|d| d.doc.layer(&layer).is_none())
        .map(|d| d.doc.id.clone())
        .collect();
    summary.spans = docs.iter().map(|d| d.spans.len()).sum();
    // Parts: (file/folder name, documents in it).
    let parts: Vec<(String, Vec<&ExportDoc<'_>>)> = match &options.split {
        None => vec![(String::new(), docs.iter().collect())],
        Some(split) => {
            let assign = split.assign(docs.len());
            split
                .parts
                .iter()
                .enumerate()
                .map(|(p, (name, _))| {
                    (
                        name.clone(),
                        docs.iter()
                            .zip(&assign)
                            .filter(|(_, a)| **a == p)
                            .map(|(d, _)| d)
                            .collect(),
                    )
                })
                .collect()
        }
    };
    let dir = staging.dir();
    let written = match format {
        ExportFormat::Jsonl => spacy_jsonl::write(&parts, dir, &mut summary),
        ExportFormat::Conll => conll::write(&parts, dir, options, &mut summary),
        ExportFormat::Hf => hf::write(project, &parts, dir, options, &mut summary),
        ExportFormat::Brat => brat::write(project, &parts, dir, &mut summary),
        ExportFormat::Doccano => doccano::write(&parts, dir, &mut summary),
        ExportFormat::LabelStudio => label_studio::write(project, &parts, dir, &mut summary),
        ExportFormat::Csv => {
            let cells = csv_safe::CellWriter { raw: options.raw };
            csv_spans::write(&parts, dir, cells, &mut summary)
        }
        ExportFormat::Events => {
            let cells = csv_safe::CellWriter { raw: options.raw };
            events::write(&project.schema, &parts, dir, cells, &mut summary)
        }
    };
    let frames: usize = docs.iter().map(|d| d.frames.len()).sum();
    if !matches!(
        format,
        ExportFormat::Events
            | ExportFormat::Brat
            | ExportFormat::Doccano
            | ExportFormat::LabelStudio
            | ExportFormat::Jsonl
    ) && frames > 0
    {
        summary.warnings.push(format!(
            "{frames} event frame(s) not exported ({format} has no relations; \
             --format events writes them as a table)"
        ));
    }
    written.map_err(|e| staging.explain(e))?;
    staging.commit(format, &mut summary)?;
    Ok(summary)
}

/// Base file name of a part: `data` without a split, else the part's name.
pub(crate) fn part_name(name: &str) -> &str {
    if name.is_empty() { "data" } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_deterministic_and_keeps_documents_whole() {
        let s = Split::parse("train=0.8,dev=0.1,test=0.1", 42).unwrap();
        let a = s.assign(100);
        assert_eq!(a, s.assign(100));
        let count = |p| a.iter().filter(|x| **x == p).count();
        assert_eq!((count(0), count(1), count(2)), (80, 10, 10));
        assert_ne!(
            a,
            Split::parse("train=0.8,dev=0.1,test=0.1", 7)
                .unwrap()
                .assign(100)
        );
        assert!(Split::parse("train=0.8,dev=0.1", 1).is_err());
        assert!(Split::parse("../x=1", 1).is_err());
        assert!(Split::parse("a=0.5,a=0.5", 1).is_err());
        assert!(Split::parse("dev=0.5,validation=0.5", 1).is_err());
        assert!(Split::parse("held-out=1", 1).is_err());
    }
}
