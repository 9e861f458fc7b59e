//! A review in progress: which two layers are compared (A is the
//! reference), the aligned items of the open document, the item the
//! reviewer is on, stepping, and decisions into gold. While it exists, the
//! editing session edits gold; starting and stopping it is the only way to
//! switch that, so review state and the layer edited never disagree.
//!
//! Deciding moves on to the next open item; stepping (N/P) skips without
//! deciding. "Open" covers agreements too, so the count reaches zero only
//! when gold accounts for every item of both layers.

#[cfg(test)]
mod event_tests;
mod events;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::Range;

use jiff::Timestamp;

use super::adjudicate::{self, Item, ReviewError, ReviewLayers};
use super::frame_adjudicate::{self, FrameItem};
use crate::model::{
    CharOffset, EditError, FrameId, FrameKey, LayerId, Project, Session, SpanId, Verdict,
};

/// Identifies an aligned item: its A and B span ids.
pub type ItemKey = (Option<SpanId>, Option<SpanId>);

/// (open items, all items) of one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocCounts {
    pub open: usize,
    pub items: usize,
}

/// Why a review action could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum ReviewActionError {
    #[error("no item chosen: step to one first")]
    NoItem,
    #[error("this item is not decided")]
    NotDecided,
    /// A row taken from a version that has no slot in it.
    #[error("row {row} has no slot in {side}: take the other, both or none")]
    NoSlotIn { row: usize, side: &'static str },
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// An item the review can stop on: a span difference, or (after a
/// document's spans) a pair of events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    Span(Item),
    Frame(FrameItem),
}

impl Stop {
    /// The text it covers (where the view scrolls to).
    pub fn range(&self) -> Range<CharOffset> {
        match self {
            Stop::Span(i) => i.range(),
            Stop::Frame(f) => f.range.clone(),
        }
    }

    /// "label conflict", or "event (2 slots differ)".
    pub fn describe(&self) -> String {
        match self {
            Stop::Span(i) => i.category.name().to_string(),
            Stop::Frame(f) => f.describe(),
        }
    }

    pub fn span_item(&self) -> Option<&Item> {
        match self {
            Stop::Span(i) => Some(i),
            Stop::Frame(_) => None,
        }
    }

    pub fn frame_item(&self) -> Option<&FrameItem> {
        match self {
            Stop::Frame(f) => Some(f),
            Stop::Span(_) => None,
        }
    }
}

/// What stepping walks: a document's span items, then its events.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Span(ItemKey),
    Frame(FrameKey),
}

/// Where a step landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stepped {
    pub doc_index: usize,
    pub item: Stop,
    /// The step opened another document.
    pub changed_document: bool,
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub verdict: Verdict,
    /// The gold spans it added (an "edit" selects its copy for editing).
    pub gold_added: Vec<SpanId>,
    /// The gold event it added (an "edit" of an event focuses it).
    pub gold_frame: Option<FrameId>,
    /// The open item the review moved on to (`None`: nothing is left open,
    /// or the verdict was "edit", which stays to edit the copy).
    pub next: Option<Stepped>,
}

/// What starting a review did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    /// Agreements copied into gold at the start (one undoable step).
    pub agreements_accepted: usize,
    /// Items still open after that.
    pub open: usize,
}

/// A review in progress (see the module documentation).
#[derive(Debug)]
pub struct ReviewSession {
    layers: ReviewLayers,
    /// The span item the reviewer is on (at most one of this and
    /// `current_frame` is set).
    current: Option<ItemKey>,
    current_frame: Option<FrameKey>,
    /// The open document's items, for (document index, its edit count).
    items: Option<((usize, u64), Vec<Item>)>,
    /// The open document's events, for the same key.
    frame_items: Option<((usize, u64), Vec<FrameItem>)>,
    /// Counts per document id, with the document's edit count they were made at.
    counts: HashMap<String, (u64, DocCounts)>,
    /// Counts in project order, for the project revision they were made at.
    totals: Option<(u64, Vec<DocCounts>)>,
}

