//! Display rows of a document: lines without their terminators, with very
//! long lines cut into chunks, so a view lays out only the rows it shows and
//! a 1 MB line with no breaks costs no more than a short one.
//!
//! Each row carries its line's reading direction (UAX #9 P2/P3), and a long
//! line is cut where the cut changes no character's bidi level: after a
//! paragraph separator, else after white space with text of the line's
//! direction on both sides (see [`super::bidi`]).

use std::ops::Range;

use super::bidi::{Direction, is_paragraph_separator, levels, needs_bidi, paragraph_direction};
use super::document::Document;
use super::span::CharOffset;

/// Longest row in code points; longer lines are cut, preferably after white space.
pub const MAX_ROW_CHARS: usize = 1000;
/// How far back from the limit to look for white space to cut at.
const CUT_SEARCH: usize = 200;

/// One display row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// First code point of the row.
    pub start: CharOffset,
    /// Code points shown (the line terminator is not part of the row).
    pub len: CharOffset,
    /// Byte offset of `start` (for slicing inside the process).
    pub byte: usize,
    /// Byte length of the shown text.
    pub byte_len: usize,
    /// The whole line reads right to left (every chunk of a cut line shares it).
    pub rtl: bool,
    /// Byte offset and length of the whole line this row is part of (the
    /// row itself unless the line was cut): its bidi levels are the line's.
    pub line_byte: usize,
    pub line_byte_len: usize,
}

impl Row {
    pub fn chars(&self) -> Range<CharOffset> {
        self.start..self.start + self.len
    }
    pub fn bytes(&self) -> Range<usize> {
        self.byte..self.byte + self.byte_len
    }
    /// The bytes of the whole line this row is part of.
    pub fn line_bytes(&self) -> Range<usize> {
        self.line_byte..self.line_byte + self.line_byte_len
    }
    /// Whether the row is a piece of a longer line.
    pub fn is_cut(&self) -> bool {
        self.byte_len < self.line_byte_len
    }
}

/// All rows of one document, in order.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    rows: Vec<Row>,
}

