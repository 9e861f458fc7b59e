//! Events as frames: an EVENT span (the trigger) with role slots filled by
//! other spans of the same layer ("15 militants" is the `count` of the
//! operation in North Waziristan), and plain binary relations between spans
//! (`same_as` between two mentions of one actor).
//!
//! Frames and relations refer to spans by id, so relabelling or resizing a
//! span keeps its links; removing a span is a command that also removes or
//! trims what refers to it (see [`super::command`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::frame_decision::FrameProvenance;
use super::span_id::SpanId;

/// Identifier of a frame, unique within its layer and stable across saves
/// (exports name events by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FrameId(pub u64);

/// Identifier of a binary relation, unique within its layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelationId(pub u64);

impl fmt::Display for FrameId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E{}", self.0)
    }
}

impl fmt::Display for RelationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "R{}", self.0)
    }
}

/// One filled role of a frame: "agent" is span #12.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub role: String,
    pub span: SpanId,
}

/// One event: who did what to whom, where, and how many. Several frames
/// may share a trigger ("four militants were killed in Bajaur and one in
/// Khyber" is two events with one verb), and one span may fill slots in
/// several frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    pub id: FrameId,
    /// The EVENT span that names the event.
    pub trigger: SpanId,
    /// One of the schema's event types (ACLED's by default), once chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// Filled roles, in the order the analyst filled them.
    #[serde(default)]
    pub slots: Vec<Slot>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Set on gold events: where adjudication took this one from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Box<FrameProvenance>>,
}

impl Frame {
    /// A frame on `trigger` with no slots yet.
    pub fn new(id: FrameId, trigger: SpanId) -> Self {
        Frame {
            id,
            trigger,
            event_type: None,
            slots: Vec::new(),
            note: String::new(),
            provenance: None,
        }
    }

    /// The spans filling `role`, in slot order.
    pub fn fillers<'a>(&'a self, role: &'a str) -> impl Iterator<Item = SpanId> + 'a {
        self.slots
            .iter()
            .filter(move |s| s.role == role)
            .map(|s| s.span)
    }

    /// Every span the frame refers to: its trigger, then its fillers.
    pub fn spans(&self) -> impl Iterator<Item = SpanId> + '_ {
        std::iter::once(self.trigger).chain(self.slots.iter().map(|s| s.span))
    }

    /// This frame with `role` filled by `span` as well (no change if it is already).
    pub fn with_slot(mut self, role: &str, span: SpanId) -> Self {
        let slot = Slot {
            role: role.to_string(),
            span,
        };
        if !self.slots.contains(&slot) {
            self.slots.push(slot);
        }
        self
    }

    /// This frame without the slot of `role` filled by `span`.
    pub fn without_slot(mut self, role: &str, span: SpanId) -> Self {
        self.slots.retain(|s| !(s.role == role && s.span == span));
        self
    }

    /// This frame without any slot filled by `span`.
    pub fn without_span(mut self, span: SpanId) -> Self {
        self.slots.retain(|s| s.span != span);
        self
    }
}

/// A typed link between two spans, for links that are not event roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub id: RelationId,
    pub from: SpanId,
    pub to: SpanId,
    /// One of the schema's relation types (`type` in files).
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether the link reads from `from` to `to` (else symmetric).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub directed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_added_once_and_removed_by_role_or_span() {
        let f = Frame::new(FrameId(1), SpanId(10))
            .with_slot("agent", SpanId(11))
            .with_slot("agent", SpanId(11))
            .with_slot("count", SpanId(12))
            .with_slot("target", SpanId(11));
        assert_eq!(f.slots.len(), 3);
        assert_eq!(f.fillers("agent").collect::<Vec<_>>(), [SpanId(11)]);
        assert_eq!(
            f.spans().collect::<Vec<_>>(),
            [SpanId(10), SpanId(11), SpanId(12), SpanId(11)]
        );
        let g = f.clone().without_slot("agent", SpanId(11));
        assert_eq!(g.fillers("target").count(), 1);
        assert_eq!(g.fillers("agent").count(), 0);
        let h = f.without_span(SpanId(11));
        assert_eq!(h.slots.len(), 1);
        assert_eq!(FrameId(3).to_string(), "E3");
        assert_eq!(RelationId(4).to_string(), "R4");
    }
}
