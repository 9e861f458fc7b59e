//! Shapes a paragraph with parley and copies the result into plain rows,
//! converting parley's UTF-8 byte ranges into code points and parley's
//! per-character clusters into grapheme clusters (a flag, an emoji with a
//! skin tone or a letter with its marks is one box, never split).

use parley::{FontData, Layout, LayoutContext, LineHeight, StyleProperty};

use super::fonts::FontSet;
use super::line_break::{break_lines, char_byte_starts};
use super::offsets::Offsets;
use super::reorder::{level_runs, visual_order};
use super::{ClusterBox, Direction, ParagraphLayout, PlacedGlyph, TextStyle, VisualRow, VisualRun};
use crate::model::bidi::needs_bidi;

/// A font used by some run, as an index into [`Shaper::font`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontIndex(pub u16);

/// Owns the font collection and parley's scratch space. One per view (or
/// per export); it is not shared between threads.
pub struct Shaper {
    fonts: FontSet,
    context: LayoutContext<()>,
    /// Every font a layout has referred to, so glyphs can be drawn later.
    used: Vec<FontData>,
}

impl Default for Shaper {
    fn default() -> Self {
        Self::new()
    }
}

impl Shaper {
    pub fn new() -> Self {
        Shaper {
            fonts: FontSet::bundled(),
            context: LayoutContext::new(),
            used: Vec::new(),
        }
    }

    /// The font behind a run's [`FontIndex`].
    pub fn font(&self, index: FontIndex) -> Option<&FontData> {
        self.used.get(usize::from(index.0))
    }

    fn font_index(&mut self, font: &FontData) -> FontIndex {
        let found = self
            .used
            .iter()
            .position(|f| f.data.id() == font.data.id() && f.index == font.index);
        let ix = found.unwrap_or_else(|| {
            self.used.push(font.clone());
            self.used.len() - 1
        });
        FontIndex(u16::try_from(ix).unwrap_or(u16::MAX))
    }

    /// Lays out `text` as one paragraph reading in `direction`, wrapped at
    /// `width` (or not at all), each line aligned to its start: the left for
    /// left-to-right paragraphs, the right for right-to-left ones.
    ///
    /// UAX #9 is applied here, in its own order: levels are resolved for
    /// the whole paragraph (unicode-bidi), lines are broken, and each line's
    /// level runs are shaped by parley one by one, in their own direction,
    /// then placed in the order rule L2 gives. parley's own wrapping is not
    /// used: 0.11 drops the clusters of a right-to-left word that begins a
    /// wrapped line with a ligature (a letter with harakat), and shaping a
    /// line on its own would resolve digits at its start without the
    /// previous line's context.
    pub fn layout(
        &mut self,
        text: &str,
        width: Option<f32>,
        style: &TextStyle,
        direction: Direction,
    ) -> ParagraphLayout {
        self.layout_with_levels(text, width, style, direction, None)
    }

