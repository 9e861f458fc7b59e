//! doccano sequence-labelling JSONL: `{"text": …, "label": [[start, end, "LABEL"], …]}`,
//! offsets in code points (doccano is Python). Nested spans are kept.

use std::path::Path;

use serde_json::json;

use super::{ExportDoc, ExportError, ExportSummary, part_name, write_file};

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for (name, docs) in parts {
        let mut buf = Vec::new();
        for d in docs {
            summary.progress.tick();
            let labels: Vec<_> = d
                .spans
                .iter()
                .map(|s| json!([s.start(), s.end(), s.label]))
                .collect();
            let line = json!({"text": d.doc.text(), "label": labels});
            serde_json::to_writer(&mut buf, &line)
                .map_err(std::io::Error::other)
                .map_err(super::io_err(out))?;
            buf.push(b'\n');
        }
        write_file(
            out,
            &format!("{}.doccano.jsonl", part_name(name)),
            &buf,
            summary,
        )?;
    }
    Ok(())
}

/// Reads doccano JSONL in the `label` (or older `labels`) and the `entities` shapes.
pub fn read(
    path: &Path,
) -> Result<Vec<super::imported::ImportedDoc>, super::imported::ImportError> {
    super::imported::read_jsonl(path, line_spans)
}

/// [`read`], handing each line's document to `sink` as soon as it is read.
pub fn read_into(
    path: &Path,
    sink: &mut super::imported::DocSink<'_>,
) -> Result<(), super::imported::ImportError> {
    super::imported::read_jsonl_into(path, line_spans, sink)
}

/// [`read`] on bytes already read; `name` is the file name for messages.
pub fn parse(
    bytes: &[u8],
    name: &str,
) -> Result<Vec<super::imported::ImportedDoc>, super::imported::ImportError> {
    super::imported::parse_jsonl(bytes, name, line_spans)
}

fn line_spans(
    l: &super::imported::JsonLine,
    stem: &str,
) -> Result<super::imported::LineSpans, super::imported::ImportError> {
    use super::imported::{ImportError, ImportedSpan, check_span, json_offset};
    let mut spans = Vec::new();
    let v = &l.value;
    // Both spellings, if a file has both: nothing is hidden by the other.
    let triples = [l.array("label")?, l.array("labels")?];
    for item in triples.into_iter().flatten().flatten() {
        let (Some(s), Some(e), Some(label)) = (
            json_offset(&item[0], &l.at)?,
            json_offset(&item[1], &l.at)?,
            item[2].as_str(),
        ) else {
            return Err(ImportError::new(
                &l.at,
                "malformed label entry (expected [start, end, \"LABEL\"])",
            ));
        };
        let (s, e) = check_span(&l.text, l.len, s, e, None, &l.at)?;
        spans.push(ImportedSpan::new(s, e, label, &l.at));
    }
    for item in l.array("entities")?.into_iter().flatten() {
        let (Some(s), Some(e), Some(label)) = (
            json_offset(&item["start_offset"], &l.at)?,
            json_offset(&item["end_offset"], &l.at)?,
            item["label"].as_str(),
        ) else {
            return Err(ImportError::new(
                &l.at,
                "malformed entity (expected start_offset, end_offset, label)",
            ));
        };
        let (s, e) = check_span(&l.text, l.len, s, e, None, &l.at)?;
        spans.push(ImportedSpan::new(s, e, label, &l.at));
    }
    let name = v["id"]
        .as_i64()
        .map_or_else(|| format!("{stem}-{}", l.line), |id| format!("{stem}-{id}"));
    Ok((name, spans, l.relations_left_out().into_iter().collect()))
}
