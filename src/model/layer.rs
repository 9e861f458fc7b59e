//! One annotator's (or the gold) set of spans on one document, kept sorted
//! and indexed so that per-line queries do not scan the whole layer.
//!
//! The index sits behind an `Arc`: cloning a layer (a project snapshot for a
//! save, export or agreement worker) is a reference count, and the first edit
//! after a snapshot copies only that layer.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::frame::{Frame, FrameId, Relation, RelationId};
use super::links::{LinkError, LinkRef, Links};
use super::span::{CharOffset, Span, SpanId, SpanKey};

/// A span ordered by its [`SpanKey`], so one ordered set holds each span
/// once and can be searched by key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry(Span);

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.key().cmp(&other.0.key())
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Borrow<SpanKey> for Entry {
    fn borrow(&self) -> &SpanKey {
        self.0.key_ref()
    }
}

/// Length class of a span: `floor(log2(len))`.
fn level_of(len: CharOffset) -> usize {
    (usize::BITS - 1 - len.max(1).leading_zeros()) as usize
}

/// Spans of one layer.
///
/// Overlap queries use length classes: spans whose length lies in
/// `[2^l, 2^(l+1))` are kept in their own ordered set, so a query for
/// `[a, b)` only visits starts in `(a - 2^(l+1), b)` per class. That costs
/// `O(classes · log n + k + d)`, where `d` is the nesting depth at the query
/// edge, independent of the layer size and of any single very long span.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    index: Arc<Index>,
    /// Frames and relations between this layer's spans (shared like the
    /// index, so a span edit does not copy them).
    links: Arc<Links>,
}

#[derive(Debug, Clone, Default)]
struct Index {
    spans: BTreeSet<Entry>,
    by_id: FxHashMap<SpanId, SpanKey>,
    levels: Vec<BTreeSet<SpanKey>>,
    /// Spans per label, kept up to date so palettes need no scan.
    label_counts: FxHashMap<String, usize>,
}

impl PartialEq for Layer {
    fn eq(&self, other: &Self) -> bool {
        (Arc::ptr_eq(&self.index, &other.index) || self.index.spans == other.index.spans)
            && (Arc::ptr_eq(&self.links, &other.links) || self.links == other.links)
    }
}
impl Eq for Layer {}

/// Why a span could not be added to a layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("span id {0} is already used in this layer")]
pub struct DuplicateSpanId(pub SpanId);

impl Layer {
    pub fn new() -> Self {
        Self::default()
    }

    /// A layer holding `spans` (in any order), built in bulk: sorting once and
    /// building each ordered set from sorted input is several times faster
    /// than inserting one span at a time, and packs the tree nodes full.
    pub fn from_spans(mut spans: Vec<Span>) -> Result<Self, DuplicateSpanId> {
        spans.sort_unstable_by_key(Span::key);
        let mut by_id = FxHashMap::with_capacity_and_hasher(spans.len(), Default::default());
        let mut label_counts: FxHashMap<String, usize> = FxHashMap::default();
        let mut level_keys: Vec<Vec<SpanKey>> = Vec::new();
        for s in &spans {
            if by_id.insert(s.id(), s.key()).is_some() {
                return Err(DuplicateSpanId(s.id()));
            }
            match label_counts.get_mut(s.label.as_str()) {
                Some(n) => *n += 1,
                None => {
                    label_counts.insert(s.label.clone(), 1);
                }
            }
            let level = level_of(s.len());
            if level_keys.len() <= level {
                level_keys.resize_with(level + 1, Vec::new);
            }
            level_keys[level].push(s.key());
        }
        // Input to `FromIterator` is already sorted, which the standard
        // library detects and builds without comparisons per insert.
        let index = Index {
            spans: spans.into_iter().map(Entry).collect(),
            by_id,
            levels: level_keys.into_iter().map(BTreeSet::from_iter).collect(),
            label_counts,
        };
        Ok(Layer {
            index: Arc::new(index),
            links: Arc::default(),
        })
    }

