//! Turns parsed records into a [`Project`], collecting every problem with
//! the JSON path where it is, instead of stopping at the first.

use std::collections::HashSet;

use crate::model::{Document, Label, Layer, LayerId, Project, Span, SpanId};

use super::records::{DocumentRecord, ProjectRecord, SpanRecord};
use super::{LoadError, OFFSET_UNIT, Problem, key_path, validate_links};
use crate::io::progress::JobProgress;

struct Checker {
    problems: Vec<Problem>,
}

/// Where each span id was first seen, kept compact (no path string per span:
/// a project can hold millions) and spelled out only for a report.
#[derive(Default)]
struct SpanIds {
    first: rustc_hash::FxHashMap<u64, (u32, u32)>,
    /// JSON paths of the layers seen, indexed by the first number above.
    layer_paths: Vec<String>,
}

impl SpanIds {
    fn path(&self, (layer, index): (u32, u32)) -> String {
        format!("{}[{index}]", self.layer_paths[layer as usize])
    }
}

impl Checker {
    fn report(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }
}

/// Builds the project, or returns every problem found.
/// Reports one unit of `progress` per document; stops when it is cancelled.
pub(super) fn build_project(
    rec: ProjectRecord,
    progress: &JobProgress,
) -> Result<Project, LoadError> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if rec.offset_unit != OFFSET_UNIT {
        c.report(
            "offset_unit",
            format!(
                "{:?} is not supported; version 1 files use {OFFSET_UNIT:?}",
                rec.offset_unit
            ),
        );
    }
    check_schema(&mut c, &rec.schema.labels);
    for (path, message) in validate_links::check_event_schema(&rec.schema) {
        c.report(path, message);
    }

    let annotators = check_annotators(&mut c, &rec.annotators);
    if let Some(d) = &rec.default_annotator
        && !annotators.contains(d.as_str())
    {
        c.report("default_annotator", format!("{d:?} is not in annotators"));
    }

    let mut project = Project::new(rec.schema.clone());
    project.annotators = rec.annotators.clone();
    project.default_annotator = rec.default_annotator.clone();

    let mut doc_ids = Default::default();
    let mut span_ids = SpanIds::default();
    progress.stage("Checking and indexing", rec.documents.len() as u64);
    for (di, drec) in rec.documents.into_iter().enumerate() {
        if progress.is_cancelled() {
            return Err(LoadError::Cancelled);
        }
        let path = format!("documents[{di}]");
        check_document_id(&mut c, || path.clone(), &drec.id, &mut doc_ids);
        let doc = build_document(&mut c, &project, &annotators, &mut span_ids, &path, drec);
        if let Some(doc) = doc {
            // Ids were checked above (through a set), so no search of every
            // document per document: that made loading, and so every import
            // into, a 100k-document project quadratic.
            let at = project.documents.len();
            project.insert_document(at, doc);
        }
        progress.advance(1);
    }
    if c.problems.is_empty() {
        Ok(project)
    } else {
        Err(LoadError::Invalid(c.problems))
    }
}

/// Annotator names are non-empty and listed once; returns the set of them.
fn check_annotators<'a>(c: &mut Checker, names: &'a [String]) -> HashSet<&'a str> {
    let mut seen = HashSet::new();
    for (i, a) in names.iter().enumerate() {
        if a.trim().is_empty() {
            c.report(format!("annotators[{i}]"), "annotator name is empty");
        } else if !seen.insert(a.as_str()) {
            c.report(
                format!("annotators[{i}]"),
                format!("annotator {a:?} is listed twice"),
            );
        }
    }
    seen
}

/// A document id is non-empty and used once (`seen` holds the ones before).
/// `path` is spelled out only for a problem: saves check every document.
fn check_document_id(
    c: &mut Checker,
    path: impl Fn() -> String,
    id: &str,
    seen: &mut rustc_hash::FxHashSet<String>,
) {
    if id.trim().is_empty() {
        c.report(format!("{}.id", path()), "document id is empty");
    } else if !seen.insert(id.to_string()) {
        c.report(
            format!("{}.id", path()),
            format!("document id {id:?} is used twice"),
        );
    }
}

