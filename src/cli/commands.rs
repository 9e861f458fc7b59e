//! The CLI commands themselves.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Command;
use super::output::{errln, out, outln, printable};
use super::writing;
use crate::io::formats::{
    self, ExportError, ExportFormat, ExportOptions, ImportFormat, LayerChoice, Split, Unit, import,
};
use crate::io::load_project;
use crate::io::text_import::documents_from_files;
use crate::model::stats::{ProjectStats, project_stats};
use crate::model::{LabelSchema, Project};
use crate::sample::SAMPLE_PROJECT_JSON;
use std::time::Duration;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// Something checked was found invalid (already reported).
    Invalid,
    /// The command needs other arguments (already reported).
    Usage,
}

pub(super) fn run(command: Command, wait: Duration) -> Result<Outcome> {
    match command {
        Command::New {
            out,
            texts,
            annotator,
        } => new(&out, &texts, annotator, wait),
        Command::Add { project, files } => add(&project, &files, wait),
        Command::Validate { files } => Ok(validate(&files)),
        Command::Stats { file, json } => stats(&file, json),
        Command::Sample { out, force } => sample(&out, force, wait),
        Command::Open { .. } => bail!("`open` starts the app; it is handled before the CLI"),
        Command::Agreement { .. } | Command::Merge { .. } | Command::Render(_) => {
            bail!("review and render commands are handled in their own modules")
        }
        Command::Import {
            format,
            inputs,
            into,
            layer,
            maps,
            texts,
            strict,
        } => {
            let format = super::parse_format(&format).with_context(|| {
                let files: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
                format!("cannot import {}", files.join(", "))
            })?;
            let args = ImportArgs {
                inputs,
                into,
                layer,
                maps,
                texts,
                strict,
            };
            import(format, &args, wait)
        }
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
            raw,
            force,
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
                        errln!("error: --split: {e}");
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
                raw,
                force,
            };
            export(&project, format, &out, &options)
        }
    }
}

