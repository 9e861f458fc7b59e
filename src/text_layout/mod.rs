//! Text layout for the annotation view and the picture export: bidi
//! (UAX #9), shaping and line breaking by parley, turned into plain rows of
//! visual runs with per-cluster geometry in **code points**.
//!
//! Nothing here knows egui. The view, highlights, handles, tags, review bars
//! and the SVG/PNG export all ask a [`ParagraphLayout`] where things are
//! ([`ParagraphLayout::rects`], [`ParagraphLayout::caret`]) and what is
//! under a point ([`ParagraphLayout::hit`]), so none does its own geometry.
//!
//! Offsets in a layout are code points from the start of the laid-out
//! paragraph; parley's byte offsets never leave [`shaper`] and its
//! [`offsets`] (line breaking is in [`line_break`], rule L2 in [`reorder`]).

pub mod fonts;
mod geometry;
mod line_break;
mod offsets;
pub mod raster;
mod reorder;
mod shaper;

use std::ops::Range;

pub use crate::model::bidi::{Direction, DirectionChoice};
pub use fonts::ArabicFont;
pub use geometry::{Caret, Hit, LayoutRect, Motion};
pub use shaper::{FontIndex, Shaper};

/// The size of label tags for a text size: small, but never below 8.
pub fn tag_size(font_size: f32) -> f32 {
    (font_size * 0.55).max(8.0)
}

/// How a paragraph is set: the size in points and the Arabic-script font.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub font_size: f32,
    pub arabic: ArabicFont,
}

impl Default for TextStyle {
    fn default() -> Self {
        TextStyle {
            font_size: 16.0,
            arabic: ArabicFont::Naskh,
        }
    }
}

/// Which character a caret position belongs to when two sit at one
/// offset: at a line wrap or a direction change, the offset between
/// "abc" and "ابج" has two places on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Affinity {
    /// With the character before the offset (the caret at its trailing edge).
    Before,
    /// With the character after the offset (the caret at its leading edge).
    #[default]
    After,
}

/// One paragraph laid out at one width.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParagraphLayout {
    /// Visual lines, top to bottom.
    pub rows: Vec<VisualRow>,
    /// The width it was wrapped and aligned to.
    pub width: f32,
    /// The sum of the rows' heights.
    pub height: f32,
    pub direction: Direction,
    /// Length in code points.
    pub chars: usize,
}

/// One visual line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisualRow {
    /// The row's top, including any room left above its text.
    pub top: f32,
    /// Where the text's own band starts (below the room for tags).
    pub text_top: f32,
    pub bottom: f32,
    /// Where glyphs sit, from the paragraph's top.
    pub baseline: f32,
    /// The code points on this line, in logical order.
    pub range: Range<usize>,
    /// Left to right on screen.
    pub runs: Vec<VisualRun>,
}

/// Text of one direction and one font on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct VisualRun {
    pub direction: Direction,
    /// Code points, in logical order.
    pub range: Range<usize>,
    pub x0: f32,
    pub x1: f32,
    /// Grapheme clusters, left to right on screen.
    pub clusters: Vec<ClusterBox>,
    /// Glyphs, left to right, positioned from the paragraph's top-left.
    pub glyphs: Vec<PlacedGlyph>,
    pub font: FontIndex,
    pub font_size: f32,
}

/// One grapheme cluster on screen: what a click selects and a highlight covers.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterBox {
    pub x0: f32,
    pub x1: f32,
    pub range: Range<usize>,
}

/// A glyph to draw: its id in the run's font and its pen position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    pub id: u32,
    pub x: f32,
    pub y: f32,
    /// The first code point of the character it draws (with the run's
    /// ranges), so a shaped run can be cut at a line break.
    pub char: u32,
}

impl VisualRow {
    /// The row's clusters left to right, with their run's direction.
    pub fn clusters(&self) -> impl Iterator<Item = (&ClusterBox, Direction)> {
        self.runs
            .iter()
            .flat_map(|r| r.clusters.iter().map(move |c| (c, r.direction)))
    }
}

impl ParagraphLayout {
    /// Leaves `room` empty above every row (for label tags), moving the
    /// rows and their glyphs down; the paragraph grows by `room` per row.
    pub fn add_room_above_rows(&mut self, room: f32) {
        for (i, row) in self.rows.iter_mut().enumerate() {
            let dy = room * (i + 1) as f32;
            row.top += dy - room;
            row.text_top += dy;
            row.bottom += dy;
            row.baseline += dy;
            for g in row.runs.iter_mut().flat_map(|r| r.glyphs.iter_mut()) {
                g.y += dy;
            }
        }
        self.height += room * self.rows.len() as f32;
    }
}
