//! File → Export…: format, layer and options, a folder, then the export runs
//! on a worker thread with a progress bar and ends with its summary.

use std::path::PathBuf;

use eframe::egui;

use super::app::job_output::JobOutput;
use super::app::{FilePurpose, SpanmarkApp};
use super::file_dialogs::FileRequest;
use super::jobs::JobKind;
use crate::io::formats::{
    ExportFormat, ExportOptions, ExportSummary, LayerChoice, OverlapPolicy, Progress, Split, Unit,
    export,
};

/// The export dialog's state.
pub struct ExportDialog {
    pub open: bool,
    format: ExportFormat,
    /// `None`: automatic; `Some("gold")` is the gold layer.
    layer: Option<String>,
    only_done: bool,
    split: String,
    seed: u64,
    per_document: bool,
    overlap: OverlapPolicy,
    /// CSV cells exactly, without the formula guard.
    raw: bool,
    /// Write into a folder that holds other files.
    force: bool,
    pub folder: Option<PathBuf>,
    /// The last export's summary, or why it failed.
    pub result: Option<Result<String, String>>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        ExportDialog {
            open: false,
            format: ExportFormat::Jsonl,
            layer: None,
            only_done: false,
            split: String::new(),
            seed: 0,
            per_document: false,
            overlap: OverlapPolicy::Outer,
            raw: false,
            force: false,
            folder: None,
            result: None,
        }
    }
}

fn options(d: &ExportDialog) -> Result<ExportOptions, String> {
    let layer = match d.layer.as_deref() {
        None => LayerChoice::Auto,
        Some("gold") => LayerChoice::Gold,
        Some(name) => LayerChoice::Annotator(name.to_string()),
    };
    let split = if d.split.trim().is_empty() {
        None
    } else {
        Some(Split::parse(d.split.trim(), d.seed)?)
    };
    Ok(ExportOptions {
        progress: Progress::default(),
        layer,
        only_done: d.only_done,
        split,
        unit: if d.per_document {
            Unit::Document
        } else {
            Unit::Sentence
        },
        overlap: d.overlap,
        raw: d.raw,
        force: d.force,
    })
}

/// Starts the export on a worker with a snapshot of the project.
fn start(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(folder) = app.ui.export.folder.clone() else {
        return;
    };
    let mut opts = match options(&app.ui.export) {
        Ok(o) => o,
        Err(e) => {
            app.ui.export.result = Some(Err(e));
            return;
        }
    };
    let project = app.session.project.clone();
    let format = app.ui.export.format;
    app.jobs
        .spawn(ctx, JobKind::Export, "Exporting", move |progress| {
            progress.stage("Writing documents", project.documents.len() as u64);
            opts.progress = Progress::new(progress.clone());
            let result = export(&project, format, &folder, &opts).map(|mut summary| {
                if summary.layer == "gold" {
                    summary
                        .warnings
                        .extend(crate::review::completeness::warning(&project));
                }
                summary
            });
            JobOutput::Exported(result.map_err(|e| e.to_string()))
        });
    app.ui.export.result = None;
}

/// Shows a finished export's summary (called by the app's job poller).
pub fn finish(app: &mut SpanmarkApp, result: Result<ExportSummary, String>) {
    app.ui.export.result = Some(result.map(|s| s.to_string()));
}

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if !app.ui.export.open {
        return;
    }
    let mut open = true;
    egui::Window::new("Export")
        .open(&mut open)
        .collapsible(false)
        .default_width(460.0)
        .show(ctx, |ui| body(app, ui));
    if !open && !app.jobs.is_running(JobKind::Export) {
        app.ui.export.open = false;
    }
}

