//! An editing session on one project: the current document, the text
//! selection, the selected span, sticky label mode, and every edit an analyst
//! makes, applied through the undo history. The app is a thin view over this.

use std::ops::Range;

use super::command::{Command, EditError, SpanChange};
use super::document::{DocStatus, Document, LayerId};
use super::history::History;
use super::project::{Project, now};
use super::review_record::{GoldSource, Provenance};
use super::search;
use super::span::{CharOffset, Span, SpanId};
use super::words;

mod linking;
mod relabel;
pub use linking::LinkRefused;

/// Which end of a span a resize moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

/// What a labelling action did, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelOutcome {
    Created(SpanId),
    Relabelled(SpanId),
    /// Not relabelled yet: the span fills roles (event, role) that would not
    /// take the new label; [`Session::relabel_span`] does it once the
    /// analyst says whether those slots stay.
    SlotsRefuse {
        span: SpanId,
        label: String,
        slots: Vec<(crate::model::FrameId, String)>,
    },
    /// The same range with the same label exists already.
    Duplicate,
    NothingSelected,
    /// The layer is open read-only (the reason says whose and why).
    ReadOnly(String),
}

/// "Also label the K other occurrences of 'Bannu' as LOCATION?", offered
/// after a span is made; accepting labels them all in one undoable step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropagationOffer {
    pub doc: String,
    pub text: String,
    pub label: String,
    pub ranges: Vec<Range<CharOffset>>,
}

/// Editing state of one open project.
#[derive(Debug, Clone)]
pub struct Session {
    pub project: Project,
    history: History,
    /// Whose layer edits go to; in review also the reviewer's name.
    annotator: String,
    /// Review: edits go to the gold layer instead of the annotator's, and
    /// gold spans made or changed by hand are marked as edited. Switched
    /// only by `review::ReviewSession`, which owns the rest of review state.
    editing_gold: bool,
    /// Index of the open document.
    doc: usize,
    /// Selected text range (code points), after snapping.
    selection: Option<Range<CharOffset>>,
    /// Insertion point / selection head, for keyboard selection and the status bar.
    cursor: CharOffset,
    /// Fixed end of a keyboard or shift-click selection.
    anchor: Option<CharOffset>,
    /// The span the analyst is working on.
    selected_span: Option<SpanId>,
    /// Which of the selected trigger's events the analyst is filling (its
    /// first when unset or stale: see [`Session::selected_frame`]).
    focused_frame: Option<crate::model::FrameId>,
    /// In sticky mode every new selection is labelled at once.
    sticky_label: Option<String>,
    /// The pending propagation offer, if any.
    offer: Option<PropagationOffer>,
    /// A layer that may be looked at but not changed (the bundled sample's
    /// annotator), with what it is, for messages.
    read_only: Option<(LayerId, String)>,
    /// Position and index of the last click, to cycle through nested spans.
    click_cycle: Option<(CharOffset, usize)>,
    /// Ids of the states along the undo path; the last is the current state.
    /// Undoing back to the saved state makes the session clean again.
    revisions: Vec<u64>,
    /// Ids of the states redo would restore.
    redo_revisions: Vec<u64>,
    next_revision: u64,
    saved_revision: u64,
}

impl Session {
    pub fn new(project: Project, annotator: impl Into<String>) -> Self {
        // The annotator joins the project's list with their first edit, not
        // by opening it: opening a colleague's file adds no one to it.
        let annotator = annotator.into();
        Session {
            project,
            history: History::new(),
            annotator,
            editing_gold: false,
            doc: 0,
            selection: None,
            cursor: 0,
            anchor: None,
            selected_span: None,
            focused_frame: None,
            sticky_label: None,
            click_cycle: None,
            offer: None,
            read_only: None,
            revisions: vec![0],
            redo_revisions: Vec::new(),
            next_revision: 1,
            saved_revision: 0,
        }
    }

    /// Whose layer edits go to.
    pub fn annotator(&self) -> &str {
        &self.annotator
    }

