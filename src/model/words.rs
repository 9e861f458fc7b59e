//! Word boundaries (UAX #29) around a position, for snapping selections to
//! whole words, double-click selection and word-wise cursor movement.
//!
//! Segmentation runs on a small window around the position, never on the
//! whole text: UAX #29 always breaks between white space and a letter, so a
//! window that starts and ends at white space segments exactly as the full text.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::document::Document;
use super::span::CharOffset;

/// How far (in code points) to look for white space around a position.
const WINDOW: usize = 512;

/// A run of text with its first code point's offset.
struct Window<'a> {
    start: CharOffset,
    text: &'a str,
}

/// The text from the last white space before `a` to the first after `b` (bounded by [`WINDOW`]).
fn window(doc: &Document, a: CharOffset, b: CharOffset) -> Option<Window<'_>> {
    let text = doc.text();
    let (ba, bb) = (doc.byte_of_char(a)?, doc.byte_of_char(b)?);
    let mut start = a;
    let mut start_byte = ba;
    for (i, c) in text[..ba].char_indices().rev().take(WINDOW) {
        if c.is_whitespace() {
            break;
        }
        start -= 1;
        start_byte = i;
    }
    let end_byte = text[bb..]
        .char_indices()
        .take(WINDOW)
        .find(|(_, c)| c.is_whitespace())
        .map_or_else(
            || {
                doc.byte_of_char((b + WINDOW).min(doc.char_len()))
                    .unwrap_or(text.len())
            },
            |(i, _)| bb + i,
        );
    Some(Window {
        start,
        text: &text[start_byte..end_byte.max(bb)],
    })
}

/// UAX #29 segments of the window as code-point ranges, with whether each is a word.
fn segments(w: &Window<'_>) -> impl Iterator<Item = (Range<CharOffset>, bool)> {
    let mut pos = w.start;
    w.text.split_word_bounds().map(move |seg| {
        let len = seg.chars().count();
        let range = pos..pos + len;
        pos += len;
        (range, seg.chars().any(char::is_alphanumeric))
    })
}

fn is_space_at(doc: &Document, pos: CharOffset) -> bool {
    doc.slice(pos, pos + 1)
        .is_some_and(|s| s.chars().all(char::is_whitespace))
}

/// Trims white space from both ends of `[a, b)`; `None` if nothing is left.
pub fn trim(doc: &Document, mut a: CharOffset, mut b: CharOffset) -> Option<Range<CharOffset>> {
    b = b.min(doc.char_len());
    while a < b && is_space_at(doc, a) {
        a += 1;
    }
    while b > a && is_space_at(doc, b - 1) {
        b -= 1;
    }
    (a < b).then_some(a..b)
}

/// Grows `[a, b)` outward to whole words and trims white space at the ends.
/// A selection that starts or ends inside a word takes in the whole word.
pub fn snap_to_words(doc: &Document, a: CharOffset, b: CharOffset) -> Option<Range<CharOffset>> {
    let r = trim(doc, a, b)?;
    let (mut a, mut b) = (r.start, r.end);
    if let Some(w) = window(doc, a, a + 1)
        && let Some((seg, true)) = segments(&w).find(|(s, _)| s.contains(&a))
    {
        a = seg.start;
    }
    if let Some(w) = window(doc, b - 1, b)
        && let Some((seg, true)) = segments(&w).find(|(s, _)| s.contains(&(b - 1)))
    {
        b = seg.end;
    }
    Some(a..b)
}

/// The word at `pos` (for double-click); `None` on white space.
/// Punctuation and symbols count as one-character "words" here.
pub fn word_at(doc: &Document, pos: CharOffset) -> Option<Range<CharOffset>> {
    if pos >= doc.char_len() || is_space_at(doc, pos) {
        return None;
    }
    let w = window(doc, pos, pos + 1)?;
    segments(&w).find(|(s, _)| s.contains(&pos)).map(|(s, _)| s)
}

/// Start of the next word after `pos`, or the end of the text.
pub fn next_word_start(doc: &Document, pos: CharOffset) -> CharOffset {
    let len = doc.char_len();
    let mut p = pos;
    while p < len {
        let Some(w) = window(doc, p, p + 1) else {
            break;
        };
        if let Some((seg, _)) = segments(&w).find(|(s, is_word)| *is_word && s.start > pos) {
            return seg.start;
        }
        p = (w.start + w.text.chars().count()).max(p + 1);
    }
    len
}

/// Start of the word before `pos`, or 0.
pub fn prev_word_start(doc: &Document, pos: CharOffset) -> CharOffset {
    let mut p = pos.min(doc.char_len());
    while p > 0 {
        let Some(w) = window(doc, p - 1, p) else {
            break;
        };
        if let Some((seg, _)) = segments(&w)
            .filter(|(s, is_word)| *is_word && s.start < pos)
            .last()
        {
            return seg.start;
        }
        p = w.start.min(p - 1);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(t: &str) -> Document {
        Document::new("d", "d", t.to_string())
    }

    fn snap(t: &str, a: usize, b: usize) -> Option<String> {
        let d = doc(t);
        snap_to_words(&d, a, b).map(|r| d.slice(r.start, r.end).unwrap().to_string())
    }

    #[test]
    fn snaps_partial_words_outward_and_trims_space() {
        let t = "terrorists attempted to abduct an official";
        assert_eq!(snap(t, 13, 25).as_deref(), Some("attempted to abduct"));
        assert_eq!(snap(t, 10, 21).as_deref(), Some("attempted"));
        assert_eq!(snap(t, 10, 11), None);
    }

    #[test]
    fn word_right_after_an_emoji() {
        // 🙂 is one code point: "Bannu" starts at 1.
        let t = "🙂Bannu 🙂 Karak";
        assert_eq!(snap(t, 2, 4).as_deref(), Some("Bannu"));
        let d = doc(t);
        assert_eq!(snap_to_words(&d, 2, 4), Some(1..6));
        assert_eq!(word_at(&d, 10), Some(9..14));
    }

    #[test]
    fn curly_quotes_and_urdu() {
        let t = "“Bannu” police’s report; بنوں میں حملہ";
        assert_eq!(snap(t, 2, 3).as_deref(), Some("Bannu"));
        let d = doc(t);
        let urdu = t.chars().position(|c| c == 'ب').unwrap();
        assert_eq!(snap(t, urdu + 1, urdu + 2).as_deref(), Some("بنوں"));
        assert_eq!(
            word_at(&d, urdu + 6).map(|r| d.slice(r.start, r.end).unwrap()),
            Some("میں")
        );
    }

    #[test]
    fn word_navigation() {
        let d = doc("one, two  three");
        assert_eq!(next_word_start(&d, 0), 5);
        assert_eq!(next_word_start(&d, 5), 10);
        assert_eq!(next_word_start(&d, 10), 15);
        assert_eq!(prev_word_start(&d, 15), 10);
        assert_eq!(prev_word_start(&d, 10), 5);
        assert_eq!(prev_word_start(&d, 6), 5);
        assert_eq!(prev_word_start(&d, 5), 0);
    }
}
