//! The document view: lays out and paints only the visible rows, highlights
//! spans by label colour (outer spans filled, nested ones outlined), and
//! turns pointer input into code-point offsets. It reports what the user did
//! as [`TextViewEvent`]s; deciding what that means is the session's job.

mod arcs;
mod glyph_atlas;
mod heights;
mod layout_cache;
mod paint;
mod reading_position;

use std::collections::HashMap;
use std::sync::Arc;

use eframe::egui::{self, Pos2, Rect, Sense, Vec2};

use crate::model::bidi::DirectionChoice;
use crate::model::lines::LineIndex;
use crate::model::{CharOffset, Document, LabelSchema, Layer, SpanId};
use crate::text_layout::{Affinity, ArabicFont, Motion, ParagraphLayout, Shaper, TextStyle};

pub use heights::RowHeights;
use heights::{ESTIMATES_PER_FRAME, HeightEstimate, HeightsBuilder};

/// What the pointer did in the text, in code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextViewEvent {
    /// A drag from `anchor` to `head`; `exact` when Alt was held (no word snapping).
    Selected {
        anchor: CharOffset,
        head: CharOffset,
        exact: bool,
    },
    /// A click on the character at `pos`; `shift` extends the selection.
    Clicked {
        pos: CharOffset,
        shift: bool,
    },
    DoubleClicked {
        pos: CharOffset,
    },
    /// An edge handle of the selected span was dragged to a new range.
    Resized {
        id: SpanId,
        start: CharOffset,
        end: CharOffset,
    },
    /// The selected event's link handle was dragged onto the character at
    /// `pos` (released at screen point `at`, where the role menu opens).
    LinkDropped {
        trigger: SpanId,
        pos: CharOffset,
        at: Pos2,
    },
}

/// What the view needs to draw one frame.
pub struct ViewInput<'a> {
    pub doc: &'a Document,
    pub layer: Option<&'a Layer>,
    pub schema: &'a LabelSchema,
    pub selection: Option<std::ops::Range<CharOffset>>,
    pub selected_span: Option<SpanId>,
    pub search_hits: &'a [std::ops::Range<CharOffset>],
    pub show_tags: bool,
    pub font_size: f32,
    pub arabic_font: ArabicFont,
    /// The document's reading direction: from each line's text, or forced.
    pub direction: DirectionChoice,
    /// Review mode: the aligned items of two layers, drawn over the text.
    pub review: Option<ReviewMarks<'a>>,
    /// The selected trigger's event being worked on: its arcs are drawn.
    pub focused_frame: Option<crate::model::FrameId>,
}

/// What review mode draws: each item's A span as a bar above the text, its B
/// span as a bar below, in the category's colour; undecided differences
/// shaded; the current item outlined.
pub struct ReviewMarks<'a> {
    /// In text order (by start).
    pub items: &'a [crate::review::adjudicate::Item],
    pub current: Option<crate::ui::review::ItemKey>,
    /// The pair of events under review: each version's arcs, from its own
    /// layer (A's solid, B's dashed), unless a span is selected or hovered.
    pub event: Option<ReviewEvent<'a>>,
}

/// The two versions of the event the reviewer is on, each with its layer.
pub struct ReviewEvent<'a> {
    pub a: Option<(&'a Layer, &'a crate::model::Frame)>,
    pub b: Option<(&'a Layer, &'a crate::model::Frame)>,
}

/// Which edge of the selected span is being dragged.
#[derive(Debug, Clone, Copy)]
struct EdgeDrag {
    id: SpanId,
    start: CharOffset,
    end: CharOffset,
    moving_start: bool,
}

