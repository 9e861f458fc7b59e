//! IOB2 records for CoNLL and Hugging Face: tokens with B-/I-/O tags per
//! sentence (or document), after the overlap policy has removed nesting.

use super::overlap::{OverlapPolicy, resolve};
use super::tokens::{sentences, tokenize};
use super::{Dropped, ExportDoc, ExportSummary, Unit};

/// One sentence (or document) of tagged tokens.
pub struct TaggedRecord {
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
}

/// Tags one document; dropped spans and token splits go into the summary.
pub fn tag_document(
    d: &ExportDoc<'_>,
    unit: Unit,
    policy: OverlapPolicy,
    summary: &mut ExportSummary,
) -> Vec<TaggedRecord> {
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
    let mut edges: Vec<usize> = kept.iter().flat_map(|s| [s.start(), s.end()]).collect();
    edges.sort_unstable();
    edges.dedup();
    let text = d.doc.text();
    let ranges = match unit {
        Unit::Document => std::iter::once(0..d.doc.char_len()).collect(),
        Unit::Sentence => {
            let spans: Vec<(usize, usize)> = kept.iter().map(|s| (s.start(), s.end())).collect();
            sentences(text, &spans)
        }
    };
    let mut out = Vec::new();
    let mut next_span = 0;
    for r in ranges {
        let Some(slice) = d.doc.slice(r.start, r.end) else {
            continue;
        };
        let (tokens, splits) = tokenize(slice, r.start, &edges);
        summary.tokens_split += splits;
        if tokens.is_empty() {
            continue;
        }
        let mut tags = Vec::with_capacity(tokens.len());
        for t in &tokens {
            while next_span < kept.len() && kept[next_span].end() <= t.start {
                next_span += 1;
            }
            let tag = match kept.get(next_span) {
                Some(s) if s.start() <= t.start && t.end <= s.end() => {
                    if s.start() == t.start {
                        format!("B-{}", s.label)
                    } else {
                        format!("I-{}", s.label)
                    }
                }
                _ => "O".to_string(),
            };
            tags.push(tag);
        }
        out.push(TaggedRecord {
            tokens: tokens.into_iter().map(|t| t.text).collect(),
            tags,
        });
    }
    out
}

/// The IOB2 tag names for a label list: O, B-L1, I-L1, B-L2, …
pub fn tag_names<'a>(labels: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut names = vec!["O".to_string()];
    for l in labels {
        names.push(format!("B-{l}"));
        names.push(format!("I-{l}"));
    }
    names
}
