//! IOB2 records for CoNLL and Hugging Face: tokens with B-/I-/O tags per
//! sentence (or document), after the overlap policy has removed nesting.
//! Records are handed out one at a time, so an export of a long document
//! streams instead of holding every token.

use std::collections::HashMap;

use super::overlap::{OverlapPolicy, resolve};
use super::tokens::{sentences, tokens_in};
use super::{Dropped, ExportDoc, ExportSummary, Unit};

/// IOB2 tag names, numbered: 0 is `O`, then `B-L`, `I-L` for each label in
/// schema order. A label met that is not in the list is added at the end.
pub struct TagNames {
    names: Vec<String>,
    /// Label → number of its `B-` tag (its `I-` tag is the next number).
    begin: HashMap<String, usize>,
}

impl TagNames {
    pub fn new<'a>(labels: impl Iterator<Item = &'a str>) -> Self {
        let mut t = TagNames {
            names: vec!["O".to_string()],
            begin: HashMap::new(),
        };
        for l in labels {
            t.begin_of(l);
        }
        t
    }

    /// Number of the `B-` tag of `label`.
    pub fn begin_of(&mut self, label: &str) -> usize {
        if let Some(&b) = self.begin.get(label) {
            return b;
        }
        let b = self.names.len();
        self.names.push(format!("B-{label}"));
        self.names.push(format!("I-{label}"));
        self.begin.insert(label.to_string(), b);
        b
    }

    /// All tag names, indexed by tag number.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// Tags one document, calling `emit` with each sentence's (or the
/// document's) token texts, their tag numbers, and the tag names; dropped
/// spans and token splits go into the summary.
pub fn tag_document<'a>(
    d: &ExportDoc<'a>,
    unit: Unit,
    policy: OverlapPolicy,
    tags: &mut TagNames,
    summary: &mut ExportSummary,
    mut emit: impl FnMut(&[&'a str], &[usize], &[String]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let (kept, dropped) = resolve(&d.spans, policy);
    for s in dropped {
        summary.dropped.push(Dropped::new(
            d.doc,
            s,
            "overlaps a span that was kept (IOB2 cannot nest)",
        ));
    }
    // A span of only white space holds no tokens.
    for s in &kept {
        if d.doc
            .slice(s.start(), s.end())
            .is_some_and(|t| t.chars().all(char::is_whitespace))
        {
            summary.dropped.push(Dropped::new(
                d.doc,
                s,
                "covers only white space, which has no tokens",
            ));
        }
    }
    let begin: Vec<usize> = kept.iter().map(|s| tags.begin_of(&s.label)).collect();
    let names = tags.names();
    let mut edges: Vec<usize> = kept.iter().flat_map(|s| [s.start(), s.end()]).collect();
    edges.sort_unstable();
    edges.dedup();
    let text: &'a str = d.doc.text();
    let ranges: Vec<(usize, std::ops::Range<usize>)> = match unit {
        Unit::Document => vec![(0, 0..text.len())],
        Unit::Sentence => {
            let spans: Vec<(usize, usize)> = kept.iter().map(|s| (s.start(), s.end())).collect();
            sentences(text, &spans)
                .into_iter()
                .map(|s| (s.chars.start, s.bytes))
                .collect()
        }
    };
    let mut next_span = 0;
    let (mut words, mut numbers): (Vec<&'a str>, Vec<usize>) = (Vec::new(), Vec::new());
    for (first, bytes) in ranges {
        summary.tokens_split += tokens_in(text, bytes, first, &edges, |t| {
            while kept.get(next_span).is_some_and(|s| s.end() <= t.start) {
                next_span += 1;
            }
            let tag = match kept.get(next_span) {
                Some(s) if s.start() <= t.start && t.end <= s.end() => {
                    begin[next_span] + usize::from(s.start() != t.start)
                }
                _ => 0,
            };
            words.push(&text[t.bytes]);
            numbers.push(tag);
        });
        if !words.is_empty() {
            emit(&words, &numbers, names)?;
        }
        words.clear();
        numbers.clear();
    }
    Ok(())
}
