//! The label editor: add, rename, recolour, re-key, reorder and delete labels,
//! and below them the event schema (see `event_schema_editor`). Every change
//! is one undoable edit; deleting a label in use asks what happens to its spans.

use eframe::egui;

use super::app::SpanmarkApp;
use crate::model::schema::{Label, OKABE_ITO};
use crate::model::schema_edit::{
    DeletePolicy, delete_label, label_use_count, rename_label, set_schema,
};
use crate::model::{Command, Rgb};

/// Editor state kept between frames.
#[derive(Default)]
pub struct SchemaEditor {
    pub open: bool,
    /// Name fields being edited (committed on focus loss), by label index.
    names: Vec<String>,
    /// Label whose deletion waits for the analyst's choice, with the relabel target.
    confirm_delete: Option<(String, String)>,
    new_label: String,
    events: super::event_schema_editor::EventSchemaFields,
}

fn apply(app: &mut SpanmarkApp, ctx: &egui::Context, cmd: Option<Command>, failure: &str) {
    let result = match cmd {
        Some(cmd) => app.session.apply(cmd).map_err(|e| e.to_string()),
        None => Err(failure.to_string()),
    };
    if let Err(e) = result {
        app.set_status(ctx, e);
    }
}

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if !app.ui.schema_editor.open {
        return;
    }
    let mut open = true;
    egui::Window::new("Labels")
        .open(&mut open)
        .resizable(true)
        .default_width(520.0)
        .show(ctx, |ui| body(app, ui, ctx));
    app.ui.schema_editor.open &= open;
    confirm_delete(app, ctx);
}

fn body(app: &mut SpanmarkApp, ui: &mut egui::Ui, ctx: &egui::Context) {
    let labels = app.session.project.schema.labels.clone();
    let ed = &mut app.ui.schema_editor;
    if ed.names.len() != labels.len() {
        ed.names = labels.iter().map(|l| l.name.clone()).collect();
    }
    let mut edit: Option<Command> = None;
    let mut failure = String::new();
    let mut delete = None;
    egui::Grid::new("schema-grid")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            ui.strong("Colour");
            ui.strong("Name");
            ui.strong("Key");
            ui.strong("Spans");
            ui.strong("Order");
            ui.end_row();
            for (i, label) in labels.iter().enumerate() {
                let mut rgb = [label.color.0, label.color.1, label.color.2];
                if ui.color_edit_button_srgb(&mut rgb).changed() {
                    let mut schema = app.session.project.schema.clone();
                    schema.labels[i].color = Rgb(rgb[0], rgb[1], rgb[2]);
                    edit = Some(set_schema(schema));
                }
                let name = ui.add(
                    egui::TextEdit::singleline(&mut app.ui.schema_editor.names[i])
                        .desired_width(140.0)
                        // In a grid the first frame's column is as narrow as its
                        // header: without a minimum the names were cut ("LOC").
                        .min_size(egui::vec2(140.0, 0.0))
                        .hint_text("Label name"),
                );
                if name.lost_focus() && app.ui.schema_editor.names[i] != label.name {
                    let new = app.ui.schema_editor.names[i].clone();
                    edit = rename_label(&app.session.project, &label.name, &new);
                    failure =
                        format!("Cannot rename to {new:?}: empty, has spaces, or already used");
                    app.ui.schema_editor.names.clear();
                }
                let mut key = label.key.map(String::from).unwrap_or_default();
                if ui
                    .add(
                        egui::TextEdit::singleline(&mut key)
                            .desired_width(24.0)
                            .char_limit(1)
                            .hint_text("Key"),
                    )
                    .changed()
                {
                    let k = key.chars().next();
                    if k.is_some()
                        && app
                            .session
                            .project
                            .schema
                            .labels
                            .iter()
                            .any(|l| l.key == k && l.name != label.name)
                    {
                        failure = format!("Key {key:?} is used by another label");
                        edit = None;
                        app.set_status(ctx, failure.clone());
                    } else {
                        let mut schema = app.session.project.schema.clone();
                        schema.labels[i].key = k;
                        edit = Some(set_schema(schema));
                    }
                }
                ui.label(label_use_count(&app.session.project, &label.name).to_string());
                ui.horizontal(|ui| {
                    for (text, to) in [
                        ("Up", i.checked_sub(1)),
                        ("Down", (i + 1 < labels.len()).then_some(i + 1)),
                    ] {
                        if ui
                            .add_enabled(to.is_some(), egui::Button::new(text).small())
                            .clicked()
                            && let Some(j) = to
                        {
                            let mut schema = app.session.project.schema.clone();
                            schema.labels.swap(i, j);
                            edit = Some(set_schema(schema));
                            app.ui.schema_editor.names.clear();
                        }
                    }
                    if ui.button(format!("Delete {}", label.name)).clicked() {
                        delete = Some(label.name.clone());
                    }
                });
                ui.end_row();
            }
        });
    ui.separator();
    ui.horizontal(|ui| {
        let caption = ui.label("New label");
        ui.add(
            egui::TextEdit::singleline(&mut app.ui.schema_editor.new_label).desired_width(140.0),
        )
        .labelled_by(caption.id);
        if ui.button("Add label").clicked() {
            let name = app.ui.schema_editor.new_label.trim().to_string();
            let schema = &app.session.project.schema;
            if let Some(problem) = crate::model::label_name_problem(&name) {
                failure = format!("Cannot add this label: {problem}");
            } else if schema.contains(&name) {
                failure = format!("Cannot add {name:?}: a label of that name exists");
            } else {
                let mut schema = schema.clone();
                let color = OKABE_ITO[schema.labels.len() % OKABE_ITO.len()];
                let free_key = ('1'..='9').find(|k| schema.by_key(*k).is_none());
                schema.labels.push(Label {
                    name,
                    color,
                    key: free_key,
                    guideline: String::new(),
                });
                edit = Some(set_schema(schema));
                app.ui.schema_editor.new_label.clear();
                app.ui.schema_editor.names.clear();
            }
        }
    });
    ui.separator();
    let project = &app.session.project;
    let revision = app.session.revision();
    match super::event_schema_editor::section(
        ui,
        project,
        revision,
        &mut app.ui.schema_editor.events,
    ) {
        Some(Ok(schema)) => edit = Some(set_schema(schema)),
        Some(Err(why)) => failure = why,
        None => {}
    }
    ui.weak(format!(
        "Every change here can be undone with {}.",
        crate::ui::command::key_hint(ui.ctx(), &crate::ui::command::AppCommand::Undo)
    ));
    if edit.is_some() || !failure.is_empty() {
        apply(app, ctx, edit, &failure);
    }
    if let Some(name) = delete {
        let used = label_use_count(&app.session.project, &name);
        if used == 0 {
            let cmd = delete_label(&app.session.project, &name, &DeletePolicy::RemoveSpans);
            apply(app, ctx, cmd, "Cannot delete that label");
            app.ui.schema_editor.names.clear();
        } else {
            let other = app
                .session
                .project
                .schema
                .names()
                .find(|n| *n != name)
                .unwrap_or_default()
                .to_string();
            app.ui.schema_editor.confirm_delete = Some((name, other));
        }
    }
}

