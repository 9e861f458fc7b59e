//! Painting one laid-out row: selection, span highlights, search hits, text,
//! nested-span outlines and the selected span's edge handles.

use std::ops::Range;

use eframe::egui::{
    self, Align2, Color32, FontId, Galley, Painter, Pos2, Rect, Stroke, StrokeKind, Vec2,
};

use super::ViewInput;
use crate::model::{CharOffset, Rgb};

fn color(rgb: Rgb, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(rgb.0, rgb.1, rgb.2, alpha)
}

/// Screen rectangles (one per wrapped line) covering code points `[a, b)` of the galley.
pub(super) fn range_rects(galley: &Galley, origin: Pos2, a: usize, b: usize) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut first = 0usize;
    for placed in &galley.rows {
        let count = placed.char_count_including_newline().0;
        let (lo, hi) = (a.max(first), b.min(first + placed.row.glyphs.len()));
        if lo < hi {
            let x0 = placed.pos.x + placed.row.x_offset(egui::text::CharIndex(lo - first));
            let x1 = placed.pos.x + placed.row.x_offset(egui::text::CharIndex(hi - first));
            let r = text_band(placed);
            out.push(Rect::from_min_max(
                origin + Vec2::new(x0, r.min.y),
                origin + Vec2::new(x1, r.max.y),
            ));
        }
        first += count;
        if first >= b {
            break;
        }
    }
    out
}

/// The part of a visual row its text fills: the row without the room left
/// for tags (rows are taller than their text by a tag's height when tags
/// show; the text is centred, so the room is split above and below).
fn text_band(placed: &egui::epaint::text::PlacedRow) -> Rect {
    let r = placed.rect();
    // The row height beyond the font's own, less the 2 points every row has.
    let room = placed.row.glyphs.first().map_or(0.0, |g| {
        ((g.line_height - g.font_height) * 0.5 - 1.0).max(0.0)
    });
    Rect::from_min_max(
        Pos2::new(r.min.x, r.min.y + room),
        Pos2::new(r.max.x, r.max.y - room),
    )
}

