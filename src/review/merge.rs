//! Bringing a colleague's annotations in: their annotator layers are added to
//! this project's documents, matched by text fingerprint, never by name.

use std::collections::BTreeMap;
use std::fmt;

use rustc_hash::FxHashMap;

use crate::model::event_schema::{RelationType, Role};
use crate::model::{
    Cardinality, EventSchema, Frame, Layer, LayerId, Project, Relation, Span, SpanId,
};

/// What to do when a colleague's annotator name already exists here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnCollision {
    /// Refuse, with a message that names the choices.
    #[default]
    Cancel,
    /// Replace the existing layer in the matched documents.
    Replace,
    /// Keep both: the incoming layer gets a new name ("name (2)").
    KeepBoth,
}

/// Why a merge was refused. The project is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error(
        "annotator {0:?} already exists in this project; choose replace, keep both, or cancel (--on-collision replace|keep-both)"
    )]
    NameTaken(String),
    #[error("--as needs a project with exactly one annotator layer; this one has {0}")]
    AsNeedsOneLayer(String),
    #[error("the other project has no annotator layers")]
    NothingToMerge,
}

/// One colleague's layer as it was brought in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergedLayer {
    /// The annotator's name in the other project.
    pub from: String,
    /// The name used here (differs when both were kept).
    pub to: String,
    pub documents: usize,
    pub spans: usize,
    pub frames: usize,
    pub relations: usize,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub layers: Vec<MergedLayer>,
    /// One line per document that was not matched, with the reason.
    pub skipped: Vec<String>,
    pub new_labels: Vec<String>,
    /// Roles, event types and relation types taken from the other schema
    /// (as `role "victim"`), so every merged frame saves and loads.
    pub schema_added: Vec<String>,
    /// Document dates taken from the other project, or kept against it.
    pub dates: Vec<String>,
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for l in &self.layers {
            let renamed = if l.from == l.to {
                String::new()
            } else {
                format!(" (as {:?})", l.to)
            };
            let mut links = String::new();
            if l.frames > 0 {
                links.push_str(&format!(", {} event(s)", l.frames));
            }
            if l.relations > 0 {
                links.push_str(&format!(", {} relation(s)", l.relations));
            }
            writeln!(
                f,
                "added layer {:?}{renamed}: {} span(s){links} in {} document(s)",
                l.from, l.spans, l.documents
            )?;
        }
        for s in self.skipped.iter().chain(&self.dates) {
            writeln!(f, "{s}")?;
        }
        if !self.new_labels.is_empty() {
            writeln!(
                f,
                "labels not in the schema were added: {}",
                self.new_labels.join(", ")
            )?;
        }
        if !self.schema_added.is_empty() {
            writeln!(
                f,
                "added to the event schema: {}",
                self.schema_added.join(", ")
            )?;
        }
        Ok(())
    }
}

fn short(fingerprint: &str) -> &str {
    fingerprint.get(..19).unwrap_or(fingerprint)
}

