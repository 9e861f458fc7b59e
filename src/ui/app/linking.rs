//! Linking by keyboard and mouse: with an event selected, a role's key
//! waits for the span to fill it (the next click), and the same key again
//! takes the nearest candidate of the sentence. The model does the linking
//! ([`crate::model::Session::fill_role`]); this keeps what is pending.

use eframe::egui;

use super::SpanmarkApp;
use crate::model::{CharOffset, FrameId, SpanId};

/// What the event panel and Enter offer for the selected event. Worked out
/// again only when the selection, its event or the project changes, since
/// finding a sentence's candidates segments the text around the trigger.
#[derive(Debug, Default)]
pub struct EventHints {
    key: Option<(u64, SpanId, Option<FrameId>)>,
    /// The link Enter makes: a role and its nearest candidate.
    pub suggested: Option<(String, SpanId)>,
    /// Per role of the schema, in schema order: the spans that could fill
    /// it, nearest first.
    pub candidates: Vec<(String, Vec<SpanId>)>,
}

/// The menu of roles after a drag from an event's handle onto a span.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleMenu {
    pub trigger: SpanId,
    pub filler: SpanId,
    /// Where the drag was released (the menu's corner).
    pub at: egui::Pos2,
}

/// A role waiting for its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLink {
    pub role: String,
    /// The event's trigger span.
    pub trigger: SpanId,
    /// The frame to fill (the trigger's first), if it has one yet.
    pub frame: Option<FrameId>,
}

impl SpanmarkApp {
    /// Brings the event hints up to date with the selection and the project.
    pub(super) fn refresh_event_hints(&mut self) {
        let Some(trigger) = self.session.selected_span_id().filter(|_| {
            self.session
                .selected()
                .is_some_and(|s| self.session.project.schema.events.can_trigger(&s.label))
        }) else {
            self.ui.event_hints = EventHints::default();
            return;
        };
        let frame = self.session.selected_frame().map(|f| f.id);
        let key = Some((self.session.revision(), trigger, frame));
        if self.ui.event_hints.key == key {
            return;
        }
        let candidates = self
            .session
            .project
            .schema
            .events
            .roles
            .iter()
            .map(|r| {
                let found = self.session.role_candidates(trigger, frame, &r.name);
                (r.name.clone(), found)
            })
            .collect();
        self.ui.event_hints = EventHints {
            key,
            suggested: self.session.suggested_link(),
            candidates,
        };
    }

    /// A drag from the event's handle ended on code point `pos`: offers the
    /// roles for the innermost span there (other than the trigger).
    pub(super) fn open_role_menu(
        &mut self,
        ctx: &egui::Context,
        trigger: SpanId,
        pos: CharOffset,
        at: egui::Pos2,
    ) {
        let filler = self
            .session
            .document()
            .and_then(|d| d.layer(&self.session.layer_id()))
            .and_then(|l| {
                l.containing(pos)
                    .into_iter()
                    .rev()
                    .map(|s| s.id())
                    .find(|id| *id != trigger)
            });
        match filler {
            Some(filler) => {
                self.ui.role_menu = Some(RoleMenu {
                    trigger,
                    filler,
                    at,
                })
            }
            None => self.set_status(ctx, "No span there to link: drop the link on a span"),
        }
    }

