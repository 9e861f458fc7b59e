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
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<jiff::Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modified: Option<jiff::Timestamp>,
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

/// Writes the project as format version 1.
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
    write!(w, "]\n  }},\n  \"documents\": [")?;
    write_lines(w, &project.documents, "    ", |w, d| {
        write_document(w, d)?;
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

fn write_document<W: Write>(w: &mut W, d: &Document) -> io::Result<()> {
    write!(w, "{{\n      \"id\": ")?;
    json(w, &d.id)?;
    write!(w, ",\n      \"name\": ")?;
    json(w, &d.name)?;
    if let Some(f) = &d.source_file {
        write!(w, ",\n      \"source_file\": ")?;
        json(w, f)?;
    }
    write!(w, ",\n      \"status\": ")?;
    json(w, &d.status)?;
    write!(w, ",\n      \"fingerprint\": ")?;
    json(w, d.fingerprint())?;
    write!(w, ",\n      \"text\": ")?;
    json(w, d.text())?;
    write!(w, ",\n      \"layers\": {{")?;
    let mut first = true;
    for (name, layer) in &d.layers {
        w.write_all(if first { b"\n        " } else { b",\n        " })?;
        first = false;
        json(w, name)?;
        w.write_all(b": [")?;
        write_spans(w, layer, "          ")?;
        w.write_all(b"]")?;
    }
    if !first {
        w.write_all(b"\n      ")?;
    }
    w.write_all(b"}")?;
    if let Some(gold) = &d.gold {
        write!(w, ",\n      \"gold\": [")?;
        write_spans(w, gold, "        ")?;
        w.write_all(b"]")?;
    }
    if !d.decisions.is_empty() {
        write!(w, ",\n      \"decisions\": [")?;
        write_lines(w, &d.decisions, "        ", |w, x| json(w, x))?;
        w.write_all(b"]")?;
    }
    w.write_all(b"\n    }")
}

fn write_spans<W: Write>(w: &mut W, layer: &Layer, indent: &str) -> io::Result<()> {
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
                created: s.created,
                modified: s.modified,
                provenance: s.provenance(),
            },
        )
    })
}