fn body(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let layers: Vec<String> = app.session.project.annotators.clone();
    let has_gold = app
        .session
        .project
        .documents
        .iter()
        .any(|d| d.gold.is_some());
    let running = app.jobs.is_running(JobKind::Export);
    let mut pick = false;
    let mut go = false;
    let counts = app.jobs.find(JobKind::Export).map(|j| j.progress.counts());
    let d = &mut app.ui.export;
    ui.add_enabled_ui(!running, |ui| {
        egui::Grid::new("export-options")
            .num_columns(2)
            .show(ui, |ui| {
                let caption = ui.label("Format");
                egui::ComboBox::from_id_salt("export-format")
                    .selected_text(d.format.name())
                    .show_ui(ui, |ui| {
                        for f in ExportFormat::ALL {
                            ui.selectable_value(&mut d.format, f, f.name());
                        }
                    })
                    .response
                    .labelled_by(caption.id);
                ui.end_row();
                let caption = ui.label("Layer");
                let shown = d.layer.clone().unwrap_or_else(|| "automatic".into());
                egui::ComboBox::from_id_salt("export-layer")
                    .selected_text(shown)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(
                            &mut d.layer,
                            None,
                            "automatic (gold, else the only layer)",
                        );
                        if has_gold {
                            ui.selectable_value(&mut d.layer, Some("gold".into()), "gold");
                        }
                        for l in &layers {
                            ui.selectable_value(&mut d.layer, Some(l.clone()), l);
                        }
                    })
                    .response
                    .labelled_by(caption.id);
                ui.end_row();
                ui.label("Documents");
                ui.checkbox(&mut d.only_done, "Only documents marked done");
                ui.end_row();
                ui.label("Split");
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut d.split)
                            .hint_text("e.g. train=0.8,dev=0.1,test=0.1")
                            .desired_width(220.0),
                    );
                    ui.add(egui::DragValue::new(&mut d.seed).prefix("seed "));
                });
                ui.end_row();
                ui.label("CoNLL / HF");
                ui.horizontal(|ui| {
                    ui.checkbox(&mut d.per_document, "One record per document");
                    egui::ComboBox::new("export-overlap", "overlap")
                        .selected_text(format!("{:?}", d.overlap))
                        .show_ui(ui, |ui| {
                            for (p, name) in [
                                (OverlapPolicy::Outer, "Outer (outermost, then longest)"),
                                (OverlapPolicy::Inner, "Inner"),
                                (OverlapPolicy::Longest, "Longest"),
                                (OverlapPolicy::First, "First annotated"),
                            ] {
                                ui.selectable_value(&mut d.overlap, p, name);
                            }
                        });
                });
                ui.end_row();
                ui.label("CSV");
                ui.checkbox(
                    &mut d.raw,
                    "Raw cells (no ' before = + - @, for programs, not spreadsheets)",
                );
                ui.end_row();
                ui.label("Folder");
                ui.horizontal(|ui| {
                    pick = ui.button("Choose folder…").clicked();
                    ui.label(
                        d.folder
                            .as_ref()
                            .map_or("none chosen".into(), |f| f.display().to_string()),
                    );
                });
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut d.force, "Also if the folder holds other files");
                ui.end_row();
            });
        go = ui
            .add_enabled(d.folder.is_some(), egui::Button::new("Export now"))
            .clicked();
    });
    if let Some((done, total)) = counts {
        let done = done.min(total);
        ui.add(
            egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                .text(format!("{done} of {total} documents")),
        );
    }
    match &d.result {
        Some(Ok(summary)) => {
            ui.separator();
            ui.strong("Export finished");
            egui::ScrollArea::vertical()
                .max_height(220.0)
                .show(ui, |ui| ui.monospace(summary.as_str()));
        }
        Some(Err(e)) => {
            ui.separator();
            ui.colored_label(ui.visuals().error_fg_color, format!("Export failed: {e}"));
        }
        None => {}
    }
    if pick {
        app.ask_for_files(
            &ui.ctx().clone(),
            FileRequest::PickFolder,
            FilePurpose::ExportFolder,
        );
    }
    if go {
        start(app, &ui.ctx().clone());
    }
}
