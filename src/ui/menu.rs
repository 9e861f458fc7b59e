//! The menu bar, made from the command table: each item queues its command
//! and shows the command's first shortcut.

use eframe::egui;

use super::app::SpanmarkApp;
use super::command::{AppCommand, CommandState, Group};

/// A menu item for `command`; `text` replaces its name (e.g. "Undo add span").
fn item(
    app: &mut SpanmarkApp,
    ui: &mut egui::Ui,
    state: &CommandState,
    command: AppCommand,
    text: Option<String>,
) {
    let mut button = egui::Button::new(text.unwrap_or_else(|| command.name()));
    if let Some(s) = command.shortcuts().first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(s));
    }
    if ui.add_enabled(command.enabled(state), button).clicked() {
        app.queue(command);
    }
}

/// The menu commands of `group`, in table order.
fn commands_of(group: Group) -> Vec<AppCommand> {
    AppCommand::fixed()
        .into_iter()
        .filter(|c| c.group() == group && c.in_menu())
        .collect()
}

pub fn bar(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let state = app.command_state();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            for c in commands_of(Group::File) {
                if matches!(
                    c,
                    AppCommand::Save | AppCommand::ImportAnnotations | AppCommand::Quit
                ) {
                    ui.separator();
                }
                let text = (c == AppCommand::ChooseAnnotator)
                    .then(|| format!("Annotator: {}…", app.session.annotator()));
                item(app, ui, &state, c.clone(), text);
                if c == AppCommand::OpenProject {
                    recent(app, ui);
                }
            }
        });
        ui.menu_button("Edit", |ui| {
            for c in commands_of(Group::Edit) {
                let history = app.session.history();
                let text = match c {
                    AppCommand::Undo => history.undo_description().map(|d| format!("Undo {d}")),
                    AppCommand::Redo => history.redo_description().map(|d| format!("Redo {d}")),
                    _ => None,
                };
                item(app, ui, &state, c, text);
            }
        });
        ui.menu_button("View", |ui| {
            let mut tags = app.ui.show_tags;
            if ui
                .checkbox(&mut tags, AppCommand::ToggleTags.name())
                .clicked()
            {
                app.queue(AppCommand::ToggleTags);
            }
            let width = app.ui.window_width;
            for (command, shown) in [
                (
                    AppCommand::ToggleDocumentsPanel,
                    app.ui.panels.documents_shown(width),
                ),
                (
                    AppCommand::ToggleLabelsPanel,
                    app.ui.panels.labels_shown(width),
                ),
            ] {
                let mut on = shown;
                let shortcut = command
                    .shortcuts()
                    .first()
                    .map(super::command::shortcut_text)
                    .unwrap_or_default();
                if ui
                    .checkbox(&mut on, format!("{} {shortcut}", command.name()))
                    .clicked()
                {
                    app.queue(command);
                }
            }
            item(app, ui, &state, AppCommand::EditLabels, None);
            ui.separator();
            text_size_and_theme(app, ui);
        });
        ui.menu_button("Events", |ui| {
            let schema = app.session.project.schema.clone();
            let commands: Vec<AppCommand> = AppCommand::all(&schema)
                .into_iter()
                .filter(|c| c.group() == Group::Events && c.in_menu())
                .collect();
            for c in commands {
                if c == AppCommand::AcceptSuggestedLink {
                    ui.separator();
                }
                // A role's key is typed text, shown after its name.
                let text = c
                    .label_key(&schema)
                    .map(|k| format!("{}   [{k}]", c.name()));
                item(app, ui, &state, c, text);
            }
        });
        ui.menu_button("Review", |ui| {
            for c in commands_of(Group::Review) {
                let text = (c == AppCommand::ToggleReview).then(|| {
                    if state.reviewing {
                        "Leave review mode".to_string()
                    } else {
                        "Review mode".to_string()
                    }
                });
                item(app, ui, &state, c, text);
            }
            item(app, ui, &state, AppCommand::ImportColleague, None);
        });
        ui.menu_button("Help", |ui| {
            for c in commands_of(Group::Help) {
                item(app, ui, &state, c, None);
            }
        });
    });
}

fn recent(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let recent = app.settings.recent.clone();
    let ctx = ui.ctx().clone();
    ui.add_enabled_ui(!recent.is_empty(), |ui| {
        ui.menu_button("Open recent", |ui| {
            for path in recent {
                if ui.button(path.display().to_string()).clicked() {
                    app.request_open(&ctx, path);
                }
            }
        });
    });
}

use crate::text_layout::ArabicFont;

fn text_size_and_theme(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        let caption = ui.label("Text size");
        ui.add(egui::Slider::new(&mut app.ui.font_size, 11.0..=28.0).show_value(false))
            .labelled_by(caption.id);
        ui.label(format!("{:.0} pt", app.ui.font_size));
    });
    ui.horizontal(|ui| {
        ui.label("Urdu/Pashto font");
        for font in [ArabicFont::Naskh, ArabicFont::Nastaliq] {
            if ui
                .selectable_label(app.ui.arabic_font == font, font.label())
                .on_hover_text(match font {
                    ArabicFont::Naskh => "Compact; has every Pashto letter",
                    ArabicFont::Nastaliq => "The usual style for Urdu; taller lines",
                })
                .clicked()
            {
                app.ui.arabic_font = font;
            }
        }
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
}
