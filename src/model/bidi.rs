//! Paragraph direction (UAX #9 rules P2 and P3) and the points where a long
//! line may be cut into rows without changing how its characters reorder.
//!
//! The view lays out rows of at most [`super::lines::MAX_ROW_CHARS`] code
//! points. Each row is laid out as its own paragraph with the direction of
//! the whole line forced, so a cut is harmless only where every character
//! keeps the embedding level it has in the whole line. [`cut_keeps_levels`]
//! checks exactly that with a full UAX #9 resolver.

use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo, bidi_class};

/// Which way a paragraph reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    pub fn is_rtl(self) -> bool {
        self == Direction::Rtl
    }

    fn level(self) -> Level {
        match self {
            Direction::Ltr => Level::ltr(),
            Direction::Rtl => Level::rtl(),
        }
    }
}

/// A document's reading direction as the analyst chose it: from the text
/// (`Auto`, per paragraph) or forced for every paragraph.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum DirectionChoice {
    #[default]
    Auto,
    Ltr,
    Rtl,
}

impl DirectionChoice {
    /// The direction of one paragraph under this choice.
    pub fn resolve(self, paragraph: &str) -> Direction {
        match self {
            DirectionChoice::Auto => paragraph_direction(paragraph),
            DirectionChoice::Ltr => Direction::Ltr,
            DirectionChoice::Rtl => Direction::Rtl,
        }
    }
}

/// The direction of the first strong character, skipping isolated text
/// (P2); left to right when there is none (P3).
pub fn paragraph_direction(text: &str) -> Direction {
    first_strong(text).unwrap_or(Direction::Ltr)
}

/// The direction of the first strong character outside isolates, if any.
pub fn first_strong(text: &str) -> Option<Direction> {
    let mut isolates = 0usize;
    for c in text.chars() {
        match bidi_class(c) {
            BidiClass::LRI | BidiClass::RLI | BidiClass::FSI => isolates += 1,
            BidiClass::PDI => isolates = isolates.saturating_sub(1),
            BidiClass::B => return None,
            BidiClass::L if isolates == 0 => return Some(Direction::Ltr),
            BidiClass::R | BidiClass::AL if isolates == 0 => return Some(Direction::Rtl),
            _ => {}
        }
    }
    None
}

/// Whether `c` ends a paragraph for UAX #9 (a cut right after it is always safe).
pub fn is_paragraph_separator(c: char) -> bool {
    bidi_class(c) == BidiClass::B
}

/// Whether laying out `line[..cut]` and `line[cut..]` as separate
/// paragraphs, both with direction `dir`, gives every character the level it
/// has in the whole line. `cut` is a byte offset on a char boundary.
///
/// Trailing white space before the cut is not compared: UAX #9 rule L1
/// resets it at any line end, so a cut there behaves like a line wrap.
pub fn cut_keeps_levels(line: &str, cut: usize, dir: Direction) -> bool {
    if cut == 0 || cut >= line.len() || !line.is_char_boundary(cut) {
        return cut == 0 || cut == line.len();
    }
    if line.is_ascii() && dir == Direction::Ltr {
        return true;
    }
    let whole = ParagraphBidiInfo::new(line, Some(dir.level()));
    let (head, tail) = line.split_at(cut);
    let first = ParagraphBidiInfo::new(head, Some(dir.level()));
    let second = ParagraphBidiInfo::new(tail, Some(dir.level()));
    let trailing_ws = head.len() - head.trim_end().len();
    let compare_head = head.len() - trailing_ws;
    whole.levels[..compare_head] == first.levels[..compare_head]
        && whole.levels[cut..] == second.levels[..]
}

/// Whether `text` has anything that could take a level above 0 in a
/// left-to-right paragraph (right-to-left letters, Arabic digits, explicit
/// formatting); pure left-to-right text skips bidi resolution.
pub fn needs_bidi(text: &str) -> bool {
    !text.is_ascii()
        && text.chars().any(|c| {
            matches!(
                bidi_class(c),
                BidiClass::R
                    | BidiClass::AL
                    | BidiClass::AN
                    | BidiClass::RLE
                    | BidiClass::RLO
                    | BidiClass::RLI
                    | BidiClass::LRE
                    | BidiClass::LRO
                    | BidiClass::LRI
                    | BidiClass::FSI
                    | BidiClass::PDF
                    | BidiClass::PDI
            )
        })
}

/// Embedding levels per byte of `text` laid out as one paragraph (for tests
/// and for checking cuts).
pub fn levels(text: &str, dir: Direction) -> Vec<u8> {
    ParagraphBidiInfo::new(text, Some(dir.level()))
        .levels
        .iter()
        .map(|l| l.number())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_strong_character_decides() {
        assert_eq!(paragraph_direction("Police said: پشاور"), Direction::Ltr);
        assert_eq!(paragraph_direction("پشاور police"), Direction::Rtl);
        // Digits and punctuation are not strong.
        assert_eq!(paragraph_direction("۱۵ عسکریت پسند"), Direction::Rtl);
        assert_eq!(paragraph_direction("15 — ..."), Direction::Ltr);
        assert_eq!(first_strong("15 — ..."), None);
        // Isolated text is skipped (P2).
        assert_eq!(
            paragraph_direction("\u{2067}پشاور\u{2069} police"),
            Direction::Ltr
        );
        assert_eq!(paragraph_direction(""), Direction::Ltr);
    }

    #[test]
    fn a_cut_between_sentences_of_the_base_direction_keeps_levels() {
        let line = "Police said the road was closed. The attack on پشاور happened at 9.";
        let cut = line.find("The").unwrap_or(0);
        assert!(cut_keeps_levels(line, cut, Direction::Ltr));
    }

    #[test]
    fn a_cut_that_changes_a_number_level_is_refused() {
        // "12" after Urdu in an LTR paragraph is a European number at level
        // 2; cut just before it and the new row's start makes it level 0.
        let line = "police in پشاور 12 apples";
        let cut = line.find("12").unwrap_or(0);
        let whole = levels(line, Direction::Ltr);
        let tail = levels(&line[cut..], Direction::Ltr);
        assert_ne!(
            &whole[cut..],
            &tail[..],
            "the fixture must exercise a change"
        );
        assert!(!cut_keeps_levels(line, cut, Direction::Ltr));
    }
}
