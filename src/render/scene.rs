//! The scene of a picture: paragraphs laid out at the picture's width, the
//! highlight pieces of every span, and the label tags above them.

use std::ops::Range;

use crate::model::bidi::DirectionChoice;
use crate::model::{CharOffset, Document, LabelSchema, Layer, Rgb, SpanId};
use crate::text_layout::{LayoutRect, ParagraphLayout, Shaper, TextStyle, tag_size};

/// What to draw.
#[derive(Debug, Clone)]
pub struct PictureOptions {
    /// The picture's width in pixels (text wraps inside its margins).
    pub width: f32,
    /// Only this part of the text (code points); whole lines otherwise.
    pub range: Option<Range<CharOffset>>,
    pub style: TextStyle,
    pub direction: DirectionChoice,
}

impl Default for PictureOptions {
    fn default() -> Self {
        PictureOptions {
            width: 800.0,
            range: None,
            style: TextStyle::default(),
            direction: DirectionChoice::Auto,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RenderError {
    #[error("--from {from} --to {to} is not a range of the text, which has {len} code points")]
    BadRange { from: usize, to: usize, len: usize },
    #[error("the picture would be {0} pixels wide; give a width from 100 to 8000")]
    BadWidth(f32),
}

/// One paragraph (a line of the text, or the part of it in range) placed
/// in the picture.
#[derive(Debug, Clone)]
pub struct PlacedParagraph {
    /// Picture coordinates of the layout's origin.
    pub x: f32,
    pub y: f32,
    /// The code point of the document where the layout's offset 0 is.
    pub start: CharOffset,
    pub text: String,
    pub layout: ParagraphLayout,
}

/// One rectangle of a span's highlight (a span crossing a wrap or a
/// direction change has several).
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    pub span: SpanId,
    pub label: String,
    pub color: Rgb,
    /// The span's range in the document.
    pub start: CharOffset,
    pub end: CharOffset,
    /// Inside another span: drawn as an outline, not a fill.
    pub nested: bool,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

/// A label's name above the first piece of its span.
#[derive(Debug, Clone)]
pub struct Tag {
    pub span: SpanId,
    pub label: String,
    pub color: Rgb,
    pub x: f32,
    pub y: f32,
    pub layout: ParagraphLayout,
}

/// A laid-out picture; [`super::svg::write`] and [`super::png::write`] draw it.
pub struct Picture {
    pub width: f32,
    pub height: f32,
    pub paragraphs: Vec<PlacedParagraph>,
    pub highlights: Vec<Highlight>,
    pub tags: Vec<Tag>,
    /// The shaper the layouts came from: it holds their fonts.
    pub shaper: Shaper,
}

const MARGIN: f32 = 16.0;

impl Picture {
    /// Lays out `doc` (with `layer`'s spans, if any) for a picture.
    pub fn new(
        doc: &Document,
        layer: Option<&Layer>,
        schema: &LabelSchema,
        options: &PictureOptions,
    ) -> Result<Picture, RenderError> {
        if !(100.0..=8000.0).contains(&options.width) {
            return Err(RenderError::BadWidth(options.width));
        }
        let text = doc.text();
        let len = doc.char_len();
        let range = options.range.clone().unwrap_or(0..len);
        if range.start > range.end || range.end > len {
            return Err(RenderError::BadRange {
                from: range.start,
                to: range.end,
                len,
            });
        }
        let mut shaper = Shaper::new();
        let wrap = options.width - 2.0 * MARGIN;
        let tag_style = TextStyle {
            font_size: tag_size(options.style.font_size),
            ..options.style
        };
        let tag_room = shaper
            .layout("Xg", None, &tag_style, crate::text_layout::Direction::Ltr)
            .height;
        let gap = (options.style.font_size * 0.35).round();
        let mut paragraphs = Vec::new();
        let mut y = MARGIN;
        let mut line_start = 0usize;
        for line in text.split('\n') {
            let content = line.strip_suffix('\r').unwrap_or(line);
            let chars = content.chars().count();
            let line_range = line_start..line_start + chars;
            line_start += line.chars().count() + 1;
            let (from, to) = (
                range.start.max(line_range.start),
                range.end.min(line_range.end),
            );
            // Lines in range, and empty lines between them (they keep the gaps).
            let empty_inside = line_range.is_empty() && range.contains(&line_range.start);
            if from >= to && !empty_inside {
                continue;
            }
            let skip = from - line_range.start;
            let part: String = content.chars().skip(skip).take(to - from).collect();
            let direction = options.direction.resolve(content);
            let mut layout = shaper.layout(&part, Some(wrap), &options.style, direction);
            layout.add_room_above_rows(tag_room);
            let placed = PlacedParagraph {
                x: MARGIN,
                y,
                start: from,
                text: part,
                layout,
            };
            y += placed.layout.height + gap;
            paragraphs.push(placed);
        }
        let (highlights, tags) = match layer {
            Some(layer) => marks(&paragraphs, layer, schema, &mut shaper, &tag_style),
            None => (Vec::new(), Vec::new()),
        };
        Ok(Picture {
            width: options.width,
            height: (y - gap + MARGIN).max(2.0 * MARGIN),
            paragraphs,
            highlights,
            tags,
            shaper,
        })
    }
}

/// Highlight pieces and tags for the spans of `layer` in the paragraphs.
/// Costs what the picture shows: only spans touching its paragraphs are
/// visited, each finds its paragraphs by binary search, and nesting comes
/// from one pass in text order.
fn marks(
    paragraphs: &[PlacedParagraph],
    layer: &Layer,
    schema: &LabelSchema,
    shaper: &mut Shaper,
    tag_style: &TextStyle,
) -> (Vec<Highlight>, Vec<Tag>) {
    let (Some(first_p), Some(last_p)) = (paragraphs.first(), paragraphs.last()) else {
        return (Vec::new(), Vec::new());
    };
    let (from, to) = (first_p.start, last_p.start + last_p.layout.chars);
    let mut spans = layer.overlapping(from, to.max(from + 1));
    spans.sort_by_key(|s| (s.start(), std::cmp::Reverse(s.end()), s.id()));
    let mut highlights = Vec::new();
    let mut tags = Vec::new();
    // The furthest end of the spans before this one in text order (with a
    // different range): a span inside it is nested.
    let mut reach: Option<CharOffset> = None;
    let mut group: Option<((CharOffset, CharOffset), CharOffset)> = None;
    // Where the next tag may start on each tag band (tags of spans that
    // start at the same place go side by side, not on top of each other).
    // Keyed by the band's y (the same float for every tag of a band).
    let mut tag_free_x: rustc_hash::FxHashMap<u32, f32> = Default::default();
    for span in spans {
        let key = (span.start(), span.end());
        if group.is_none_or(|(k, _)| k != key) {
            if let Some((_, end)) = group {
                reach = reach.max(Some(end));
            }
            group = Some((key, span.end()));
        }
        let nested = reach.is_some_and(|r| r >= span.end());
        let color = schema
            .get(&span.label)
            .map_or(Rgb(128, 128, 128), |l| l.color);
        let mut first: Option<LayoutRect> = None;
        let mut first_at = (0.0, 0.0);
        let mut first_row_top = 0.0;
        let at = paragraphs.partition_point(|p| p.start + p.layout.chars <= span.start());
        for p in paragraphs[at..]
            .iter()
            .take_while(|p| p.start < span.end().max(span.start() + 1))
        {
            let end = p.start + p.layout.chars;
            if span.end() <= p.start || span.start() >= end {
                continue;
            }
            let local = span.start().max(p.start) - p.start..span.end().min(end) - p.start;
            for r in p.layout.rects(local) {
                let row = &p.layout.rows[r.row];
                if first.is_none() {
                    first = Some(r);
                    first_at = (p.x, p.y);
                    first_row_top = row.top;
                }
                highlights.push(Highlight {
                    span: span.id(),
                    label: span.label.clone(),
                    color,
                    start: span.start(),
                    end: span.end(),
                    nested,
                    x0: p.x + r.x0,
                    // The row's text band, not the tag room above it.
                    y0: p.y + row.text_top,
                    x1: p.x + r.x1,
                    y1: p.y + row.bottom,
                });
            }
        }
        // A span begun before the picture gets its tag where the picture starts.
        if let Some(r) = first {
            let layout = shaper.layout(
                &span.label,
                None,
                tag_style,
                crate::text_layout::Direction::Ltr,
            );
            let y = first_at.1 + first_row_top;
            let free = tag_free_x.entry(y.to_bits()).or_insert(f32::MIN);
            let x = free.max(first_at.0 + r.x0);
            *free = x + layout.width + 3.0;
            tags.push(Tag {
                span: span.id(),
                label: span.label.clone(),
                color,
                x,
                y,
                layout,
            });
        }
    }
    (highlights, tags)
}