/// Adds every annotator layer of `other` to the documents of `project` with the
/// same text. `rename_as` names the incoming layer (one-layer projects only).
pub fn merge_project(
    project: &mut Project,
    other: &Project,
    rename_as: Option<&str>,
    on_collision: OnCollision,
) -> Result<MergeReport, MergeError> {
    let incoming = other.layer_names();
    if incoming.is_empty() {
        return Err(MergeError::NothingToMerge);
    }
    if rename_as.is_some() && incoming.len() != 1 {
        return Err(MergeError::AsNeedsOneLayer(incoming.join(", ")));
    }
    let existing: Vec<String> = project
        .documents
        .iter()
        .flat_map(|d| d.layers.keys().cloned())
        .collect();
    // Names taken here or already given to an incoming layer.
    let mut taken: Vec<String> = existing.clone();
    let mut next = project.clone();
    let mut report = MergeReport::default();
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for name in &incoming {
        let wanted = rename_as.map_or_else(|| name.clone(), String::from);
        let target = if existing.contains(&wanted) {
            match on_collision {
                OnCollision::Cancel => return Err(MergeError::NameTaken(wanted)),
                OnCollision::Replace => wanted,
                OnCollision::KeepBoth => (2..)
                    .map(|n| format!("{wanted} ({n})"))
                    .find(|c| !taken.contains(c))
                    .unwrap_or(wanted),
            }
        } else {
            wanted
        };
        taken.push(target.clone());
        targets.insert(name.clone(), target);
    }
    let mut counts: BTreeMap<String, MergedLayer> = BTreeMap::new();
    // (document index, layer) pairs already replaced, so a second incoming
    // document with the same text adds to the layer instead of wiping it.
    let mut replaced: Vec<(usize, String)> = Vec::new();
    for od in &other.documents {
        let Some(index) = next
            .documents
            .iter()
            .position(|d| d.fingerprint() == od.fingerprint())
        else {
            let same_name = next
                .documents
                .iter()
                .find(|d| d.name == od.name || d.id == od.id);
            report.skipped.push(match same_name {
                Some(d) => format!(
                    "{}: text differs (fingerprint {} here, {} there); skipped",
                    od.name,
                    short(d.fingerprint()),
                    short(od.fingerprint())
                ),
                None => format!(
                    "{}: not in this project (fingerprint {}); skipped",
                    od.name,
                    short(od.fingerprint())
                ),
            });
            continue;
        };
        take_date(&mut next.documents[index], od, &mut report.dates);
        for (name, layer) in &od.layers {
            let target = &targets[name];
            let layer_id = LayerId::Annotator(target.clone());
            let mut fresh = Vec::new();
            let mut new_id: FxHashMap<SpanId, SpanId> = FxHashMap::default();
            for s in layer.iter() {
                if next.schema.ensure(&s.label) {
                    report.new_labels.push(s.label.clone());
                }
                let id = next.allocate_span_id();
                new_id.insert(s.id(), id);
                fresh.push(s.clone().with_id(id));
            }
            let (frames, relations) =
                remapped_links(&mut next, other, layer, &new_id, &mut report.schema_added);
            let doc = &mut next.documents[index];
            if on_collision == OnCollision::Replace
                && existing.contains(target)
                && !replaced.contains(&(index, target.clone()))
            {
                // Replace: the incoming layer takes the place of the existing one.
                doc.layers.remove(target);
                replaced.push((index, target.clone()));
            }
            let into = doc.layer_mut(&layer_id);
            for span in fresh {
                let _ = into.insert(span);
            }
            // Every span they name was just inserted, under its new id.
            let (n_frames, n_relations) = (frames.len(), relations.len());
            for f in frames {
                let _ = into.insert_frame(f);
            }
            for r in relations {
                let _ = into.insert_relation(r);
            }
            doc.drop_layer_if_empty(&layer_id);
            let c = counts.entry(name.clone()).or_default();
            c.documents += 1;
            c.spans += layer.len();
            c.frames += n_frames;
            c.relations += n_relations;
        }
    }
    for (name, target) in &targets {
        if let Some(c) = counts.get(name) {
            next.ensure_annotator(target);
            report.layers.push(MergedLayer {
                from: name.clone(),
                to: target.clone(),
                ..c.clone()
            });
        }
    }
    *project = next;
    Ok(report)
}

/// Gives `doc` the other copy's date when it has none (the colleague who
/// read the dateline set it); when both are dated differently, this
/// project's date stays and the report says so.
fn take_date(
    doc: &mut crate::model::Document,
    other: &crate::model::Document,
    notes: &mut Vec<String>,
) {
    let Some(theirs) = other.date else {
        return;
    };
    match doc.date {
        None => {
            doc.date = Some(theirs);
            notes.push(format!(
                "{}: dated {theirs}, as the other project dates it",
                doc.name
            ));
        }
        Some(ours) if ours != theirs => notes.push(format!(
            "{}: the other project dates it {theirs}; this project's date {ours} was kept",
            doc.name
        )),
        Some(_) => {}
    }
}

/// The frames and relations of an incoming `layer` with fresh ids, naming
/// the spans by their new ids. Roles, event types and relation types this
/// schema lacks are taken from the other one, since a file naming a role
/// its schema lacks would not load.
fn remapped_links(
    next: &mut Project,
    other: &Project,
    layer: &Layer,
    new_id: &FxHashMap<SpanId, SpanId>,
    schema_added: &mut Vec<String>,
) -> (Vec<Frame>, Vec<Relation>) {
    let map = |s: SpanId| new_id.get(&s).copied();
    let mut frames = Vec::new();
    for f in layer.frames() {
        let Some(trigger) = map(f.trigger) else {
            continue;
        };
        let mut frame = Frame::new(next.allocate_frame_id(), trigger);
        frame.event_type = f.event_type.clone();
        frame.note = f.note.clone();
        for slot in &f.slots {
            if let Some(span) = map(slot.span) {
                let label = layer.get(slot.span).map_or("", |s| s.label.as_str());
                adopt_role(
                    &mut next.schema.events,
                    &other.schema.events,
                    &slot.role,
                    label,
                    schema_added,
                );
                frame = frame.with_slot(&slot.role, span);
            }
        }
        if let Some(t) = &frame.event_type
            && !next.schema.events.event_types.contains(t)
        {
            next.schema.events.event_types.push(t.clone());
            schema_added.push(format!("event type {t:?}"));
        }
        frames.push(frame);
    }
    let mut relations = Vec::new();
    for r in layer.links().relations() {
        let (Some(from), Some(to)) = (map(r.from), map(r.to)) else {
            continue;
        };
        let events = &mut next.schema.events;
        if events.relation_type(&r.kind).is_none() {
            let kind = other.schema.events.relation_type(&r.kind).cloned();
            events.relation_types.push(kind.unwrap_or(RelationType {
                name: r.kind.clone(),
                directed: r.directed,
            }));
            schema_added.push(format!("relation type {:?}", r.kind));
        }
        relations.push(Relation {
            id: next.allocate_relation_id(),
            from,
            to,
            kind: r.kind.clone(),
            directed: r.directed,
        });
    }
    (frames, relations)
}

