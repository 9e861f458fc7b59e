//! Tokens and sentences for token-based exports (spaCy/Prodigy JSONL, CoNLL,
//! Hugging Face): UAX #29 words, split further at every span edge so each
//! span covers whole tokens, and UAX #29 sentences merged where a span crosses.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::model::CharOffset;

/// One token, in code points of the document text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: CharOffset,
    pub end: CharOffset,
    pub text: String,
    /// Whether a single space follows (spaCy's `whitespace_`).
    pub ws: bool,
}

/// Tokens of `text[range]` (code points), white space dropped, cut at `edges`
/// (sorted span starts and ends). Returns the tokens and how many word tokens
/// had to be split at a span edge.
pub fn tokenize(text: &str, base: CharOffset, edges: &[CharOffset]) -> (Vec<Token>, usize) {
    let mut tokens = Vec::new();
    let mut splits = 0;
    let mut pos = base;
    for seg in text.split_word_bounds() {
        let len = seg.chars().count();
        let (start, end) = (pos, pos + len);
        pos = end;
        if seg.chars().all(char::is_whitespace) {
            if let Some(last) = tokens.last_mut() {
                let last: &mut Token = last;
                if last.end == start && seg.starts_with(' ') {
                    last.ws = true;
                }
            }
            continue;
        }
        // Span edges strictly inside this word cut it.
        let first = edges.partition_point(|e| *e <= start);
        let cuts: Vec<CharOffset> = edges[first..]
            .iter()
            .copied()
            .take_while(|e| *e < end)
            .collect();
        if !cuts.is_empty() {
            splits += 1;
        }
        let mut from = start;
        let chars: Vec<char> = seg.chars().collect();
        for cut in cuts.into_iter().chain(std::iter::once(end)) {
            if cut > from {
                let piece: String = chars[from - start..cut - start].iter().collect();
                tokens.push(Token {
                    start: from,
                    end: cut,
                    text: piece,
                    ws: false,
                });
                from = cut;
            }
        }
    }
    (tokens, splits)
}

/// Sentence ranges (code points) covering the text, merged so that no span in
/// `spans` crosses a boundary. White-space-only sentences are kept (they hold no tokens).
pub fn sentences(text: &str, spans: &[(CharOffset, CharOffset)]) -> Vec<Range<CharOffset>> {
    let mut bounds: Vec<Range<CharOffset>> = Vec::new();
    let mut pos = 0;
    for s in text.split_sentence_bounds() {
        let len = s.chars().count();
        bounds.push(pos..pos + len);
        pos += len;
    }
    // A boundary at b is kept only if no span has start < b < end.
    let mut crossing: Vec<(CharOffset, CharOffset)> = spans.to_vec();
    crossing.sort_unstable();
    let mut merged: Vec<Range<CharOffset>> = Vec::new();
    let mut reach = 0usize; // furthest span end among spans starting before the boundary
    let mut si = 0;
    for r in bounds {
        while si < crossing.len() && crossing[si].0 < r.start {
            reach = reach.max(crossing[si].1);
            si += 1;
        }
        match merged.last_mut() {
            Some(last) if reach > r.start => last.end = r.end,
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<&str> {
        tokens.iter().map(|t| t.text.as_str()).collect()
    }

    #[test]
    fn words_without_white_space_and_split_at_span_edges() {
        let text = "🙂Bannu’s police, 15 militants.";
        let (tokens, splits) = tokenize(text, 0, &[]);
        assert_eq!(
            texts(&tokens),
            ["🙂", "Bannu’s", "police", ",", "15", "militants", "."]
        );
        assert_eq!(splits, 0);
        assert!(!tokens[2].ws && tokens[3].ws);
        // A span "Bannu" (1..6) cuts "Bannu’s".
        let (tokens, splits) = tokenize(text, 0, &[1, 6]);
        assert_eq!(texts(&tokens)[1..4], ["Bannu", "’s", "police"]);
        assert_eq!((tokens[1].start, tokens[1].end), (1, 6));
        assert_eq!(splits, 1);
    }

    #[test]
    fn sentences_merge_where_a_span_crosses() {
        let text = "Police came. They left. Then rain.";
        let plain = sentences(text, &[]);
        assert_eq!(plain.len(), 3);
        // A span from "came" (7) to "They" (17) crosses the first boundary (13).
        let merged = sentences(text, &[(7, 17)]);
        assert_eq!(merged, vec![0..24, 24..34]);
    }
}
