//! Tokens and sentences for token-based exports (spaCy/Prodigy JSONL, CoNLL,
//! Hugging Face) and token agreement: UAX #29 words, split further at every
//! span edge so each span covers whole tokens, and UAX #29 sentences merged
//! where a span crosses.
//!
//! Tokens borrow nothing and allocate nothing: each carries its code-point
//! range (what leaves the process) and its byte range (to slice the text).

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::model::CharOffset;
use crate::model::word_segments::word_segments;

/// One token: code points `start..end` of the document text, and the same
/// range in bytes (for slicing inside the process only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: CharOffset,
    pub end: CharOffset,
    pub bytes: Range<usize>,
}

/// True when a word segment is white space (it holds no token).
pub(crate) fn is_space(seg: &str) -> bool {
    if seg.is_ascii() {
        seg.bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))
    } else {
        seg.chars().all(char::is_whitespace)
    }
}

/// Length of a segment in code points.
pub(crate) fn cp_len(seg: &str) -> usize {
    if seg.is_ascii() {
        seg.len()
    } else {
        seg.chars().count()
    }
}

/// Byte offset (within `seg`) of its code point `n`.
pub(crate) fn byte_of(seg: &str, n: usize) -> usize {
    if seg.is_ascii() {
        n.min(seg.len())
    } else {
        seg.char_indices().nth(n).map_or(seg.len(), |(b, _)| b)
    }
}

/// Calls `each` with the tokens of `text[bytes]`, whose first code point is
/// `base`: white space dropped, words cut at `edges` (sorted span starts and
/// ends, in code points). Returns how many words had to be cut.
pub fn tokens_in(
    text: &str,
    bytes: Range<usize>,
    base: CharOffset,
    edges: &[CharOffset],
    mut each: impl FnMut(Token),
) -> usize {
    let Some(slice) = text.get(bytes.clone()) else {
        return 0;
    };
    let mut splits = 0;
    let mut pos = base;
    let mut next_edge = edges.partition_point(|e| *e <= base);
    for r in word_segments(slice) {
        let seg = &slice[r.clone()];
        let (start, end) = (pos, pos + cp_len(seg));
        pos = end;
        while edges.get(next_edge).is_some_and(|e| *e <= start) {
            next_edge += 1;
        }
        if is_space(seg) {
            continue;
        }
        let b0 = bytes.start + r.start;
        // Span edges strictly inside this word cut it.
        let cuts = edges
            .get(next_edge..)
            .unwrap_or_default()
            .iter()
            .take_while(|e| **e < end);
        let mut from = (start, b0);
        let mut cut_any = false;
        for &cut in cuts {
            let b = b0 + byte_of(seg, cut - start);
            each(Token {
                start: from.0,
                end: cut,
                bytes: from.1..b,
            });
            from = (cut, b);
            cut_any = true;
        }
        splits += usize::from(cut_any);
        each(Token {
            start: from.0,
            end,
            bytes: from.1..b0 + seg.len(),
        });
    }
    splits
}

/// The tokens of all of `text` (first code point `base`) as a list, and how
/// many words were cut (see [`tokens_in`]).
pub fn tokenize(text: &str, base: CharOffset, edges: &[CharOffset]) -> (Vec<Token>, usize) {
    let mut tokens = Vec::new();
    let splits = tokens_in(text, 0..text.len(), base, edges, |t| tokens.push(t));
    (tokens, splits)
}

