//! The command palette (Ctrl+Shift+P): a filter box over every command of
//! the table, with its shortcut, as in VS Code and rerun. Enter runs the
//! first command that matches and can run; a click runs any; Esc closes.

use eframe::egui;

use super::app::SpanmarkApp;
use super::command::{AppCommand, shortcuts_text};

/// The palette's own state, kept between frames.
#[derive(Debug, Default)]
pub struct CommandPalette {
    pub open: bool,
    pub filter: String,
    /// Focus the filter box on the next frame (just opened).
    focus: bool,
}

impl CommandPalette {
    pub fn toggle(&mut self) {
        self.open = !self.open;
        if self.open {
            self.filter.clear();
            self.focus = true;
        }
    }
}

/// The commands whose name holds every word of `filter` (any case), in
/// table order; not the keys a dialog reads itself (Enter, Esc).
pub fn matching(all: Vec<AppCommand>, filter: &str) -> Vec<AppCommand> {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    all.into_iter()
        .filter(|c| c.context() != super::command::Context::Dialog)
        .filter(|c| {
            let name = c.name().to_lowercase();
            words.iter().all(|w| name.contains(w.as_str()))
        })
        .collect()
}

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if !app.ui.palette.open {
        return;
    }
    let state = app.command_state();
    let schema = app.session.project.schema.clone();
    let mut chosen = None;
    let mut close = false;
    let mut open = true;
    egui::Window::new("Command palette")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
        .default_width(460.0)
        .show(ctx, |ui| {
            let palette = &mut app.ui.palette;
            let field = ui.add(
                egui::TextEdit::singleline(&mut palette.filter)
                    .hint_text("Type to find a command")
                    .desired_width(f32::INFINITY),
            );
            if std::mem::take(&mut palette.focus) {
                field.request_focus();
            }
            let enter = field.lost_focus() && super::command::confirm_pressed(ui.ctx());
            close |= super::command::cancel_pressed(ui.ctx());
            let found = matching(AppCommand::all(&schema), &palette.filter);
            if enter {
                chosen = found.iter().find(|c| c.enabled(&state)).cloned();
                close = true;
            }
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    egui::Grid::new("palette-commands")
                        .num_columns(2)
                        .striped(true)
                        .show(ui, |ui| {
                            for c in found {
                                let button = egui::Button::new(c.name()).frame(false);
                                if ui.add_enabled(c.enabled(&state), button).clicked() {
                                    chosen = Some(c.clone());
                                }
                                ui.weak(shortcuts_text(&c, &schema));
                                ui.end_row();
                            }
                        });
                });
        });
    if let Some(c) = chosen {
        app.queue(c);
        close = true;
    }
    if close || !open {
        app.ui.palette.open = false;
    }
}
