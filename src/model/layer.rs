//! One annotator's (or the gold) set of spans on one document, kept sorted
//! and indexed so that per-line queries do not scan the whole layer.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::span::{CharOffset, Span, SpanId};

/// Sort key of a span in text order: by start, then outer (longer) first, then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SpanKey {
    start: CharOffset,
    end: CharOffset,
    id: SpanId,
}

impl SpanKey {
    fn of(span: &Span) -> Self {
        SpanKey {
            start: span.start(),
            end: span.end(),
            id: span.id(),
        }
    }
    /// The smallest key with this start.
    fn first_at(start: CharOffset) -> Self {
        SpanKey {
            start,
            end: CharOffset::MAX,
            id: SpanId(0),
        }
    }
}

impl Ord for SpanKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.start
            .cmp(&other.start)
            .then_with(|| other.end.cmp(&self.end))
            .then_with(|| self.id.cmp(&other.id))
    }
}
impl PartialOrd for SpanKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
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
    spans: BTreeMap<SpanKey, Span>,
    by_id: HashMap<SpanId, SpanKey>,
    levels: Vec<BTreeSet<SpanKey>>,
    /// Spans per label, kept up to date so palettes need no scan.
    label_counts: HashMap<String, usize>,
}

impl PartialEq for Layer {
    fn eq(&self, other: &Self) -> bool {
        self.spans == other.spans
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

    pub fn len(&self) -> usize {
        self.spans.len()
    }
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// All spans in text order (start ascending, longer first, then id).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Span> + ExactSizeIterator {
        self.spans.values()
    }

    pub fn get(&self, id: SpanId) -> Option<&Span> {
        self.by_id.get(&id).and_then(|k| self.spans.get(k))
    }

    pub fn contains_id(&self, id: SpanId) -> bool {
        self.by_id.contains_key(&id)
    }

    /// Adds a span; its id must not be in this layer yet.
    pub fn insert(&mut self, span: Span) -> Result<(), DuplicateSpanId> {
        if self.by_id.contains_key(&span.id()) {
            return Err(DuplicateSpanId(span.id()));
        }
        let key = SpanKey::of(&span);
        let level = level_of(span.len());
        if self.levels.len() <= level {
            self.levels.resize_with(level + 1, BTreeSet::new);
        }
        self.levels[level].insert(key);
        self.by_id.insert(span.id(), key);
        *self.label_counts.entry(span.label.clone()).or_default() += 1;
        self.spans.insert(key, span);
        Ok(())
    }

    /// Removes a span by id and returns it.
    pub fn remove(&mut self, id: SpanId) -> Option<Span> {
        let key = self.by_id.remove(&id)?;
        let span = self.spans.remove(&key)?;
        if let Some(set) = self.levels.get_mut(level_of(span.len())) {
            set.remove(&key);
        }
        if let Some(n) = self.label_counts.get_mut(&span.label) {
            *n -= 1;
            if *n == 0 {
                self.label_counts.remove(&span.label);
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
        for (level, set) in self.levels.iter().enumerate() {
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
        keys.iter().filter_map(|k| self.spans.get(k)).collect()
    }

    /// The labels at least one span of this layer uses.
    pub fn labels_in_use(&self) -> impl Iterator<Item = &str> {
        self.label_counts.keys().map(String::as_str)
    }

    /// Number of spans with this label.
    pub fn count_label(&self, label: &str) -> usize {
        self.label_counts.get(label).copied().unwrap_or(0)
    }

    /// Spans that contain the code point at `pos`, outermost first.
    pub fn containing(&self, pos: CharOffset) -> Vec<&Span> {
        self.overlapping(pos, pos.saturating_add(1))
    }

    /// An existing span with exactly this range and label, if any.
    pub fn find_exact(&self, start: CharOffset, end: CharOffset, label: &str) -> Option<&Span> {
        self.spans
            .range(
                SpanKey {
                    start,
                    end,
                    id: SpanId(0),
                }..,
            )
            .take_while(|(k, _)| k.start == start && k.end == end)
            .map(|(_, s)| s)
            .find(|s| s.label == label)
    }

    /// The first span (in text order) that starts at or after `pos`.
    pub fn first_starting_at_or_after(&self, pos: CharOffset) -> Option<&Span> {
        self.spans
            .range(SpanKey::first_at(pos)..)
            .next()
            .map(|(_, s)| s)
    }

    /// The last span (in text order) that starts before `pos`.
    pub fn last_starting_before(&self, pos: CharOffset) -> Option<&Span> {
        self.spans
            .range(..SpanKey::first_at(pos))
            .next_back()
            .map(|(_, s)| s)
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

    proptest! {
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