/// UAX #29 sentences of `text` as code-point ranges covering it, identical
/// to `unicode-segmentation`'s but without running it over all the text
/// (it looks every character up in a table, at about 30 MB/s).
///
/// The text is cut where a space stands between two ASCII letters
/// ("said␣the", "in␣Bannu"). UAX #29 never breaks there (a break needs a
/// sentence terminator, closing punctuation and spaces right before it, or a
/// paragraph separator), and no rule's context crosses such a point: every
/// look-back runs through terminators, closing marks and spaces only, and
/// the look-ahead of rule SB8 stops at the first letter. (A digit would not
/// do: SB8 looks through digits.) So each
/// piece segments on its own exactly as within the whole text, and a piece
/// of ASCII with no `.`, `!`, `?`, CR or LF holds no break at all, which is
/// most pieces.
pub fn sentence_bounds(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    // A long text is done in two halves side by side, cut at a safe point.
    let middle = (text.len() >= 1 << 20)
        .then(|| next_safe_point(bytes, text.len() / 2))
        .flatten();
    let breaks = match middle {
        Some(m) => std::thread::scope(|scope| {
            let second = scope.spawn(|| inner_breaks(text, m, text.len()));
            let mut breaks = inner_breaks(text, 0, m);
            match second.join() {
                Ok(more) => breaks.extend(more),
                Err(_) => breaks.extend(inner_breaks(text, m, text.len())),
            }
            breaks
        }),
        None => inner_breaks(text, 0, text.len()),
    };
    // Byte boundaries to code-point ranges, counting once through the text.
    let mut out = Vec::with_capacity(breaks.len() + 1);
    let (mut prev_byte, mut prev_cp) = (0, 0);
    for b in breaks
        .into_iter()
        .chain((!text.is_empty()).then_some(text.len()))
    {
        let cp = prev_cp + cp_len(&text[prev_byte..b]);
        out.push(Sentence {
            chars: prev_cp..cp,
            bytes: prev_byte..b,
        });
        (prev_byte, prev_cp) = (b, cp);
    }
    out
}

/// The first safe point (see [`sentence_bounds`]) at or after byte `from`:
/// the start of a letter that follows a space that follows a letter.
fn next_safe_point(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from.max(1);
    while let Some(k) = bytes.get(at..).and_then(|rest| memchr::memchr(b' ', rest)) {
        let space = at + k;
        at = space + 1;
        let before = bytes[space - 1];
        let after = bytes.get(space + 1).copied().unwrap_or(0);
        if before.is_ascii_alphabetic() && after.is_ascii_alphabetic() {
            return Some(space + 1);
        }
    }
    None
}

/// Sentence boundaries strictly inside bytes `from..to` (both safe points or
/// the text's ends), as byte offsets.
fn inner_breaks(text: &str, from: usize, to: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut breaks = Vec::new();
    let mut segment = |a: usize, b: usize| {
        let plain = bytes[a..b]
            .iter()
            .all(|c| c.is_ascii() && !matches!(c, b'.' | b'!' | b'?' | b'\r' | b'\n'));
        if !plain && let Some(piece) = text.get(a..b) {
            breaks.extend(
                piece
                    .split_sentence_bound_indices()
                    .map(|(i, _)| a + i)
                    .filter(|&x| x > a),
            );
        }
    };
    let mut piece_start = from;
    let mut at = from;
    while let Some(p) = next_safe_point(&bytes[..to], at + 1) {
        segment(piece_start, p);
        piece_start = p;
        at = p;
    }
    segment(piece_start, to);
    breaks
}

/// A sentence: its code points and the same range in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub chars: Range<CharOffset>,
    pub bytes: Range<usize>,
}

