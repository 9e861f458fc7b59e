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
        Some(path) => spanmark::io::load_project(path),
        // First run: the embedded sample as an untitled copy; the first save asks where.
        None => spanmark::sample::sample_project(),
    };
    let project = match loaded {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    match spanmark::ui::run_app(project, file, spanmark::io::settings::AppDirs::from_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}