/// Asks what to do with the spans of a label that is being deleted.
fn confirm_delete(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some((name, mut target)) = app.ui.schema_editor.confirm_delete.clone() else {
        return;
    };
    let used = label_use_count(&app.session.project, &name);
    let mut choice = None;
    egui::Modal::new(egui::Id::unique("confirm-delete-label")).show(ctx, |ui| {
        ui.heading(format!("Delete {name}?"));
        ui.label(format!("{used} spans in this project are labelled {name}."));
        if ui
            .button(format!("Delete the label and its {used} spans"))
            .clicked()
        {
            choice = Some(DeletePolicy::RemoveSpans);
        }
        ui.horizontal(|ui| {
            if ui.button("Relabel them as").clicked() {
                choice = Some(DeletePolicy::RelabelTo(target.clone()));
            }
            egui::ComboBox::new("relabel-target", "then delete the label")
                .selected_text(target.clone())
                .show_ui(ui, |ui| {
                    for n in app.session.project.schema.names().filter(|n| *n != name) {
                        ui.selectable_value(&mut target, n.to_string(), n);
                    }
                });
        });
        if ui.button("Cancel").clicked() {
            app.ui.schema_editor.confirm_delete = None;
        }
    });
    if let Some((_, t)) = &mut app.ui.schema_editor.confirm_delete {
        *t = target;
    }
    if let Some(policy) = choice {
        let cmd = delete_label(&app.session.project, &name, &policy);
        apply(app, ctx, cmd, "Cannot delete that label");
        app.ui.schema_editor.confirm_delete = None;
        app.ui.schema_editor.names.clear();
        let what = match policy {
            DeletePolicy::RemoveSpans => format!("Deleted {name} and {used} spans"),
            DeletePolicy::RelabelTo(t) => format!("Deleted {name}; {used} spans are now {t}"),
        };
        app.set_status(
            ctx,
            format!(
                "{what} ({} to undo)",
                crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::Undo)
            ),
        );
    }
}
