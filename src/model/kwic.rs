//! Keyword in context: a match with a few words either side, for lists
//! where an analyst checks each occurrence before labelling it ("Label N
//! matches as …"). Display text only; the match keeps its exact offsets.

use std::ops::Range;

use super::document::{Document, LayerId};
use super::span::{CharOffset, Span};
use super::words::{next_word_start, prev_word_start};

/// Most code points shown on either side, whatever the words.
const MAX_SIDE: usize = 60;

/// One match in context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kwic {
    pub left: String,
    pub hit: String,
    pub right: String,
}

/// Line breaks and tabs read as one line in a list; nothing else changes.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\r' | '\n' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect()
}

/// `range` of `doc` with up to `words` words either side.
pub fn kwic(doc: &Document, range: &Range<CharOffset>, words: usize) -> Kwic {
    let len = doc.char_len();
    let (start, end) = (range.start.min(len), range.end.min(len));
    let mut left = start;
    for _ in 0..words {
        left = prev_word_start(doc, left);
    }
    let left = left.max(start.saturating_sub(MAX_SIDE));
    let mut right = end;
    for _ in 0..words {
        right = next_word_start(doc, right);
    }
    // Up to the end of the last word taken, not the start of the next one.
    let right = right.min(end + MAX_SIDE).min(len);
    let slice = |a: usize, b: usize| one_line(doc.slice(a, b).unwrap_or(""));
    Kwic {
        left: slice(left, start),
        hit: slice(start, end),
        right: slice(end, right).trim_end().to_string(),
    }
}

/// A span of `label` in `layer` of `doc` that already covers `range` (the
/// same range, or a longer one around it): labelling the match again would
/// nest a span inside one of its own kind, which is rarely meant.
pub fn covered_by_same_label<'d>(
    doc: &'d Document,
    layer: &LayerId,
    range: &Range<CharOffset>,
    label: &str,
) -> Option<&'d Span> {
    doc.layer(layer)?
        .overlapping(range.start, range.end)
        .into_iter()
        .filter(|s| s.label == label && s.start() <= range.start && range.end <= s.end())
        .min_by_key(|s| s.end() - s.start())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    const TEXT: &str =
        "Security forces said Fitna al-Khawarij fighters fled.\nThe “Khawarij” 🙂 left Bannu.";

    fn cp(needle: &str) -> Range<usize> {
        let b = TEXT.find(needle).unwrap();
        let s = TEXT[..b].chars().count();
        s..s + needle.chars().count()
    }

    #[test]
    fn context_is_a_few_words_either_side_on_one_line() {
        let doc = Document::new("d", "d", TEXT.to_string());
        let k = kwic(&doc, &cp("fled"), 2);
        assert_eq!(k.hit, "fled");
        assert!(k.left.ends_with("fighters "), "{k:?}");
        assert!(!k.right.contains('\n'));
        let k = kwic(&doc, &cp("Khawarij”"), 1);
        assert_eq!(k.hit, "Khawarij”");
        assert!(k.right.starts_with(" 🙂"), "{k:?}");
    }

    #[test]
    fn a_match_inside_a_span_of_the_same_label_is_found() {
        let mut doc = Document::new("d", "d", TEXT.to_string());
        let layer = LayerId::Annotator("a".into());
        let outer = cp("Fitna al-Khawarij");
        let span = Span::new(
            super::super::SpanId(1),
            outer.start,
            outer.end,
            "ACTOR",
            doc.char_len(),
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        doc.layer_mut(&layer).insert(span).unwrap();
        let inner = cp("Khawarij fighters");
        let inner = inner.start..inner.start + "Khawarij".len();
        assert!(covered_by_same_label(&doc, &layer, &inner, "ACTOR").is_some());
        assert!(covered_by_same_label(&doc, &layer, &inner, "LOCATION").is_none());
        assert!(covered_by_same_label(&doc, &layer, &cp("Bannu"), "ACTOR").is_none());
    }
}
