//! doccano sequence-labelling JSONL: `{"text": …, "label": [[start, end, "LABEL"], …]}`,
//! offsets in code points (doccano is Python). Nested spans are kept.
//! A document's date is a top-level `date` (doccano keeps it as metadata).
//!
//! A document with event frames or relations also gets doccano's relation
//! mode: `entities` with ids and `relations` (`from_id`, `to_id`, `type`).
//! A frame is one relation per slot from its trigger, typed with the role;
//! each carries `"frame"` (the frame's id), and `frames` lists each frame's
//! event type and note, so a frame comes back whole (doccano keeps the
//! extra keys out of its way). Relations doccano made have no `frame`: a
//! role-typed one joins its source span's event, the rest are relations.

use std::path::Path;

use serde_json::json;

use super::{ExportDoc, ExportError, ExportSummary, part_name, write_file};

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let dated = super::any_dated(parts);
    for (name, docs) in parts {
        let mut buf = Vec::new();
        for d in docs {
            summary.progress.tick();
            let labels: Vec<_> = d
                .spans
                .iter()
                .map(|s| json!([s.start(), s.end(), s.label]))
                .collect();
            let mut line = json!({"text": d.doc.text(), "label": labels});
            if dated {
                // doccano keeps an extra key as the example's metadata.
                line["date"] = d.date_json();
            }
            if !d.frames.is_empty() || d.relations().next().is_some() {
                relation_mode(d, &mut line);
            }
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

/// Adds `entities`, `relations` and `frames` to a document's line.
fn relation_mode(d: &ExportDoc<'_>, line: &mut serde_json::Value) {
    let entities: Vec<_> = d
        .spans
        .iter()
        .map(|s| {
            json!({"id": s.id().0, "label": s.label, "start_offset": s.start(), "end_offset": s.end()})
        })
        .collect();
    let mut relations = Vec::new();
    let mut frames = Vec::new();
    for f in &d.frames {
        for slot in &f.slots {
            relations.push(json!({
                "id": relations.len() + 1,
                "from_id": f.trigger.0,
                "to_id": slot.span.0,
                "type": slot.role,
                "frame": f.id.0,
            }));
        }
        frames.push(json!({"id": f.id.0, "trigger": f.trigger.0, "event_type": f.event_type, "note": f.note}));
    }
    for r in d.relations() {
        relations.push(json!({
            "id": relations.len() + 1,
            "from_id": r.from.0,
            "to_id": r.to.0,
            "type": r.kind,
        }));
    }
    line["entities"] = json!(entities);
    line["relations"] = json!(relations);
    line["frames"] = json!(frames);
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
    // Entity id → its span's index, for the relations.
    let mut index_of: std::collections::HashMap<i64, usize> = Default::default();
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
        if let Some(id) = item["id"].as_i64() {
            index_of.insert(id, spans.len());
        }
        spans.push(ImportedSpan::new(s, e, label, &l.at));
    }
    let (links, unimported) = read_relations(l, &index_of)?;
    let name = v["id"]
        .as_i64()
        .map_or_else(|| format!("{stem}-{}", l.line), |id| format!("{stem}-{id}"));
    Ok((name, spans, unimported, links))
}

/// The line's `relations` (and our `frames`): those with a `frame` key
/// rebuild frames, the others are loose links for the merge to place.
fn read_relations(
    l: &super::imported::JsonLine,
    index_of: &std::collections::HashMap<i64, usize>,
) -> Result<
    (
        super::imported::ImportedLinks,
        Vec<super::imported::Unimported>,
    ),
    super::imported::ImportError,
> {
    use super::imported::{ImportError, ImportedLinks, Unimported};
    let mut links = ImportedLinks::default();
    let mut unimported = Vec::new();
    for f in l.array("frames")?.into_iter().flatten() {
        let (Some(id), Some(trigger)) = (f["id"].as_i64(), f["trigger"].as_i64()) else {
            return Err(ImportError::new(
                &l.at,
                "a frame needs a numeric id and trigger",
            ));
        };
        let Some(&trigger) = index_of.get(&trigger) else {
            unimported.push(Unimported::new(
                &l.at,
                format!("frame {id}: its trigger {trigger} is not an entity of this line"),
            ));
            continue;
        };
        links.add_our_frame(id, trigger, f, &l.at);
    }
    for r in l.array("relations")?.into_iter().flatten() {
        let (Some(from), Some(to), Some(kind)) = (
            r["from_id"].as_i64(),
            r["to_id"].as_i64(),
            r["type"].as_str(),
        ) else {
            return Err(ImportError::new(
                &l.at,
                "malformed relation (expected from_id, to_id and type)",
            ));
        };
        let (Some(&a), Some(&b)) = (index_of.get(&from), index_of.get(&to)) else {
            unimported.push(Unimported::new(
                &l.at,
                format!(
                    "relation {kind} from {from} to {to}: both ends must be entities of this line"
                ),
            ));
            continue;
        };
        if let Err(why) = links.add_link(r["frame"].as_i64(), a, b, kind, &l.at) {
            unimported.push(Unimported::new(&l.at, why));
        }
    }
    Ok((links, unimported))
}

#[cfg(test)]
mod tests {
    use crate::model::{LabelSchema, Project};

    #[test]
    fn a_date_comes_in_strictly_and_a_doubtful_one_is_reported_with_its_line() {
        let lines = concat!(
            r#"{"text":"Bannu","label":[[0,5,"LOCATION"]],"date":"2025-03-14"}"#,
            "\n",
            r#"{"text":"Karak","label":[],"date":"14/03/2025"}"#,
            "\n",
            r#"{"text":"Tank","label":[],"date":20250314}"#,
            "\n",
            r#"{"text":"Dir","label":[],"date":null}"#,
        );
        let docs = super::parse(lines.as_bytes(), "d.jsonl").unwrap();
        let dates: Vec<_> = docs.iter().map(|d| d.date.map(|x| x.to_string())).collect();
        assert_eq!(dates, [Some("2025-03-14".into()), None, None, None]);
        let said = |i: usize| &docs[i].unimported;
        assert_eq!(said(1).len(), 1);
        assert_eq!(said(1)[0].location, "d.jsonl line 2");
        assert!(said(1)[0].what.contains("year-month-day"), "{:?}", said(1));
        assert_eq!(said(2)[0].location, "d.jsonl line 3");
        assert!(said(2)[0].what.contains("20250314 is not a date string"));
        assert!(said(3).is_empty(), "null is no date, not a mistake");
        // A document already dated keeps its date; the report says so.
        let mut p = Project::new(LabelSchema::default());
        let again = super::parse(lines.as_bytes(), "d.jsonl").unwrap();
        super::super::merge::merge(&mut p, again, Some("d"), "d", &Default::default()).unwrap();
        assert_eq!(p.documents[0].date.unwrap().to_string(), "2025-03-14");
        let other = r#"{"text":"Bannu","label":[],"date":"2025-03-15"}"#;
        let docs = super::parse(other.as_bytes(), "e.jsonl").unwrap();
        let report =
            super::super::merge::merge(&mut p, docs, Some("e"), "e", &Default::default()).unwrap();
        assert_eq!(p.documents[0].date.unwrap().to_string(), "2025-03-14");
        assert!(
            report.to_string().contains(
                "e.jsonl document \"e-1\": the file dates it 2025-03-15; the project's date 2025-03-14 was kept"
            ),
            "{report}"
        );
    }

    #[test]
    fn relations_made_in_doccano_become_an_event_and_a_relation() {
        let line = r#"{"text":"Militants attacked Bannu.","entities":[{"id":1,"label":"ACTOR","start_offset":0,"end_offset":9},{"id":2,"label":"EVENT","start_offset":10,"end_offset":18},{"id":3,"label":"LOCATION","start_offset":19,"end_offset":24}],"relations":[{"id":1,"from_id":2,"to_id":1,"type":"agent"},{"id":2,"from_id":2,"to_id":3,"type":"location"},{"id":3,"from_id":1,"to_id":3,"type":"based_in"},{"id":4,"from_id":2,"to_id":9,"type":"agent"}]}"#;
        let docs = super::parse(line.as_bytes(), "d.jsonl").unwrap();
        assert_eq!(docs[0].unimported.len(), 1, "the relation to entity 9");
        assert!(docs[0].unimported[0].what.contains("from 2 to 9"));
        let mut p = Project::new(LabelSchema::default());
        let report =
            super::super::merge::merge(&mut p, docs, Some("d"), "d", &Default::default()).unwrap();
        assert_eq!(report.frames_and_relations, 2);
        let doc = &p.documents[0];
        let layer = &doc.layers["d"];
        let frames: Vec<_> = layer.frames().collect();
        assert_eq!(
            frames.len(),
            1,
            "agent and location: one event of 'attacked'"
        );
        let text = |id| {
            let s = layer.get(id).unwrap();
            doc.slice(s.start(), s.end()).unwrap()
        };
        assert_eq!(text(frames[0].trigger), "attacked");
        let slots: Vec<(&str, &str)> = frames[0]
            .slots
            .iter()
            .map(|s| (s.role.as_str(), text(s.span)))
            .collect();
        assert_eq!(slots, [("agent", "Militants"), ("location", "Bannu")]);
        let relations: Vec<_> = layer.links().relations().collect();
        assert_eq!(relations.len(), 1);
        assert_eq!(relations[0].kind, "based_in");
        assert!(
            p.schema.events.relation_type("based_in").is_some(),
            "added to the schema"
        );
    }
}
