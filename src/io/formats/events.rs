//! The event table: one row per frame, as CSV (for spreadsheets) and JSON
//! Lines (for programs), so analysts get "who did what to whom, where and
//! how many" out of their annotations.
//!
//! Columns follow ACLED's codebook where it has one: `agent` and `target`
//! are ACLED's actor1 and actor2, `location` its location, and
//! `count_value` its fatalities when the event is a killing (see
//! docs/formats.md). Roles the schema adds beyond the default four get one
//! column each, after them.

use std::path::Path;

use serde_json::{Value, json};

use super::csv_safe::CellWriter;
use super::{ExportDoc, ExportError, ExportSummary, write_file};
use crate::model::{Frame, LabelSchema, Span, count_value};

/// The default roles, in their columns' order.
const KNOWN_ROLES: [&str; 4] = ["agent", "target", "location", "count"];

/// One frame as a row.
struct Row {
    event_id: String,
    document: String,
    /// The document's date, `YYYY-MM-DD`, or empty.
    event_date: String,
    event_type: String,
    trigger: String,
    trigger_start: usize,
    trigger_end: usize,
    /// Texts of each role's fillers, in the order of [`columns`].
    roles: Vec<Vec<String>>,
    count_value: Option<u64>,
    annotator: String,
    note: String,
}

/// Columns that are not roles: a role of one of these names gets its
/// column as `role_NAME`, so it cannot overwrite them.
const FIXED_COLUMNS: [&str; 11] = [
    "event_id",
    "document",
    "event_date",
    "event_type",
    "trigger",
    "trigger_start",
    "trigger_end",
    "count_text",
    "count_value",
    "annotator",
    "note",
];

/// The role columns: always the default four (the table's ACLED columns),
/// then the schema's other roles.
fn columns(schema: &LabelSchema) -> Vec<String> {
    let mut out: Vec<String> = KNOWN_ROLES.iter().map(|r| (*r).to_string()).collect();
    for r in &schema.events.roles {
        if !out.contains(&r.name) {
            out.push(r.name.clone());
        }
    }
    out
}

/// The column (and JSON field) name of a role other than `count`.
fn role_column(role: &str) -> String {
    if FIXED_COLUMNS.contains(&role) {
        format!("role_{role}")
    } else {
        role.to_string()
    }
}

/// The number a COUNT span states: its `value` attribute, else read from
/// its text (imported spans have no attribute).
fn span_count(span: &Span, text: &str) -> Option<u64> {
    span.attributes()
        .get("value")
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| count_value(text))
}

fn rows(d: &ExportDoc<'_>, roles: &[String], annotator: &str) -> Vec<Row> {
    let text_of = |s: &Span| d.doc.slice(s.start(), s.end()).unwrap_or("").to_string();
    let mut frames: Vec<(&Frame, &Span)> = d
        .frames
        .iter()
        .filter_map(|f| d.span(f.trigger).map(|t| (*f, t)))
        .collect();
    // Reading order: by the trigger's place in the text, then id.
    frames.sort_by_key(|(f, t)| (t.start(), t.end(), f.id));
    frames
        .into_iter()
        .map(|(f, trigger)| {
            let fillers = |role: &str| -> Vec<&Span> {
                f.fillers(role).filter_map(|id| d.span(id)).collect()
            };
            let counts: Vec<u64> = fillers("count")
                .into_iter()
                .filter_map(|s| span_count(s, &text_of(s)))
                .collect();
            Row {
                event_id: f.id.to_string(),
                document: d.doc.id.clone(),
                event_date: d.doc.date.map(|x| x.to_string()).unwrap_or_default(),
                event_type: f.event_type.clone().unwrap_or_default(),
                trigger: text_of(trigger),
                trigger_start: trigger.start(),
                trigger_end: trigger.end(),
                roles: roles
                    .iter()
                    .map(|r| fillers(r).into_iter().map(text_of).collect())
                    .collect(),
                // Untrusted attributes: a sum past u64 stays at its maximum.
                count_value: (!counts.is_empty())
                    .then(|| counts.iter().fold(0u64, |a, b| a.saturating_add(*b))),
                annotator: annotator.to_string(),
                note: f.note.clone(),
            }
        })
        .collect()
}