/// The layers compared by default: the first two annotators (in the
/// project's order) that have spans, A being the reference; against gold
/// when only one annotator has spans, gold being the reference. The app and
/// `spanmark agreement` both use this, so precision and recall mean the same.
pub fn default_layers(project: &Project) -> Option<ReviewLayers> {
    let has_spans = |layer: &LayerId| {
        project
            .documents
            .iter()
            .any(|d| d.layer(layer).is_some_and(|l| !l.is_empty()))
    };
    let mut annotators: Vec<LayerId> = Vec::new();
    for name in project
        .annotators
        .iter()
        .cloned()
        .chain(project.layer_names())
    {
        let layer = LayerId::Annotator(name);
        if !annotators.contains(&layer) && has_spans(&layer) {
            annotators.push(layer);
        }
    }
    match (annotators.len(), has_spans(&LayerId::Gold)) {
        (0, _) => None,
        (1, _) => Some(ReviewLayers {
            a: LayerId::Gold,
            b: annotators.remove(0),
        }),
        _ => {
            let a = annotators.remove(0);
            Some(ReviewLayers {
                a,
                b: annotators.remove(0),
            })
        }
    }
}

impl ReviewSession {
    /// Starts reviewing `layers`: edits go to gold from now on. Agreements
    /// that gold does not hold yet are copied into it as one undoable step
    /// (unless gold is one of the layers, where they are there already).
    pub fn start(
        session: &mut Session,
        layers: ReviewLayers,
        reviewer: &str,
        at: Timestamp,
    ) -> Result<(Self, Started), ReviewActionError> {
        session.set_editing_gold(true);
        let mut review = ReviewSession {
            layers,
            current: None,
            current_frame: None,
            items: None,
            frame_items: None,
            counts: HashMap::new(),
            totals: None,
        };
        let agreements_accepted = match review.accept_all_agreements(session, reviewer, at) {
            Ok(n) => n,
            Err(e) => {
                session.set_editing_gold(false);
                return Err(e);
            }
        };
        review.refresh(session);
        let open = review.open_total();
        Ok((
            review,
            Started {
                agreements_accepted,
                open,
            },
        ))
    }

    /// Ends the review: edits go to the analyst's own layer again.
    pub fn stop(self, session: &mut Session) {
        session.set_editing_gold(false);
    }

    /// The layers compared (A is the reference).
    pub fn layers(&self) -> &ReviewLayers {
        &self.layers
    }

    /// Compares other layers; the current item is forgotten.
    pub fn set_layers(&mut self, session: &Session, layers: ReviewLayers) {
        if self.layers != layers {
            self.layers = layers;
            self.current = None;
            self.current_frame = None;
            self.items = None;
            self.frame_items = None;
            self.counts.clear();
            self.totals = None;
            self.refresh(session);
        }
    }

    /// Swaps A and B, so that the other layer is the reference.
    pub fn swap_layers(&mut self, session: &Session) {
        let swapped = ReviewLayers {
            a: self.layers.b.clone(),
            b: self.layers.a.clone(),
        };
        let current = self.current.map(|(a, b)| (b, a));
        let current_frame = self.current_frame.map(|(a, b)| (b, a));
        self.set_layers(session, swapped);
        self.current = current;
        self.current_frame = current_frame;
    }

    /// Brings the items and counts up to date with the project. Cheap when
    /// nothing changed; after an edit only the documents that changed are
    /// aligned again.
    pub fn refresh(&mut self, session: &Session) {
        let doc_index = session.doc_index();
        if let Some(doc) = session.document() {
            let key = (doc_index, doc.edits());
            if self.items.as_ref().map(|(k, _)| *k) != Some(key) {
                self.items = Some((key, adjudicate::items(doc, &self.layers)));
            }
            if self.frame_items.as_ref().map(|(k, _)| *k) != Some(key) {
                self.frame_items = Some((key, frame_adjudicate::frame_items(doc, &self.layers)));
            }
        } else {
            self.items = None;
            self.frame_items = None;
        }
        let revision = session.revision();
        if self.totals.as_ref().map(|(r, _)| *r) == Some(revision)
            && self
                .totals
                .as_ref()
                .is_some_and(|(_, t)| t.len() == session.project.documents.len())
        {
            return;
        }
        let layers = &self.layers;
        let cache = &mut self.counts;
        let totals = session
            .project
            .documents
            .iter()
            .map(|d| match cache.get(&d.id) {
                Some((edits, counts)) if *edits == d.edits() => *counts,
                _ => {
                    let items = adjudicate::items(d, layers);
                    let frames = frame_adjudicate::frame_items(d, layers);
                    let counts = DocCounts {
                        open: items.iter().filter(|i| i.is_open()).count()
                            + frames.iter().filter(|i| i.is_open()).count(),
                        items: items.len() + frames.len(),
                    };
                    cache.insert(d.id.clone(), (d.edits(), counts));
                    counts
                }
            })
            .collect();
        self.totals = Some((revision, totals));
    }

