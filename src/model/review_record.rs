//! What adjudication leaves in the project: where each gold span came from
//! (provenance), and the reviewer's decision on each difference between two
//! layers. Decisions are kept even when they add nothing to gold ("reject"),
//! so a document can tell whether any difference is still undecided.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::span_id::SpanId;

/// Which version a gold span was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GoldSource {
    /// Layer A's span, as it was.
    #[serde(rename = "A")]
    A,
    /// Layer B's span, as it was.
    #[serde(rename = "B")]
    B,
    /// Both annotators made this span (an agreement, or "accept both").
    #[serde(rename = "both")]
    Both,
    /// Copied into gold and then changed by the reviewer, or made there by hand.
    #[serde(rename = "edited")]
    Edited,
}

impl GoldSource {
    pub fn as_str(self) -> &'static str {
        match self {
            GoldSource::A => "A",
            GoldSource::B => "B",
            GoldSource::Both => "both",
            GoldSource::Edited => "edited",
        }
    }
}

/// Where a gold span came from and who put it there: a reviewer can always
/// trace a gold annotation back to the annotators' work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub source: GoldSource,
    /// The annotators whose span this is (layer names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub annotators: Vec<String>,
    /// Ids of the annotator spans it was copied from, so that changing a
    /// decision can take back exactly what the old one put into gold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<SpanId>,
    pub reviewer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// A reviewer's verdict on one aligned item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    AcceptA,
    AcceptB,
    AcceptBoth,
    /// Neither version goes into gold.
    Reject,
    /// A copy went into gold to be edited there.
    Edit,
}

impl Verdict {
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::AcceptA => "accepted A",
            Verdict::AcceptB => "accepted B",
            Verdict::AcceptBoth => "accepted both",
            Verdict::Reject => "rejected",
            Verdict::Edit => "edited",
        }
    }

    /// The same verdict with A and B swapped (a review whose reference
    /// layer was swapped reads an earlier "accept A" as "accept B").
    pub fn mirrored(self) -> Self {
        match self {
            Verdict::AcceptA => Verdict::AcceptB,
            Verdict::AcceptB => Verdict::AcceptA,
            other => other,
        }
    }
}

/// The decision on one item, keyed by the ids of its A and B spans (span
/// ids are unique in a project and stable across saves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<SpanId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<SpanId>,
    pub verdict: Verdict,
    pub reviewer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

impl Decision {
    pub fn key(&self) -> (Option<SpanId>, Option<SpanId>) {
        (self.a, self.b)
    }

    /// This decision seen from an item keyed `key`: as it is when it was
    /// taken with the same A and B, mirrored (A and B swapped, the verdict
    /// too) when it was taken with the layers the other way round, `None`
    /// when it is about another item.
    pub fn oriented(&self, key: (Option<SpanId>, Option<SpanId>)) -> Option<Decision> {
        if self.key() == key {
            Some(self.clone())
        } else if (self.b, self.a) == key {
            Some(Decision {
                a: self.b,
                b: self.a,
                verdict: self.verdict.mirrored(),
                ..self.clone()
            })
        } else {
            None
        }
    }
}
