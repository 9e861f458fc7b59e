//! Aligning two layers of one document: which spans agree, which conflict on
//! label or boundaries, and which only one annotator made. The categories
//! drive the review view and the exact/overlap agreement figures.

use super::overlap_pairs::{FindPairs, greedy_matches, same_label_overlaps};
use crate::model::Span;

/// How a pair (or a lone span) compares across layers A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Same start, end and label.
    Agree,
    /// Same range, different label.
    LabelConflict,
    /// Overlapping, same label, different range.
    BoundaryConflict,
    OnlyA,
    OnlyB,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Agree => "agree",
            Category::LabelConflict => "label conflict",
            Category::BoundaryConflict => "boundary conflict",
            Category::OnlyA => "only in A",
            Category::OnlyB => "only in B",
        }
    }
    /// True for everything a reviewer has to decide.
    pub fn is_difference(self) -> bool {
        self != Category::Agree
    }
}

/// One aligned item: a span from A, from B, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair<'a> {
    pub category: Category,
    pub a: Option<&'a Span>,
    pub b: Option<&'a Span>,
}

impl Pair<'_> {
    /// Where the item starts in the text (for ordering and stepping).
    pub fn start(&self) -> usize {
        [self.a, self.b]
            .into_iter()
            .flatten()
            .map(Span::start)
            .min()
            .unwrap_or(0)
    }
}

/// Aligns two layers' spans (each in any order). Exact matches first, then
/// same-range label conflicts, then same-label overlaps one-to-one by largest
/// overlap; the rest are only in A or only in B. Result in text order.
pub fn align<'a>(a: &[&'a Span], b: &[&'a Span]) -> Vec<Pair<'a>> {
    align_with(a, b, same_label_overlaps)
}

/// [`align`] with the boundary-conflict candidates found by `find_pairs`.
fn align_with<'a>(a: &[&'a Span], b: &[&'a Span], find_pairs: FindPairs) -> Vec<Pair<'a>> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let mut a_used = vec![false; a.len()];
    let mut b_used = vec![false; b.len()];

    // 1. Exact (start, end, label), and 2. same range: B sorted by range and
    // label, A by range, walked together (a merge join: no search per span,
    // which on a million spans costs more in cache misses than all else).
    let mut b_keys: Vec<(usize, usize, &str, usize)> = b
        .iter()
        .enumerate()
        .map(|(j, s)| (s.start(), s.end(), s.label.as_str(), j))
        .collect();
    b_keys.sort_unstable();
    let mut a_keys: Vec<(usize, usize, usize)> = a
        .iter()
        .enumerate()
        .map(|(i, s)| (s.start(), s.end(), i))
        .collect();
    // By range, and within one range in A's order, as A's spans are taken.
    a_keys.sort_unstable();
    for exact in [true, false] {
        let mut k = 0;
        for &(start, end, i) in &a_keys {
            if a_used[i] {
                continue;
            }
            while b_keys.get(k).is_some_and(|b| (b.0, b.1) < (start, end)) {
                k += 1;
            }
            let sa = a[i];
            let mut m = k;
            while let Some(&(bs, be, label, j)) = b_keys.get(m) {
                if (bs, be) != (start, end) {
                    break;
                }
                if !b_used[j] && (label == sa.label) == exact {
                    a_used[i] = true;
                    b_used[j] = true;
                    let category = if exact {
                        Category::Agree
                    } else {
                        Category::LabelConflict
                    };
                    out.push(Pair {
                        category,
                        a: Some(sa),
                        b: Some(b[j]),
                    });
                    break;
                }
                m += 1;
            }
        }
    }

    // 3. Same label, overlapping: one-to-one by largest overlap.
    let unused = |spans: &[&'a Span], used: &[bool]| -> Vec<(usize, &'a Span)> {
        spans
            .iter()
            .copied()
            .enumerate()
            .filter(|&(i, _)| !used[i])
            .collect()
    };
    let candidates = find_pairs(&unused(a, &a_used), &unused(b, &b_used));
    for (i, j) in greedy_matches(candidates, a.len(), b.len()) {
        a_used[i] = true;
        b_used[j] = true;
        out.push(Pair {
            category: Category::BoundaryConflict,
            a: Some(a[i]),
            b: Some(b[j]),
        });
    }

    // 4. Leftovers.
    out.extend(
        a.iter()
            .zip(&a_used)
            .filter(|(_, u)| !**u)
            .map(|(s, _)| Pair {
                category: Category::OnlyA,
                a: Some(*s),
                b: None,
            }),
    );
    out.extend(
        b.iter()
            .zip(&b_used)
            .filter(|(_, u)| !**u)
            .map(|(s, _)| Pair {
                category: Category::OnlyB,
                a: None,
                b: Some(*s),
            }),
    );
    // Keys computed once: each reads both spans, which are scattered in memory.
    out.sort_by_cached_key(|p| (p.start(), p.category));
    out
}

