//! Agreement figures between annotation layers (see docs/agreement.md):
//! exact and overlap precision/recall/F1 with layer A as the reference,
//! token-level Cohen's κ (overall and one-vs-rest per label), Fleiss' κ for
//! three or more layers, and a confusion matrix over equal-boundary pairs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::align::{Category, align};
use crate::io::formats::tokens::tokenize;
use crate::model::{Document, LayerId, Project, Span};

/// Precision, recall and F1 (`None` where undefined) with their counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Prf {
    /// From true positives and the sizes of the reference (A) and the other layer (B).
    pub fn new(tp: usize, a: usize, b: usize) -> Self {
        let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
        let precision = ratio(tp, b);
        let recall = ratio(tp, a);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        Prf {
            precision,
            recall,
            f1,
            tp,
            fp: b - tp,
            fn_: a - tp,
        }
    }
}

/// Exact or overlap figures, overall (micro) and per label.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MatchFigures {
    pub micro: Prf,
    pub per_label: BTreeMap<String, Prf>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Kappa {
    pub overall: Option<f64>,
    pub per_label: BTreeMap<String, Option<f64>>,
}

/// Everything `spanmark agreement` reports (the `--json` shape).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Agreement {
    pub layers: Vec<String>,
    pub documents: usize,
    pub exact: MatchFigures,
    pub overlap: MatchFigures,
    pub token_kappa: Kappa,
    pub fleiss_kappa: Option<f64>,
    /// Label in A → label in B (or "missing") → count, over spans with equal boundaries.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_document: Option<BTreeMap<String, Agreement>>,
}

/// Spans of a layer in a document (empty if the layer is missing).
fn spans<'a>(doc: &'a Document, layer: &LayerId) -> Vec<&'a Span> {
    doc.layer(layer)
        .map(|l| l.iter().collect())
        .unwrap_or_default()
}

/// Per-label counters: (tp, |A|, |B|).
type Counts = BTreeMap<String, (usize, usize, usize)>;

fn figures(counts: &Counts) -> MatchFigures {
    let (tp, a, b) = counts
        .values()
        .fold((0, 0, 0), |acc, c| (acc.0 + c.0, acc.1 + c.1, acc.2 + c.2));
    MatchFigures {
        micro: Prf::new(tp, a, b),
        per_label: counts
            .iter()
            .map(|(l, c)| (l.clone(), Prf::new(c.0, c.1, c.2)))
            .collect(),
    }
}

/// Same-label overlapping pairs, one-to-one, greedy by largest overlap.
fn overlap_matches<'a>(a: &[&'a Span], b: &[&'a Span]) -> Vec<(&'a Span, &'a Span)> {
    let mut b_sorted: Vec<&Span> = b.to_vec();
    b_sorted.sort_by_key(|s| s.start());
    let max_len = b.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut cands = Vec::new();
    for (i, sa) in a.iter().enumerate() {
        let lo = b_sorted.partition_point(|s| s.start() + max_len <= sa.start());
        for (j, sb) in b_sorted
            .iter()
            .enumerate()
            .skip(lo)
            .take_while(|(_, s)| s.start() < sa.end())
        {
            let o = sa
                .end()
                .min(sb.end())
                .saturating_sub(sa.start().max(sb.start()));
            if o > 0 && sa.label == sb.label {
                cands.push((o, i, j));
            }
        }
    }
    cands.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut ua, mut ub) = (vec![false; a.len()], vec![false; b_sorted.len()]);
    let mut out = Vec::new();
    for (_, i, j) in cands {
        if !ua[i] && !ub[j] {
            ua[i] = true;
            ub[j] = true;
            out.push((a[i], b_sorted[j]));
        }
    }
    out
}

/// Token labels of one layer: each token takes the label of the outermost
/// span covering it (earliest start, then longest), else "O".
///
/// One sweep over tokens and spans in text order: spans that have started
/// wait in a min-heap by (start, longest first); a span ending before the
/// current token can cover no later token either (tokens do not overlap), so
/// it leaves the heap for good. O((tokens + spans) log spans).
fn token_labels<'a>(tokens: &[(usize, usize)], spans: &[&'a Span]) -> Vec<&'a str> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut sorted: Vec<&Span> = spans.to_vec();
    sorted.sort_by_key(|s| (s.start(), Reverse(s.end())));
    // Min-heap of (start, Reverse(end), index into sorted).
    let mut started: BinaryHeap<Reverse<(usize, Reverse<usize>, usize)>> = BinaryHeap::new();
    let mut next = 0;
    tokens
        .iter()
        .map(|&(ts, te)| {
            while let Some(s) = sorted.get(next).filter(|s| s.start() <= ts) {
                started.push(Reverse((s.start(), Reverse(s.end()), next)));
                next += 1;
            }
            while let Some(Reverse((_, Reverse(end), _))) = started.peek() {
                if *end >= te {
                    break;
                }
                started.pop();
            }
            started
                .peek()
                .and_then(|Reverse((_, _, i))| sorted.get(*i))
                .map_or("O", |s| s.label.as_str())
        })
        .collect()
}

