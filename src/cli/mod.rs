//! The command line: `spanmark new|add|validate|stats|sample|open`.
//! An edge of the program, so errors are `anyhow` here.

mod commands;
pub(crate) mod output;
mod render_command;
mod review_commands;
mod writing;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use output::errln;

pub use commands::Outcome;

/// Spanmark: native, offline span annotation for analysts.
/// Run with no arguments to open the app.
#[derive(Debug, Parser)]
#[command(name = "spanmark", version, about)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A project or a text file to open in the app (`spanmark FILE`, the
    /// same as `spanmark open FILE`).
    pub file: Option<PathBuf>,
    /// How long a command that changes a project waits for another writer
    /// (the app, or another command) to let go of it, in seconds.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 5.0)]
    pub wait: f64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a project from text files.
    New {
        /// The project file to create (e.g. work.spanmark.json); it must not exist yet.
        out: PathBuf,
        /// A .txt file to add as a document (repeat for more).
        #[arg(long = "text", value_name = "FILE", required = true)]
        texts: Vec<PathBuf>,
        /// Who annotates by default in this project.
        #[arg(long)]
        annotator: Option<String>,
    },
    /// Add text files to an existing project as documents.
    Add {
        project: PathBuf,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Check project files; print ok or every problem with its JSON path.
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Documents, their status and spans per label per layer.
    Stats {
        file: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write the bundled sample project.
    Sample {
        out: PathBuf,
        /// Replace OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Open a project in the app.
    Open { file: PathBuf },
    /// Export a labelled dataset (into the folder --out).
    Export {
        project: PathBuf,
        /// jsonl, conll, hf, brat, doccano, label-studio or csv.
        #[arg(long)]
        format: String,
        /// Folder to write into (created if missing); nothing is written outside it. A new export replaces the files of the last one there.
        #[arg(long)]
        out: PathBuf,
        /// The annotator layer to export.
        #[arg(long, conflicts_with = "gold")]
        layer: Option<String>,
        /// Export the adjudicated gold layer.
        #[arg(long)]
        gold: bool,
        /// Only documents marked done.
        #[arg(long)]
        only_done: bool,
        /// Split documents into parts, e.g. train=0.8,dev=0.1,test=0.1.
        #[arg(long)]
        split: Option<String>,
        /// Seed for --split (the same seed gives the same split).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// One record per sentence or per document (conll, hf).
        #[arg(long, default_value = "sentence", value_parser = ["sentence", "document"])]
        unit: String,
        /// Which span survives where spans nest or overlap (conll, hf).
        #[arg(long, default_value = "outer", value_parser = ["outer", "inner", "longest", "first"])]
        overlap: String,
        /// csv: write cells exactly; by default a cell starting with = + - @ tab or CR gets a ' in front, so spreadsheets do not run it as a formula.
        #[arg(long)]
        raw: bool,
        /// Write into a folder that holds files Spanmark did not make (they are left alone).
        #[arg(long)]
        force: bool,
    },
    /// Draw a document with its spans as a picture (SVG or PNG, by --out's extension).
    Render(render_command::RenderArgs),
    /// Agreement between annotator layers (and gold): F1, token κ, confusion.
    Agreement {
        project: PathBuf,
        /// Layers to compare, the reference first, e.g. ayesha,bilal or ayesha,gold.
        #[arg(long, value_delimiter = ',')]
        layers: Vec<String>,
        /// Print the stable JSON shape (see docs/agreement.md).
        #[arg(long)]
        json: bool,
        /// Also give the figures per document.
        #[arg(long)]
        by_document: bool,
    },
    /// Add a colleague's annotator layers to a project (documents matched by text).
    Merge {
        project: PathBuf,
        #[arg(required = true, value_name = "OTHER")]
        others: Vec<PathBuf>,
        /// Name for the incoming layer (one-layer projects only).
        #[arg(long = "as", value_name = "NAME")]
        as_name: Option<String>,
        /// When the annotator name exists here: cancel (default), replace, or keep-both.
        #[arg(long, default_value = "cancel", value_parser = ["cancel", "replace", "keep-both"])]
        on_collision: String,
    },
    /// Import annotations from other tools into a project (created if missing).
    Import {
        /// brat, doccano, label-studio, jsonl, conll or txt.
        format: String,
        /// Files (or, for brat, folders) to read.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// The project to import into.
        #[arg(long)]
        into: PathBuf,
        /// Layer (annotator) the spans go to; default: the annotator named in the file, else the file's name.
        #[arg(long)]
        layer: Option<String>,
        /// Rename a label on the way in (repeatable), e.g. --map LOC=LOCATION.
        #[arg(long = "map", value_name = "OLD=NEW")]
        maps: Vec<String>,
        /// CoNLL only: the original text(s), so offsets refer to them instead of a rebuilt text.
        #[arg(long = "text", value_name = "FILE")]
        texts: Vec<PathBuf>,
        /// Refuse the import (exit 1, nothing saved) if anything in the files
        /// cannot be imported, instead of listing it in the summary.
        #[arg(long)]
        strict: bool,
    },
}

/// A format name from the command line. An unknown name is bad input (exit
/// 1, like any other bad input), with the valid names in the message.
pub(crate) fn parse_format<F: std::str::FromStr<Err = String>>(name: &str) -> anyhow::Result<F> {
    name.parse().map_err(anyhow::Error::msg)
}

/// Runs a CLI command, printing results to stdout and errors to stderr.
/// Exit code 0 on success, 1 on bad input or an invalid project. A writer
/// waits up to `wait_seconds` for the project's lock.
pub fn run(command: Command, wait_seconds: f64) -> ExitCode {
    let Ok(wait) = std::time::Duration::try_from_secs_f64(wait_seconds) else {
        errln!("error: --wait {wait_seconds} is not a number of seconds (0 or more)");
        return ExitCode::from(2);
    };
    let result = match command {
        Command::Agreement {
            project,
            layers,
            json,
            by_document,
        } => review_commands::agreement(&project, &layers, json, by_document),
        Command::Merge {
            project,
            others,
            as_name,
            on_collision,
        } => review_commands::merge(&project, &others, as_name.as_deref(), &on_collision, wait),
        Command::Render(args) => render_command::render(&args),
        other => commands::run(other, wait),
    };
    let code = match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Invalid) => ExitCode::from(1),
        Ok(Outcome::Usage) => ExitCode::from(2),
        Err(e) => {
            errln!("error: {e:#}");
            ExitCode::from(1)
        }
    };
    if let Some(why) = output::failure() {
        // stderr may be the broken one too; then the status alone says it.
        errln!("error: the output could not be written in full: {why}");
        return ExitCode::from(1);
    }
    code
}
