//! Hugging Face datasets folder: one JSONL file per split with `id`,
//! `tokens` and integer `ner_tags`, plus a README.md dataset card whose YAML
//! declares `ner_tags` as a sequence of class labels, so
//! `datasets.load_dataset(folder)` gives the tag names back.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::iob::{tag_document, tag_names};
use super::{ExportDoc, ExportError, ExportOptions, ExportSummary, write_file};
use crate::model::Project;

#[derive(Serialize)]
struct Row<'a> {
    id: String,
    tokens: &'a [String],
    ner_tags: Vec<usize>,
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
    let names = tag_names(project.schema.names());
    let index = |tag: &str| names.iter().position(|n| n == tag).unwrap_or(0);
    let mut splits = Vec::new();
    for (name, docs) in parts {
        let mut buf = Vec::new();
        for d in docs {
            summary.progress.tick();
            for (i, record) in tag_document(d, options.unit, options.overlap, summary)
                .iter()
                .enumerate()
            {
                let row = Row {
                    id: format!("{}-{i}", d.doc.id),
                    tokens: &record.tokens,
                    ner_tags: record.tags.iter().map(|t| index(t)).collect(),
                };
                serde_json::to_writer(&mut buf, &row)
                    .map_err(std::io::Error::other)
                    .map_err(super::io_err(out))?;
                buf.push(b'\n');
            }
        }
        let split = split_name(name);
        write_file(out, &format!("{split}.jsonl"), &buf, summary)?;
        splits.push(split.to_string());
    }
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
