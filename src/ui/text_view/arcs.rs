//! Arcs of one event: from its trigger to each slot's span, labelled with
//! the role. Drawn only for the selected or hovered event (brat and
//! INCEpTION users complain of arc clutter). Every arc runs in the room
//! left above each line and in the gutter right of the text, so it never
//! crosses a line of text; an end that is not on screen becomes a marker at
//! the top or bottom edge with its role and text, which jumps there when
//! clicked. Positions come from the layout's rectangles, so Urdu and mixed
//! lines get their arcs where their characters are.

use eframe::egui::{self, Align2, Pos2, Rect, Sense, Stroke, Vec2};

use super::{TextView, ViewInput};
use crate::model::{CharOffset, Frame, SpanId};

/// Width of the gutter right of the text that arcs between lines run in.
pub(super) const GUTTER: f32 = 14.0;
/// How far apart the lanes of one event's arcs are (in the gutter and in
/// the room above a line), so arcs that share a line stay apart.
const LANE: f32 = 3.0;
const LANES: usize = 3;

/// What one arc drew, in screen coordinates, for tests: its segments'
/// boxes, its label and its off-screen marker, if any.
#[derive(Debug, Clone, Default)]
pub struct PaintedArcs {
    pub segments: Vec<Rect>,
    pub labels: Vec<(String, Rect)>,
    pub markers: Vec<(String, Rect)>,
    /// The selected event's link handle (drag it to a span to link).
    pub handle: Option<Pos2>,
}

/// Where an arc's end is: a point on top of its span, or off the screen.
#[derive(Debug, Clone, Copy)]
enum End {
    /// The top middle of the span's first piece on screen, and the top of
    /// the text band it sits on.
    Shown(Pos2),
    Above,
    Below,
}

/// The room above each line that arcs and their labels use.
pub(super) fn arc_room(font_size: f32) -> f32 {
    (font_size * 0.45).round().max(5.0)
}

impl TextView {
    /// The trigger whose event is shown: the selected span if it has an
    /// event, else the innermost span with one under the pointer.
    pub(super) fn shown_trigger(
        &self,
        input: &ViewInput<'_>,
        hover: Option<Pos2>,
    ) -> Option<SpanId> {
        let layer = input.layer?;
        let has_event = |id: SpanId| layer.links().frames_triggered_by(id).next().is_some();
        // A selected trigger shows its handle even before its first link.
        let can_trigger = |id: SpanId| {
            layer
                .get(id)
                .is_some_and(|s| input.schema.events.can_trigger(&s.label))
        };
        if let Some(id) = input.selected_span.filter(|id| can_trigger(*id)) {
            return Some(id);
        }
        let at = self.char_at(hover?)?;
        // `containing` is outermost first.
        layer
            .containing(at)
            .into_iter()
            .rev()
            .map(|s| s.id())
            .find(|id| has_event(*id))
    }

    fn end_of(&self, range: std::ops::Range<CharOffset>) -> End {
        if let Some(r) = self.range_rects(range.clone()).first() {
            return End::Shown(Pos2::new(r.center().x, r.min.y));
        }
        match self.visible_range() {
            Some(v) if range.end <= v.start => End::Above,
            _ => End::Below,
        }
    }

