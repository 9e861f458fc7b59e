//! The app: owns the editing session and per-frame UI state, lays out the
//! panels, and routes view events and shortcuts to the session.

use std::path::PathBuf;

use eframe::egui;

use super::file_dialogs::{FileDialogs, NativeDialogs};
use super::text_view::{ReviewEvent, ReviewMarks, TextView, TextViewEvent, ViewInput};
use super::{dialogs, documents_panel, keys, labels_panel, status_bar};
use crate::io::recovery::pending_recovery;
use crate::io::settings::{AppDirs, Settings, ThemeChoice, load_settings, save_settings};
use crate::model::bidi::DirectionChoice;
use crate::model::{Document, LabelOutcome, Project, Session};

mod file_actions;
pub mod file_jobs;
mod file_requests;
pub mod job_output;
pub mod linking;
mod own_layer;
mod picture_export;
pub mod project_access;
mod run_command;

pub use file_requests::FilePurpose;

/// A message for the status bar.
#[derive(Debug, Clone)]
pub struct StatusMessage {
    pub text: String,
    pub at: f64,
}

/// A dialog that blocks the workspace until answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// Unsaved changes; `then` is what to do after Save or Don't save.
    UnsavedChanges {
        then: AfterUnsaved,
    },
    Error {
        title: String,
        message: String,
    },
    /// An autosaved copy newer than the project was found on start.
    Recovery {
        entry: crate::io::recovery::RecoveryEntry,
    },
    /// Who is annotating? On first run prefilled with the OS user name
    /// (`switch` false: the sample demo keeps its layer); from the menu it
    /// switches the working layer (`switch` true).
    AskAnnotator {
        name: String,
        switch: bool,
    },
    /// Mark done was asked while events lack roles the schema needs (`+`,
    /// `{n}`): each problem as a sentence, and the first such event (its
    /// trigger and frame, so "Go to the event" opens that one).
    ShortRoles {
        problems: Vec<String>,
        first: Option<(crate::model::SpanId, crate::model::FrameId)>,
    },
    /// Relabelling would give `span` a label that roles it fills do not
    /// take: keep those slots or empty them.
    RelabelSlots {
        span: crate::model::SpanId,
        label: String,
        slots: Vec<(crate::model::FrameId, String)>,
    },
    /// The project file was changed by another program since it was loaded
    /// or saved: overwrite it, save as another file, or cancel.
    ChangedOnDisk {
        path: PathBuf,
        /// What waits for the save (quit, open another project…).
        then: Option<AfterUnsaved>,
    },
}

/// What was interrupted by the unsaved-changes question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterUnsaved {
    Quit,
    Open(PathBuf),
    NewFromTexts(Vec<PathBuf>),
}

/// What the span list was made from: (document, revision, annotator,
/// missing-roles filter); it is made again when any of them changes.
pub type SpanListKey = (usize, u64, String, bool);

/// UI-only state that does not belong in the project.
pub struct UiState {
    /// A role waiting for the span that fills it (after its key).
    pub linking: Option<linking::PendingLink>,
    /// The roles offered after a drag from an event's handle to a span.
    pub role_menu: Option<linking::RoleMenu>,
    /// What the event panel and Enter offer for the selected event.
    pub event_hints: linking::EventHints,
    /// The span list shows only events with roles still to fill.
    pub missing_roles_only: bool,
    pub doc_filter: String,
    pub font_size: f32,
    pub show_tags: bool,
    pub arabic_font: crate::text_layout::ArabicFont,
    pub show_help: bool,
    pub status: Option<StatusMessage>,
    pub dialog: Option<Dialog>,
    /// Wall-clock time of the last successful save, for the status bar.
    pub saved_at: Option<String>,
    /// The selected span's note and attributes while they are being edited.
    pub details: super::labels_panel::DetailsDraft,
    pub search: super::search_bar::SearchState,
    pub schema_editor: super::schema_editor::SchemaEditor,
    pub export: super::export_dialog::ExportDialog,
    pub import: super::import_dialog::ImportDialog,
    pub review: super::review::ReviewState,
    /// Span ids of the open document in text order, for the span list, with
    /// the (document, revision, annotator, missing-roles filter) they were
    /// listed at.
    pub span_list: (Option<SpanListKey>, Vec<crate::model::SpanId>),
    /// The span list's scroll offset last frame, and the selected span it
    /// last scrolled to show.
    pub span_list_offset: f32,
    pub span_list_followed: Option<crate::model::SpanId>,
    /// Revision saved by the panic guard's emergency copy.
    pub panic_copy: Option<u64>,
    /// Tests set this to make the next frame panic (checks the panic guard).
    #[doc(hidden)]
    pub inject_panic: bool,
    /// Dialogs waiting for the current one to close.
    pub dialog_queue: std::collections::VecDeque<Dialog>,
    /// The command palette (Ctrl+Shift+P).
    pub palette: super::command_palette::CommandPalette,
    /// Which side panels show (they step aside in a narrow window).
    pub panels: super::panels::Panels,
    /// The window's width last frame (the panel toggles need it).
    pub window_width: f32,
    /// "Label N matches as …": the matches to tick before labelling.
    pub label_all: super::label_all_preview::LabelAllPreview,
    /// "Date of the document" (its `event_date`).
    pub document_date: super::document_date_dialog::DocumentDateDialog,
    /// Spanmark's own file dialog, when the system has none.
    pub file_browser: super::file_browser::FileBrowser<FilePurpose>,
}