/// Layout state of the open document, kept between frames. Rebuilt when the
/// document changes; heights re-estimated when the wrap width changes.
#[derive(Default)]
pub struct TextView {
    doc_id: String,
    fingerprint: String,
    lines: LineIndex,
    heights: RowHeights,
    width: f32,
    style: TextStyle,
    direction: DirectionChoice,
    /// Whether rows leave room for label tags above the text.
    show_tags: bool,
    /// Room left above each visual row for tags (0 without tags).
    tag_room: f32,
    row_height: f32,
    char_width: f32,
    shaper: Shaper,
    atlas: glyph_atlas::GlyphAtlas,
    layouts: layout_cache::LayoutCache,
    /// Which side of its offset the caret is on (set by clicks and arrows).
    caret_affinity: (CharOffset, Affinity),
    /// Where a drag started (code point).
    drag_anchor: Option<CharOffset>,
    edge_drag: Option<EdgeDrag>,
    /// A drag from the selected event's link handle: its trigger.
    link_drag: Option<SpanId>,
    /// The arcs painted last frame (their handle is where a link drag starts).
    pub arcs: arcs::PaintedArcs,
    /// Rows shown in the last frame: row index → (screen position, layout).
    visible: HashMap<usize, (Pos2, Arc<ParagraphLayout>)>,
    /// Scroll request: bring this code point into view on the next frame.
    scroll_to: Option<CharOffset>,
    /// A keyboard scroll to apply on the next frame.
    scroll: Option<Scroll>,
    /// Heights at a new wrap width being estimated, a slice per frame.
    rebuild: Option<(HeightsBuilder, HeightEstimate)>,
    /// A scroll offset to set on the next frame (the reading position
    /// after the heights changed).
    keep_top: Option<f32>,
    /// Frames that asked again for `keep_top` (at most two).
    keep_top_tries: u8,
    /// The scroll offset and the visible height of the last frame.
    offset: f32,
    viewport_height: f32,
    /// Rows shown in the last frame (for measurements).
    pub last_rows_laid_out: usize,
    /// Of those, rows shaped in the last frame (the others came from the cache).
    pub last_rows_shaped: usize,
    /// Rows on screen left for the next frame by the shaping budget.
    pub rows_pending: usize,
    /// What shaping has cost per code point lately (a moving average), to
    /// tell whether the next row fits in the frame's budget.
    shaping_secs_per_char: f32,
    /// What the last frame painted, in screen coordinates: the text of each
    /// visual row (without the room left for tags) and each label tag.
    /// Tests check that tags never cover text.
    pub painted: paint::Painted,
}

/// A scroll asked for by the keyboard (Page Down, Ctrl+End, …).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scroll {
    /// By this many text rows (negative: up).
    Rows(f32),
    /// By this many screens, keeping one row of the last screen in view.
    Pages(f32),
    Top,
    Bottom,
}

impl TextView {
    /// Asks the view to scroll on the next frame.
    pub fn scroll(&mut self, scroll: Scroll) {
        self.scroll = Some(scroll);
    }

    /// How far the text is scrolled down, in points (as of the last frame).
    pub fn scroll_offset(&self) -> f32 {
        self.offset
    }

    /// Asks the view to scroll so that `pos` is visible.
    pub fn scroll_to(&mut self, pos: CharOffset) {
        self.scroll_to = Some(pos);
    }

    /// The boundary a row above (or below) `pos`, at the same x: where ↑/↓
    /// move a caret. `None` when that row is not on screen (or there is none).
    pub fn vertical_neighbour(&self, pos: CharOffset, down: bool) -> Option<CharOffset> {
        let at = self.screen_pos(pos)?;
        let step = if down {
            self.row_height
        } else {
            -self.row_height
        };
        // A paragraph gap may sit between the rows: look a little further.
        [1.0, 1.5, 2.0].into_iter().find_map(|k| {
            let target = Pos2::new(at.x, at.y + step * k);
            let hit = self
                .visible
                .values()
                .any(|(o, l)| target.y >= o.y && target.y < o.y + l.height.max(1.0));
            hit.then(|| self.offset_at(target)).flatten()
        })
    }

    /// Screen position of the caret at code point boundary `pos` (the
    /// leading edge of the character after it), if its row was shown last
    /// frame. Used by tests to drive the pointer.
    pub fn screen_pos(&self, pos: CharOffset) -> Option<Pos2> {
        self.screen_pos_with(pos, Affinity::After)
    }

