//! Modal dialogs (unsaved changes, errors) and the shortcuts window.

use eframe::egui;

use super::app::{Dialog, SpanmarkApp};

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if app.ui.show_help {
        let mut open = true;
        egui::Window::new("Keyboard shortcuts")
            .open(&mut open)
            .collapsible(false)
            .resizable(true)
            .default_size([520.0, 620.0])
            .show(ctx, |ui| help(ui, &app.session.project.schema));
        app.ui.show_help = open;
    }
    let Some(dialog) = app.ui.dialog.clone() else {
        return;
    };
    match dialog {
        Dialog::UnsavedChanges { then } => {
            let choice = choice_modal(
                ctx,
                "unsaved-changes",
                "Save changes?",
                |ui| {
                    ui.label("This project has changes that are not saved yet.");
                },
                &["Save", "Don't save", "Cancel"],
            );
            match choice {
                Some(1) => {
                    app.close_dialog();
                    app.save_then(ctx, Some(then));
                }
                Some(2) => {
                    app.close_dialog();
                    app.continue_after_unsaved(ctx, then);
                }
                Some(_) => app.close_dialog(),
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
            close |= escape(ctx);
            if close {
                app.close_dialog();
            }
        }
        Dialog::Recovery { entry } => {
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading("Recover unsaved work?");
                let when = super::when::moment_of(&entry.meta.written_at);
                ui.label(match &entry.meta.original {
                    Some(p) => format!(
                        "Spanmark found an autosaved copy of {} from {when}, newer than the saved file. \
                         The last session probably ended before it was saved.",
                        p.display()
                    ),
                    None => format!(
                        "Spanmark found an autosaved copy of an untitled project from {when}. \
                         The last session probably ended before it was saved."
                    ),
                });
                ui.horizontal(|ui| {
                    if ui.button("Restore").on_hover_text("Continue from the autosaved copy").clicked() {
                        choice = Some(1);
                    }
                    if ui.button("Open copy as untitled").on_hover_text("Keep the saved file as it is").clicked() {
                        choice = Some(2);
                    }
                    if ui.button("Discard").on_hover_text("Delete the autosaved copy").clicked() {
                        choice = Some(3);
                    }
                });
            });
            // Esc decides later: the copy stays and is offered again next time.
            if choice.is_none() && escape(ctx) {
                app.close_dialog();
                app.set_status(
                    ctx,
                    "The autosaved copy is kept; it is offered again next time",
                );
                return;
            }
            match choice {
                Some(1) => {
                    app.close_dialog();
                    app.restore_recovery(ctx, &entry, true);
                }
                Some(2) => {
                    app.close_dialog();
                    app.restore_recovery(ctx, &entry, false);
                }
                Some(_) => {
                    app.close_dialog();
                    app.discard_recovery();
                }
                None => {}
            }
        }
        Dialog::ShortRoles { problems, first } => {
            let choice = choice_modal(
                ctx,
                "short-roles",
                "Mark done with roles missing?",
                |ui| {
                    ui.label("The schema needs these roles filled:");
                    for p in problems.iter().take(8) {
                        ui.label(format!("• {p}"));
                    }
                    if problems.len() > 8 {
                        ui.weak(format!("and {} more", problems.len() - 8));
                    }
                },
                &["Go to the event", "Mark done anyway", "Cancel"],
            );
            match choice {
                Some(1) => {
                    app.close_dialog();
                    if let Some((trigger, frame)) = first {
                        app.go_to_span(trigger);
                        app.session.focus_frame(frame);
                    }
                }
                Some(2) => {
                    app.close_dialog();
                    app.mark_done_now(ctx);
                }
                Some(_) => app.close_dialog(),
                None => {}
            }
        }
        Dialog::RelabelSlots { span, label, slots } => {
            let text = app.session.document().and_then(|d| {
                let s = d.layer(&app.session.layer_id())?.get(span)?;
                Some(d.slice(s.start(), s.end())?.to_string())
            });
            let choice = choice_modal(
                ctx,
                "relabel-slots",
                &format!("Relabel as {label}?"),
                |ui| {
                    ui.label(format!(
                        "“{}” fills roles that do not take {label}:",
                        text.unwrap_or_default()
                    ));
                    for (frame, role) in slots.iter().take(8) {
                        ui.label(format!("• {role} of event {frame}"));
                    }
                    ui.label(
                        "Keep them, and the events name a span their roles do not take, \
                         or empty those roles.",
                    );
                },
                &["Keep the roles", "Empty those roles", "Cancel"],
            );
            if let Some(c @ (1 | 2)) = choice {
                app.close_dialog();
                let outcome = app.session.relabel_span(span, &label, c == 1);
                match outcome {
                    Ok(()) if c == 1 => {
                        app.set_status(ctx, format!("Relabelled as {label}; roles kept"))
                    }
                    Ok(()) => app.set_status(
                        ctx,
                        format!("Relabelled as {label}; {} role(s) emptied", slots.len()),
                    ),
                    Err(e) => app.set_status(ctx, format!("Not relabelled: {e}")),
                }
            } else if choice.is_some() {
                app.close_dialog();
            }
        }
        Dialog::ChangedOnDisk { path, then } => {
            let mut choice = None;
            egui::Modal::new(egui::Id::unique("changed-on-disk")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading("The file changed on disk");
                ui.label(format!(
                    "{} was changed by another program (or a sync client) since you opened or saved it. \
                     Saving now would replace those changes.",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Overwrite").on_hover_text("Replace the file with your version (the replaced one is kept as .bak)").clicked() {
                        choice = Some(1);
                    }
                    if ui.button("Save as…").on_hover_text("Keep the changed file; save your version under another name").clicked() {
                        choice = Some(2);
                    }
                    if ui.button("Cancel").clicked() {
                        choice = Some(3);
                    }
                });
            });
            if choice.is_none() && escape(ctx) {
                choice = Some(3);
            }
            match choice {
                Some(1) => {
                    app.close_dialog();
                    app.save_now(ctx, path, then);
                }
                Some(2) => {
                    app.close_dialog();
                    app.save_as_then(ctx, then);
                }
                Some(_) => app.close_dialog(),
                None => {}
            }
        }
        Dialog::AskAnnotator { mut name, switch } => {
            let mut done = false;
            let mut cancel = false;
            egui::Modal::new(egui::Id::unique("ask-annotator")).show(ctx, |ui| {
                ui.heading("Who is annotating?");
                ui.label("Your spans are kept in a layer under this name, so colleagues' work can be compared.");
                let caption = ui.label("Your name");
                let field = ui.add(egui::TextEdit::singleline(&mut name).hint_text("Your name")).labelled_by(caption.id);
                // The name field takes the keyboard when the dialog opens.
                if ui.memory(|m| m.focused().is_none()) {
                    field.request_focus();
                }
                let entered = field.lost_focus() && super::command::confirm_pressed(ui.ctx());
                ui.horizontal(|ui| {
                    let ok = ui.add_enabled(!name.trim().is_empty(), egui::Button::new("Start annotating")).clicked();
                    done = (ok || entered) && !name.trim().is_empty();
                    cancel = ui.button("Cancel").clicked();
                });
            });
            // Esc leaves the field first (egui), then reaches here.
            if cancel || escape(ctx) {
                app.close_dialog();
                return;
            }
            if done {
                app.close_dialog();
                if switch {
                    app.set_annotator(name.trim().to_string());
                } else {
                    app.set_user_name(name.trim().to_string());
                }
            } else {
                app.ui.dialog = Some(Dialog::AskAnnotator { name, switch });
            }
        }
    }
}

