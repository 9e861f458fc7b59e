//! Adjudicating events: after the spans, the reviewer walks the events of
//! two layers, paired as [`super::frame_align`] pairs them, and decides each
//! into gold: A's event, B's, both (one event with every slot either made),
//! none, or a copy to edit. Single slots can be decided otherwise than their
//! event ("B's event, but A's location").
//!
//! A gold event names gold spans. Each filler is looked up in gold (the copy
//! a span decision made of it, or a gold span with the same range and
//! label); a filler gold lacks is copied there with provenance, and that
//! copy is taken back with the decision. Every decision is one undoable
//! [`Command`].

use std::ops::Range;

use jiff::Timestamp;
use rustc_hash::FxHashMap;

use super::adjudicate::{ReviewError, ReviewLayers};
use super::frame_align::{SlotCategory, SpanCorrespondence, SpanMatching, align_frames};
use crate::model::{
    CharOffset, Command, Document, Frame, FrameDecision, FrameId, FrameKey, FrameProvenance,
    GoldSource, Layer, LayerId, Project, Provenance, Slot, SlotVerdict, Span, SpanId, Verdict,
};

/// One compared slot row of a pair of events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRow {
    pub category: SlotCategory,
    pub a: Option<Slot>,
    pub b: Option<Slot>,
}

/// One pair of events (or a lone one) with the decision taken on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameItem {
    pub a: Option<Frame>,
    pub b: Option<Frame>,
    pub rows: Vec<SlotRow>,
    /// The text the triggers cover together.
    pub range: Range<CharOffset>,
    pub decision: Option<FrameDecision>,
    /// Both made the same event and one of the layers is gold.
    pub agreed_in_gold: bool,
}

impl FrameItem {
    pub fn key(&self) -> FrameKey {
        (self.a.as_ref().map(|f| f.id), self.b.as_ref().map(|f| f.id))
    }

    /// Both made this event, with the same type and every slot agreeing.
    pub fn agrees(&self) -> bool {
        match (&self.a, &self.b) {
            (Some(a), Some(b)) => {
                a.event_type == b.event_type
                    && self.rows.iter().all(|r| r.category == SlotCategory::Agree)
            }
            _ => false,
        }
    }

    /// "event (2 slots differ)", "event only in A", "event (same in both)".
    pub fn describe(&self) -> String {
        match (&self.a, &self.b) {
            (Some(_), None) => "event only in A".into(),
            (None, Some(_)) => "event only in B".into(),
            _ => {
                let differ = self
                    .rows
                    .iter()
                    .filter(|r| r.category != SlotCategory::Agree)
                    .count();
                let types_differ = match (&self.a, &self.b) {
                    (Some(a), Some(b)) => a.event_type != b.event_type,
                    _ => false,
                };
                let ty = if types_differ { ", types differ" } else { "" };
                match differ {
                    0 if types_differ => "event (types differ)".into(),
                    0 => "event (same in both)".into(),
                    1 => format!("event (1 slot differs{ty})"),
                    n => format!("event ({n} slots differ{ty})"),
                }
            }
        }
    }

    /// Not decided, and not an agreement gold holds already.
    pub fn is_open(&self) -> bool {
        self.decision.is_none() && !self.agreed_in_gold
    }

    /// The verdict row `i` is decided with: its own, or the event's.
    pub fn row_verdict(&self, i: usize) -> Option<Verdict> {
        let d = self.decision.as_ref()?;
        let row = self.rows.get(i)?;
        Some(
            d.slots
                .iter()
                .find(|s| s.a == row.a && s.b == row.b)
                .map_or(d.verdict, |s| s.verdict),
        )
    }
}

fn empty() -> &'static Layer {
    static EMPTY: std::sync::OnceLock<Layer> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Layer::new)
}