/// The font of label tags, for a text size.
pub(super) fn tag_font(font_size: f32) -> FontId {
    FontId::proportional((font_size * 0.55).max(8.0))
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

/// Paints one row whose text covers code points `chars` of the document.
pub(super) fn row(
    ui: &egui::Ui,
    painter: &Painter,
    origin: Pos2,
    galley: &std::sync::Arc<Galley>,
    chars: Range<CharOffset>,
    input: &ViewInput<'_>,
    selection: Option<Range<CharOffset>>,
) -> Painted {
    let local = |r: &Range<CharOffset>| -> Option<(usize, usize)> {
        let (a, b) = (r.start.max(chars.start), r.end.min(chars.end));
        (a < b).then(|| (a - chars.start, b - chars.start))
    };
    let mut painted = Painted {
        text: galley
            .rows
            .iter()
            .map(|p| text_band(p).translate(origin.to_vec2()))
            .collect(),
        tags: Vec::new(),
    };
    // Where the next tag may start on each text band (tags of spans that
    // start at the same place go side by side, not on top of each other).
    let mut tag_free_x: Vec<(f32, f32)> = Vec::new();
    let visuals = ui.visuals();
    if let Some((a, b)) = selection.as_ref().and_then(local) {
        for r in range_rects(galley, origin, a, b) {
            painter.rect_filled(r, 2.0, visuals.selection.bg_fill);
        }
    }
    // Hits are in text order: only those that can reach this row are visited.
    let first = input.search_hits.partition_point(|h| h.end <= chars.start);
    let reach = input.search_hits[first..]
        .iter()
        .take_while(|h| h.start < chars.end.max(chars.start + 1));
    for hit in reach.filter_map(local) {
        for r in range_rects(galley, origin, hit.0, hit.1) {
            painter.rect_stroke(
                r.expand(1.0),
                2.0,
                Stroke::new(1.5, visuals.warn_fg_color),
                StrokeKind::Outside,
            );
        }
    }

    let spans = input
        .layer
        .map(|l| l.overlapping(chars.start, chars.end.max(chars.start + 1)))
        .unwrap_or_default();
    let ranges: Vec<(CharOffset, CharOffset)> =
        spans.iter().map(|s| (s.start(), s.end())).collect();
    let tracks = tracks(&ranges);
    let fill_alpha = crate::ui::palette::HIGHLIGHT_ALPHA;
    for (span, track) in spans.iter().zip(&tracks) {
        let Some(label) = input.schema.get(&span.label) else {
            continue;
        };
        let Some((a, b)) = local(&span.range()) else {
            continue;
        };
        if *track == 0 {
            for r in range_rects(galley, origin, a, b) {
                painter.rect_filled(r, 2.0, color(label.color, fill_alpha));
            }
        }
    }

    if let Some(review) = &input.review {
        review_marks(painter, origin, galley, &chars, review, visuals, true);
    }
    painter.galley(
        origin,
        galley.clone(),
        crate::ui::palette::document_text(visuals.dark_mode),
    );
    if let Some(review) = &input.review {
        review_marks(painter, origin, galley, &chars, review, visuals, false);
    }

    for (span, track) in spans.iter().zip(&tracks) {
        let Some(label) = input.schema.get(&span.label) else {
            continue;
        };
        let Some((a, b)) = local(&span.range()) else {
            continue;
        };
        let rects = range_rects(galley, origin, a, b);
        if *track > 0 {
            // Nested spans: an outline in the label colour, inset one step per level,
            // plus a thick underline so even a tiny nested span is visible.
            let inset = (*track as f32 - 1.0) * 2.0;
            for r in &rects {
                let r = r.shrink2(Vec2::new(0.0, inset));
                painter.rect_stroke(
                    r,
                    2.0,
                    Stroke::new(1.5, color(label.color, 255)),
                    StrokeKind::Inside,
                );
                let y = r.max.y - 1.0;
                painter.line_segment(
                    [Pos2::new(r.min.x, y), Pos2::new(r.max.x, y)],
                    Stroke::new(2.5, color(label.color, 255)),
                );
            }
        }
        if input.selected_span == Some(span.id()) {
            let stroke = Stroke::new(2.0, visuals.strong_text_color());
            for r in &rects {
                painter.rect_stroke(r.expand(1.5), 3.0, stroke, StrokeKind::Outside);
            }
            // Edge handles where the span starts and ends.
            if span.start() >= chars.start
                && let Some(r) = rects.first()
            {
                handle(
                    painter,
                    Pos2::new(r.min.x, r.center().y),
                    r.height(),
                    stroke.color,
                );
            }
            if span.end() <= chars.end
                && let Some(r) = rects.last()
            {
                handle(
                    painter,
                    Pos2::new(r.max.x, r.center().y),
                    r.height(),
                    stroke.color,
                );
            }
        }
        if input.show_tags
            && span.start() >= chars.start
            && let Some(r) = rects.first()
        {
            // In the room above the text band, after any tag already there.
            let band_top = r.min.y;
            let x = tag_free_x
                .iter()
                .filter(|(top, _)| (*top - band_top).abs() < 0.5)
                .map(|(_, x)| *x)
                .fold(r.min.x, f32::max);
            let at = Pos2::new(x, band_top);
            let tag = painter.text(
                at,
                Align2::LEFT_BOTTOM,
                &span.label,
                tag_font(input.font_size),
                color(label.color, 255),
            );
            tag_free_x.push((band_top, tag.max.x + 3.0));
            painted.tags.push(tag);
        }
    }
    painted
}

/// Review items on this row: shading (`under_text`), or the A/B bars and
/// the current item's outline (over the text).
fn review_marks(
    painter: &Painter,
    origin: Pos2,
    galley: &Galley,
    chars: &Range<CharOffset>,
    review: &super::ReviewMarks<'_>,
    visuals: &egui::Visuals,
    under_text: bool,
) {
    let local = |r: &Range<CharOffset>| -> Option<(usize, usize)> {
        let (a, b) = (r.start.max(chars.start), r.end.min(chars.end));
        (a < b).then(|| (a - chars.start, b - chars.start))
    };
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
    let tracks = tracks(&ranges);
    for (item, track) in items.iter().zip(&tracks) {
        let color = crate::ui::review::category_color(item.category);
        // Open differences stand out; agreements and decided items recede.
        let strength = if item.is_open() { 1.0 } else { 0.5 };
        if under_text {
            if item.is_open()
                && let Some((a, b)) = local(&item.range())
            {
                for r in range_rects(galley, origin, a, b) {
                    painter.rect_filled(r, 2.0, color.gamma_multiply(0.22));
                }
            }
            continue;
        }
        let step = *track as f32 * 3.0;
        for (span, top) in [(&item.a, true), (&item.b, false)] {
            let Some((a, b)) = span.as_ref().and_then(|s| local(&s.range())) else {
                continue;
            };
            for r in range_rects(galley, origin, a, b) {
                let y = if top {
                    r.min.y + 0.5 + step
                } else {
                    r.max.y - 3.0 - step
                };
                let bar = Rect::from_min_size(Pos2::new(r.min.x, y), Vec2::new(r.width(), 2.5));
                painter.rect_filled(bar, 1.0, color.gamma_multiply(strength));
            }
        }
        if review.current == Some(item.key())
            && let Some((a, b)) = local(&item.range())
        {
            for r in range_rects(galley, origin, a, b) {
                painter.rect_stroke(
                    r.expand(2.0),
                    3.0,
                    Stroke::new(2.0, visuals.strong_text_color()),
                    StrokeKind::Outside,
                );
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