    /// Paints the arcs of the shown event and, for the selected one, its
    /// link handle. Returns what was painted, and a span to jump to when a
    /// marker was clicked.
    pub(super) fn paint_arcs(
        &self,
        ui: &mut egui::Ui,
        input: &ViewInput<'_>,
        view: Rect,
        hover: Option<Pos2>,
    ) -> (PaintedArcs, Option<CharOffset>) {
        let mut out = PaintedArcs::default();
        let mut jump = None;
        let (Some(layer), Some(trigger)) = (input.layer, self.shown_trigger(input, hover)) else {
            return (out, jump);
        };
        let Some(t) = layer.get(trigger) else {
            return (out, jump);
        };
        let selected = input.selected_span == Some(trigger);
        // The focused event of a selected trigger; every event of a hovered one.
        let frames: Vec<&Frame> = layer
            .links()
            .frames_triggered_by(trigger)
            .filter(|f| !selected || input.focused_frame.is_none_or(|id| id == f.id))
            .collect();
        let room = arc_room(input.font_size);
        let gutter_x = view.max.x + 3.0;
        let painter = ui.painter_at(view.with_max_x(view.max.x + GUTTER));
        let dark = ui.visuals().dark_mode;
        let ink = crate::ui::palette::document_text(dark).gamma_multiply(if selected {
            0.85
        } else {
            0.55
        });
        let stroke = Stroke::new(if selected { 1.8 } else { 1.3 }, ink);
        let font = egui::FontId::proportional((room + 4.0).min(input.font_size * 0.75));
        let from = self.end_of(t.range());
        let mut markers_top = view.min.y + 2.0;
        let mut markers_bottom = view.max.y - 2.0;
        let mut marker = |painter: &egui::Painter,
                          ui: &mut egui::Ui,
                          out: &mut PaintedArcs,
                          end: End,
                          text: String,
                          target: CharOffset|
         -> Option<f32> {
            let galley = painter.layout_no_wrap(text.clone(), font.clone(), ink);
            let size = galley.size() + Vec2::new(8.0, 2.0);
            let (y, align) = match end {
                End::Above => (markers_top, Align2::RIGHT_TOP),
                End::Below => (markers_bottom, Align2::RIGHT_BOTTOM),
                End::Shown(_) => return None,
            };
            let rect = align.anchor_size(Pos2::new(gutter_x + GUTTER - 3.0, y), size);
            match end {
                End::Above => markers_top += size.y + 2.0,
                _ => markers_bottom -= size.y + 2.0,
            }
            let id = ui.scope_id().with(("arc-marker", target, text.as_str()));
            let response = ui
                .interact(rect, id, Sense::click())
                .on_hover_text("Go there");
            let fill = ui.visuals().extreme_bg_color;
            painter.rect(rect, 3.0, fill, stroke, egui::StrokeKind::Inside);
            painter.galley(rect.min + Vec2::new(4.0, 1.0), galley, ink);
            if response.clicked() {
                jump = Some(target);
            }
            out.markers.push((text, rect));
            Some(rect.center().y)
        };
        // The trigger's own marker, once, when it is off screen.
        let event_text = short(input.doc.slice(t.start(), t.end()).unwrap_or(""));
        let trigger_marker_y = marker(
            &painter,
            ui,
            &mut out,
            from,
            format!("{} event: {event_text}", arrow(from)),
            t.start(),
        );
        let mut lane = 0;
        for frame in &frames {
            for slot in &frame.slots {
                let Some(f) = layer.get(slot.span) else {
                    continue;
                };
                let to = self.end_of(f.range());
                let offset = (lane % LANES) as f32 * LANE;
                lane += 1;
                // Each arc in its filler's label colour, as brat draws them.
                let stroke = input.schema.get(&f.label).map_or(stroke, |l| {
                    let (r, g, b) = (l.color.0, l.color.1, l.color.2);
                    Stroke::new(stroke.width, egui::Color32::from_rgb(r, g, b))
                });
                let text = short(input.doc.slice(f.start(), f.end()).unwrap_or(""));
                let marker_y = marker(
                    &painter,
                    ui,
                    &mut out,
                    to,
                    format!("{} {}: {text}", arrow(to), slot.role),
                    f.start(),
                );
                let run = |top: f32| top - room * 0.5 - offset * 0.5 + LANE * 0.5;
                let gx = gutter_x + offset;
                let points: Vec<Pos2> = match (from, to) {
                    (End::Shown(a), End::Shown(b)) if (a.y - b.y).abs() < 0.5 => {
                        let y = run(a.y);
                        vec![a, Pos2::new(a.x, y), Pos2::new(b.x, y), b]
                    }
                    (End::Shown(a), End::Shown(b)) => vec![
                        a,
                        Pos2::new(a.x, run(a.y)),
                        Pos2::new(gx, run(a.y)),
                        Pos2::new(gx, run(b.y)),
                        Pos2::new(b.x, run(b.y)),
                        b,
                    ],
                    (End::Shown(a), _) => {
                        let Some(my) = marker_y else { continue };
                        vec![
                            a,
                            Pos2::new(a.x, run(a.y)),
                            Pos2::new(gx, run(a.y)),
                            Pos2::new(gx, my),
                        ]
                    }
                    (_, End::Shown(b)) => {
                        let Some(my) = trigger_marker_y else { continue };
                        vec![
                            Pos2::new(gx, my),
                            Pos2::new(gx, run(b.y)),
                            Pos2::new(b.x, run(b.y)),
                            b,
                        ]
                    }
                    // Both ends off screen: the markers say it all.
                    _ => continue,
                };
                for pair in points.windows(2) {
                    out.segments.push(Rect::from_two_pos(pair[0], pair[1]));
                }
                painter.add(egui::Shape::line(points.clone(), stroke));
                if let End::Shown(b) = to {
                    arrowhead(&painter, b, stroke);
                    let y = run(b.y);
                    let galley =
                        painter.layout_no_wrap(slot.role.clone(), font.clone(), stroke.color);
                    let size = galley.size() + Vec2::new(4.0, 0.0);
                    let rect = Rect::from_center_size(Pos2::new(b.x, y), size);
                    let fill = ui.visuals().panel_fill;
                    painter.rect_filled(rect, 2.0, fill);
                    painter.galley(rect.min + Vec2::new(2.0, 0.0), galley, stroke.color);
                    out.labels.push((slot.role.clone(), rect));
                }
            }
        }
        if selected && let Some(r) = self.range_rects(t.range()).last() {
            let at = Pos2::new(r.max.x, r.min.y - room * 0.5);
            painter.circle(at, 4.0, ui.visuals().panel_fill, stroke);
            out.handle = Some(at);
        }
        (out, jump)
    }
}

fn arrow(end: End) -> &'static str {
    match end {
        End::Above => "↑",
        End::Below => "↓",
        End::Shown(_) => "",
    }
}

fn short(text: &str) -> String {
    let s: String = text.chars().take(28).collect();
    // Not `chars().count()`: a span may be long, and this runs every frame.
    if text.chars().nth(28).is_some() {
        format!("{s}…")
    } else {
        s
    }
}

/// A small arrowhead pointing down onto `tip` (the filler's top).
fn arrowhead(painter: &egui::Painter, tip: Pos2, stroke: Stroke) {
    let w = 3.0;
    painter.add(egui::Shape::convex_polygon(
        vec![
            tip,
            tip + Vec2::new(-w, -w * 1.4),
            tip + Vec2::new(w, -w * 1.4),
        ],
        stroke.color,
        Stroke::NONE,
    ));
}
