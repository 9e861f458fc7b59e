//! Ctrl+F: find in the document (plain or regex, case, whole word), step
//! through matches, and label all of them here or in every document.

use std::ops::Range;

use eframe::egui;

use super::app::SpanmarkApp;
use crate::model::CharOffset;
use crate::model::search::{SearchQuery, find_all};

/// The search bar's state.
#[derive(Default)]
pub struct SearchState {
    pub open: bool,
    pub query: SearchQuery,
    pub all_documents: bool,
    /// Label for "label all".
    pub label: String,
    /// Matches in the open document, in text order.
    pub hits: Vec<Range<CharOffset>>,
    /// Index of the current match.
    pub current: usize,
    pub error: Option<String>,
    /// Query and document the hits were computed for (text never changes).
    computed_for: Option<(SearchQuery, String)>,
    pub focus_field: bool,
}

impl SearchState {
    /// Opens the bar and puts the cursor in the search field.
    pub fn open(&mut self) {
        self.open = true;
        self.focus_field = true;
    }
}

/// Recomputes matches when the query or the document changed.
fn refresh(app: &mut SpanmarkApp) {
    let Some(doc) = app.session.document() else {
        return;
    };
    let key = (app.ui.search.query.clone(), doc.id.clone());
    if app.ui.search.computed_for.as_ref() == Some(&key) {
        return;
    }
    let search = &mut app.ui.search;
    let query_changed = search.computed_for.as_ref().map(|k| &k.0) != Some(&key.0);
    match find_all(doc, &search.query) {
        Ok(hits) => {
            search.hits = hits;
            search.error = None;
        }
        Err(e) => {
            search.hits.clear();
            search.error = Some(e.to_string());
        }
    }
    search.current = search
        .hits
        .iter()
        .position(|h| h.start >= app.session.cursor())
        .unwrap_or(0);
    search.computed_for = Some(key);
    // As the query is typed, the view follows its first match from the
    // caret (not when another document opens: that keeps its own scroll).
    if query_changed && let Some(hit) = search.hits.get(search.current) {
        app.view.scroll_to(hit.start);
    }
}

/// Moves to the next or previous match and scrolls to it.
pub fn step(app: &mut SpanmarkApp, forward: bool) {
    refresh(app);
    let n = app.ui.search.hits.len();
    if n == 0 {
        return;
    }
    let s = &mut app.ui.search;
    s.current = if forward {
        (s.current + 1) % n
    } else {
        (s.current + n - 1) % n
    };
    let hit = s.hits[s.current].clone();
    app.session.select_exact(hit.clone());
    app.view.scroll_to(hit.start);
}

/// Matches to highlight this frame (empty when the bar is closed).
pub fn hits(app: &mut SpanmarkApp) -> Vec<Range<CharOffset>> {
    if !app.ui.search.open {
        return Vec::new();
    }
    refresh(app);
    app.ui.search.hits.clone()
}

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    if !app.ui.search.open {
        return;
    }
    refresh(app);
    if app.ui.search.label.is_empty() {
        app.ui.search.label = app
            .session
            .project
            .schema
            .names()
            .next()
            .unwrap_or_default()
            .to_string();
    }
    let ctx = ui.ctx().clone();
    let mut step_by = None;
    let mut label_all = false;
    ui.horizontal_wrapped(|ui| {
        let s = &mut app.ui.search;
        let field = ui.add(
            egui::TextEdit::singleline(&mut s.query.text)
                .hint_text("Find in document")
                .desired_width(200.0),
        );
        if std::mem::take(&mut s.focus_field) {
            field.request_focus();
        }
        if field.lost_focus() && super::command::confirm_pressed(ui.ctx()) {
            step_by = Some(!ui.input(|i| i.modifiers.shift));
            field.request_focus();
        }
        if field.has_focus() && super::command::cancel_pressed(ui.ctx()) {
            s.open = false;
        }
        ui.checkbox(&mut s.query.regex, "Regex");
        ui.checkbox(&mut s.query.case_sensitive, "Match case");
        ui.checkbox(&mut s.query.whole_word, "Whole word");
        match &s.error {
            Some(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None if s.hits.is_empty() => {
                ui.label("No matches");
            }
            None => {
                ui.label(format!("{} of {}", s.current + 1, s.hits.len()));
            }
        }
        if ui.button("Previous").clicked() {
            step_by = Some(false);
        }
        if ui.button("Next").clicked() {
            step_by = Some(true);
        }
        ui.separator();
        let button = if s.all_documents {
            "Label the matches in all documents as".to_string()
        } else {
            match s.hits.len() {
                1 => "Label 1 match as".to_string(),
                n => format!("Label {n} matches as"),
            }
        };
        label_all = ui
            .add_enabled(
                s.error.is_none() && (s.all_documents || !s.hits.is_empty()),
                egui::Button::new(button),
            )
            .on_hover_text("Shows each match in its context to tick or untick first")
            .clicked();
        let chosen = s.label.clone();
        egui::ComboBox::from_id_salt("label-all-label")
            .selected_text(chosen.clone())
            .show_ui(ui, |ui| {
                for name in app.session.project.schema.names() {
                    ui.selectable_value(&mut s.label, name.to_string(), name);
                }
            })
            .response
            .widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Label for the matches")
            });
        ui.checkbox(&mut s.all_documents, "In all documents");
        if ui.button("Close").clicked() {
            s.open = false;
        }
    });
    if let Some(forward) = step_by {
        step(app, forward);
    }
    if label_all {
        label_all_matches(app, &ctx);
    }
}

/// Finds every match (here or in all documents) and shows them for ticking
/// before anything is labelled ([`super::label_all_preview`]).
pub fn label_all_matches(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let s = &app.ui.search;
    let docs: Vec<usize> = if s.all_documents {
        (0..app.session.project.documents.len()).collect()
    } else {
        vec![app.session.doc_index()]
    };
    let mut matches = Vec::new();
    for i in docs {
        let doc = &app.session.project.documents[i];
        match find_all(doc, &s.query) {
            Ok(hits) => matches.extend(hits.into_iter().map(|r| (i, r))),
            Err(e) => {
                let message = e.to_string();
                app.set_status(ctx, message);
                return;
            }
        }
    }
    let label = s.label.clone();
    if matches.is_empty() {
        app.set_status(ctx, "No matches to label");
        return;
    }
    let layer = app.session.layer_id();
    app.ui
        .label_all
        .open(&app.session.project, &layer, matches, label);
}
