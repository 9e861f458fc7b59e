//! The CLI commands themselves.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Command;
use crate::io::formats::{
    self, ExportError, ExportFormat, ExportOptions, ImportFormat, LayerChoice, Split, Unit, import,
};
use crate::io::text_import::documents_from_files;
use crate::io::{load_project, save_project};
use crate::model::stats::{ProjectStats, project_stats};
use crate::model::{LabelSchema, Project};
use crate::sample::SAMPLE_PROJECT_JSON;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Something checked was found invalid (already reported).
    Invalid,
    /// The command needs other arguments (already reported).
    Usage,
}

pub(super) fn run(command: Command) -> Result<Outcome> {
    match command {
        Command::New {
            out,
            texts,
            annotator,
        } => new(&out, &texts, annotator),
        Command::Add { project, files } => add(&project, &files),
        Command::Validate { files } => Ok(validate(&files)),
        Command::Stats { file, json } => stats(&file, json),
        Command::Sample { out, force } => sample(&out, force),
        Command::Open { .. } => bail!("`open` starts the app; it is handled before the CLI"),
        Command::Agreement { .. } | Command::Merge { .. } => {
            bail!("review commands are handled in review_commands")
        }
        Command::Import {
            format,
            inputs,
            into,
            layer,
            maps,
            texts,
            strict,
        } => import(
            super::parse_format(&format).with_context(|| {
                let files: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
                format!("cannot import {}", files.join(", "))
            })?,
            &inputs,
            &into,
            layer.as_deref(),
            &maps,
            &texts,
            strict,
        ),
        Command::Export {
            project,
            format,
            out,
            layer,
            gold,
            only_done,
            split,
            seed,
            unit,
            overlap,
        } => {
            let format: ExportFormat = super::parse_format(&format)
                .with_context(|| format!("cannot export {}", project.display()))?;
            let layer = match (layer, gold) {
                (Some(name), _) => LayerChoice::Annotator(name),
                (None, true) => LayerChoice::Gold,
                (None, false) => LayerChoice::Auto,
            };
            let split = match split {
                Some(spec) => match Split::parse(&spec, seed) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        eprintln!("error: --split: {e}");
                        return Ok(Outcome::Usage);
                    }
                },
                None => None,
            };
            let options = ExportOptions {
                progress: Default::default(),
                layer,
                only_done,
                split,
                unit: if unit == "document" {
                    Unit::Document
                } else {
                    Unit::Sentence
                },
                overlap: overlap.parse().map_err(anyhow::Error::msg)?,
            };
            export(&project, format, &out, &options)
        }
    }
}

fn new(out: &Path, texts: &[PathBuf], annotator: Option<String>) -> Result<Outcome> {
    if out.exists() {
        bail!(
            "{} already exists; use `spanmark add` to add documents to it",
            out.display()
        );
    }
    let mut project = Project::new(LabelSchema::default());
    if let Some(name) = annotator {
        let name = name.trim().to_string();
        if name.is_empty() {
            bail!("--annotator needs a non-empty name");
        }
        project.ensure_annotator(&name);
        project.default_annotator = Some(name);
    }
    add_texts(&mut project, texts)?;
    save_project(&project, out)?;
    println!(
        "created {} with {} document(s)",
        out.display(),
        project.documents.len()
    );
    Ok(Outcome::Ok)
}

fn add(path: &Path, files: &[PathBuf]) -> Result<Outcome> {
    let mut project =
        load_project(path).with_context(|| format!("{} was not changed", path.display()))?;
    let before = project.documents.len();
    add_texts(&mut project, files)?;
    save_project(&project, path)?;
    println!(
        "added {} document(s) to {}",
        project.documents.len() - before,
        path.display()
    );
    Ok(Outcome::Ok)
}

/// Imports every file first, so that one bad file leaves the project untouched.
fn add_texts(project: &mut Project, files: &[PathBuf]) -> Result<()> {
    let (docs, report) = documents_from_files(project, files)?;
    for line in report {
        println!("  {line}");
    }
    for doc in docs {
        project.add_document(doc).map_err(anyhow::Error::msg)?;
    }
    Ok(())
}

fn export(
    path: &Path,
    format: ExportFormat,
    out: &Path,
    options: &ExportOptions,
) -> Result<Outcome> {
    let project = load_project(path).with_context(|| path.display().to_string())?;
    match formats::export(&project, format, out, options) {
        Ok(summary) => {
            print!("{summary}");
            Ok(Outcome::Ok)
        }
        Err(e @ ExportError::AmbiguousLayer(_)) => {
            eprintln!("error: {e}");
            Ok(Outcome::Usage)
        }
        Err(e) => Err(e.into()),
    }
}

