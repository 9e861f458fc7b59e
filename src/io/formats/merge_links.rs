//! Adding an imported document's event frames and relations to its layer,
//! with the span ids its spans became. A role, event type or relation type
//! the schema lacks is added to it, as labels are, under a name loading
//! accepts (`located in` → `located_in`, said in the report), so the project
//! always saves; one that cannot be made valid is reported, not imported.

use std::collections::HashMap;

use super::imported::{ImportError, ImportedFrame, ImportedLinks, Unimported};
use super::label_names::valid_label;
use super::merge::{ImportReport, LabelMapping};
use crate::model::event_schema::{RelationType, Role};
use crate::model::{Cardinality, Document, Frame, LayerId, Project, Relation, SpanId};

/// Adds `links` to `layer` of `doc`. `id_of` and `labels_of` are, per
/// imported span, the id it became and its label. Returns how many frames
/// and relations were added.
pub(super) fn add_links(
    project: &mut Project,
    doc: &mut Document,
    layer: &LayerId,
    mut links: ImportedLinks,
    id_of: &[Option<SpanId>],
    labels_of: &[String],
    report: &mut ImportReport,
) -> Result<usize, ImportError> {
    place_loose(project, &mut links);
    let span = |i: usize, at: &str| {
        id_of
            .get(i)
            .copied()
            .flatten()
            .ok_or_else(|| ImportError::new(at, "a link names a span that was not imported"))
    };
    // The frames the layer held before: one imported again (the same file
    // twice) is added once, but two alike in one file are both kept.
    let mut already: HashMap<FrameKey, usize> = HashMap::new();
    if let Some(l) = doc.layer(layer) {
        for f in l.frames() {
            *already.entry(key(f)).or_default() += 1;
        }
    }
    let mut added = 0;
    for f in links.frames {
        let trigger = span(f.trigger, &f.location)?;
        let mut frame = Frame::new(crate::model::FrameId(0), trigger);
        frame.event_type = event_type(project, &f, report);
        frame.note = f.note;
        let label = labels_of.get(f.trigger).cloned().unwrap_or_default();
        let events = &mut project.schema.events;
        if !label.is_empty() && !events.can_trigger(&label) {
            events.trigger_labels.push(label.clone());
            report
                .schema_added
                .push(format!("{label} as an event trigger"));
        }
        for (role, i) in &f.slots {
            let filler = span(*i, &f.location)?;
            let filler_label = labels_of.get(*i).cloned().unwrap_or_default();
            let Some(role) = role_name(project, role, &filler_label, &f.location, report) else {
                continue;
            };
            frame = frame.with_slot(&role, filler);
        }
        match already.get_mut(&key(&frame)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                continue;
            }
            _ => {}
        }
        frame.id = project.allocate_frame_id();
        doc.layer_mut(layer)
            .insert_frame(frame)
            .map_err(|e| ImportError::new(&f.location, e.to_string()))?;
        added += 1;
    }
    for r in links.relations {
        let (from, to) = (span(r.from, &r.location)?, span(r.to, &r.location)?);
        let Some(kind) = relation_type(project, &r.kind, &r.location, report) else {
            continue;
        };
        let directed = project
            .schema
            .events
            .relation_type(&kind)
            .is_none_or(|t| t.directed);
        let l = doc.layer_mut(layer);
        // Through the span's reverse index, not a scan of every relation.
        let same = l.refs(from).into_iter().any(|r| match r {
            crate::model::links::LinkRef::Relation(id) => l
                .links()
                .relation(id)
                .is_some_and(|x| x.from == from && x.to == to && x.kind == kind),
            crate::model::links::LinkRef::Frame(_) => false,
        });
        if same {
            continue;
        }
        let relation = Relation {
            id: project.allocate_relation_id(),
            from,
            to,
            kind,
            directed,
        };
        l.insert_relation(relation)
            .map_err(|e| ImportError::new(&r.location, e.to_string()))?;
        added += 1;
    }
    report.frames_and_relations += added;
    Ok(added)
}

/// What makes two frames alike: trigger, type, note and slots.
type FrameKey = (SpanId, Option<String>, String, Vec<(String, SpanId)>);

fn key(f: &Frame) -> FrameKey {
    let slots = f.slots.iter().map(|s| (s.role.clone(), s.span)).collect();
    (f.trigger, f.event_type.clone(), f.note.clone(), slots)
}

/// A loose link typed with a role of the schema is a slot of its source's
/// event (one event per source span); the rest are binary relations.
fn place_loose(project: &Project, links: &mut ImportedLinks) {
    let mut made: HashMap<usize, usize> = HashMap::new();
    for r in std::mem::take(&mut links.loose) {
        if project.schema.events.role(&r.kind).is_none() {
            links.relations.push(r);
            continue;
        }
        let at = *made.entry(r.from).or_insert_with(|| {
            links.frames.push(ImportedFrame {
                trigger: r.from,
                event_type: None,
                slots: Vec::new(),
                note: String::new(),
                location: r.location.clone(),
            });
            links.frames.len() - 1
        });
        links.frames[at].slots.push((r.kind, r.to));
    }
}

/// The frame's event type, added to the schema if new; an empty one (or one
/// with a control character) is reported and left off.
fn event_type(
    project: &mut Project,
    f: &ImportedFrame,
    report: &mut ImportReport,
) -> Option<String> {
    let t = f.event_type.as_ref()?;
    if t.trim().is_empty() || t.chars().any(char::is_control) {
        report.unimported.push(Unimported::new(
            &f.location,
            format!(
                "event type \"{}\" is empty or has a control character: the event is imported without it",
                t.escape_debug()
            ),
        ));
        return None;
    }
    let types = &mut project.schema.events.event_types;
    if !types.contains(t) {
        types.push(t.clone());
        report.schema_added.push(format!("event type {t:?}"));
    }
    Some(t.clone())
}

