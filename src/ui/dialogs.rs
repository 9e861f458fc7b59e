//! Modal dialogs (unsaved changes, errors) and the shortcuts window.

use eframe::egui;

use super::app::{Dialog, SpanmarkApp};

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if app.ui.show_help {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, help);
        app.ui.show_help = open;
    }
    let Some(dialog) = app.ui.dialog.clone() else {
        return;
    };
    match dialog {
        Dialog::UnsavedChanges { then } => {
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
                ui.heading("Save changes?");
                ui.label("This project has changes that are not saved yet.");
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        choice = Some(1);
                    }
                    if ui.button("Don't save").clicked() {
                        choice = Some(2);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(3);
                    }
                });
            });
            match choice {
                Some(1) => {
                    app.ui.dialog = None;
                    if app.save(ctx) {
                        app.continue_after_unsaved(ctx, then);
                    }
                }
                Some(2) => {
                    app.ui.dialog = None;
                    app.continue_after_unsaved(ctx, then);
                }
                Some(_) => app.ui.dialog = None,
                None => {}
            }
        }
        Dialog::Error { title, message } => {
            let mut close = false;
            egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
                ui.set_max_width(480.0);
                ui.heading(title);
                ui.label(message);
                close = ui.button("OK").clicked();
            });
            if close {
                app.ui.dialog = None;
            }
        }
    }
}

/// Every shortcut, grouped.
const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Select",
        &[
            ("Drag", "select, snapped to whole words"),
            ("Alt+drag", "select exact characters"),
            ("Double-click", "select a word"),
            ("Shift+click", "extend the selection"),
            ("Shift+←/→", "extend by a character"),
            ("Ctrl+Shift+←/→", "extend by a word"),
            ("Esc", "clear the selection (again: stop sticky label)"),
        ],
    ),
    (
        "Label",
        &[
            (
                "1–4 (label key)",
                "label the selection, or relabel the selected span",
            ),
            (
                "Label key with nothing selected",
                "sticky label: every selection gets it",
            ),
            (
                "Click a span",
                "select it; click again to cycle through nested spans",
            ),
            ("Tab / Shift+Tab", "next / previous span"),
            ("Delete / Backspace", "remove the selected span"),
            ("Alt+Shift+←/→", "move the selected span's end"),
            ("Alt+Ctrl+←/→", "move the selected span's start"),
        ],
    ),
    (
        "Document and project",
        &[
            ("Ctrl+Enter", "mark done and open the next document"),
            ("Ctrl+Z", "undo"),
            ("Ctrl+Shift+Z / Ctrl+Y", "redo"),
            ("Ctrl+S / Ctrl+Shift+S", "save / save as"),
            ("Ctrl+O", "open a project"),
            ("F1", "this window"),
        ],
    ),
];

fn help(ui: &mut egui::Ui) {
    for (group, keys) in SHORTCUTS {
        ui.strong(*group);
        egui::Grid::new(*group)
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for (k, what) in *keys {
                    ui.monospace(*k);
                    ui.label(*what);
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
    }
}