    /// Edits go to `name`'s layer from now on. The project gains no layer
    /// for them until they make an edit.
    pub fn set_annotator(&mut self, name: impl Into<String>) {
        self.annotator = name.into();
        self.clear_selection();
        self.offer = None;
    }

    /// Protects `layer` from edits (`what` names it for messages, as in
    /// "ayesha.siddiqui's layer of the sample"); `None` lifts it. Other
    /// layers, gold and the documents stay editable.
    pub fn set_read_only(&mut self, protected: Option<(LayerId, String)>) {
        self.read_only = protected;
        if self.is_read_only() {
            self.sticky_label = None;
            self.offer = None;
        }
    }

    /// The protected layer and what it is, if any.
    pub fn read_only_layer(&self) -> Option<(&LayerId, &str)> {
        self.read_only.as_ref().map(|(l, w)| (l, w.as_str()))
    }

    /// Whether the layer edits go to now is protected.
    pub fn is_read_only(&self) -> bool {
        self.read_only
            .as_ref()
            .is_some_and(|(layer, _)| *layer == self.layer_id())
    }

    /// Leaves read-only and edits `name`'s own layer from now on: empty, or
    /// (with `copy_of`) starting as a copy of that layer in every document,
    /// its frames and relations included, made as one undoable step. Returns
    /// how many spans were copied. The copies get new ids, so the original
    /// layer stays as it was.
    pub fn start_own_layer(
        &mut self,
        name: &str,
        copy_of: Option<&LayerId>,
    ) -> Result<usize, EditError> {
        self.read_only = None;
        self.set_annotator(name);
        let Some(from) = copy_of else {
            return Ok(0);
        };
        let to = LayerId::Annotator(name.to_string());
        if *from == to {
            return Ok(0);
        }
        let mut adds = Vec::new();
        let copies: Vec<(String, crate::model::Layer)> = self
            .project
            .documents
            .iter()
            .filter_map(|d| {
                let layer = d.layer(from)?;
                (!layer.is_empty()).then(|| (d.id.clone(), layer.clone()))
            })
            .collect();
        let mut n = 0;
        for (doc, layer) in copies {
            // New ids for the copies; frames and relations follow them.
            let mut new_id = std::collections::HashMap::new();
            for span in layer.iter() {
                let id = self.project.allocate_span_id();
                new_id.insert(span.id(), id);
                adds.push(Command::AddSpan {
                    doc: doc.clone(),
                    layer: to.clone(),
                    span: span.clone().with_id(id),
                });
                n += 1;
            }
            let moved = |id: SpanId| new_id.get(&id).copied().unwrap_or(id);
            for frame in layer.frames() {
                let mut copy = frame.clone();
                copy.id = self.project.allocate_frame_id();
                copy.trigger = moved(copy.trigger);
                for slot in &mut copy.slots {
                    slot.span = moved(slot.span);
                }
                adds.push(Command::AddFrame {
                    doc: doc.clone(),
                    layer: to.clone(),
                    frame: copy,
                });
            }
            for relation in layer.links().relations() {
                let mut copy = relation.clone();
                copy.id = self.project.allocate_relation_id();
                (copy.from, copy.to) = (moved(copy.from), moved(copy.to));
                adds.push(Command::AddRelation {
                    doc: doc.clone(),
                    layer: to.clone(),
                    relation: copy,
                });
            }
        }
        if !adds.is_empty() {
            self.apply(Command::Batch(adds))?;
            self.project.ensure_annotator(name);
        }
        Ok(n)
    }

    fn refuse_if_read_only(&self, cmd: &Command) -> Result<(), EditError> {
        match &self.read_only {
            Some((layer, what)) if cmd.touches_layer(layer) => {
                Err(EditError::ReadOnly(what.clone()))
            }
            _ => Ok(()),
        }
    }

    /// Whether edits go to the gold layer (review mode).
    pub fn is_editing_gold(&self) -> bool {
        self.editing_gold
    }

