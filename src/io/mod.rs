//! Files: the project file, atomic saving, text import, settings and autosave recovery.
//! Exchange formats will live in `formats/`, one file per format.

pub mod atomic;
pub mod formats;
pub mod project_file;
pub mod recovery;
pub mod settings;
pub mod text_import;

pub use project_file::{
    LoadError, Problem, SaveError, load_project, parse_project, save_project, to_json_bytes,
};
pub use text_import::{DecodedText, TextEncoding, TextImportError, decode_text, read_text_file};
