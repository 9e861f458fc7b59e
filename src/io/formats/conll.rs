//! CoNLL IOB2: `token<TAB>tag` lines, a blank line between sentences, and a
//! `-DOCSTART-` line before each document. Nested spans are resolved by the
//! overlap policy; the summary lists what was dropped.

use std::fmt::Write as _;
use std::path::Path;

use super::iob::tag_document;
use super::{ExportDoc, ExportError, ExportOptions, ExportSummary, part_name, write_file};

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    options: &ExportOptions,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for (name, docs) in parts {
        let mut buf = String::new();
        for d in docs {
            buf.push_str("-DOCSTART-\tO\n\n");
            for record in tag_document(d, options.unit, options.overlap, summary) {
                for (token, tag) in record.tokens.iter().zip(&record.tags) {
                    let _ = writeln!(buf, "{token}\t{tag}");
                }
                buf.push('\n');
            }
        }
        write_file(
            out,
            &format!("{}.conll", part_name(name)),
            buf.as_bytes(),
            summary,
        )?;
    }
    Ok(())
}
