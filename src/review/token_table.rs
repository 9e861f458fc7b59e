//! Token-level labels for agreement: each token of a document (UAX #29
//! words cut at the compared layers' span edges) takes the label of the
//! outermost span covering it, found by one sweep; for two layers the
//! labels are only counted, in a table from which both κ figures follow.

use crate::model::tokens::{tokenize, tokens_in};
use crate::model::{Document, Span};

/// Cohen's kappa over tokens: overall and per label (`None` where undefined).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Kappa {
    pub overall: Option<f64>,
    pub per_label: std::collections::BTreeMap<String, Option<f64>>,
}

/// Token labels of one layer: each token takes the label of the outermost
/// span covering it (earliest start, then longest), else "O".
///
/// One sweep over tokens and spans in text order: spans that have started
/// wait in a min-heap by (start, longest first); a span ending before the
/// current token can cover no later token either (tokens do not overlap), so
/// it leaves the heap for good. O((tokens + spans) log spans).
pub(super) fn token_labels<'a>(tokens: &[(usize, usize)], spans: &[&'a Span]) -> Vec<&'a str> {
    let mut sweep = LabelSweep::new(spans);
    tokens
        .iter()
        .map(|&(ts, te)| sweep.covering(ts, te).map_or("O", |s| s.label.as_str()))
        .collect()
}

/// The sweep behind [`token_labels`], one token at a time (tokens in text order).
struct LabelSweep<'a> {
    sorted: Vec<&'a Span>,
    /// Min-heap of (start, Reverse(end), index into sorted).
    started:
        std::collections::BinaryHeap<std::cmp::Reverse<(usize, std::cmp::Reverse<usize>, usize)>>,
    next: usize,
}

impl<'a> LabelSweep<'a> {
    fn new(spans: &[&'a Span]) -> Self {
        let mut sorted: Vec<&Span> = spans.to_vec();
        sorted.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end())));
        LabelSweep {
            sorted,
            started: Default::default(),
            next: 0,
        }
    }

    /// Index (into `sorted`) of the outermost span covering `[ts, te)`.
    fn covering_index(&mut self, ts: usize, te: usize) -> Option<usize> {
        use std::cmp::Reverse;
        while let Some(s) = self.sorted.get(self.next).filter(|s| s.start() <= ts) {
            self.started
                .push(Reverse((s.start(), Reverse(s.end()), self.next)));
            self.next += 1;
        }
        while let Some(Reverse((_, Reverse(end), _))) = self.started.peek() {
            if *end >= te {
                break;
            }
            self.started.pop();
        }
        self.started.peek().map(|Reverse((_, _, i))| *i)
    }

    fn covering(&mut self, ts: usize, te: usize) -> Option<&'a Span> {
        self.covering_index(ts, te)
            .and_then(|i| self.sorted.get(i).copied())
    }
}

/// Token labels of layers A and B counted together: `counts[a * n + b]` is
/// how many tokens A labels `a` and B labels `b` (label numbers index
/// `names`; 0 is "O"). Both κ figures follow from it, so no label is kept
/// per token.
pub(super) struct TokenTable {
    names: Vec<String>,
    counts: Vec<u64>,
}

impl TokenTable {
    pub(super) fn new(names: Vec<String>) -> Self {
        let n = names.len();
        TokenTable {
            names,
            counts: vec![0; n * n],
        }
    }

    fn id(&self, label: &str) -> usize {
        self.names.iter().position(|n| n == label).unwrap_or(0)
    }

    /// Adds the tokens of `doc`, cut at A's and B's span edges.
    pub(super) fn add(&mut self, doc: &Document, a: &[&Span], b: &[&Span]) {
        let n = self.names.len();
        let mut edges: Vec<usize> = a
            .iter()
            .chain(b)
            .flat_map(|s| [s.start(), s.end()])
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let (mut sa, mut sb) = (LabelSweep::new(a), LabelSweep::new(b));
        let ids_a: Vec<usize> = sa.sorted.iter().map(|s| self.id(&s.label)).collect();
        let ids_b: Vec<usize> = sb.sorted.iter().map(|s| self.id(&s.label)).collect();
        let text = doc.text();
        let counts = &mut self.counts;
        tokens_in(text, 0..text.len(), 0, &edges, |t| {
            let la = sa.covering_index(t.start, t.end).map_or(0, |i| ids_a[i]);
            let lb = sb.covering_index(t.start, t.end).map_or(0, |i| ids_b[i]);
            counts[la * n + lb] += 1;
        });
    }

    /// Cohen's κ from (A, B) label pair counts, computed exactly as
    /// [`super::metrics::cohen_kappa`] does on the label sequences (same sums in the same
    /// order), so the figures are identical.
    fn kappa(total: u64, agree: u64, pairs: &[(&str, u64, u64)]) -> Option<f64> {
        if total == 0 {
            return None;
        }
        let n = total as f64;
        let p_o = agree as f64 / n;
        let mut sorted: Vec<&(&str, u64, u64)> = pairs.iter().filter(|p| p.1 > 0).collect();
        sorted.sort_by(|x, y| x.0.cmp(y.0));
        let chance: f64 = sorted
            .iter()
            .map(|(_, fa, fb)| *fa as f64 / n * *fb as f64 / n)
            .sum();
        if (1.0 - chance).abs() < 1e-12 {
            return None;
        }
        Some((p_o - chance) / (1.0 - chance))
    }

    pub(super) fn kappas(&self, labels: &[String]) -> Kappa {
        let n = self.names.len();
        let row = |a: usize| self.counts[a * n..(a + 1) * n].iter().sum::<u64>();
        let col = |b: usize| (0..n).map(|a| self.counts[a * n + b]).sum::<u64>();
        let total: u64 = self.counts.iter().sum();
        let diag = |k: usize| self.counts[k * n + k];
        let pairs: Vec<(&str, u64, u64)> = (0..n)
            .map(|k| (self.names[k].as_str(), row(k), col(k)))
            .collect();
        let agree: u64 = (0..n).map(diag).sum();
        Kappa {
            overall: Self::kappa(total, agree, &pairs),
            per_label: labels
                .iter()
                .map(|l| {
                    let k = self.id(l);
                    let (r, c, d) = if k == 0 && l != "O" {
                        (0, 0, 0)
                    } else {
                        (row(k), col(k), diag(k))
                    };
                    // One-vs-rest: "1" for this label, "0" for anything else.
                    let both_other = total + d - r - c;
                    let binary = [("0", total - r, total - c), ("1", r, c)];
                    (l.clone(), Self::kappa(total, d + both_other, &binary))
                })
                .collect(),
        }
    }
}

/// Tokens of a document: UAX #29 words without white space, cut at every
/// span edge of every compared layer, so spans cover whole tokens.
pub(super) fn doc_tokens(doc: &Document, layers: &[Vec<&Span>]) -> Vec<(usize, usize)> {
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
