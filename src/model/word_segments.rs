//! UAX #29 word segments of a whole text, fast.
//!
//! Exports and token agreement segment every document in full, and
//! `unicode-segmentation` does that at about 40 MB/s, which caps a 100 MB
//! export at several seconds for this step alone. Most text in our corpora is
//! ASCII words between spaces, where UAX #29 reduces to a few rules. So the
//! text is cut into pieces at points where UAX #29 always breaks and where
//! nothing before the point affects what comes after (a space after an ASCII
//! character that is not a space), pure-ASCII pieces are segmented by the
//! rules below, and every other piece by `unicode-segmentation`. The result
//! is identical to `split_word_bound_indices` (a property test checks it on
//! text mixing ASCII with Urdu, curly quotes, emoji, flags and combining marks).

use std::ops::Range;

use unicode_segmentation::{UWordBoundIndices, UnicodeSegmentation};

/// Byte ranges of the UAX #29 word segments of `text`, in order, covering it.
pub fn word_segments(text: &str) -> WordSegments<'_> {
    WordSegments {
        text,
        pos: 0,
        piece_end: 0,
        slow: None,
    }
}

/// Iterator returned by [`word_segments`].
pub struct WordSegments<'a> {
    text: &'a str,
    /// Next byte to segment in the current ASCII piece.
    pos: usize,
    /// End of the current piece.
    piece_end: usize,
    /// A piece with non-ASCII text, segmented by `unicode-segmentation`.
    slow: Option<(usize, UWordBoundIndices<'a>)>,
}

impl Iterator for WordSegments<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.text.as_bytes();
        loop {
            if let Some((base, it)) = &mut self.slow {
                if let Some((i, s)) = it.next() {
                    return Some(*base + i..*base + i + s.len());
                }
                self.slow = None;
            }
            if self.pos < self.piece_end {
                let end = ascii_segment_end(&bytes[..self.piece_end], self.pos);
                let r = self.pos..end;
                self.pos = end;
                return Some(r);
            }
            if self.piece_end >= bytes.len() {
                return None;
            }
            let start = self.piece_end;
            let end = next_piece_end(bytes, start);
            self.piece_end = end;
            self.pos = start;
            if !bytes[start..end].is_ascii() {
                let piece = self.text.get(start..end).unwrap_or_default();
                self.slow = Some((start, piece.split_word_bound_indices()));
                self.pos = end;
            }
        }
    }
}

/// End of the piece starting at `start`: the next space whose previous byte
/// is ASCII and not a space. UAX #29 always breaks before such a space (no
/// rule joins anything but another space to a space on its left, and an
/// ASCII character carries no combining marks), and no rule looks back past
/// it, so each piece segments on its own exactly as within the whole text.
fn next_piece_end(bytes: &[u8], start: usize) -> usize {
    let mut from = start + 1;
    while let Some(k) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr(b' ', rest))
    {
        let p = from + k;
        let before = bytes[p - 1];
        if before.is_ascii() && before != b' ' {
            return p;
        }
        from = p + 1;
    }
    bytes.len()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Underscore,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Digit,
        b'_' => Class::Underscore,
        _ => Class::Other,
    }
}

/// End of the segment starting at `i` in pure-ASCII `b`, by the UAX #29 rules
/// that apply to ASCII: CR×LF (WB3); runs of spaces (WB3d); letters, digits
/// and `_` join (WB5, 8–10, 13a/b); `:` `.` `'` join letters on both sides
/// (WB6/7); `,` `;` `.` `'` join digits on both sides (WB11/12); anything
/// else stands alone (WB3a/b, WB999). Tab is "Other" in UAX #29, not a space.
fn ascii_segment_end(b: &[u8], i: usize) -> usize {
    let c = b[i];
    match c {
        b'\r' => {
            if b.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            }
        }
        b' ' => {
            let mut j = i + 1;
            while b.get(j) == Some(&b' ') {
                j += 1;
            }
            j
        }
        _ if class(c) != Class::Other => {
            let mut j = i + 1;
            while let Some(&x) = b.get(j) {
                if class(x) != Class::Other {
                    j += 1;
                    continue;
                }
                let before = class(b[j - 1]);
                let after = b.get(j + 1).map_or(Class::Other, |&n| class(n));
                let joins = match x {
                    b':' => before == Class::Letter && after == Class::Letter,
                    b'.' | b'\'' => {
                        (before == Class::Letter && after == Class::Letter)
                            || (before == Class::Digit && after == Class::Digit)
                    }
                    b',' | b';' => before == Class::Digit && after == Class::Digit,
                    _ => false,
                };
                if !joins {
                    break;
                }
                j += 2;
            }
            j
        }
        _ => i + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(text: &str) -> Vec<Range<usize>> {
        text.split_word_bound_indices()
            .map(|(i, s)| i..i + s.len())
            .collect()
    }

    #[test]
    fn ascii_rules_and_mixed_text_match_unicode_segmentation() {
        for text in [
            "",
            "Bannu, 15 militants attacked.",
            "e.g. a:b 3.14 1,000,000 it's x_1 _a a_ a. b",
            "  two  spaces\r\n\ttab\n\n end ",
            "“Bannu’s” police 🙂 بنوں میں ۔ 🇵🇰 e\u{301} a\u{200D}b",
            "a1.b 1a.2 3;4 a;b a'b 1'2 a.1 _. 9_9 a,3 3,a a:3",
        ] {
            let got: Vec<Range<usize>> = word_segments(text).collect();
            assert_eq!(got, reference(text), "{text:?}");
        }
    }

    proptest! {
        /// Pure ASCII: the fast rules alone.
        #[test]
        fn ascii_segments_as_unicode_segmentation(
            chars in prop::collection::vec(prop::sample::select(vec![
                'a', 'Z', 'q', '3', '0', '_', ':', '.', '\'', ',', ';', ' ', ' ', ' ', '\t',
                '\r', '\n', '-', '"', '!', '?', '(', '\u{b}', '\u{c}', '@', '#',
            ]), 0..60)
        ) {
            let text: String = chars.into_iter().collect();
            let got: Vec<Range<usize>> = word_segments(&text).collect();
            prop_assert_eq!(got, reference(&text));
        }

        /// Mixed text: pieces go to either path, and their seams must not show.
        #[test]
        fn same_segments_as_unicode_segmentation(
            chars in prop::collection::vec(prop::sample::select(vec![
                'a', 'Z', 'q', '3', '0', '_', ':', '.', '\'', ',', ';', ' ', ' ', ' ', '\t',
                '\r', '\n', '-', '"', '!', '?', '(', '\u{b}', '’', '“', 'ب', 'ں', '۔', '١',
                '🙂', '🇵', '🇰', '\u{301}', '\u{200D}', '\u{AD}', '。', 'é', '\u{3000}',
            ]), 0..60),
            ascii_words in prop::collection::vec("[a-z0-9_.,:;' ]{0,12}", 0..6),
        ) {
            // Long ASCII runs between the rarer non-ASCII characters, as in real text.
            let mut text = String::new();
            for (i, c) in chars.into_iter().enumerate() {
                if let Some(w) = ascii_words.get(i % 7) && i % 3 == 0 {
                    text.push_str(w);
                }
                text.push(c);
            }
            let got: Vec<Range<usize>> = word_segments(&text).collect();
            prop_assert_eq!(got, reference(&text));
        }
    }
}
