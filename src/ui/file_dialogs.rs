//! Asking the user for files: the system's dialog when there is one, and
//! an answer that says so when there is none, so that the app can show its
//! own dialog ([`super::file_browser`]) instead of doing nothing. "No dialog
//! could be shown" is never taken for "the user cancelled".

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the app asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRequest {
    /// A project file to open.
    OpenProject,
    /// Where to save the project; `suggested` is a file name.
    SaveProject { suggested: String },
    /// Where to save a picture of the text (.png or .svg).
    SavePicture { suggested: String },
    /// Text files to import.
    OpenTexts,
    /// A folder to export into (or a brat folder to import).
    PickFolder,
    /// Annotation files to import: `kind` names them, `extensions` filter them.
    OpenFiles {
        kind: String,
        extensions: Vec<String>,
    },
}

/// How a dialog for a request behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogMode {
    OpenOne,
    OpenMany,
    Save,
    Folder,
}

impl FileRequest {
    pub fn mode(&self) -> DialogMode {
        match self {
            FileRequest::OpenProject => DialogMode::OpenOne,
            FileRequest::SaveProject { .. } | FileRequest::SavePicture { .. } => DialogMode::Save,
            FileRequest::OpenTexts | FileRequest::OpenFiles { .. } => DialogMode::OpenMany,
            FileRequest::PickFolder => DialogMode::Folder,
        }
    }

    /// The dialog's title.
    pub fn title(&self) -> String {
        match self {
            FileRequest::OpenProject => "Open a Spanmark project".into(),
            FileRequest::SaveProject { .. } => "Save the project as".into(),
            FileRequest::SavePicture { .. } => "Save the picture as".into(),
            FileRequest::OpenTexts => "Choose text files".into(),
            FileRequest::PickFolder => "Choose a folder".into(),
            FileRequest::OpenFiles { kind, .. } => format!("Choose {kind} files"),
        }
    }

    /// The filter's name and the file endings it keeps (none: every file).
    pub fn filter(&self) -> Option<(String, Vec<String>)> {
        match self {
            FileRequest::OpenProject | FileRequest::SaveProject { .. } => {
                Some(("Spanmark project".into(), vec!["json".into()]))
            }
            FileRequest::SavePicture { .. } => Some((
                "Picture (PNG or SVG)".into(),
                vec!["png".into(), "svg".into()],
            )),
            FileRequest::OpenTexts => Some(("Text".into(), vec!["txt".into()])),
            FileRequest::PickFolder => None,
            FileRequest::OpenFiles { kind, extensions } => Some((kind.clone(), extensions.clone())),
        }
    }
}

/// A dialog's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileAnswer {
    /// One path, or several for [`DialogMode::OpenMany`].
    Chosen(Vec<PathBuf>),
    Cancelled,
    /// No dialog could be shown (no desktop portal, no zenity): the app
    /// shows its own.
    Unavailable,
}

/// Where the app asks the user for files.
pub trait FileDialogs {
    /// Asks for `request`, starting in `folder` when given.
    fn ask(&self, request: &FileRequest, folder: Option<&Path>) -> FileAnswer;
}

/// How `SPANMARK_FILE_DIALOG` chooses the dialog: `builtin` always uses
/// Spanmark's own, `native` never falls back. Unset: native, falling back
/// when it cannot be shown.
const CHOICE_VARIABLE: &str = "SPANMARK_FILE_DIALOG";

/// A native dialog that returns with nothing sooner than this was never
/// shown: no one chooses or cancels that fast.
const NOT_SHOWN_WITHIN: Duration = Duration::from_millis(250);

/// The operating system's dialogs (via rfd), noticing when none can be shown.
#[derive(Default)]
pub struct NativeDialogs {
    /// Set once a dialog failed to show; later requests go straight to ours.
    known_unavailable: Cell<bool>,
}

impl FileDialogs for NativeDialogs {
    fn ask(&self, request: &FileRequest, folder: Option<&Path>) -> FileAnswer {
        let choice = std::env::var(CHOICE_VARIABLE).unwrap_or_default();
        let may_fall_back = choice != "native";
        if choice == "builtin" || (may_fall_back && self.known_unavailable.get()) {
            return FileAnswer::Unavailable;
        }
        if may_fall_back && !native_dialog_possible() {
            self.known_unavailable.set(true);
            return FileAnswer::Unavailable;
        }
        let started = Instant::now();
        let chosen = ask_rfd(request, folder);
        if chosen.is_empty() {
            if may_fall_back && dialog_was_not_shown(started.elapsed()) {
                self.known_unavailable.set(true);
                return FileAnswer::Unavailable;
            }
            return FileAnswer::Cancelled;
        }
        FileAnswer::Chosen(chosen)
    }
}