    /// Like [`TextView::screen_pos`], on the side `affinity` names (the
    /// trailing edge of the character before `pos` for `Before`).
    pub fn screen_pos_with(&self, pos: CharOffset, affinity: Affinity) -> Option<Pos2> {
        let row_ix = match affinity {
            Affinity::Before if pos > 0 => self.lines.row_of(pos - 1),
            _ => self.lines.row_of(pos),
        };
        let row = self.lines.rows().get(row_ix)?;
        let (origin, layout) = self.visible.get(&row_ix)?;
        let local = pos.checked_sub(row.start)?.min(row.len);
        let caret = layout.caret(local, affinity)?;
        Some(*origin + Vec2::new(caret.x, (caret.top + caret.bottom) / 2.0))
    }

    /// The code points of the rows shown last frame.
    pub fn visible_range(&self) -> Option<std::ops::Range<CharOffset>> {
        let first = self.visible.keys().min()?;
        let last = self.visible.keys().max()?;
        let (a, b) = (self.lines.rows()[*first], self.lines.rows()[*last]);
        Some(a.start..b.start + b.len)
    }

    /// Screen rectangles covering code points `range` on the rows shown
    /// last frame (several per line where it crosses a direction change).
    pub fn range_rects(&self, range: std::ops::Range<CharOffset>) -> Vec<Rect> {
        let mut rows: Vec<usize> = self.visible.keys().copied().collect();
        rows.sort_unstable();
        let mut out = Vec::new();
        for ix in rows {
            let row = self.lines.rows()[ix];
            let (a, b) = (
                range.start.max(row.start),
                range.end.min(row.start + row.len),
            );
            if a >= b {
                continue;
            }
            let (origin, layout) = &self.visible[&ix];
            out.extend(
                layout
                    .rects(a - row.start..b - row.start)
                    .into_iter()
                    .map(|r| paint::screen_rect(*origin, &r)),
            );
        }
        out
    }

    /// The centre of code point `pos`'s cluster on screen, if shown: where a
    /// click lands on that character, whatever the direction.
    pub fn char_centre(&self, pos: CharOffset) -> Option<Pos2> {
        self.range_rects(pos..pos + 1).first().map(|r| r.center())
    }

    /// Where Left, Right, Home or End take a caret at `pos`, on screen
    /// (Right moves left-to-right even in Urdu). `None` when the row is not
    /// shown; moving past a row's end goes on to the next row in reading order.
    pub fn step(&mut self, pos: CharOffset, motion: Motion) -> Option<CharOffset> {
        let affinity = if self.caret_affinity.0 == pos {
            self.caret_affinity.1
        } else {
            Affinity::After
        };
        let row_ix = match affinity {
            Affinity::Before if pos > 0 => self.lines.row_of(pos - 1),
            _ => self.lines.row_of(pos),
        };
        let row = *self.lines.rows().get(row_ix)?;
        let (_, layout) = self.visible.get(&row_ix)?;
        let local = pos.checked_sub(row.start)?.min(row.len);
        let (to, affinity) = match layout.step(local, affinity, motion) {
            Some((to, a)) => (row.start + to, a),
            None => {
                // Off this row's ends: the neighbouring row in reading
                // order, entered at its near edge.
                let forward = (motion == Motion::Right) != layout.direction.is_rtl();
                let next_ix = if forward {
                    row_ix.checked_add(1).filter(|&i| i < self.lines.len())?
                } else {
                    row_ix.checked_sub(1)?
                };
                let next = self.lines.rows()[next_ix];
                if forward {
                    (next.start, Affinity::After)
                } else {
                    (next.start + next.len, Affinity::Before)
                }
            }
        };
        self.caret_affinity = (to, affinity);
        Some(to)
    }

