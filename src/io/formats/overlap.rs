//! Choosing non-overlapping spans for formats that cannot hold nesting (IOB2).

use std::str::FromStr;

use crate::model::Span;

/// Which span survives when spans overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverlapPolicy {
    /// Spans no other span contains, longest first; then the rest where they fit.
    #[default]
    Outer,
    /// Shortest first.
    Inner,
    /// Longest first.
    Longest,
    /// The earliest annotated (lowest id) first.
    First,
}

impl FromStr for OverlapPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "outer" => Ok(Self::Outer),
            "inner" => Ok(Self::Inner),
            "longest" => Ok(Self::Longest),
            "first" => Ok(Self::First),
            other => Err(format!(
                "unknown overlap policy {other:?}; use outer, inner, longest or first"
            )),
        }
    }
}

/// Ids of the spans that lie inside a strictly longer span. One sweep in
/// (start, longest first) order: a span is inside another when an earlier
/// start reaches at least as far, or a span with the same start reaches
/// further. O(n log n).
fn contained_ids(spans: &[&Span]) -> rustc_hash::FxHashSet<crate::model::SpanId> {
    let mut order: Vec<&Span> = spans.to_vec();
    order.sort_unstable_by_key(|s| (s.start(), std::cmp::Reverse(s.end()), s.id()));
    let mut out = rustc_hash::FxHashSet::default();
    let mut reach_before = 0usize; // furthest end among spans starting before this group
    let mut i = 0;
    while i < order.len() {
        let start = order[i].start();
        let group_end = order[i].end(); // the longest of this start comes first
        let mut j = i;
        while j < order.len() && order[j].start() == start {
            let s = order[j];
            if (i > 0 && reach_before >= s.end()) || group_end > s.end() {
                out.insert(s.id());
            }
            j += 1;
        }
        reach_before = reach_before.max(group_end);
        i = j;
    }
    out
}

