//! Changes to the event part of a schema, checked so the project still
//! saves and loads: roles (labels, cardinality, key), event types and
//! relation types. A role, type or relation type still in use cannot be
//! removed; the caller shows why.

use std::collections::HashMap;

use super::event_schema::{Cardinality, RelationType, Role};
use super::project::Project;
use super::schema::{LabelSchema, label_name_problem};

/// How often each role, event type and relation type is used in a project.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventSchemaUse {
    pub roles: HashMap<String, usize>,
    pub event_types: HashMap<String, usize>,
    pub relation_types: HashMap<String, usize>,
}

impl EventSchemaUse {
    /// Counts over every document and layer, gold included (one pass).
    pub fn of(project: &Project) -> Self {
        let mut out = EventSchemaUse::default();
        for d in &project.documents {
            for (_, layer) in d.all_layers() {
                for f in layer.frames() {
                    for s in &f.slots {
                        *out.roles.entry(s.role.clone()).or_default() += 1;
                    }
                    if let Some(t) = &f.event_type {
                        *out.event_types.entry(t.clone()).or_default() += 1;
                    }
                }
                for r in layer.links().relations() {
                    *out.relation_types.entry(r.kind.clone()).or_default() += 1;
                }
            }
        }
        out
    }

    fn count(map: &HashMap<String, usize>, name: &str) -> usize {
        map.get(name).copied().unwrap_or(0)
    }
}

/// `schema` with role `role` filled by `key` (or none). Refused when
/// another role or a label has that key: one key, one meaning.
pub fn set_role_key(
    schema: &LabelSchema,
    role: &str,
    key: Option<char>,
) -> Result<LabelSchema, String> {
    if let Some(k) = key {
        if k.is_whitespace() {
            return Err("a key cannot be a space".into());
        }
        if let Some(other) = schema
            .events
            .roles
            .iter()
            .find(|r| r.key == Some(k) && r.name != role)
        {
            return Err(format!("key {k:?} fills role {:?} already", other.name));
        }
        if let Some(label) = schema.labels.iter().find(|l| l.key == Some(k)) {
            return Err(format!("key {k:?} is the key of label {}", label.name));
        }
    }
    let mut next = schema.clone();
    let r = role_mut(&mut next, role)?;
    r.key = key;
    Ok(next)
}

/// `schema` with `role` taking `label` or not.
pub fn set_role_label(
    schema: &LabelSchema,
    role: &str,
    label: &str,
    takes: bool,
) -> Result<LabelSchema, String> {
    if !schema.contains(label) {
        return Err(format!("no label {label:?}"));
    }
    let mut next = schema.clone();
    let r = role_mut(&mut next, role)?;
    r.labels.retain(|l| l != label);
    if takes {
        r.labels.push(label.to_string());
        // Keep the schema's label order, so the list reads the same everywhere.
        let order: Vec<&str> = schema.names().collect();
        r.labels
            .sort_by_key(|l| order.iter().position(|o| o == l).unwrap_or(usize::MAX));
    }
    Ok(next)
}

/// `schema` with `role`'s cardinality changed.
pub fn set_role_cardinality(
    schema: &LabelSchema,
    role: &str,
    cardinality: Cardinality,
) -> Result<LabelSchema, String> {
    if cardinality == Cardinality::Exactly(0) {
        return Err("a role of exactly 0 would never be filled; remove it instead".into());
    }
    let mut next = schema.clone();
    role_mut(&mut next, role)?.cardinality = cardinality;
    Ok(next)
}

/// `schema` with a new role `name`, taking `labels`, any number, no key.
pub fn add_role(
    schema: &LabelSchema,
    name: &str,
    labels: &[String],
) -> Result<LabelSchema, String> {
    let name = name.trim();
    if let Some(problem) = label_name_problem(name) {
        return Err(problem.replace("label", "role"));
    }
    if schema.events.role(name).is_some() {
        return Err(format!("a role {name:?} exists already"));
    }
    let mut next = schema.clone();
    next.events.roles.push(Role {
        name: name.to_string(),
        labels: labels
            .iter()
            .filter(|l| schema.contains(l))
            .cloned()
            .collect(),
        cardinality: Cardinality::Any,
        key: None,
    });
    Ok(next)
}

/// `schema` without `role`; refused while slots use it.
pub fn remove_role(
    schema: &LabelSchema,
    role: &str,
    used: &EventSchemaUse,
) -> Result<LabelSchema, String> {
    let n = EventSchemaUse::count(&used.roles, role);
    if n > 0 {
        return Err(format!("role {role:?} fills {n} slot(s); empty them first"));
    }
    let mut next = schema.clone();
    next.events.roles.retain(|r| r.name != role);
    Ok(next)
}

/// `schema` with `label` able to trigger events or not.
pub fn set_trigger_label(
    schema: &LabelSchema,
    label: &str,
    triggers: bool,
) -> Result<LabelSchema, String> {
    if !schema.contains(label) {
        return Err(format!("no label {label:?}"));
    }
    let mut next = schema.clone();
    next.events.trigger_labels.retain(|l| l != label);
    if triggers {
        next.events.trigger_labels.push(label.to_string());
    }
    Ok(next)
}

/// `schema` with a new event type at the end of the list.
pub fn add_event_type(schema: &LabelSchema, name: &str) -> Result<LabelSchema, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("an event type needs a name".into());
    }
    if schema.events.event_types.iter().any(|t| t == name) {
        return Err(format!("event type {name:?} is listed already"));
    }
    let mut next = schema.clone();
    next.events.event_types.push(name.to_string());
    Ok(next)
}

