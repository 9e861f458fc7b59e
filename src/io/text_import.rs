//! Importing `.txt` files: detect the encoding, decode, and keep the text
//! exactly (CRLF, curly quotes, no normalisation); only a BOM is dropped.

use std::fmt;
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Largest text file imported (512 MiB).
pub const MAX_TEXT_BYTES: u64 = 512 << 20;

/// The encoding a text file was read in, reported to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
    Windows1252,
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16LeBom => "UTF-16LE with BOM",
            TextEncoding::Utf16BeBom => "UTF-16BE with BOM",
            TextEncoding::Windows1252 => "Windows-1252",
        })
    }
}

/// Why a text file was refused.
#[derive(Debug, thiserror::Error)]
pub enum TextImportError {
    // The OS error is in the message, not also a `source` (it would print twice).
    #[error("cannot read {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: the file is too large ({size} bytes); the limit is {MAX_TEXT_BYTES} bytes")]
    TooLarge { path: String, size: u64 },
    #[error("{path}: this looks like a binary file, not text ({reason})")]
    Binary { path: String, reason: String },
    #[error(
        "{path}: the file starts with a {encoding} byte-order mark but is not valid {encoding}"
    )]
    BadUnicode {
        path: String,
        encoding: &'static str,
    },
}

/// A decoded text and the encoding it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    pub text: String,
    pub encoding: TextEncoding,
}

/// Reads and decodes a text file (see [`decode_text`]).
pub fn read_text_file(path: &Path) -> Result<DecodedText, TextImportError> {
    let shown = path.display().to_string();
    let io = |error| TextImportError::Io {
        path: shown.clone(),
        error,
    };
    crate::io::file_kind::ensure_regular_file(path).map_err(io)?;
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_TEXT_BYTES {
        return Err(TextImportError::TooLarge { path: shown, size });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    decode_text(&bytes, &shown)
}

/// Decodes bytes: UTF-8 (BOM optional), UTF-16 LE/BE with BOM, else
/// Windows-1252 when the bytes are not UTF-8. Refuses binary data.
/// `name` is used in messages.
pub fn decode_text(bytes: &[u8], name: &str) -> Result<DecodedText, TextImportError> {
    let binary = |reason: &str| TextImportError::Binary {
        path: name.to_string(),
        reason: reason.to_string(),
    };
    let strict = |enc: &'static Encoding, body: &[u8], label: &'static str| {
        enc.decode_without_bom_handling_and_without_replacement(body)
            .map(|c| c.into_owned())
            .ok_or(TextImportError::BadUnicode {
                path: name.to_string(),
                encoding: label,
            })
    };
    let (text, encoding) = if let Some(body) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (
            strict(encoding_rs::UTF_8, body, "UTF-8")?,
            TextEncoding::Utf8Bom,
        )
    } else if let Some(body) = bytes.strip_prefix(b"\xFF\xFE") {
        (
            strict(UTF_16LE, body, "UTF-16LE")?,
            TextEncoding::Utf16LeBom,
        )
    } else if let Some(body) = bytes.strip_prefix(b"\xFE\xFF") {
        (
            strict(UTF_16BE, body, "UTF-16BE")?,
            TextEncoding::Utf16BeBom,
        )
    } else {
        if bytes.contains(&0) {
            return Err(binary("it contains NUL bytes"));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), TextEncoding::Utf8),
            Err(_) => {
                let (cow, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                (cow.into_owned(), TextEncoding::Windows1252)
            }
        }
    };
    if text.contains('\0') {
        return Err(binary("it contains NUL characters"));
    }
    let controls = text.chars().filter(|&c| is_binary_control(c)).count();
    let total = text.chars().count();
    if total > 0 && controls * 10 > total {
        return Err(binary(&format!(
            "{controls} of its {total} characters are control codes"
        )));
    }
    Ok(DecodedText { text, encoding })
}

/// Control characters that do not occur in ordinary text files.
fn is_binary_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}')
}