/// A name a role or relation type may have in the schema: `name` itself,
/// or with white space mapped (said in the report); `None` (reported) when
/// no valid name can be made of it.
fn schema_name(name: &str, what: &str, at: &str, report: &mut ImportReport) -> Option<String> {
    match valid_label(name) {
        Ok(valid) => {
            if valid != name && !report.label_mappings.iter().any(|m| m.from == name) {
                report.label_mappings.push(LabelMapping {
                    from: name.to_string(),
                    to: valid.to_string(),
                    location: at.to_string(),
                });
            }
            Some(valid.into_owned())
        }
        Err(why) => {
            report.unimported.push(Unimported::new(
                at,
                format!(
                    "{what} {}: {}",
                    name.escape_debug(),
                    why.replace("label", what)
                ),
            ));
            None
        }
    }
}

/// The role `name` as the schema knows it, added (taking the filler's
/// label) if new; a role added by this import also takes each further
/// filler's label.
fn role_name(
    project: &mut Project,
    name: &str,
    filler_label: &str,
    at: &str,
    report: &mut ImportReport,
) -> Option<String> {
    let name = schema_name(name, "role", at, report)?;
    let events = &mut project.schema.events;
    let added_now = report.schema_added.contains(&format!("role {name:?}"));
    match events.roles.iter_mut().find(|r| r.name == name) {
        Some(role) => {
            if added_now
                && !filler_label.is_empty()
                && !role.labels.iter().any(|l| l == filler_label)
            {
                role.labels.push(filler_label.to_string());
            }
        }
        None => {
            events.roles.push(Role {
                name: name.clone(),
                labels: vec![filler_label.to_string()],
                cardinality: Cardinality::Any,
                key: None,
            });
            report.schema_added.push(format!("role {name:?}"));
        }
    }
    Some(name)
}

/// The relation type `name` as the schema knows it, added (directed) if new.
fn relation_type(
    project: &mut Project,
    name: &str,
    at: &str,
    report: &mut ImportReport,
) -> Option<String> {
    let name = schema_name(name, "relation type", at, report)?;
    let events = &mut project.schema.events;
    if events.relation_type(&name).is_none() {
        events.relation_types.push(RelationType {
            name: name.clone(),
            directed: true,
        });
        report.schema_added.push(format!("relation type {name:?}"));
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::imported::{
        ImportedDoc, ImportedFrame, ImportedLinks, ImportedRelation, ImportedSpan,
    };
    use super::super::merge::merge;
    use crate::model::{LabelSchema, Project};

    fn doc(links: ImportedLinks) -> ImportedDoc {
        ImportedDoc {
            name: "d".into(),
            text: "Militants attacked Bannu.".into(),
            spans: vec![
                ImportedSpan::new(0, 9, "ACTOR", "d line 1"),
                ImportedSpan::new(10, 18, "EVENT", "d line 1"),
                ImportedSpan::new(19, 24, "LOCATION", "d line 1"),
            ],
            annotator: None,
            source_file: "d".into(),
            unimported: Vec::new(),
            links,
            date: None,
        }
    }

    fn frame(slots: Vec<(&str, usize)>, event_type: Option<&str>) -> ImportedFrame {
        ImportedFrame {
            trigger: 1,
            event_type: event_type.map(String::from),
            slots: slots.into_iter().map(|(r, i)| (r.to_string(), i)).collect(),
            note: String::new(),
            location: "d line 1".into(),
        }
    }

    #[test]
    fn foreign_names_become_valid_so_the_project_saves_and_alike_frames_are_kept() {
        let links = ImportedLinks {
            frames: vec![
                frame(vec![], None),
                frame(vec![], None),
                frame(vec![("based at", 2), ("", 0)], Some("")),
            ],
            relations: vec![ImportedRelation {
                from: 0,
                to: 2,
                kind: "located in".into(),
                location: "d line 1".into(),
            }],
            ..Default::default()
        };
        let mut p = Project::new(LabelSchema::default());
        let report = merge(
            &mut p,
            vec![doc(links.clone())],
            Some("x"),
            "x",
            &BTreeMap::new(),
        )
        .unwrap();
        let layer = &p.documents[0].layers["x"];
        assert_eq!(
            layer.frames().count(),
            3,
            "two empty events on one verb stay two"
        );
        let third = layer.frames().find(|f| !f.slots.is_empty()).unwrap();
        let roles: Vec<&str> = third.slots.iter().map(|s| s.role.as_str()).collect();
        assert_eq!(
            roles,
            ["based_at"],
            "a space is mapped; an empty role is reported"
        );
        assert_eq!(
            third.event_type, None,
            "an empty event type is reported, not kept"
        );
        assert_eq!(layer.links().relations().next().unwrap().kind, "located_in");
        assert!(report.unimported.len() >= 2, "{:?}", report.unimported);
        assert!(report.label_mappings.iter().any(|m| m.from == "located in"));
        // The project saves: loading what it writes accepts it.
        let bytes = crate::io::to_json_bytes(&p);
        crate::io::parse_project(&bytes).expect("the imported project loads");
        // The same file again adds nothing.
        let again = merge(&mut p, vec![doc(links)], Some("x"), "x", &BTreeMap::new()).unwrap();
        assert_eq!(again.frames_and_relations, 0);
        assert_eq!(p.documents[0].layers["x"].frames().count(), 3);
    }
}
