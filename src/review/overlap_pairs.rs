//! Same-label overlapping pairs between two span lists, and the one-to-one
//! matching by largest overlap that alignment (boundary conflicts) and the
//! overlap F1 both use.
//!
//! The pairs are found by a sweep over start positions, one label at a time,
//! with an active set per side: a pair is found once, when its later span
//! starts, among the other side's spans still open there. The active sets
//! hold at most the overlap depth, so time and memory grow with the number
//! of spans and of overlapping pairs, never with the product of the layers
//! (a scan window as wide as the longest span made dense layers quadratic).

use rustc_hash::FxHashMap;

use crate::model::Span;

/// A candidate pair: (overlap in code points, index in A, index in B).
pub(crate) type Candidate = (usize, usize, usize);

/// Finds the candidate pairs of two indexed span lists ([`same_label_overlaps`];
/// tests pass the quadratic definition instead).
pub(crate) type FindPairs = fn(&[(usize, &Span)], &[(usize, &Span)]) -> Vec<Candidate>;

/// One side's spans of one label: (start, end, index), in start order.
type Side = Vec<(usize, usize, usize)>;

/// Every pair of an A and a B span with the same label that overlap by at
/// least one code point, as (overlap, i, j) with the indices given, in no
/// particular order.
pub(crate) fn same_label_overlaps(a: &[(usize, &Span)], b: &[(usize, &Span)]) -> Vec<Candidate> {
    // Labels as small numbers, so each side is grouped by one integer sort.
    let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
    let mut sides: Vec<(Side, Side)> = Vec::new();
    for (k, spans) in [a, b].into_iter().enumerate() {
        for &(i, s) in spans {
            let next = ids.len();
            let id = *ids.entry(s.label.as_str()).or_insert(next);
            if id == sides.len() {
                sides.push((Vec::new(), Vec::new()));
            }
            let side = if k == 0 {
                &mut sides[id].0
            } else {
                &mut sides[id].1
            };
            side.push((s.start(), s.end(), i));
        }
    }
    let mut out = Vec::new();
    for (mut xa, mut xb) in sides {
        if xa.is_empty() || xb.is_empty() {
            continue;
        }
        xa.sort_unstable();
        xb.sort_unstable();
        sweep(&xa, &xb, &mut out);
    }
    out
}

/// The sweep for one label. On equal starts A goes first, so the pair is
/// found (once) when the B span starts.
fn sweep(xa: &[(usize, usize, usize)], xb: &[(usize, usize, usize)], out: &mut Vec<Candidate>) {
    // Open spans: (start, end, index); expired ones leave when next looked at.
    let mut open_a: Vec<(usize, usize, usize)> = Vec::new();
    let mut open_b: Vec<(usize, usize, usize)> = Vec::new();
    let (mut p, mut q) = (0, 0);
    while p < xa.len() || q < xb.len() {
        let a_next = match (xa.get(p), xb.get(q)) {
            (Some(x), Some(y)) => x.0 <= y.0,
            (Some(_), None) => true,
            _ => false,
        };
        if a_next {
            let (s, e, i) = xa[p];
            p += 1;
            open_b.retain(|&(_, be, _)| be > s);
            // Every open B started at or before s and ends after it.
            out.extend(open_b.iter().map(|&(_, be, j)| (e.min(be) - s, i, j)));
            open_a.push((s, e, i));
        } else {
            let (s, e, j) = xb[q];
            q += 1;
            open_a.retain(|&(_, ae, _)| ae > s);
            out.extend(open_a.iter().map(|&(_, ae, i)| (e.min(ae) - s, i, j)));
            open_b.push((s, e, j));
        }
    }
}

