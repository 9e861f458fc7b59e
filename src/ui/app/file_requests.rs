//! Asking for files and acting on the answer: every place that needs a
//! path names its purpose, the system dialog answers at once, or, when none
//! can be shown, Spanmark's own dialog answers later; both end in
//! [`SpanmarkApp::files_chosen`].

use std::path::PathBuf;

use eframe::egui;

use super::{AfterUnsaved, SpanmarkApp};
use crate::ui::file_browser::BrowserOutcome;
use crate::ui::file_dialogs::{DialogMode, FileAnswer, FileRequest};

/// What the chosen files are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilePurpose {
    OpenProject,
    /// Save the project there, then go on with `then`.
    SaveProject {
        then: Option<AfterUnsaved>,
    },
    NewFromTexts,
    AddTexts,
    ImportColleague,
    /// The import dialog's files.
    ImportFiles,
    /// The import dialog's brat folder.
    ImportFolder,
    ExportFolder,
    /// A picture of part of the open document.
    ExportPicture,
}

impl SpanmarkApp {
    /// Asks the user for `request`, then acts on the answer for `purpose`.
    pub fn ask_for_files(
        &mut self,
        ctx: &egui::Context,
        request: FileRequest,
        purpose: FilePurpose,
    ) {
        let folder = self.start_folder();
        match self.dialogs.ask(&request, folder.as_deref()) {
            FileAnswer::Chosen(paths) => self.files_chosen(ctx, purpose, paths),
            FileAnswer::Cancelled => {}
            FileAnswer::Unavailable => {
                self.ui.file_browser.open(request, purpose, folder);
                self.set_status(
                    ctx,
                    "No system file dialog could be shown (no desktop portal or zenity): \
                     using Spanmark's own",
                );
            }
        }
    }

    /// Where a file dialog starts: the last folder used, else the project's.
    fn start_folder(&self) -> Option<PathBuf> {
        self.settings
            .last_folder
            .clone()
            .filter(|f| f.is_dir())
            .or_else(|| {
                self.path
                    .as_deref()
                    .and_then(|p| p.parent())
                    .map(PathBuf::from)
            })
    }

    /// Draws Spanmark's own file dialog when open, and acts on its answer.
    pub(super) fn show_file_browser(&mut self, ctx: &egui::Context) {
        if let Some(BrowserOutcome::Chosen { purpose, paths }) = self.ui.file_browser.show(ctx) {
            self.files_chosen(ctx, purpose, paths);
        }
    }

    /// Acts on files chosen for `purpose`, and remembers their folder.
    pub fn files_chosen(&mut self, ctx: &egui::Context, purpose: FilePurpose, paths: Vec<PathBuf>) {
        let Some(first) = paths.first() else {
            return;
        };
        let folder = match purpose_mode(&purpose) {
            DialogMode::Folder => Some(first.clone()),
            _ => first.parent().map(PathBuf::from),
        };
        if let Some(folder) = folder.filter(|f| !f.as_os_str().is_empty()) {
            self.settings.last_folder = Some(folder);
        }
        match purpose {
            FilePurpose::OpenProject => self.request_open(ctx, first.clone()),
            FilePurpose::SaveProject { then } => self.save_to(ctx, first.clone(), then),
            FilePurpose::NewFromTexts => self.request_new_from_texts(ctx, paths),
            FilePurpose::AddTexts => self.add_text_files(ctx, &paths),
            FilePurpose::ImportColleague => {
                crate::ui::review::import::import_file(self, ctx, first)
            }
            FilePurpose::ImportFiles => self.ui.import.files = paths,
            FilePurpose::ImportFolder => self.ui.import.files = vec![first.clone()],
            FilePurpose::ExportFolder => self.ui.export.folder = Some(first.clone()),
            FilePurpose::ExportPicture => self.export_picture_to(ctx, first.clone()),
        }
    }
}

fn purpose_mode(purpose: &FilePurpose) -> DialogMode {
    match purpose {
        FilePurpose::OpenProject | FilePurpose::ImportColleague => DialogMode::OpenOne,
        FilePurpose::SaveProject { .. } | FilePurpose::ExportPicture => DialogMode::Save,
        FilePurpose::NewFromTexts | FilePurpose::AddTexts | FilePurpose::ImportFiles => {
            DialogMode::OpenMany
        }
        FilePurpose::ImportFolder | FilePurpose::ExportFolder => DialogMode::Folder,
    }
}
