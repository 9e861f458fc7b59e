//! Native file dialogs behind a trait, so tests (and machines without a
//! desktop portal) never block on a dialog.

use std::path::PathBuf;

/// Where the app asks the user for files.
pub trait FileDialogs {
    /// A project file to open.
    fn open_project(&self) -> Option<PathBuf>;
    /// Where to save the project; `suggested` is a file name.
    fn save_project_as(&self, suggested: &str) -> Option<PathBuf>;
    /// Text files to import.
    fn open_texts(&self) -> Vec<PathBuf>;
    /// A folder to export into (or a brat folder to import).
    fn pick_folder(&self) -> Option<PathBuf>;
    /// Annotation files to import: `kind` names them, `extensions` filter them.
    fn open_files(&self, kind: &str, extensions: &[&str]) -> Vec<PathBuf>;
}

/// The operating system's dialogs (via rfd).
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open_project(&self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Spanmark project", &["json"])
            .pick_file()
    }
    fn save_project_as(&self, suggested: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Spanmark project", &["json"])
            .set_file_name(suggested)
            .save_file()
    }
    fn open_texts(&self) -> Vec<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Text", &["txt"])
            .pick_files()
            .unwrap_or_default()
    }
    fn pick_folder(&self) -> Option<PathBuf> {
        rfd::FileDialog::new().pick_folder()
    }
    fn open_files(&self, kind: &str, extensions: &[&str]) -> Vec<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(kind, extensions)
            .add_filter("All files", &["*"])
            .pick_files()
            .unwrap_or_default()
    }
}

/// Answers fixed in advance (for tests).
#[derive(Default, Clone)]
pub struct ScriptedDialogs {
    pub open: Option<PathBuf>,
    pub save_as: Option<PathBuf>,
    pub texts: Vec<PathBuf>,
    pub folder: Option<PathBuf>,
    pub files: Vec<PathBuf>,
}

impl FileDialogs for ScriptedDialogs {
    fn open_project(&self) -> Option<PathBuf> {
        self.open.clone()
    }
    fn save_project_as(&self, _suggested: &str) -> Option<PathBuf> {
        self.save_as.clone()
    }
    fn open_texts(&self) -> Vec<PathBuf> {
        self.texts.clone()
    }
    fn pick_folder(&self) -> Option<PathBuf> {
        self.folder.clone()
    }
    fn open_files(&self, _kind: &str, _extensions: &[&str]) -> Vec<PathBuf> {
        self.files.clone()
    }
}