    pub fn len(&self) -> usize {
        self.index.spans.len()
    }
    pub fn is_empty(&self) -> bool {
        self.index.spans.is_empty()
    }

    /// All spans in text order (start ascending, longer first, then id).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Span> + ExactSizeIterator {
        self.index.spans.iter().map(|e| &e.0)
    }

    pub fn get(&self, id: SpanId) -> Option<&Span> {
        let key = self.index.by_id.get(&id)?;
        self.index.spans.get(key).map(|e| &e.0)
    }

    pub fn contains_id(&self, id: SpanId) -> bool {
        self.index.by_id.contains_key(&id)
    }

    /// Adds a span; its id must not be in this layer yet.
    pub fn insert(&mut self, span: Span) -> Result<(), DuplicateSpanId> {
        if self.index.by_id.contains_key(&span.id()) {
            return Err(DuplicateSpanId(span.id()));
        }
        let ix = Arc::make_mut(&mut self.index);
        let key = span.key();
        let level = level_of(span.len());
        if ix.levels.len() <= level {
            ix.levels.resize_with(level + 1, BTreeSet::new);
        }
        ix.levels[level].insert(key);
        ix.by_id.insert(span.id(), key);
        match ix.label_counts.get_mut(span.label.as_str()) {
            Some(n) => *n += 1,
            None => {
                ix.label_counts.insert(span.label.clone(), 1);
            }
        }
        ix.spans.insert(Entry(span));
        Ok(())
    }

    /// The frames and relations of this layer.
    pub fn links(&self) -> &Links {
        &self.links
    }

    /// Frames in id order.
    pub fn frames(&self) -> impl ExactSizeIterator<Item = &Frame> {
        self.links.frames()
    }

    pub fn frame(&self, id: FrameId) -> Option<&Frame> {
        self.links.frame(id)
    }

    /// What refers to span `id` (frames it triggers or fills, relations).
    pub fn refs(&self, id: SpanId) -> Vec<LinkRef> {
        self.links.refs(id)
    }

    /// Adds a frame over spans of this layer.
    pub fn insert_frame(&mut self, frame: Frame) -> Result<(), LinkError> {
        let by_id = &self.index.by_id;
        Arc::make_mut(&mut self.links).insert_frame(frame, |s| by_id.contains_key(&s))
    }

    pub fn remove_frame(&mut self, id: FrameId) -> Option<Frame> {
        self.links.frame(id)?;
        Arc::make_mut(&mut self.links).remove_frame(id)
    }

    /// Puts `frame` in place of the frame with its id and returns the old one.
    pub fn replace_frame(&mut self, frame: Frame) -> Result<Frame, LinkError> {
        let by_id = &self.index.by_id;
        Arc::make_mut(&mut self.links).replace_frame(frame, |s| by_id.contains_key(&s))
    }

    pub fn insert_relation(&mut self, relation: Relation) -> Result<(), LinkError> {
        let by_id = &self.index.by_id;
        Arc::make_mut(&mut self.links).insert_relation(relation, |s| by_id.contains_key(&s))
    }

    pub fn remove_relation(&mut self, id: RelationId) -> Option<Relation> {
        self.links.relation(id)?;
        Arc::make_mut(&mut self.links).remove_relation(id)
    }

    /// Removes a span by id and returns it. Frames and relations that refer
    /// to it are left as they are: [`super::Command::RemoveSpan`] removes
    /// or trims them first, so undo can restore them (a relabel or resize
    /// takes a span out and puts it back under the same id).
    pub fn remove(&mut self, id: SpanId) -> Option<Span> {
        if !self.index.by_id.contains_key(&id) {
            return None;
        }
        let ix = Arc::make_mut(&mut self.index);
        let key = ix.by_id.remove(&id)?;
        let span = ix.spans.take(&key)?.0;
        if let Some(set) = ix.levels.get_mut(level_of(span.len())) {
            set.remove(&key);
        }
        if let Some(n) = ix.label_counts.get_mut(&span.label) {
            *n -= 1;
            if *n == 0 {
                ix.label_counts.remove(&span.label);
            }
        }
        Some(span)
    }

    /// Spans overlapping the code points `[a, b)`, in text order.
    pub fn overlapping(&self, a: CharOffset, b: CharOffset) -> Vec<&Span> {
        if a >= b {
            return Vec::new();
        }
        let mut keys: Vec<SpanKey> = Vec::new();
        for (level, set) in self.index.levels.iter().enumerate() {
            if set.is_empty() {
                continue;
            }
            // Longest length in this class is 2^(level+1) - 1; a span starting at or
            // before a - that length ends at or before a and cannot overlap.
            let max_len = (1usize << (level + 1)).saturating_sub(1);
            let lo = a.saturating_sub(max_len.saturating_sub(1));
            keys.extend(
                set.range(SpanKey::first_at(lo)..SpanKey::first_at(b))
                    .filter(|k| k.end > a),
            );
        }
        keys.sort_unstable();
        keys.iter()
            .filter_map(|k| self.index.spans.get(k))
            .map(|e| &e.0)
            .collect()
    }

    /// The labels at least one span of this layer uses.
    pub fn labels_in_use(&self) -> impl Iterator<Item = &str> {
        self.index.label_counts.keys().map(String::as_str)
    }

    /// Number of spans with this label.
    pub fn count_label(&self, label: &str) -> usize {
        self.index.label_counts.get(label).copied().unwrap_or(0)
    }

    /// Spans that contain the code point at `pos`, outermost first.
    pub fn containing(&self, pos: CharOffset) -> Vec<&Span> {
        self.overlapping(pos, pos.saturating_add(1))
    }

    /// An existing span with exactly this range and label, if any.
    pub fn find_exact(&self, start: CharOffset, end: CharOffset, label: &str) -> Option<&Span> {
        let from = SpanKey {
            start,
            end,
            id: SpanId(0),
        };
        self.index
            .spans
            .range::<SpanKey, _>(from..)
            .map(|e| &e.0)
            .take_while(|s| s.start() == start && s.end() == end)
            .find(|s| s.label == label)
    }

    /// The first span (in text order) that starts at or after `pos`.
    pub fn first_starting_at_or_after(&self, pos: CharOffset) -> Option<&Span> {
        self.index
            .spans
            .range::<SpanKey, _>(SpanKey::first_at(pos)..)
            .next()
            .map(|e| &e.0)
    }

    /// The last span (in text order) that starts before `pos`.
    pub fn last_starting_before(&self, pos: CharOffset) -> Option<&Span> {
        self.index
            .spans
            .range::<SpanKey, _>(..SpanKey::first_at(pos))
            .next_back()
            .map(|e| &e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use proptest::prelude::*;

    fn span(id: u64, start: usize, end: usize, label: &str) -> Span {
        Span::new(
            SpanId(id),
            start,
            end,
            label,
            1_000_000,
            Timestamp::UNIX_EPOCH,
        )
        .unwrap()
    }

    #[test]
    fn text_order_is_start_then_outer_first() {
        let mut l = Layer::new();
        l.insert(span(1, 5, 8, "A")).unwrap();
        l.insert(span(2, 0, 20, "B")).unwrap();
        l.insert(span(3, 5, 20, "C")).unwrap();
        let ids: Vec<u64> = l.iter().map(|s| s.id().0).collect();
        assert_eq!(ids, vec![2, 3, 1]);
        assert_eq!(
            l.insert(span(1, 0, 1, "A")),
            Err(DuplicateSpanId(SpanId(1)))
        );
    }

    #[test]
    fn overlap_finds_long_span_covering_query() {
        let mut l = Layer::new();
        l.insert(span(1, 0, 100_000, "DOC")).unwrap();
        for i in 0..1000 {
            l.insert(span(10 + i, i as usize * 10, i as usize * 10 + 3, "W"))
                .unwrap();
        }
        let hits: Vec<u64> = l.overlapping(52, 61).iter().map(|s| s.id().0).collect();
        // the whole-document span, [50,53) and [60,63)
        assert_eq!(hits, vec![1, 15, 16]);
        assert!(l.overlapping(53, 60).iter().all(|s| s.id().0 == 1));
        assert_eq!(l.containing(50).len(), 2);
        assert_eq!(l.find_exact(50, 53, "W").map(|s| s.id().0), Some(15));
        assert!(l.find_exact(50, 53, "X").is_none());
    }

    #[test]
    fn remove_updates_every_index() {
        let mut l = Layer::new();
        l.insert(span(1, 0, 4, "A")).unwrap();
        l.insert(span(2, 2, 9, "A")).unwrap();
        assert_eq!(l.remove(SpanId(1)).map(|s| s.id()), Some(SpanId(1)));
        assert!(l.remove(SpanId(1)).is_none());
        assert_eq!(l.overlapping(0, 3).len(), 1);
        assert_eq!(l.len(), 1);
        assert_eq!((l.count_label("A"), l.count_label("B")), (1, 0));
    }

    #[test]
    fn a_clone_is_a_snapshot_that_later_edits_do_not_touch() {
        let mut l = Layer::new();
        l.insert(span(1, 0, 4, "A")).unwrap();
        let snapshot = l.clone();
        l.insert(span(2, 2, 9, "B")).unwrap();
        l.remove(SpanId(1));
        assert_eq!(snapshot.len(), 1);
        assert_eq!(snapshot.get(SpanId(1)).map(|s| s.label.as_str()), Some("A"));
        assert!(snapshot.get(SpanId(2)).is_none());
        assert_eq!((l.len(), l.count_label("B"), l.count_label("A")), (1, 1, 0));
    }

    #[test]
    fn bulk_build_refuses_a_duplicate_id() {
        let spans = vec![span(1, 0, 4, "A"), span(2, 5, 6, "A"), span(1, 8, 9, "B")];
        assert_eq!(Layer::from_spans(spans), Err(DuplicateSpanId(SpanId(1))));
    }

    proptest! {
        /// Building in bulk gives the same layer, with the same answers, as
        /// inserting one span at a time.
        #[test]
        fn bulk_build_matches_inserts(
            ranges in prop::collection::vec((0usize..500, 1usize..300, 0usize..3), 0..80),
            queries in prop::collection::vec((0usize..900, 1usize..120), 1..10),
        ) {
            let labels = ["A", "B", "C"];
            let spans: Vec<Span> = ranges
                .iter()
                .enumerate()
                .map(|(i, (s, len, l))| span(i as u64, *s, s + len, labels[*l]))
                .collect();
            let mut one_by_one = Layer::new();
            for s in spans.iter().rev() {
                one_by_one.insert(s.clone()).unwrap();
            }
            let bulk = Layer::from_spans(spans).unwrap();
            prop_assert!(bulk == one_by_one);
            for l in labels {
                prop_assert_eq!(bulk.count_label(l), one_by_one.count_label(l));
            }
            for (a, w) in queries {
                let got: Vec<SpanId> = bulk.overlapping(a, a + w).iter().map(|s| s.id()).collect();
                let want: Vec<SpanId> = one_by_one.overlapping(a, a + w).iter().map(|s| s.id()).collect();
                prop_assert_eq!(got, want);
            }
        }


        /// The indexed query returns exactly what a full scan returns.
        #[test]
        fn overlap_query_matches_full_scan(
            ranges in prop::collection::vec((0usize..500, 1usize..300), 0..80),
            removals in prop::collection::vec(0usize..80, 0..20),
            queries in prop::collection::vec((0usize..900, 0usize..120), 1..20),
        ) {
            let mut l = Layer::new();
            for (i, (s, len)) in ranges.iter().enumerate() {
                l.insert(span(i as u64, *s, s + len, "L")).unwrap();
            }
            for r in removals {
                l.remove(SpanId(r as u64));
            }
            for (a, w) in queries {
                let b = a + w;
                let got: Vec<SpanId> = l.overlapping(a, b).iter().map(|s| s.id()).collect();
                let want: Vec<SpanId> = l.iter().filter(|s| s.start() < b && s.end() > a && a < b).map(|s| s.id()).collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
