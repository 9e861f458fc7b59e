//! Aligning the events (frames) of two layers of one document, so review and
//! agreement can say which events both annotators found and, role by role,
//! where their slots differ.
//!
//! Spans are matched first, exactly as span review matches them
//! ([`super::align`]). A frame of A and a frame of B are then paired when
//! their triggers are matched spans; two events on one verb ("four militants
//! were killed in Bajaur and one in Khyber") are paired by how many slots
//! they share. Their slots are compared role by role.

use rustc_hash::FxHashMap;

use super::align::{Category, align};
use crate::model::{Frame, Layer, Slot, Span, SpanId};

/// When two spans of A and B count as the same span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanMatching {
    /// Same range and label (an `agree` pair of span review).
    Exact,
    /// Same label and overlapping (an `agree` or `boundary conflict` pair).
    Overlap,
}

impl SpanMatching {
    fn accepts(self, category: Category) -> bool {
        match self {
            SpanMatching::Exact => category == Category::Agree,
            SpanMatching::Overlap => {
                matches!(category, Category::Agree | Category::BoundaryConflict)
            }
        }
    }
}

/// How one slot compares across two paired frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlotCategory {
    /// Same role, filled by matching spans.
    Agree,
    /// Matching spans, but in different roles.
    RoleConflict,
    /// Same role, filled by spans that do not match.
    DifferentSpan,
    /// Only B filled it.
    MissingInA,
    /// Only A filled it.
    MissingInB,
}

impl SlotCategory {
    /// Every category, in report order.
    pub const ALL: [SlotCategory; 5] = [
        SlotCategory::Agree,
        SlotCategory::RoleConflict,
        SlotCategory::DifferentSpan,
        SlotCategory::MissingInA,
        SlotCategory::MissingInB,
    ];

    /// The name used in reports, JSON and the review panel.
    pub fn name(self) -> &'static str {
        match self {
            SlotCategory::Agree => "agree",
            SlotCategory::RoleConflict => "role conflict",
            SlotCategory::DifferentSpan => "different span",
            SlotCategory::MissingInA => "missing in A",
            SlotCategory::MissingInB => "missing in B",
        }
    }
}

/// One compared slot: A's, B's, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotPair<'a> {
    pub category: SlotCategory,
    pub a: Option<&'a Slot>,
    pub b: Option<&'a Slot>,
}

/// One aligned event: a frame of A, of B, or one of each with their slots
/// compared. A lone frame's slots are all missing on the other side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramePair<'a> {
    pub a: Option<&'a Frame>,
    pub b: Option<&'a Frame>,
    pub slots: Vec<SlotPair<'a>>,
}

impl FramePair<'_> {
    /// True when both found the event and agree on every slot and the type.
    pub fn agrees(&self) -> bool {
        match (self.a, self.b) {
            (Some(a), Some(b)) => {
                a.event_type == b.event_type
                    && self.slots.iter().all(|s| s.category == SlotCategory::Agree)
            }
            _ => false,
        }
    }
}

/// Which span of B each span of A matches under a [`SpanMatching`], one to
/// one, as span review pairs them.
pub struct SpanCorrespondence {
    a_to_b: FxHashMap<SpanId, SpanId>,
}

impl SpanCorrespondence {
    /// Matches the spans of two layers (one alignment, linear in the spans).
    pub fn new(a: &Layer, b: &Layer, matching: SpanMatching) -> Self {
        let sa: Vec<&Span> = a.iter().collect();
        let sb: Vec<&Span> = b.iter().collect();
        let a_to_b = align(&sa, &sb)
            .into_iter()
            .filter(|p| matching.accepts(p.category))
            .filter_map(|p| Some((p.a?.id(), p.b?.id())))
            .collect();
        SpanCorrespondence { a_to_b }
    }

    /// B's span matching A's span `a`, if any.
    pub fn of(&self, a: SpanId) -> Option<SpanId> {
        self.a_to_b.get(&a).copied()
    }
}

/// Aligns the frames of layers `a` and `b`: pairs in A's frame order, then
/// B's frames that found no partner.
pub fn align_frames<'a>(a: &'a Layer, b: &'a Layer, matching: SpanMatching) -> Vec<FramePair<'a>> {
    let corr = SpanCorrespondence::new(a, b, matching);
    align_frames_with(a, b, &corr)
}