#[cfg(test)]
mod tests {
    use super::super::overlap_pairs::tests::{dense_layers, naive_overlaps};
    use super::*;
    use crate::model::SpanId;
    use jiff::Timestamp;
    use proptest::prelude::*;

    fn ids(pairs: &[Pair<'_>]) -> Vec<(Category, Option<SpanId>, Option<SpanId>)> {
        pairs
            .iter()
            .map(|p| (p.category, p.a.map(Span::id), p.b.map(Span::id)))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The sweep changes nothing: the same pairs, categories and order as
        /// with every pair checked.
        #[test]
        fn align_equals_align_by_the_quadratic_definition((a, b) in dense_layers()) {
            let (ar, br): (Vec<&Span>, Vec<&Span>) = (a.iter().collect(), b.iter().collect());
            prop_assert_eq!(ids(&align(&ar, &br)), ids(&align_with(&ar, &br, naive_overlaps)));
        }
    }

    fn sp(id: u64, s: usize, e: usize, l: &str) -> Span {
        Span::new(SpanId(id), s, e, l, 1000, Timestamp::UNIX_EPOCH).unwrap()
    }

    #[test]
    fn the_five_categories() {
        // A: Bannu LOC, WSSP official ACTOR, 4 militants COUNT, police ACTOR
        let a = [
            sp(1, 0, 5, "LOCATION"),
            sp(2, 10, 23, "ACTOR"),
            sp(3, 30, 44, "COUNT"),
            sp(4, 50, 56, "ACTOR"),
        ];
        // B: Bannu LOC (agree), the WSSP official ACTOR (boundary), 4 militants EVENT (label), attack EVENT (only B)
        let b = [
            sp(11, 0, 5, "LOCATION"),
            sp(12, 6, 23, "ACTOR"),
            sp(13, 30, 44, "EVENT"),
            sp(14, 60, 66, "EVENT"),
        ];
        let ar: Vec<&Span> = a.iter().collect();
        let br: Vec<&Span> = b.iter().collect();
        let cats: Vec<(Category, Option<u64>, Option<u64>)> = align(&ar, &br)
            .iter()
            .map(|p| (p.category, p.a.map(|s| s.id().0), p.b.map(|s| s.id().0)))
            .collect();
        assert_eq!(
            cats,
            [
                (Category::Agree, Some(1), Some(11)),
                (Category::BoundaryConflict, Some(2), Some(12)),
                (Category::LabelConflict, Some(3), Some(13)),
                (Category::OnlyA, Some(4), None),
                (Category::OnlyB, None, Some(14)),
            ]
        );
    }

    #[test]
    fn boundary_matching_is_one_to_one_by_largest_overlap() {
        let a = [sp(1, 0, 10, "X"), sp(2, 12, 20, "X")];
        let b = [sp(11, 5, 18, "X")]; // overlaps A1 by 5 and A2 by 6
        let (ar, br): (Vec<&Span>, Vec<&Span>) = (a.iter().collect(), b.iter().collect());
        let p = align(&ar, &br);
        assert_eq!(
            p.iter()
                .filter(|p| p.category == Category::BoundaryConflict)
                .count(),
            1
        );
        let boundary = p
            .iter()
            .find(|p| p.category == Category::BoundaryConflict)
            .unwrap();
        assert_eq!(boundary.a.unwrap().id(), SpanId(2));
        assert_eq!(
            p.iter().filter(|p| p.category == Category::OnlyA).count(),
            1
        );
    }
}
