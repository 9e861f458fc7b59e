//! The project file: versioned JSON (`.spanmark.json`), validated on load,
//! saved atomically and deterministically. See `docs/project-format.md`.

mod errors;
mod limits;
mod load;
mod records;
mod save;
mod validate;
mod validate_links;
mod write;

pub use errors::{LoadError, Problem, SaveError};
pub use limits::{MAX_NESTING, MAX_STRING_BYTES};
pub(crate) use load::key_path;
pub use load::{
    load_project, load_project_stamped, load_project_with, parse_project, parse_project_with,
};
pub use save::{
    SaveCheck, save_project, save_project_checked, save_project_stamped, save_project_with,
    to_json_bytes,
};

/// Value of the top-level `format` field.
pub const FORMAT_NAME: &str = "spanmark-project";
/// The format version this build reads and writes.
pub const FORMAT_VERSION: u64 = 2;
/// The oldest format version this build reads (and upgrades on save).
pub const OLDEST_FORMAT_VERSION: u64 = 1;
/// Value of the top-level `offset_unit` field: offsets count Unicode code points.
pub const OFFSET_UNIT: &str = "codepoint";
/// File name ending of project files.
pub const EXTENSION: &str = ".spanmark.json";
/// Largest project file read (1 GiB), so a stray huge file fails fast instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;
