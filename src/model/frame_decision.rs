//! What adjudicating events leaves in the project: where a gold event came
//! from, and the reviewer's decision on each pair of events of two layers,
//! down to single slots. Like span decisions they are kept even when they
//! add nothing to gold, so "every event decided" can be computed.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::frame::{FrameId, Slot};
use super::review_record::{GoldSource, Verdict};
use super::span_id::SpanId;

/// Where a gold event came from and who put it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameProvenance {
    pub source: GoldSource,
    /// The annotators whose event this is (layer names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotators: Vec<String>,
    /// Ids of the annotators' frames it was made from, so that changing the
    /// decision takes back exactly this gold event.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<FrameId>,
    pub reviewer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// A verdict on one compared slot that differs from the event's verdict
/// ("accept B's event, but keep A's location").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotVerdict {
    /// A's slot of the compared row, if A has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<Slot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<Slot>,
    pub verdict: Verdict,
}

/// The decision on one pair of events (or a lone event), keyed by the ids
/// of its A and B frames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameDecision {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<FrameId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<FrameId>,
    pub verdict: Verdict,
    /// Rows decided otherwise than the event as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<SlotVerdict>,
    /// Gold spans this decision had to copy (fillers gold did not hold),
    /// taken back with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copied: Vec<SpanId>,
    pub reviewer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// The A and B frame ids of a compared pair of events.
pub type FrameKey = (Option<FrameId>, Option<FrameId>);

impl FrameDecision {
    pub fn key(&self) -> FrameKey {
        (self.a, self.b)
    }

    /// This decision seen from an item keyed `key`: as it is, mirrored when
    /// it was taken with A and B the other way round, `None` when it is
    /// about another pair.
    pub fn oriented(&self, key: FrameKey) -> Option<FrameDecision> {
        if self.key() == key {
            Some(self.clone())
        } else if (self.b, self.a) == key {
            Some(FrameDecision {
                a: self.b,
                b: self.a,
                verdict: self.verdict.mirrored(),
                slots: self
                    .slots
                    .iter()
                    .map(|s| SlotVerdict {
                        a: s.b.clone(),
                        b: s.a.clone(),
                        verdict: s.verdict.mirrored(),
                    })
                    .collect(),
                ..self.clone()
            })
        } else {
            None
        }
    }
}
