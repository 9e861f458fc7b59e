//! doccano sequence-labelling JSONL: `{"text": …, "label": [[start, end, "LABEL"], …]}`,
//! offsets in code points (doccano is Python). Nested spans are kept.

use std::path::Path;

use serde_json::json;

use super::{ExportDoc, ExportError, ExportSummary, part_name, write_file};

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for (name, docs) in parts {
        let mut buf = Vec::new();
        for d in docs {
            let labels: Vec<_> = d
                .spans
                .iter()
                .map(|s| json!([s.start(), s.end(), s.label]))
                .collect();
            let line = json!({"text": d.doc.text(), "label": labels});
            serde_json::to_writer(&mut buf, &line)
                .map_err(std::io::Error::other)
                .map_err(super::io_err(out))?;
            buf.push(b'\n');
        }
        write_file(
            out,
            &format!("{}.doccano.jsonl", part_name(name)),
            &buf,
            summary,
        )?;
    }
    Ok(())
}