/// Makes sure `events` has `role`: the other schema's definition (its key
/// only when free here), or any number of `filler_label` spans.
fn adopt_role(
    events: &mut EventSchema,
    theirs: &EventSchema,
    role: &str,
    filler_label: &str,
    schema_added: &mut Vec<String>,
) {
    if events.role(role).is_some() {
        return;
    }
    let mut adopted = theirs.role(role).cloned().unwrap_or(Role {
        name: role.to_string(),
        labels: vec![filler_label.to_string()],
        cardinality: Cardinality::Any,
        key: None,
    });
    if adopted.key.is_some_and(|k| events.role_by_key(k).is_some()) {
        adopted.key = None;
    }
    events.roles.push(adopted);
    schema_added.push(format!("role {role:?}"));
}

/// Spans of `layer` in text order for every document, for tests and reports.
pub fn layer_spans<'a>(project: &'a Project, layer: &LayerId) -> Vec<(&'a str, &'a Span)> {
    project
        .documents
        .iter()
        .flat_map(|d| {
            d.layer(layer)
                .into_iter()
                .flat_map(|l| l.iter())
                .map(move |s| (d.id.as_str(), s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, LabelSchema};
    use jiff::Timestamp;

    fn project(annotator: &str, docs: &[(&str, &str)]) -> Project {
        let mut p = Project::new(LabelSchema::default());
        p.ensure_annotator(annotator);
        for (name, text) in docs {
            let mut d = Document::new(*name, *name, text.to_string());
            let span = Span::new(
                p.allocate_span_id(),
                0,
                5,
                "LOCATION",
                d.char_len(),
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            d.layer_mut(&LayerId::Annotator(annotator.into()))
                .insert(span)
                .unwrap();
            p.add_document(d).unwrap();
        }
        p
    }

    #[test]
    fn matches_by_text_and_reports_the_rest() {
        let mut mine = project(
            "ayesha",
            &[("report-1", "Bannu police"), ("report-2", "Karak attack")],
        );
        let theirs = project(
            "bilal",
            &[
                ("renamed", "Bannu police"),
                ("report-2", "Karak attack!"),
                ("new", "Tank road"),
            ],
        );
        let report = merge_project(&mut mine, &theirs, None, OnCollision::Cancel).unwrap();
        assert_eq!(
            report.layers,
            [MergedLayer {
                from: "bilal".into(),
                to: "bilal".into(),
                documents: 1,
                spans: 1,
                frames: 0,
                relations: 0
            }]
        );
        assert!(
            mine.documents[0].layers.contains_key("bilal"),
            "matched by text despite the other name"
        );
        assert!(!mine.documents[1].layers.contains_key("bilal"));
        assert!(
            report.skipped[0].starts_with("report-2: text differs (fingerprint sha256:"),
            "{:?}",
            report.skipped
        );
        assert!(
            report.skipped[1].starts_with("new: not in this project"),
            "{:?}",
            report.skipped
        );
        assert_eq!(mine.documents.len(), 2, "nothing added");
    }

    #[test]
    fn a_colleagues_date_fills_an_undated_document_and_never_replaces_one() {
        let day = |t| crate::model::parse_date(t).unwrap();
        let mut mine = project("ayesha", &[("a", "Bannu police"), ("b", "Karak attack")]);
        mine.documents[1].date = Some(day("2025-03-14"));
        let mut theirs = project("bilal", &[("a", "Bannu police"), ("b", "Karak attack")]);
        theirs.documents[0].date = Some(day("2025-03-13"));
        theirs.documents[1].date = Some(day("2025-03-15"));
        let report = merge_project(&mut mine, &theirs, None, OnCollision::Cancel).unwrap();
        assert_eq!(mine.documents[0].date, Some(day("2025-03-13")));
        assert_eq!(mine.documents[1].date, Some(day("2025-03-14")), "ours kept");
        assert_eq!(
            report.dates,
            [
                "a: dated 2025-03-13, as the other project dates it",
                "b: the other project dates it 2025-03-15; this project's date 2025-03-14 was kept"
            ]
        );
        assert!(report.to_string().contains("date 2025-03-14 was kept"));
    }

    #[test]
    fn name_collisions_cancel_replace_or_keep_both() {
        let base = project("ayesha", &[("r", "Bannu police")]);
        let other = project("ayesha", &[("r", "Bannu police")]);
        let mut p = base.clone();
        assert_eq!(
            merge_project(&mut p, &other, None, OnCollision::Cancel),
            Err(MergeError::NameTaken("ayesha".into()))
        );
        assert_eq!(p, base, "unchanged");
        merge_project(&mut p, &other, None, OnCollision::Replace).unwrap();
        assert_eq!(p.documents[0].layers["ayesha"].len(), 1);
        let mut p = base.clone();
        let r = merge_project(&mut p, &other, None, OnCollision::KeepBoth).unwrap();
        assert_eq!(r.layers[0].to, "ayesha (2)");
        assert_eq!(p.documents[0].layers.len(), 2);
        let mut p = base.clone();
        merge_project(&mut p, &other, Some("colleague"), OnCollision::Cancel).unwrap();
        assert!(p.documents[0].layers.contains_key("colleague"));
    }

    #[test]
    fn events_and_relations_come_along_under_new_ids_and_still_load() {
        let mut mine = project("ayesha", &[("r", "Bannu police killed two")]);
        let mut theirs = project("bilal", &[("r", "Bannu police killed two")]);
        // Their ids overlap ours on purpose: span 1 there is not span 1 here.
        let bilal = LayerId::Annotator("bilal".into());
        let add = |p: &mut Project, s: usize, e: usize, label: &str| {
            let id = p.allocate_span_id();
            let span = Span::new(id, s, e, label, 23, Timestamp::UNIX_EPOCH).unwrap();
            p.documents[0].layer_mut(&bilal).insert(span).unwrap();
            id
        };
        let police = add(&mut theirs, 6, 12, "ACTOR");
        let killed = add(&mut theirs, 13, 19, "EVENT");
        let bannu = theirs.documents[0].layers["bilal"]
            .iter()
            .next()
            .unwrap()
            .id();
        theirs.schema.events.roles.push(Role {
            name: "perpetrator".into(),
            labels: vec!["ACTOR".into()],
            cardinality: Cardinality::AtLeastOne,
            key: Some('a'), // taken by agent here: dropped
        });
        theirs.schema.events.event_types.push("Abduction".into());
        let mut frame = Frame::new(theirs.allocate_frame_id(), killed)
            .with_slot("perpetrator", police)
            .with_slot("location", bannu);
        frame.event_type = Some("Abduction".into());
        frame.note = "check the date".into();
        let layer = theirs.documents[0].layer_mut(&bilal);
        layer.insert_frame(frame).unwrap();
        layer
            .insert_relation(Relation {
                id: crate::model::RelationId(1),
                from: police,
                to: bannu,
                kind: "based_in".into(),
                directed: true,
            })
            .unwrap();

        let report = merge_project(&mut mine, &theirs, None, OnCollision::Cancel).unwrap();
        assert_eq!(
            (report.layers[0].frames, report.layers[0].relations),
            (1, 1)
        );
        assert_eq!(
            report.schema_added,
            [
                "role \"perpetrator\"",
                "event type \"Abduction\"",
                "relation type \"based_in\""
            ]
        );
        let merged = &mine.documents[0].layers["bilal"];
        let f = merged.frames().next().unwrap();
        let text_of = |id: SpanId| {
            let s = merged.get(id).unwrap();
            mine.documents[0]
                .text()
                .chars()
                .skip(s.start())
                .take(s.end() - s.start())
                .collect::<String>()
        };
        assert_eq!(text_of(f.trigger), "killed");
        let slots: Vec<(String, String)> = f
            .slots
            .iter()
            .map(|s| (s.role.clone(), text_of(s.span)))
            .collect();
        assert_eq!(
            slots,
            [
                ("perpetrator".into(), "police".into()),
                ("location".into(), "Bannu".into())
            ]
        );
        assert_eq!(
            (f.event_type.as_deref(), f.note.as_str()),
            (Some("Abduction"), "check the date")
        );
        let role = mine.schema.events.role("perpetrator").unwrap();
        assert_eq!(
            (role.cardinality, role.key),
            (Cardinality::AtLeastOne, None)
        );
        let r = merged.links().relations().next().unwrap();
        assert_eq!(
            (text_of(r.from), text_of(r.to)),
            ("police".into(), "Bannu".into())
        );
        // The merged project saves into a file that loads.
        let bytes = crate::io::project_file::to_json_bytes(&mine);
        let back = crate::io::project_file::parse_project(&bytes).unwrap();
        assert_eq!(back.documents[0].layers["bilal"].frames().len(), 1);
    }
}