    /// Like [`Shaper::layout`], with the bidi levels of `text` (one per code
    /// point) given: for a piece of a longer paragraph, whose levels were
    /// resolved on the whole, so the piece reorders exactly as it would
    /// inside it.
    pub fn layout_with_levels(
        &mut self,
        text: &str,
        width: Option<f32>,
        style: &TextStyle,
        direction: Direction,
        given: Option<&[u8]>,
    ) -> ParagraphLayout {
        let starts = char_byte_starts(text);
        let chars = starts.len() - 1;
        let base = u8::from(direction.is_rtl());
        let levels: Vec<u8> = if let Some(given) = given.filter(|g| g.len() == chars) {
            given.iter().map(|&l| l.max(base)).collect()
        } else if base == 0 && !needs_bidi(text) {
            vec![0; chars]
        } else {
            let by_byte = bidi_levels(text, direction);
            starts[..chars].iter().map(|&b| by_byte[b]).collect()
        };
        // Shape the paragraph's level runs once: their advances decide the
        // line breaks, and a run no break cuts is used as it is.
        let mut shaped: Vec<(std::ops::Range<usize>, ShapedLine)> = Vec::new();
        let mut advances = Vec::with_capacity(chars);
        for run in level_runs(&levels, 0..chars) {
            let piece = self.piece(
                text,
                &starts,
                run.clone(),
                levels.get(run.start).copied().unwrap_or(base),
                style,
            );
            advances.extend_from_slice(&piece.advances);
            shaped.push((run, piece));
        }
        let total: f32 = advances.iter().sum();
        let trailing: f32 = text
            .chars()
            .rev()
            .take_while(|c| c.is_whitespace())
            .zip(advances.iter().rev())
            .map(|(_, a)| a)
            .sum();
        let lines = match width {
            Some(w) if total - trailing > w => break_lines(text, &advances, w),
            _ => std::iter::once(0..chars).collect(),
        };
        let mut rows = Vec::with_capacity(lines.len());
        let mut top = 0.0f32;
        for line in lines {
            // L1: white space at the end of a line takes the paragraph's level.
            let mut line_levels = levels[line.clone()].to_vec();
            for (level, c) in line_levels
                .iter_mut()
                .rev()
                .zip(text[starts[line.start]..starts[line.end]].chars().rev())
            {
                if !c.is_whitespace() {
                    break;
                }
                *level = base;
            }
            let mut pieces = Vec::new();
            for run in level_runs(&line_levels, 0..line.len()) {
                let range = run.start + line.start..run.end + line.start;
                let level = line_levels.get(run.start).copied().unwrap_or(base);
                // A wrap cuts a shaped run at a break opportunity (white
                // space, where no letter joins across): cut its clusters
                // and glyphs there instead of shaping the line again.
                let within = shaped.iter().find(|(r, p)| {
                    r.start <= range.start && range.end <= r.end && p.level == level
                });
                let piece = match within {
                    Some((r, p)) if *r == range => p.clone(),
                    Some((r, p)) => p.slice(range.start - r.start..range.end - r.start),
                    None => self.piece(text, &starts, range.clone(), level, style),
                };
                pieces.push((range, piece));
            }
            let order = visual_order(&pieces.iter().map(|(_, p)| p.level).collect::<Vec<_>>());
            let row = place_line(&pieces, &order, line.clone(), top, direction, width);
            top = row.bottom;
            rows.push(row);
        }
        ParagraphLayout {
            rows,
            width: width.unwrap_or(total),
            height: top,
            direction,
            chars,
        }
    }

    /// Shapes code points `range` of `text`, all of one bidi `level`, in
    /// that level's direction, with ranges counted from the run's start.
    fn piece(
        &mut self,
        text: &str,
        starts: &[usize],
        range: std::ops::Range<usize>,
        level: u8,
        style: &TextStyle,
    ) -> ShapedLine {
        let dir = if level % 2 == 1 {
            Direction::Rtl
        } else {
            Direction::Ltr
        };
        let mut piece = self.line(&text[starts[range.start]..starts[range.end]], style, dir);
        piece.level = level;
        piece
    }

