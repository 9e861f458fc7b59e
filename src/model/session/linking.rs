//! Linking spans into events in a session: fill a role of the selected
//! event, empty it, choose the event type, and list the spans that could
//! fill a role (same sentence, allowed labels, nearest first). Each change
//! is one undo step; what the schema refuses comes back with its reason.

use super::Session;
use crate::model::command::{Command, EditError, new_frame_problems};
use crate::model::event_schema::FrameProblem;
use crate::model::frame::{Frame, FrameId};
use crate::model::span::{CharOffset, Span, SpanId};
use crate::model::tokens::sentence_bounds;

/// Why a link was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefused {
    #[error("select an event first: its trigger span, then the role and the span to fill it")]
    NoEvent,
    #[error("a span labelled {0} is not an event trigger")]
    NotATrigger(String),
    #[error("no span {0} in this layer")]
    NoSpan(SpanId),
    #[error("no role {0:?} in the schema")]
    NoRole(String),
    #[error("{0}")]
    Schema(FrameProblem),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// How far around a trigger to look for its sentence (code points).
const SENTENCE_WINDOW: CharOffset = 2000;

impl Session {
    /// Frames whose trigger is the selected span, in id order.
    pub fn frames_of_selected(&self) -> Vec<&Frame> {
        let (Some(id), Some(layer)) = (self.selected_span, self.layer()) else {
            return Vec::new();
        };
        // By the span's reverse index, not a scan of the layer's frames.
        layer.links().frames_triggered_by(id).collect()
    }

    /// The selected trigger's event being worked on: the one focused last
    /// ([`Session::focus_frame`]) while its trigger stays selected, else
    /// the trigger's first.
    pub fn selected_frame(&self) -> Option<&Frame> {
        let frames = self.frames_of_selected();
        frames
            .iter()
            .find(|f| Some(f.id) == self.focused_frame)
            .or(frames.first())
            .copied()
    }

    /// Makes `id` the selected trigger's event being worked on.
    pub fn focus_frame(&mut self, id: FrameId) {
        self.focused_frame = Some(id);
    }

    /// Focuses the selected trigger's next event (after the last, the first).
    pub fn focus_next_frame(&mut self) -> Option<FrameId> {
        let ids: Vec<FrameId> = self.frames_of_selected().iter().map(|f| f.id).collect();
        let current = self.selected_frame().map(|f| f.id);
        let at = ids.iter().position(|id| Some(*id) == current);
        let next = *ids.get(at.map_or(0, |i| (i + 1) % ids.len()))?;
        self.focused_frame = Some(next);
        Some(next)
    }

    /// Adds an event with no slots yet on the selected trigger, and focuses
    /// it: "killed in Bajaur and one in Khyber" is two events, one verb.
    pub fn add_event_on_selected(&mut self) -> Result<FrameId, LinkRefused> {
        let doc = self.doc_id().ok_or(LinkRefused::NoEvent)?;
        let trigger = self.selected().ok_or(LinkRefused::NoEvent)?;
        if !self.project.schema.events.can_trigger(&trigger.label) {
            return Err(LinkRefused::NotATrigger(trigger.label.clone()));
        }
        let trigger = trigger.id();
        let frame = Frame::new(self.project.allocate_frame_id(), trigger);
        let id = frame.id;
        self.apply(Command::AddFrame {
            doc,
            layer: self.layer_id(),
            frame,
        })?;
        self.focused_frame = Some(id);
        Ok(id)
    }

    /// Removes the selected event (its trigger span stays).
    pub fn remove_selected_frame(&mut self) -> Result<FrameId, LinkRefused> {
        let doc = self.doc_id().ok_or(LinkRefused::NoEvent)?;
        let id = self.selected_frame().ok_or(LinkRefused::NoEvent)?.id;
        self.apply(Command::RemoveFrame {
            doc,
            layer: self.layer_id(),
            id,
        })?;
        Ok(id)
    }

    /// Steps the selected event's type through the schema's list (and, past
    /// either end, to none), so the type can be chosen by key.
    pub fn step_event_type(&mut self, forward: bool) -> Result<Option<String>, LinkRefused> {
        let frame = self.selected_frame().ok_or(LinkRefused::NoEvent)?;
        let (id, current) = (frame.id, frame.event_type.clone());
        let types = &self.project.schema.events.event_types;
        // Positions 0..n are the types, n is "none".
        let n = types.len();
        let at = current
            .as_ref()
            .and_then(|t| types.iter().position(|x| x == t))
            .unwrap_or(n);
        let next = if forward {
            (at + 1) % (n + 1)
        } else {
            (at + n) % (n + 1)
        };
        let chosen = types.get(next).cloned();
        self.set_event_type(id, chosen.clone())?;
        Ok(chosen)
    }