/// Tokens of a document: UAX #29 words without white space, cut at every
/// span edge of every compared layer, so spans cover whole tokens.
fn doc_tokens(doc: &Document, layers: &[Vec<&Span>]) -> Vec<(usize, usize)> {
    let mut edges: Vec<usize> = layers
        .iter()
        .flatten()
        .flat_map(|s| [s.start(), s.end()])
        .collect();
    edges.sort_unstable();
    edges.dedup();
    tokenize(doc.text(), 0, &edges)
        .0
        .into_iter()
        .map(|t| (t.start, t.end))
        .collect()
}

/// Cohen's κ between two label sequences; `None` when chance agreement is 1
/// (e.g. both use a single label throughout).
pub fn cohen_kappa<S: AsRef<str>>(a: &[S], b: &[S]) -> Option<f64> {
    let n = a.len();
    if n == 0 {
        return None;
    }
    let agree = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.as_ref() == y.as_ref())
        .count() as f64
        / n as f64;
    let mut fa: BTreeMap<&str, f64> = BTreeMap::new();
    let mut fb: BTreeMap<&str, f64> = BTreeMap::new();
    for (x, y) in a.iter().zip(b) {
        *fa.entry(x.as_ref()).or_default() += 1.0;
        *fb.entry(y.as_ref()).or_default() += 1.0;
    }
    let chance: f64 = fa
        .iter()
        .map(|(k, v)| v / n as f64 * fb.get(k).copied().unwrap_or(0.0) / n as f64)
        .sum();
    if (1.0 - chance).abs() < 1e-12 {
        return None;
    }
    Some((agree - chance) / (1.0 - chance))
}

/// Fleiss' κ for items each labelled by every rater (`ratings[rater][item]`).
pub fn fleiss_kappa<S: AsRef<str>>(ratings: &[Vec<S>]) -> Option<f64> {
    let m = ratings.len();
    let n = ratings.first()?.len();
    if m < 2 || n == 0 {
        return None;
    }
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    let mut p_bar = 0.0;
    for i in 0..n {
        let mut counts: BTreeMap<&str, f64> = BTreeMap::new();
        for r in ratings {
            *counts.entry(r[i].as_ref()).or_default() += 1.0;
        }
        let sum_sq: f64 = counts.values().map(|c| c * c).sum();
        p_bar += (sum_sq - m as f64) / (m as f64 * (m as f64 - 1.0));
        for (k, c) in counts {
            *totals.entry(k).or_default() += c;
        }
    }
    p_bar /= n as f64;
    let pe: f64 = totals.values().map(|t| (t / (n * m) as f64).powi(2)).sum();
    if (1.0 - pe).abs() < 1e-12 {
        return None;
    }
    Some((p_bar - pe) / (1.0 - pe))
}

/// Agreement of `layers` (the first is the reference A, the second B) over the
/// documents where at least one of them has spans (a missing layer counts as
/// no spans, so a document one annotator left empty lowers agreement).
pub fn agreement(project: &Project, layers: &[LayerId], by_document: bool) -> Agreement {
    let docs: Vec<&Document> = project
        .documents
        .iter()
        .filter(|d| layers.iter().any(|l| d.layer(l).is_some()))
        .collect();
    let mut report = compute(project, &docs, layers);
    if by_document {
        report.by_document = Some(
            docs.iter()
                .map(|d| {
                    (
                        d.id.clone(),
                        compute(project, std::slice::from_ref(d), layers),
                    )
                })
                .collect(),
        );
    }
    report
}

