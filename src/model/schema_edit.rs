//! Label schema edits as undoable commands: rename (spans follow), delete
//! (its spans removed or relabelled), and any other change of the label list.

use super::command::{Command, SpanChange};
use super::project::Project;
use super::schema::LabelSchema;

/// What happens to the spans of a deleted label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeletePolicy {
    RemoveSpans,
    RelabelTo(String),
}

/// Commands that relabel every span labelled `from` to `to`, in all documents and layers.
/// Spans keep their `modified` time: a rename is not an edit of the annotation.
fn relabel_all(project: &Project, from: &str, to: &str) -> Vec<Command> {
    let mut out = Vec::new();
    for d in &project.documents {
        for (layer, l) in d.all_layers() {
            for s in l.iter().filter(|s| s.label == from) {
                out.push(Command::UpdateSpan {
                    doc: d.id.clone(),
                    layer: layer.clone(),
                    id: s.id(),
                    change: SpanChange::Label(to.to_string()),
                    at: s.modified,
                });
            }
        }
    }
    out
}

/// Spans with this label, over all documents and layers.
pub fn label_use_count(project: &Project, label: &str) -> usize {
    project
        .documents
        .iter()
        .flat_map(|d| d.all_layers())
        .map(|(_, l)| l.count_label(label))
        .sum()
}

/// Renames a label; its spans follow. `None` if `from` is missing or `to` exists.
pub fn rename_label(project: &Project, from: &str, to: &str) -> Option<Command> {
    let to = to.trim();
    if super::label_name_problem(to).is_some() || project.schema.contains(to) {
        return None;
    }
    let mut schema = project.schema.clone();
    schema.labels.iter_mut().find(|l| l.name == from)?.name = to.to_string();
    // Triggers and roles follow the renamed label.
    schema.events.rename_label(from, to);
    // Both names exist while spans move over, then the old one goes.
    let mut both = project.schema.clone();
    let mut added = both.get(from)?.clone();
    added.name = to.to_string();
    added.key = None;
    both.labels.push(added);
    let mut cmds = vec![Command::SetSchema(both)];
    cmds.extend(relabel_all(project, from, to));
    cmds.push(Command::SetSchema(schema));
    Some(Command::Batch(cmds))
}

/// Deletes a label, removing or relabelling its spans first.
pub fn delete_label(project: &Project, name: &str, policy: &DeletePolicy) -> Option<Command> {
    project.schema.get(name)?;
    let mut cmds = Vec::new();
    match policy {
        DeletePolicy::RemoveSpans => {
            for d in &project.documents {
                for (layer, l) in d.all_layers() {
                    for s in l.iter().filter(|s| s.label == name) {
                        cmds.push(Command::RemoveSpan {
                            doc: d.id.clone(),
                            layer: layer.clone(),
                            id: s.id(),
                        });
                    }
                }
            }
        }
        DeletePolicy::RelabelTo(to) => {
            if to == name || !project.schema.contains(to) {
                return None;
            }
            cmds.extend(relabel_all(project, name, to));
        }
    }
    let mut schema = project.schema.clone();
    schema.labels.retain(|l| l.name != name);
    schema.events.forget_label(name);
    cmds.push(Command::SetSchema(schema));
    Some(Command::Batch(cmds))
}

/// Replaces the schema with an edited one that keeps every label in use
/// (recolour, re-key, reorder, add, guideline text).
pub fn set_schema(schema: LabelSchema) -> Command {
    Command::SetSchema(schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, LayerId, Span, SpanId};
    use jiff::Timestamp;

    fn project() -> Project {
        let mut p = Project::new(LabelSchema::default());
        let mut d = Document::new("d", "d", "Bannu and Karak".into());
        let l = LayerId::Annotator("a".into());
        for (i, (s, e, label)) in [(0, 5, "LOCATION"), (10, 15, "LOCATION"), (0, 15, "EVENT")]
            .iter()
            .enumerate()
        {
            let span = Span::new(
                SpanId(i as u64 + 1),
                *s,
                *e,
                *label,
                15,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            d.layer_mut(&l).insert(span).unwrap();
        }
        d.layer_mut(&LayerId::Gold)
            .insert(Span::new(SpanId(9), 0, 5, "LOCATION", 15, Timestamp::UNIX_EPOCH).unwrap())
            .unwrap();
        p.add_document(d).unwrap();
        p
    }

    #[test]
    fn rename_moves_spans_and_undoes() {
        let mut p = project();
        let before = p.clone();
        let inverse = rename_label(&p, "LOCATION", "PLACE")
            .unwrap()
            .apply(&mut p)
            .unwrap();
        assert_eq!(label_use_count(&p, "PLACE"), 3);
        assert_eq!(label_use_count(&p, "LOCATION"), 0);
        assert_eq!(p.schema.labels[0].name, "PLACE");
        assert_eq!(p.schema.labels[0].key, Some('1'));
        assert_eq!(p.schema.labels.len(), 4);
        assert!(rename_label(&p, "PLACE", "ACTOR").is_none(), "name taken");
        inverse.apply(&mut p).unwrap();
        assert_eq!(p, before);
    }

    #[test]
    fn delete_removes_or_relabels_and_refuses_to_orphan_spans() {
        let mut p = project();
        let before = p.clone();
        let mut schema = p.schema.clone();
        schema.labels.retain(|l| l.name != "EVENT");
        assert!(set_schema(schema).apply(&mut p).is_err(), "EVENT is in use");
        assert_eq!(label_use_count(&p, "LOCATION"), 3);
        let inv = delete_label(&p, "LOCATION", &DeletePolicy::RemoveSpans)
            .unwrap()
            .apply(&mut p)
            .unwrap();
        assert_eq!(label_use_count(&p, "LOCATION"), 0);
        assert!(!p.schema.contains("LOCATION"));
        assert_eq!(p.span_count(), 1);
        inv.apply(&mut p).unwrap();
        assert_eq!(p, before);
        delete_label(&p, "LOCATION", &DeletePolicy::RelabelTo("ACTOR".into()))
            .unwrap()
            .apply(&mut p)
            .unwrap();
        assert_eq!(label_use_count(&p, "ACTOR"), 3);
        assert!(delete_label(&p, "ACTOR", &DeletePolicy::RelabelTo("NOPE".into())).is_none());
    }
}