impl Default for UiState {
    fn default() -> Self {
        UiState {
            linking: None,
            role_menu: None,
            event_hints: Default::default(),
            missing_roles_only: false,
            doc_filter: String::new(),
            font_size: 16.0,
            show_tags: false,
            arabic_font: Default::default(),
            show_help: false,
            status: None,
            dialog: None,
            saved_at: None,
            details: Default::default(),
            search: Default::default(),
            dialog_queue: Default::default(),
            schema_editor: Default::default(),
            export: Default::default(),
            import: Default::default(),
            review: Default::default(),
            panic_copy: None,
            inject_panic: false,
            span_list: Default::default(),
            span_list_offset: 0.0,
            span_list_followed: None,
            palette: Default::default(),
            file_browser: Default::default(),
            label_all: Default::default(),
            document_date: Default::default(),
            panels: Default::default(),
            window_width: 1280.0,
        }
    }
}

/// The Spanmark app.
pub struct SpanmarkApp {
    pub session: Session,
    /// The project file; `None` for an untitled project (e.g. the sample on first run).
    pub path: Option<PathBuf>,
    pub view: TextView,
    pub ui: UiState,
    pub dialogs: Box<dyn FileDialogs>,
    /// Set once the user agreed to quit; the next close request goes through.
    allow_close: bool,
    /// Fonts and glyph policy are set up on the first frame.
    context_ready: bool,
    /// Settings and recovery folders; `None` when running without them (tests).
    pub dirs: Option<AppDirs>,
    pub settings: Settings,
    /// Settings as last written, to save only when something changed.
    saved_settings: Settings,
    pub autosave: super::autosave::Autosave,
    /// Tab presses taken from the raw input (true: forward), handled with the shortcuts.
    pub pending_tabs: Vec<bool>,
    /// Whether a text field had keyboard focus at the end of the last frame.
    pub text_edit_was_focused: bool,
    /// The window title last sent (sending it every frame would keep repainting).
    shown_title: String,
    /// What the project file looked like when loaded or last saved, to notice
    /// that another program changed it before saving over it.
    pub disk_stamp: Option<crate::io::DiskStamp>,
    /// Every job running on a worker (open, save, import, export, agreement, autosave).
    pub jobs: super::jobs::Jobs<job_output::JobOutput>,
    /// The window was asked to close while a save ran: close once it is saved.
    close_after_save: bool,
    /// A save asked for while another was running: path, then what.
    queued_save: Option<(PathBuf, Option<AfterUnsaved>)>,
    /// A project to open on the first frame (`spanmark open FILE`).
    open_on_start: Option<PathBuf>,
    /// Text files to make a new project of on the first frame (`spanmark FILE.txt`).
    texts_on_start: Vec<PathBuf>,
    /// Whether this window holds the project file's lock (may save to it).
    pub access: project_access::ProjectAccess,
    /// Commands queued this frame, run at its end.
    pending_commands: Vec<super::command::AppCommand>,
    /// The last commands run, oldest first.
    ran_commands: Vec<super::command::AppCommand>,
    /// The project shown is the bundled sample.
    sample: bool,
}

