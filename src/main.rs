//! Spanmark: with no arguments, the app; with a subcommand, the CLI.

use std::process::ExitCode;

use clap::Parser;
use spanmark::cli::{self, Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match cli.file {
            // A word that is neither a command nor a file is a usage error
            // (a mistyped command), as clap would say for one.
            Some(f) if !f.exists() => {
                eprintln!(
                    "error: {} is neither a command nor a file (see spanmark --help)",
                    f.display()
                );
                ExitCode::from(2)
            }
            file => open_app(file),
        },
        Some(Command::Open { file }) => open_app(Some(file)),
        Some(command) => cli::run(command, cli.wait),
    }
}

fn open_app(file: Option<std::path::PathBuf>) -> ExitCode {
    let dirs = spanmark::io::settings::AppDirs::from_os();
    let started = match file {
        // The window opens at once and reads the project on a worker, with
        // its progress shown (a large project takes seconds). A path that
        // cannot be read at all is refused here, before any window.
        // A text file becomes a new untitled project holding it.
        Some(path) => match spanmark::io::file_kind::looks_like_text(&path) {
            Ok(true) => spanmark::ui::run_app_from_text(path, dirs),
            Ok(false) => spanmark::ui::run_app_opening(path, dirs),
            Err(e) => {
                eprintln!("error: cannot open {}: {e}", path.display());
                return ExitCode::from(1);
            }
        },
        // First run: the embedded sample as an untitled copy; the first save asks where.
        None => match spanmark::sample::sample_project() {
            Ok(project) => spanmark::ui::run_sample_app(project, dirs),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(1);
            }
        },
    };
    match started {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}
