//! Review mode: compare two layers on the text, step through the
//! differences, decide each into gold, and see agreement figures. This module
//! holds the per-frame state and caches; the decisions themselves are made by
//! `crate::review::adjudicate`.

pub mod actions;
pub mod agreement_panel;
pub mod import;
pub mod panel;

use eframe::egui::Color32;

use super::app::SpanmarkApp;
use crate::model::{LayerId, SpanId};
use crate::review::adjudicate::{self, Item, ReviewLayers};
use crate::review::align::Category;
use crate::review::metrics::Agreement;

/// Identifies an aligned item: its A and B span ids.
pub type ItemKey = (Option<SpanId>, Option<SpanId>);

/// (undecided differences, all items) of each document.
type DocCounts = Vec<(usize, usize)>;

/// Review state of the window (not saved in the project).
#[derive(Default)]
pub struct ReviewState {
    pub active: bool,
    pub layers: Option<ReviewLayers>,
    /// The item the reviewer is looking at.
    pub current: Option<ItemKey>,
    /// Items of the open document, for (document, revision, layers).
    items: Option<((usize, u64, ReviewLayers), Vec<Item>)>,
    /// (undecided differences, all items) per document, for (revision, layers).
    open: Option<((u64, ReviewLayers), DocCounts)>,
    /// The same per document id, with the document's edit number: only
    /// documents that changed are aligned again.
    open_cache: std::collections::HashMap<String, (u64, (usize, usize))>,
    pub show_agreement: bool,
    /// A colleague's project waiting for the name-clash answer.
    pub pending_import: Option<import::PendingImport>,
    /// Agreement figures for (revision, layers).
    pub agreement: Option<((u64, ReviewLayers), Agreement)>,
}

impl ReviewState {
    /// The open document's items (cached until the project or layers change).
    pub fn items(&self) -> &[Item] {
        self.items.as_ref().map_or(&[], |(_, v)| v.as_slice())
    }
    /// The item the reviewer is on, if it still exists.
    pub fn current_item(&self) -> Option<&Item> {
        let key = self.current?;
        self.items().iter().find(|i| i.key() == key)
    }
    /// Undecided differences in document `ix`; `None` when unknown or when
    /// neither layer has a span there (nothing to adjudicate).
    pub fn open_in(&self, ix: usize) -> Option<usize> {
        let (open, all) = self.open.as_ref().and_then(|(_, v)| v.get(ix).copied())?;
        (all > 0).then_some(open)
    }
    /// Undecided differences in the whole project.
    pub fn open_total(&self) -> usize {
        self.open
            .as_ref()
            .map_or(0, |(_, v)| v.iter().map(|c| c.0).sum())
    }
}

/// Colour of each category, from the colour-blind-safe Okabe–Ito set.
pub fn category_color(c: Category) -> Color32 {
    match c {
        Category::Agree => Color32::from_rgb(0, 158, 115),
        Category::LabelConflict => Color32::from_rgb(230, 159, 0),
        Category::BoundaryConflict => Color32::from_rgb(204, 121, 167),
        Category::OnlyA => Color32::from_rgb(0, 114, 178),
        Category::OnlyB => Color32::from_rgb(213, 94, 0),
    }
}

pub const CATEGORIES: [Category; 5] = [
    Category::Agree,
    Category::LabelConflict,
    Category::BoundaryConflict,
    Category::OnlyA,
    Category::OnlyB,
];

/// Layers a reviewer can compare: every annotator, then gold.
pub fn layer_choices(app: &SpanmarkApp) -> Vec<LayerId> {
    let mut out: Vec<LayerId> = app
        .session
        .project
        .layer_names()
        .into_iter()
        .filter(|n| n != "gold")
        .map(LayerId::Annotator)
        .collect();
    out.push(LayerId::Gold);
    out
}

/// The first two annotators that have spans (else an annotator and gold).
pub fn default_layers(app: &SpanmarkApp) -> ReviewLayers {
    let choices = layer_choices(app);
    let with_spans: Vec<&LayerId> = choices
        .iter()
        .filter(|l| {
            app.session
                .project
                .documents
                .iter()
                .any(|d| d.layer(l).is_some_and(|x| !x.is_empty()))
        })
        .collect();
    let a = with_spans
        .first()
        .copied()
        .or(choices.first())
        .cloned()
        .unwrap_or(LayerId::Gold);
    let b = with_spans
        .iter()
        .copied()
        .find(|l| **l != a)
        .cloned()
        .unwrap_or(LayerId::Gold);
    ReviewLayers { a, b }
}

/// Brings the caches up to date with the project; called once per frame in review mode.
pub fn refresh(app: &mut SpanmarkApp) {
    let state = &mut app.ui.review;
    let Some(layers) = state.layers.clone() else {
        return;
    };
    let revision = app.session.revision();
    let doc = app.session.doc_index();
    let key = (doc, revision, layers.clone());
    if state.items.as_ref().map(|(k, _)| k) != Some(&key) {
        let items = app
            .session
            .document()
            .map(|d| adjudicate::items(d, &layers))
            .unwrap_or_default();
        state.items = Some((key, items));
    }
    let key = (revision, layers.clone());
    if state.open.as_ref().map(|(k, _)| k) != Some(&key) {
        if state.open.as_ref().is_none_or(|(k, _)| k.1 != layers) {
            state.open_cache.clear();
        }
        let cache = &mut state.open_cache;
        let counts = app
            .session
            .project
            .documents
            .iter()
            .map(|d| match cache.get(&d.id) {
                Some((edits, counts)) if *edits == d.edits() => *counts,
                _ => {
                    let items = adjudicate::items(d, &layers);
                    let counts = (items.iter().filter(|i| i.is_open()).count(), items.len());
                    cache.insert(d.id.clone(), (d.edits(), counts));
                    counts
                }
            })
            .collect();
        state.open = Some((key, counts));
    }
}