/// The CSV header for `roles` (the count role is `count_text`).
fn header(roles: &[String]) -> Vec<String> {
    let mut h: Vec<String> = [
        "event_id",
        "document",
        "event_date",
        "event_type",
        "trigger",
        "trigger_start",
        "trigger_end",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    for r in roles {
        h.push(if r == "count" {
            "count_text".into()
        } else {
            role_column(r)
        });
        if r == "count" {
            h.push("count_value".into());
        }
    }
    h.extend(["annotator".to_string(), "note".to_string()]);
    h
}

pub fn write(
    schema: &LabelSchema,
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    cells: CellWriter,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let roles = columns(schema);
    let io = |e: std::io::Error| ExportError::Io {
        path: out.to_path_buf(),
        error: e,
    };
    for (name, docs) in parts {
        let mut csv = cells.writer();
        let mut jsonl = Vec::new();
        csv.write_record(header(&roles))
            .map_err(|e| io(std::io::Error::other(e)))?;
        for d in docs {
            summary.progress.tick();
            for row in rows(d, &roles, &summary.layer) {
                summary.frames += 1;
                let mut record: Vec<String> = vec![
                    cells.cell(&row.event_id).into_owned(),
                    cells.cell(&row.document).into_owned(),
                    row.event_date.clone(),
                    cells.cell(&row.event_type).into_owned(),
                    cells.cell(&row.trigger).into_owned(),
                    row.trigger_start.to_string(),
                    row.trigger_end.to_string(),
                ];
                let mut object = serde_json::Map::new();
                object.insert("event_id".into(), json!(row.event_id));
                object.insert("document".into(), json!(row.document));
                object.insert(
                    "event_date".into(),
                    if row.event_date.is_empty() {
                        Value::Null
                    } else {
                        json!(row.event_date)
                    },
                );
                object.insert(
                    "event_type".into(),
                    if row.event_type.is_empty() {
                        Value::Null
                    } else {
                        json!(row.event_type)
                    },
                );
                object.insert("trigger".into(), json!(row.trigger));
                object.insert("trigger_start".into(), json!(row.trigger_start));
                object.insert("trigger_end".into(), json!(row.trigger_end));
                for (role, texts) in roles.iter().zip(&row.roles) {
                    record.push(cells.cell(&texts.join("; ")).into_owned());
                    if role == "count" {
                        record.push(row.count_value.map(|v| v.to_string()).unwrap_or_default());
                        object.insert("count_text".into(), json!(texts));
                        object.insert("count_value".into(), json!(row.count_value));
                    } else {
                        object.insert(role_column(role), json!(texts));
                    }
                }
                record.push(cells.cell(&row.annotator).into_owned());
                record.push(cells.cell(&row.note).into_owned());
                object.insert("annotator".into(), json!(row.annotator));
                object.insert("note".into(), json!(row.note));
                csv.write_record(&record)
                    .map_err(|e| io(std::io::Error::other(e)))?;
                serde_json::to_writer(&mut jsonl, &Value::Object(object))
                    .map_err(|e| io(std::io::Error::other(e)))?;
                jsonl.push(b'\n');
            }
        }
        let bytes = csv
            .into_inner()
            .map_err(|e| io(std::io::Error::other(e.to_string())))?;
        let stem = if name.is_empty() {
            "events".to_string()
        } else {
            format!("events-{name}")
        };
        write_file(out, &format!("{stem}.csv"), &bytes, summary)?;
        write_file(out, &format!("{stem}.jsonl"), &jsonl, summary)?;
    }
    Ok(())
}