/// One-to-one matching, greedy: largest overlap first, ties by the smaller A
/// index, then the smaller B index. Returns the (i, j) pairs in that order.
pub(crate) fn greedy_matches(
    mut candidates: Vec<Candidate>,
    a_len: usize,
    b_len: usize,
) -> Vec<(usize, usize)> {
    candidates.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_a, mut used_b) = (vec![false; a_len], vec![false; b_len]);
    let mut out = Vec::new();
    for (_, i, j) in candidates {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            out.push((i, j));
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::SpanId;
    use proptest::prelude::*;

    /// The definition, pair by pair: every (A, B) with the same label and a
    /// positive overlap. Quadratic; the oracle for the sweep.
    pub(crate) fn naive_overlaps(a: &[(usize, &Span)], b: &[(usize, &Span)]) -> Vec<Candidate> {
        let mut out = Vec::new();
        for &(i, sa) in a {
            for &(j, sb) in b {
                let o = sa
                    .end()
                    .min(sb.end())
                    .saturating_sub(sa.start().max(sb.start()));
                if o > 0 && sa.label == sb.label {
                    out.push((o, i, j));
                }
            }
        }
        out
    }

    pub(crate) fn span(id: u64, start: usize, len: usize, label: &str) -> Span {
        Span::new(
            SpanId(id),
            start,
            start + len,
            label,
            10_000,
            jiff::Timestamp::UNIX_EPOCH,
        )
        .unwrap()
    }

    type Raw = Vec<(usize, usize, usize)>;

    fn raw() -> impl Strategy<Value = Raw> {
        prop::collection::vec((0usize..60, 1usize..40, 0usize..3), 0..40)
    }

    /// Two dense layers on a short text: long, nested and overlapping spans,
    /// few labels, equal starts; B copies some of A's spans as they are,
    /// relabelled or with a moved end, and has spans of its own.
    pub(crate) fn dense_layers() -> impl Strategy<Value = (Vec<Span>, Vec<Span>)> {
        (raw(), raw(), prop::collection::vec(0usize..4, 40)).prop_map(|(ra, rb, ops)| {
            let labels = ["X", "Y", "Z"];
            let a: Vec<Span> = ra
                .iter()
                .enumerate()
                .map(|(k, &(s, l, lab))| span(k as u64, s, l, labels[lab]))
                .collect();
            let mut b = Vec::new();
            for (k, (&(s, l, lab), op)) in ra.iter().zip(ops).enumerate() {
                let id = 1000 + k as u64;
                match op {
                    0 => b.push(span(id, s, l, labels[lab])),
                    1 => b.push(span(id, s, l, labels[(lab + 1) % 3])),
                    2 => b.push(span(id, s, l + 1, labels[lab])),
                    _ => {}
                }
            }
            for (k, &(s, l, lab)) in rb.iter().enumerate() {
                b.push(span(2000 + k as u64, s, l, labels[lab]));
            }
            (a, b)
        })
    }

    fn sorted(mut v: Vec<Candidate>) -> Vec<Candidate> {
        v.sort_unstable();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn the_sweep_finds_exactly_the_overlapping_pairs((a, b) in dense_layers()) {
            let ia: Vec<(usize, &Span)> = a.iter().enumerate().collect();
            let ib: Vec<(usize, &Span)> = b.iter().enumerate().collect();
            let fast = same_label_overlaps(&ia, &ib);
            let slow = naive_overlaps(&ia, &ib);
            prop_assert_eq!(fast.len(), slow.len(), "each pair found once");
            prop_assert_eq!(sorted(fast.clone()), sorted(slow.clone()));
            prop_assert_eq!(
                greedy_matches(fast, a.len(), b.len()),
                greedy_matches(slow, a.len(), b.len())
            );
        }
    }

    #[test]
    fn the_oracle_comparison_catches_a_planted_mistake() {
        // A sweep that drops the pairs where both spans start together (a
        // plausible off-by-one in the tie rule) must differ from the oracle.
        let a = [span(1, 5, 10, "X"), span(2, 0, 30, "X")];
        let b = [span(11, 5, 3, "X"), span(12, 20, 5, "X")];
        let ia: Vec<(usize, &Span)> = a.iter().enumerate().collect();
        let ib: Vec<(usize, &Span)> = b.iter().enumerate().collect();
        let fast = same_label_overlaps(&ia, &ib);
        let planted: Vec<Candidate> = fast
            .iter()
            .copied()
            .filter(|&(_, i, j)| a[i].start() != b[j].start())
            .collect();
        let slow = sorted(naive_overlaps(&ia, &ib));
        assert_eq!(sorted(fast), slow);
        assert_ne!(sorted(planted), slow);
        // Expected pairs by hand: A0–B0 (3), A1–B0 (3), A1–B1 (5).
        assert_eq!(slow, [(3, 0, 0), (3, 1, 0), (5, 1, 1)]);
    }

    #[test]
    fn greedy_takes_the_largest_overlap_then_the_first_indices() {
        // A0 overlaps B0 by 5 and B1 by 5; A1 overlaps B0 by 5 only.
        let got = greedy_matches(vec![(5, 1, 0), (5, 0, 1), (5, 0, 0), (2, 1, 1)], 2, 2);
        assert_eq!(got, [(0, 0), (1, 1)]);
    }
}