/// Sentence ranges (code points) covering the text, merged so that no span in
/// `spans` crosses a boundary. White-space-only sentences are kept (they hold no tokens).
pub fn sentences(text: &str, spans: &[(CharOffset, CharOffset)]) -> Vec<Sentence> {
    let bounds = sentence_bounds(text);
    // A boundary at b is kept only if no span has start < b < end.
    let mut crossing: Vec<(CharOffset, CharOffset)> = spans.to_vec();
    crossing.sort_unstable();
    let mut merged: Vec<Sentence> = Vec::new();
    let mut reach = 0usize; // furthest span end among spans starting before the boundary
    let mut si = 0;
    for r in bounds {
        while si < crossing.len() && crossing[si].0 < r.chars.start {
            reach = reach.max(crossing[si].1);
            si += 1;
        }
        match merged.last_mut() {
            Some(last) if reach > r.chars.start => {
                last.chars.end = r.chars.end;
                last.bytes.end = r.bytes.end;
            }
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, tokens: &[Token]) -> Vec<&'a str> {
        tokens.iter().map(|t| &text[t.bytes.clone()]).collect()
    }

    #[test]
    fn words_without_white_space_and_split_at_span_edges() {
        let text = "🙂Bannu’s police, 15 militants.";
        let (tokens, splits) = tokenize(text, 0, &[]);
        assert_eq!(
            texts(text, &tokens),
            ["🙂", "Bannu’s", "police", ",", "15", "militants", "."]
        );
        assert_eq!(splits, 0);
        assert_eq!((tokens[1].start, tokens[1].end), (1, 8));
        // A span "Bannu" (1..6) cuts "Bannu’s".
        let (tokens, splits) = tokenize(text, 0, &[1, 6]);
        assert_eq!(texts(text, &tokens)[1..4], ["Bannu", "’s", "police"]);
        assert_eq!((tokens[1].start, tokens[1].end), (1, 6));
        assert_eq!((tokens[2].start, tokens[2].end), (6, 8));
        assert_eq!(splits, 1);
        // A base offset shifts code points, not bytes.
        let (tokens, _) = tokenize("ab cd", 10, &[12, 13]);
        assert_eq!(
            tokens.iter().map(|t| (t.start, t.end)).collect::<Vec<_>>(),
            [(10, 12), (13, 15)]
        );
    }

    #[test]
    fn sentences_merge_where_a_span_crosses() {
        let text = "Police came. They left. Then rain.";
        let plain = sentences(text, &[]);
        assert_eq!(plain.len(), 3);
        // A span from "came" (7) to "They" (17) crosses the first boundary (13).
        let merged: Vec<Range<usize>> = sentences(text, &[(7, 17)])
            .into_iter()
            .map(|s| s.chars)
            .collect();
        assert_eq!(merged, vec![0..24, 24..34]);
        // Bytes and code points differ after a curly quote.
        let s = sentences("“A.” B.", &[]);
        assert_eq!((s[1].chars.clone(), s[1].bytes.clone()), (5..7, 9..11));
    }

    fn reference_sentences(text: &str) -> Vec<Range<CharOffset>> {
        let mut out = Vec::new();
        let mut pos = 0;
        for s in text.split_sentence_bounds() {
            let n = s.chars().count();
            out.push(pos..pos + n);
            pos += n;
        }
        out
    }

    #[test]
    fn sentences_cut_at_safe_points_match_unicode_segmentation() {
        let para =
            "Police came to Bannu. “They left?” No! بنوں میں۔ e.g. 3.5 km.\r\nthe end. said he";
        for text in [
            "",
            "a",
            para,
            &para.repeat(50),
            "etc. and so on. Then x",
            "Mr. Smith said. he",
        ] {
            let got: Vec<Range<usize>> =
                sentence_bounds(text).into_iter().map(|s| s.chars).collect();
            assert_eq!(got, reference_sentences(text), "{text:?}");
            for s in sentence_bounds(text) {
                let by_chars: String = text
                    .chars()
                    .skip(s.chars.start)
                    .take(s.chars.len())
                    .collect();
                assert_eq!(&text[s.bytes.clone()], by_chars);
            }
        }
    }

    #[test]
    fn a_long_text_done_in_two_halves_gives_the_same_sentences() {
        let para = "Police came to Bannu. “They left?” No! بنوں میں۔ e.g. 3.5 km said he.\n";
        let text = para.repeat((1 << 20) / para.len() + 7);
        let got: Vec<Range<usize>> = sentence_bounds(&text)
            .into_iter()
            .map(|s| s.chars)
            .collect();
        assert_eq!(got, reference_sentences(&text));
    }

    proptest::proptest! {
        #[test]
        fn same_sentences_as_unicode_segmentation(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "said ", "the ", "x", " ", "  ", ".", ". ", "! ", "? ", "?", "Police ",
                "e.g. ", "3.5 ", "\n", "\r\n", "\r", "“", "”", "\"", ")", "(", "'",
                "۔", "؟", "بنوں ", "🙂", "。", "\u{2029}", "\u{85}", "etc. ", "a.b ",
                "A", "z", ",", ";", ":", "\t", "\u{301}", "\u{AD}", "Mr. ", "1. ",
                "B ", " C", "3 ", " 4", "U.S. ", "\u{a0}",
            ]), 0..40)
        ) {
            let text: String = parts.concat();
            let got: Vec<Range<usize>> = sentence_bounds(&text).into_iter().map(|s| s.chars).collect();
            proptest::prop_assert_eq!(got, reference_sentences(&text));
        }
    }
}