impl LineIndex {
    /// Splits at `\n` (a preceding `\r` is part of the terminator) and cuts long lines.
    pub fn new(doc: &Document) -> Self {
        let text = doc.text();
        let mut rows = Vec::new();
        let mut line_byte = 0usize;
        let mut line_char = 0usize;
        loop {
            let nl = text[line_byte..].find('\n').map(|i| line_byte + i);
            let content_end = match nl {
                Some(i) if i > line_byte && text.as_bytes()[i - 1] == b'\r' => i - 1,
                Some(i) => i,
                None => text.len(),
            };
            let content = &text[line_byte..content_end];
            let content_chars = if content.is_ascii() {
                content.len()
            } else {
                content.chars().count()
            };
            push_line(&mut rows, content, line_char, line_byte, content_chars);
            let Some(nl) = nl else { break };
            line_char += content_chars + (nl + 1 - content_end);
            line_byte = nl + 1;
        }
        LineIndex { rows }
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Index of the row that holds code point `pos` (a terminator belongs to the row before it).
    pub fn row_of(&self, pos: CharOffset) -> usize {
        self.rows
            .partition_point(|r| r.start <= pos)
            .saturating_sub(1)
    }
}

/// `range` grown to the starts and ends of the lines it touches, without
/// their terminators (`\n` or `\r\n`), so a picture or an excerpt shows
/// whole lines. Scans only those lines, not the document.
pub fn whole_lines(doc: &Document, range: Range<CharOffset>) -> Range<CharOffset> {
    let text = doc.text();
    let clamp = |c: CharOffset| {
        doc.byte_of_char(c.min(doc.char_len()))
            .unwrap_or(text.len())
    };
    let (from, to) = (clamp(range.start), clamp(range.end.max(range.start)));
    let start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let mut end = text[to..].find('\n').map_or(text.len(), |i| to + i);
    if end < text.len() && end > start && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    let of = |b: usize| doc.char_of_byte(b).unwrap_or(doc.char_len());
    of(start)..of(end.max(start))
}

/// Pushes one line as one or more rows of at most [`MAX_ROW_CHARS`].
fn push_line(rows: &mut Vec<Row>, content: &str, start: CharOffset, byte: usize, chars: usize) {
    let direction = if content.is_ascii() {
        Direction::Ltr
    } else {
        paragraph_direction(content)
    };
    let rtl = direction.is_rtl();
    if chars <= MAX_ROW_CHARS {
        rows.push(Row {
            start,
            len: chars,
            byte,
            byte_len: content.len(),
            rtl,
            line_byte: byte,
            line_byte_len: content.len(),
        });
        return;
    }
    // Levels of the whole line, when it has any that are not 0.
    let line_levels: Option<Vec<u8>> =
        (rtl || needs_bidi(content)).then(|| levels(content, direction));
    let base = u8::from(rtl);
    let line_start_byte = byte;
    let mut rest = content;
    let (mut start, mut byte) = (start, byte);
    while !rest.is_empty() {
        // Byte offsets of the first MAX_ROW_CHARS + 1 chars.
        let cut_points: Vec<usize> = rest
            .char_indices()
            .map(|(i, _)| i)
            .take(MAX_ROW_CHARS + 1)
            .collect();
        let (cut_byte, cut_chars) = if cut_points.len() <= MAX_ROW_CHARS {
            (rest.len(), cut_points.len())
        } else {
            let char_at = |k: usize| rest[cut_points[k - 1]..cut_points[k]].chars().next();
            // Whether cutting before char k keeps every level: the line's
            // direction on both sides of it (a cut like a line wrap there).
            let keeps_levels = |k: usize| match &line_levels {
                None => true,
                Some(lv) => {
                    let at = byte - line_start_byte + cut_points[k];
                    let before = byte - line_start_byte + cut_points[k - 1];
                    lv[before] == base && lv.get(at).is_none_or(|l| *l == base)
                }
            };
            let window = || (MAX_ROW_CHARS - CUT_SEARCH..MAX_ROW_CHARS).rev();
            // A paragraph separator first, then white space that keeps
            // levels, then any white space, then the limit.
            let k = window()
                .find(|&k| char_at(k).is_some_and(is_paragraph_separator))
                .or_else(|| {
                    window()
                        .find(|&k| char_at(k).is_some_and(char::is_whitespace) && keeps_levels(k))
                })
                .or_else(|| window().find(|&k| char_at(k).is_some_and(char::is_whitespace)))
                .unwrap_or(MAX_ROW_CHARS);
            (cut_points[k], k)
        };
        rows.push(Row {
            start,
            len: cut_chars,
            byte,
            byte_len: cut_byte,
            rtl,
            line_byte: line_start_byte,
            line_byte_len: content.len(),
        });
        start += cut_chars;
        byte += cut_byte;
        rest = &rest[cut_byte..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_grows_to_its_whole_lines() {
        let whole =
            |t: &str, r: Range<CharOffset>| whole_lines(&Document::new("d", "d", t.to_string()), r);
        let t = "one\ntwo words\nthree";
        assert_eq!(whole(t, 5..6), 4..13);
        assert_eq!(whole(t, 1..6), 0..13);
        assert_eq!(whole(t, 15..16), 14..19);
        assert_eq!(whole(t, 0..0), 0..3);
        assert_eq!(whole(t, 0..3), 0..3);
        // Code points, not bytes; a CRLF terminator stays outside.
        let t = "“پشاور” 🇵🇰\r\nنیا سطر\r\nend";
        assert_eq!(whole(t, 1..2), 0..10);
        assert_eq!(whole(t, 13..14), 12..19);
        assert_eq!(whole(t, 22..22), 21..24);
    }

    fn rows(t: &str) -> Vec<String> {
        let d = Document::new("d", "d", t.to_string());
        let ix = LineIndex::new(&d);
        ix.rows()
            .iter()
            .map(|r| {
                assert_eq!(d.slice(r.start, r.start + r.len).unwrap(), &t[r.bytes()]);
                t[r.bytes()].to_string()
            })
            .collect()
    }

    #[test]
    fn splits_lines_and_drops_terminators() {
        assert_eq!(rows("a\r\n🙂b\n\nc"), ["a", "🙂b", "", "c"]);
        assert_eq!(rows("x\n"), ["x", ""]);
        assert_eq!(rows(""), [""]);
        let d = Document::new("d", "d", "a\r\n🙂b\n\nc".to_string());
        let ix = LineIndex::new(&d);
        assert_eq!(ix.rows()[1].start, 3);
        assert_eq!(ix.row_of(0), 0);
        assert_eq!(ix.row_of(2), 0); // the \n of "\r\n" belongs to row 0
        assert_eq!(ix.row_of(4), 1);
        assert_eq!(ix.row_of(7), 3);
    }

    #[test]
    fn long_lines_are_cut_near_white_space() {
        let word = "بنوں ";
        let line = word.repeat(700); // 3500 code points, no line break
        let r = rows(&line);
        assert!(r.len() >= 4);
        assert!(r.iter().all(|row| row.chars().count() <= MAX_ROW_CHARS));
        assert!(
            r[..r.len() - 1].iter().all(|row| row.ends_with(' ')),
            "cut after white space"
        );
        assert_eq!(r.concat(), line);
        let solid = "x".repeat(2500);
        assert_eq!(
            rows(&solid).iter().map(String::len).collect::<Vec<_>>(),
            [1000, 1000, 500]
        );
    }
}