/// What happened to one imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedText {
    pub file_name: String,
    pub encoding: TextEncoding,
    pub code_points: usize,
    /// The new document's id, or `None` when the project already holds this text.
    pub added: Option<String>,
    /// The document that already holds this text.
    pub same_as: Option<String>,
}

impl fmt::Display for ImportedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.added, &self.same_as) {
            (Some(id), _) => write!(
                f,
                "{}: {}, {} code points → document {id:?}",
                self.file_name, self.encoding, self.code_points
            ),
            (None, Some(same)) => {
                write!(
                    f,
                    "skipped {} ({}): same text as document {same:?}",
                    self.file_name, self.encoding
                )
            }
            (None, None) => write!(f, "skipped {}", self.file_name),
        }
    }
}

/// Reads every file first (so one bad file adds nothing), then makes documents
/// of those whose text the project does not hold yet. The documents are returned,
/// not added, so the caller can add them as one undoable step.
pub fn documents_from_files(
    project: &crate::model::Project,
    files: &[std::path::PathBuf],
) -> Result<(Vec<crate::model::Document>, Vec<ImportedText>), TextImportError> {
    use crate::model::{Document, fingerprint};
    let mut decoded = Vec::new();
    for f in files {
        decoded.push((f, read_text_file(f)?));
    }
    let mut docs: Vec<Document> = Vec::new();
    let mut report = Vec::new();
    for (path, d) in decoded {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let print = fingerprint(&d.text);
        let code_points = d.text.chars().count();
        let same = project
            .document_by_fingerprint(&print)
            .or_else(|| docs.iter().find(|doc| doc.fingerprint() == print))
            .map(|doc| doc.id.clone());
        if let Some(same) = same {
            report.push(ImportedText {
                file_name,
                encoding: d.encoding,
                code_points,
                added: None,
                same_as: Some(same),
            });
            continue;
        }
        let id =
            project.unique_document_id_besides(&stem, |id| docs.iter().any(|doc| doc.id == id));
        let mut doc = Document::new(id.clone(), stem, d.text);
        doc.source_file = Some(file_name.clone());
        report.push(ImportedText {
            file_name,
            encoding: d.encoding,
            code_points,
            added: Some(id),
            same_as: None,
        });
        docs.push(doc);
    }
    Ok((docs, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_kept_exactly_including_crlf() {
        let d = decode_text("a\r\n’b’ 🙂".as_bytes(), "x").unwrap();
        assert_eq!(d.text, "a\r\n’b’ 🙂");
        assert_eq!(d.encoding, TextEncoding::Utf8);
    }

    #[test]
    fn bom_is_dropped() {
        let d = decode_text(b"\xEF\xBB\xBFhi", "x").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("hi", TextEncoding::Utf8Bom));
        let d = decode_text(b"\xFF\xFEh\0i\0", "x").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("hi", TextEncoding::Utf16LeBom)
        );
        let d = decode_text(b"\xFE\xFF\0h\0i", "x").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding),
            ("hi", TextEncoding::Utf16BeBom)
        );
    }

    #[test]
    fn cp1252_fallback_maps_smart_quotes() {
        let d = decode_text(b"\x93Bannu\x94 caf\xe9", "x").unwrap();
        assert_eq!(d.text, "“Bannu” café");
        assert_eq!(d.encoding, TextEncoding::Windows1252);
    }

    #[test]
    fn binary_is_refused() {
        assert!(matches!(
            decode_text(b"ab\0cd", "x"),
            Err(TextImportError::Binary { .. })
        ));
        let junk: Vec<u8> = (0u8..32)
            .filter(|b| !b"\t\n\r\x0c\0".contains(b))
            .cycle()
            .take(200)
            .collect();
        assert!(matches!(
            decode_text(&junk, "x"),
            Err(TextImportError::Binary { .. })
        ));
        // A lone surrogate in UTF-16 is not text.
        assert!(matches!(
            decode_text(b"\xFF\xFE\x00\xD8", "x"),
            Err(TextImportError::BadUnicode { .. })
        ));
    }
}