/// The annotator name when settings name no one: the project's default, else the OS user.
pub fn default_annotator(project: &Project) -> String {
    project
        .default_annotator
        .clone()
        .unwrap_or_else(os_user_name)
}

/// The OS user name (prefills the first-run annotator prompt).
pub fn os_user_name() -> String {
    crate::io::lock::os_user_name().unwrap_or_else(|| "analyst".to_string())
}

impl SpanmarkApp {
    /// The reading direction the analyst chose for `doc` (kept in the
    /// settings by fingerprint, so it follows the text across projects), or
    /// Auto.
    pub(crate) fn document_direction(&self, doc: &Document) -> DirectionChoice {
        self.settings
            .directions
            .get(doc.fingerprint())
            .copied()
            .unwrap_or_default()
    }

    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let annotator = default_annotator(&project);
        let mut app = SpanmarkApp {
            session: Session::new(project, annotator),
            view: TextView::default(),
            ui: UiState::default(),
            dialogs: Box::new(NativeDialogs::default()),
            allow_close: false,
            context_ready: false,
            shown_title: String::new(),
            dirs: None,
            settings: Settings::default(),
            saved_settings: Settings::default(),
            autosave: Default::default(),
            pending_tabs: Vec::new(),
            text_edit_was_focused: false,
            jobs: Default::default(),
            close_after_save: false,
            queued_save: None,
            open_on_start: None,
            texts_on_start: Vec::new(),
            disk_stamp: path
                .as_deref()
                .and_then(|p| crate::io::DiskStamp::read(p).ok()),
            path,
            access: Default::default(),
            pending_commands: Vec::new(),
            ran_commands: Vec::new(),
            sample: false,
        };
        app.take_access(None);
        app
    }

    /// Uses the settings and recovery folders: applies saved settings, offers a
    /// newer autosaved copy of this project, and asks for the annotator on first run.
    pub fn with_dirs(mut self, dirs: AppDirs) -> Self {
        let (settings, warning) = load_settings(&dirs.settings_file);
        if let Some(w) = warning {
            self.push_dialog(Dialog::Error {
                title: "Settings were reset".into(),
                message: w,
            });
        }
        if let Some(name) = &settings.annotator
            && !self.is_sample_demo()
        {
            self.set_annotator(name.clone());
        }
        self.ui.font_size = settings.font_size;
        self.ui.show_tags = settings.show_tags;
        self.ui.arabic_font = settings.arabic_font;
        self.session.set_sticky_label(settings.sticky_label.clone());
        // A project still to be opened is checked once it is read.
        if self.open_on_start.is_none()
            && let Some(entry) = pending_recovery(&dirs.recovery_dir, self.path.as_deref())
        {
            self.push_dialog(Dialog::Recovery { entry });
        }
        if settings.annotator.is_none() {
            self.push_dialog(Dialog::AskAnnotator {
                name: os_user_name(),
                switch: false,
            });
        }
        if let Some(p) = &self.path {
            let mut s = settings.clone();
            s.remember(p);
            self.settings = s;
        } else {
            self.settings = settings.clone();
        }
        self.saved_settings = settings;
        self.dirs = Some(dirs);
        self
    }

    /// Shows a dialog now, or after the ones already waiting.
    pub fn push_dialog(&mut self, dialog: Dialog) {
        if self.ui.dialog.as_ref() == Some(&dialog) || self.ui.dialog_queue.contains(&dialog) {
            return; // asked twice (two close requests): one answer is enough
        }
        if self.ui.dialog.is_none() {
            self.ui.dialog = Some(dialog);
        } else {
            self.ui.dialog_queue.push_back(dialog);
        }
    }

    /// Shows `dialog` now; the one on screen waits behind it (nothing is
    /// dropped). For what cannot wait, such as an internal error.
    pub fn push_dialog_first(&mut self, dialog: Dialog) {
        if let Some(current) = self.ui.dialog.replace(dialog) {
            self.ui.dialog_queue.push_front(current);
        }
    }

    /// Closes the current dialog and shows the next waiting one.
    pub fn close_dialog(&mut self) {
        self.ui.dialog = self.ui.dialog_queue.pop_front();
    }

    /// True while the bundled sample is shown (untitled, opened by
    /// [`Self::as_sample`]): it shows its annotator's layer, read-only, and
    /// the analyst's own name is kept for their projects.
    pub fn is_sample_demo(&self) -> bool {
        self.sample && self.path.is_none()
    }

    /// Marks the project as the bundled sample (the app with no arguments).
    pub fn as_sample(mut self) -> Self {
        self.sample = true;
        self.protect_sample_layer();
        self
    }

    /// Remembers the analyst's name; switches to their layer unless this is the sample demo.
    pub fn set_user_name(&mut self, name: String) {
        if self.is_sample_demo() {
            self.settings.annotator = Some(name);
        } else {
            self.set_annotator(name);
        }
    }

    /// Changes whose layer edits go to (remembered in settings). The
    /// project gains the annotator with their first edit.
    pub fn set_annotator(&mut self, name: String) {
        self.session.set_annotator(name.clone());
        self.settings.annotator = Some(name);
    }

    /// Writes settings when they changed since the last write.
    fn sync_settings(&mut self, ctx: &egui::Context) {
        self.settings.font_size = self.ui.font_size;
        self.settings.show_tags = self.ui.show_tags;
        self.settings.arabic_font = self.ui.arabic_font;
        self.settings.sticky_label = self.session.sticky_label().map(str::to_string);
        self.settings.theme = match ctx.options(|o| o.theme_preference) {
            egui::ThemePreference::Dark => ThemeChoice::Dark,
            egui::ThemePreference::Light => ThemeChoice::Light,
            egui::ThemePreference::System => ThemeChoice::System,
        };
        if self.settings == self.saved_settings {
            return;
        }
        if let Some(dirs) = &self.dirs
            && save_settings(&dirs.settings_file, &self.settings).is_ok()
        {
            self.saved_settings = self.settings.clone();
        }
    }

    /// Replaces the file dialogs (tests script them).
    /// Opens the project at `path` on the first frame, on a worker.
    pub fn opening(mut self, path: PathBuf) -> Self {
        self.open_on_start = Some(path);
        self
    }

    /// Makes a new untitled project of these text files on the first frame.
    pub fn new_from_texts(mut self, paths: Vec<PathBuf>) -> Self {
        self.texts_on_start = paths;
        self
    }

    pub fn with_dialogs(mut self, dialogs: Box<dyn FileDialogs>) -> Self {
        self.dialogs = dialogs;
        self
    }

    pub fn set_status(&mut self, ctx: &egui::Context, text: impl Into<String>) {
        self.ui.status = Some(StatusMessage {
            text: text.into(),
            at: ctx.input(|i| i.time),
        });
    }

    /// Window title: file name, with a star while there are unsaved changes.
    pub fn title(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or("untitled".to_string(), |n| n.to_string_lossy().into_owned());
        format!(
            "{}{name} — Spanmark",
            if self.session.is_dirty() { "• " } else { "" }
        )
    }

    // ----- per frame -----

    /// Draws one frame into `ui` (eframe and the kittest harness both call this).
    /// A panic in the frame is caught here: the work is written to an
    /// emergency recovery copy and an error dialog says where, instead of the
    /// window vanishing with unsaved work.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let frame = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.frame(ui)));
        if let Err(payload) = frame {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".into());
            self.after_panic(&message);
            ui.ctx().request_repaint();
        }
    }

    /// Saves an emergency copy after a caught panic and tells the analyst.
    fn after_panic(&mut self, message: &str) {
        let revision = self.session.revision();
        if self.ui.panic_copy == Some(revision) {
            return; // the same state was saved already; don't repeat every frame
        }
        self.ui.panic_copy = Some(revision);
        let bytes = crate::io::to_json_bytes(&self.session.project);
        let saved = match &self.dirs {
            Some(dirs) => crate::io::recovery::write_recovery(
                &dirs.recovery_dir,
                self.path.as_deref(),
                &bytes,
            )
            .map(|p| format!("A copy of your work was saved to {}.", p.display()))
            .unwrap_or_else(|e| format!("An emergency copy could not be written: {e}.")),
            None => "No recovery folder is set up, so no emergency copy was written.".into(),
        };
        self.push_dialog_first(Dialog::Error {
            title: "Spanmark hit an internal error".into(),
            message: format!(
                "{message}\n\n{saved} Save your project now (File → Save as…) and restart Spanmark. \
                 The recovery copy is offered the next time the project opens."
            ),
        });
    }

    fn frame(&mut self, ui: &mut egui::Ui) {
        if std::mem::take(&mut self.ui.inject_panic) {
            panic!("test panic injected into the frame");
        }
        let ctx = ui.ctx().clone();
        if !self.context_ready {
            super::setup_context(&ctx);
            ctx.options_mut(|o| {
                o.theme_preference = match self.settings.theme {
                    ThemeChoice::System => egui::ThemePreference::System,
                    ThemeChoice::Light => egui::ThemePreference::Light,
                    ThemeChoice::Dark => egui::ThemePreference::Dark,
                }
            });
            self.context_ready = true;
        }
        if let Some(path) = self.open_on_start.take() {
            self.open_now(&ctx, path);
        }
        let texts = std::mem::take(&mut self.texts_on_start);
        if !texts.is_empty() {
            self.request_new_from_texts(&ctx, texts);
        }
        self.poll_jobs(&ctx);
        self.guard_close(&ctx);
        super::autosave::tick(self, &ctx);
        let opening = self.is_busy();
        if self.ui.dialog.is_none() && !opening {
            self.handle_dropped_files(&ctx);
        }
        self.refresh_event_hints();
        // The role menu reads its own keys (a role's key, Esc).
        // So do modal windows of their own.
        let menu_open = self.ui.role_menu.is_some() || self.ui.document_date.is_open();
        if self.ui.dialog.is_none() && !opening && !self.ui.file_browser.is_open() && !menu_open {
            keys::handle(self, &ctx);
        }
        if self.ui.review.active() {
            super::review::refresh(self);
        }

        egui::Panel::top("menu").show(ui, |ui| super::menu::bar(self, ui));
        project_access::show_banner(self, ui);
        own_layer::show_banner(self, ui);
        egui::Panel::bottom("status").show(ui, |ui| status_bar::show(self, ui));
        let width = ui.max_rect().width();
        self.ui.window_width = width;
        if self.ui.panels.documents_shown(width) {
            egui::Panel::left("documents")
                .resizable(true)
                .default_size(super::panels::DOCUMENTS_WIDTH)
                .size_range(150.0..=400.0)
                .show(ui, |ui| documents_panel::show(self, ui));
        }
        if self.ui.panels.labels_shown(width) {
            egui::Panel::right("labels")
                .resizable(true)
                .default_size(super::panels::LABELS_WIDTH)
                .size_range(220.0..=520.0)
                .show(ui, |ui| {
                    if self.ui.review.active() {
                        super::review::panel::show(self, ui);
                        ui.separator();
                        labels_panel::show_for_review(self, ui);
                    } else {
                        labels_panel::show(self, ui);
                    }
                });
        }
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));

        super::schema_editor::show(self, &ctx);
        super::export_dialog::show(self, &ctx);
        super::import_dialog::show(self, &ctx);
        super::review::agreement_panel::show(self, &ctx);
        super::review::import::show_dialog(self, &ctx);
        super::label_all_preview::show(self, &ctx);
        super::document_date_dialog::show(self, &ctx);
        self.show_role_menu(&ctx);
        super::command_palette::show(self, &ctx);
        dialogs::show(self, &ctx);
        self.show_file_browser(&ctx);
        file_jobs::show_blocking_progress(self, &ctx);
        self.run_commands(&ctx);
        self.sync_settings(&ctx);
        self.text_edit_was_focused = ctx.text_edit_focused();
        let title = self.title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    fn central(&mut self, ui: &mut egui::Ui) {
        super::search_bar::show(self, ui);
        super::propagation::show(self, ui);
        let hits = super::search_bar::hits(self);
        let Some(doc) = self.session.document() else {
            ui.centered_and_justified(|ui| {
                ui.label("This project has no documents yet. Use File → Add text files…")
            });
            return;
        };
        let input = ViewInput {
            doc,
            layer: doc.layer(&self.session.layer_id()),
            schema: &self.session.project.schema,
            selection: self.session.selection(),
            selected_span: self.session.selected_span_id(),
            search_hits: &hits,
            show_tags: self.ui.show_tags,
            font_size: self.ui.font_size,
            arabic_font: self.ui.arabic_font,
            direction: self.document_direction(doc),
            review: self.ui.review.active().then(|| ReviewMarks {
                items: self.ui.review.items(),
                current: self.ui.review.current(),
                event: self.ui.review.current_frame_item().and_then(|item| {
                    let layers = self.ui.review.layers()?;
                    Some(ReviewEvent {
                        a: doc.layer(&layers.a).zip(item.a.as_ref()),
                        b: doc.layer(&layers.b).zip(item.b.as_ref()),
                    })
                }),
            }),
            focused_frame: self.session.selected_frame().map(|f| f.id),
        };
        let events = self.view.show(ui, &input);
        let ctx = ui.ctx().clone();
        for event in events {
            self.on_view_event(&ctx, event);
        }
    }

    fn on_view_event(&mut self, ctx: &egui::Context, event: TextViewEvent) {
        match event {
            TextViewEvent::Selected {
                anchor,
                head,
                exact,
            } => {
                if let Some(outcome) = self.session.select_range(anchor, head, exact) {
                    self.report_label(ctx, outcome);
                }
            }
            TextViewEvent::Clicked { pos, shift } => {
                if shift {
                    if let Some(outcome) = self.session.extend_selection(pos + 1) {
                        self.report_label(ctx, outcome);
                    }
                } else {
                    if self.link_clicked(ctx, pos) {
                        return;
                    }
                    if self.ui.review.active() {
                        super::review::actions::pick_at(self, pos);
                    }
                    if self.session.click_span_at(pos).is_none() {
                        self.session.set_cursor(pos);
                    }
                }
            }
            TextViewEvent::DoubleClicked { pos } => {
                if let Some(outcome) = self.session.select_word(pos) {
                    self.report_label(ctx, outcome);
                }
            }
            TextViewEvent::Resized { id, start, end } => {
                if let Some(doc) = self.session.document().map(|d| d.id.clone())
                    && !self.session.set_selected_range(&doc, id, start, end)
                {
                    self.set_status(ctx, "That range is not possible");
                }
            }
            TextViewEvent::LinkDropped { trigger, pos, at } => {
                self.open_role_menu(ctx, trigger, pos, at);
            }
        }
    }

    /// While a project opens, the one on screen is about to be replaced,
    /// and while a colleague's project is merged, the merge was computed on
    /// it: no edits, drops or shortcuts go to it.
    pub fn is_busy(&self) -> bool {
        self.jobs.blocks_editing()
    }

    /// Status line for what a labelling action did.
    pub fn report_label(&mut self, ctx: &egui::Context, outcome: LabelOutcome) {
        let text = match outcome {
            LabelOutcome::Created(id) => {
                let s = self.session.selected();
                let label = s.map(|s| s.label.clone()).unwrap_or_default();
                format!("Added {label} {id}")
            }
            LabelOutcome::Relabelled(_) => "Relabelled".to_string(),
            LabelOutcome::SlotsRefuse { span, label, slots } => {
                self.push_dialog(Dialog::RelabelSlots { span, label, slots });
                return;
            }
            LabelOutcome::Duplicate => {
                "Not added: the same span with this label exists already".to_string()
            }
            LabelOutcome::NothingSelected => "Select some text first".to_string(),
            LabelOutcome::ReadOnly(what) => {
                format!("Not added: {what} is read-only. {}", self.read_only_hint())
            }
        };
        self.set_status(ctx, text);
    }

    /// Intercepts closing the window while there are unsaved changes. While
    /// a save runs, the window closes once it has finished.
    fn guard_close(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        if self.jobs.is_running(super::jobs::JobKind::SaveProject) && !self.close_after_save {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.close_after_save = true;
            self.set_status(ctx, "Closing once the save has finished…");
            return;
        }
        if self.session.is_dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.push_dialog(Dialog::UnsavedChanges {
                then: AfterUnsaved::Quit,
            });
        }
    }
}

/// Local wall-clock time as hh:mm (the system's time zone).
pub(crate) fn clock_time() -> String {
    super::when::clock(jiff::Timestamp::now(), &super::when::local_zone())
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        SpanmarkApp::ui(self, ui);
    }

    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        keys::take_tabs(self, ctx, raw_input);
    }
}
