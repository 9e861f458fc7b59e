//! Right panel: the label palette, the spans of this document, and the
//! selected span's details (text, offsets, note, attributes).

use eframe::egui::{self, Color32, RichText};

use super::app::SpanmarkApp;
use super::command::AppCommand;
use crate::model::{Attributes, Rgb, SpanId};

/// Text being edited in the details form, committed when the field loses focus.
#[derive(Default)]
pub struct DetailsDraft {
    span: Option<SpanId>,
    note: String,
    attributes: Vec<(String, String)>,
    new_key: String,
    new_value: String,
}

fn swatch(ui: &mut egui::Ui, rgb: Rgb) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
    ui.painter()
        .rect_filled(rect, 3.0, Color32::from_rgb(rgb.0, rgb.1, rgb.2));
}

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    ui.heading("Labels");
    palette(app, ui);
    ui.separator();
    ui.horizontal(|ui| {
        ui.heading("Spans");
        let filter = AppCommand::ToggleMissingRolesFilter;
        let mut only = app.ui.missing_roles_only;
        if ui
            .checkbox(&mut only, "events missing roles")
            .on_hover_text(format!(
                "{} ({})",
                filter.name(),
                super::command::key_hint(ui.ctx(), &filter)
            ))
            .clicked()
        {
            app.queue(filter);
        }
    });
    let list_height = (ui.available_height() * 0.4).max(120.0);
    span_list(app, ui, list_height);
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("selected-span")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            super::event_panel::show(app, ui);
            if app
                .session
                .selected()
                .is_some_and(|s| app.session.project.schema.events.can_trigger(&s.label))
            {
                ui.separator();
            }
            details(app, ui);
        });
}

/// Review mode: the palette (to relabel gold spans) and the selected gold
/// span's details with its provenance.
pub fn show_for_review(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    ui.heading("Gold");
    palette(app, ui);
    ui.separator();
    if let Some(p) = app.session.selected().and_then(|s| s.provenance().cloned()) {
        let from = if p.annotators.is_empty() {
            String::new()
        } else {
            format!(" from {}", p.annotators.join(" and "))
        };
        ui.label(format!(
            "Source: {}{from}, by {}",
            p.source.as_str(),
            p.reviewer
        ));
    }
    details(app, ui);
}

fn palette(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let layer = app.session.layer_id();
    let labels = app.session.project.schema.labels.clone();
    let counts: Vec<usize> = labels
        .iter()
        .map(|label| {
            let layer = app.session.document().and_then(|d| d.layer(&layer));
            layer.map_or(0, |l| l.count_label(&label.name))
        })
        .collect();
    for (label, count) in labels.into_iter().zip(counts) {
        let sticky = app.session.sticky_label() == Some(label.name.as_str());
        let key = label.key.map(|k| format!("[{k}] ")).unwrap_or_default();
        let text = format!("{key}{}  ({count})", label.name);
        let clicked = ui
            .horizontal(|ui| {
                swatch(ui, label.color);
                let r = ui.selectable_label(sticky, text);
                let tip = if label.guideline.is_empty() {
                    label.name.clone()
                } else {
                    label.guideline.clone()
                };
                r.on_hover_text(tip).clicked()
            })
            .inner;
        if clicked {
            app.queue(AppCommand::Label(label.name.clone()));
        }
    }
}