    fn prepare(&mut self, doc: &Document, width: f32, input: &ViewInput<'_>) {
        let new_document = self.doc_id != doc.id || self.fingerprint != doc.fingerprint();
        if new_document {
            self.doc_id = doc.id.clone();
            self.fingerprint = doc.fingerprint().to_string();
            self.lines = LineIndex::new(doc);
            self.width = -1.0;
            self.drag_anchor = None;
            self.edge_drag = None;
            self.layouts.clear();
            self.rebuild = None;
        }
        let style = TextStyle {
            font_size: input.font_size,
            arabic: input.arabic_font,
        };
        if (self.width - width).abs() > 0.5
            || self.style != style
            || self.show_tags != input.show_tags
            || self.direction != input.direction
        {
            self.style = style;
            self.show_tags = input.show_tags;
            self.direction = input.direction;
            self.layouts.clear();
            let probe = self
                .shaper
                .layout("n", None, &style, crate::text_layout::Direction::Ltr);
            let tag_style = TextStyle {
                font_size: paint::tag_size(style.font_size),
                ..style
            };
            // Tags need their height above each line; without them a
            // smaller room is left for event arcs to run in, clear of text.
            self.tag_room = if input.show_tags {
                let tag =
                    self.shaper
                        .layout("Xg", None, &tag_style, crate::text_layout::Direction::Ltr);
                tag.height.max(arcs::arc_room(style.font_size))
            } else {
                arcs::arc_room(style.font_size)
            };
            self.row_height = probe.height + 2.0 + self.tag_room;
            self.char_width = probe
                .rows
                .first()
                .and_then(|r| r.runs.first())
                .map_or(8.0, |r| r.x1 - r.x0)
                .max(1.0);
            let estimate = HeightEstimate {
                per_line: (width / self.char_width).max(1.0),
                row_height: self.row_height,
                gap: paragraph_gap(style.font_size),
            };
            self.width = width;
            let rows = self.lines.rows();
            if new_document || rows.len() <= ESTIMATES_PER_FRAME {
                // The reading position stays: the row at the top stays at the top.
                let anchor = (!new_document).then(|| self.anchor());
                self.heights = RowHeights::new(rows.iter().map(|r| estimate.of(r)));
                self.rebuild = None;
                self.keep_top = anchor.map(|a| self.top_at(a));
            } else {
                self.rebuild = Some((HeightsBuilder::new(rows.len()), estimate));
            }
        }
        self.continue_rebuild();
    }

    /// Whether the view is still finishing the screen or the heights after
    /// a resize (it asks for the next frames itself).
    pub fn is_settling(&self) -> bool {
        self.rows_pending > 0 || self.rebuild.is_some()
    }

    /// The layout of row `row_ix` (from the cache, or shaped now).
    fn row_layout(&mut self, text: &str, row_ix: usize) -> (Arc<ParagraphLayout>, bool) {
        if let Some(layout) = self.layouts.get(row_ix) {
            return (layout, false);
        }
        let row = self.lines.rows()[row_ix];
        let direction = match self.direction {
            DirectionChoice::Auto => {
                if row.rtl {
                    crate::text_layout::Direction::Rtl
                } else {
                    crate::text_layout::Direction::Ltr
                }
            }
            DirectionChoice::Ltr => crate::text_layout::Direction::Ltr,
            DirectionChoice::Rtl => crate::text_layout::Direction::Rtl,
        };
        // A piece of a cut line takes its levels from the whole line.
        let levels = row
            .is_cut()
            .then(|| self.layouts.line_levels(text, &row, direction))
            .flatten();
        let shown = &text[row.bytes()];
        let mut layout = self.shaper.layout_with_levels(
            shown,
            Some(self.width),
            &self.style,
            direction,
            levels.as_deref().map(|l| &l[..]),
        );
        layout.add_room_above_rows(self.tag_room);
        let layout = Arc::new(layout);
        self.layouts.insert(row_ix, layout.clone());
        (layout, true)
    }