/// Splits `spans` into those kept (in text order) and those dropped.
pub fn resolve<'a>(spans: &[&'a Span], policy: OverlapPolicy) -> (Vec<&'a Span>, Vec<&'a Span>) {
    let mut order: Vec<&Span> = spans.to_vec();
    match policy {
        OverlapPolicy::Outer => {
            let inside = contained_ids(spans);
            // Common case: the spans inside no other do not overlap each
            // other, except for copies of the same range (two labels on one
            // word), of which the lowest id comes first. Then those are kept
            // and every other span dropped (a span inside another has a
            // chain of longer containers ending at a kept range), which is
            // what the greedy pass below would find, in O(n log n) without
            // its ordered map.
            let (mut outer, mut inner): (Vec<&Span>, Vec<&Span>) =
                spans.iter().partition(|s| !inside.contains(&s.id()));
            outer.sort_unstable_by_key(|s| (s.start(), s.end(), s.id()));
            let mut kept: Vec<&Span> = Vec::with_capacity(outer.len());
            let mut reach = 0;
            let mut clear = true;
            for s in outer {
                match kept.last() {
                    Some(k) if (k.start(), k.end()) == (s.start(), s.end()) => inner.push(s),
                    _ if s.start() < reach => {
                        clear = false;
                        break;
                    }
                    _ => {
                        reach = s.end();
                        kept.push(s);
                    }
                }
            }
            if clear {
                inner.sort_unstable_by_key(|s| (s.start(), s.end(), s.id()));
                return (kept, inner);
            }
            // Keys end in the (unique) id, so an unstable sort gives the same order.
            let mut keyed: Vec<_> = order
                .iter()
                .map(|s| {
                    let key = (
                        inside.contains(&s.id()),
                        std::cmp::Reverse(s.len()),
                        s.start(),
                        s.id(),
                    );
                    (key, *s)
                })
                .collect();
            keyed.sort_unstable_by_key(|(k, _)| *k);
            order = keyed.into_iter().map(|(_, s)| s).collect();
        }
        OverlapPolicy::Inner => order.sort_unstable_by_key(|s| (s.len(), s.start(), s.id())),
        OverlapPolicy::Longest => {
            order.sort_unstable_by_key(|s| (std::cmp::Reverse(s.len()), s.start(), s.id()))
        }
        OverlapPolicy::First => order.sort_unstable_by_key(|s| s.id()),
    }
    // Kept spans never overlap each other, so only the kept span starting
    // last before `s` ends can overlap it: an ordered map answers in O(log n).
    let mut kept_at: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut kept: Vec<&Span> = Vec::new();
    let mut dropped = Vec::new();
    for s in order {
        let overlaps = kept_at
            .range(..s.end())
            .next_back()
            .is_some_and(|(_, end)| *end > s.start());
        if overlaps {
            dropped.push(s);
        } else {
            kept_at.insert(s.start(), s.end());
            kept.push(s);
        }
    }
    kept.sort_unstable_by_key(|s| (s.start(), s.end(), s.id()));
    dropped.sort_unstable_by_key(|s| (s.start(), s.end(), s.id()));
    (kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SpanId;
    use jiff::Timestamp;

    fn sp(id: u64, a: usize, b: usize) -> Span {
        Span::new(SpanId(id), a, b, "X", 10_000, Timestamp::UNIX_EPOCH).unwrap()
    }

    #[test]
    fn policies() {
        let (outer, inner, partial) = (sp(1, 0, 20), sp(2, 5, 9), sp(3, 15, 40));
        let all = [&outer, &inner, &partial];
        let ids = |v: Vec<&Span>| v.iter().map(|s| s.id().0).collect::<Vec<_>>();
        // Outer: both outer spans are uncontained; the longer partial one (3) wins, then 2 fits.
        let (k, d) = resolve(&all, OverlapPolicy::Outer);
        assert_eq!((ids(k), ids(d)), (vec![2, 3], vec![1]));
        let (k, _) = resolve(&all, OverlapPolicy::Inner);
        assert_eq!(ids(k), vec![2, 3]);
        let (k, _) = resolve(&all, OverlapPolicy::First);
        assert_eq!(ids(k), vec![1]);
        let nested = [&outer, &inner];
        let (k, d) = resolve(&nested, OverlapPolicy::Outer);
        assert_eq!((ids(k), ids(d)), (vec![1], vec![2]));
    }

    /// The definitions, pairwise: what `resolve` must agree with.
    fn naive(spans: &[&Span], policy: OverlapPolicy) -> (Vec<u64>, Vec<u64>) {
        let contained = |s: &Span| {
            spans.iter().any(|o| {
                o.id() != s.id()
                    && o.start() <= s.start()
                    && s.end() <= o.end()
                    && o.len() > s.len()
            })
        };
        let mut order: Vec<&Span> = spans.to_vec();
        match policy {
            OverlapPolicy::Outer => {
                order.sort_by_key(|s| (contained(s), std::cmp::Reverse(s.len()), s.start(), s.id()))
            }
            OverlapPolicy::Inner => order.sort_by_key(|s| (s.len(), s.start(), s.id())),
            OverlapPolicy::Longest => {
                order.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.start(), s.id()))
            }
            OverlapPolicy::First => order.sort_by_key(|s| s.id()),
        }
        let (mut kept, mut dropped): (Vec<&Span>, Vec<&Span>) = (Vec::new(), Vec::new());
        for s in order {
            if kept
                .iter()
                .any(|k| k.start() < s.end() && s.start() < k.end())
            {
                dropped.push(s);
            } else {
                kept.push(s);
            }
        }
        kept.sort_by_key(|s| (s.start(), s.end(), s.id()));
        dropped.sort_by_key(|s| (s.start(), s.end(), s.id()));
        let ids = |v: Vec<&Span>| v.iter().map(|s| s.id().0).collect();
        (ids(kept), ids(dropped))
    }

    #[test]
    fn the_fast_resolution_matches_the_pairwise_definition() {
        for seed in 0..300 {
            let mut rng = crate::synthetic::Lcg::new(seed);
            // Dense texts (most spans overlap) and sparse ones, where mostly
            // nesting remains and the O(n) path for "outer" applies.
            let width = if seed % 2 == 0 { 90 } else { 1500 };
            let mut spans: Vec<Span> = Vec::new();
            for i in 0..35 {
                let a = rng.below(width) as usize;
                // the last few are one code point long: mostly nested
                let len = if i < 30 {
                    1 + rng.below(12) as usize
                } else {
                    1
                };
                spans.push(sp(i, a, (a + len).min(width as usize + 10)));
            }
            // The same range twice (two labels on one word).
            for i in 0..3 {
                let copy = spans[i as usize * 7].clone().with_id(SpanId(200 + i));
                spans.push(copy);
            }
            let refs: Vec<&Span> = spans.iter().collect();
            for policy in [
                OverlapPolicy::Outer,
                OverlapPolicy::Inner,
                OverlapPolicy::Longest,
                OverlapPolicy::First,
            ] {
                let (k, d) = resolve(&refs, policy);
                let ids = |v: Vec<&Span>| v.iter().map(|s| s.id().0).collect::<Vec<_>>();
                assert_eq!(
                    (ids(k), ids(d)),
                    naive(&refs, policy),
                    "seed {seed} {policy:?}"
                );
            }
        }
    }
}