fn check_schema(c: &mut Checker, labels: &[Label]) {
    let mut names = HashSet::new();
    let mut keys = HashSet::new();
    for (i, l) in labels.iter().enumerate() {
        let path = format!("schema.labels[{i}]");
        if let Some(problem) = crate::model::label_name_problem(&l.name) {
            c.report(format!("{path}.name"), problem);
        } else if !names.insert(l.name.as_str()) {
            c.report(
                format!("{path}.name"),
                format!("label {:?} is defined twice", l.name),
            );
        }
        if let Some(k) = l.key
            && !keys.insert(k)
        {
            c.report(
                format!("{path}.key"),
                format!("key {k:?} is used by another label"),
            );
        }
    }
}

/// The JSON paths of a layer's frames and relations in the document at
/// `doc_path`.
fn links_paths(doc_path: &str, layer: &LayerId) -> (String, String) {
    match layer {
        LayerId::Annotator(name) => (
            format!("{doc_path}.frames{}", key_path(name)),
            format!("{doc_path}.relations{}", key_path(name)),
        ),
        LayerId::Gold => (
            format!("{doc_path}.gold_frames"),
            format!("{doc_path}.gold_relations"),
        ),
    }
}

/// The schema's rules on a layer's frames and relations, before a save
/// (paths are spelled out only for a layer that has links).
fn check_links(
    c: &mut Checker,
    project: &Project,
    layer: &Layer,
    doc_path: &dyn Fn() -> String,
    id: &LayerId,
) {
    if layer.links().is_empty() {
        return;
    }
    let paths = links_paths(&doc_path(), id);
    for (path, message) in validate_links::check_layer_links(&project.schema, layer, &paths) {
        c.report(path, message);
    }
}

/// Adds one layer's frames and relations, reporting what cannot be added.
fn link_layer(
    c: &mut Checker,
    project: &Project,
    layer: &mut Option<Layer>,
    frames: Vec<crate::model::Frame>,
    relations: Vec<crate::model::Relation>,
    (frames_path, relations_path): &(String, String),
) {
    let found = validate_links::build_links(
        &project.schema,
        layer,
        frames,
        frames_path,
        relations,
        relations_path,
    );
    for (path, message) in found {
        c.report(path, message);
    }
}

