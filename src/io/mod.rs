//! Files: the project file, atomic saving, text import, settings and autosave recovery.
//! Exchange formats will live in `formats/`, one file per format.

pub mod atomic;
pub mod disk_stamp;
pub mod file_kind;
pub mod folder_listing;
pub mod formats;
pub mod lock;
pub mod progress;
pub mod project_file;
pub mod recovery;
pub mod settings;
pub mod text_import;

pub use disk_stamp::{DiskChange, DiskStamp, check_disk};
pub use progress::JobProgress;
pub use project_file::{
    LoadError, Problem, SaveCheck, SaveError, load_project, load_project_stamped,
    load_project_with, parse_project, save_project, save_project_checked, save_project_stamped,
    save_project_with, to_json_bytes,
};
pub use text_import::{DecodedText, TextEncoding, TextImportError, decode_text, read_text_file};