/// The compared events of one document, in text order of their triggers.
/// Spans are matched with overlap, so an event survives a boundary
/// difference its spans were reviewed for already.
pub fn frame_items(doc: &Document, layers: &ReviewLayers) -> Vec<FrameItem> {
    let la = doc.layer(&layers.a).unwrap_or(empty());
    let lb = doc.layer(&layers.b).unwrap_or(empty());
    if la.frames().len() == 0 && lb.frames().len() == 0 {
        return Vec::new();
    }
    let against_gold = layers.a == LayerId::Gold || layers.b == LayerId::Gold;
    let range_of =
        |l: &Layer, f: Option<&Frame>| f.and_then(|f| l.get(f.trigger)).map(|s| s.start()..s.end());
    let mut items: Vec<FrameItem> = align_frames(la, lb, SpanMatching::Overlap)
        .into_iter()
        .map(|p| {
            let ranges = [range_of(la, p.a), range_of(lb, p.b)];
            let start = ranges.iter().flatten().map(|r| r.start).min().unwrap_or(0);
            let end = ranges.iter().flatten().map(|r| r.end).max().unwrap_or(0);
            let mut item = FrameItem {
                a: p.a.cloned(),
                b: p.b.cloned(),
                rows: p
                    .slots
                    .iter()
                    .map(|s| SlotRow {
                        category: s.category,
                        a: s.a.cloned(),
                        b: s.b.cloned(),
                    })
                    .collect(),
                range: start..end,
                decision: None,
                agreed_in_gold: false,
            };
            let key = item.key();
            item.decision = doc.frame_decisions.iter().find_map(|d| d.oriented(key));
            item.agreed_in_gold = against_gold && item.agrees();
            item
        })
        .collect();
    items.sort_by_key(|i| (i.range.start, i.range.end));
    items
}

/// The slots (as layer and slot) a verdict puts into gold, row by row.
fn chosen_slots<'a>(
    item: &'a FrameItem,
    verdict: Verdict,
    overrides: &[SlotVerdict],
) -> Vec<(Side, &'a Slot)> {
    let mut out = Vec::new();
    for row in &item.rows {
        let v = overrides
            .iter()
            .find(|s| s.a == row.a && s.b == row.b)
            .map_or(verdict, |s| s.verdict);
        let (a, b) = (row.a.as_ref(), row.b.as_ref());
        let take: Vec<(Side, &Slot)> = match (row.category, v) {
            (_, Verdict::Reject) => Vec::new(),
            // The same slot by both: one copy, from the side the event is taken from.
            (SlotCategory::Agree, Verdict::AcceptB) => {
                b.map(|s| (Side::B, s)).into_iter().collect()
            }
            (SlotCategory::Agree, _) => a.map(|s| (Side::A, s)).into_iter().collect(),
            (_, Verdict::AcceptA) => a.map(|s| (Side::A, s)).into_iter().collect(),
            (_, Verdict::AcceptB) => b.map(|s| (Side::B, s)).into_iter().collect(),
            (_, Verdict::AcceptBoth) => a
                .map(|s| (Side::A, s))
                .into_iter()
                .chain(b.map(|s| (Side::B, s)))
                .collect(),
            // Edit starts from A's version where A has one.
            (_, Verdict::Edit) => a
                .map(|s| (Side::A, s))
                .or_else(|| b.map(|s| (Side::B, s)))
                .into_iter()
                .collect(),
        };
        out.extend(take);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    A,
    B,
}

/// What deciding events in one document looks up again and again: which
/// gold span was copied from which annotator span, and (worked out when
/// first needed) which spans of A and B match.
#[derive(Default)]
struct DocIndex {
    /// Annotator span id → the gold span copied from it.
    copied_from: FxHashMap<SpanId, SpanId>,
    /// (side, span id) → the other side's matching span (overlap matching).
    counterpart: Option<FxHashMap<(Side, SpanId), SpanId>>,
}

impl DocIndex {
    fn new(doc: &Document) -> Self {
        let mut copied_from = FxHashMap::default();
        for g in doc.layer(&LayerId::Gold).into_iter().flat_map(|g| g.iter()) {
            for from in g.provenance().into_iter().flat_map(|p| p.from.iter()) {
                copied_from.entry(*from).or_insert(g.id());
            }
        }
        DocIndex {
            copied_from,
            counterpart: None,
        }
    }

    fn counterpart(
        &mut self,
        doc: &Document,
        layers: &ReviewLayers,
    ) -> &FxHashMap<(Side, SpanId), SpanId> {
        self.counterpart.get_or_insert_with(|| {
            let mut map = FxHashMap::default();
            if let (Some(la), Some(lb)) = (doc.layer(&layers.a), doc.layer(&layers.b)) {
                let corr = SpanCorrespondence::new(la, lb, SpanMatching::Overlap);
                for s in la.iter() {
                    if let Some(m) = corr.of(s.id()) {
                        map.insert((Side::A, s.id()), m);
                        map.insert((Side::B, m), s.id());
                    }
                }
            }
            map
        })
    }
}

/// Finds or makes the gold spans one event needs, remembering the copies.
struct GoldSpans<'a> {
    doc: &'a Document,
    layers: &'a ReviewLayers,
    index: &'a mut DocIndex,
    /// Gold spans being taken back in the same step: not to be reused.
    removed: &'a [SpanId],
    /// The next free span id (allocated from the project beforehand).
    next_id: u64,
    copies: Vec<Span>,
    reviewer: &'a str,
    at: Timestamp,
}