    /// Review mode on or off; only `review::ReviewSession` switches it, so
    /// that the review state and the layer edited never disagree.
    pub(crate) fn set_editing_gold(&mut self, on: bool) {
        self.editing_gold = on;
        self.clear_selection();
        self.sticky_label = None;
        self.offer = None;
    }

    /// The selected text range, if any.
    pub fn selection(&self) -> Option<Range<CharOffset>> {
        self.selection.clone()
    }

    /// The insertion point (the selection's head).
    pub fn cursor(&self) -> CharOffset {
        self.cursor
    }

    /// The id of the span being worked on, if any.
    pub fn selected_span_id(&self) -> Option<SpanId> {
        self.selected_span
    }

    /// Whether a text range or a span is selected (what a label key acts on).
    pub fn has_selection(&self) -> bool {
        self.selection.is_some() || self.selected_span.is_some()
    }

    /// The sticky label: every new selection is labelled with it at once.
    pub fn sticky_label(&self) -> Option<&str> {
        self.sticky_label.as_deref()
    }

    /// Turns sticky mode on for `label` (a label of the schema), or off.
    pub fn set_sticky_label(&mut self, label: Option<String>) {
        self.sticky_label = label.filter(|l| self.project.schema.contains(l));
    }

    /// The propagation offer waiting for an answer, if any.
    pub fn offer(&self) -> Option<&PropagationOffer> {
        self.offer.as_ref()
    }

    /// Declines the propagation offer.
    pub fn dismiss_offer(&mut self) {
        self.offer = None;
    }

    /// Selects exactly `range` (a search match), with the caret at its end.
    pub fn select_exact(&mut self, range: Range<CharOffset>) {
        let len = self.document().map_or(0, Document::char_len);
        let range = range.start.min(len)..range.end.min(len);
        self.anchor = Some(range.start);
        self.cursor = range.end;
        self.selected_span = None;
        self.click_cycle = None;
        self.selection = (!range.is_empty()).then_some(range);
    }

    /// The layer this session edits.
    pub fn layer_id(&self) -> LayerId {
        if self.editing_gold {
            LayerId::Gold
        } else {
            LayerId::Annotator(self.annotator.clone())
        }
    }

    pub fn doc_index(&self) -> usize {
        self.doc
    }
    pub fn document(&self) -> Option<&Document> {
        self.project.documents.get(self.doc)
    }

    /// Opens document `index`, clearing the selection.
    pub fn open_document(&mut self, index: usize) {
        if index < self.project.documents.len() {
            self.doc = index;
            self.selection = None;
            self.selected_span = None;
            self.cursor = 0;
            self.anchor = None;
            self.click_cycle = None;
            self.offer = None;
        }
    }

    /// Spans of the current annotator's layer in the open document, in text order.
    pub fn spans(&self) -> Vec<&Span> {
        let id = self.layer_id();
        self.document()
            .and_then(|d| d.layer(&id))
            .map(|l| l.iter().collect())
            .unwrap_or_default()
    }

    pub fn selected(&self) -> Option<&Span> {
        let id = self.selected_span?;
        self.document()?.layer(&self.layer_id())?.get(id)
    }

    // ----- dirty state -----

    pub fn is_dirty(&self) -> bool {
        self.revision() != self.saved_revision
    }
    /// Id of the current state; changes with every edit, undo and redo.
    pub fn revision(&self) -> u64 {
        self.revisions.last().copied().unwrap_or(0)
    }
    /// Marks the session as holding work that is not in its project file
    /// (e.g. restored from an autosave copy).
    pub fn mark_unsaved(&mut self) {
        self.saved_revision = u64::MAX;
    }

    /// Records that the project as of `revision` is on disk.
    pub fn mark_saved(&mut self, revision: u64) {
        self.saved_revision = revision;
    }

    // ----- edits -----

