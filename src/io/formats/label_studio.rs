//! Label Studio JSON task list with one completed annotation per task, and the
//! matching labelling config (`label_config.xml`). Offsets are code points,
//! which Label Studio uses since its emoji fix (frontend PR #308, 2022).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use super::{ExportDoc, ExportError, ExportSummary, part_name, write_file};
use crate::model::Project;

fn xml_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `<View>` with a `<Labels name="label" toName="text">` and a `<Text name="text">`.
pub fn label_config(project: &Project) -> String {
    let mut s = String::from("<View>\n  <Labels name=\"label\" toName=\"text\">\n");
    for l in &project.schema.labels {
        let _ = writeln!(
            s,
            "    <Label value=\"{}\" background=\"{}\"/>",
            xml_attr(&l.name),
            l.color
        );
    }
    s.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n");
    s
}

pub fn write(
    project: &Project,
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for (name, docs) in parts {
        let tasks: Vec<Value> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                summary.progress.tick();
                let result: Vec<Value> = d
                    .spans
                    .iter()
                    .map(|s| {
                        json!({
                            "id": format!("s{}", s.id().0),
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "origin": "manual",
                            "value": {
                                "start": s.start(),
                                "end": s.end(),
                                "text": d.doc.slice(s.start(), s.end()).unwrap_or_default(),
                                "labels": [s.label],
                            }
                        })
                    })
                    .collect();
                json!({
                    "id": i + 1,
                    "data": {"text": d.doc.text(), "name": d.doc.name, "spanmark_id": d.doc.id},
                    "annotations": [{"result": result, "was_cancelled": false, "ground_truth": false}],
                })
            })
            .collect();
        let bytes = serde_json::to_vec_pretty(&tasks)
            .map_err(std::io::Error::other)
            .map_err(super::io_err(out))?;
        write_file(
            out,
            &format!("{}.label-studio.json", part_name(name)),
            &bytes,
            summary,
        )?;
    }
    write_file(
        out,
        "label_config.xml",
        label_config(project).as_bytes(),
        summary,
    )
}

/// Reads a Label Studio JSON export (a task list). Uses each task's first
/// annotation that was not cancelled; `value.text` must equal the slice.
pub fn read(path: &Path) -> Result<Vec<super::import::ImportedDoc>, super::import::ImportError> {
    let content = super::import::read_input(path)?;
    parse(content.as_bytes(), &path.display().to_string())
}

/// [`read`] on bytes already read; `shown` is the file name for messages.
pub fn parse(
    bytes: &[u8],
    shown: &str,
) -> Result<Vec<super::import::ImportedDoc>, super::import::ImportError> {
    use super::import::{
        ImportError, ImportedDoc, ImportedSpan, check_span, json_error, slice_cp, stem_of,
        text_mismatch,
    };
    use crate::model::TextIndex;
    let tasks: Vec<Value> = serde_json::from_slice(bytes).map_err(|e| {
        ImportError::new(
            shown,
            format!(
                "not a Label Studio JSON export (a list of tasks): {} at line {}, column {}",
                json_error(&e),
                e.line(),
                e.column()
            ),
        )
    })?;
    let stem = stem_of(shown);
    let mut docs = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let at = format!("{shown} task {}", i + 1);
        let text = task["data"]["text"]
            .as_str()
            .ok_or_else(|| ImportError::new(&at, "no data.text (only text tasks can be imported)"))?
            .to_string();
        let len = text.chars().count();
        // Built on the first span that states its text.
        let mut index: Option<TextIndex> = None;
        let annotation = task["annotations"].as_array().and_then(|a| {
            a.iter()
                .find(|a| !a["was_cancelled"].as_bool().unwrap_or(false))
        });
        let mut spans = Vec::new();
        let mut annotator = None;
        if let Some(a) = annotation {
            annotator = a["completed_by"]["email"]
                .as_str()
                .map(String::from)
                .or_else(|| {
                    a["completed_by"]
                        .as_i64()
                        .map(|id| format!("label-studio-user-{id}"))
                });
            for (j, r) in a["result"].as_array().into_iter().flatten().enumerate() {
                if r["type"] != "labels" {
                    continue;
                }
                let at = format!("{at} result {}", j + 1);
                let v = &r["value"];
                let (Some(s), Some(e), Some(label)) = (
                    v["start"].as_i64(),
                    v["end"].as_i64(),
                    v["labels"][0].as_str(),
                ) else {
                    return Err(ImportError::new(
                        &at,
                        "a labels result needs value.start, value.end and value.labels",
                    ));
                };
                let (s, e) = check_span(&text, len, s, e, None, &at)?;
                if let Some(stated) = v["text"].as_str() {
                    let index = index.get_or_insert_with(|| TextIndex::new(&text));
                    let actual = slice_cp(index, &text, s, e);
                    if actual != stated {
                        return Err(text_mismatch(s, e, stated, actual, &at));
                    }
                }
                spans.push(ImportedSpan::new(s, e, label, at));
            }
        }
        let name = task["data"]["name"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| format!("{stem}-{}", task["id"].as_i64().unwrap_or(i as i64 + 1)));
        docs.push(ImportedDoc {
            name,
            text,
            spans,
            annotator,
            source_file: shown.to_string(),
        });
    }
    Ok(docs)
}