impl GoldSpans<'_> {
    fn layer(&self, side: Side) -> &LayerId {
        match side {
            Side::A => &self.layers.a,
            Side::B => &self.layers.b,
        }
    }

    /// A gold span standing for annotator span `id`, if gold has one.
    fn existing(&mut self, id: SpanId, source: &Span) -> Option<SpanId> {
        let gold = self.doc.layer(&LayerId::Gold);
        let usable = |g: &SpanId| !self.removed.contains(g);
        self.index
            .copied_from
            .get(&id)
            .copied()
            .filter(|g| usable(g) && gold.is_some_and(|l| l.get(*g).is_some()))
            .or_else(|| {
                gold.and_then(|g| g.find_exact(source.start(), source.end(), &source.label))
                    .map(Span::id)
                    .filter(usable)
            })
            .or_else(|| {
                self.copies
                    .iter()
                    .find(|c| c.same_annotation(source))
                    .map(Span::id)
            })
    }

    /// The gold span standing for `id` of `side`'s layer: its copy, a gold
    /// span alike, the copy of its match on the other side, or a new copy.
    fn gold_for(&mut self, side: Side, id: SpanId) -> Result<SpanId, ReviewError> {
        let layer = self.layer(side).clone();
        if layer == LayerId::Gold {
            return Ok(id);
        }
        let doc = self.doc;
        let source = doc
            .layer(&layer)
            .and_then(|l| l.get(id))
            .ok_or(ReviewError::MissingSpan(id))?;
        if let Some(g) = self.existing(id, source) {
            return Ok(g);
        }
        let other_side = if side == Side::A { Side::B } else { Side::A };
        let other = self
            .index
            .counterpart(doc, self.layers)
            .get(&(side, id))
            .copied();
        if let Some(other) = other
            && let Some(other_span) = doc.layer(self.layer(other_side)).and_then(|l| l.get(other))
            && let Some(g) = self.existing(other, other_span)
        {
            return Ok(g);
        }
        let mut copy = source.clone().with_id(SpanId(self.next_id));
        self.next_id += 1;
        copy.set_provenance(Some(Box::new(Provenance {
            source: match side {
                Side::A => GoldSource::A,
                Side::B => GoldSource::B,
            },
            annotators: vec![layer.to_string()],
            from: vec![id],
            reviewer: self.reviewer.to_string(),
            at: Some(self.at),
        })));
        let g = copy.id();
        self.index.copied_from.insert(id, g);
        self.copies.push(copy);
        Ok(g)
    }
}

/// Builds the command that records `verdict` (with `overrides` for single
/// rows) on `item` and puts the event it chooses into gold. An earlier
/// decision on the item is taken back in the same step. Returns the command
/// and the gold event it adds.
#[allow(clippy::too_many_arguments)] // the decision's parts, all needed
pub fn decide_frame(
    project: &mut Project,
    doc_id: &str,
    item: &FrameItem,
    verdict: Verdict,
    overrides: Vec<SlotVerdict>,
    layers: &ReviewLayers,
    reviewer: &str,
    at: Timestamp,
) -> Result<(Command, Option<FrameId>), ReviewError> {
    let mut index = DocIndex::new(
        project
            .document(doc_id)
            .ok_or_else(|| ReviewError::NoDocument(doc_id.to_string()))?,
    );
    let decision = Decision {
        verdict,
        overrides,
        reviewer,
        at,
    };
    decide_with(project, doc_id, item, decision, layers, &mut index)
}

/// The verdict and who took it, as [`decide_frame`] is given them.
struct Decision<'a> {
    verdict: Verdict,
    overrides: Vec<SlotVerdict>,
    reviewer: &'a str,
    at: Timestamp,
}