/// [`align_frames`] over a correspondence already computed.
pub fn align_frames_with<'a>(
    a: &'a Layer,
    b: &'a Layer,
    corr: &SpanCorrespondence,
) -> Vec<FramePair<'a>> {
    let frames_a: Vec<&Frame> = a.frames().collect();
    let frames_b: Vec<&Frame> = b.frames().collect();
    let mut b_by_trigger: FxHashMap<SpanId, Vec<usize>> = FxHashMap::default();
    for (j, f) in frames_b.iter().enumerate() {
        b_by_trigger.entry(f.trigger).or_default().push(j);
    }
    // Candidate pairs: frames on matched triggers, scored by shared slots.
    let mut candidates: Vec<(usize, usize, usize, bool)> = Vec::new();
    for (i, fa) in frames_a.iter().enumerate() {
        let Some(tb) = corr.of(fa.trigger) else {
            continue;
        };
        for &j in b_by_trigger.get(&tb).into_iter().flatten() {
            let fb = frames_b[j];
            let shared = compare_slots(fa, fb, corr)
                .iter()
                .filter(|s| s.category == SlotCategory::Agree)
                .count();
            candidates.push((shared, i, j, fa.event_type == fb.event_type));
        }
    }
    // Most shared slots first, then the same type, then frame order.
    candidates.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then(y.3.cmp(&x.3))
            .then(x.1.cmp(&y.1))
            .then(x.2.cmp(&y.2))
    });
    let mut partner_of_a: Vec<Option<usize>> = vec![None; frames_a.len()];
    let mut b_used = vec![false; frames_b.len()];
    for (_, i, j, _) in candidates {
        if partner_of_a[i].is_none() && !b_used[j] {
            partner_of_a[i] = Some(j);
            b_used[j] = true;
        }
    }
    let mut out = Vec::with_capacity(frames_a.len().max(frames_b.len()));
    for (i, fa) in frames_a.iter().enumerate() {
        match partner_of_a[i] {
            Some(j) => out.push(FramePair {
                a: Some(fa),
                b: Some(frames_b[j]),
                slots: compare_slots(fa, frames_b[j], corr),
            }),
            None => out.push(lone(Some(fa), None)),
        }
    }
    for (j, fb) in frames_b.iter().enumerate() {
        if !b_used[j] {
            out.push(lone(None, Some(fb)));
        }
    }
    out
}