    /// The link to offer for the selected event: the first role of the
    /// schema that still wants a filler (empty, or short of its minimum),
    /// with its nearest candidate in the sentence. Enter accepts it.
    pub fn suggested_link(&self) -> Option<(String, SpanId)> {
        let trigger = self.selected_span?;
        let label = &self.layer()?.get(trigger)?.label;
        let events = &self.project.schema.events;
        if !events.can_trigger(label) {
            return None;
        }
        let frame = self.selected_frame();
        events.roles.iter().find_map(|role| {
            let filled = frame.map_or(0, |f| f.fillers(&role.name).count()) as u32;
            let wanted = filled == 0 || filled < role.cardinality.min();
            let room = role.cardinality.max().is_none_or(|m| filled < m);
            if !(wanted && room) {
                return None;
            }
            // A span already in the event (the agent) is not offered again
            // for another role, though it may be chosen by hand.
            let in_frame = |id: &SpanId| frame.is_some_and(|f| f.spans().any(|s| s == *id));
            let nearest = self
                .role_candidates(trigger, frame.map(|f| f.id), &role.name)
                .into_iter()
                .find(|id| !in_frame(id))?;
            Some((role.name.clone(), nearest))
        })
    }

    /// Fills the suggested link ([`Session::suggested_link`]).
    pub fn accept_suggested_link(&mut self) -> Result<(String, SpanId), LinkRefused> {
        let (role, filler) = self.suggested_link().ok_or(LinkRefused::NoEvent)?;
        let frame = self.selected_frame().map(|f| f.id);
        let id = self.fill_role(frame, &role, filler)?;
        self.focused_frame = Some(id);
        Ok((role, filler))
    }

    /// What the schema still wants of the open document's events: each
    /// frame's roles short of their minimum (`+`, `{n}`), with the frame.
    /// Marking the document done asks first while this is not empty.
    pub fn short_roles(&self) -> Vec<(FrameId, FrameProblem)> {
        let Some(layer) = self.layer() else {
            return Vec::new();
        };
        let events = &self.project.schema.events;
        let label_of = |id| layer.get(id).map(|s| s.label.clone());
        layer
            .frames()
            .flat_map(|f| {
                events
                    .problems(f, label_of)
                    .into_iter()
                    .filter(FrameProblem::is_incomplete)
                    .map(|p| (f.id, p))
            })
            .collect()
    }

    /// Trigger spans of the open document whose event is unfinished: no
    /// event yet, an event with no slot filled, or one short of a role the
    /// schema needs. In text order; the span list's "missing roles" filter.
    pub fn triggers_missing_roles(&self) -> Vec<SpanId> {
        let Some(layer) = self.layer() else {
            return Vec::new();
        };
        let events = &self.project.schema.events;
        let label_of = |id| layer.get(id).map(|s| s.label.clone());
        layer
            .iter()
            .filter(|s| events.can_trigger(&s.label))
            .filter(|s| {
                let mut frames = layer.links().frames_triggered_by(s.id()).peekable();
                frames.peek().is_none()
                    || frames.any(|f| {
                        f.slots.is_empty()
                            || events
                                .problems(f, label_of)
                                .iter()
                                .any(|p| p.is_incomplete())
                    })
            })
            .map(Span::id)
            .collect()
    }

    fn layer(&self) -> Option<&crate::model::Layer> {
        self.document()?.layer(&self.layer_id())
    }

    /// The open document's id and a copy of frame `id` of the edited layer.
    fn frame_to_edit(&self, id: FrameId) -> Result<(String, Frame), LinkRefused> {
        let doc = self.doc_id().ok_or(LinkRefused::NoEvent)?;
        let frame = self
            .layer()
            .and_then(|l| l.frame(id))
            .cloned()
            .ok_or(LinkRefused::NoEvent)?;
        Ok((doc, frame))
    }