fn import(
    format: ImportFormat,
    inputs: &[PathBuf],
    into: &Path,
    layer: Option<&str>,
    maps: &[String],
    texts: &[PathBuf],
    strict: bool,
) -> Result<Outcome> {
    let mut map = std::collections::BTreeMap::new();
    for m in maps {
        let Some((old, new)) = m.split_once('=') else {
            eprintln!("error: --map {m:?} is not OLD=NEW");
            return Ok(Outcome::Usage);
        };
        map.insert(old.to_string(), new.to_string());
    }
    let mut project = if into.exists() {
        load_project(into).with_context(|| format!("{} was not changed", into.display()))?
    } else {
        Project::new(LabelSchema::default())
    };
    if format == ImportFormat::Txt {
        let (docs, report) = documents_from_files(&project, inputs)?;
        for line in report {
            println!("  {line}");
        }
        for doc in docs {
            project.add_document(doc).map_err(anyhow::Error::msg)?;
        }
        save_project(&project, into)?;
        return Ok(Outcome::Ok);
    }
    let mut originals: Vec<String> = project
        .documents
        .iter()
        .map(|d| d.text().to_string())
        .collect();
    for t in texts {
        originals.push(crate::io::read_text_file(t)?.text);
    }
    let report = import::import_files(&mut project, format, inputs, &originals, layer, &map)?;
    if strict && !report.unimported.is_empty() {
        for u in &report.unimported {
            eprintln!("error: {}: {} (--strict)", u.location, u.what);
        }
        bail!(
            "{} item(s) could not be imported; {} was not changed",
            report.unimported.len(),
            into.display()
        );
    }
    save_project(&project, into)?;
    print!("{report}");
    Ok(Outcome::Ok)
}

fn validate(files: &[PathBuf]) -> Outcome {
    let mut outcome = Outcome::Ok;
    for f in files {
        match load_project(f) {
            Ok(_) => println!("{}: ok", f.display()),
            Err(e) => {
                outcome = Outcome::Invalid;
                for line in e.lines() {
                    eprintln!("{}: {line}", f.display());
                }
            }
        }
    }
    outcome
}

fn stats(path: &Path, json: bool) -> Result<Outcome> {
    let project = load_project(path).with_context(|| path.display().to_string())?;
    let stats = project_stats(&project);
    if json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
    } else {
        print!("{}", stats_table(&stats));
    }
    Ok(Outcome::Ok)
}

/// A plain-text table: one block per document, one row per layer, one column per label.
fn stats_table(stats: &ProjectStats) -> String {
    let mut out = String::new();
    let status: Vec<String> = stats
        .status
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    let _ = writeln!(
        out,
        "{} document(s): {}",
        stats.documents.len(),
        status.join(", ")
    );
    let header: String = stats.labels.iter().map(|l| format!("{l:>10}")).collect();
    let row = |name: &str, ls: &crate::model::stats::LayerStats| {
        let cells: String = stats
            .labels
            .iter()
            .map(|l| format!("{:>10}", ls.per_label.get(l).copied().unwrap_or(0)))
            .collect();
        format!("  {name:<20}{:>8}{cells}\n", ls.spans)
    };
    for d in &stats.documents {
        let _ = writeln!(
            out,
            "\n{} [{}] {}, {} code points",
            d.name, d.id, d.status, d.code_points
        );
        if d.layers.is_empty() {
            out.push_str("  (no spans)\n");
            continue;
        }
        let _ = writeln!(out, "  {:<20}{:>8}{header}", "layer", "spans");
        for (name, ls) in &d.layers {
            out.push_str(&row(name, ls));
        }
    }
    if !stats.layers.is_empty() {
        let _ = writeln!(
            out,
            "\nall documents\n  {:<20}{:>8}{header}",
            "layer", "spans"
        );
        for (name, ls) in &stats.layers {
            out.push_str(&row(name, ls));
        }
    }
    out
}

fn sample(out: &Path, force: bool) -> Result<Outcome> {
    if out.exists() && !force {
        if std::fs::read(out).is_ok_and(|b| b == SAMPLE_PROJECT_JSON.as_bytes()) {
            println!("{} already holds the sample project", out.display());
            return Ok(Outcome::Ok);
        }
        bail!(
            "{} already exists; choose another name or pass --force to replace it",
            out.display()
        );
    }
    crate::io::atomic::write_atomic_with_backup(out, SAMPLE_PROJECT_JSON.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!("wrote the sample project to {}", out.display());
    Ok(Outcome::Ok)
}
