//! The events part of the label editor: which labels trigger events, the
//! roles (labels they take, how many, key), the event types and the
//! relation types. Every change is one undoable edit, checked by
//! `crate::model::event_schema_edit` so the project still saves.

use eframe::egui;

use crate::model::event_schema::Cardinality;
use crate::model::event_schema_edit::{
    EventSchemaUse, add_event_type, add_relation_type, add_role, remove_event_type,
    remove_relation_type, remove_role, set_role_cardinality, set_role_key, set_role_label,
    set_trigger_label,
};
use crate::model::{LabelSchema, Project};

/// Names typed for new roles, types and relation types, kept between frames.
#[derive(Default)]
pub struct EventSchemaFields {
    new_role: String,
    new_event_type: String,
    new_relation: String,
    new_relation_directed: bool,
    /// What the project uses, counted at a revision: counting walks every
    /// frame of the project, so it is not redone on every frame.
    used: Option<(u64, EventSchemaUse)>,
}

/// The cardinalities offered, with what they mean to an analyst.
const CARDINALITIES: [(Cardinality, &str); 4] = [
    (Cardinality::Optional, "? at most one"),
    (Cardinality::Any, "* any number"),
    (Cardinality::AtLeastOne, "+ at least one"),
    (Cardinality::Exactly(1), "{n} exactly n"),
];

