//! Deterministic writer: the same project always gives the same bytes.
//! Structure is indented; each span and label is one compact line, so a
//! project diffs line-per-span in version control.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{Attributes, Document, Label, Layer, Project, Provenance};

use crate::io::progress::JobProgress;

use super::{FORMAT_NAME, FORMAT_VERSION, OFFSET_UNIT};

#[derive(Serialize)]
struct SpanOut<'a> {
    id: u64,
    start: usize,
    end: usize,
    label: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    note: &'a str,
    #[serde(skip_serializing_if = "Attributes::is_empty")]
    attributes: &'a Attributes,
    // As jiff writes a timestamp (RFC 3339 in UTC), spelled out once per
    // second by [`TimeText`].
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provenance: Option<&'a Provenance>,
}

fn json<W: Write, T: Serialize + ?Sized>(w: &mut W, v: &T) -> io::Result<()> {
    // From keeps an I/O error as it was (its kind, and a payload such as the size limit).
    serde_json::to_writer(&mut *w, v).map_err(io::Error::from)
}

/// Annotator names to write: the project's list plus any layer owner missing from it.
fn annotators(project: &Project) -> Vec<&str> {
    let mut out: Vec<&str> = project.annotators.iter().map(String::as_str).collect();
    let mut extra: Vec<&str> = project
        .documents
        .iter()
        .flat_map(|d| d.layers.keys().map(String::as_str))
        .filter(|n| !out.contains(n))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    out.extend(extra);
    if let Some(d) = &project.default_annotator
        && !out.contains(&d.as_str())
    {
        out.push(d);
    }
    out
}

/// Writes the project in the current format version.
pub(crate) fn write_project<W: Write>(
    w: &mut W,
    project: &Project,
    progress: &JobProgress,
) -> io::Result<()> {
    write!(w, "{{\n  \"format\": ")?;
    json(w, FORMAT_NAME)?;
    write!(
        w,
        ",\n  \"version\": {FORMAT_VERSION},\n  \"offset_unit\": "
    )?;
    json(w, OFFSET_UNIT)?;
    if let Some(d) = &project.default_annotator {
        write!(w, ",\n  \"default_annotator\": ")?;
        json(w, d)?;
    }
    write!(w, ",\n  \"annotators\": ")?;
    json(w, &annotators(project))?;
    write!(w, ",\n  \"schema\": {{\n    \"labels\": [")?;
    write_lines(w, &project.schema.labels, "      ", |w, l: &Label| {
        json(w, l)
    })?;
    write!(w, "],\n    \"events\": ")?;
    json(w, &project.schema.events)?;
    write!(w, "\n  }},\n  \"documents\": [")?;
    let mut times = Times::default();
    write_lines(w, &project.documents, "    ", |w, d| {
        write_document(w, d, &mut times)?;
        progress.advance(1);
        Ok(())
    })?;
    writeln!(w, "]\n}}")
}

/// Writes items one per line at `indent`, comma-separated, for a JSON array body.
fn write_lines<W: Write, T>(
    w: &mut W,
    items: impl IntoIterator<Item = T>,
    indent: &str,
    mut each: impl FnMut(&mut W, T) -> io::Result<()>,
) -> io::Result<()> {
    let mut any = false;
    for (i, item) in items.into_iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        w.write_all(indent.as_bytes())?;
        each(w, item)?;
        any = true;
    }
    if any {
        // Close bracket one level out.
        write!(w, "\n{}", &indent[..indent.len().saturating_sub(2)])?;
    }
    Ok(())
}

fn write_document<W: Write>(w: &mut W, d: &Document, times: &mut Times) -> io::Result<()> {
    w.write_all(b"{\n      \"id\": ")?;
    json(w, &d.id)?;
    w.write_all(b",\n      \"name\": ")?;
    json(w, &d.name)?;
    if let Some(f) = &d.source_file {
        w.write_all(b",\n      \"source_file\": ")?;
        json(w, f)?;
    }
    w.write_all(b",\n      \"status\": ")?;
    json(w, &d.status)?;
    if let Some(date) = &d.date {
        w.write_all(b",\n      \"date\": ")?;
        json(w, &date.to_string())?;
    }
    w.write_all(b",\n      \"fingerprint\": ")?;
    json(w, d.fingerprint())?;
    w.write_all(b",\n      \"text\": ")?;
    json(w, d.text())?;
    w.write_all(b",\n      \"layers\": {")?;
    let mut first = true;
    for (name, layer) in &d.layers {
        w.write_all(if first { b"\n        " } else { b",\n        " })?;
        first = false;
        json(w, name)?;
        w.write_all(b": [")?;
        write_spans(w, layer, "          ", times)?;
        w.write_all(b"]")?;
    }
    if !first {
        w.write_all(b"\n      ")?;
    }
    w.write_all(b"}")?;
    if let Some(gold) = &d.gold {
        w.write_all(b",\n      \"gold\": [")?;
        write_spans(w, gold, "        ", times)?;
        w.write_all(b"]")?;
    }
    if !d.decisions.is_empty() {
        w.write_all(b",\n      \"decisions\": [")?;
        write_lines(w, &d.decisions, "        ", |w, x| json(w, x))?;
        w.write_all(b"]")?;
    }
    if !d.frame_decisions.is_empty() {
        w.write_all(b",\n      \"frame_decisions\": [")?;
        write_lines(w, &d.frame_decisions, "        ", |w, x| json(w, x))?;
        w.write_all(b"]")?;
    }
    write_links(w, d)?;
    w.write_all(b"\n    }")
}

