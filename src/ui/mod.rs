//! The egui app. For now a read-only viewer of the project's documents;
//! the annotation workspace replaces it.

use eframe::egui;

use crate::model::Project;

/// App state that lives across frames.
pub struct SpanmarkApp {
    project: Project,
    title: String,
    selected: usize,
}

impl SpanmarkApp {
    pub fn new(project: Project, title: impl Into<String>) -> Self {
        SpanmarkApp {
            project,
            title: title.into(),
            selected: 0,
        }
    }

    /// Draws one frame into `ui` (also driven headless by tests).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::left("documents")
            .resizable(true)
            .show(ui, |ui| {
                ui.heading("Documents");
                for (i, d) in self.project.documents.iter().enumerate() {
                    let label = format!("{} ({}, {} spans)", d.name, d.status, d.span_count());
                    if ui.selectable_label(i == self.selected, label).clicked() {
                        self.selected = i;
                    }
                }
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(&self.title);
            match self.project.documents.get(self.selected) {
                Some(d) => {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        ui.label(d.text());
                    });
                }
                None => {
                    ui.label("This project has no documents yet.");
                }
            }
        });
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        SpanmarkApp::ui(self, ui);
    }
}

/// Opens the app window on `project`.
pub fn run_app(project: Project, title: String) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1200.0, 800.0])
            .with_title(format!("Spanmark — {title}")),
        ..Default::default()
    };
    eframe::run_native(
        "Spanmark",
        options,
        Box::new(move |_cc| Ok(Box::new(SpanmarkApp::new(project, title)))),
    )
}