    /// The role menu, while open: a role's button (or its key) fills it;
    /// Esc or a click elsewhere closes it.
    pub(super) fn show_role_menu(&mut self, ctx: &egui::Context) {
        let Some(menu) = self.ui.role_menu.clone() else {
            return;
        };
        let layer = self.session.layer_id();
        let label = self
            .session
            .document()
            .and_then(|d| d.layer(&layer)?.get(menu.filler))
            .map(|s| s.label.clone())
            .unwrap_or_default();
        let roles = self.session.project.schema.events.roles.clone();
        let what = self.span_text(Some(menu.filler));
        let mut chosen = None;
        let area = egui::Area::new(egui::Id::unique("role-menu"))
            .order(egui::Order::Foreground)
            .fixed_pos(menu.at + egui::vec2(6.0, 6.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(format!("“{what}” is the event's…"));
                    for role in &roles {
                        let allowed = role.labels.contains(&label);
                        let key = role.key.map(|k| format!("  [{k}]")).unwrap_or_default();
                        let button = ui
                            .add_enabled(allowed, egui::Button::new(format!("{}{key}", role.name)))
                            .on_disabled_hover_text(format!(
                                "{} takes {}, not {label}",
                                role.name,
                                role.labels.join(" or ")
                            ));
                        if button.clicked() {
                            chosen = Some(role.name.clone());
                        }
                    }
                });
            });
        let typed = roles.iter().find(|r| {
            r.labels.contains(&label)
                && r.key.is_some_and(|k| {
                    ctx.input(|i| {
                        i.events
                            .iter()
                            .any(|e| matches!(e, egui::Event::Text(t) if t.chars().eq([k])))
                    })
                })
        });
        let chosen = chosen.or(typed.map(|r| r.name.clone()));
        let clicked_away = ctx.input(|i| i.pointer.any_click())
            && !ctx
                .pointer_interact_pos()
                .is_some_and(|p| area.response.rect.contains(p));
        if let Some(role) = chosen {
            self.ui.role_menu = None;
            let frame = self.session.selected_frame().map(|f| f.id);
            self.fill(ctx, frame, &role, menu.trigger, menu.filler);
        } else if super::super::command::take_cancel(ctx) || clicked_away {
            self.ui.role_menu = None;
        }
    }

    /// Selects span `id` of the open layer and brings it into view.
    pub(crate) fn go_to_span(&mut self, id: SpanId) {
        if self.show_span(id) {
            self.session.select_span(id);
        }
    }

    /// Brings span `id` of the open layer into view, leaving the selection
    /// as it is (an event's slot, seen while the event stays selected).
    /// Returns whether the span exists.
    pub(crate) fn show_span(&mut self, id: SpanId) -> bool {
        let start = self
            .session
            .document()
            .and_then(|d| d.layer(&self.session.layer_id())?.get(id))
            .map(|s| s.start());
        if let Some(start) = start {
            self.view.scroll_to(start);
        }
        start.is_some()
    }

    /// Enter with an event selected: makes the suggested link.
    pub(super) fn accept_suggested_link(&mut self, ctx: &egui::Context) {
        let Some((role, filler)) = self.session.suggested_link() else {
            return;
        };
        let frame = self.session.selected_frame().map(|f| f.id);
        let Some(trigger) = self.session.selected_span_id() else {
            return;
        };
        self.ui.linking = None;
        self.fill(ctx, frame, &role, trigger, filler);
    }

    /// Adds another event on the selected trigger.
    pub(super) fn add_event(&mut self, ctx: &egui::Context) {
        let what = self.span_text(self.session.selected_span_id());
        match self.session.add_event_on_selected() {
            Ok(_) => {
                let n = self.session.frames_of_selected().len();
                self.set_status(ctx, format!("Event {n} on “{what}”: fill its roles"));
            }
            Err(e) => self.set_status(ctx, format!("No event added: {e}")),
        }
    }

    /// Removes the selected event, keeping its trigger span.
    pub(super) fn remove_event(&mut self, ctx: &egui::Context) {
        let what = self.span_text(self.session.selected_span_id());
        match self.session.remove_selected_frame() {
            Ok(_) => self.set_status(
                ctx,
                format!("Removed an event of “{what}” (the span stays); undo brings it back"),
            ),
            Err(e) => self.set_status(ctx, format!("No event removed: {e}")),
        }
    }

    /// Steps to the trigger's next event.
    pub(super) fn next_event_of_trigger(&mut self, ctx: &egui::Context) {
        let Some(id) = self.session.focus_next_frame() else {
            return;
        };
        let frames = self.session.frames_of_selected();
        let at = frames.iter().position(|f| f.id == id).unwrap_or(0) + 1;
        let n = frames.len();
        self.set_status(ctx, format!("Event {at} of {n} on this trigger"));
    }

    /// Steps the selected event's type through the schema's list.
    pub(super) fn step_event_type(&mut self, ctx: &egui::Context, forward: bool) {
        match self.session.step_event_type(forward) {
            Ok(Some(t)) => self.set_status(ctx, format!("Event type: {t}")),
            Ok(None) => self.set_status(ctx, "No event type"),
            Err(e) => self.set_status(ctx, format!("Event type not set: {e}")),
        }
    }

    /// A role's key: wait for a click, or (pressed again) take the nearest candidate.
    pub(super) fn press_role(&mut self, ctx: &egui::Context, role: &str) {
        let Some(trigger) = self.session.selected_span_id() else {
            return;
        };
        let frame = self.session.selected_frame().map(|f| f.id);
        let candidates = self.session.role_candidates(trigger, frame, role);
        let again = self
            .ui
            .linking
            .as_ref()
            .is_some_and(|p| p.role == role && p.trigger == trigger);
        if again && let Some(&nearest) = candidates.first() {
            self.ui.linking = None;
            self.fill(ctx, frame, role, trigger, nearest);
            return;
        }
        let key = self
            .session
            .project
            .schema
            .events
            .role(role)
            .and_then(|r| r.key)
            .map(|k| {
                format!(
                    ", {k} again for “{}”",
                    self.span_text(candidates.first().copied())
                )
            })
            .filter(|_| !candidates.is_empty())
            .unwrap_or_default();
        self.ui.linking = Some(PendingLink {
            role: role.to_string(),
            trigger,
            frame,
        });
        let what = self.span_text(Some(trigger));
        self.set_status(
            ctx,
            format!("The {role} of “{what}”: click its span{key}; Esc cancels"),
        );
    }

    /// A click while a role waits: fills it with the innermost span there
    /// that the role takes (else the innermost span). Returns whether the
    /// click was taken.
    pub(super) fn link_clicked(&mut self, ctx: &egui::Context, pos: CharOffset) -> bool {
        let Some(pending) = self.ui.linking.take() else {
            return false;
        };
        // Another span selected meanwhile (Tab, the span list): the wait is over.
        if self.session.selected_span_id() != Some(pending.trigger) {
            return false;
        }
        let allowed: Vec<String> = self
            .session
            .project
            .schema
            .events
            .role(&pending.role)
            .map(|r| r.labels.clone())
            .unwrap_or_default();
        let here: Vec<(SpanId, bool)> = self
            .session
            .document()
            .and_then(|d| d.layer(&self.session.layer_id()))
            .map(|l| {
                l.containing(pos)
                    .into_iter()
                    .filter(|s| s.id() != pending.trigger)
                    .map(|s| (s.id(), allowed.contains(&s.label)))
                    .collect()
            })
            .unwrap_or_default();
        // Innermost last in `containing`'s outermost-first order.
        let pick = here
            .iter()
            .rev()
            .find(|(_, ok)| *ok)
            .or(here.last())
            .map(|(id, _)| *id);
        let Some(filler) = pick else {
            self.set_status(
                ctx,
                format!("No span there: the {} was not filled", pending.role),
            );
            return true;
        };
        self.fill(ctx, pending.frame, &pending.role, pending.trigger, filler);
        true
    }

    pub(crate) fn fill(
        &mut self,
        ctx: &egui::Context,
        frame: Option<FrameId>,
        role: &str,
        trigger: SpanId,
        filler: SpanId,
    ) {
        // The event stays selected, so the next role can follow.
        self.session.select_span(trigger);
        let (what, event) = (self.span_text(Some(filler)), self.span_text(Some(trigger)));
        match self.session.fill_role(frame, role, filler) {
            Ok(_) => self.set_status(ctx, format!("“{what}” is the {role} of “{event}”")),
            Err(e) => self.set_status(ctx, format!("Not linked: {e}")),
        }
        self.session.select_span(trigger);
    }

    /// The text of a span of the open layer (shortened), for messages.
    pub(crate) fn span_text(&self, id: Option<SpanId>) -> String {
        let Some(doc) = self.session.document() else {
            return String::new();
        };
        let span = id.and_then(|id| doc.layer(&self.session.layer_id())?.get(id));
        let text = span
            .and_then(|s| doc.slice(s.start(), s.end()))
            .unwrap_or_default();
        let short: String = text.chars().take(40).collect();
        if text.chars().nth(40).is_some() {
            format!("{short}…")
        } else {
            short
        }
    }
}
