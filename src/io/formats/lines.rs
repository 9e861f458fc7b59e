//! Lines of a line-based import file (CoNLL, JSONL, brat `.ann`), read as a
//! stream so a large file is never held whole: LF, CRLF and CR-only line
//! endings (and mixes) all end a line, a leading UTF-8 byte-order mark is
//! dropped, and a line over [`MAX_LINE_BYTES`] is refused with its number.
//! The line's own text is never changed.

use std::io::BufRead;

use super::imported::ImportError;

/// Longest line a line-based reader accepts (64 MiB): a JSONL line holds a
/// whole document, a CoNLL line one token, so anything longer is not such a
/// file (and reading it whole would exhaust memory).
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Reads lines from `reader`; `shown` names the file in messages.
pub struct Lines<R> {
    reader: R,
    shown: String,
    /// 1-based number of the last line returned.
    number: usize,
    limit: usize,
    done: bool,
}

/// One line: its 1-based number and its text without the line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub text: String,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, shown: impl Into<String>) -> Self {
        Self::with_limit(reader, shown, MAX_LINE_BYTES)
    }

    /// [`Lines::new`] with another line limit (for tests).
    pub fn with_limit(reader: R, shown: impl Into<String>, limit: usize) -> Self {
        Lines {
            reader,
            shown: shown.into(),
            number: 0,
            limit,
            done: false,
        }
    }

    fn at(&self) -> String {
        format!("{} line {}", self.shown, self.number)
    }

    /// The bytes of the next line (without its ending), or `None` at the end.
    fn next_bytes(&mut self) -> Result<Option<Vec<u8>>, ImportError> {
        let mut line = Vec::new();
        let mut any = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ImportError::new(self.at(), e.to_string())),
            };
            if buf.is_empty() {
                return Ok(any.then_some(line));
            }
            any = true;
            let (take, ending) = match memchr::memchr2(b'\n', b'\r', buf) {
                Some(i) => (i, buf.get(i).copied()),
                None => (buf.len(), None),
            };
            if line.len() + take > self.limit {
                return Err(ImportError::new(
                    self.at(),
                    format!(
                        "the line is longer than {}; this is not a line-based file \
                         (or a line break is missing)",
                        shown_size(self.limit)
                    ),
                ));
            }
            line.extend_from_slice(buf.get(..take).unwrap_or_default());
            match ending {
                None => self.reader.consume(take),
                Some(b) => {
                    self.reader.consume(take + 1);
                    if b == b'\r' {
                        self.skip_lf()?;
                    }
                    return Ok(Some(line));
                }
            }
        }
    }

    /// After a CR: a following LF belongs to the same (CRLF) line ending.
    fn skip_lf(&mut self) -> Result<(), ImportError> {
        loop {
            match self.reader.fill_buf() {
                Ok(b) => {
                    if b.first() == Some(&b'\n') {
                        self.reader.consume(1);
                    }
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ImportError::new(self.at(), e.to_string())),
            }
        }
    }

    fn next_line(&mut self) -> Result<Option<Line>, ImportError> {
        self.number += 1;
        let Some(mut bytes) = self.next_bytes()? else {
            return Ok(None);
        };
        if self.number == 1 {
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            } else if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                return Err(ImportError::new(
                    self.at(),
                    "the file starts with a UTF-16 byte-order mark; save it as UTF-8",
                ));
            }
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            ImportError::new(
                self.at(),
                "the file is not valid UTF-8 (was it saved in another encoding?)",
            )
        })?;
        if text.starts_with('\u{FEFF}') {
            return Err(ImportError::new(
                self.at(),
                "the line starts with a byte-order mark (U+FEFF); only the first line \
                 of a file may (were several files joined?)",
            ));
        }
        Ok(Some(Line {
            number: self.number,
            text,
        }))
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Line, ImportError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_line().transpose();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }
}

/// `n` bytes as "64 MiB" (whole MiB) or "5 bytes".
fn shown_size(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// Opens an import file for streaming, refusing one over the import size limit.
pub fn open(
    path: &std::path::Path,
) -> Result<Lines<std::io::BufReader<std::fs::File>>, ImportError> {
    let shown = path.display().to_string();
    let file = super::imported::open_input(path)?;
    Ok(Lines::new(
        std::io::BufReader::with_capacity(1 << 16, file),
        shown,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Vec<String> {
        Lines::new(bytes, "x")
            .map(|l| l.unwrap().text)
            .collect::<Vec<_>>()
    }

    #[test]
    fn every_line_ending_and_mix_ends_a_line_and_text_is_kept() {
        for input in [
            "a “b”\n🙂 c\nبنوں\n",
            "a “b”\r\n🙂 c\r\nبنوں\r\n",
            "a “b”\r🙂 c\rبنوں\r",
            "a “b”\r\n🙂 c\rبنوں",
            "a “b”\r🙂 c\nبنوں\r\n",
            "\u{FEFF}a “b”\n🙂 c\r\nبنوں",
        ] {
            assert_eq!(
                read(input.as_bytes()),
                ["a “b”", "🙂 c", "بنوں"],
                "{input:?}"
            );
        }
        // Blank lines are lines: CR CR is two endings, CR LF one.
        assert_eq!(read(b"a\r\rb\r\n\r\nc"), ["a", "", "b", "", "c"]);
        assert!(read(b"").is_empty());
    }

    #[test]
    fn a_crlf_split_across_reads_is_one_ending() {
        let reader = std::io::BufReader::with_capacity(2, &b"ab\r\ncd\r\n"[..]);
        let got: Vec<String> = Lines::new(reader, "x").map(|l| l.unwrap().text).collect();
        assert_eq!(got, ["ab", "cd"]);
    }

    #[test]
    fn long_lines_boms_and_bad_bytes_are_refused_with_the_line() {
        let err = Lines::with_limit(&b"ok\n0123456789\n"[..], "f.conll", 5)
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("f.conll line 2: the line is longer"),
            "{err}"
        );
        for (bytes, want) in [
            (
                &b"a\n\xEF\xBB\xBFb\n"[..],
                "line 2: the line starts with a byte-order mark",
            ),
            (
                &b"\xFF\xFEa\0"[..],
                "line 1: the file starts with a UTF-16 byte-order mark",
            ),
            (&b"a\n\xC3\n"[..], "line 2: the file is not valid UTF-8"),
        ] {
            let err = Lines::new(bytes, "f")
                .collect::<Result<Vec<_>, _>>()
                .unwrap_err();
            assert!(err.to_string().contains(want), "{err}");
        }
    }
}