fn new(
    out: &Path,
    texts: &[PathBuf],
    annotator: Option<String>,
    wait: Duration,
) -> Result<Outcome> {
    let exists = || {
        anyhow::anyhow!(
            "{} already exists; use `spanmark add` to add documents to it",
            out.display()
        )
    };
    if out.exists() {
        return Err(exists());
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
    // Another `new` may have made it meanwhile: check again under the lock.
    let lock = writing::lock(out, "new", wait)?;
    if out.exists() {
        return Err(exists());
    }
    writing::save(&project, out, &writing::Held { lock, stamp: None })?;
    outln!(
        "created {} with {} document(s)",
        out.display(),
        project.documents.len()
    );
    Ok(Outcome::Ok)
}

fn add(path: &Path, files: &[PathBuf], wait: Duration) -> Result<Outcome> {
    let (mut project, held) = writing::open(path, "add", wait)?;
    let before = project.documents.len();
    add_texts(&mut project, files)?;
    let added = project.documents.len() - before;
    if added == 0 {
        // Nothing changed, so nothing is written (the backup stays a real earlier version).
        outln!("added no documents; {} was not changed", path.display());
        return Ok(Outcome::Ok);
    }
    writing::save(&project, path, &held)?;
    outln!("added {added} document(s) to {}", path.display());
    Ok(Outcome::Ok)
}

/// Imports every file first, so that one bad file leaves the project untouched.
fn add_texts(project: &mut Project, files: &[PathBuf]) -> Result<()> {
    let (docs, report) = documents_from_files(project, files)?;
    for line in report {
        outln!("  {line}");
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
        Ok(mut summary) => {
            if summary.layer == "gold" {
                summary
                    .warnings
                    .extend(crate::review::completeness::warning(&project));
            }
            out!("{summary}");
            Ok(Outcome::Ok)
        }
        Err(e @ ExportError::AmbiguousLayer(_)) => {
            errln!("error: {e}");
            Ok(Outcome::Usage)
        }
        Err(e) => Err(e.into()),
    }
}

/// What `spanmark import` was asked to do.
struct ImportArgs {
    inputs: Vec<PathBuf>,
    into: PathBuf,
    layer: Option<String>,
    maps: Vec<String>,
    texts: Vec<PathBuf>,
    strict: bool,
}

fn import(format: ImportFormat, args: &ImportArgs, wait: Duration) -> Result<Outcome> {
    let (inputs, into, layer) = (&args.inputs[..], args.into.as_path(), args.layer.as_deref());
    let (maps, texts, strict) = (&args.maps[..], &args.texts[..], args.strict);
    let mut map = std::collections::BTreeMap::new();
    for m in maps {
        let Some((old, new)) = m.split_once('=') else {
            errln!("error: --map {m:?} is not OLD=NEW");
            return Ok(Outcome::Usage);
        };
        map.insert(old.to_string(), new.to_string());
    }
    let (mut project, held) = writing::open_or_new(into, "import", wait, true)?;
    if format == ImportFormat::Txt {
        let (docs, report) = documents_from_files(&project, inputs)?;
        for line in report {
            outln!("  {line}");
        }
        for doc in docs {
            project.add_document(doc).map_err(anyhow::Error::msg)?;
        }
        writing::save(&project, into, &held)?;
        return Ok(Outcome::Ok);
    }
    // Only CoNLL matches tokens against texts: other formats need no copy
    // of every text in the project.
    let mut originals: Vec<String> = Vec::new();
    if format == ImportFormat::Conll {
        originals.extend(project.documents.iter().map(|d| d.text().to_string()));
    }
    for t in texts {
        originals.push(crate::io::read_text_file(t)?.text);
    }
    let report = import::import_files(&mut project, format, inputs, &originals, layer, &map)?;
    if strict && !report.unimported.is_empty() {
        for u in &report.unimported {
            errln!("error: {}: {} (--strict)", u.location, u.what);
        }
        bail!(
            "{} item(s) could not be imported; {} was not changed",
            report.unimported.len(),
            into.display()
        );
    }
    writing::save(&project, into, &held)?;
    out!("{report}");
    writing::release(project);
    Ok(Outcome::Ok)
}

fn validate(files: &[PathBuf]) -> Outcome {
    let mut outcome = Outcome::Ok;
    for f in files {
        match load_project(f) {
            Ok(_) => outln!("{}: ok", f.display()),
            Err(e) => {
                outcome = Outcome::Invalid;
                for line in e.lines() {
                    errln!("{}: {line}", f.display());
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
        outln!("{}", serde_json::to_string_pretty(&stats)?);
    } else {
        out!("{}", stats_table(&stats));
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
    let header: String = stats
        .labels
        .iter()
        .map(|l| format!("{:>10}", printable(l)))
        .collect();
    let row = |name: &str, ls: &crate::model::stats::LayerStats| {
        let cells: String = stats
            .labels
            .iter()
            .map(|l| format!("{:>10}", ls.per_label.get(l).copied().unwrap_or(0)))
            .collect();
        format!("  {:<20}{:>8}{cells}\n", printable(name), ls.spans)
    };
    for d in &stats.documents {
        let _ = writeln!(
            out,
            "\n{} [{}] {}, {} code points",
            printable(&d.name),
            printable(&d.id),
            d.status,
            d.code_points
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

fn sample(out: &Path, force: bool, wait: Duration) -> Result<Outcome> {
    if let Ok(meta) = std::fs::metadata(out)
        && !meta.is_file()
        && !is_char_device(&meta)
    {
        // (A FIFO would block both the read below and the write.)
        crate::io::file_kind::ensure_regular_file(out)
            .with_context(|| format!("cannot write {}", out.display()))?;
    }
    if out.exists() && !force {
        if std::fs::read(out).is_ok_and(|b| b == SAMPLE_PROJECT_JSON.as_bytes()) {
            outln!("{} already holds the sample project", out.display());
            return Ok(Outcome::Ok);
        }
        bail!(
            "{} already exists; choose another name or pass --force to replace it",
            out.display()
        );
    }
    let _lock = writing::lock(out, "sample", wait)?;
    crate::io::atomic::write_atomic_with_backup(out, SAMPLE_PROJECT_JSON.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    outln!("wrote the sample project to {}", out.display());
    Ok(Outcome::Ok)
}

/// Devices such as `/dev/null` are written in place.
fn is_char_device(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_char_device()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}