    /// The open document's items in text order.
    pub fn items(&self) -> &[Item] {
        self.items.as_ref().map_or(&[], |(_, v)| v.as_slice())
    }

    /// The item the reviewer is on.
    pub fn current(&self) -> Option<ItemKey> {
        self.current
    }

    /// The item the reviewer is on, if it still exists.
    pub fn current_item(&self) -> Option<&Item> {
        let key = self.current?;
        self.items().iter().find(|i| i.key() == key)
    }

    /// The open document's compared events, in text order.
    pub fn frame_items(&self) -> &[FrameItem] {
        self.frame_items.as_ref().map_or(&[], |(_, v)| v.as_slice())
    }

    /// The pair of events the reviewer is on, if any and it still exists.
    pub fn current_frame_item(&self) -> Option<&FrameItem> {
        let key = self.current_frame?;
        self.frame_items().iter().find(|i| i.key() == key)
    }

    /// Makes the item under `pos` the current one: an open span item, else
    /// an open event whose trigger is there, else any span item, else any
    /// event (the innermost of each). False if none is there.
    pub fn pick_at(&mut self, pos: CharOffset) -> bool {
        let span = |open: bool| {
            self.items()
                .iter()
                .filter(|i| i.range().contains(&pos) && (!open || i.is_open()))
                .min_by_key(|i| i.range().len())
                .map(|i| Entry::Span(i.key()))
        };
        let frame = |open: bool| {
            self.frame_items()
                .iter()
                .filter(|i| i.range.contains(&pos) && (!open || i.is_open()))
                .min_by_key(|i| i.range.len())
                .map(|i| Entry::Frame(i.key()))
        };
        let found = span(true)
            .or_else(|| frame(true))
            .or_else(|| span(false))
            .or_else(|| frame(false));
        let picked = found.is_some();
        if let Some(entry) = found {
            self.set_current(entry);
        }
        picked
    }

    fn set_current(&mut self, entry: Entry) {
        (self.current, self.current_frame) = match entry {
            Entry::Span(k) => (Some(k), None),
            Entry::Frame(k) => (None, Some(k)),
        };
    }

    fn current_entry(&self) -> Option<Entry> {
        self.current
            .map(Entry::Span)
            .or(self.current_frame.map(Entry::Frame))
    }

    /// Counts of document `ix`; `None` when unknown or when neither layer
    /// has a span there (nothing to adjudicate).
    pub fn counts_in(&self, ix: usize) -> Option<DocCounts> {
        let counts = *self.totals.as_ref()?.1.get(ix)?;
        (counts.items > 0).then_some(counts)
    }

    /// Open items in document `ix` (see [`Self::counts_in`]).
    pub fn open_in(&self, ix: usize) -> Option<usize> {
        self.counts_in(ix).map(|c| c.open)
    }

    /// Open items in the whole project: zero means gold is complete.
    pub fn open_total(&self) -> usize {
        self.totals
            .as_ref()
            .map_or(0, |(_, t)| t.iter().map(|c| c.open).sum())
    }

    /// Moves to the next (or previous) open item, across documents, opening
    /// its document. `None` when nothing is open.
    pub fn step(&mut self, session: &mut Session, forward: bool) -> Option<Stepped> {
        let doc = session.doc_index();
        let layers = &self.layers;
        let docs = &session.project.documents;
        let entries = |ix: usize| -> Vec<(Entry, bool)> {
            let spans = adjudicate::items(&docs[ix], layers)
                .into_iter()
                .map(|i| (Entry::Span(i.key()), i.is_open()));
            let frames = frame_adjudicate::frame_items(&docs[ix], layers)
                .into_iter()
                .map(|i| (Entry::Frame(i.key()), i.is_open()));
            spans.chain(frames).collect()
        };
        let current = self.current_entry();
        let (ix, entry) =
            super::stepping::step_over(docs.len(), entries, doc, current.as_ref(), forward)?;
        let changed_document = ix != doc;
        if changed_document {
            session.open_document(ix);
        }
        session.clear_selection();
        self.set_current(entry.clone());
        self.refresh(session);
        let item = match entry {
            Entry::Span(_) => Stop::Span(self.current_item()?.clone()),
            Entry::Frame(_) => Stop::Frame(self.current_frame_item()?.clone()),
        };
        Some(Stepped {
            doc_index: ix,
            item,
            changed_document,
        })
    }