/// `schema` without event type `name`; refused while events have it, and
/// for the last one (the list is never empty).
pub fn remove_event_type(
    schema: &LabelSchema,
    name: &str,
    used: &EventSchemaUse,
) -> Result<LabelSchema, String> {
    let n = EventSchemaUse::count(&used.event_types, name);
    if n > 0 {
        return Err(format!(
            "{n} event(s) have type {name:?}; change them first"
        ));
    }
    if schema.events.event_types.len() <= 1 {
        return Err("the list of event types cannot be empty".into());
    }
    let mut next = schema.clone();
    next.events.event_types.retain(|t| t != name);
    Ok(next)
}

/// `schema` with a new relation type (symmetric unless `directed`).
pub fn add_relation_type(
    schema: &LabelSchema,
    name: &str,
    directed: bool,
) -> Result<LabelSchema, String> {
    let name = name.trim();
    if let Some(problem) = label_name_problem(name) {
        return Err(problem.replace("label", "relation type"));
    }
    if schema.events.relation_type(name).is_some() {
        return Err(format!("a relation type {name:?} exists already"));
    }
    let mut next = schema.clone();
    next.events.relation_types.push(RelationType {
        name: name.to_string(),
        directed,
    });
    Ok(next)
}

/// `schema` without relation type `name`; refused while relations have it.
pub fn remove_relation_type(
    schema: &LabelSchema,
    name: &str,
    used: &EventSchemaUse,
) -> Result<LabelSchema, String> {
    let n = EventSchemaUse::count(&used.relation_types, name);
    if n > 0 {
        return Err(format!(
            "{n} relation(s) have type {name:?}; remove them first"
        ));
    }
    let mut next = schema.clone();
    next.events.relation_types.retain(|t| t.name != name);
    Ok(next)
}

fn role_mut<'a>(schema: &'a mut LabelSchema, role: &str) -> Result<&'a mut Role, String> {
    schema
        .events
        .roles
        .iter_mut()
        .find(|r| r.name == role)
        .ok_or_else(|| format!("no role {role:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, Frame, FrameId, LayerId, Span, SpanId};

    fn project_with_an_event() -> Project {
        let mut p = Project::new(LabelSchema::default());
        let mut d = Document::new("d", "d", "Police killed two".into());
        let layer = d.layer_mut(&LayerId::Annotator("a".into()));
        let span =
            |id, s, e, l| Span::new(SpanId(id), s, e, l, 17, jiff::Timestamp::UNIX_EPOCH).unwrap();
        layer.insert(span(1, 0, 6, "ACTOR")).unwrap();
        layer.insert(span(2, 7, 13, "EVENT")).unwrap();
        let mut f = Frame::new(FrameId(3), SpanId(2)).with_slot("agent", SpanId(1));
        f.event_type = Some("Battles".into());
        layer.insert_frame(f).unwrap();
        p.add_document(d).unwrap();
        p
    }

    #[test]
    fn keys_stay_unique_among_roles_and_labels() {
        let s = LabelSchema::default();
        assert!(
            set_role_key(&s, "agent", Some('t'))
                .unwrap_err()
                .contains("target")
        );
        assert!(
            set_role_key(&s, "agent", Some('1'))
                .unwrap_err()
                .contains("LOCATION")
        );
        let s = set_role_key(&s, "agent", Some('g')).unwrap();
        assert_eq!(s.events.role("agent").unwrap().key, Some('g'));
        let s = set_role_key(&s, "agent", None).unwrap();
        assert_eq!(s.events.role("agent").unwrap().key, None);
    }

    #[test]
    fn roles_types_and_relations_in_use_are_not_removed() {
        let p = project_with_an_event();
        let used = EventSchemaUse::of(&p);
        assert!(
            remove_role(&p.schema, "agent", &used)
                .unwrap_err()
                .contains("1 slot")
        );
        assert!(remove_role(&p.schema, "target", &used).is_ok());
        assert!(remove_event_type(&p.schema, "Battles", &used).is_err());
        assert!(remove_event_type(&p.schema, "Riots", &used).is_ok());
        assert!(remove_relation_type(&p.schema, "same_as", &used).is_ok());
    }

    #[test]
    fn new_names_follow_the_rules_and_roles_keep_label_order() {
        let s = LabelSchema::default();
        assert!(add_role(&s, "has space", &[]).is_err());
        assert!(add_role(&s, "agent", &[]).is_err());
        let s = add_role(&s, "victim", &["ACTOR".into(), "NOPE".into()]).unwrap();
        assert_eq!(s.events.role("victim").unwrap().labels, ["ACTOR"]);
        let s = set_role_label(&s, "victim", "LOCATION", true).unwrap();
        assert_eq!(
            s.events.role("victim").unwrap().labels,
            ["LOCATION", "ACTOR"]
        );
        assert!(set_role_cardinality(&s, "victim", Cardinality::Exactly(0)).is_err());
        assert!(add_event_type(&s, "  ").is_err());
        assert!(add_event_type(&s, "Battles").is_err());
        let s = add_event_type(&s, "Abduction").unwrap();
        assert_eq!(s.events.event_types.last().unwrap(), "Abduction");
        assert!(add_relation_type(&s, "based in", true).is_err());
        let s = add_relation_type(&s, "based_in", true).unwrap();
        assert!(s.events.relation_type("based_in").unwrap().directed);
    }
}
