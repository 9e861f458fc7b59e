//! Relabelling a span that fills event roles: when the new label is one a
//! role does not take, the analyst is asked whether the slots stay (the
//! event keeps the span, the validator accepts it) or go, in one step.

use super::Session;
use crate::model::command::{Command, EditError, SpanChange};
use crate::model::{FrameId, SpanId, now};

impl Session {
    /// The slots of the edited layer that `span` fills in a role that would
    /// not take `label`, as (event, role). Empty when nothing objects.
    pub fn slots_refusing(&self, span: SpanId, label: &str) -> Vec<(FrameId, String)> {
        let (Some(doc), events) = (self.document(), &self.project.schema.events) else {
            return Vec::new();
        };
        let Some(layer) = doc.layer(&self.layer_id()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for r in layer.refs(span) {
            let crate::model::links::LinkRef::Frame(id) = r else {
                continue;
            };
            let Some(frame) = layer.frame(id) else {
                continue;
            };
            for slot in frame.slots.iter().filter(|s| s.span == span) {
                let refuses = events
                    .role(&slot.role)
                    .is_some_and(|role| !role.labels.iter().any(|l| l == label));
                if refuses {
                    out.push((id, slot.role.clone()));
                }
            }
        }
        out
    }

    /// Relabels `span` to `label`; with `keep_slots` false the slots that
    /// role would refuse are emptied in the same undoable step.
    pub fn relabel_span(
        &mut self,
        span: SpanId,
        label: &str,
        keep_slots: bool,
    ) -> Result<(), EditError> {
        let doc = self.doc_id().ok_or(EditError::NoDocument(String::new()))?;
        let layer = self.layer_id();
        let mut cmds = vec![Command::UpdateSpan {
            doc: doc.clone(),
            layer: layer.clone(),
            id: span,
            change: SpanChange::Label(label.to_string()),
            at: Some(now()),
        }];
        if !keep_slots {
            let refusing = self.slots_refusing(span, label);
            let current = self.document().and_then(|d| d.layer(&layer));
            let mut frames: Vec<FrameId> = refusing.iter().map(|(f, _)| *f).collect();
            frames.dedup();
            for id in frames {
                let Some(mut frame) = current.and_then(|l| l.frame(id)).cloned() else {
                    continue;
                };
                for (_, role) in refusing.iter().filter(|(f, _)| *f == id) {
                    frame = frame.without_slot(role, span);
                }
                cmds.push(Command::ReplaceFrame {
                    doc: doc.clone(),
                    layer: layer.clone(),
                    frame,
                });
            }
        }
        self.apply(Command::Batch(cmds))
    }
}
