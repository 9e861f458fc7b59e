//! File actions of the app: save, save as, open, new project from text
//! files, add text files, dropped files, and autosave recovery.

use std::path::PathBuf;

use eframe::egui;

use super::file_requests::FilePurpose;
use crate::ui::file_dialogs::FileRequest;

use super::file_jobs::OpenKind;
use super::{AfterUnsaved, Dialog, SpanmarkApp};
use crate::io::recovery::discard_recovery;
use crate::io::text_import::{ImportedText, TextImportError};
use crate::io::{DiskChange, check_disk, project_file::EXTENSION};
use crate::model::{Command, Document, Project, Session};
use crate::ui::text_view::TextView;

impl SpanmarkApp {
    /// Switches to another project: per-project view state starts afresh.
    pub(super) fn replace_session(&mut self, session: Session) {
        self.session = session;
        // Figures and imports still running were for the project before.
        self.jobs.new_epoch();
        self.view = TextView::default();
        self.ui.span_list = Default::default();
        self.ui.search = Default::default();
        self.ui.details = Default::default();
        self.ui.review = Default::default();
    }

    // ----- files -----

    /// Saves to the project file, asking for one if untitled. The save runs
    /// on a worker (see `file_jobs`).
    pub fn save(&mut self, ctx: &egui::Context) {
        self.save_then(ctx, None);
    }

    /// Saves, then does `then` once the project is on disk.
    pub fn save_then(&mut self, ctx: &egui::Context, then: Option<AfterUnsaved>) {
        match self.path.clone() {
            Some(_) if self.is_read_only() => {
                self.set_status(
                    ctx,
                    "This project is open read-only: save it under another name",
                );
                self.save_as_then(ctx, then);
            }
            Some(path) => self.save_to(ctx, path, then),
            None => self.save_as_then(ctx, then),
        }
    }

    pub fn save_as(&mut self, ctx: &egui::Context) {
        self.save_as_then(ctx, None);
    }

    pub fn save_as_then(&mut self, ctx: &egui::Context, then: Option<AfterUnsaved>) {
        let suggested = match &self.path {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            None => format!(
                "{}{EXTENSION}",
                self.session.document().map_or("project", |d| d.id.as_str())
            ),
        };
        self.ask_for_files(
            ctx,
            FileRequest::SaveProject { suggested },
            FilePurpose::SaveProject { then },
        );
    }

    /// Saves to `path`, first asking if it is the project file and another
    /// program changed it since it was loaded or saved.
    pub(super) fn save_to(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        then: Option<AfterUnsaved>,
    ) {
        if self.path.as_ref() == Some(&path)
            && let Some(stamp) = &self.disk_stamp
            && check_disk(&path, stamp).is_ok_and(|c| c == DiskChange::Changed)
        {
            self.push_dialog(Dialog::ChangedOnDisk { path, then });
            return;
        }
        self.start_save(ctx, path, then, true);
    }

    /// Saves to `path` without asking (Overwrite in the changed-on-disk dialog).
    pub fn save_now(&mut self, ctx: &egui::Context, path: PathBuf, then: Option<AfterUnsaved>) {
        self.start_save(ctx, path, then, false);
    }

    /// Opens a project, asking about unsaved changes first.
    pub fn request_open(&mut self, ctx: &egui::Context, path: PathBuf) {
        if self.session.is_dirty() {
            self.push_dialog(Dialog::UnsavedChanges {
                then: AfterUnsaved::Open(path),
            });
        } else {
            self.open_now(ctx, path);
        }
    }

    /// Opens a project on a worker; the window shows its progress.
    pub fn open_now(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.start_open(ctx, path, OpenKind::Project);
    }

    /// Adds text files as documents, in one undoable step. The files are
    /// read and decoded on a worker.
    pub fn add_text_files(&mut self, ctx: &egui::Context, paths: &[PathBuf]) {
        if paths.is_empty() {
            return;
        }
        self.start_texts(ctx, paths.to_vec(), false);
    }

