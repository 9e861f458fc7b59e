//! Code-point ↔ byte offset conversion for one text without O(n) scans.
//!
//! Offsets that leave the process are code points, but slicing a Rust
//! `String` needs bytes. A checkpoint every [`STRIDE`] code points bounds
//! each conversion to a binary search plus a walk over at most `STRIDE` chars.

use std::ops::Range;

use super::span::CharOffset;

/// Code points between two checkpoints.
const STRIDE: usize = 64;

/// Checkpoint index over one immutable text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextIndex {
    char_len: usize,
    byte_len: usize,
    /// Byte offset of code point `i * STRIDE`; empty when the text is ASCII.
    checkpoints: Vec<usize>,
}

impl TextIndex {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return TextIndex {
                char_len: text.len(),
                byte_len: text.len(),
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut chars = 0usize;
        for (byte, _) in text.char_indices() {
            if chars.is_multiple_of(STRIDE) {
                checkpoints.push(byte);
            }
            chars += 1;
        }
        TextIndex {
            char_len: chars,
            byte_len: text.len(),
            checkpoints,
        }
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    fn is_ascii(&self) -> bool {
        self.char_len == self.byte_len
    }

    /// Byte offset of code point `c` (`c == char_len` gives the text's byte length).
    /// `None` when `c` is past the end.
    pub fn byte_of_char(&self, text: &str, c: CharOffset) -> Option<usize> {
        if c > self.char_len {
            return None;
        }
        if self.is_ascii() {
            return Some(c);
        }
        if c == self.char_len {
            return Some(self.byte_len);
        }
        let base = *self.checkpoints.get(c / STRIDE)?;
        let rest = c % STRIDE;
        text.get(base..)?
            .char_indices()
            .nth(rest)
            .map(|(b, _)| base + b)
    }

    /// Code point at byte offset `b`; `None` unless `b` is a char boundary within the text.
    pub fn char_of_byte(&self, text: &str, b: usize) -> Option<CharOffset> {
        if b > self.byte_len || !text.is_char_boundary(b) {
            return None;
        }
        if self.is_ascii() {
            return Some(b);
        }
        if b == self.byte_len {
            return Some(self.char_len);
        }
        let slot = match self.checkpoints.binary_search(&b) {
            Ok(i) => return Some(i * STRIDE),
            Err(i) => i.checked_sub(1)?,
        };
        let base = self.checkpoints[slot];
        Some(slot * STRIDE + text.get(base..b)?.chars().count())
    }

    /// Byte range of the code points `[start, end)`.
    pub fn byte_range(
        &self,
        text: &str,
        start: CharOffset,
        end: CharOffset,
    ) -> Option<Range<usize>> {
        if start > end || end > self.char_len {
            return None;
        }
        let s = self.byte_of_char(text, start)?;
        // Walk from start when the range is short instead of a second lookup.
        let e = if end - start <= STRIDE {
            let tail = text.get(s..)?;
            let n = end - start;
            if n == 0 {
                s
            } else {
                tail.char_indices()
                    .nth(n)
                    .map_or(self.byte_len, |(i, _)| s + i)
            }
        } else {
            self.byte_of_char(text, end)?
        };
        Some(s..e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_is_identity() {
        let t = "hello";
        let ix = TextIndex::new(t);
        assert_eq!(ix.byte_of_char(t, 5), Some(5));
        assert_eq!(ix.byte_of_char(t, 6), None);
        assert_eq!(ix.char_of_byte(t, 2), Some(2));
    }

    #[test]
    fn astral_emoji_urdu_and_curly_quotes() {
        let t = "a🙂b ’x’ بنوں\r\n";
        let ix = TextIndex::new(t);
        assert_eq!(ix.char_len(), t.chars().count());
        assert_eq!(ix.byte_of_char(t, 1), Some(1));
        assert_eq!(ix.byte_of_char(t, 2), Some(5)); // 🙂 is 4 bytes, 1 code point
        assert_eq!(ix.char_of_byte(t, 5), Some(2));
        assert_eq!(ix.char_of_byte(t, 3), None); // inside the emoji
        let r = ix.byte_range(t, 8, 12).unwrap();
        assert_eq!(&t[r], "بنوں");
    }

    proptest! {
        #[test]
        fn conversions_agree_with_char_indices(s in "\\PC{0,400}") {
            let ix = TextIndex::new(&s);
            let mut bytes: Vec<usize> = s.char_indices().map(|(b, _)| b).collect();
            bytes.push(s.len());
            prop_assert_eq!(ix.char_len(), bytes.len() - 1);
            for (c, &b) in bytes.iter().enumerate() {
                prop_assert_eq!(ix.byte_of_char(&s, c), Some(b));
                prop_assert_eq!(ix.char_of_byte(&s, b), Some(c));
            }
            for c in (0..bytes.len()).step_by(7) {
                for w in [0usize, 1, 3, 70, 200] {
                    let e = (c + w).min(bytes.len() - 1);
                    prop_assert_eq!(ix.byte_range(&s, c, e), Some(bytes[c]..bytes[e]));
                }
            }
        }
    }
}
