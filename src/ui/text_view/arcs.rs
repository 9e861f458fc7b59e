//! Arcs of one event: from its trigger to each slot's span, labelled with
//! the role. Drawn only for the selected or hovered event, or in review
//! for the two versions of the event under review (A's solid, B's dashed,
//! roles tagged A and B): brat and INCEpTION users complain of arc clutter. Every arc runs in the room
//! left above each line and in the gutter right of the text, so it never
//! crosses a line of text; an end that is not on screen becomes a marker at
//! the top or bottom edge with its role and text, which jumps there when
//! clicked. Positions come from the layout's rectangles, so Urdu and mixed
//! lines get their arcs where their characters are.

use eframe::egui::{self, Align2, Pos2, Rect, Sense, Stroke, Vec2};

use super::{TextView, ViewInput};
use crate::model::{CharOffset, Frame, Span, SpanId};

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

    /// The events whose arcs are drawn this frame: the shown trigger's (the
    /// focused one of a selected trigger, every one of a hovered one), else
    /// in review both versions of the event under review, where a slot both
    /// versions fill alike is drawn once, untagged.
    fn arc_sets<'a>(&self, input: &ViewInput<'a>, hover: Option<Pos2>) -> (Vec<ArcSet<'a>>, bool) {
        let arcs_of = |layer: &'a crate::model::Layer, frame: &'a Frame| {
            frame
                .slots
                .iter()
                .filter_map(move |slot| layer.get(slot.span).map(|s| (slot.role.as_str(), s)))
        };
        if let (Some(layer), Some(trigger)) = (input.layer, self.shown_trigger(input, hover)) {
            let Some(t) = layer.get(trigger) else {
                return (Vec::new(), false);
            };
            let selected = input.selected_span == Some(trigger);
            let arcs = layer
                .links()
                .frames_triggered_by(trigger)
                .filter(|f| !selected || input.focused_frame.is_none_or(|id| id == f.id))
                .flat_map(|f| arcs_of(layer, f))
                .map(|(role, s)| (role.to_string(), s))
                .collect();
            let set = ArcSet {
                trigger: t,
                arcs,
                dashed: false,
            };
            return (vec![set], selected);
        }
        let Some(event) = input.review.as_ref().and_then(|r| r.event.as_ref()) else {
            return (Vec::new(), false);
        };
        let a: Vec<(&str, &Span)> = event
            .a
            .map(|(l, f)| arcs_of(l, f).collect())
            .unwrap_or_default();
        let b: Vec<(&str, &Span)> = event
            .b
            .map(|(l, f)| arcs_of(l, f).collect())
            .unwrap_or_default();
        let alike = |x: &(&str, &Span), ys: &[(&str, &Span)]| {
            ys.iter().any(|y| y.0 == x.0 && y.1.range() == x.1.range())
        };
        let mut sets = Vec::new();
        if let Some(t) = event.a.and_then(|(l, f)| l.get(f.trigger)) {
            let arcs = a
                .iter()
                .map(|x| {
                    let tag = if alike(x, &b) { "" } else { "A " };
                    (format!("{tag}{}", x.0), x.1)
                })
                .collect();
            sets.push(ArcSet {
                trigger: t,
                arcs,
                dashed: false,
            });
        }
        if let Some(t) = event.b.and_then(|(l, f)| l.get(f.trigger)) {
            let arcs = b
                .iter()
                .filter(|x| !alike(x, &a) || event.a.is_none())
                .map(|x| (format!("B {}", x.0), x.1))
                .collect();
            sets.push(ArcSet {
                trigger: t,
                arcs,
                dashed: true,
            });
        }
        (sets, false)
    }

    /// Paints the arcs of the shown events and, for the selected one, its
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
        let (sets, selected) = self.arc_sets(input, hover);
        if sets.is_empty() {
            return (out, jump);
        }
        let room = arc_room(input.font_size);
        let gutter_x = view.max.x + 3.0;
        let painter = ui.painter_at(view.with_max_x(view.max.x + GUTTER));
        let dark = ui.visuals().dark_mode;
        let strong = selected || input.review.is_some();
        let ink = crate::ui::palette::document_text(dark).gamma_multiply(if strong {
            0.85
        } else {
            0.55
        });
        let stroke = Stroke::new(if strong { 1.8 } else { 1.3 }, ink);
        let font = egui::FontId::proportional((room + 4.0).min(input.font_size * 0.75));
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
        let mut lane = 0;
        let mut trigger_markers: Vec<(std::ops::Range<CharOffset>, Option<f32>)> = Vec::new();
        for set in &sets {
            let t = set.trigger;
            let from = self.end_of(t.range());
            // The trigger's own marker, once per trigger, when it is off screen.
            let trigger_marker_y = match trigger_markers.iter().find(|(r, _)| *r == t.range()) {
                Some((_, y)) => *y,
                None => {
                    let event_text = short(input.doc.slice(t.start(), t.end()).unwrap_or(""));
                    let y = marker(
                        &painter,
                        ui,
                        &mut out,
                        from,
                        format!("{} event: {event_text}", arrow(from)),
                        t.start(),
                    );
                    trigger_markers.push((t.range(), y));
                    y
                }
            };
            for (role, f) in &set.arcs {
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
                    format!("{} {role}: {text}", arrow(to)),
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
                if set.dashed {
                    painter.extend(egui::Shape::dashed_line(&points, stroke, 4.0, 3.0));
                } else {
                    painter.add(egui::Shape::line(points.clone(), stroke));
                }
                if let End::Shown(b) = to {
                    arrowhead(&painter, b, stroke);
                    let y = run(b.y);
                    let galley = painter.layout_no_wrap(role.clone(), font.clone(), stroke.color);
                    let size = galley.size() + Vec2::new(4.0, 0.0);
                    let rect = Rect::from_center_size(Pos2::new(b.x, y), size);
                    let fill = ui.visuals().panel_fill;
                    painter.rect_filled(rect, 2.0, fill);
                    painter.galley(rect.min + Vec2::new(2.0, 0.0), galley, stroke.color);
                    out.labels.push((role.clone(), rect));
                }
            }
        }
        if selected
            && let Some(set) = sets.first()
            && let Some(r) = self.range_rects(set.trigger.range()).last()
        {
            let at = Pos2::new(r.max.x, r.min.y - room * 0.5);
            painter.circle(at, 4.0, ui.visuals().panel_fill, stroke);
            out.handle = Some(at);
        }
        (out, jump)
    }
}

/// One event's arcs to draw: each filler with the text its arc is
/// labelled with (the role, tagged A or B in review).
struct ArcSet<'a> {
    trigger: &'a Span,
    arcs: Vec<(String, &'a Span)>,
    /// B's version in review is dashed.
    dashed: bool,
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
