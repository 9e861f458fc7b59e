//! The menu bar.

use eframe::egui;

use super::app::{AfterUnsaved, Dialog, SpanmarkApp};

pub fn bar(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui.button("New project from text files…").clicked() {
                let paths = app.dialogs.open_texts();
                app.request_new_from_texts(&ctx, paths);
            }
            if ui.button("Add text files…").clicked() {
                let paths = app.dialogs.open_texts();
                app.add_text_files(&ctx, &paths);
            }
            if ui.button("Open project…  Ctrl+O").clicked()
                && let Some(path) = app.dialogs.open_project()
            {
                app.request_open(&ctx, path);
            }
            let recent = app.settings.recent.clone();
            ui.add_enabled_ui(!recent.is_empty(), |ui| {
                ui.menu_button("Open recent", |ui| {
                    for path in recent {
                        if ui.button(path.display().to_string()).clicked() {
                            app.request_open(&ctx, path);
                        }
                    }
                });
            });
            if ui
                .button(format!("Annotator: {}…", app.session.annotator))
                .clicked()
            {
                let name = app.session.annotator.clone();
                app.push_dialog(Dialog::AskAnnotator { name, switch: true });
            }
            ui.separator();
            if ui.button("Save  Ctrl+S").clicked() {
                app.save(&ctx);
            }
            if ui.button("Save as…  Ctrl+Shift+S").clicked() {
                app.save_as(&ctx);
            }
            ui.separator();
            if ui
                .button("Import annotations (brat, doccano, …)…")
                .clicked()
            {
                app.ui.import.open = true;
            }
            if ui.button("Import colleague's annotations…").clicked() {
                super::review::import::start(app, &ctx);
            }
            if ui.button("Export…").clicked() {
                app.ui.export.open = true;
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                if app.session.is_dirty() {
                    app.ui.dialog = Some(Dialog::UnsavedChanges {
                        then: AfterUnsaved::Quit,
                    });
                } else {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        });
        ui.menu_button("Edit", |ui| {
            let undo = app
                .session
                .history()
                .undo_description()
                .map(|d| format!("Undo {d}  Ctrl+Z"));
            if ui
                .add_enabled(
                    undo.is_some(),
                    egui::Button::new(undo.unwrap_or("Undo".into())),
                )
                .clicked()
            {
                let _ = app.session.undo();
            }
            let redo = app
                .session
                .history()
                .redo_description()
                .map(|d| format!("Redo {d}  Ctrl+Shift+Z"));
            if ui
                .add_enabled(
                    redo.is_some(),
                    egui::Button::new(redo.unwrap_or("Redo".into())),
                )
                .clicked()
            {
                let _ = app.session.redo();
            }
        });
        ui.menu_button("View", |ui| {
            ui.checkbox(&mut app.ui.show_tags, "Label tags on spans");
            ui.horizontal(|ui| {
                let caption = ui.label("Text size");
                ui.add(egui::Slider::new(&mut app.ui.font_size, 11.0..=28.0).show_value(false))
                    .labelled_by(caption.id);
                ui.label(format!("{:.0} pt", app.ui.font_size));
            });
            ui.horizontal(|ui| {
                ui.label("Theme");
                let current = ui.ctx().options(|o| o.theme_preference);
                for (choice, name) in [
                    (egui::ThemePreference::System, "Follow system"),
                    (egui::ThemePreference::Light, "Light"),
                    (egui::ThemePreference::Dark, "Dark"),
                ] {
                    if ui.selectable_label(current == choice, name).clicked() {
                        ui.ctx().set_theme(choice);
                    }
                }
            });
        });
        ui.menu_button("Review", |ui| {
            let active = app.ui.review.active;
            if ui
                .button(if active {
                    "Leave review mode  F7"
                } else {
                    "Review mode  F7"
                })
                .clicked()
            {
                if active {
                    super::review::actions::stop(app, &ctx);
                } else {
                    super::review::actions::start(app, &ctx);
                }
            }
            if ui.button("Import colleague's annotations…").clicked() {
                super::review::import::start(app, &ctx);
            }
            ui.add_enabled_ui(active, |ui| {
                if ui.button("Accept all agreements").clicked() {
                    super::review::actions::accept_all_agreements(app, &ctx);
                }
                if ui.button("Agreement…  F8").clicked() {
                    app.ui.review.show_agreement = true;
                }
            });
        });
        ui.menu_button("Help", |ui| {
            if ui.button("Keyboard shortcuts  F1").clicked() {
                app.ui.show_help = true;
            }
        });
    });
}
