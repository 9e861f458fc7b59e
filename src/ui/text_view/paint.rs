//! Painting one laid-out row: selection, span highlights, search hits,
//! review marks, nested-span outlines, the selected span's edge handles and
//! label tags. Every position comes from the row's [`ParagraphLayout`]
//! (`rects`, `caret`), so right-to-left and mixed lines are drawn where
//! their characters are; the glyphs themselves are drawn by the atlas.

use std::ops::Range;

use eframe::egui::{self, Align2, Color32, FontId, Painter, Pos2, Rect, Stroke, StrokeKind, Vec2};

use super::ViewInput;
use crate::model::{CharOffset, Rgb, Span};
use crate::text_layout::{Affinity, LayoutRect, ParagraphLayout};

fn color(rgb: Rgb, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(rgb.0, rgb.1, rgb.2, alpha)
}

/// A layout rectangle on screen, for a layout drawn at `origin`.
pub(super) fn screen_rect(origin: Pos2, r: &LayoutRect) -> Rect {
    Rect::from_min_max(
        origin + Vec2::new(r.x0, r.top),
        origin + Vec2::new(r.x1, r.bottom),
    )
}

pub(super) use crate::text_layout::tag_size;

/// The font of label tags, for a text size.
pub(super) fn tag_font(font_size: f32) -> FontId {
    FontId::proportional(tag_size(font_size))
}

/// What a row painted, in screen coordinates (tests check that tags and
/// text never overlap).
#[derive(Debug, Default, Clone)]
pub struct Painted {
    /// Each visual row's text band.
    pub text: Vec<Rect>,
    /// Each label tag.
    pub tags: Vec<Rect>,
}

impl Painted {
    pub(super) fn extend(&mut self, other: Painted) {
        self.text.extend(other.text);
        self.tags.extend(other.tags);
    }
}

/// Assigns each span a nesting track: outer spans 0, spans inside or overlapping them 1, and so on.
fn tracks(spans: &[(CharOffset, CharOffset)]) -> Vec<usize> {
    let mut ends: Vec<CharOffset> = Vec::new();
    spans
        .iter()
        .map(|(s, e)| {
            let t = ends.iter().position(|end| *end <= *s).unwrap_or(ends.len());
            if t == ends.len() {
                ends.push(*e);
            } else {
                ends[t] = *e;
            }
            t
        })
        .collect()
}

/// Paints the marks of one shown row, before and after its glyphs.
pub(super) struct RowPainter<'a> {
    pub ui: &'a egui::Ui,
    pub painter: &'a Painter,
    pub origin: Pos2,
    pub layout: &'a ParagraphLayout,
    /// The document's code points on this row.
    pub chars: Range<CharOffset>,
    pub input: &'a ViewInput<'a>,
    /// The spans touching this row with their nesting tracks, looked up
    /// once for all three passes.
    spans: Vec<(&'a Span, usize)>,
}

impl<'a> RowPainter<'a> {
    pub fn new(
        ui: &'a egui::Ui,
        painter: &'a Painter,
        origin: Pos2,
        layout: &'a ParagraphLayout,
        chars: Range<CharOffset>,
        input: &'a ViewInput<'a>,
    ) -> Self {
        let (start, end) = (chars.start, chars.end.max(chars.start + 1));
        let spans = input
            .layer
            .map(|l| l.overlapping(start, end))
            .unwrap_or_default();
        let ranges: Vec<(CharOffset, CharOffset)> =
            spans.iter().map(|s| (s.start(), s.end())).collect();
        let spans = spans.into_iter().zip(tracks(&ranges)).collect();
        RowPainter {
            ui,
            painter,
            origin,
            layout,
            chars,
            input,
            spans,
        }
    }

    /// `r` in row-local code points, if it touches the row.
    fn local(&self, r: &Range<CharOffset>) -> Option<Range<usize>> {
        let (a, b) = (r.start.max(self.chars.start), r.end.min(self.chars.end));
        (a < b).then(|| a - self.chars.start..b - self.chars.start)
    }

    /// Screen rectangles of document range `r` on this row.
    fn rects(&self, r: &Range<CharOffset>) -> Vec<Rect> {
        self.local(r).map_or_else(Vec::new, |local| {
            self.layout
                .rects(local)
                .iter()
                .map(|lr| screen_rect(self.origin, lr))
                .collect()
        })
    }