    /// Fills `role` with span `filler` in `frame`, or (without one) in the
    /// selected event's first frame, made now if it has none. Returns the
    /// frame filled. Filling a slot already filled changes nothing.
    pub fn fill_role(
        &mut self,
        frame: Option<FrameId>,
        role: &str,
        filler: SpanId,
    ) -> Result<FrameId, LinkRefused> {
        let doc = self.doc_id().ok_or(LinkRefused::NoEvent)?;
        let layer_id = self.layer_id();
        let layer = self.layer().ok_or(LinkRefused::NoEvent)?;
        if self.project.schema.events.role(role).is_none() {
            return Err(LinkRefused::NoRole(role.to_string()));
        }
        if !layer.contains_id(filler) {
            return Err(LinkRefused::NoSpan(filler));
        }
        let existing = match frame {
            Some(id) => Some(layer.frame(id).cloned().ok_or(LinkRefused::NoEvent)?),
            None => {
                let trigger = self.selected().ok_or(LinkRefused::NoEvent)?;
                if !self.project.schema.events.can_trigger(&trigger.label) {
                    return Err(LinkRefused::NotATrigger(trigger.label.clone()));
                }
                self.selected_frame().cloned()
            }
        };
        let (frame, new) = match existing {
            Some(f) => (f, false),
            None => {
                let trigger = self.selected_span.ok_or(LinkRefused::NoEvent)?;
                // Its id is taken once the schema allows the link.
                (Frame::new(FrameId(0), trigger), true)
            }
        };
        let mut filled = frame.clone().with_slot(role, filler);
        if !new && filled == frame {
            self.focused_frame = Some(frame.id);
            return Ok(frame.id);
        }
        let problems = new_frame_problems(&self.project, &doc, &layer_id, &filled);
        if let Some(p) = problems.into_iter().find(|p| !p.is_incomplete()) {
            return Err(LinkRefused::Schema(p));
        }
        if new {
            filled.id = self.project.allocate_frame_id();
        }
        let id = filled.id;
        let cmd = if new {
            Command::AddFrame {
                doc,
                layer: layer_id,
                frame: filled,
            }
        } else {
            Command::ReplaceFrame {
                doc,
                layer: layer_id,
                frame: filled,
            }
        };
        self.apply(cmd)?;
        self.focused_frame = Some(id);
        Ok(id)
    }

    /// Empties the slot of `role` filled by `filler` in `frame`.
    pub fn empty_slot(
        &mut self,
        frame: FrameId,
        role: &str,
        filler: SpanId,
    ) -> Result<(), LinkRefused> {
        let (doc, f) = self.frame_to_edit(frame)?;
        let emptied = f.clone().without_slot(role, filler);
        if emptied == f {
            return Ok(());
        }
        self.apply(Command::ReplaceFrame {
            doc,
            layer: self.layer_id(),
            frame: emptied,
        })?;
        Ok(())
    }

    /// Sets (or with `None` clears) a frame's event type.
    pub fn set_event_type(
        &mut self,
        frame: FrameId,
        event_type: Option<String>,
    ) -> Result<(), LinkRefused> {
        let (doc, mut f) = self.frame_to_edit(frame)?;
        if let Some(t) = &event_type
            && !self.project.schema.events.event_types.contains(t)
        {
            return Err(LinkRefused::Schema(FrameProblem::UnknownEventType(
                t.clone(),
            )));
        }
        if f.event_type == event_type {
            return Ok(());
        }
        f.event_type = event_type;
        self.apply(Command::ReplaceFrame {
            doc,
            layer: self.layer_id(),
            frame: f,
        })?;
        Ok(())
    }

    /// Spans that could fill `role` of an event triggered by `trigger`:
    /// of a label the role takes, in the trigger's sentence, not yet in
    /// that role of `frame`, nearest to the trigger first. Looks only at
    /// the trigger's neighbourhood, whatever the document's length.
    pub fn role_candidates(
        &self,
        trigger: SpanId,
        frame: Option<FrameId>,
        role: &str,
    ) -> Vec<SpanId> {
        let (Some(doc), Some(layer)) = (self.document(), self.layer()) else {
            return Vec::new();
        };
        let (Some(t), Some(r)) = (layer.get(trigger), self.project.schema.events.role(role)) else {
            return Vec::new();
        };
        let from = t.start().saturating_sub(SENTENCE_WINDOW);
        let to = (t.end() + SENTENCE_WINDOW).min(doc.char_len());
        let Some(window) = doc.slice(from, to) else {
            return Vec::new();
        };
        // The sentence holding the trigger's start (the window's first and
        // last sentences may be cut, which only narrows them).
        let sentence = sentence_bounds(window)
            .into_iter()
            .map(|s| s.chars.start + from..s.chars.end + from)
            .find(|s| s.contains(&t.start()))
            .unwrap_or(t.start()..t.end());
        let taken: Vec<SpanId> = frame
            .and_then(|f| layer.frame(f))
            .map(|f| f.fillers(role).collect())
            .unwrap_or_default();
        let mut found: Vec<&Span> = layer
            .overlapping(sentence.start, sentence.end.max(sentence.start + 1))
            .into_iter()
            .filter(|s| {
                s.id() != trigger
                    && r.labels.contains(&s.label)
                    && !taken.contains(&s.id())
                    && sentence.start <= s.start()
                    && s.end() <= sentence.end
            })
            .collect();
        let distance = |s: &Span| {
            if s.end() <= t.start() {
                t.start() - s.end()
            } else {
                s.start().saturating_sub(t.end())
            }
        };
        found.sort_by_key(|s| (distance(s), s.start(), s.id()));
        found.into_iter().map(Span::id).collect()
    }
}