    /// Shapes `text` as one line (no wrapping) reading in `direction`.
    fn line(&mut self, text: &str, style: &TextStyle, direction: Direction) -> ShapedLine {
        let offsets = Offsets::new(text, direction);
        let shaped_text = offsets.shaped.as_str();
        let stack = self.fonts.stack(style.arabic);
        let mut builder =
            self.context
                .ranged_builder(&mut self.fonts.context, shaped_text, 1.0, false);
        builder.push_default(StyleProperty::FontSize(style.font_size));
        builder.push_default(StyleProperty::FontFamily(stack));
        builder.push_default(StyleProperty::LineHeight(LineHeight::MetricsRelative(1.0)));
        let mut layout: Layout<()> = builder.build(shaped_text);
        layout.break_all_lines(None);
        let mut advances = vec![0.0f32; offsets.chars()];
        let mut row = VisualRow::default();
        let mut advance = 0.0f32;
        if let Some(line) = layout.lines().next() {
            let metrics = line.metrics();
            row.top = metrics.block_min_coord;
            row.bottom = metrics.block_max_coord;
            row.baseline = metrics.baseline;
            row.range = 0..offsets.chars();
            // Runs come in visual order; place them one after another.
            // (Iterating glyph runs instead would skip runs without glyphs,
            // and with them their clusters.)
            let mut run_x = 0.0f32;
            for run in line.runs() {
                let mut clusters: Vec<ClusterBox> = Vec::new();
                let mut glyphs = Vec::new();
                let (mut x, mut pen) = (run_x, run_x);
                let mut last_grapheme = None;
                for cluster in run.visual_clusters() {
                    let advance = cluster.advance();
                    let Some(range) = offsets.range(cluster.text_range()) else {
                        // Only the marks and overrides put in for direction.
                        pen += cluster.glyphs().map(|g| g.advance).sum::<f32>();
                        x += advance;
                        continue;
                    };
                    for g in cluster.glyphs() {
                        glyphs.push(PlacedGlyph {
                            id: g.id,
                            x: pen + g.x,
                            y: metrics.baseline + g.y,
                            char: u32::try_from(range.start).unwrap_or(u32::MAX),
                        });
                        pen += g.advance;
                    }
                    if let Some(a) = advances.get_mut(range.start) {
                        *a += advance;
                    }
                    let grapheme = offsets.grapheme_of_char(range.start);
                    match clusters.last_mut() {
                        Some(last) if last_grapheme == Some(grapheme) => {
                            last.x1 = x + advance;
                            last.range =
                                last.range.start.min(range.start)..last.range.end.max(range.end);
                        }
                        _ => clusters.push(ClusterBox {
                            x0: x,
                            x1: x + advance,
                            range,
                        }),
                    }
                    last_grapheme = Some(grapheme);
                    x += advance;
                }
                run_x = x;
                let (Some(first), Some(last)) = (clusters.first(), clusters.last()) else {
                    continue;
                };
                let start = clusters.iter().map(|c| c.range.start).min().unwrap_or(0);
                let end = clusters.iter().map(|c| c.range.end).max().unwrap_or(start);
                let (x0, x1) = (first.x0, last.x1);
                let font = self.font_index(run.font());
                row.runs.push(VisualRun {
                    direction: if run.is_rtl() {
                        Direction::Rtl
                    } else {
                        Direction::Ltr
                    },
                    range: start..end,
                    x0,
                    x1,
                    clusters,
                    glyphs,
                    font,
                    font_size: run.font_size(),
                });
            }
            // The clusters' own advances, white space included (parley's
            // line advance leaves out a lone space's).
            advance = run_x;
            row.runs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            join_split_graphemes(&mut row.runs, &offsets);
        }
        if row.bottom <= row.top {
            // An empty text has no line: take the height of an "x".
            let probe = self.line("x", style, direction);
            (row.top, row.bottom, row.baseline) =
                (probe.row.top, probe.row.bottom, probe.row.baseline);
        }
        ShapedLine {
            row,
            advances,
            advance,
            level: u8::from(direction.is_rtl()),
        }
    }
}

/// One shaped line, before it is placed in its paragraph.
#[derive(Clone)]
struct ShapedLine {
    row: VisualRow,
    /// The advance of each code point in logical order (a cluster's whole
    /// advance on its first code point), for breaking lines.
    advances: Vec<f32>,
    advance: f32,
    /// The bidi level it was shaped for.
    level: u8,
}

impl ShapedLine {
    /// The part of this shaped text holding code points `range` (counted
    /// from its start), with ranges and x counted from the part's start.
    fn slice(&self, range: std::ops::Range<usize>) -> ShapedLine {
        let inside = |r: &std::ops::Range<usize>| range.start <= r.start && r.end <= range.end;
        let mut runs = Vec::new();
        for run in &self.row.runs {
            let clusters: Vec<ClusterBox> = run
                .clusters
                .iter()
                .filter(|c| inside(&c.range))
                .cloned()
                .collect();
            if clusters.is_empty() {
                continue;
            }
            let glyphs = run
                .glyphs
                .iter()
                .filter(|g| (range.start..range.end).contains(&(g.char as usize)))
                .copied()
                .collect();
            runs.push(VisualRun {
                clusters,
                glyphs,
                ..run.clone()
            });
        }
        let x0 = runs
            .iter()
            .flat_map(|r| r.clusters.first())
            .map(|c| c.x0)
            .fold(f32::INFINITY, f32::min);
        let x1 = runs
            .iter()
            .flat_map(|r| r.clusters.last())
            .map(|c| c.x1)
            .fold(f32::NEG_INFINITY, f32::max);
        let x0 = if x0.is_finite() { x0 } else { 0.0 };
        let shift = range.start;
        for run in &mut runs {
            for c in &mut run.clusters {
                c.x0 -= x0;
                c.x1 -= x0;
                c.range = c.range.start - shift..c.range.end - shift;
            }
            for g in &mut run.glyphs {
                g.x -= x0;
                g.char -= u32::try_from(shift).unwrap_or(0);
            }
            let (Some(first), Some(last)) = (run.clusters.first(), run.clusters.last()) else {
                continue;
            };
            run.x0 = first.x0;
            run.x1 = last.x1;
            let start = run
                .clusters
                .iter()
                .map(|c| c.range.start)
                .min()
                .unwrap_or(0);
            let end = run
                .clusters
                .iter()
                .map(|c| c.range.end)
                .max()
                .unwrap_or(start);
            run.range = start..end;
        }
        ShapedLine {
            row: VisualRow {
                runs,
                range: 0..range.len(),
                ..self.row.clone()
            },
            advances: self.advances[range.clone()].to_vec(),
            advance: if x1.is_finite() { x1 - x0 } else { 0.0 },
            level: self.level,
        }
    }
}

