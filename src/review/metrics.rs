//! Agreement figures between annotation layers (see docs/agreement.md):
//! exact and overlap precision/recall/F1 with layer A as the reference,
//! token-level Cohen's κ (overall and one-vs-rest per label), Fleiss' κ for
//! three or more layers, and a confusion matrix over equal-boundary pairs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::align::{Category, align};
use super::frame_metrics::{FrameAgreement, FrameCounts};
use super::overlap_pairs::{FindPairs, greedy_matches, same_label_overlaps};
use super::token_table::{TokenTable, doc_tokens, token_labels};
use crate::model::{Document, Layer, LayerId, Project, Span};

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

pub use super::token_table::Kappa;

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
    /// Events: present when either layer has a frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frames: Option<FrameAgreement>,
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

/// Changes the counters of `label` (no allocation when it is counted already).
fn bump(counts: &mut Counts, label: &str, change: impl FnOnce(&mut (usize, usize, usize))) {
    match counts.get_mut(label) {
        Some(c) => change(c),
        None => {
            let mut c = (0, 0, 0);
            change(&mut c);
            counts.insert(label.to_string(), c);
        }
    }
}

/// Label names for token κ: "O", the schema's labels, then any other label
/// found in the compared layers.
fn token_label_names(labels: &[String], docs: &[&Document], layers: &[LayerId]) -> Vec<String> {
    let mut names = vec!["O".to_string()];
    names.extend(labels.iter().cloned());
    for doc in docs {
        for l in layers.iter().take(2) {
            for name in doc.layer(l).into_iter().flat_map(|x| x.labels_in_use()) {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
        }
    }
    names
}

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

/// Same-label overlapping pairs, one-to-one, greedy by largest overlap (ties:
/// A's order, then B's in start order).
fn overlap_matches<'a>(
    a: &[&'a Span],
    b: &[&'a Span],
    find_pairs: FindPairs,
) -> Vec<(&'a Span, &'a Span)> {
    let mut b_sorted: Vec<&Span> = b.to_vec();
    b_sorted.sort_by_key(|s| s.start());
    let indexed = |spans: &[&'a Span]| -> Vec<(usize, &'a Span)> {
        spans.iter().copied().enumerate().collect()
    };
    let candidates = find_pairs(&indexed(a), &indexed(&b_sorted));
    greedy_matches(candidates, a.len(), b_sorted.len())
        .into_iter()
        .map(|(i, j)| (a[i], b_sorted[j]))
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
    let mut table = TokenTable::new(token_label_names(&labels, docs, layers));
    let roles: Vec<String> = project
        .schema
        .events
        .roles
        .iter()
        .map(|r| r.name.clone())
        .collect();
    let mut frames = FrameCounts::new(&roles);
    let no_layer = Layer::new();
    for doc in docs {
        if let (Some(la), Some(lb)) = (layers.first(), layers.get(1)) {
            frames.add(
                doc.layer(la).unwrap_or(&no_layer),
                doc.layer(lb).unwrap_or(&no_layer),
            );
        }
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
        // The token table is filled beside the span figures (a second core).
        std::thread::scope(|scope| {
            let tokens = scope.spawn(|| table.add(doc, a, b));
            span_figures(a, b, &mut exact, &mut lenient, &mut confusion);
            // A panic there would be a bug; its counts are then missing.
            let _ = tokens.join();
        });
    }
    let token_kappa = if layers.len() >= 2 {
        table.kappas(&labels)
    } else {
        Kappa::default()
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
        frames: frames.figures(),
        by_document: None,
    }
}

/// Exact and overlap counts and the confusion matrix for one document.
fn span_figures(
    a: &[&Span],
    b: &[&Span],
    exact: &mut Counts,
    lenient: &mut Counts,
    confusion: &mut BTreeMap<String, BTreeMap<String, usize>>,
) {
    for s in a {
        bump(exact, &s.label, |c| c.1 += 1);
        bump(lenient, &s.label, |c| c.1 += 1);
    }
    for s in b {
        bump(exact, &s.label, |c| c.2 += 1);
        bump(lenient, &s.label, |c| c.2 += 1);
    }
    for p in align(a, b) {
        match (p.category, p.a, p.b) {
            (Category::Agree, Some(sa), Some(sb))
            | (Category::LabelConflict, Some(sa), Some(sb)) => {
                if p.category == Category::Agree {
                    bump(exact, &sa.label, |c| c.0 += 1);
                }
                bump_pair(confusion, &sa.label, &sb.label);
            }
            _ => {
                if let Some(sa) = p.a {
                    bump_pair(confusion, &sa.label, "missing");
                }
                if let Some(sb) = p.b {
                    bump_pair(confusion, "missing", &sb.label);
                }
            }
        }
    }
    for (sa, _) in overlap_matches(a, b, same_label_overlaps) {
        bump(lenient, &sa.label, |c| c.0 += 1);
    }
}

/// Adds one to the confusion cell (A label, B label), allocating only for a new cell.
fn bump_pair(confusion: &mut BTreeMap<String, BTreeMap<String, usize>>, a: &str, b: &str) {
    match confusion.get_mut(a) {
        Some(row) => match row.get_mut(b) {
            Some(n) => *n += 1,
            None => {
                row.insert(b.to_string(), 1);
            }
        },
        None => {
            confusion.insert(a.to_string(), BTreeMap::from([(b.to_string(), 1)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::overlap_pairs::tests::{dense_layers, naive_overlaps};
    use super::*;
    use crate::model::SpanId;
    use crate::synthetic::Lcg;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The overlap matches (and so overlap F1) are those of the quadratic definition.
        #[test]
        fn overlap_matches_equal_the_quadratic_definition((a, b) in dense_layers()) {
            let (ar, br): (Vec<&Span>, Vec<&Span>) = (a.iter().collect(), b.iter().collect());
            let ids = |m: Vec<(&Span, &Span)>| -> Vec<(SpanId, SpanId)> {
                m.into_iter().map(|(x, y)| (x.id(), y.id())).collect()
            };
            prop_assert_eq!(
                ids(overlap_matches(&ar, &br, same_label_overlaps)),
                ids(overlap_matches(&ar, &br, naive_overlaps))
            );
        }
    }

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

    /// The counts table gives exactly the κ figures of the label sequences.
    #[test]
    fn token_table_kappas_equal_those_of_the_label_sequences() {
        let labels: Vec<String> = ["LOCATION", "ACTOR", "EVENT", "COUNT"]
            .map(String::from)
            .to_vec();
        let text =
            "Police in Bannu said 15 militants “attacked” a post near بنوں at dawn 🙂 today. "
                .repeat(4);
        for seed in 0..40 {
            let mut rng = Lcg::new(seed);
            let len = text.chars().count();
            let doc = Document::new("d", "d", text.clone());
            let mut layer = |base: u64, extra: Option<&str>| -> Vec<Span> {
                (0..12)
                    .map(|i| {
                        let s = rng.below(len as u64 - 20) as usize;
                        let e = s + 1 + rng.below(15) as usize;
                        let label = match (extra, rng.below(5)) {
                            (Some(x), 4) => x,
                            (_, k) => labels[k as usize % 4].as_str(),
                        };
                        Span::new(
                            SpanId(base + i),
                            s,
                            e,
                            label,
                            len,
                            jiff::Timestamp::UNIX_EPOCH,
                        )
                        .unwrap()
                    })
                    .collect()
            };
            let a = layer(0, None);
            let b = layer(100, Some("WEAPON"));
            let (ra, rb): (Vec<&Span>, Vec<&Span>) = (a.iter().collect(), b.iter().collect());
            let toks = doc_tokens(&doc, &[ra.clone(), rb.clone()]);
            let (la, lb) = (token_labels(&toks, &ra), token_labels(&toks, &rb));
            let mut names = vec!["O".to_string()];
            names.extend(labels.iter().cloned());
            names.push("WEAPON".into());
            let mut table = TokenTable::new(names);
            table.add(&doc, &ra, &rb);
            let got = table.kappas(&labels);
            assert_eq!(got.overall, cohen_kappa(&la, &lb), "seed {seed}");
            for l in &labels {
                let bin = |v: &[&str]| -> Vec<&str> {
                    v.iter().map(|x| if x == l { "1" } else { "0" }).collect()
                };
                assert_eq!(
                    got.per_label[l],
                    cohen_kappa(&bin(&la), &bin(&lb)),
                    "seed {seed} {l}"
                );
            }
        }
    }
}
