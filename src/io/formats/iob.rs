//! IOB2 records for CoNLL and Hugging Face: tokens with B-/I-/O tags per
//! sentence (or document), after the overlap policy has removed nesting.
//! Records are handed out one at a time, so an export of a long document
//! streams instead of holding every token.

use std::collections::HashMap;

use super::overlap::{OverlapPolicy, resolve};
use super::{Dropped, ExportDoc, ExportSummary, Unit};
use crate::model::tokens::{sentences, tokens_in};

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
    emit: impl FnMut(&[&'a str], &[usize], &[String]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    tag_document_split(d, unit, policy, tags, summary, PARALLEL_BYTES, emit)
}

/// [`tag_document`], tagging on two threads from `parallel_from` bytes of text.
fn tag_document_split<'a>(
    d: &ExportDoc<'a>,
    unit: Unit,
    policy: OverlapPolicy,
    tags: &mut TagNames,
    summary: &mut ExportSummary,
    parallel_from: usize,
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
    let tagger = Tagger {
        text,
        kept: &kept,
        begin: &begin,
        edges: &edges,
    };
    // A long document's sentences are tagged in two halves side by side:
    // the first streams out as it is tagged, the second waits in a compact
    // buffer (byte ranges and tag numbers) until the first is written.
    let half =
        if ranges.len() >= 2 && text.len() >= parallel_from && u32::try_from(text.len()).is_ok() {
            ranges.len() / 2
        } else {
            ranges.len()
        };
    let (first, second) = ranges.split_at(half);
    let (mut words, mut numbers): (Vec<&'a str>, Vec<usize>) = (Vec::new(), Vec::new());
    let later = std::thread::scope(|scope| {
        let later = (!second.is_empty()).then(|| scope.spawn(|| tagger.buffer(second)));
        let mut next_span = 0;
        for (start, bytes) in first {
            summary.tokens_split += tagger.sentence(start, bytes, &mut next_span, |r, tag| {
                words.push(&text[r]);
                numbers.push(tag);
            });
            if !words.is_empty() {
                emit(&words, &numbers, names)?;
            }
            words.clear();
            numbers.clear();
        }
        Ok::<_, std::io::Error>(later.map(|h| h.join()))
    })?;
    if let Some(joined) = later {
        let buffered = joined.map_err(|_| std::io::Error::other("tagging stopped unexpectedly"))?;
        summary.tokens_split += buffered.splits;
        let mut at = 0;
        for &n in &buffered.lengths {
            for &(a, b, tag) in &buffered.tokens[at..at + n] {
                words.push(&text[a as usize..b as usize]);
                numbers.push(tag as usize);
            }
            at += n;
            emit(&words, &numbers, names)?;
            words.clear();
            numbers.clear();
        }
    }
    Ok(())
}

/// Texts at least this long are tagged on two threads.
const PARALLEL_BYTES: usize = 1 << 20;

/// What tagging a sentence needs: the kept spans and their tag numbers.
struct Tagger<'t, 'a> {
    text: &'a str,
    kept: &'t [&'a crate::model::Span],
    begin: &'t [usize],
    edges: &'t [usize],
}

/// Tagged sentences waiting to be written: token byte ranges with tag
/// numbers, and how many tokens each sentence has. Only used on texts whose
/// byte offsets fit in `u32` (4 GiB), to keep the buffer small.
struct Buffered {
    tokens: Vec<(u32, u32, u32)>,
    lengths: Vec<usize>,
    splits: usize,
}

impl Tagger<'_, '_> {
    /// Tags one sentence (first code point `start`, bytes `bytes`), calling
    /// `each` per token; `next_span` carries the span sweep between calls.
    /// Returns how many words were cut at span edges.
    fn sentence(
        &self,
        start: &usize,
        bytes: &std::ops::Range<usize>,
        next_span: &mut usize,
        mut each: impl FnMut(std::ops::Range<usize>, usize),
    ) -> usize {
        tokens_in(self.text, bytes.clone(), *start, self.edges, |t| {
            while self
                .kept
                .get(*next_span)
                .is_some_and(|s| s.end() <= t.start)
            {
                *next_span += 1;
            }
            let tag = match self.kept.get(*next_span) {
                Some(s) if s.start() <= t.start && t.end <= s.end() => {
                    self.begin[*next_span] + usize::from(s.start() != t.start)
                }
                _ => 0,
            };
            each(t.bytes, tag);
        })
    }

    /// Tags `ranges` into a buffer.
    fn buffer(&self, ranges: &[(usize, std::ops::Range<usize>)]) -> Buffered {
        let mut out = Buffered {
            tokens: Vec::new(),
            lengths: Vec::new(),
            splits: 0,
        };
        let Some((first, _)) = ranges.first() else {
            return out;
        };
        let mut next_span = self.kept.partition_point(|s| s.end() <= *first);
        for (start, bytes) in ranges {
            let before = out.tokens.len();
            out.splits += self.sentence(start, bytes, &mut next_span, |r, tag| {
                out.tokens.push((r.start as u32, r.end as u32, tag as u32));
            });
            if out.tokens.len() > before {
                out.lengths.push(out.tokens.len() - before);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LayerId;

    type Records = Vec<(Vec<String>, Vec<usize>)>;

    fn tag_all(d: &ExportDoc<'_>, parallel_from: usize) -> (Records, usize, usize) {
        let mut tags = TagNames::new(["LOCATION", "ACTOR", "EVENT", "COUNT"].into_iter());
        let mut summary = ExportSummary::default();
        let mut out = Vec::new();
        tag_document_split(
            d,
            Unit::Sentence,
            OverlapPolicy::Outer,
            &mut tags,
            &mut summary,
            parallel_from,
            |w, n, _| {
                out.push((w.iter().map(|s| s.to_string()).collect(), n.to_vec()));
                Ok(())
            },
        )
        .unwrap();
        (out, summary.tokens_split, summary.dropped.len())
    }

    #[test]
    fn tagging_in_two_halves_gives_the_same_records_as_in_one_pass() {
        let project = crate::synthetic::synthetic_project(40_000, 5, true);
        let doc = &project.documents[0];
        let d = ExportDoc::new(doc, &LayerId::Annotator("perf".into()));
        let one = tag_all(&d, usize::MAX);
        let two = tag_all(&d, 0);
        assert!(one.0.len() > 10 && one.0.iter().any(|r| r.1.iter().any(|t| *t > 0)));
        assert_eq!(one, two);
    }
}