    /// Applies an edit as one undoable step.
    pub fn apply(&mut self, cmd: Command) -> Result<(), EditError> {
        self.refuse_if_read_only(&cmd)?;
        let cmd = self.mark_gold_edits(cmd);
        self.history.apply(&mut self.project, cmd)?;
        if !self.editing_gold
            && self
                .document()
                .is_some_and(|d| d.layers.contains_key(&self.annotator))
        {
            self.project.ensure_annotator(&self.annotator);
        }
        self.drop_stale_selection();
        self.revisions.push(self.next_revision);
        self.next_revision += 1;
        self.redo_revisions.clear();
        Ok(())
    }

    /// Gold spans the reviewer makes, relabels or resizes by hand get
    /// provenance "edited" (with the reviewer and time), so gold never claims
    /// an annotator's authorship for a span the reviewer changed.
    fn mark_gold_edits(&self, cmd: Command) -> Command {
        let edited = || {
            Some(Box::new(Provenance {
                source: GoldSource::Edited,
                annotators: Vec::new(),
                from: Vec::new(),
                reviewer: self.annotator.clone(),
                at: Some(now()),
            }))
        };
        match cmd {
            Command::AddSpan {
                doc,
                layer: LayerId::Gold,
                mut span,
            } if span.provenance().is_none() => {
                span.set_provenance(edited());
                Command::AddSpan {
                    doc,
                    layer: LayerId::Gold,
                    span,
                }
            }
            Command::UpdateSpan {
                doc,
                layer: LayerId::Gold,
                id,
                change: change @ (SpanChange::Label(_) | SpanChange::Range { .. }),
                at,
            } => {
                let old = self
                    .project
                    .document(&doc)
                    .and_then(|d| d.layer(&LayerId::Gold))
                    .and_then(|l| l.get(id))
                    .and_then(|s| s.provenance().cloned().map(Box::new));
                let update = Command::UpdateSpan {
                    doc: doc.clone(),
                    layer: LayerId::Gold,
                    id,
                    change,
                    at,
                };
                if old.as_ref().is_some_and(|p| p.source == GoldSource::Edited) {
                    return update;
                }
                // Keep who the span came from; only the source changes.
                let provenance = old.map(|mut p| {
                    p.source = GoldSource::Edited;
                    p.reviewer = self.annotator.clone();
                    p.at = Some(now());
                    p
                });
                let mark = Command::UpdateSpan {
                    doc,
                    layer: LayerId::Gold,
                    id,
                    change: SpanChange::Provenance(provenance.or_else(edited)),
                    at,
                };
                Command::Batch(vec![update, mark])
            }
            Command::Batch(cmds) => {
                Command::Batch(cmds.into_iter().map(|c| self.mark_gold_edits(c)).collect())
            }
            other => other,
        }
    }

    pub fn undo(&mut self) -> Result<bool, EditError> {
        let done = self.history.undo(&mut self.project)?;
        self.offer = None;
        if done {
            if let Some(r) = self.revisions.pop() {
                self.redo_revisions.push(r);
            }
            self.drop_stale_selection();
        }
        Ok(done)
    }

