//! One CSV row per span: document (its id, unique in the project), start,
//! end, label, text, note, annotator. Text cells are made safe to open in a
//! spreadsheet unless the options ask for raw cells (see [`super::csv_safe`]).

use std::path::Path;

use super::csv_safe::CellWriter;
use super::{ExportDoc, ExportError, ExportSummary, part_name, write_file};

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    cells: CellWriter,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for (name, docs) in parts {
        let mut w = cells.writer();
        let err = |e: csv::Error| super::ExportError::Io {
            path: out.to_path_buf(),
            error: std::io::Error::other(e),
        };
        w.write_record([
            "document",
            "start",
            "end",
            "label",
            "text",
            "note",
            "annotator",
        ])
        .map_err(err)?;
        for d in docs {
            summary.progress.tick();
            for s in &d.spans {
                let text = d.doc.slice(s.start(), s.end()).unwrap_or_default();
                let (start, end) = (s.start().to_string(), s.end().to_string());
                let record = [
                    cells.cell(&d.doc.id),
                    start.as_str().into(),
                    end.as_str().into(),
                    cells.cell(&s.label),
                    cells.cell(text),
                    cells.cell(s.note()),
                    cells.cell(&summary.layer),
                ];
                w.write_record(record.iter().map(|c| c.as_bytes()))
                    .map_err(err)?;
            }
        }
        let bytes = w.into_inner().map_err(|e| super::ExportError::Io {
            path: out.to_path_buf(),
            error: std::io::Error::other(e.to_string()),
        })?;
        write_file(out, &format!("{}.csv", part_name(name)), &bytes, summary)?;
    }
    Ok(())
}
