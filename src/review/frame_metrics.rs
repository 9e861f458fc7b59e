//! Agreement on events (see docs/agreement.md, "Events"): trigger F1, slot
//! F1 per role with exact and with overlap span matching, the slot
//! categories, and Cohen's κ on the event types of paired frames. Layer A
//! is the reference, as for spans.

use std::collections::BTreeMap;

use serde::Serialize;

use super::frame_align::{SlotCategory, SpanCorrespondence, SpanMatching, align_frames_with};
use super::metrics::{MatchFigures, Prf, cohen_kappa};
use crate::model::{Layer, SpanId};

/// One figure under both span matchings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ExactAndOverlap<T> {
    pub exact: T,
    pub overlap: T,
}

/// How far two annotators agree on the types of the events both found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventTypeAgreement {
    /// Frames paired under overlap matching (the items κ is computed over).
    pub pairs: usize,
    /// Share of those pairs with the same type (no type counts as a value).
    pub observed: Option<f64>,
    /// Cohen's κ over the pairs; `None` when chance agreement is 1.
    pub kappa: Option<f64>,
}

/// Everything `spanmark agreement` reports on frames (the `frames` key).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrameAgreement {
    pub frames_a: usize,
    pub frames_b: usize,
    /// Over distinct trigger spans (a span triggering two events counts once).
    pub trigger: ExactAndOverlap<Prf>,
    /// Over slots; `per_label` is per role.
    pub slots: ExactAndOverlap<MatchFigures>,
    /// Slot comparison counts under exact matching (every category listed).
    pub slot_categories: BTreeMap<String, usize>,
    pub event_type: EventTypeAgreement,
}

/// Running counts over documents, turned into figures at the end.
#[derive(Debug, Clone, Default)]
pub(crate) struct FrameCounts {
    frames_a: usize,
    frames_b: usize,
    /// (tp, |A|, |B|) for triggers.
    trigger: [(usize, usize, usize); 2],
    /// Per role (tp, |A|, |B|), exact then overlap.
    slots: [BTreeMap<String, (usize, usize, usize)>; 2],
    categories: BTreeMap<SlotCategory, usize>,
    types_a: Vec<String>,
    types_b: Vec<String>,
}

const MATCHINGS: [SpanMatching; 2] = [SpanMatching::Exact, SpanMatching::Overlap];

/// What an event without a type counts as in the event-type κ.
const NO_TYPE: &str = "(none)";

impl FrameCounts {
    /// Counts that list the schema's `roles` even where no slot uses them.
    pub(crate) fn new(roles: &[String]) -> Self {
        let per_role: BTreeMap<String, (usize, usize, usize)> =
            roles.iter().map(|r| (r.clone(), (0, 0, 0))).collect();
        FrameCounts {
            slots: [per_role.clone(), per_role],
            ..FrameCounts::default()
        }
    }

    /// Adds one document's layers (a missing layer is passed as empty).
    pub(crate) fn add(&mut self, a: &Layer, b: &Layer) {
        if a.frames().len() == 0 && b.frames().len() == 0 {
            return;
        }
        self.frames_a += a.frames().len();
        self.frames_b += b.frames().len();
        for (m, matching) in MATCHINGS.into_iter().enumerate() {
            let corr = SpanCorrespondence::new(a, b, matching);
            self.add_triggers(m, a, b, &corr);
            for layer_side in [1, 2] {
                let layer = if layer_side == 1 { a } else { b };
                for f in layer.frames() {
                    for s in &f.slots {
                        bump(&mut self.slots[m], &s.role, |c| {
                            if layer_side == 1 {
                                c.1 += 1;
                            } else {
                                c.2 += 1;
                            }
                        });
                    }
                }
            }
            for pair in align_frames_with(a, b, &corr) {
                for slot in &pair.slots {
                    if slot.category == SlotCategory::Agree
                        && let Some(sa) = slot.a
                    {
                        bump(&mut self.slots[m], &sa.role, |c| c.0 += 1);
                    }
                    if matching == SpanMatching::Exact {
                        *self.categories.entry(slot.category).or_default() += 1;
                    }
                }
                if matching == SpanMatching::Overlap
                    && let (Some(fa), Some(fb)) = (pair.a, pair.b)
                {
                    let ty = |t: &Option<String>| t.clone().unwrap_or_else(|| NO_TYPE.into());
                    self.types_a.push(ty(&fa.event_type));
                    self.types_b.push(ty(&fb.event_type));
                }
            }
        }
    }

    fn add_triggers(&mut self, m: usize, a: &Layer, b: &Layer, corr: &SpanCorrespondence) {
        let triggers = |l: &Layer| -> rustc_hash::FxHashSet<SpanId> {
            l.frames().map(|f| f.trigger).collect()
        };
        let (ta, tb) = (triggers(a), triggers(b));
        let tp = ta
            .iter()
            .filter(|t| corr.of(**t).is_some_and(|m| tb.contains(&m)))
            .count();
        let c = &mut self.trigger[m];
        *c = (c.0 + tp, c.1 + ta.len(), c.2 + tb.len());
    }

    /// The figures; `None` when neither layer has a frame anywhere.
    pub(crate) fn figures(&self) -> Option<FrameAgreement> {
        if self.frames_a == 0 && self.frames_b == 0 {
            return None;
        }
        let prf = |c: (usize, usize, usize)| Prf::new(c.0, c.1, c.2);
        let slots = |m: usize| {
            let total = self.slots[m]
                .values()
                .fold((0, 0, 0), |x, c| (x.0 + c.0, x.1 + c.1, x.2 + c.2));
            MatchFigures {
                micro: prf(total),
                per_label: self.slots[m]
                    .iter()
                    .map(|(r, c)| (r.clone(), prf(*c)))
                    .collect(),
            }
        };
        let pairs = self.types_a.len();
        let same = self
            .types_a
            .iter()
            .zip(&self.types_b)
            .filter(|(x, y)| x == y)
            .count();
        Some(FrameAgreement {
            frames_a: self.frames_a,
            frames_b: self.frames_b,
            trigger: ExactAndOverlap {
                exact: prf(self.trigger[0]),
                overlap: prf(self.trigger[1]),
            },
            slots: ExactAndOverlap {
                exact: slots(0),
                overlap: slots(1),
            },
            slot_categories: SlotCategory::ALL
                .iter()
                .map(|c| {
                    (
                        c.name().to_string(),
                        self.categories.get(c).copied().unwrap_or(0),
                    )
                })
                .collect(),
            event_type: EventTypeAgreement {
                pairs,
                observed: (pairs > 0).then(|| same as f64 / pairs as f64),
                kappa: cohen_kappa(&self.types_a, &self.types_b),
            },
        })
    }
}

fn bump(
    counts: &mut BTreeMap<String, (usize, usize, usize)>,
    role: &str,
    change: impl FnOnce(&mut (usize, usize, usize)),
) {
    match counts.get_mut(role) {
        Some(c) => change(c),
        None => {
            let mut c = (0, 0, 0);
            change(&mut c);
            counts.insert(role.to_string(), c);
        }
    }
}