fn ask_rfd(request: &FileRequest, folder: Option<&Path>) -> Vec<PathBuf> {
    let mut dialog = rfd::FileDialog::new().set_title(request.title());
    if let Some(folder) = folder {
        dialog = dialog.set_directory(folder);
    }
    if let Some((name, extensions)) = request.filter() {
        dialog = dialog.add_filter(name, &extensions);
        if matches!(request, FileRequest::OpenFiles { .. }) {
            dialog = dialog.add_filter("All files", &["*"]);
        }
    }
    match request {
        FileRequest::OpenProject => dialog.pick_file().into_iter().collect(),
        FileRequest::SaveProject { suggested } | FileRequest::SavePicture { suggested } => dialog
            .set_file_name(suggested)
            .save_file()
            .into_iter()
            .collect(),
        FileRequest::OpenTexts | FileRequest::OpenFiles { .. } => {
            dialog.pick_files().unwrap_or_default()
        }
        FileRequest::PickFolder => dialog.pick_folder().into_iter().collect(),
    }
}

/// Whether an empty answer after `elapsed` means no dialog was shown. Only
/// on the free desktops, where rfd needs a desktop portal or zenity and
/// returns nothing when it has neither; Windows and macOS always have one.
fn dialog_was_not_shown(elapsed: Duration) -> bool {
    cfg!(all(unix, not(target_os = "macos"))) && elapsed < NOT_SHOWN_WITHIN
}

/// Whether the system could show a dialog at all: on the free desktops rfd
/// needs a D-Bus session (for the desktop portal) or zenity on the PATH.
fn native_dialog_possible() -> bool {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return true;
    }
    let session_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| Path::new(&dir).join("bus").exists());
    session_bus || program_on_path("zenity")
}

fn program_on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Answers fixed in advance (for tests). `None` (or no paths) answers
/// "cancelled"; `unavailable` makes every request fall back to the app's own
/// dialog, as on a desktop with neither a portal nor zenity.
#[derive(Default, Clone)]
pub struct ScriptedDialogs {
    pub open: Option<PathBuf>,
    pub save_as: Option<PathBuf>,
    pub texts: Vec<PathBuf>,
    pub folder: Option<PathBuf>,
    pub files: Vec<PathBuf>,
    pub unavailable: bool,
}

impl FileDialogs for ScriptedDialogs {
    fn ask(&self, request: &FileRequest, _folder: Option<&Path>) -> FileAnswer {
        if self.unavailable {
            return FileAnswer::Unavailable;
        }
        let chosen: Vec<PathBuf> = match request {
            FileRequest::OpenProject => self.open.iter().cloned().collect(),
            FileRequest::SaveProject { .. } | FileRequest::SavePicture { .. } => {
                self.save_as.iter().cloned().collect()
            }
            FileRequest::OpenTexts => self.texts.clone(),
            FileRequest::PickFolder => self.folder.iter().cloned().collect(),
            FileRequest::OpenFiles { .. } => self.files.clone(),
        };
        if chosen.is_empty() {
            FileAnswer::Cancelled
        } else {
            FileAnswer::Chosen(chosen)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_empty_answer_on_a_free_desktop_means_no_dialog() {
        let free_desktop = cfg!(all(unix, not(target_os = "macos")));
        assert_eq!(
            dialog_was_not_shown(Duration::from_millis(20)),
            free_desktop
        );
        assert!(!dialog_was_not_shown(Duration::from_secs(3)));
    }

    #[test]
    fn requests_name_their_filter_and_mode() {
        let files = FileRequest::OpenFiles {
            kind: "CoNLL".into(),
            extensions: vec!["conll".into(), "txt".into()],
        };
        assert_eq!(files.mode(), DialogMode::OpenMany);
        assert_eq!(files.title(), "Choose CoNLL files");
        assert_eq!(
            FileRequest::SaveProject {
                suggested: "a.spanmark.json".into()
            }
            .mode(),
            DialogMode::Save
        );
        assert_eq!(FileRequest::PickFolder.filter(), None);
    }
}