fn span_list(app: &mut SpanmarkApp, ui: &mut egui::Ui, height: f32) {
    let Some(doc) = app.session.document() else {
        return;
    };
    // The list of ids in text order is rebuilt only when the project changes,
    // so a layer with a million spans costs nothing per frame.
    let key = (
        app.session.doc_index(),
        app.session.revision(),
        app.session.annotator().to_string(),
        app.ui.missing_roles_only,
    );
    if app.ui.span_list.0 != Some(key.clone()) {
        let ids = if app.ui.missing_roles_only {
            app.session.triggers_missing_roles()
        } else {
            app.session.spans().iter().map(|s| s.id()).collect()
        };
        app.ui.span_list = (Some(key), ids);
    }
    if app.ui.missing_roles_only && app.ui.span_list.1.is_empty() {
        ui.weak("Every event here has its roles.");
    }
    let layer = doc.layer(&app.session.layer_id());
    let ids = &app.ui.span_list.1;
    let schema = &app.session.project.schema;
    let selected = app.session.selected_span_id();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let spacing = ui.spacing().item_spacing.y;
    let mut clicked = None;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("span-list")
        .max_height(height)
        .auto_shrink([false, true]);
    // A span selected elsewhere (made in the text, stepped to with Tab) is
    // brought into the list's view, once, if it is not in view already.
    if selected != app.ui.span_list_followed {
        app.ui.span_list_followed = selected;
        if let Some(ix) = selected.and_then(|id| ids.iter().position(|x| *x == id)) {
            let top = ix as f32 * (row_height + spacing);
            let (shown_from, shown_to) = (
                app.ui.span_list_offset,
                app.ui.span_list_offset + height - row_height,
            );
            if top < shown_from || top > shown_to {
                area = area.vertical_scroll_offset((top - height / 3.0).max(0.0));
            }
        }
    }
    let output = area.show_rows(ui, row_height, ids.len(), |ui, rows| {
        for span in ids[rows]
            .iter()
            .filter_map(|id| layer.and_then(|l| l.get(*id)))
        {
            let text = doc.slice(span.start(), span.end()).unwrap_or("");
            let short: String = text.chars().take(40).collect();
            let ellipsis = if text.chars().count() > 40 { "…" } else { "" };
            let note = if span.note().is_empty() {
                String::new()
            } else {
                format!("  — {}", span.note())
            };
            ui.horizontal(|ui| {
                if let Some(l) = schema.get(&span.label) {
                    swatch(ui, l.color);
                }
                let label = format!("{} “{short}{ellipsis}”{note}", span.label);
                let item = egui::Button::selectable(selected == Some(span.id()), label).truncate();
                if ui.add(item).on_hover_text(text).clicked() {
                    clicked = Some((span.id(), span.start()));
                }
            });
        }
    });
    app.ui.span_list_offset = output.state.clamped_offset().y;
    if let Some((id, start)) = clicked {
        // Already in view: the list does not move under the pointer.
        app.ui.span_list_followed = Some(id);
        app.session.select_span(id);
        app.view.scroll_to(start);
    }
}

fn details(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let Some(span) = app.session.selected().cloned() else {
        ui.weak("Select a span to see its details.");
        return;
    };
    let text = app
        .session
        .document()
        .and_then(|d| d.slice(span.start(), span.end()))
        .unwrap_or("")
        .to_string();
    let draft = &mut app.ui.details;
    if draft.span != Some(span.id()) {
        *draft = DetailsDraft {
            span: Some(span.id()),
            note: span.note().to_string(),
            attributes: span
                .attributes()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            ..Default::default()
        };
    }
    egui::Grid::new("span-details")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Label");
            ui.strong(&span.label);
            ui.end_row();
            ui.label("Text");
            ui.label(RichText::new(format!("“{text}”")).strong());
            ui.end_row();
            ui.label("Offsets");
            ui.label(format!(
                "{}–{} ({} code points)",
                span.start(),
                span.end(),
                span.len()
            ));
            ui.end_row();
            let caption = ui.label("Note");
            let note = ui
                .add(
                    egui::TextEdit::multiline(&mut draft.note)
                        .desired_rows(2)
                        .hint_text("Add a note"),
                )
                .labelled_by(caption.id);
            ui.end_row();
            let mut commit_attrs = false;
            let mut remove = None;
            for (i, (k, v)) in draft.attributes.iter_mut().enumerate() {
                let caption = ui.label(k.as_str());
                ui.horizontal(|ui| {
                    commit_attrs |= ui
                        .add(egui::TextEdit::singleline(v).desired_width(120.0))
                        .labelled_by(caption.id)
                        .lost_focus();
                    if ui
                        .small_button("×")
                        .on_hover_text("Remove this attribute")
                        .clicked()
                    {
                        remove = Some(i);
                    }
                });
                ui.end_row();
            }
            ui.label("Add");
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut draft.new_key)
                        .desired_width(60.0)
                        .hint_text("key"),
                );
                ui.add(
                    egui::TextEdit::singleline(&mut draft.new_value)
                        .desired_width(60.0)
                        .hint_text("value"),
                );
                if ui.small_button("+").clicked() && !draft.new_key.trim().is_empty() {
                    draft.attributes.push((
                        draft.new_key.trim().to_string(),
                        std::mem::take(&mut draft.new_value),
                    ));
                    draft.new_key.clear();
                    commit_attrs = true;
                }
            });
            ui.end_row();
            if let Some(i) = remove {
                draft.attributes.remove(i);
                commit_attrs = true;
            }
            let note_changed = note.lost_focus() && draft.note != span.note();
            let new_note = draft.note.clone();
            let attrs: Attributes = draft.attributes.iter().cloned().collect();
            if note_changed {
                app.session.set_note(new_note);
            }
            if commit_attrs && attrs != *span.attributes() {
                app.session.set_attributes(attrs);
            }
        });
}
