//! The command line: `spanmark new|add|validate|stats|sample|open`.
//! An edge of the program, so errors are `anyhow` here.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use commands::Outcome;

/// Spanmark: native, offline span annotation for analysts.
/// Run with no arguments to open the app.
#[derive(Debug, Parser)]
#[command(name = "spanmark", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
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
}

/// Runs a CLI command, printing results to stdout and errors to stderr.
/// Exit code 0 on success, 1 on bad input or an invalid project.
pub fn run(command: Command) -> ExitCode {
    match commands::run(command) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Invalid) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
