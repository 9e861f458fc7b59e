//! The events part of a review: deciding a pair of events (or one slot of
//! it) into gold, taking a decision back, and copying the events both
//! annotators made alike when the review starts.

use jiff::Timestamp;

use super::{Decided, ReviewActionError, ReviewSession};
use crate::model::{Command, Session, SlotVerdict, Verdict};
use crate::review::frame_adjudicate;

impl ReviewSession {
    /// Records `verdict` on the current pair of events, with `overrides`
    /// for single rows, as one undoable step; then moves on, except for
    /// "edit", which focuses the gold event.
    pub(super) fn decide_event(
        &mut self,
        session: &mut Session,
        verdict: Verdict,
        overrides: Vec<SlotVerdict>,
        reviewer: &str,
        at: Timestamp,
    ) -> Result<Decided, ReviewActionError> {
        let item = self
            .current_frame_item()
            .cloned()
            .ok_or(ReviewActionError::NoItem)?;
        let doc = session
            .document()
            .map(|d| d.id.clone())
            .ok_or(ReviewActionError::NoItem)?;
        let stay = verdict == Verdict::Edit || !overrides.is_empty();
        let (cmd, gold_frame) = frame_adjudicate::decide_frame(
            &mut session.project,
            &doc,
            &item,
            verdict,
            overrides,
            &self.layers,
            reviewer,
            at,
        )?;
        session.apply(cmd)?;
        self.refresh(session);
        let next = if stay {
            let trigger = gold_frame.and_then(|id| {
                let gold = session.document()?.layer(&crate::model::LayerId::Gold)?;
                Some((id, gold.frame(id)?.trigger))
            });
            if let Some((id, trigger)) = trigger
                && verdict == Verdict::Edit
            {
                // The event panel shows the selected trigger's focused event.
                session.select_span(trigger);
                session.focus_frame(id);
            }
            None
        } else {
            self.step(session, true)
        };
        Ok(Decided {
            verdict,
            gold_added: Vec::new(),
            gold_frame,
            next,
        })
    }

    /// Decides row `row` of the current pair of events otherwise than the
    /// event: the event keeps its verdict (A's version when it had none),
    /// and the review stays on it for the other rows.
    pub fn decide_slot(
        &mut self,
        session: &mut Session,
        row: usize,
        verdict: Verdict,
        reviewer: &str,
        at: Timestamp,
    ) -> Result<Decided, ReviewActionError> {
        self.refresh(session);
        let item = self
            .current_frame_item()
            .cloned()
            .ok_or(ReviewActionError::NoItem)?;
        let r = item.rows.get(row).ok_or(ReviewActionError::NoItem)?;
        let missing = match verdict {
            Verdict::AcceptA if r.a.is_none() => Some("A"),
            Verdict::AcceptB if r.b.is_none() => Some("B"),
            _ => None,
        };
        if let Some(side) = missing {
            return Err(ReviewActionError::NoSlotIn { row: row + 1, side });
        }
        let (event_verdict, mut overrides) = match &item.decision {
            Some(d) => (d.verdict, d.slots.clone()),
            None if item.a.is_some() => (Verdict::AcceptA, Vec::new()),
            None => (Verdict::AcceptB, Vec::new()),
        };
        overrides.retain(|s| !(s.a == r.a && s.b == r.b));
        overrides.push(SlotVerdict {
            a: r.a.clone(),
            b: r.b.clone(),
            verdict,
        });
        self.decide_event(session, event_verdict, overrides, reviewer, at)
    }

    /// Takes back the decision on the current pair of events.
    pub(super) fn undecide_event(
        &mut self,
        session: &mut Session,
    ) -> Result<(), ReviewActionError> {
        let item = self
            .current_frame_item()
            .cloned()
            .ok_or(ReviewActionError::NoItem)?;
        let cmd = session
            .document()
            .and_then(|d| frame_adjudicate::undecide_frame(d, &item))
            .ok_or(ReviewActionError::NotDecided)?;
        session.apply(cmd)?;
        self.refresh(session);
        Ok(())
    }

    /// The commands that copy the events both made alike into gold, to run
    /// after `span_cmds` (the span agreements), and how many. Worked out on
    /// a copy of the project, and only when the compared layers have events.
    pub(super) fn event_agreements(
        &self,
        session: &Session,
        span_cmds: &[Command],
        reviewer: &str,
        at: Timestamp,
    ) -> Result<(Vec<Command>, usize), ReviewActionError> {
        let has_events = session.project.documents.iter().any(|d| {
            [&self.layers.a, &self.layers.b]
                .iter()
                .any(|l| d.layer(l).is_some_and(|l| l.frames().len() > 0))
        });
        if !has_events {
            return Ok((Vec::new(), 0));
        }
        let mut work = session.project.clone();
        for cmd in span_cmds {
            cmd.clone().apply(&mut work)?;
        }
        let cmds =
            frame_adjudicate::accept_frame_agreements(&mut work, &self.layers, reviewer, at)?;
        let n = cmds.len();
        Ok((cmds, n))
    }
}