/// Puts a line's shaped pieces side by side in visual order, on a common
/// baseline (a Nastaliq piece makes the whole line taller), shifted to the
/// right edge in a right-to-left paragraph.
fn place_line(
    pieces: &[(std::ops::Range<usize>, ShapedLine)],
    order: &[usize],
    range: std::ops::Range<usize>,
    top: f32,
    direction: Direction,
    width: Option<f32>,
) -> VisualRow {
    let ascent = pieces
        .iter()
        .map(|(_, p)| p.row.baseline - p.row.top)
        .fold(0.0f32, f32::max);
    let descent = pieces
        .iter()
        .map(|(_, p)| p.row.bottom - p.row.baseline)
        .fold(0.0f32, f32::max);
    let advance: f32 = pieces.iter().map(|(_, p)| p.advance).sum();
    let mut x = match (direction, width) {
        (Direction::Rtl, Some(w)) => w - advance,
        _ => 0.0,
    };
    let baseline = top + ascent;
    let mut row = VisualRow {
        top,
        text_top: top,
        bottom: baseline + descent,
        baseline,
        range,
        runs: Vec::new(),
    };
    for &ix in order {
        let (range, piece) = &pieces[ix];
        let dy = baseline - piece.row.baseline;
        for run in &piece.row.runs {
            let mut run = run.clone();
            run.range = run.range.start + range.start..run.range.end + range.start;
            run.x0 += x;
            run.x1 += x;
            for c in &mut run.clusters {
                c.range = c.range.start + range.start..c.range.end + range.start;
                c.x0 += x;
                c.x1 += x;
            }
            for g in &mut run.glyphs {
                g.x += x;
                g.y += dy;
                g.char += u32::try_from(range.start).unwrap_or(0);
            }
            row.runs.push(run);
        }
        x += piece.advance;
    }
    row
}

/// A grapheme drawn by two fonts (an emoji with a skin tone the first
/// font lacks, a mark missing from the letter's font) arrives as clusters
/// of two neighbouring runs; make it one box, in the left run.
fn join_split_graphemes(runs: &mut [VisualRun], offsets: &Offsets) {
    for i in 1..runs.len() {
        let (left, right) = runs.split_at_mut(i);
        let Some(prev) = left.iter_mut().rev().find_map(|r| r.clusters.last_mut()) else {
            continue;
        };
        let run = &mut right[0];
        while let Some(next) = run.clusters.first() {
            if offsets.grapheme_of_char(next.range.start)
                != offsets.grapheme_of_char(prev.range.start)
            {
                break;
            }
            prev.x1 = prev.x1.max(next.x1);
            prev.range = prev.range.start.min(next.range.start)..prev.range.end.max(next.range.end);
            run.clusters.remove(0);
        }
        if let (Some(first), Some(last)) = (run.clusters.first(), run.clusters.last()) {
            run.range = run
                .clusters
                .iter()
                .fold(first.range.start..last.range.end, |r, c| {
                    r.start.min(c.range.start)..r.end.max(c.range.end)
                });
        } else {
            run.range = run.range.end..run.range.end;
        }
    }
}

/// UAX #9 levels per byte of `text` as one paragraph in `direction`.
fn bidi_levels(text: &str, direction: Direction) -> Vec<u8> {
    crate::model::bidi::levels(text, direction)
}
