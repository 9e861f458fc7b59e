//! File → Import annotations…: spans made in brat, doccano, Label Studio,
//! spaCy/Prodigy or CoNLL. Files are read and checked on a worker thread; the
//! result is added to the project as one undoable step, and the dialog shows
//! what was imported, or the first problem with its location.

use std::path::PathBuf;

use eframe::egui;

use super::app::job_output::JobOutput;
use super::app::{FilePurpose, SpanmarkApp};
use super::file_dialogs::FileRequest;
use super::jobs::JobKind;
use crate::io::formats::ImportFormat;
use crate::io::formats::import::{self, ImportedDoc};
use crate::model::project_diff::edit_between;

/// Formats the dialog offers, with what each expects.
const FORMATS: [(ImportFormat, &str, &[&str]); 5] = [
    (
        ImportFormat::Brat,
        "brat standoff (.ann + .txt)",
        &["ann", "txt"],
    ),
    (ImportFormat::Doccano, "doccano JSONL", &["jsonl", "json"]),
    (
        ImportFormat::LabelStudio,
        "Label Studio JSON export",
        &["json"],
    ),
    (ImportFormat::Jsonl, "spaCy / Prodigy JSONL", &["jsonl"]),
    (
        ImportFormat::Conll,
        "CoNLL / IOB2",
        &["conll", "txt", "tsv", "iob"],
    ),
];

fn describe(f: ImportFormat) -> &'static str {
    FORMATS
        .iter()
        .find(|x| x.0 == f)
        .map_or("annotations", |x| x.1)
}

/// The import dialog's state.
pub struct ImportDialog {
    pub open: bool,
    format: ImportFormat,
    pub files: Vec<PathBuf>,
    /// Layer for the spans; empty: the annotator named in the file, else the file name.
    layer: String,
    /// What the last import did, or why it failed.
    pub result: Option<Result<String, String>>,
}

impl Default for ImportDialog {
    fn default() -> Self {
        ImportDialog {
            open: false,
            format: ImportFormat::Doccano,
            files: Vec::new(),
            layer: String::new(),
            result: None,
        }
    }
}

/// Reads the chosen files on a worker (parsing and checking is the slow part).
fn start(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let d = &mut app.ui.import;
    if d.files.is_empty() {
        return;
    }
    let (files, format) = (d.files.clone(), d.format);
    let originals: Vec<String> = app
        .session
        .project
        .documents
        .iter()
        .map(|d| d.text().to_string())
        .collect();
    let label = match files.len() {
        1 => "Importing 1 file".to_string(),
        n => format!("Importing {n} files"),
    };
    app.jobs
        .spawn(ctx, JobKind::ImportAnnotations, label, move |progress| {
            progress.stage("Reading and checking the files", 0);
            JobOutput::Imported(
                import::read_files(format, &files, &originals).map_err(|e| e.to_string()),
            )
        });
    app.ui.import.result = None;
}

/// Adds what the worker read to the project, as one undoable edit.
fn add_to_project(
    app: &mut SpanmarkApp,
    docs: Vec<ImportedDoc>,
    undo: &str,
) -> Result<String, String> {
    let d = &app.ui.import;
    let layer = Some(d.layer.trim()).filter(|l| !l.is_empty());
    let fallback = d
        .files
        .first()
        .and_then(|p| p.file_stem())
        .map_or("imported".to_string(), |s| s.to_string_lossy().into_owned());
    let mut next = app.session.project.clone();
    let report = import::merge(&mut next, docs, layer, &fallback, &Default::default())
        .map_err(|e| e.to_string())?;
    let cmd = edit_between(&app.session.project, &next);
    app.session.apply(cmd).map_err(|e| e.to_string())?;
    Ok(format!("{report}{undo} undoes the whole import."))
}

/// Adds what the worker read (called by the app's job poller) and shows
/// what was imported, or why not.
pub fn finish(app: &mut SpanmarkApp, ctx: &egui::Context, read: Result<Vec<ImportedDoc>, String>) {
    let undo = crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::Undo);
    let result = read.and_then(|docs| add_to_project(app, docs, &undo));
    if result.is_ok() {
        app.set_status(ctx, format!("Annotations imported ({undo} to undo)"));
    }
    app.ui.import.result = Some(result);
}

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if !app.ui.import.open {
        return;
    }
    let mut open = true;
    egui::Window::new("Import annotations")
        .open(&mut open)
        .collapsible(false)
        .default_width(460.0)
        .show(ctx, |ui| body(app, ui));
    if !open && !app.jobs.is_running(JobKind::ImportAnnotations) {
        app.ui.import.open = false;
    }
}

fn body(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let running = app.jobs.is_running(JobKind::ImportAnnotations);
    ui.add_enabled_ui(!running, |ui| {
        egui::Grid::new("import-form").num_columns(2).show(ui, |ui| {
            let d = &mut app.ui.import;
            let caption = ui.label("Format");
            egui::ComboBox::from_id_salt("import-format")
                .selected_text(describe(d.format))
                .show_ui(ui, |ui| {
                    for (f, name, _) in FORMATS {
                        ui.selectable_value(&mut d.format, f, name);
                    }
                })
                .response
                .labelled_by(caption.id);
            ui.end_row();
            let caption = ui.label("Layer");
            ui.add(
                egui::TextEdit::singleline(&mut d.layer)
                    .hint_text("from the file (annotator, else file name)"),
            )
            .labelled_by(caption.id);
            ui.end_row();
        });
        ui.horizontal(|ui| {
            if ui.button("Choose files…").clicked() {
                let exts = FORMATS
                    .iter()
                    .find(|x| x.0 == app.ui.import.format)
                    .map_or(&[][..], |x| x.2);
                let request = FileRequest::OpenFiles {
                    kind: describe(app.ui.import.format).to_string(),
                    extensions: exts.iter().map(|e| e.to_string()).collect(),
                };
                app.ask_for_files(ui.ctx(), request, FilePurpose::ImportFiles);
            }
            if app.ui.import.format == ImportFormat::Brat
                && ui.button("Choose folder…").clicked()
            {
                app.ask_for_files(ui.ctx(), FileRequest::PickFolder, FilePurpose::ImportFolder);
            }
        });
        for f in &app.ui.import.files {
            ui.weak(f.display().to_string());
        }
        if app.ui.import.files.is_empty() {
            ui.weak("No files chosen yet.");
        }
        ui.label(
            "Spans on a text that is already in the project are added to it as a layer; \
             other texts become new documents. Nothing is imported if any span does not fit its text.",
        );
        if ui
            .add_enabled(!app.ui.import.files.is_empty(), egui::Button::new("Import"))
            .clicked()
        {
            start(app, &ui.ctx().clone());
        }
    });
    if running {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Reading and checking the files…");
        });
    }
    match &app.ui.import.result {
        Some(Ok(summary)) => {
            ui.separator();
            ui.strong("Imported");
            ui.label(summary);
        }
        Some(Err(e)) => {
            ui.separator();
            ui.colored_label(ui.visuals().error_fg_color, format!("Not imported: {e}"));
        }
        None => {}
    }
}
