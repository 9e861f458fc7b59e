//! Linking by keyboard and mouse: with an event selected, a role's key
//! waits for the span to fill it (the next click), and the same key again
//! takes the nearest candidate of the sentence. The model does the linking
//! ([`crate::model::Session::fill_role`]); this keeps what is pending.

use eframe::egui;

use super::SpanmarkApp;
use crate::model::{CharOffset, FrameId, SpanId};

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
    /// A role's key: wait for a click, or (pressed again) take the nearest candidate.
    pub(super) fn press_role(&mut self, ctx: &egui::Context, role: &str) {
        let Some(trigger) = self.session.selected_span_id() else {
            return;
        };
        let frame = self.session.frames_of_selected().first().map(|f| f.id);
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

    fn fill(
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
    fn span_text(&self, id: Option<SpanId>) -> String {
        let Some(doc) = self.session.document() else {
            return String::new();
        };
        let span = id.and_then(|id| doc.layer(&self.session.layer_id())?.get(id));
        let text = span
            .and_then(|s| doc.slice(s.start(), s.end()))
            .unwrap_or_default();
        let short: String = text.chars().take(40).collect();
        if text.chars().count() > 40 {
            format!("{short}…")
        } else {
            short
        }
    }
}
