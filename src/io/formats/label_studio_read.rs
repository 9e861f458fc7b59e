//! Reading a Label Studio JSON export (a list of tasks). Every annotation
//! that was not cancelled becomes its own layer, named after its
//! `completed_by` (the e-mail, or `label-studio-user-ID`); `predictions` go
//! to a layer named `predictions`. A result with several labels gives one
//! span per label (spans may overlap). Cancelled annotations and results
//! that are not `labels` are reported as not imported.

use serde_json::Value;

use super::imported::{
    ImportError, ImportedDoc, ImportedLinks, ImportedSpan, Unimported, check_span, input_text,
    json_error, json_offset, read_input, slice_cp, stem_of, text_mismatch,
};
use crate::model::TextIndex;

/// The layer name of Label Studio's model predictions.
pub const PREDICTIONS_LAYER: &str = "predictions";

/// Reads a Label Studio JSON export; `value.text` must equal the slice.
pub fn read(path: &std::path::Path) -> Result<Vec<ImportedDoc>, ImportError> {
    parse_str(&read_input(path)?, &path.display().to_string())
}

/// [`read`] on bytes already read; `shown` is the file name for messages.
pub fn parse(bytes: &[u8], shown: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    parse_str(&input_text(bytes.to_vec(), shown)?, shown)
}