fn build_document(
    c: &mut Checker,
    project: &Project,
    annotators: &HashSet<&str>,
    span_ids: &mut SpanIds,
    path: &str,
    drec: DocumentRecord,
) -> Option<Document> {
    let mut doc = Document::new(drec.id, drec.name, drec.text);
    doc.source_file = drec.source_file;
    doc.status = drec.status;
    if let Some(text) = &drec.date {
        match crate::model::parse_date(text) {
            // Written by the writer exactly so: spaces around it are not ours.
            Ok(date) if date.to_string() == *text => doc.date = Some(date),
            Ok(_) => c.report(
                format!("{path}.date"),
                format!("{text:?} has spaces around it; write the date alone, e.g. 2025-03-14"),
            ),
            Err(e) => c.report(format!("{path}.date"), e.to_string()),
        }
    }
    if drec.fingerprint != doc.fingerprint() {
        c.report(
            format!("{path}.fingerprint"),
            format!(
                "{} does not match the text, whose fingerprint is {}: the text was edited after it was annotated, or the fingerprint is wrong",
                drec.fingerprint,
                doc.fingerprint()
            ),
        );
    }
    let layers = drec
        .layers
        .into_iter()
        .map(|(name, spans)| {
            (
                LayerId::Annotator(name.clone()),
                format!("{path}.layers{}", key_path(&name)),
                spans,
            )
        })
        .chain(
            drec.gold
                .map(|spans| (LayerId::Gold, format!("{path}.gold"), spans)),
        );
    let mut frames = drec.frames;
    let mut relations = drec.relations;
    let mut gold_links = Some((drec.gold_frames, drec.gold_relations));
    for (layer_id, layer_path, spans) in layers {
        if let LayerId::Annotator(name) = &layer_id
            && !annotators.contains(name.as_str())
        {
            c.report(
                layer_path.clone(),
                format!("layer {name:?} is not in annotators"),
            );
        }
        let layer_no = span_ids.layer_paths.len() as u32;
        span_ids.layer_paths.push(layer_path);
        let mut built = Vec::with_capacity(spans.len());
        for (si, srec) in spans.into_iter().enumerate() {
            let at = (layer_no, si as u32);
            if let Some(span) = build_span(c, project, &doc, span_ids, at, srec) {
                built.push(span);
            }
        }
        // Duplicate ids were reported above, so building cannot fail here.
        let mut layer = (!built.is_empty())
            .then(|| Layer::from_spans(built).ok())
            .flatten();
        let (layer_frames, layer_relations) = match &layer_id {
            LayerId::Annotator(name) => (
                frames.remove(name).unwrap_or_default(),
                relations.remove(name).unwrap_or_default(),
            ),
            LayerId::Gold => gold_links.take().unwrap_or_default(),
        };
        let links_path = links_paths(path, &layer_id);
        link_layer(
            c,
            project,
            &mut layer,
            layer_frames,
            layer_relations,
            &links_path,
        );
        if let Some(layer) = layer.filter(|l| !l.is_empty()) {
            doc.set_layer(&layer_id, layer);
        }
    }
    // Frames and relations of layers with no spans: each misses its spans.
    let mut orphans: Vec<_> = frames
        .into_iter()
        .map(|(name, f)| {
            let r = relations.remove(&name).unwrap_or_default();
            (name, f, r)
        })
        .collect();
    orphans.extend(relations.into_iter().map(|(name, r)| (name, Vec::new(), r)));
    let orphans = orphans
        .into_iter()
        .map(|(name, f, r)| (f, r, links_paths(path, &LayerId::Annotator(name))))
        .chain(gold_links.map(|(f, r)| (f, r, links_paths(path, &LayerId::Gold))));
    for (f, r, paths) in orphans {
        link_layer(c, project, &mut None, f, r, &paths);
    }
    for (i, d) in drec.decisions.into_iter().enumerate() {
        if d.a.is_none() && d.b.is_none() {
            c.report(
                format!("{path}.decisions[{i}]"),
                "a decision names neither an A nor a B span",
            );
        } else if doc.decisions.iter().any(|x| x.key() == d.key()) {
            c.report(
                format!("{path}.decisions[{i}]"),
                "a second decision on the same pair of spans",
            );
        } else {
            doc.decisions.push(d);
        }
    }
    for (i, d) in drec.frame_decisions.into_iter().enumerate() {
        if d.a.is_none() && d.b.is_none() {
            c.report(
                format!("{path}.frame_decisions[{i}]"),
                "an event decision names neither an A nor a B frame",
            );
        } else if doc.frame_decisions.iter().any(|x| x.key() == d.key()) {
            c.report(
                format!("{path}.frame_decisions[{i}]"),
                "a second decision on the same pair of events",
            );
        } else {
            doc.frame_decisions.push(d);
        }
    }
    Some(doc)
}

