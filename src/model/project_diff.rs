//! The undoable edit between two states of a project. Bulk operations that
//! are easiest to write on a copy (merging a colleague's project, importing
//! another tool's files) run on a clone and are then applied to the session
//! as this one batch, so a single Ctrl+Z takes them back.

use super::command::Command;
use super::document::{Document, LayerId};
use super::layer::Layer;
use super::project::Project;

/// Commands that turn one layer into another: every old frame, relation and
/// span out, then every new span, frame and relation in (links last in,
/// first out, as they name the spans).
fn replace_layer(
    doc: &str,
    id: &LayerId,
    old: Option<&Layer>,
    new: Option<&Layer>,
) -> Vec<Command> {
    if old == new {
        return Vec::new();
    }
    let (doc, layer) = (doc.to_string(), id.clone());
    let mut cmds = Vec::new();
    if let Some(l) = old {
        cmds.extend(l.frames().map(|f| Command::RemoveFrame {
            doc: doc.clone(),
            layer: layer.clone(),
            id: f.id,
        }));
        cmds.extend(l.links().relations().map(|r| Command::RemoveRelation {
            doc: doc.clone(),
            layer: layer.clone(),
            id: r.id,
        }));
        cmds.extend(l.iter().map(|s| Command::RemoveSpan {
            doc: doc.clone(),
            layer: layer.clone(),
            id: s.id(),
        }));
    }
    if let Some(l) = new {
        cmds.extend(l.iter().map(|s| Command::AddSpan {
            doc: doc.clone(),
            layer: layer.clone(),
            span: s.clone(),
        }));
        cmds.extend(l.frames().map(|f| Command::AddFrame {
            doc: doc.clone(),
            layer: layer.clone(),
            frame: f.clone(),
        }));
        cmds.extend(l.links().relations().map(|r| Command::AddRelation {
            doc: doc.clone(),
            layer: layer.clone(),
            relation: r.clone(),
        }));
    }
    cmds
}

fn document_edit(old: &Document, new: &Document) -> Vec<Command> {
    let mut cmds = Vec::new();
    let mut names: Vec<&String> = old.layers.keys().chain(new.layers.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let id = LayerId::Annotator(name.clone());
        cmds.extend(replace_layer(
            &old.id,
            &id,
            old.layers.get(name),
            new.layers.get(name),
        ));
    }
    cmds.extend(replace_layer(
        &old.id,
        &LayerId::Gold,
        old.gold.as_ref(),
        new.gold.as_ref(),
    ));
    if old.status != new.status {
        cmds.push(Command::SetStatus {
            doc: old.id.clone(),
            status: new.status,
        });
    }
    if old.date != new.date {
        cmds.push(Command::SetDate {
            doc: old.id.clone(),
            date: new.date,
        });
    }
    cmds
}

/// One batch that turns `before` into `after`: the schema first (so new labels
/// exist), then changed layers and statuses of shared documents (by id), then
/// new documents at their place, then removed ones. Texts never change, and
/// review decisions are not compared (bulk operations do not make them).
pub fn edit_between(before: &Project, after: &Project) -> Command {
    let mut cmds = Vec::new();
    if before.schema != after.schema {
        cmds.push(Command::SetSchema(after.schema.clone()));
    }
    for new in &after.documents {
        if let Some(old) = before.document(&new.id) {
            cmds.extend(document_edit(old, new));
        }
    }
    for (i, new) in after.documents.iter().enumerate() {
        if before.document(&new.id).is_none() {
            cmds.push(Command::AddDocument {
                doc: Box::new(new.clone()),
                index: Some(i),
            });
        }
    }
    for old in &before.documents {
        if after.document(&old.id).is_none() {
            cmds.push(Command::RemoveDocument {
                doc: old.id.clone(),
            });
        }
    }
    Command::Batch(cmds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocStatus, Frame, FrameId, LabelSchema, Relation, RelationId, Span};
    use jiff::Timestamp;

    #[test]
    fn applying_the_edit_gives_after_and_its_inverse_gives_before() {
        let mut before = Project::new(LabelSchema::default());
        before
            .add_document(Document::new("a", "a", "In Bannu today.".into()))
            .unwrap();
        let id = before.allocate_span_id();
        let s = Span::new(id, 3, 8, "LOCATION", 15, Timestamp::UNIX_EPOCH).unwrap();
        before.documents[0]
            .layer_mut(&LayerId::Annotator("x".into()))
            .insert(s)
            .unwrap();

        let mut after = before.clone();
        after.schema.ensure("WEAPON");
        let id = after.allocate_span_id();
        let s = Span::new(id, 9, 14, "WEAPON", 15, Timestamp::UNIX_EPOCH).unwrap();
        after.documents[0]
            .layer_mut(&LayerId::Annotator("y".into()))
            .insert(s)
            .unwrap();
        // An event and a relation in the new layer travel with its spans.
        let trigger = after.allocate_span_id();
        let s = Span::new(trigger, 0, 2, "EVENT", 15, Timestamp::UNIX_EPOCH).unwrap();
        let y = after.documents[0].layer_mut(&LayerId::Annotator("y".into()));
        y.insert(s).unwrap();
        let filler = y.iter().find(|s| s.label == "WEAPON").unwrap().id();
        y.insert_frame(Frame::new(FrameId(900), trigger).with_slot("count", filler))
            .unwrap();
        y.insert_relation(Relation {
            id: RelationId(901),
            from: trigger,
            to: filler,
            kind: "same_as".into(),
            directed: false,
        })
        .unwrap();
        after.documents[0].status = DocStatus::InProgress;
        let mut added = Document::new("b", "b", "Karak.".into());
        let id = after.allocate_span_id();
        let s = Span::new(id, 0, 5, "LOCATION", 6, Timestamp::UNIX_EPOCH).unwrap();
        added
            .layer_mut(&LayerId::Annotator("y".into()))
            .insert(s)
            .unwrap();
        after.add_document(added).unwrap();

        let mut p = before.clone();
        let inverse = edit_between(&before, &after).apply(&mut p).unwrap();
        assert_eq!(p.documents, after.documents);
        assert_eq!(p.schema, after.schema);
        // New ids stay reserved, so later spans never reuse them.
        assert!(p.allocate_span_id().0 > id.0);
        // So do frame ids: a fresh one never repeats an added frame's.
        assert!(p.allocate_frame_id().0 > 900);
        inverse.apply(&mut p).unwrap();
        assert_eq!(p.documents, before.documents);
        assert_eq!(p.schema, before.schema);
    }
}