    /// Adds documents read on a worker (see [`Self::add_text_files`]).
    pub(super) fn finish_add_texts(
        &mut self,
        ctx: &egui::Context,
        result: Result<(Vec<Document>, Vec<ImportedText>), TextImportError>,
    ) {
        match result {
            Ok((docs, report)) => {
                let first_new = self.session.project.documents.len();
                let added = docs.len();
                let cmds = docs
                    .into_iter()
                    .map(|d| Command::AddDocument {
                        doc: Box::new(d),
                        index: None,
                    })
                    .collect();
                if added > 0 && self.session.apply(Command::Batch(cmds)).is_ok() {
                    self.session.open_document(first_new);
                }
                let skipped = report.len() - added;
                let mut text = format!("Added {added} document(s)");
                if skipped > 0 {
                    text.push_str(&format!(
                        "; {skipped} skipped (same text already in the project)"
                    ));
                }
                let encodings: Vec<String> = report
                    .iter()
                    .map(|r| format!("{}: {}", r.file_name, r.encoding))
                    .collect();
                self.set_status(ctx, format!("{text} · {}", encodings.join(", ")));
            }
            Err(e) => self.push_dialog(Dialog::Error {
                title: "Could not add the text files".into(),
                message: e.to_string(),
            }),
        }
    }

    /// Starts a new untitled project from text files, asking about unsaved changes first.
    pub fn request_new_from_texts(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        if self.session.is_dirty() {
            self.push_dialog(Dialog::UnsavedChanges {
                then: AfterUnsaved::NewFromTexts(paths),
            });
        } else {
            self.new_from_texts_now(ctx, paths);
        }
    }

    fn new_from_texts_now(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        self.start_texts(ctx, paths, true);
    }

    /// Starts the new project from documents read on a worker.
    pub(super) fn finish_new_from_texts(
        &mut self,
        ctx: &egui::Context,
        result: Result<(Vec<Document>, Vec<ImportedText>), TextImportError>,
    ) {
        match result {
            Ok((docs, _)) => {
                let mut project = Project::new(crate::model::LabelSchema::default());
                project.default_annotator = Some(self.session.annotator().to_string());
                for d in docs {
                    let _ = project.add_document(d);
                }
                let annotator = self.session.annotator().to_string();
                self.replace_session(Session::new(project, annotator));
                self.session.mark_unsaved();
                self.path = None;
                self.disk_stamp = None;
                self.access = Default::default();
                let n = self.session.project.documents.len();
                self.set_status(
                    ctx,
                    format!(
                        "New project with {n} document(s); {} saves it",
                        crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::Save)
                    ),
                );
            }
            Err(e) => self.push_dialog(Dialog::Error {
                title: "Could not read the text files".into(),
                message: e.to_string(),
            }),
        }
    }

    /// Text files dropped on the window are added; a dropped project is opened.
    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        let (projects, texts): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| p.to_string_lossy().to_lowercase().ends_with(".json"));
        self.add_text_files(ctx, &texts);
        if let Some(project) = projects.into_iter().next() {
            self.request_open(ctx, project);
        }
    }

    /// Replaces the session with the recovered copy (read on a worker); the
    /// project file stays as it was until the analyst saves. With `keep_path`
    /// false the copy opens as an untitled project, so the original can be
    /// compared and kept.
    pub fn restore_recovery(
        &mut self,
        ctx: &egui::Context,
        entry: &crate::io::recovery::RecoveryEntry,
        keep_path: bool,
    ) {
        self.start_open(ctx, entry.file.clone(), OpenKind::Recovery { keep_path });
    }

    /// Deletes this project's recovery copy.
    pub fn discard_recovery(&mut self) {
        if let Some(dirs) = &self.dirs {
            discard_recovery(&dirs.recovery_dir, self.path.as_deref());
        }
    }

    /// Continues after the unsaved-changes question was answered with Save or Don't save.
    pub fn continue_after_unsaved(&mut self, ctx: &egui::Context, then: AfterUnsaved) {
        match then {
            AfterUnsaved::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            AfterUnsaved::Open(path) => self.open_now(ctx, path),
            AfterUnsaved::NewFromTexts(paths) => self.new_from_texts_now(ctx, paths),
        }
    }
}
