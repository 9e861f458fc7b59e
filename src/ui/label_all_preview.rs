//! "Label N matches as …": every match of the search in its context (a few
//! words either side, KWIC style), each with a checkbox, before anything is
//! labelled. A match inside a span of the same label (the "Khawarij" of
//! "Fitna al-Khawarij") starts unticked; only the ticked ones are labelled,
//! as one undoable step.

use std::ops::Range;

use eframe::egui;

use super::app::SpanmarkApp;
use crate::model::kwic::{covered_by_same_label, kwic};
use crate::model::{CharOffset, LayerId, Project};

/// Words of context on each side.
const CONTEXT_WORDS: usize = 4;

struct Row {
    doc: usize,
    range: Range<CharOffset>,
    ticked: bool,
    /// Why it starts unticked.
    note: Option<String>,
}

struct Preview {
    label: String,
    rows: Vec<Row>,
    /// Matches come from more than one document (their names are shown).
    several_documents: bool,
}

/// The preview window's state (closed when `None`).
#[derive(Default)]
pub struct LabelAllPreview {
    open: Option<Preview>,
}

impl LabelAllPreview {
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Shows `matches` (document index, range) to be labelled `label` in `layer`.
    pub fn open(
        &mut self,
        project: &Project,
        layer: &LayerId,
        matches: Vec<(usize, Range<CharOffset>)>,
        label: String,
    ) {
        let first_doc = matches.first().map(|m| m.0);
        let several_documents = matches.iter().any(|m| Some(m.0) != first_doc);
        let rows = matches
            .into_iter()
            .map(|(doc, range)| {
                let note = project.documents.get(doc).and_then(|d| {
                    covered_by_same_label(d, layer, &range, &label).map(|s| {
                        if s.start() == range.start && s.end() == range.end {
                            "already labelled".to_string()
                        } else {
                            let text = d.slice(s.start(), s.end()).unwrap_or("");
                            format!("inside {label} “{text}”")
                        }
                    })
                });
                Row {
                    doc,
                    ticked: note.is_none(),
                    range,
                    note,
                }
            })
            .collect();
        self.open = Some(Preview {
            label,
            rows,
            several_documents,
        });
    }

    /// (ticked, all) rows, while open.
    pub fn counts(&self) -> Option<(usize, usize)> {
        let p = self.open.as_ref()?;
        Some((p.rows.iter().filter(|r| r.ticked).count(), p.rows.len()))
    }

    /// Ticks or unticks row `i` (tests and the checkboxes).
    pub fn set_ticked(&mut self, i: usize, ticked: bool) {
        if let Some(row) = self.open.as_mut().and_then(|p| p.rows.get_mut(i)) {
            row.ticked = ticked;
        }
    }

    pub fn close(&mut self) {
        self.open = None;
    }
}

/// What the window asked for this frame.
enum Action {
    Apply,
    Cancel,
    Show(usize, Range<CharOffset>),
}

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(preview) = app.ui.label_all.open.as_mut() else {
        return;
    };
    let project = &app.session.project;
    let mut action = None;
    let ticked = preview.rows.iter().filter(|r| r.ticked).count();
    let title = match preview.rows.len() {
        1 => format!("Label 1 match as {}", preview.label),
        n => format!("Label {n} matches as {}", preview.label),
    };
    let mut open = true;
    egui::Window::new(title)
        .id(egui::Id::unique("label-all-preview"))
        .open(&mut open)
        .collapsible(false)
        .default_size([640.0, 460.0])
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Tick all").clicked() {
                    preview.rows.iter_mut().for_each(|r| r.ticked = true);
                }
                if ui.button("Untick all").clicked() {
                    preview.rows.iter_mut().for_each(|r| r.ticked = false);
                }
                ui.label(format!("{ticked} of {} ticked", preview.rows.len()));
            });
            ui.separator();
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
            egui::ScrollArea::vertical()
                .max_height(340.0)
                .auto_shrink([false, true])
                .show_rows(ui, row_height, preview.rows.len(), |ui, visible| {
                    for i in visible {
                        let row = &mut preview.rows[i];
                        let Some(doc) = project.documents.get(row.doc) else {
                            continue;
                        };
                        let context = kwic(doc, &row.range, CONTEXT_WORDS);
                        ui.horizontal(|ui| {
                            ui.checkbox(&mut row.ticked, "")
                                .on_hover_text(format!("{}–{}", row.range.start, row.range.end));
                            if preview.several_documents {
                                ui.weak(format!("{}:", doc.name));
                            }
                            ui.weak(format!("…{}", context.left));
                            let hit = ui.add(
                                egui::Label::new(egui::RichText::new(&context.hit).strong())
                                    .sense(egui::Sense::click()),
                            );
                            ui.weak(format!("{}…", context.right));
                            if let Some(note) = &row.note {
                                ui.label(egui::RichText::new(format!("({note})")).italics());
                            }
                            if hit.on_hover_text("Show it in the text").clicked() {
                                action = Some(Action::Show(row.doc, row.range.clone()));
                            }
                        });
                    }
                });
            ui.separator();
            ui.horizontal(|ui| {
                let apply = egui::Button::new(format!("Label {ticked} as {}", preview.label));
                if ui.add_enabled(ticked > 0, apply).clicked() {
                    action = Some(Action::Apply);
                }
                if ui.button("Cancel").clicked() {
                    action = Some(Action::Cancel);
                }
            });
        });
    // (Esc closes it through the command table's Close window.)
    if !open {
        action = Some(Action::Cancel);
    }
    match action {
        Some(Action::Apply) => apply(app, ctx),
        Some(Action::Cancel) => app.ui.label_all.close(),
        Some(Action::Show(doc, range)) => {
            if app.session.doc_index() != doc {
                app.session.open_document(doc);
            }
            app.session.select_exact(range.clone());
            app.view.scroll_to(range.start);
        }
        None => {}
    }
}

/// Labels the ticked matches as one undoable step and closes the window.
fn apply(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(preview) = app.ui.label_all.open.take() else {
        return;
    };
    let mut by_doc: Vec<(String, Vec<Range<CharOffset>>)> = Vec::new();
    for row in preview.rows.iter().filter(|r| r.ticked) {
        let Some(id) = app
            .session
            .project
            .documents
            .get(row.doc)
            .map(|d| d.id.clone())
        else {
            continue;
        };
        match by_doc.last_mut() {
            Some((last, ranges)) if *last == id => ranges.push(row.range.clone()),
            _ => by_doc.push((id, vec![row.range.clone()])),
        }
    }
    let ticked: usize = by_doc.iter().map(|(_, r)| r.len()).sum();
    let left_out = preview.rows.len() - ticked;
    let label = preview.label;
    match app.session.label_matches(&by_doc, &label) {
        Ok(added) => {
            let already = ticked - added;
            let undo = crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::Undo);
            let mut text = format!("Labelled {added} matches as {label}");
            if already > 0 {
                text.push_str(&format!(", {already} already labelled"));
            }
            if left_out > 0 {
                text.push_str(&format!(", {left_out} left out"));
            }
            app.set_status(ctx, format!("{text} ({undo} to undo)"));
        }
        Err(e) => app.set_status(ctx, format!("Nothing labelled: {e}")),
    }
}