fn parse_str(content: &str, shown: &str) -> Result<Vec<ImportedDoc>, ImportError> {
    let not_tasks = |why: String| {
        ImportError::new(
            shown,
            format!("not a Label Studio JSON export (a list of tasks): {why}"),
        )
    };
    let root = super::unique_json::from_str(content).map_err(|e| {
        not_tasks(format!(
            "{} at line {}, column {}",
            json_error(&e),
            e.line(),
            e.column()
        ))
    })?;
    let tasks = root
        .as_array()
        .ok_or_else(|| not_tasks("the file holds no list".into()))?;
    let stem = stem_of(shown);
    let mut docs = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let at = format!("{shown} task {}", i + 1);
        let text = task["data"]["text"].as_str().ok_or_else(|| {
            ImportError::new(&at, "no data.text (only text tasks can be imported)")
        })?;
        let name = task["data"]["name"]
            .as_str()
            .map(String::from)
            .unwrap_or_else(|| format!("{stem}-{}", task["id"].as_i64().unwrap_or(i as i64 + 1)));
        // Said once per task, however many annotations it holds.
        let mut date_problem = Vec::new();
        let date = super::imported::read_date(&task["data"]["date"], &at, &mut date_problem);
        let doc = |annotator: Option<String>, (spans, unimported, links)| ImportedDoc {
            name: name.clone(),
            text: text.to_string(),
            spans,
            annotator,
            source_file: shown.to_string(),
            unimported,
            links,
            date,
        };
        let frames = &task["data"]["spanmark_frames"];
        let annotations = task["annotations"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let predictions = task["predictions"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        let live = annotations
            .iter()
            .filter(|a| !a["was_cancelled"].as_bool().unwrap_or(false))
            .count();
        let before = docs.len();
        let mut cancelled = Vec::new();
        let mut index = None;
        for (k, a) in annotations.iter().enumerate() {
            let at = format!("{at} annotation {}", k + 1);
            if a["was_cancelled"].as_bool().unwrap_or(false) {
                cancelled.push(Unimported::new(
                    &at,
                    "the annotation was cancelled (skipped)",
                ));
                continue;
            }
            let annotator = annotator_of(a, k, live > 1, &at)?;
            let read = results(a, text, frames, &mut index, &at)?;
            docs.push(doc(annotator, read));
        }
        for (k, p) in predictions.iter().enumerate() {
            let at = format!("{at} prediction {}", k + 1);
            let read = results(p, text, frames, &mut index, &at)?;
            docs.push(doc(Some(PREDICTIONS_LAYER.into()), read));
        }
        // A task with nothing (or only cancelled work) is still its document.
        cancelled.extend(date_problem);
        match docs.get_mut(before) {
            Some(first) => first.unimported.extend(cancelled),
            None => docs.push(doc(None, (Vec::new(), cancelled, Default::default()))),
        }
    }
    Ok(docs)
}

/// The layer of one annotation: its `completed_by` (a user id, or an object
/// with `email` or `id`), else nothing (the default layer) when it is the
/// task's only annotation, else `label-studio-annotation-ID`.
fn annotator_of(
    a: &Value,
    position: usize,
    several: bool,
    at: &str,
) -> Result<Option<String>, ImportError> {
    let by = &a["completed_by"];
    let user = |id: i64| format!("label-studio-user-{id}");
    let named = by
        .as_i64()
        .map(user)
        .or_else(|| {
            by["email"]
                .as_str()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(String::from)
        })
        .or_else(|| by["id"].as_i64().map(user))
        .or_else(|| {
            by.as_str()
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(String::from)
        });
    let name = match named {
        Some(n) => n,
        None if several => format!(
            "label-studio-annotation-{}",
            a["id"].as_i64().unwrap_or(position as i64 + 1)
        ),
        None => return Ok(None),
    };
    if name.chars().any(char::is_control) {
        return Err(ImportError::new(
            at,
            format!(
                "the annotator name \"{}\" contains a control character",
                name.escape_debug()
            ),
        ));
    }
    Ok(Some(name))
}

/// What one annotation holds: its spans, what was not imported, its links.
type Read = (Vec<ImportedSpan>, Vec<Unimported>, ImportedLinks);

/// The spans of an annotation's (or prediction's) `labels` results, its
/// `relation` results as links, and the results of other types, which are
/// reported. `frames` is the task's `spanmark_frames` (ours, if any).
fn results(
    a: &Value,
    text: &str,
    frames: &Value,
    index: &mut Option<(TextIndex, usize)>,
    at: &str,
) -> Result<Read, ImportError> {
    let (mut spans, mut unimported) = (Vec::new(), Vec::new());
    // Region id → its first span's index, for the relations.
    let mut region: std::collections::HashMap<&str, usize> = Default::default();
    let mut relations = Vec::new();
    for (j, r) in a["result"].as_array().into_iter().flatten().enumerate() {
        let at = format!("{at} result {}", j + 1);
        if r["type"] == "relation" {
            relations.push((at, r));
            continue;
        }
        if r["type"] != "labels" {
            let kind = r["type"].as_str().unwrap_or("(none)");
            unimported.push(Unimported::new(
                at,
                format!(
                    "a result of type \"{}\" (only labels results are spans)",
                    kind.escape_debug()
                ),
            ));
            continue;
        }
        let v = &r["value"];
        let labels: Vec<&str> = v["labels"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let (Some(s), Some(e), false) = (
            json_offset(&v["start"], &at)?,
            json_offset(&v["end"], &at)?,
            labels.is_empty(),
        ) else {
            return Err(ImportError::new(
                &at,
                "a labels result needs value.start, value.end and value.labels",
            ));
        };
        let (index, len) =
            index.get_or_insert_with(|| (TextIndex::new(text), text.chars().count()));
        let (s, e) = check_span(text, *len, s, e, None, &at)?;
        if let Some(stated) = v["text"].as_str() {
            let actual = slice_cp(index, text, s, e);
            if actual != stated {
                return Err(text_mismatch(s, e, stated, actual, &at));
            }
        }
        if let Some(id) = r["id"].as_str() {
            region.entry(id).or_insert(spans.len());
        }
        spans.extend(labels.into_iter().map(|l| ImportedSpan::new(s, e, l, &at)));
    }
    let links = links(relations, &region, frames, &mut unimported);
    Ok((spans, unimported, links))
}

/// Relation results between regions of this annotation: those naming one
/// of our frames rebuild it; the others are loose links (a role's name makes
/// a slot of its source's event, anything else a relation).
fn links(
    relations: Vec<(String, &Value)>,
    region: &std::collections::HashMap<&str, usize>,
    frames: &Value,
    unimported: &mut Vec<Unimported>,
) -> ImportedLinks {
    let mut out = ImportedLinks::default();
    for f in frames.as_array().into_iter().flatten() {
        let trigger = f["trigger"].as_str().and_then(|id| region.get(id));
        match (f["id"].as_i64(), trigger) {
            (Some(id), Some(&trigger)) => {
                out.add_our_frame(id, trigger, f, &format!("data.spanmark_frames {id}"))
            }
            _ => unimported.push(Unimported::new(
                "data.spanmark_frames",
                "an event whose trigger is not a labels result of this annotation",
            )),
        }
    }
    for (at, r) in relations {
        let ends = (
            r["from_id"].as_str().and_then(|id| region.get(id)),
            r["to_id"].as_str().and_then(|id| region.get(id)),
        );
        let (Some(&from), Some(&to)) = ends else {
            unimported.push(Unimported::new(
                at,
                "a relation whose ends are not labels results of this annotation",
            ));
            continue;
        };
        let kind = r["labels"]
            .as_array()
            .and_then(|l| l.first())
            .and_then(Value::as_str)
            .unwrap_or("related");
        if let Err(why) = out.add_link(r["spanmark_frame"].as_i64(), from, to, kind, &at) {
            unimported.push(Unimported::new(at, why));
        }
    }
    out
}