fn build_span(
    c: &mut Checker,
    project: &Project,
    doc: &Document,
    span_ids: &mut SpanIds,
    at: (u32, u32),
    s: SpanRecord,
) -> Option<Span> {
    let before = c.problems.len();
    let len = doc.char_len();
    match span_ids.first.get(&s.id) {
        Some(&first) => c.report(
            format!("{}.id", span_ids.path(at)),
            format!(
                "span id {} is already used at {}",
                s.id,
                span_ids.path(first)
            ),
        ),
        None => {
            span_ids.first.insert(s.id, at);
        }
    }
    let path = || span_ids.path(at);
    if s.start >= s.end {
        c.report(
            format!("{}.start", path()),
            format!(
                "start {} is not before end {} (spans cannot be empty or reversed)",
                s.start, s.end
            ),
        );
    } else if s.end > len as u64 {
        let mut message = format!("{} is past the end of the text ({len} code points)", s.end);
        let utf16 = doc.text().encode_utf16().count() as u64;
        if s.end <= utf16 {
            message.push_str(&format!(
                "; the text is {utf16} UTF-16 units long, so the offsets were probably \
                 counted in UTF-16 units (as JavaScript does), but Spanmark offsets count code points"
            ));
        }
        c.report(format!("{}.end", path()), message);
    }
    if !project.schema.contains(&s.label) {
        c.report(
            format!("{}.label", path()),
            format!("label {:?} is not in the schema", s.label),
        );
    }
    if c.problems.len() > before {
        return None;
    }
    let start = usize::try_from(s.start).ok()?;
    let end = usize::try_from(s.end).ok()?;
    let mut span = Span::new(
        SpanId(s.id),
        start,
        end,
        s.label,
        len,
        jiff::Timestamp::UNIX_EPOCH,
    )
    .ok()?;
    span.set_note(s.note);
    span.set_attributes(s.attributes);
    span.created = s.created;
    span.modified = s.modified;
    span.set_provenance(s.provenance.map(Box::new));
    Some(span)
}

/// Every rule of [`build_project`] and of the limits scan, checked on a
/// project in memory before it is saved: a save never writes a file that
/// load would refuse, whoever built the project (an importer, the app, a
/// library caller).
pub(super) fn check_model(project: &Project) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    check_schema(&mut c, &project.schema.labels);
    for (path, message) in validate_links::check_event_schema(&project.schema) {
        c.report(path, message);
    }
    for (i, l) in project.schema.labels.iter().enumerate() {
        check_len(&mut c, || format!("schema.labels[{i}].name"), &l.name);
        check_len(
            &mut c,
            || format!("schema.labels[{i}].guideline"),
            &l.guideline,
        );
    }
    // The writer lists the project's annotators, then every layer owner missing from them.
    let annotators = check_annotators(&mut c, &project.annotators);
    for (i, a) in project.annotators.iter().enumerate() {
        check_len(&mut c, || format!("annotators[{i}]"), a);
    }
    let mut doc_ids = Default::default();
    let mut span_ids: rustc_hash::FxHashSet<u64> = Default::default();
    for (di, d) in project.documents.iter().enumerate() {
        // Paths are spelled out only for a problem: this runs on every save.
        let path = || format!("documents[{di}]");
        check_document_id(&mut c, path, &d.id, &mut doc_ids);
        check_len(&mut c, || format!("{}.id", path()), &d.id);
        check_len(&mut c, || format!("{}.name", path()), &d.name);
        if let Some(f) = &d.source_file {
            check_len(&mut c, || format!("{}.source_file", path()), f);
        }
        if let Some(date) = d.date
            && !(0..=9999).contains(&date.year())
        {
            // The file writes four-digit years only (see document_date).
            c.report(
                format!("{}.date", path()),
                format!("{date} is outside the years 0000 to 9999"),
            );
        }
        for (name, layer) in &d.layers {
            let layer_path = || format!("{}.layers{}", path(), key_path(name));
            if name.trim().is_empty() {
                c.report(layer_path(), "annotator name is empty");
            }
            check_len(&mut c, layer_path, name);
            check_spans(&mut c, project, d, layer, &layer_path, &mut span_ids);
            let id = LayerId::Annotator(name.clone());
            check_links(&mut c, project, layer, &path, &id);
        }
        if let Some(gold) = &d.gold {
            check_spans(
                &mut c,
                project,
                d,
                gold,
                &|| format!("{}.gold", path()),
                &mut span_ids,
            );
            check_links(&mut c, project, gold, &path, &LayerId::Gold);
        }
        let mut keys = HashSet::new();
        for (i, x) in d.decisions.iter().enumerate() {
            check_len(
                &mut c,
                || format!("{}.decisions[{i}].reviewer", path()),
                &x.reviewer,
            );
            if x.a.is_none() && x.b.is_none() {
                c.report(
                    format!("{}.decisions[{i}]", path()),
                    "a decision names neither an A nor a B span",
                );
            } else if !keys.insert(x.key()) {
                c.report(
                    format!("{}.decisions[{i}]", path()),
                    "a second decision on the same pair of spans",
                );
            }
        }
        let mut frame_keys = HashSet::new();
        for (i, x) in d.frame_decisions.iter().enumerate() {
            check_len(
                &mut c,
                || format!("{}.frame_decisions[{i}].reviewer", path()),
                &x.reviewer,
            );
            if x.a.is_none() && x.b.is_none() {
                c.report(
                    format!("{}.frame_decisions[{i}]", path()),
                    "an event decision names neither an A nor a B frame",
                );
            } else if !frame_keys.insert(x.key()) {
                c.report(
                    format!("{}.frame_decisions[{i}]", path()),
                    "a second decision on the same pair of events",
                );
            }
        }
    }
    if let Some(d) = &project.default_annotator {
        check_len(&mut c, || "default_annotator".into(), d);
        let listed = annotators.contains(d.as_str())
            || project
                .documents
                .iter()
                .any(|doc| doc.layers.contains_key(d));
        // The writer adds a missing default to the list, so only an empty one is wrong.
        if !listed && d.trim().is_empty() {
            c.report("default_annotator", "annotator name is empty");
        }
    }
    c.problems
}