    /// Draws the document and returns what the pointer did.
    pub fn show(&mut self, ui: &mut egui::Ui, input: &ViewInput<'_>) -> Vec<TextViewEvent> {
        let mut events = Vec::new();
        // The gutter right of the text is where arcs between lines run.
        let width = (ui.available_width() - 16.0 - arcs::GUTTER).max(50.0);
        self.prepare(input.doc, width, input);

        // The scroll area clamps an offset to last frame's content height,
        // which may be shorter than the new heights: then ask again.
        let mut kept_top = None;
        let mut area = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .id_salt(("text-view", &self.doc_id));
        if let Some(pos) = self.scroll_to.take() {
            let row = self.lines.row_of(pos);
            let y = self.heights.top_of(row) - ui.available_height() / 3.0;
            area = area.vertical_scroll_offset(y.max(0.0));
        } else if let Some(y) = self.keep_top.take() {
            kept_top = Some(y.max(0.0));
            area = area.vertical_scroll_offset(y.max(0.0));
        } else if let Some(scroll) = self.scroll.take() {
            let screen = self.viewport_height.max(self.row_height);
            let target = match scroll {
                Scroll::Rows(n) => self.offset + n * self.row_height,
                Scroll::Pages(n) => {
                    self.offset + n * (screen - self.row_height).max(self.row_height)
                }
                Scroll::Top => 0.0,
                Scroll::Bottom => self.heights.total(),
            };
            let end = (self.heights.total() - screen).max(0.0);
            area = area.vertical_scroll_offset(target.clamp(0.0, end));
        }
        let text = input.doc.text();
        // No spring past the ends: the heights change under the offset (a
        // resize, rows measured), and a spring would pull the reading
        // position away from a row kept at the top.
        let kinetic = ui.spacing().scroll.kinetic;
        ui.spacing_mut().scroll.kinetic.rubber_band = false;
        let shown = area.show_viewport(ui, |ui, viewport| {
            ui.set_height(self.heights.total());
            self.offset = viewport.min.y;
            self.viewport_height = viewport.height();
            let top = ui.max_rect().top();
            let left = ui.max_rect().left();
            let screen_view = Rect::from_min_max(
                Pos2::new(left, top + viewport.min.y),
                Pos2::new(left + width, top + viewport.max.y),
            );
            let response = ui.interact(
                screen_view,
                ui.scope_id().with("text"),
                Sense::click_and_drag(),
            );
            if response.hovered() {
                ui.ctx().set_cursor_icon(egui::CursorIcon::Text);
            }

            self.visible.clear();
            let gap = paragraph_gap(self.style.font_size);
            let mut row_ix = self.heights.row_at(viewport.min.y);
            let (mut laid_out, mut shaped) = (0, 0);
            let started = std::time::Instant::now();
            self.rows_pending = 0;
            while row_ix < self.lines.len() {
                let y = self.heights.top_of(row_ix);
                if y > viewport.max.y {
                    break;
                }
                // A jump shows twenty new paragraphs at once: past the
                // budget, rows not shaped yet wait for the next frame
                // (asked for now), so no frame stalls.
                // A row is not started when it would end past the budget
                // (its length times the cost per code point measured so far).
                let chars = self.lines.rows()[row_ix].len.max(1);
                if shaped >= MIN_ROWS_PER_FRAME && self.layouts.get(row_ix).is_none() {
                    let expected =
                        started.elapsed().as_secs_f32() + chars as f32 * self.shaping_secs_per_char;
                    if expected > SHAPING_BUDGET.as_secs_f32() {
                        self.rows_pending += 1;
                        row_ix += 1;
                        continue;
                    }
                }
                let row_started = std::time::Instant::now();
                let (layout, new) = self.row_layout(text, row_ix);
                if new {
                    // One slow row (fonts loading on the first, the machine
                    // busy) moves the average at most fourfold.
                    let rate = self.shaping_secs_per_char.max(TYPICAL_SECS_PER_CHAR / 4.0);
                    let per_char = (row_started.elapsed().as_secs_f32() / chars as f32)
                        .clamp(rate / 4.0, rate * 4.0);
                    self.shaping_secs_per_char = 0.8 * rate + 0.2 * per_char;
                }
                self.heights
                    .set(row_ix, layout.height.max(self.row_height) + gap);
                self.visible
                    .insert(row_ix, (Pos2::new(left, top + y), layout));
                laid_out += 1;
                shaped += usize::from(new);
                row_ix += 1;
            }
            self.last_rows_laid_out = laid_out;
            self.last_rows_shaped = shaped;
            if self.is_settling() {
                ui.ctx().request_repaint();
            }
            self.layouts
                .keep_near(self.heights.row_at(viewport.min.y), row_ix);

            let live_selection = self.live_selection(ui, &response);
            let painter = ui.painter_at(screen_view.expand(4.0));
            let mut rows: Vec<usize> = self.visible.keys().copied().collect();
            rows.sort_unstable();
            self.painted = Default::default();
            let text_color = crate::ui::palette::document_text(ui.visuals().dark_mode);
            for ix in rows {
                let row = self.lines.rows()[ix];
                let (origin, layout) = self.visible[&ix].clone();
                let selection = live_selection.clone().or_else(|| input.selection.clone());
                let mut painter_row =
                    paint::RowPainter::new(ui, &painter, origin, &layout, row.chars(), input);
                let painted = painter_row.under_text(selection);
                self.atlas
                    .paint(&painter, &self.shaper, &layout, origin, text_color);
                painter_row.over_text();
                self.painted.extend(painted);
                self.painted.extend(painter_row.tags());
            }
            let hover = response.hover_pos().filter(|_| !response.dragged());
            let (arcs, jump) = self.paint_arcs(ui, input, screen_view, hover);
            self.arcs = arcs;
            if let Some(pos) = jump {
                self.scroll_to = Some(pos);
                ui.ctx().request_repaint();
            }
            self.handle_pointer(ui, &response, input, &mut events);
            if self.link_drag.is_some()
                && let (Some(from), Some(to)) =
                    (self.arcs.handle, ui.input(|i| i.pointer.interact_pos()))
            {
                let ink = crate::ui::palette::document_text(ui.visuals().dark_mode);
                ui.painter()
                    .line_segment([from, to], egui::Stroke::new(1.5, ink));
            }
        });
        ui.spacing_mut().scroll.kinetic = kinetic;
        if let Some(y) = kept_top {
            let reachable = y <= self.heights.total() - shown.inner_rect.height() + 0.5;
            if (self.offset - y).abs() > 0.5 && reachable && self.keep_top_tries < 2 {
                self.keep_top = Some(y);
                self.keep_top_tries += 1;
                ui.ctx().request_repaint();
            } else {
                self.keep_top_tries = 0;
            }
        }
        events
    }