    /// Moves to the next item after the current one (across documents,
    /// wrapping) that `matches`, decided or not; returns where, and how many
    /// items match in all (a confusion-matrix cell's spans, for example).
    pub fn next_matching(
        &mut self,
        session: &mut Session,
        matches: impl Fn(&Item) -> bool,
    ) -> Option<(Stepped, usize)> {
        let mut hits: Vec<(usize, Item)> = Vec::new();
        for (ix, doc) in session.project.documents.iter().enumerate() {
            for item in adjudicate::items(doc, &self.layers) {
                if matches(&item) {
                    hits.push((ix, item));
                }
            }
        }
        let here = (session.doc_index(), self.current);
        let after = hits
            .iter()
            .position(|(ix, it)| (*ix, Some(it.key())) == here)
            .map_or(0, |p| (p + 1) % hits.len().max(1));
        let (ix, item) = hits.get(after).cloned()?;
        let changed_document = ix != session.doc_index();
        if changed_document {
            session.open_document(ix);
        }
        self.set_current(Entry::Span(item.key()));
        self.refresh(session);
        let count = hits.len();
        Some((
            Stepped {
                doc_index: ix,
                item: Stop::Span(item),
                changed_document,
            },
            count,
        ))
    }

    /// Records `verdict` on the current item, as one undoable step, then
    /// moves on to the next open item (an "edit" stays, with its gold copy
    /// selected for changing with the usual keys).
    pub fn decide(
        &mut self,
        session: &mut Session,
        verdict: Verdict,
        reviewer: &str,
        at: Timestamp,
    ) -> Result<Decided, ReviewActionError> {
        self.refresh(session);
        if self.current_frame_item().is_some() {
            return self.decide_event(session, verdict, Vec::new(), reviewer, at);
        }
        let item = self
            .current_item()
            .cloned()
            .ok_or(ReviewActionError::NoItem)?;
        let doc = session
            .document()
            .map(|d| d.id.clone())
            .ok_or(ReviewActionError::NoItem)?;
        let (cmd, gold_added) = adjudicate::decide(
            &mut session.project,
            &doc,
            &item,
            verdict,
            &self.layers,
            reviewer,
            at,
        )?;
        session.apply(cmd)?;
        self.refresh(session);
        let next = if verdict == Verdict::Edit {
            if let Some(id) = gold_added.first() {
                session.select_span(*id);
            }
            None
        } else {
            self.step(session, true)
        };
        Ok(Decided {
            verdict,
            gold_added,
            gold_frame: None,
            next,
        })
    }

    /// Takes back the decision on the current item (its gold copies go).
    pub fn undecide(&mut self, session: &mut Session) -> Result<(), ReviewActionError> {
        self.refresh(session);
        if self.current_frame_item().is_some() {
            return self.undecide_event(session);
        }
        let item = self
            .current_item()
            .cloned()
            .ok_or(ReviewActionError::NoItem)?;
        let cmd = session
            .document()
            .and_then(|d| adjudicate::undecide(d, &item))
            .ok_or(ReviewActionError::NotDecided)?;
        session.apply(cmd)?;
        self.refresh(session);
        Ok(())
    }

    /// Copies every open agreement of every document into gold as one
    /// undoable step, the spans and then the events both made alike;
    /// returns how many (0: none was left).
    pub fn accept_all_agreements(
        &mut self,
        session: &mut Session,
        reviewer: &str,
        at: Timestamp,
    ) -> Result<usize, ReviewActionError> {
        let spans =
            adjudicate::accept_all_agreements(&mut session.project, &self.layers, reviewer, at);
        let (mut cmds, mut n) = match spans {
            Some((cmd, n)) => (vec![cmd], n),
            None => (Vec::new(), 0),
        };
        let (frames, m) = self.event_agreements(session, &cmds, reviewer, at)?;
        cmds.extend(frames);
        n += m;
        if n == 0 {
            return Ok(0);
        }
        session.apply(crate::model::Command::Batch(cmds))?;
        self.refresh(session);
        Ok(n)
    }
}