/// What the mouse does: not commands, so not in the command table.
const MOUSE: &[(&str, &str)] = &[
    ("Drag", "select, snapped to whole words"),
    ("Alt+drag", "select exact characters"),
    ("Double-click", "select a word"),
    ("Shift+click", "extend the selection"),
    (
        "Click a span",
        "select it; click again to cycle through nested spans",
    ),
];

/// The F1 help: every command with a shortcut, from the command table, by
/// group, then the label keys of this project's schema and the mouse.
fn help(ui: &mut egui::Ui, schema: &crate::model::LabelSchema) {
    use super::command::{AppCommand, Group, shortcuts_text};
    egui::ScrollArea::vertical().show(ui, |ui| {
        // One grid for every group, so the columns line up.
        egui::Grid::new("help").num_columns(2).show(ui, |ui| {
            for group in Group::ALL {
                let rows: Vec<(String, String)> = AppCommand::all(schema)
                    .into_iter()
                    .filter(|c| c.group() == group)
                    .map(|c| (shortcuts_text(&c, schema), c.name()))
                    .filter(|(keys, _)| !keys.is_empty())
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                ui.strong(group.name());
                ui.end_row();
                for (keys, what) in rows {
                    ui.monospace(keys);
                    ui.label(what);
                    ui.end_row();
                }
            }
            ui.strong("Mouse");
            ui.end_row();
            for (k, what) in MOUSE {
                ui.monospace(*k);
                ui.label(*what);
                ui.end_row();
            }
        });
        ui.label("A label key with nothing selected makes it sticky: every selection gets it.");
    });
}

/// Esc pressed while a dialog is shown: the same as its Cancel.
/// A modal with a heading, `body` and a row of `buttons`: returns the
/// 1-based number of the button clicked, and Escape answers with the last
/// one (Cancel).
fn choice_modal(
    ctx: &egui::Context,
    id: &str,
    heading: &str,
    body: impl FnOnce(&mut egui::Ui),
    buttons: &[&str],
) -> Option<usize> {
    let mut choice = None;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(520.0);
        ui.heading(heading);
        body(ui);
        ui.horizontal(|ui| {
            for (i, b) in buttons.iter().enumerate() {
                if ui.button(*b).clicked() {
                    choice = Some(i + 1);
                }
            }
        });
    });
    if choice.is_none() && escape(ctx) {
        choice = Some(buttons.len());
    }
    choice
}

fn escape(ctx: &egui::Context) -> bool {
    super::command::take_cancel(ctx)
}