    /// The range being dragged right now, shown before the drag ends.
    fn live_selection(
        &self,
        ui: &egui::Ui,
        response: &egui::Response,
    ) -> Option<std::ops::Range<CharOffset>> {
        let anchor = self.drag_anchor?;
        if !response.dragged() {
            return None;
        }
        let head = self.offset_at(ui.input(|i| i.pointer.interact_pos())?)?;
        Some(anchor.min(head)..anchor.max(head))
    }

    /// What a screen position is over: the shown row and its layout's hit.
    fn hit_at(&self, pos: Pos2) -> Option<(usize, crate::text_layout::Hit)> {
        let (ix, (origin, layout)) = self
            .visible
            .iter()
            .filter(|(_, (o, l))| pos.y >= o.y && pos.y < o.y + l.height.max(1.0) + 8.0)
            .min_by_key(|(ix, _)| **ix)
            .or_else(|| {
                // Above or below the shown rows: clamp to the nearest one.
                self.visible.iter().min_by(|a, b| {
                    let da = (a.1.0.y - pos.y).abs();
                    let db = (b.1.0.y - pos.y).abs();
                    da.total_cmp(&db)
                })
            })?;
        let hit = layout.hit(pos.x - origin.x, pos.y - origin.y)?;
        Some((*ix, hit))
    }

    /// The code-point boundary nearest to a screen position.
    fn offset_at(&self, pos: Pos2) -> Option<CharOffset> {
        let (ix, hit) = self.hit_at(pos)?;
        Some(self.lines.rows()[ix].start + hit.offset)
    }