fn check_spans(
    c: &mut Checker,
    project: &Project,
    doc: &Document,
    layer: &Layer,
    layer_path: &dyn Fn() -> String,
    span_ids: &mut rustc_hash::FxHashSet<u64>,
) {
    let len = doc.char_len();
    // Problems are rare: a path is only spelled out for one.
    for (si, s) in layer.iter().enumerate() {
        let at = || format!("{}[{si}]", layer_path());
        if !span_ids.insert(s.id().0) {
            c.report(
                format!("{}.id", at()),
                format!("span id {} is used by another span", s.id().0),
            );
        }
        if s.start() >= s.end() || s.end() > len {
            c.report(
                format!("{}.end", at()),
                format!(
                    "the span {}..{} is not inside the text ({len} code points)",
                    s.start(),
                    s.end()
                ),
            );
        }
        if !project.schema.contains(&s.label) {
            c.report(
                format!("{}.label", at()),
                format!("label {:?} is not in the schema", s.label),
            );
        }
        check_len(c, || format!("{}.note", at()), s.note());
        for (k, v) in s.attributes() {
            check_len(c, || format!("{}.attributes", at()), k);
            check_len(c, || format!("{}.attributes{}", at(), key_path(k)), v);
        }
        if let Some(p) = s.provenance() {
            check_len(c, || format!("{}.provenance.reviewer", at()), &p.reviewer);
            for a in &p.annotators {
                check_len(c, || format!("{}.provenance.annotators", at()), a);
            }
        }
    }
}

/// The limits scan refuses a string (other than a document text) whose JSON
/// form is over [`super::MAX_STRING_BYTES`].
fn check_len(c: &mut Checker, path: impl FnOnce() -> String, s: &str) {
    // Escaping makes a string at most 6 times longer; count only when it could matter.
    if s.len().saturating_mul(6) <= super::MAX_STRING_BYTES {
        return;
    }
    let escaped: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0C => 2,
            0..0x20 => 6,
            _ => 1,
        })
        .sum();
    if escaped > super::MAX_STRING_BYTES {
        c.report(
            path(),
            format!(
                "is {escaped} bytes long in JSON; the limit is {} bytes (64 MiB)",
                super::MAX_STRING_BYTES
            ),
        );
    }
}
