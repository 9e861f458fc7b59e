//! The rules for events in a project file: the event schema is coherent,
//! and each frame and relation points at spans of its own layer with roles,
//! event types and relation types the schema declares. Load applies them
//! while building layers; save checks them again on the model.
//!
//! A filler whose label its role does not take, more fillers than a role
//! takes, and a role short of its minimum are all accepted: the analyst may
//! keep a slot after relabelling a span, and frames are filled one slot at
//! a time. (Reporting them before Done is part of #16, not built yet.)

use std::collections::HashSet;

use crate::model::event_schema::{EventSchema, FrameProblem};
use crate::model::links::LinkError;
use crate::model::{Frame, LabelSchema, Layer, Relation};

/// A problem at a JSON path.
pub(super) type Found = (String, String);

/// The event schema names each role, event type and relation type once,
/// with valid names. A trigger or role label the label list lacks is not
/// an error: it is inert (no span can have it), as in a version-1 file with
/// labels of its own, which gets the default event schema.
pub(super) fn check_event_schema(schema: &LabelSchema) -> Vec<Found> {
    let events = &schema.events;
    let mut out = Vec::new();
    let at = |p: String| format!("schema.events.{p}");
    let (mut names, mut keys) = (HashSet::new(), HashSet::new());
    for (i, r) in events.roles.iter().enumerate() {
        if let Some(problem) = crate::model::label_name_problem(&r.name) {
            out.push((
                at(format!("roles[{i}].name")),
                problem.replace("label", "role"),
            ));
        } else if !names.insert(r.name.as_str()) {
            out.push((
                at(format!("roles[{i}].name")),
                format!("role {:?} is defined twice", r.name),
            ));
        }
        if let Some(k) = r.key
            && !keys.insert(k)
        {
            out.push((
                at(format!("roles[{i}].key")),
                format!("key {k:?} is used by another role"),
            ));
        }
    }
    let mut types = HashSet::new();
    for (i, t) in events.event_types.iter().enumerate() {
        if t.trim().is_empty() || !types.insert(t.as_str()) {
            out.push((
                at(format!("event_types[{i}]")),
                format!("event type {t:?} is empty or listed twice"),
            ));
        }
    }
    let mut kinds = HashSet::new();
    for (i, t) in events.relation_types.iter().enumerate() {
        if let Some(problem) = crate::model::label_name_problem(&t.name) {
            out.push((
                at(format!("relation_types[{i}].name")),
                problem.replace("label", "relation type"),
            ));
        } else if !kinds.insert(t.name.as_str()) {
            out.push((
                at(format!("relation_types[{i}].name")),
                format!("relation type {:?} is defined twice", t.name),
            ));
        }
    }
    out
}

/// What the schema refuses in a frame (`path` is the frame's JSON path).
fn frame_schema_problems(events: &EventSchema, frame: &Frame, path: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for problem in events.problems(frame, |_| None) {
        match &problem {
            FrameProblem::UnknownRole(role) => {
                let i = frame
                    .slots
                    .iter()
                    .position(|s| &s.role == role)
                    .unwrap_or(0);
                out.push((format!("{path}.slots[{i}].role"), problem.to_string()));
            }
            FrameProblem::UnknownEventType(_) => {
                out.push((format!("{path}.event_type"), problem.to_string()));
            }
            // Accepted on purpose (see the module doc).
            FrameProblem::NotATrigger { .. }
            | FrameProblem::LabelNotAllowed { .. }
            | FrameProblem::TooMany { .. }
            | FrameProblem::TooFew { .. } => {}
        }
    }
    out
}

fn relation_schema_problems(events: &EventSchema, r: &Relation, path: &str) -> Vec<Found> {
    if events.relation_type(&r.kind).is_some() {
        return Vec::new();
    }
    vec![(
        format!("{path}.type"),
        format!("relation type {:?} is not in the schema", r.kind),
    )]
}

/// Where in a frame record a missing span was named.
fn missing_span_path(frame: &Frame, missing: crate::model::SpanId, path: &str) -> String {
    if frame.trigger == missing {
        return format!("{path}.trigger");
    }
    let i = frame
        .slots
        .iter()
        .position(|s| s.span == missing)
        .unwrap_or(0);
    format!("{path}.slots[{i}].span")
}

/// Adds the frames and relations read for one layer, reporting each one
/// that cannot be added with its path. `layer` is `None` when the file has
/// no spans for this layer (every frame then misses its trigger).
pub(super) fn build_links(
    schema: &LabelSchema,
    layer: &mut Option<Layer>,
    frames: Vec<Frame>,
    frames_path: &str,
    relations: Vec<Relation>,
    relations_path: &str,
) -> Vec<Found> {
    let mut out = Vec::new();
    if frames.is_empty() && relations.is_empty() {
        return out;
    }
    let layer = layer.get_or_insert_with(Layer::new);
    for (i, frame) in frames.into_iter().enumerate() {
        let path = format!("{frames_path}[{i}]");
        let problems = frame_schema_problems(&schema.events, &frame, &path);
        if !problems.is_empty() {
            out.extend(problems);
            continue;
        }
        let missing = frame.spans().find(|s| !layer.contains_id(*s));
        if let Some(missing) = missing {
            let what = if frame.trigger == missing {
                "the frame's trigger"
            } else {
                "a slot's span"
            };
            out.push((
                missing_span_path(&frame, missing, &path),
                format!("{what} {missing} is not a span of this layer"),
            ));
            continue;
        }
        if let Err(LinkError::DuplicateFrame(id)) = layer.insert_frame(frame) {
            out.push((format!("{path}.id"), format!("frame id {id} is used twice")));
        }
    }
    for (i, relation) in relations.into_iter().enumerate() {
        let path = format!("{relations_path}[{i}]");
        let problems = relation_schema_problems(&schema.events, &relation, &path);
        if !problems.is_empty() {
            out.extend(problems);
            continue;
        }
        match layer.insert_relation(relation) {
            Ok(()) => {}
            Err(LinkError::NoSpan(s)) => out.push((
                path.clone(),
                format!("span {s} is not a span of this layer"),
            )),
            Err(e) => out.push((format!("{path}.id"), e.to_string())),
        }
    }
    out
}

/// The schema rules on a layer in memory, before a save (its structure is
/// kept by [`Layer`] itself).
pub(super) fn check_layer_links(
    schema: &LabelSchema,
    layer: &Layer,
    (frames_path, relations_path): &(String, String),
) -> Vec<Found> {
    let links = layer.links();
    let mut out = Vec::new();
    for (i, f) in links.frames().enumerate() {
        out.extend(frame_schema_problems(
            &schema.events,
            f,
            &format!("{frames_path}[{i}]"),
        ));
    }
    for (i, r) in links.relations().enumerate() {
        out.extend(relation_schema_problems(
            &schema.events,
            r,
            &format!("{relations_path}[{i}]"),
        ));
    }
    out
}