    pub fn redo(&mut self) -> Result<bool, EditError> {
        let done = self.history.redo(&mut self.project)?;
        if done {
            if let Some(r) = self.redo_revisions.pop() {
                self.revisions.push(r);
            }
            self.drop_stale_selection();
        }
        Ok(done)
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    fn drop_stale_selection(&mut self) {
        let n = self.project.documents.len();
        if self.doc >= n {
            self.open_document(n.saturating_sub(1));
            self.doc = self.doc.min(n.saturating_sub(1));
        }
        if self.selected_span.is_some() && self.selected().is_none() {
            self.selected_span = None;
        }
    }

    fn doc_id(&self) -> Option<String> {
        self.document().map(|d| d.id.clone())
    }

    /// Selects `[a, b)` as dragged: snapped to whole words unless `exact`, white space trimmed.
    /// In sticky mode the selection is labelled at once.
    pub fn select_range(
        &mut self,
        a: CharOffset,
        b: CharOffset,
        exact: bool,
    ) -> Option<LabelOutcome> {
        self.anchor = Some(a);
        self.cursor = b;
        let (a, b) = (a.min(b), a.max(b));
        let doc = self.document()?;
        let range = if exact {
            words::trim(doc, a, b)
        } else {
            words::snap_to_words(doc, a, b)
        };
        self.selection = range;
        self.selected_span = None;
        if self.selection.is_some()
            && let Some(label) = self.sticky_label.clone()
        {
            return Some(self.label_selection(&label));
        }
        None
    }

    /// Moves the selection head to `head`, keeping the anchor (Shift+click,
    /// Shift+arrows). Exact characters: keyboard selection does not snap.
    pub fn extend_selection(&mut self, head: CharOffset) -> Option<LabelOutcome> {
        let anchor = self.anchor.unwrap_or(self.cursor);
        let head = head.min(self.document().map_or(0, Document::char_len));
        let outcome = self.select_range(anchor, head, true);
        self.anchor = Some(anchor);
        self.cursor = head;
        outcome
    }

    /// Puts the cursor at `pos` without selecting.
    /// Whether a click placed a caret (the arrow keys move it then).
    pub fn has_caret(&self) -> bool {
        self.anchor.is_some()
    }

    pub fn set_cursor(&mut self, pos: CharOffset) {
        self.cursor = pos.min(self.document().map_or(0, Document::char_len));
        self.anchor = Some(self.cursor);
        self.selection = None;
    }

    /// Selects the word at `pos` (double-click).
    /// In sticky mode the word is labelled at once, as a dragged selection is.
    pub fn select_word(&mut self, pos: CharOffset) -> Option<LabelOutcome> {
        let doc = self.document()?;
        self.selection = words::word_at(doc, pos);
        self.selected_span = None;
        let range = self.selection.clone()?;
        self.anchor = Some(range.start);
        self.cursor = range.end;
        let label = self.sticky_label.clone()?;
        Some(self.label_selection(&label))
    }

    /// Labels the selection; with no selection but a selected span, relabels the span.
    pub fn label_selection(&mut self, label: &str) -> LabelOutcome {
        if let Some((_, what)) = self.read_only.as_ref().filter(|_| self.is_read_only()) {
            return LabelOutcome::ReadOnly(what.clone());
        }
        let Some(doc_id) = self.doc_id() else {
            return LabelOutcome::NothingSelected;
        };
        let layer = self.layer_id();
        if let Some(range) = self.selection.clone() {
            let doc = &self.project.documents[self.doc];
            if doc
                .layer(&layer)
                .and_then(|l| l.find_exact(range.start, range.end, label))
                .is_some()
            {
                return LabelOutcome::Duplicate;
            }
            let len = doc.char_len();
            let value = (label == "COUNT")
                .then(|| {
                    doc.slice(range.start, range.end)
                        .and_then(super::count_value::count_value)
                })
                .flatten();
            let id = self.project.allocate_span_id();
            let Ok(mut span) = Span::new(id, range.start, range.end, label, len, now()) else {
                return LabelOutcome::NothingSelected;
            };
            // A count's number, prefilled from its digits or number words ("four" → 4).
            if let Some(v) = value {
                span.set_attribute("value".into(), v.to_string());
            }
            let add = Command::AddSpan {
                doc: doc_id,
                layer,
                span,
            };
            if self.apply(self.with_progress(add)).is_err() {
                return LabelOutcome::NothingSelected;
            }
            self.selection = None;
            self.selected_span = Some(id);
            self.offer = self.propagation_offer(range, label);
            return LabelOutcome::Created(id);
        }
        if let Some(span) = self.selected().cloned() {
            if span.label == label {
                return LabelOutcome::Relabelled(span.id());
            }
            let doc = &self.project.documents[self.doc];
            if doc
                .layer(&layer)
                .and_then(|l| l.find_exact(span.start(), span.end(), label))
                .is_some()
            {
                return LabelOutcome::Duplicate;
            }
            let slots = self.slots_refusing(span.id(), label);
            if !slots.is_empty() {
                return LabelOutcome::SlotsRefuse {
                    span: span.id(),
                    label: label.to_string(),
                    slots,
                };
            }
            let change = SpanChange::Label(label.to_string());
            let cmd = Command::UpdateSpan {
                doc: doc_id,
                layer,
                id: span.id(),
                change,
                at: Some(now()),
            };
            if self.apply(cmd).is_ok() {
                return LabelOutcome::Relabelled(span.id());
            }
        }
        LabelOutcome::NothingSelected
    }

    fn propagation_offer(&self, range: Range<CharOffset>, label: &str) -> Option<PropagationOffer> {
        let doc = self.document()?;
        let ranges =
            search::other_occurrences(doc, &self.layer_id(), range.start, range.end, label);
        (!ranges.is_empty()).then(|| PropagationOffer {
            doc: doc.id.clone(),
            text: doc
                .slice(range.start, range.end)
                .unwrap_or_default()
                .to_string(),
            label: label.to_string(),
            ranges,
        })
    }

    /// Accepts the propagation offer; returns how many spans were added.
    pub fn accept_offer(&mut self) -> usize {
        let Some(offer) = self.offer.take() else {
            return 0;
        };
        self.label_matches(&[(offer.doc, offer.ranges)], &offer.label)
            .unwrap_or(0)
    }

    /// Labels every range (per document) as `label` in one undoable step,
    /// skipping ranges that already carry it. Returns how many spans were added.
    pub fn label_matches(
        &mut self,
        matches: &[(String, Vec<Range<CharOffset>>)],
        label: &str,
    ) -> Result<usize, EditError> {
        let layer = self.layer_id();
        let mut cmds = Vec::new();
        for (doc, ranges) in matches {
            cmds.extend(search::label_ranges(
                &mut self.project,
                doc,
                &layer,
                ranges,
                label,
            ));
            if let Some(d) = self.project.document(doc)
                && d.status == DocStatus::Todo
                && !ranges.is_empty()
            {
                cmds.push(Command::SetStatus {
                    doc: doc.clone(),
                    status: DocStatus::InProgress,
                });
            }
        }
        let added = cmds
            .iter()
            .filter(|c| matches!(c, Command::AddSpan { .. }))
            .count();
        if added > 0 {
            self.apply(Command::Batch(cmds))?;
        }
        Ok(added)
    }

    /// Adds "todo → in progress" to an edit of a document still marked todo,
    /// as one undo step, so the first span moves the document along.
    fn with_progress(&self, cmd: Command) -> Command {
        match self.document() {
            Some(d) if d.status == DocStatus::Todo => {
                let status = Command::SetStatus {
                    doc: d.id.clone(),
                    status: DocStatus::InProgress,
                };
                Command::Batch(vec![cmd, status])
            }
            _ => cmd,
        }
    }

    /// Removes the selected span.
    pub fn delete_selected(&mut self) -> bool {
        let (Some(doc), Some(id)) = (self.doc_id(), self.selected_span) else {
            return false;
        };
        let ok = self
            .apply(Command::RemoveSpan {
                doc,
                layer: self.layer_id(),
                id,
            })
            .is_ok();
        if ok {
            self.selected_span = None;
        }
        ok
    }

    /// Moves one edge of the selected span by `delta` code points.
    pub fn resize_selected(&mut self, edge: Edge, delta: isize) -> bool {
        let (Some(doc), Some(span)) = (self.doc_id(), self.selected().cloned()) else {
            return false;
        };
        let shift = |v: CharOffset| v.checked_add_signed(delta);
        let (start, end) = match edge {
            Edge::Start => (shift(span.start()), Some(span.end())),
            Edge::End => (Some(span.start()), shift(span.end())),
        };
        let (Some(start), Some(end)) = (start, end) else {
            return false;
        };
        self.set_selected_range(&doc, span.id(), start, end)
    }

    /// Gives the selected span a new range (edge drag).
    pub fn set_selected_range(
        &mut self,
        doc: &str,
        id: SpanId,
        start: CharOffset,
        end: CharOffset,
    ) -> bool {
        let change = SpanChange::Range { start, end };
        let cmd = Command::UpdateSpan {
            doc: doc.to_string(),
            layer: self.layer_id(),
            id,
            change,
            at: Some(now()),
        };
        self.apply(cmd).is_ok()
    }

    pub fn set_note(&mut self, note: String) -> bool {
        let (Some(doc), Some(id)) = (self.doc_id(), self.selected_span) else {
            return false;
        };
        let cmd = Command::UpdateSpan {
            doc,
            layer: self.layer_id(),
            id,
            change: SpanChange::Note(note),
            at: Some(now()),
        };
        self.apply(cmd).is_ok()
    }

    pub fn set_attributes(&mut self, attributes: super::span::Attributes) -> bool {
        let (Some(doc), Some(id)) = (self.doc_id(), self.selected_span) else {
            return false;
        };
        let change = SpanChange::Attributes(attributes);
        let cmd = Command::UpdateSpan {
            doc,
            layer: self.layer_id(),
            id,
            change,
            at: Some(now()),
        };
        self.apply(cmd).is_ok()
    }

    /// Click at `pos`: selects the innermost span there; clicking the same
    /// place again selects the next outer one, and so on round.
    pub fn click_span_at(&mut self, pos: CharOffset) -> Option<SpanId> {
        let layer = self.layer_id();
        let doc = self.document()?;
        // Innermost first: containing() is outermost first.
        let mut here: Vec<SpanId> = doc
            .layer(&layer)?
            .containing(pos)
            .iter()
            .map(|s| s.id())
            .collect();
        here.reverse();
        if here.is_empty() {
            self.selected_span = None;
            self.click_cycle = None;
            return None;
        }
        let index = match self.click_cycle {
            Some((p, i)) if p == pos && self.selected_span == here.get(i).copied() => {
                (i + 1) % here.len()
            }
            _ => 0,
        };
        self.click_cycle = Some((pos, index));
        self.selected_span = Some(here[index]);
        self.selection = None;
        self.selected_span
    }

    /// Selects a span by id (from the span list).
    pub fn select_span(&mut self, id: SpanId) {
        self.selected_span = Some(id);
        self.selection = None;
        self.click_cycle = None;
    }

    /// Selects the next (or previous) span in text order after the current one.
    pub fn step_span(&mut self, forward: bool) -> Option<SpanId> {
        let spans = self.spans();
        if spans.is_empty() {
            return None;
        }
        let current = self
            .selected_span
            .and_then(|id| spans.iter().position(|s| s.id() == id));
        let next = match (current, forward) {
            (Some(i), true) => (i + 1) % spans.len(),
            (Some(i), false) => (i + spans.len() - 1) % spans.len(),
            (None, true) => spans
                .iter()
                .position(|s| s.start() >= self.cursor)
                .unwrap_or(0),
            (None, false) => spans
                .iter()
                .rposition(|s| s.start() < self.cursor)
                .unwrap_or(spans.len() - 1),
        };
        let id = spans[next].id();
        self.select_span(id);
        Some(id)
    }

    /// Clears the selection and the selected span.
    pub fn clear_selection(&mut self) {
        self.selection = None;
        self.anchor = None;
        self.selected_span = None;
        self.click_cycle = None;
    }

    /// Marks the open document done and opens the next one that is not done.
    /// Returns the index opened, if any.
    pub fn mark_done_and_next(&mut self) -> Option<usize> {
        let doc = self.doc_id()?;
        if self.document().is_some_and(|d| d.status != DocStatus::Done) {
            let _ = self.apply(Command::SetStatus {
                doc,
                status: DocStatus::Done,
            });
        }
        let n = self.project.documents.len();
        let next = (1..n)
            .map(|k| (self.doc + k) % n)
            .find(|&i| self.project.documents[i].status != DocStatus::Done)?;
        self.open_document(next);
        Some(next)
    }
}

#[cfg(test)]
mod tests;