fn decide_with(
    project: &mut Project,
    doc_id: &str,
    item: &FrameItem,
    decision: Decision<'_>,
    layers: &ReviewLayers,
    index: &mut DocIndex,
) -> Result<(Command, Option<FrameId>), ReviewError> {
    let Decision {
        verdict,
        overrides,
        reviewer,
        at,
    } = decision;
    match verdict {
        Verdict::AcceptA if item.a.is_none() => return Err(ReviewError::NoEventToAccept("A")),
        Verdict::AcceptB if item.b.is_none() => return Err(ReviewError::NoEventToAccept("B")),
        _ => {}
    }
    // Ids are taken from the project up front, so the document can be read
    // while the event is built: one for the event, the rest for copies.
    let frame_id = project.allocate_frame_id();
    let first_copy = project.allocate_span_id().0;
    let doc = project
        .document(doc_id)
        .ok_or_else(|| ReviewError::NoDocument(doc_id.to_string()))?;
    let mut cmds = withdraw_frame(doc, item);
    let removed: Vec<SpanId> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::RemoveSpan { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    let mut gold = GoldSpans {
        doc,
        layers,
        index,
        removed: &removed,
        next_id: first_copy,
        copies: Vec::new(),
        reviewer,
        at,
    };
    let mut added = None;
    let mut copied = Vec::new();
    // Gold's own event is kept as it is: the reviewer changes it in the
    // event panel, not by taking another version over it.
    let gold_accept = if layers.a == LayerId::Gold {
        item.a.is_some().then_some(Verdict::AcceptA)
    } else if layers.b == LayerId::Gold {
        item.b.is_some().then_some(Verdict::AcceptB)
    } else {
        None
    };
    if let Some(keep) = gold_accept
        && (verdict != keep || !overrides.is_empty())
    {
        return Err(ReviewError::GoldEvent);
    }
    if verdict != Verdict::Reject && gold_accept.is_none() {
        let from_b = verdict == Verdict::AcceptB || item.a.is_none();
        let (side, base) = match (&item.a, &item.b) {
            (Some(a), _) if !from_b => (Side::A, a),
            (_, Some(b)) => (Side::B, b),
            (Some(a), None) => (Side::A, a),
            (None, None) => return Err(ReviewError::NoEventToAccept("A")),
        };
        let trigger = gold.gold_for(side, base.trigger)?;
        let mut frame = Frame::new(frame_id, trigger);
        for (slot_side, slot) in chosen_slots(item, verdict, &overrides) {
            let span = gold.gold_for(slot_side, slot.span)?;
            frame = frame.with_slot(&slot.role, span);
        }
        let other = if side == Side::A { &item.b } else { &item.a };
        frame.event_type = base
            .event_type
            .clone()
            .or_else(|| other.as_ref().and_then(|f| f.event_type.clone()));
        frame.note = base.note.clone();
        if verdict == Verdict::AcceptBoth
            && let Some(o) = other
            && !o.note.is_empty()
            && o.note != frame.note
        {
            frame.note = if frame.note.is_empty() {
                o.note.clone()
            } else {
                format!("{} / {}", frame.note, o.note)
            };
        }
        let source = match verdict {
            Verdict::Edit => GoldSource::Edited,
            _ if !overrides.is_empty() => GoldSource::Edited,
            Verdict::AcceptBoth if item.a.is_some() && item.b.is_some() => GoldSource::Both,
            _ if side == Side::A => GoldSource::A,
            _ => GoldSource::B,
        };
        let both = source != GoldSource::A && source != GoldSource::B;
        let mut annotators = Vec::new();
        let mut from = Vec::new();
        for (s, f) in [(Side::A, &item.a), (Side::B, &item.b)] {
            if let Some(f) = f
                && (both || s == side)
                && *gold.layer(s) != LayerId::Gold
            {
                annotators.push(gold.layer(s).to_string());
                from.push(f.id);
            }
        }
        frame.provenance = Some(Box::new(FrameProvenance {
            source,
            annotators,
            from,
            reviewer: reviewer.to_string(),
            at: Some(at),
        }));
        added = Some(frame.id);
        let copies = std::mem::take(&mut gold.copies);
        copied = copies.iter().map(Span::id).collect();
        for span in copies {
            cmds.push(Command::AddSpan {
                doc: doc.id.clone(),
                layer: LayerId::Gold,
                span,
            });
        }
        cmds.push(Command::AddFrame {
            doc: doc.id.clone(),
            layer: LayerId::Gold,
            frame,
        });
    }
    cmds.push(set_decision(
        doc, item, verdict, overrides, copied, reviewer, at,
    ));
    let used = gold.next_id;
    project.note_span_id(SpanId(used.saturating_sub(1)));
    Ok((Command::Batch(cmds), added))
}

fn set_decision(
    doc: &Document,
    item: &FrameItem,
    verdict: Verdict,
    slots: Vec<SlotVerdict>,
    copied: Vec<SpanId>,
    reviewer: &str,
    at: Timestamp,
) -> Command {
    let (a, b) = item.key();
    Command::SetFrameDecision {
        doc: doc.id.clone(),
        key: item.key(),
        decision: Some(FrameDecision {
            a,
            b,
            verdict,
            slots,
            copied,
            reviewer: reviewer.to_string(),
            at: Some(at),
        }),
    }
}

/// Commands that take back an earlier decision on `item`: the gold events
/// made from its frames, and the spans it copied that nothing else in gold
/// refers to.
fn withdraw_frame(doc: &Document, item: &FrameItem) -> Vec<Command> {
    let Some(decision) = &item.decision else {
        return Vec::new();
    };
    let Some(gold) = doc.layer(&LayerId::Gold) else {
        return Vec::new();
    };
    let ids: Vec<FrameId> = [&item.a, &item.b]
        .into_iter()
        .flatten()
        .map(|f| f.id)
        .collect();
    let made: Vec<FrameId> = gold
        .frames()
        .filter(|f| {
            f.provenance
                .as_ref()
                .is_some_and(|p| p.from.iter().any(|x| ids.contains(x)))
        })
        .map(|f| f.id)
        .collect();
    let mut cmds: Vec<Command> = made
        .iter()
        .map(|id| Command::RemoveFrame {
            doc: doc.id.clone(),
            layer: LayerId::Gold,
            id: *id,
        })
        .collect();
    for span in &decision.copied {
        let only_ours = gold.refs(*span).iter().all(|r| match r {
            crate::model::links::LinkRef::Frame(f) => made.contains(f),
            crate::model::links::LinkRef::Relation(_) => false,
        });
        if gold.get(*span).is_some() && only_ours {
            cmds.push(Command::RemoveSpan {
                doc: doc.id.clone(),
                layer: LayerId::Gold,
                id: *span,
            });
        }
    }
    cmds
}

/// Takes back the decision on `item`: its gold event and copies go, and
/// the item is open again. `None` when nothing was decided.
pub fn undecide_frame(doc: &Document, item: &FrameItem) -> Option<Command> {
    item.decision.as_ref()?;
    let mut cmds = withdraw_frame(doc, item);
    cmds.push(Command::SetFrameDecision {
        doc: doc.id.clone(),
        key: item.key(),
        decision: None,
    });
    Some(Command::Batch(cmds))
}

/// Decides every open agreeing event of `work` into gold (as "both"),
/// applying each decision to `work` as it goes, so that one event finds the
/// spans another copied. `work` is a copy of the project with the span
/// agreements already in gold; the commands returned, applied in order to
/// the project, make the same changes.
pub fn accept_frame_agreements(
    work: &mut Project,
    layers: &ReviewLayers,
    reviewer: &str,
    at: Timestamp,
) -> Result<Vec<Command>, ReviewError> {
    let mut cmds = Vec::new();
    for ix in 0..work.documents.len() {
        let doc = &work.documents[ix];
        let todo: Vec<FrameItem> = frame_items(doc, layers)
            .into_iter()
            .filter(|i| i.agrees() && i.is_open())
            .collect();
        if todo.is_empty() {
            continue;
        }
        let doc_id = doc.id.clone();
        let mut index = DocIndex::new(doc);
        for item in &todo {
            let decision = Decision {
                verdict: Verdict::AcceptBoth,
                overrides: Vec::new(),
                reviewer,
                at,
            };
            let (cmd, _) = decide_with(work, &doc_id, item, decision, layers, &mut index)?;
            cmd.clone().apply(work).map_err(ReviewError::Edit)?;
            cmds.push(cmd);
        }
    }
    Ok(cmds)
}
