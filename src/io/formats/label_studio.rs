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
    s.push_str("  </Labels>\n");
    // The roles and relation types, as Label Studio's relation labels.
    let events = &project.schema.events;
    if !events.roles.is_empty() || !events.relation_types.is_empty() {
        s.push_str("  <Relations>\n");
        let names = events
            .roles
            .iter()
            .map(|r| &r.name)
            .chain(events.relation_types.iter().map(|r| &r.name));
        for name in names {
            let _ = writeln!(s, "    <Relation value=\"{}\"/>", xml_attr(name));
        }
        s.push_str("  </Relations>\n");
    }
    s.push_str("  <Text name=\"text\" value=\"$text\"/>\n</View>\n");
    s
}

/// Label Studio `relation` results: one per slot, from the trigger's region
/// to the filler's, labelled with the role and naming its frame
/// (`spanmark_frame`); then the binary relations. The frames' event types and
/// notes, which Label Studio has no place for, go in the task's data.
fn relations(d: &ExportDoc<'_>) -> (Vec<Value>, Vec<Value>) {
    let mut out = Vec::new();
    let mut frames = Vec::new();
    for f in &d.frames {
        for slot in &f.slots {
            out.push(json!({
                "from_id": format!("s{}", f.trigger.0),
                "to_id": format!("s{}", slot.span.0),
                "type": "relation",
                "direction": "right",
                "labels": [slot.role],
                "spanmark_frame": f.id.0,
            }));
        }
        frames.push(json!({"id": f.id.0, "trigger": format!("s{}", f.trigger.0),
            "event_type": f.event_type, "note": f.note}));
    }
    for r in d.relations() {
        out.push(json!({
            "from_id": format!("s{}", r.from.0),
            "to_id": format!("s{}", r.to.0),
            "type": "relation",
            "direction": if r.directed { "right" } else { "bi" },
            "labels": [r.kind],
        }));
    }
    (out, frames)
}

pub fn write(
    project: &Project,
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let dated = super::any_dated(parts);
    for (name, docs) in parts {
        let tasks: Vec<Value> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                summary.progress.tick();
                let mut result: Vec<Value> = d
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
                let (links, frames) = relations(d);
                result.extend(links);
                let mut data = json!({"text": d.doc.text(), "name": d.doc.name, "spanmark_id": d.doc.id});
                if !frames.is_empty() {
                    data["spanmark_frames"] = json!(frames);
                }
                if dated {
                    data["date"] = d.date_json();
                }
                json!({
                    "id": i + 1,
                    "data": data,
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