/// Frames and relations, one per line, under `frames` / `relations` per
/// annotator and `gold_frames` / `gold_relations`; nothing when a document
/// has none (a project without events reads like version 1).
fn write_links<W: Write>(w: &mut W, d: &Document) -> io::Result<()> {
    let with = |has: fn(&Layer) -> bool| -> Vec<(&String, &Layer)> {
        d.layers.iter().filter(|(_, l)| has(l)).collect()
    };
    let has_frames: fn(&Layer) -> bool = |l| l.frames().len() > 0;
    let has_relations: fn(&Layer) -> bool = |l| l.links().relations().len() > 0;
    let framed = with(has_frames);
    if !framed.is_empty() {
        w.write_all(b",\n      \"frames\": {")?;
        write_map(w, &framed, |w, l| {
            write_lines(w, l.frames(), "          ", |w, f| json(w, f))
        })?;
    }
    if let Some(gold) = d.gold.as_ref().filter(|g| has_frames(g)) {
        w.write_all(b",\n      \"gold_frames\": [")?;
        write_lines(w, gold.frames(), "        ", |w, f| json(w, f))?;
        w.write_all(b"]")?;
    }
    let related = with(has_relations);
    if !related.is_empty() {
        w.write_all(b",\n      \"relations\": {")?;
        write_map(w, &related, |w, l| {
            write_lines(w, l.links().relations(), "          ", |w, r| json(w, r))
        })?;
    }
    if let Some(gold) = d.gold.as_ref().filter(|g| has_relations(g)) {
        w.write_all(b",\n      \"gold_relations\": [")?;
        write_lines(w, gold.links().relations(), "        ", |w, r| json(w, r))?;
        w.write_all(b"]")?;
    }
    Ok(())
}

/// `{"name": [ ... ], ...}` at the document's indent, the object already opened.
fn write_map<W: Write>(
    w: &mut W,
    layers: &[(&String, &Layer)],
    mut body: impl FnMut(&mut W, &Layer) -> io::Result<()>,
) -> io::Result<()> {
    for (i, (name, layer)) in layers.iter().enumerate() {
        w.write_all(if i == 0 {
            b"\n        "
        } else {
            b",\n        "
        })?;
        json(w, name)?;
        w.write_all(b": [")?;
        body(w, layer)?;
        w.write_all(b"]")?;
    }
    w.write_all(b"\n      }")
}

/// The text of the last timestamp written. Spans made in the same second
/// (every span of an import, most of a session's) share it, and spelling a
/// time out per span was a visible share of saving a large project.
#[derive(Default)]
struct TimeText {
    last: Option<(jiff::Timestamp, String)>,
}

impl TimeText {
    fn of(&mut self, t: Option<jiff::Timestamp>) -> Option<&str> {
        let t = t?;
        if self.last.as_ref().is_none_or(|(l, _)| *l != t) {
            self.last = Some((t, t.to_string()));
        }
        self.last.as_ref().map(|(_, text)| text.as_str())
    }
}

/// The times texts of a save: one for created, one for modified.
#[derive(Default)]
struct Times {
    created: TimeText,
    modified: TimeText,
}

fn write_spans<W: Write>(
    w: &mut W,
    layer: &Layer,
    indent: &str,
    times: &mut Times,
) -> io::Result<()> {
    write_lines(w, layer.iter(), indent, |w, s| {
        json(
            w,
            &SpanOut {
                id: s.id().0,
                start: s.start(),
                end: s.end(),
                label: &s.label,
                note: s.note(),
                attributes: s.attributes(),
                created: times.created.of(s.created),
                modified: times.modified.of(s.modified),
                provenance: s.provenance(),
            },
        )
    })
}
