//! Printing that survives a closed pipe. `spanmark stats P | head -1` closes
//! stdout early; Rust's `println!` then panics (exit 101), even after an
//! import has saved. These macros stop printing quietly instead and the
//! command ends with its ordinary status. Any other failure to print (a
//! full disk behind a redirect) makes the command end with exit 1.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes to stdout; after it was found closed, writes nothing.
pub fn write_out(args: std::fmt::Arguments<'_>) {
    write_to(&mut io::stdout().lock(), &STDOUT_CLOSED, args);
}

/// Writes to stderr; after it was found closed, writes nothing.
pub fn write_err(args: std::fmt::Arguments<'_>) {
    write_to(&mut io::stderr().lock(), &STDERR_CLOSED, args);
}

/// The first output failure other than a closed pipe (a full disk behind
/// `> report.json`): the command's output is incomplete, so it must not end
/// with success.
static FAILURE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn write_to(w: &mut dyn Write, closed: &AtomicBool, args: std::fmt::Arguments<'_>) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    // A failure ends the output, not the command: its work is already done
    // or still worth doing. A closed pipe is a reader that had enough
    // (`| head`); anything else is reported at the end.
    if let Err(e) = w.write_fmt(args).and_then(|()| w.flush()) {
        closed.store(true, Ordering::Relaxed);
        if e.kind() != io::ErrorKind::BrokenPipe
            && let Ok(mut first) = FAILURE.lock()
        {
            first.get_or_insert_with(|| e.to_string());
        }
    }
}

/// Why the output could not be written in full, if it could not (a closed
/// pipe does not count).
pub fn failure() -> Option<String> {
    FAILURE.lock().ok().and_then(|f| f.clone())
}

/// `print!` that a closed stdout does not turn into a panic.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*)) };
}

/// `println!` that a closed stdout does not turn into a panic.
macro_rules! outln {
    () => { $crate::cli::output::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` that a closed stderr does not turn into a panic.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::output::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}

pub(crate) use {errln, out, outln};

/// `s` with control characters escaped (`\u{1b}`), for names read from a
/// file: an ESC sequence in a layer name must not reach the terminal.
/// Everything printable, Urdu and emoji included, stays as it is.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}
