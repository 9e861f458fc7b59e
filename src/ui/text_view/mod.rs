//! The document view: lays out and paints only the visible rows, highlights
//! spans by label colour (outer spans filled, nested ones outlined), and
//! turns pointer input into code-point offsets. It reports what the user did
//! as [`TextViewEvent`]s; deciding what that means is the session's job.

mod heights;
mod paint;

use std::collections::HashMap;
use std::sync::Arc;

use eframe::egui::{
    self, Color32, FontId, Galley, Pos2, Rect, Sense, TextFormat, Vec2, text::CCursor,
    text::LayoutJob,
};

use crate::model::lines::LineIndex;
use crate::model::{CharOffset, Document, LabelSchema, Layer, SpanId};

pub use heights::RowHeights;

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
    /// Review mode: the aligned items of two layers, drawn over the text.
    pub review: Option<ReviewMarks<'a>>,
}

/// What review mode draws: each item's A span as a bar above the text, its B
/// span as a bar below, in the category's colour; undecided differences
/// shaded; the current item outlined.
pub struct ReviewMarks<'a> {
    /// In text order (by start).
    pub items: &'a [crate::review::adjudicate::Item],
    pub current: Option<crate::ui::review::ItemKey>,
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
    font_size: f32,
    /// Whether rows leave room for label tags above the text.
    show_tags: bool,
    row_height: f32,
    char_width: f32,
    /// Where a drag started (code point).
    drag_anchor: Option<CharOffset>,
    edge_drag: Option<EdgeDrag>,
    /// Rows laid out in the last frame: row index → (screen position, galley).
    visible: HashMap<usize, (Pos2, Arc<Galley>)>,
    /// Scroll request: bring this code point into view on the next frame.
    scroll_to: Option<CharOffset>,
    /// A keyboard scroll to apply on the next frame.
    scroll: Option<Scroll>,
    /// The scroll offset and the visible height of the last frame.
    offset: f32,
    viewport_height: f32,
    /// Rows laid out in the last frame (for measurements).
    pub last_rows_laid_out: usize,
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
                .any(|(o, g)| target.y >= o.y && target.y < o.y + g.size().y.max(1.0));
            hit.then(|| self.offset_at(target)).flatten()
        })
    }

    /// Screen position of the left edge of code point `pos`, if its row was shown last frame.
    /// Used by tests to drive the pointer.
    pub fn screen_pos(&self, pos: CharOffset) -> Option<Pos2> {
        let row_ix = self.lines.row_of(pos);
        let row = self.lines.rows().get(row_ix)?;
        let (origin, galley) = self.visible.get(&row_ix)?;
        let r = galley.pos_from_cursor(CCursor::new(pos.saturating_sub(row.start)));
        Some(*origin + Vec2::new(r.min.x, r.center().y))
    }

    fn prepare(
        &mut self,
        doc: &Document,
        width: f32,
        font_size: f32,
        show_tags: bool,
        ui: &egui::Ui,
    ) {
        if self.doc_id != doc.id || self.fingerprint != doc.fingerprint() {
            self.doc_id = doc.id.clone();
            self.fingerprint = doc.fingerprint().to_string();
            self.lines = LineIndex::new(doc);
            self.width = -1.0;
            self.drag_anchor = None;
            self.edge_drag = None;
        }
        if (self.width - width).abs() > 0.5
            || self.font_size != font_size
            || self.show_tags != show_tags
        {
            let font = FontId::proportional(font_size);
            // With tags, each row is taller by a tag's height: the text is
            // centred in it, so half of the room is above the text and half
            // below, and a tag fits between two rows without covering either.
            let tags = if show_tags {
                ui.fonts_mut(|f| f.row_height(&paint::tag_font(font_size)))
            } else {
                0.0
            };
            self.row_height = ui.fonts_mut(|f| f.row_height(&font)) + 2.0 + tags;
            self.show_tags = show_tags;
            self.char_width = ui.fonts_mut(|f| f.glyph_width(&font, 'n')).max(1.0);
            let per_line = (width / self.char_width).max(1.0);
            let (rh, gap) = (self.row_height, paragraph_gap(font_size));
            self.heights = RowHeights::new(self.lines.rows().iter().map(|r| {
                let lines = ((r.len as f32) / per_line).ceil().max(1.0);
                lines * rh + gap
            }));
            self.width = width;
            self.font_size = font_size;
        }
    }

    fn layout_row(&self, ui: &egui::Ui, text: &str) -> Arc<Galley> {
        let mut job = LayoutJob::default();
        job.wrap.max_width = self.width;
        job.append(
            text,
            0.0,
            TextFormat {
                font_id: FontId::proportional(self.font_size),
                color: Color32::PLACEHOLDER,
                line_height: Some(self.row_height),
                ..Default::default()
            },
        );
        ui.fonts_mut(|f| f.layout_job(job))
    }

    /// Draws the document and returns what the pointer did.
    pub fn show(&mut self, ui: &mut egui::Ui, input: &ViewInput<'_>) -> Vec<TextViewEvent> {
        let mut events = Vec::new();
        let width = (ui.available_width() - 16.0).max(50.0);
        self.prepare(input.doc, width, input.font_size, input.show_tags, ui);

        let mut area = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .id_salt(("text-view", &self.doc_id));
        if let Some(pos) = self.scroll_to.take() {
            let row = self.lines.row_of(pos);
            let y = self.heights.top_of(row) - ui.available_height() / 3.0;
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
        area.show_viewport(ui, |ui, viewport| {
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
            let gap = paragraph_gap(self.font_size);
            let mut row_ix = self.heights.row_at(viewport.min.y);
            let mut laid_out = 0;
            while row_ix < self.lines.len() {
                let y = self.heights.top_of(row_ix);
                if y > viewport.max.y {
                    break;
                }
                let row = self.lines.rows()[row_ix];
                let galley = self.layout_row(ui, &text[row.bytes()]);
                self.heights
                    .set(row_ix, galley.size().y.max(self.row_height) + gap);
                self.visible
                    .insert(row_ix, (Pos2::new(left, top + y), galley));
                laid_out += 1;
                row_ix += 1;
            }
            self.last_rows_laid_out = laid_out;

            let live_selection = self.live_selection(ui, &response);
            let painter = ui.painter_at(screen_view.expand(4.0));
            let mut rows: Vec<usize> = self.visible.keys().copied().collect();
            rows.sort_unstable();
            self.painted = Default::default();
            for ix in rows {
                let row = self.lines.rows()[ix];
                let (origin, galley) = &self.visible[&ix];
                let selection = live_selection.clone().or_else(|| input.selection.clone());
                let painted =
                    paint::row(ui, &painter, *origin, galley, row.chars(), input, selection);
                self.painted.extend(painted);
            }
            self.handle_pointer(ui, &response, input, &mut events);
        });
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

    /// The code-point boundary nearest to a screen position.
    fn offset_at(&self, pos: Pos2) -> Option<CharOffset> {
        let (ix, (origin, galley)) = self
            .visible
            .iter()
            .filter(|(_, (o, g))| pos.y >= o.y && pos.y < o.y + g.size().y.max(1.0) + 8.0)
            .min_by_key(|(ix, _)| **ix)
            .or_else(|| {
                // Above or below the shown rows: clamp to the nearest one.
                self.visible.iter().min_by(|a, b| {
                    let da = (a.1.0.y - pos.y).abs();
                    let db = (b.1.0.y - pos.y).abs();
                    da.total_cmp(&db)
                })
            })?;
        let c = galley.cursor_from_pos(pos - *origin);
        Some(self.lines.rows()[*ix].start + c.index.0)
    }

    /// The code point under the pointer (not the boundary): for clicks on a character.
    fn char_at(&self, pos: Pos2) -> Option<CharOffset> {
        let boundary = self.offset_at(pos)?;
        let row_ix = self.lines.row_of(boundary);
        let row = self.lines.rows()[row_ix];
        let (origin, galley) = self.visible.get(&row_ix)?;
        let x = galley
            .pos_from_cursor(CCursor::new(boundary - row.start))
            .min
            .x
            + origin.x;
        Some(if boundary > row.start && x > pos.x {
            boundary - 1
        } else {
            boundary
        })
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
            self.edge_drag = self.edge_under(press, input);
            if self.edge_drag.is_none() {
                self.drag_anchor = self.offset_at(press);
            }
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
        for (offset, moving_start) in [(span.start(), true), (span.end(), false)] {
            let at = self.screen_pos(offset)?;
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

/// Space between paragraphs, so lines of a document read as paragraphs.
fn paragraph_gap(font_size: f32) -> f32 {
    (font_size * 0.35).round()
}
