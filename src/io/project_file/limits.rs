//! A cheap pass over the raw bytes before parsing: UTF-8, nesting depth and
//! string length, so hostile files fail fast with a message that names the
//! limit, and never reach the parser's recursion or allocate huge strings.

use super::LoadError;

/// Deepest nesting of arrays and objects read (a project needs 6).
pub const MAX_NESTING: usize = 64;
/// Longest JSON string read, in bytes as written in the file (64 MiB), for
/// every string but a document's `text`: names, labels, notes, attributes.
/// Document texts are bounded only by the file size limit (1 GiB), so a
/// 100 MB transcript still opens.
pub const MAX_STRING_BYTES: usize = 64 << 20;

/// Is the string opening at `quote` the value of a `"text"` key?
fn is_text_value(bytes: &[u8], quote: usize) -> bool {
    let before = bytes.get(..quote).unwrap_or_default();
    let trimmed = before.trim_ascii_end();
    let Some(rest) = trimmed.strip_suffix(b":") else {
        return false;
    };
    rest.trim_ascii_end().ends_with(b"\"text\"")
}

/// Line and column (1-based; column in characters) of byte `offset`.
pub(super) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Checks the limits; the first problem found is returned.
pub(super) fn scan(bytes: &[u8]) -> Result<(), LoadError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        let (line, column) = line_column(bytes, e.valid_up_to());
        return Err(LoadError::NotUtf8 { line, column });
    }
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let limit = if is_text_value(bytes, i) {
                    usize::MAX
                } else {
                    MAX_STRING_BYTES
                };
                let end = find_string_end(bytes, i + 1);
                let len = end - i - 1;
                if len > limit {
                    let (line, column) = line_column(bytes, i);
                    return Err(LoadError::StringTooLong { line, column, len });
                }
                i = end;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let (line, column) = line_column(bytes, i);
                    return Err(LoadError::TooDeep { line, column });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Index of the quote that closes the string whose contents start at `from`
/// (the length of `bytes` if it is never closed). Jumps between quotes and
/// backslashes with `memchr`, so a long text costs little more than a copy.
fn find_string_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    loop {
        let rest = bytes.get(at..).unwrap_or_default();
        match memchr::memchr2(b'"', b'\\', rest) {
            Some(k) if rest[k] == b'\\' => at += k + 2,
            Some(k) => return at + k,
            None => return bytes.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_found_with_their_position() {
        assert!(scan(br#"{"a": ["x\"]", {"b": 1}]}"#).is_ok());
        let deep = format!("{{\n  \"a\": {}", "[".repeat(10_000));
        match scan(deep.as_bytes()) {
            Err(LoadError::TooDeep { line: 2, column }) => assert_eq!(column, 8 + MAX_NESTING - 1),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            scan(b"{\"a\": \"caf\xe9\"}"),
            Err(LoadError::NotUtf8 {
                line: 1,
                column: 11
            })
        ));
        let long = format!("[\"{}\"]", "x".repeat(MAX_STRING_BYTES + 1));
        assert!(matches!(
            scan(long.as_bytes()),
            Err(LoadError::StringTooLong { line: 1, column: 2, len }) if len == MAX_STRING_BYTES + 1
        ));
        let fits = format!("[\"{}\"]", "x".repeat(MAX_STRING_BYTES));
        assert!(scan(fits.as_bytes()).is_ok());
        // A document text is bounded by the file size only.
        let text = format!("{{\"text\" : \"{}\"}}", "x".repeat(MAX_STRING_BYTES + 1));
        assert!(scan(text.as_bytes()).is_ok());
        let name = format!("{{\"name\": \"{}\"}}", "x".repeat(MAX_STRING_BYTES + 1));
        assert!(scan(name.as_bytes()).is_err());
    }
}