fn compute(project: &Project, docs: &[&Document], layers: &[LayerId]) -> Agreement {
    let labels: Vec<String> = project.schema.names().map(String::from).collect();
    let mut exact: Counts = labels.iter().map(|l| (l.clone(), (0, 0, 0))).collect();
    let mut lenient = exact.clone();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    // Token labels for Fleiss' κ (tokens cut at every layer's span edges) and
    // for Cohen's κ between A and B (cut at A's and B's edges only, so adding a
    // third layer does not change the two-layer figure).
    let mut tokens_by_layer: Vec<Vec<&str>> = vec![Vec::new(); layers.len()];
    let (mut pair_a, mut pair_b) = (Vec::new(), Vec::new());
    for doc in docs {
        let per_layer: Vec<Vec<&Span>> = layers.iter().map(|l| spans(doc, l)).collect();
        if layers.len() >= 3 {
            let toks = doc_tokens(doc, &per_layer);
            for (i, s) in per_layer.iter().enumerate() {
                tokens_by_layer[i].extend(token_labels(&toks, s));
            }
        }
        let (Some(a), Some(b)) = (per_layer.first(), per_layer.get(1)) else {
            continue;
        };
        let toks = doc_tokens(doc, &per_layer[..2]);
        pair_a.extend(token_labels(&toks, a));
        pair_b.extend(token_labels(&toks, b));
        for s in a {
            exact.entry(s.label.clone()).or_default().1 += 1;
            lenient.entry(s.label.clone()).or_default().1 += 1;
        }
        for s in b {
            exact.entry(s.label.clone()).or_default().2 += 1;
            lenient.entry(s.label.clone()).or_default().2 += 1;
        }
        for p in align(a, b) {
            match (p.category, p.a, p.b) {
                (Category::Agree, Some(sa), Some(sb))
                | (Category::LabelConflict, Some(sa), Some(sb)) => {
                    if p.category == Category::Agree {
                        exact.entry(sa.label.clone()).or_default().0 += 1;
                    }
                    *confusion
                        .entry(sa.label.clone())
                        .or_default()
                        .entry(sb.label.clone())
                        .or_default() += 1;
                }
                _ => {
                    if let Some(sa) = p.a {
                        *confusion
                            .entry(sa.label.clone())
                            .or_default()
                            .entry("missing".into())
                            .or_default() += 1;
                    }
                    if let Some(sb) = p.b {
                        *confusion
                            .entry("missing".into())
                            .or_default()
                            .entry(sb.label.clone())
                            .or_default() += 1;
                    }
                }
            }
        }
        for (sa, _) in overlap_matches(a, b) {
            lenient.entry(sa.label.clone()).or_default().0 += 1;
        }
    }
    let token_kappa = match (Some(&pair_a), Some(&pair_b)) {
        (Some(ta), Some(tb)) if layers.len() >= 2 => Kappa {
            overall: cohen_kappa(ta, tb),
            per_label: labels
                .iter()
                .map(|l| {
                    let bin = |v: &Vec<&str>| {
                        v.iter()
                            .map(|x| *x == l.as_str())
                            .map(|hit| if hit { "1" } else { "0" })
                            .collect::<Vec<&str>>()
                    };
                    (l.clone(), cohen_kappa(&bin(ta), &bin(tb)))
                })
                .collect(),
        },
        _ => Kappa::default(),
    };
    Agreement {
        layers: layers.iter().map(|l| l.to_string()).collect(),
        documents: docs.len(),
        exact: figures(&exact),
        overlap: figures(&lenient),
        token_kappa,
        fleiss_kappa: if layers.len() >= 3 {
            fleiss_kappa(&tokens_by_layer)
        } else {
            None
        },
        confusion,
        by_document: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SpanId;
    use crate::synthetic::Lcg;

    /// The definition, token by token: the first span in (start, longest
    /// first) order that covers the token.
    fn naive<'a>(tokens: &[(usize, usize)], spans: &[&'a Span]) -> Vec<&'a str> {
        let mut sorted = spans.to_vec();
        sorted.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end())));
        tokens
            .iter()
            .map(|&(ts, te)| {
                sorted
                    .iter()
                    .find(|s| s.start() <= ts && te <= s.end())
                    .map_or("O", |s| s.label.as_str())
            })
            .collect()
    }

    #[test]
    fn the_token_sweep_matches_the_definition_on_nested_and_overlapping_spans() {
        let labels = ["LOCATION", "ACTOR", "EVENT", "COUNT"];
        for seed in 0..50 {
            let mut rng = Lcg::new(seed);
            let tokens: Vec<(usize, usize)> = (0..60).map(|i| (i * 3, i * 3 + 2)).collect();
            let spans: Vec<Span> = (0..25)
                .map(|i| {
                    let s = rng.below(170) as usize;
                    let e = s + 1 + rng.below(40) as usize;
                    let label = labels[rng.below(4) as usize];
                    Span::new(
                        SpanId(i),
                        s,
                        e.min(180),
                        label,
                        180,
                        jiff::Timestamp::UNIX_EPOCH,
                    )
                    .unwrap()
                })
                .collect();
            let refs: Vec<&Span> = spans.iter().collect();
            assert_eq!(
                token_labels(&tokens, &refs),
                naive(&tokens, &refs),
                "seed {seed}"
            );
        }
    }
}
