//! Label Studio JSON task list with one completed annotation per task, and the
//! matching labelling config (`label_config.xml`); reading is in
//! [`super::label_studio_read`]. Offsets are code points,
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

pub use super::label_studio_read::{parse, read};
