//! The text handed to parley and the way back from its byte offsets to
//! the original's code points and graphemes.

use unicode_segmentation::UnicodeSegmentation;

use super::Direction;
use crate::model::bidi::first_strong;

/// The text parley shapes and the way back to the original's code points.
///
/// parley takes a paragraph's direction from its first strong character;
/// to force another, the shaped text has an invisible mark in front, left
/// out of every result.
pub(super) struct Offsets {
    pub(super) shaped: String,
    /// Byte offset of each character of `shaped`, plus its length.
    shaped_starts: Vec<usize>,
    /// The original code point of each character of `shaped`, or `None`
    /// for an inserted one.
    origin: Vec<Option<usize>>,
    /// The grapheme index of each original code point.
    grapheme: Vec<usize>,
}

const LRM: char = '\u{200E}';
const RLM: char = '\u{200F}';

impl Offsets {
    pub(super) fn new(text: &str, direction: Direction) -> Self {
        let mut shaped = String::with_capacity(text.len() + 3);
        let mut origin = Vec::with_capacity(text.len() + 1);
        if first_strong(text).unwrap_or(Direction::Ltr) != direction {
            shaped.push(if direction.is_rtl() { RLM } else { LRM });
            origin.push(None);
        }
        for (i, c) in text.chars().enumerate() {
            shaped.push(c);
            origin.push(Some(i));
        }
        let mut shaped_starts: Vec<usize> = shaped.char_indices().map(|(i, _)| i).collect();
        shaped_starts.push(shaped.len());
        // Printable ASCII has one grapheme per character (rows hold no
        // line breaks, so no CR LF pair).
        let grapheme = if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            (0..text.len()).collect()
        } else {
            let mut grapheme = Vec::with_capacity(text.len());
            for (g, s) in text.graphemes(true).enumerate() {
                grapheme.extend(std::iter::repeat_n(g, s.chars().count()));
            }
            grapheme
        };
        Offsets {
            shaped,
            shaped_starts,
            origin,
            grapheme,
        }
    }

    pub(super) fn chars(&self) -> usize {
        self.grapheme.len()
    }

    /// The original code points of a byte range of the shaped text, or
    /// `None` when it holds only inserted characters.
    pub(super) fn range(&self, bytes: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        let first = self.shaped_starts.partition_point(|&b| b < bytes.start);
        let last = self.shaped_starts.partition_point(|&b| b < bytes.end);
        let mut originals = self.origin.get(first..last)?.iter().flatten();
        let start = *originals.next()?;
        let end = originals.last().copied().unwrap_or(start) + 1;
        Some(start..end)
    }

    /// The index of the grapheme holding code point `c`.
    pub(super) fn grapheme_of_char(&self, c: usize) -> usize {
        self.grapheme.get(c).copied().unwrap_or(usize::MAX)
    }
}
