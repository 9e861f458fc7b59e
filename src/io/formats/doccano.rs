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
pub fn read(path: &Path) -> Result<Vec<super::import::ImportedDoc>, super::import::ImportError> {
    use super::import::{ImportError, ImportedDoc, ImportedSpan, check_span};
    let shown = path.display().to_string();
    let content =
        std::fs::read_to_string(path).map_err(|e| ImportError::new(&shown, e.to_string()))?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut docs = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{shown} line {}", n + 1);
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| ImportError::new(&at, format!("not JSON: {e}")))?;
        let text = v["text"]
            .as_str()
            .ok_or_else(|| ImportError::new(&at, "no \"text\" string"))?
            .to_string();
        let len = text.chars().count();
        let mut spans = Vec::new();
        let bad = |what: &str| ImportError::new(&at, format!("malformed {what}"));
        if let Some(list) = v
            .get("label")
            .or_else(|| v.get("labels"))
            .and_then(|l| l.as_array())
        {
            for item in list {
                let (Some(s), Some(e), Some(l)) =
                    (item[0].as_i64(), item[1].as_i64(), item[2].as_str())
                else {
                    return Err(bad("label entry (expected [start, end, \"LABEL\"])"));
                };
                let (s, e) = check_span(&text, len, s, e, None, &at)?;
                spans.push(ImportedSpan {
                    start: s,
                    end: e,
                    label: l.to_string(),
                    note: String::new(),
                    attributes: Default::default(),
                    location: at.clone(),
                });
            }
        }
        if let Some(list) = v.get("entities").and_then(|l| l.as_array()) {
            for item in list {
                let (Some(s), Some(e), Some(l)) = (
                    item["start_offset"].as_i64(),
                    item["end_offset"].as_i64(),
                    item["label"].as_str(),
                ) else {
                    return Err(bad("entity (expected start_offset, end_offset, label)"));
                };
                let (s, e) = check_span(&text, len, s, e, None, &at)?;
                spans.push(ImportedSpan {
                    start: s,
                    end: e,
                    label: l.to_string(),
                    note: String::new(),
                    attributes: Default::default(),
                    location: at.clone(),
                });
            }
        }
        let name = v["id"]
            .as_i64()
            .map_or_else(|| format!("{stem}-{}", n + 1), |id| format!("{stem}-{id}"));
        docs.push(ImportedDoc {
            name,
            text,
            spans,
            annotator: None,
            source_file: shown.clone(),
        });
    }
    Ok(docs)
}