fn lone<'a>(a: Option<&'a Frame>, b: Option<&'a Frame>) -> FramePair<'a> {
    let slots = match (a, b) {
        (Some(f), _) => f
            .slots
            .iter()
            .map(|s| SlotPair {
                category: SlotCategory::MissingInB,
                a: Some(s),
                b: None,
            })
            .collect(),
        (None, Some(f)) => f
            .slots
            .iter()
            .map(|s| SlotPair {
                category: SlotCategory::MissingInA,
                a: None,
                b: Some(s),
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    FramePair { a, b, slots }
}

/// Compares the slots of two paired frames: agreements first, then the same
/// span in another role, then the same role with another span; the rest is
/// missing on one side. In A's slot order, then B's left-overs.
pub fn compare_slots<'a>(
    a: &'a Frame,
    b: &'a Frame,
    corr: &SpanCorrespondence,
) -> Vec<SlotPair<'a>> {
    let mut matched: Vec<Option<(SlotCategory, usize)>> = vec![None; a.slots.len()];
    let mut b_used = vec![false; b.slots.len()];
    type Rule = fn(&Slot, Option<SpanId>, &Slot) -> bool;
    let rules: [(SlotCategory, Rule); 3] = [
        (SlotCategory::Agree, |sa, m, sb| {
            sa.role == sb.role && m == Some(sb.span)
        }),
        (SlotCategory::RoleConflict, |_, m, sb| m == Some(sb.span)),
        (SlotCategory::DifferentSpan, |sa, _, sb| sa.role == sb.role),
    ];
    for (category, rule) in rules {
        for (i, sa) in a.slots.iter().enumerate() {
            if matched[i].is_some() {
                continue;
            }
            let m = corr.of(sa.span);
            let found = b
                .slots
                .iter()
                .enumerate()
                .find(|(j, sb)| !b_used[*j] && rule(sa, m, sb));
            if let Some((j, _)) = found {
                matched[i] = Some((category, j));
                b_used[j] = true;
            }
        }
    }
    let mut out: Vec<SlotPair<'a>> = a
        .slots
        .iter()
        .zip(&matched)
        .map(|(sa, m)| match m {
            Some((category, j)) => SlotPair {
                category: *category,
                a: Some(sa),
                b: Some(&b.slots[*j]),
            },
            None => SlotPair {
                category: SlotCategory::MissingInB,
                a: Some(sa),
                b: None,
            },
        })
        .collect();
    out.extend(
        b.slots
            .iter()
            .zip(&b_used)
            .filter(|(_, used)| !**used)
            .map(|(sb, _)| SlotPair {
                category: SlotCategory::MissingInA,
                a: None,
                b: Some(sb),
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FrameId;
    use jiff::Timestamp;

    fn layer(spans: &[(u64, usize, usize, &str)], frames: Vec<Frame>) -> Layer {
        let spans = spans
            .iter()
            .map(|&(id, s, e, l)| Span::new(SpanId(id), s, e, l, 200, Timestamp::UNIX_EPOCH))
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        let mut layer = Layer::from_spans(spans).unwrap();
        for f in frames {
            layer.insert_frame(f).unwrap();
        }
        layer
    }

    fn cats<'a>(pair: &FramePair<'a>) -> Vec<(SlotCategory, Option<&'a str>, Option<&'a str>)> {
        pair.slots
            .iter()
            .map(|s| {
                (
                    s.category,
                    s.a.map(|x| x.role.as_str()),
                    s.b.map(|x| x.role.as_str()),
                )
            })
            .collect()
    }

    #[test]
    fn each_slot_category_once() {
        // A: killed(1) agent=forces(2) target=militants(3) location=Bannu(4) count=15(5)
        // B: killed(11) agent=militants(13) target=... location=Karak(16) count=15(15) target=police(17)
        let a = layer(
            &[
                (1, 50, 56, "EVENT"),
                (2, 0, 15, "ACTOR"),
                (3, 20, 29, "ACTOR"),
                (4, 60, 65, "LOCATION"),
                (5, 30, 40, "COUNT"),
            ],
            vec![
                Frame::new(FrameId(1), SpanId(1))
                    .with_slot("agent", SpanId(2))
                    .with_slot("target", SpanId(3))
                    .with_slot("location", SpanId(4))
                    .with_slot("count", SpanId(5)),
            ],
        );
        let b = layer(
            &[
                (11, 50, 56, "EVENT"),
                (12, 0, 15, "ACTOR"),
                (13, 20, 29, "ACTOR"),
                (15, 30, 40, "COUNT"),
                (16, 70, 75, "LOCATION"),
                (17, 80, 86, "ACTOR"),
            ],
            vec![
                Frame::new(FrameId(9), SpanId(11))
                    .with_slot("agent", SpanId(13))
                    .with_slot("location", SpanId(16))
                    .with_slot("count", SpanId(15))
                    .with_slot("target", SpanId(17)),
            ],
        );
        let pairs = align_frames(&a, &b, SpanMatching::Exact);
        assert_eq!(pairs.len(), 1);
        use SlotCategory::*;
        assert_eq!(
            cats(&pairs[0]),
            [
                // A's agent (forces) is not in B's frame: missing in B.
                (MissingInB, Some("agent"), None),
                // militants: A's target, B's agent.
                (RoleConflict, Some("target"), Some("agent")),
                // Bannu vs Karak.
                (DifferentSpan, Some("location"), Some("location")),
                (Agree, Some("count"), Some("count")),
                // police only in B.
                (MissingInA, None, Some("target")),
            ]
        );
        assert!(!pairs[0].agrees());
    }

    #[test]
    fn two_events_on_one_verb_pair_by_shared_slots() {
        // "four militants were killed in Bajaur and one in Khyber": A has
        // Bajaur then Khyber, B the other way round.
        let spans = [
            (1, 20, 26, "EVENT"),
            (2, 0, 14, "COUNT"),
            (3, 30, 36, "LOCATION"),
            (4, 41, 44, "COUNT"),
            (5, 48, 54, "LOCATION"),
        ];
        let bajaur = |id| {
            Frame::new(FrameId(id), SpanId(1))
                .with_slot("count", SpanId(2))
                .with_slot("location", SpanId(3))
        };
        let khyber = |id| {
            Frame::new(FrameId(id), SpanId(1))
                .with_slot("count", SpanId(4))
                .with_slot("location", SpanId(5))
        };
        let a = layer(&spans, vec![bajaur(1), khyber(2)]);
        let b = layer(&spans, vec![khyber(1), bajaur(2)]);
        let pairs = align_frames(&a, &b, SpanMatching::Exact);
        assert_eq!(pairs.len(), 2);
        assert!(pairs.iter().all(FramePair::agrees));
        assert_eq!(pairs[0].a.unwrap().id, FrameId(1));
        assert_eq!(pairs[0].b.unwrap().id, FrameId(2));
    }

    #[test]
    fn boundary_differences_pair_only_under_overlap_matching() {
        // A's trigger "attempted to abduct", B's "attempted to abduct him".
        let a = layer(
            &[(1, 0, 19, "EVENT"), (2, 23, 28, "LOCATION")],
            vec![Frame::new(FrameId(1), SpanId(1)).with_slot("location", SpanId(2))],
        );
        let b = layer(
            &[(1, 0, 23, "EVENT"), (2, 23, 28, "LOCATION")],
            vec![Frame::new(FrameId(1), SpanId(1)).with_slot("location", SpanId(2))],
        );
        let exact = align_frames(&a, &b, SpanMatching::Exact);
        assert_eq!(exact.len(), 2, "unpaired: one lone frame per side");
        assert_eq!(exact[0].slots[0].category, SlotCategory::MissingInB);
        assert_eq!(exact[1].slots[0].category, SlotCategory::MissingInA);
        let overlap = align_frames(&a, &b, SpanMatching::Overlap);
        assert_eq!(overlap.len(), 1);
        assert!(overlap[0].agrees());
    }
}
