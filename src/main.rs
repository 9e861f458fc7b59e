//! Spanmark: with no arguments, the app; with a subcommand, the CLI.

use std::process::ExitCode;

use clap::Parser;
use spanmark::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => open_app(None),
        Some(Command::Open { file }) => open_app(Some(file)),
        Some(command) => cli::run(command),
    }
}

fn open_app(file: Option<std::path::PathBuf>) -> ExitCode {
    let loaded = match &file {
        Some(path) => spanmark::io::load_project(path).map(|p| (p, path.display().to_string())),
        None => spanmark::sample::sample_project()
            .map(|p| (p, "sample project (unsaved copy)".to_string())),
    };
    let (project, title) = match loaded {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    match spanmark::ui::run_app(project, title) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}