    /// The caret's screen x at document offset `pos` on this row, if on it.
    fn caret_x(&self, pos: CharOffset, affinity: Affinity) -> Option<(f32, f32, f32)> {
        if pos < self.chars.start || pos > self.chars.end {
            return None;
        }
        let c = self.layout.caret(pos - self.chars.start, affinity)?;
        Some((
            self.origin.x + c.x,
            self.origin.y + c.top,
            self.origin.y + c.bottom,
        ))
    }

    /// Selection, search hits, outer span fills and review shading; returns
    /// the text bands painted.
    pub fn under_text(&mut self, selection: Option<Range<CharOffset>>) -> Painted {
        let painted = Painted {
            text: self
                .layout
                .rows
                .iter()
                .map(|row| {
                    let x0 = row.runs.first().map_or(0.0, |r| r.x0);
                    let x1 = row.runs.last().map_or(0.0, |r| r.x1);
                    Rect::from_min_max(
                        self.origin + Vec2::new(x0, row.text_top),
                        self.origin + Vec2::new(x1.max(x0), row.bottom),
                    )
                })
                .collect(),
            tags: Vec::new(),
        };
        let visuals = self.ui.visuals();
        if let Some(sel) = &selection {
            for r in self.rects(sel) {
                self.painter.rect_filled(r, 2.0, visuals.selection.bg_fill);
            }
        }
        // Hits are in text order: only those that can reach this row are visited.
        let hits = self.input.search_hits;
        let first = hits.partition_point(|h| h.end <= self.chars.start);
        let reach = hits[first..]
            .iter()
            .take_while(|h| h.start < self.chars.end.max(self.chars.start + 1));
        for hit in reach {
            for r in self.rects(hit) {
                self.painter.rect_stroke(
                    r.expand(1.0),
                    2.0,
                    Stroke::new(1.5, visuals.warn_fg_color),
                    StrokeKind::Outside,
                );
            }
        }
        let fill_alpha = crate::ui::palette::HIGHLIGHT_ALPHA;
        for &(span, track) in &self.spans {
            let Some(label) = self.input.schema.get(&span.label) else {
                continue;
            };
            if track == 0 {
                for r in self.rects(&span.range()) {
                    self.painter
                        .rect_filled(r, 2.0, color(label.color, fill_alpha));
                }
            }
        }
        if self.input.review.is_some() {
            self.review_marks(true);
        }
        painted
    }

    /// Review bars, nested-span outlines and the selected span's outline and handles.
    pub fn over_text(&mut self) {
        if self.input.review.is_some() {
            self.review_marks(false);
        }
        let visuals = self.ui.visuals();
        for &(span, track) in &self.spans {
            let Some(label) = self.input.schema.get(&span.label) else {
                continue;
            };
            let rects = self.rects(&span.range());
            if track > 0 {
                // Nested spans: an outline in the label colour, inset one step per level,
                // plus a thick underline so even a tiny nested span is visible.
                let inset = (track as f32 - 1.0) * 2.0;
                for r in &rects {
                    let r = r.shrink2(Vec2::new(0.0, inset));
                    self.painter.rect_stroke(
                        r,
                        2.0,
                        Stroke::new(1.5, color(label.color, 255)),
                        StrokeKind::Inside,
                    );
                    let y = r.max.y - 1.0;
                    self.painter.line_segment(
                        [Pos2::new(r.min.x, y), Pos2::new(r.max.x, y)],
                        Stroke::new(2.5, color(label.color, 255)),
                    );
                }
            }
            if self.input.selected_span == Some(span.id()) {
                let stroke = Stroke::new(2.0, visuals.strong_text_color());
                for r in &rects {
                    self.painter
                        .rect_stroke(r.expand(1.5), 3.0, stroke, StrokeKind::Outside);
                }
                // Edge handles where the span starts and ends (on the
                // right of an Urdu word's start, on its left at its end).
                let ends = [
                    (span.start(), Affinity::After),
                    (span.end(), Affinity::Before),
                ];
                for (pos, affinity) in ends {
                    if let Some((x, top, bottom)) = self.caret_x(pos, affinity) {
                        handle(
                            self.painter,
                            Pos2::new(x, (top + bottom) / 2.0),
                            bottom - top,
                            stroke.color,
                        );
                    }
                }
            }
        }
    }