/// Draws the section; returns the changed schema or why a change was refused.
pub fn section(
    ui: &mut egui::Ui,
    project: &Project,
    revision: u64,
    fields: &mut EventSchemaFields,
) -> Option<Result<LabelSchema, String>> {
    let schema = &project.schema;
    let mut out: Option<Result<LabelSchema, String>> = None;
    if fields.used.as_ref().is_none_or(|(r, _)| *r != revision) {
        fields.used = Some((revision, EventSchemaUse::of(project)));
    }
    let (_, used) = fields.used.take()?;
    let labels: Vec<String> = schema.names().map(String::from).collect();
    ui.strong("Events");
    ui.horizontal_wrapped(|ui| {
        ui.label("Labels that name an event:");
        for l in &labels {
            let mut on = schema.events.can_trigger(l);
            if ui.checkbox(&mut on, l.as_str()).changed() {
                out = Some(set_trigger_label(schema, l, on));
            }
        }
    });
    egui::Grid::new("event-roles")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in ["Role", "Takes", "How many", "Key", ""] {
                ui.strong(h);
            }
            ui.end_row();
            for role in &schema.events.roles {
                ui.label(&role.name);
                let takes = if role.labels.is_empty() {
                    "(no label)".to_string()
                } else {
                    role.labels.join(", ")
                };
                let combo = egui::ComboBox::new(("role-labels", &role.name), "")
                    .selected_text(takes)
                    .show_ui(ui, |ui| {
                        for l in &labels {
                            let mut on = role.labels.contains(l);
                            if ui.checkbox(&mut on, l.as_str()).changed() {
                                out = Some(set_role_label(schema, &role.name, l, on));
                            }
                        }
                    });
                named(
                    &combo.response,
                    egui::Role::ComboBox,
                    &format!("Labels {} takes", role.name),
                );
                ui.horizontal(|ui| {
                    let mut choice = role.cardinality;
                    let shown = CARDINALITIES
                        .iter()
                        .find(|(c, _)| {
                            std::mem::discriminant(c) == std::mem::discriminant(&role.cardinality)
                        })
                        .map_or("", |(_, t)| t);
                    let combo = egui::ComboBox::new(("role-cardinality", &role.name), "")
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            for (c, text) in CARDINALITIES {
                                ui.selectable_value(&mut choice, c, text);
                            }
                        });
                    named(
                        &combo.response,
                        egui::Role::ComboBox,
                        &format!("How many {} takes", role.name),
                    );
                    if let Cardinality::Exactly(n) = role.cardinality {
                        let mut n = n;
                        if ui.add(egui::DragValue::new(&mut n).range(1..=99)).changed() {
                            choice = Cardinality::Exactly(n);
                        }
                    }
                    if choice != role.cardinality {
                        out = Some(set_role_cardinality(schema, &role.name, choice));
                    }
                });
                let mut key = role.key.map(String::from).unwrap_or_default();
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut key)
                            .desired_width(24.0)
                            .char_limit(1)
                            .hint_text("Key"),
                    )
                    .on_hover_text("With an event selected, this key fills the role");
                named(
                    &field,
                    egui::Role::TextInput,
                    &format!("Key of {}", role.name),
                );
                if field.changed() {
                    out = Some(set_role_key(schema, &role.name, key.chars().next()));
                }
                let in_use = used.roles.get(&role.name).copied().unwrap_or(0);
                let remove = ui
                    .add_enabled(
                        in_use == 0,
                        egui::Button::new(format!("Delete {}", role.name)).small(),
                    )
                    .on_disabled_hover_text(format!("Fills {in_use} slot(s)"));
                if remove.clicked() {
                    out = Some(remove_role(schema, &role.name, &used));
                }
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        let caption = ui.label("New role");
        ui.add(egui::TextEdit::singleline(&mut fields.new_role).desired_width(120.0))
            .labelled_by(caption.id);
        if ui.button("Add role").clicked() {
            // A new role takes the labels that do not name events.
            let fillers: Vec<String> = labels
                .iter()
                .filter(|l| !schema.events.can_trigger(l))
                .cloned()
                .collect();
            out = Some(add_role(schema, &fields.new_role, &fillers));
            fields.new_role.clear();
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Event types:");
        for t in &schema.events.event_types {
            let in_use = used.event_types.get(t).copied().unwrap_or(0);
            let remove = ui
                .add_enabled(in_use == 0, egui::Button::new(format!("{t} ✕")).small())
                .on_hover_text(format!("Delete the event type {t}"))
                .on_disabled_hover_text(format!("{in_use} event(s) have this type"));
            if remove.clicked() {
                out = Some(remove_event_type(schema, t, &used));
            }
        }
    });
    ui.horizontal(|ui| {
        let caption = ui.label("New event type");
        ui.add(egui::TextEdit::singleline(&mut fields.new_event_type).desired_width(160.0))
            .labelled_by(caption.id);
        if ui.button("Add event type").clicked() {
            out = Some(add_event_type(schema, &fields.new_event_type));
            fields.new_event_type.clear();
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("Relation types:");
        for t in &schema.events.relation_types {
            let in_use = used.relation_types.get(&t.name).copied().unwrap_or(0);
            let text = format!("{}{} ✕", t.name, if t.directed { " →" } else { "" });
            let remove = ui
                .add_enabled(in_use == 0, egui::Button::new(text).small())
                .on_hover_text(format!("Delete the relation type {}", t.name))
                .on_disabled_hover_text(format!("{in_use} relation(s) have this type"));
            if remove.clicked() {
                out = Some(remove_relation_type(schema, &t.name, &used));
            }
        }
    });
    ui.horizontal(|ui| {
        let caption = ui.label("New relation type");
        ui.add(egui::TextEdit::singleline(&mut fields.new_relation).desired_width(120.0))
            .labelled_by(caption.id);
        ui.checkbox(&mut fields.new_relation_directed, "one way (→)");
        if ui.button("Add relation type").clicked() {
            out = Some(add_relation_type(
                schema,
                &fields.new_relation,
                fields.new_relation_directed,
            ));
            fields.new_relation.clear();
        }
    });
    fields.used = Some((revision, used));
    out
}

/// Gives a widget with no visible caption of its own its accessible name.
fn named(response: &egui::Response, role: egui::Role, name: &str) {
    response.widget_info(|| egui::WidgetInfo::labeled(role, true, name));
}