    /// The code point under the pointer (not the boundary): for clicks on a character.
    fn char_at(&self, pos: Pos2) -> Option<CharOffset> {
        let (ix, hit) = self.hit_at(pos)?;
        Some(self.lines.rows()[ix].start + hit.cluster.start)
    }

    fn handle_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        input: &ViewInput<'_>,
        events: &mut Vec<TextViewEvent>,
    ) {
        let modifiers = ui.input(|i| i.modifiers);
        if response.drag_started()
            && let Some(press) = ui.input(|i| i.pointer.press_origin())
        {
            self.link_drag = self
                .arcs
                .handle
                .filter(|h| h.distance(press) <= 7.0)
                .and(input.selected_span);
            self.edge_drag = self
                .link_drag
                .is_none()
                .then(|| self.edge_under(press, input))
                .flatten();
            if self.edge_drag.is_none() && self.link_drag.is_none() {
                self.drag_anchor = self.offset_at(press);
            }
        }
        if response.drag_stopped()
            && let Some(trigger) = self.link_drag.take()
        {
            let at = ui.input(|i| i.pointer.interact_pos());
            if let Some((at, pos)) = at.and_then(|p| Some((p, self.char_at(p)?))) {
                events.push(TextViewEvent::LinkDropped { trigger, pos, at });
            }
            return;
        }
        if response.drag_stopped() {
            let head = ui
                .input(|i| i.pointer.interact_pos())
                .and_then(|p| self.offset_at(p));
            if let (Some(edge), Some(head)) = (self.edge_drag.take(), head) {
                let (start, end) = if edge.moving_start {
                    (head, edge.end)
                } else {
                    (edge.start, head)
                };
                if start < end {
                    events.push(TextViewEvent::Resized {
                        id: edge.id,
                        start,
                        end,
                    });
                }
            } else if let (Some(anchor), Some(head)) = (self.drag_anchor.take(), head)
                && anchor != head
            {
                events.push(TextViewEvent::Selected {
                    anchor,
                    head,
                    exact: modifiers.alt,
                });
            }
            self.drag_anchor = None;
        }
        if let Some(pos) = response.interact_pointer_pos() {
            if response.double_clicked() {
                if let Some(c) = self.char_at(pos) {
                    events.push(TextViewEvent::DoubleClicked { pos: c });
                }
            } else if response.clicked()
                && let Some(c) = self.char_at(pos)
            {
                events.push(TextViewEvent::Clicked {
                    pos: c,
                    shift: modifiers.shift,
                });
            }
        }
    }

    /// The edge handle of the selected span under `pos`, if any.
    fn edge_under(&self, pos: Pos2, input: &ViewInput<'_>) -> Option<EdgeDrag> {
        let span = input.layer?.get(input.selected_span?)?;
        let ends = [
            (span.start(), Affinity::After, true),
            (span.end(), Affinity::Before, false),
        ];
        for (offset, affinity, moving_start) in ends {
            let at = self.screen_pos_with(offset, affinity)?;
            if (at.x - pos.x).abs() <= 4.0 && (at.y - pos.y).abs() <= self.row_height * 0.6 {
                return Some(EdgeDrag {
                    id: span.id(),
                    start: span.start(),
                    end: span.end(),
                    moving_start,
                });
            }
        }
        None
    }
}

/// How long a frame may spend shaping rows not seen before.
const SHAPING_BUDGET: std::time::Duration = std::time::Duration::from_micros(2500);
/// A typical shaping cost per code point (a release build shapes Latin text
/// at about 0.6 µs per code point and Arabic script at about 2). A quarter
/// of it is where the moving average starts and its floor, so one fast row
/// never lets a frame take on more than the budget holds.
const TYPICAL_SECS_PER_CHAR: f32 = 1.0e-6;

/// Rows a frame shapes whatever the budget, so the screen always fills.
const MIN_ROWS_PER_FRAME: usize = 2;

/// Space between paragraphs, so lines of a document read as paragraphs.
fn paragraph_gap(font_size: f32) -> f32 {
    (font_size * 0.35).round()
}