    /// Label tags in the room above the text, at each span's start;
    /// returns their rectangles.
    pub fn tags(&mut self) -> Painted {
        let mut painted = Painted::default();
        if !self.input.show_tags {
            return painted;
        }
        // Where the next tag may start on each text band (tags of spans that
        // start at the same place go side by side, not on top of each other).
        let mut tag_free_x: Vec<(f32, f32)> = Vec::new();
        for &(span, _) in &self.spans {
            let Some(label) = self.input.schema.get(&span.label) else {
                continue;
            };
            let Some((start_x, top, _)) = self.caret_x(span.start(), Affinity::After) else {
                continue;
            };
            if span.start() < self.chars.start {
                continue;
            }
            // The piece of the span that holds its start.
            let rects = self.rects(&span.range());
            let Some(r) = rects
                .iter()
                .find(|r| {
                    r.min.y <= top + 0.5 && r.min.x - 0.5 <= start_x && start_x <= r.max.x + 0.5
                })
                .or(rects.first())
            else {
                continue;
            };
            let band_top = r.min.y;
            let x = tag_free_x
                .iter()
                .filter(|(t, _)| (*t - band_top).abs() < 0.5)
                .map(|(_, x)| *x)
                .fold(r.min.x, f32::max);
            let tag = self.painter.text(
                Pos2::new(x, band_top),
                Align2::LEFT_BOTTOM,
                &span.label,
                tag_font(self.input.font_size),
                color(label.color, 255),
            );
            tag_free_x.push((band_top, tag.max.x + 3.0));
            painted.tags.push(tag);
        }
        painted
    }

    /// Review items on this row: shading (`under_text`), or the A/B bars and
    /// the current item's outline (over the text).
    fn review_marks(&self, under_text: bool) {
        let Some(review) = &self.input.review else {
            return;
        };
        let visuals = self.ui.visuals();
        let chars = &self.chars;
        // Items are sorted by start; only those starting before the row's end can reach it.
        let reach = review
            .items
            .partition_point(|i| i.range().start < chars.end.max(chars.start + 1));
        let items: Vec<&crate::review::adjudicate::Item> = review.items[..reach]
            .iter()
            .filter(|i| i.range().end > chars.start)
            .collect();
        let ranges: Vec<(CharOffset, CharOffset)> = items
            .iter()
            .map(|i| (i.range().start, i.range().end))
            .collect();
        for (item, track) in items.iter().zip(tracks(&ranges)) {
            let color = crate::ui::review::category_color(item.category);
            // Open differences stand out; agreements and decided items recede.
            let strength = if item.is_open() { 1.0 } else { 0.5 };
            if under_text {
                if item.is_open() {
                    for r in self.rects(&item.range()) {
                        self.painter.rect_filled(r, 2.0, color.gamma_multiply(0.22));
                    }
                }
                continue;
            }
            let step = track as f32 * 3.0;
            for (span, top) in [(&item.a, true), (&item.b, false)] {
                let Some(span) = span.as_ref() else {
                    continue;
                };
                for r in self.rects(&span.range()) {
                    let y = if top {
                        r.min.y + 0.5 + step
                    } else {
                        r.max.y - 3.0 - step
                    };
                    let bar = Rect::from_min_size(Pos2::new(r.min.x, y), Vec2::new(r.width(), 2.5));
                    self.painter
                        .rect_filled(bar, 1.0, color.gamma_multiply(strength));
                }
            }
            if review.current == Some(item.key()) {
                for r in self.rects(&item.range()) {
                    self.painter.rect_stroke(
                        r.expand(2.0),
                        3.0,
                        Stroke::new(2.0, visuals.strong_text_color()),
                        StrokeKind::Outside,
                    );
                }
            }
        }
    }
}

fn handle(painter: &Painter, center: Pos2, height: f32, color: Color32) {
    let r = Rect::from_center_size(center, Vec2::new(4.0, height + 4.0));
    painter.rect_filled(r, 1.0, color);
}

#[cfg(test)]
mod tests {
    use super::tracks;

    #[test]
    fn nested_and_overlapping_spans_get_deeper_tracks() {
        // outer [0,20) with inner [5,9); then [25,30) back on track 0; [27,40) overlaps it.
        assert_eq!(tracks(&[(0, 20), (5, 9), (25, 30), (27, 40)]), [0, 1, 0, 1]);
        assert_eq!(tracks(&[(0, 20), (2, 18), (4, 6)]), [0, 1, 2]);
    }
}
