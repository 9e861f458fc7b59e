//! Review mode: compare two layers on the text, step through the
//! differences, decide each into gold, and see agreement figures. This module
//! holds the per-frame state and caches; the decisions themselves are made by
//! `crate::review::adjudicate`.

pub mod actions;
pub mod agreement_panel;
pub mod event_agreement;
mod event_item;
pub mod import;
pub mod panel;

use eframe::egui::Color32;

use super::app::SpanmarkApp;
use crate::model::FrameKey;
use crate::model::LayerId;
use crate::review::adjudicate::{Item, ReviewLayers};
use crate::review::align::Category;
use crate::review::frame_adjudicate::FrameItem;
use crate::review::metrics::Agreement;
pub use crate::review::session::ItemKey;
use crate::review::session::ReviewSession;

/// Review state of the window (not saved in the project). The review
/// itself (layers, items, current item, stepping, decisions) is
/// [`ReviewSession`], in the library.
#[derive(Default)]
pub struct ReviewState {
    /// The review in progress; `None` while annotating.
    pub session: Option<ReviewSession>,
    /// The layers chosen last, offered again when review starts.
    pub last_layers: Option<ReviewLayers>,
    pub show_agreement: bool,
    /// A colleague's project waiting for the name-clash answer.
    pub pending_import: Option<import::PendingImport>,
    /// Agreement figures for (revision, layers).
    pub agreement: Option<((u64, ReviewLayers), Agreement)>,
    /// The row of the event comparison the row keys decide, with the pair
    /// of events it belongs to (another pair starts at its first row).
    event_row: (Option<FrameKey>, usize),
}

impl ReviewState {
    /// Whether review mode is on.
    pub fn active(&self) -> bool {
        self.session.is_some()
    }
    /// The layers under review, else those chosen last.
    pub fn layers(&self) -> Option<&ReviewLayers> {
        self.session
            .as_ref()
            .map(ReviewSession::layers)
            .or(self.last_layers.as_ref())
    }
    /// The open document's items (empty outside review).
    pub fn items(&self) -> &[Item] {
        self.session.as_ref().map_or(&[], ReviewSession::items)
    }
    pub fn current(&self) -> Option<ItemKey> {
        self.session.as_ref().and_then(ReviewSession::current)
    }
    /// The item the reviewer is on, if it still exists.
    pub fn current_item(&self) -> Option<&Item> {
        self.session.as_ref().and_then(ReviewSession::current_item)
    }
    /// The pair of events the reviewer is on, if any.
    pub fn current_frame_item(&self) -> Option<&FrameItem> {
        self.session
            .as_ref()
            .and_then(ReviewSession::current_frame_item)
    }
    /// The row of the current event comparison the row keys act on.
    pub fn event_row(&self) -> Option<usize> {
        let item = self.current_frame_item()?;
        let row = match self.event_row {
            (Some(key), row) if key == item.key() => row,
            _ => 0,
        };
        (!item.rows.is_empty()).then(|| row.min(item.rows.len() - 1))
    }
    /// Puts the row cursor on `row` of the current event comparison.
    pub fn set_event_row(&mut self, row: usize) {
        if let Some(item) = self.current_frame_item() {
            self.event_row = (Some(item.key()), row.min(item.rows.len().saturating_sub(1)));
        }
    }
    /// Moves the row cursor one row down (or up), stopping at the ends.
    pub fn step_event_row(&mut self, down: bool) {
        if let Some(row) = self.event_row() {
            self.set_event_row(if down { row + 1 } else { row.saturating_sub(1) });
        }
    }
    /// Open items in document `ix` (`None` outside review or with nothing to review).
    pub fn open_in(&self, ix: usize) -> Option<usize> {
        self.session.as_ref().and_then(|r| r.open_in(ix))
    }
    /// Open items in the project.
    pub fn open_total(&self) -> usize {
        self.session.as_ref().map_or(0, ReviewSession::open_total)
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

/// The layers to compare: those chosen last, else the default pair (see
/// [`crate::review::session::default_layers`]), else an annotator and gold.
pub fn layers_to_review(app: &SpanmarkApp) -> ReviewLayers {
    if let Some(layers) = app.ui.review.layers() {
        return layers.clone();
    }
    crate::review::session::default_layers(&app.session.project).unwrap_or_else(|| ReviewLayers {
        a: LayerId::Gold,
        b: LayerId::Annotator(app.session.annotator().to_string()),
    })
}

/// Brings the review's caches up to date with the project; called once per frame in review mode.
pub fn refresh(app: &mut SpanmarkApp) {
    if let Some(review) = &mut app.ui.review.session {
        review.refresh(&app.session);
    }
}
