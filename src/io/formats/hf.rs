//! Hugging Face datasets folder: one JSONL file per split with `id`,
//! `tokens` and integer `ner_tags`, plus a README.md dataset card whose YAML
//! declares `ner_tags` as a sequence of class labels, so
//! `datasets.load_dataset(folder)` gives the tag names back.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use super::iob::{TagNames, tag_document};
use super::{ExportDoc, ExportError, ExportOptions, ExportSummary, write_file, write_file_with};
use crate::model::Project;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    tokens: &'a [&'a str],
    ner_tags: &'a [usize],
}

/// Hugging Face's usual split names.
fn split_name(name: &str) -> &str {
    match name {
        "" => "train",
        "dev" => "validation",
        other => other,
    }
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub fn write(
    project: &Project,
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    options: &ExportOptions,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    // Numbered by the schema, so the class labels are the same in every export.
    let mut tags = TagNames::new(project.schema.names());
    let mut splits = Vec::new();
    for (name, docs) in parts {
        let split = split_name(name);
        write_file_with(out, &format!("{split}.jsonl"), summary, |w, summary| {
            let mut id = String::new();
            let mut line: Vec<u8> = Vec::new();
            for d in docs {
                summary.progress.tick();
                let mut i = 0;
                let (unit, overlap) = (options.unit, options.overlap);
                tag_document(d, unit, overlap, &mut tags, summary, |words, numbers, _| {
                    id.clear();
                    let _ = write!(id, "{}-{i}", d.doc.id);
                    i += 1;
                    let row = Row {
                        id: &id,
                        tokens: words,
                        ner_tags: numbers,
                    };
                    // One row into a reused buffer, then one write: serde's
                    // many small writes are cheaper into a plain Vec.
                    line.clear();
                    serde_json::to_writer(&mut line, &row)?;
                    line.push(b'\n');
                    w.write_all(&line)
                })?;
            }
            Ok(())
        })?;
        splits.push(split.to_string());
    }
    let names = tags.names();
    let mut card = String::from(
        "---\ndataset_info:\n  features:\n  - name: id\n    dtype: string\n  - name: tokens\n    sequence: string\n  - name: ner_tags\n    sequence:\n      class_label:\n        names:\n",
    );
    for (i, n) in names.iter().enumerate() {
        let _ = writeln!(card, "          '{i}': {}", yaml_string(n));
    }
    card.push_str("configs:\n- config_name: default\n  data_files:\n");
    for s in &splits {
        let _ = writeln!(card, "  - split: {s}\n    path: {s}.jsonl");
    }
    card.push_str("---\n\n# Spanmark export\n\nToken classification data exported by Spanmark: UAX #29 word tokens, IOB2 tags.\n");
    let _ = writeln!(
        card,
        "\nLayer: {}. Tags: {}.",
        summary.layer,
        names.join(", ")
    );
    write_file(out, "README.md", card.as_bytes(), summary)
}
