//! A review in progress: which two layers are compared (A is the
//! reference), the aligned items of the open document, the item the
//! reviewer is on, stepping, and decisions into gold. While it exists, the
//! editing session edits gold; starting and stopping it is the only way to
//! switch that, so review state and the layer edited never disagree.
//!
//! Deciding moves on to the next open item; stepping (N/P) skips without
//! deciding. "Open" covers agreements too, so the count reaches zero only
//! when gold accounts for every item of both layers.

use std::collections::HashMap;

use jiff::Timestamp;

use super::adjudicate::{self, Item, ReviewError, ReviewLayers};
use crate::model::{CharOffset, EditError, LayerId, Project, Session, SpanId, Verdict};

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
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// Where a step landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stepped {
    pub doc_index: usize,
    pub item: Item,
    /// The step opened another document.
    pub changed_document: bool,
}

/// What a decision did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    pub verdict: Verdict,
    /// The gold spans it added (an "edit" selects its copy for editing).
    pub gold_added: Vec<SpanId>,
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
    current: Option<ItemKey>,
    /// The open document's items, for (document index, its edit count).
    items: Option<((usize, u64), Vec<Item>)>,
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
            items: None,
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
            self.items = None;
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
        self.set_layers(session, swapped);
        self.current = current;
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
        } else {
            self.items = None;
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
                    let counts = DocCounts {
                        open: items.iter().filter(|i| i.is_open()).count(),
                        items: items.len(),
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

    /// Makes the innermost item under `pos` the current one; false if none is there.
    pub fn pick_at(&mut self, pos: CharOffset) -> bool {
        let found = self
            .items()
            .iter()
            .filter(|i| i.range().contains(&pos))
            .min_by_key(|i| i.range().len())
            .map(Item::key);
        if found.is_some() {
            self.current = found;
        }
        found.is_some()
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
        let (ix, item) =
            adjudicate::step(&session.project, &self.layers, doc, self.current, forward)?;
        let changed_document = ix != doc;
        if changed_document {
            session.open_document(ix);
        }
        session.clear_selection();
        self.current = Some(item.key());
        self.refresh(session);
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
        self.current = Some(item.key());
        self.refresh(session);
        let count = hits.len();
        Some((
            Stepped {
                doc_index: ix,
                item,
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
            next,
        })
    }

    /// Takes back the decision on the current item (its gold copies go).
    pub fn undecide(&mut self, session: &mut Session) -> Result<(), ReviewActionError> {
        self.refresh(session);
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
    /// undoable step; returns how many (0: none was left).
    pub fn accept_all_agreements(
        &mut self,
        session: &mut Session,
        reviewer: &str,
        at: Timestamp,
    ) -> Result<usize, ReviewActionError> {
        let Some((cmd, n)) =
            adjudicate::accept_all_agreements(&mut session.project, &self.layers, reviewer, at)
        else {
            return Ok(0);
        };
        session.apply(cmd)?;
        self.refresh(session);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, LabelSchema, Span};

    const TEXT: &str = "In Bannu, four militants attacked the WSSP official’s home 🙂 پشاور";

    fn span(p: &mut Project, text: &str, needle: &str, label: &str) -> Span {
        let byte = text.find(needle).unwrap();
        let start = text[..byte].chars().count();
        let end = start + needle.chars().count();
        Span::new(
            p.allocate_span_id(),
            start,
            end,
            label,
            text.chars().count(),
            Timestamp::UNIX_EPOCH,
        )
        .unwrap()
    }

    /// ayesha and bilal agree on "Bannu" and "پشاور", differ on the rest.
    fn session() -> Session {
        let mut p = Project::new(LabelSchema::default());
        let mut d = Document::new("d1", "Bannu report", TEXT.to_string());
        for (who, spans) in [
            (
                "ayesha",
                vec![
                    ("Bannu", "LOCATION"),
                    ("four militants", "COUNT"),
                    ("WSSP official", "ACTOR"),
                    ("پشاور", "LOCATION"),
                ],
            ),
            (
                "bilal",
                vec![
                    ("Bannu", "LOCATION"),
                    ("four militants", "ACTOR"),
                    ("attacked", "EVENT"),
                    ("پشاور", "LOCATION"),
                ],
            ),
        ] {
            for (needle, label) in spans {
                let s = span(&mut p, TEXT, needle, label);
                d.layer_mut(&LayerId::Annotator(who.into()))
                    .insert(s)
                    .unwrap();
            }
            p.ensure_annotator(who);
        }
        p.add_document(d).unwrap();
        let mut second = Document::new("d2", "Karak", "Karak police responded.".to_string());
        let s = span(&mut p, "Karak police responded.", "Karak", "LOCATION");
        second
            .layer_mut(&LayerId::Annotator("bilal".into()))
            .insert(s)
            .unwrap();
        p.add_document(second).unwrap();
        Session::new(p, "reviewer")
    }

    fn gold_texts(s: &Session, doc: usize) -> Vec<(String, String)> {
        let d = &s.project.documents[doc];
        d.layer(&LayerId::Gold)
            .map(|g| {
                g.iter()
                    .map(|x| {
                        (
                            d.slice(x.start(), x.end()).unwrap().to_string(),
                            x.label.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn start(s: &mut Session) -> (ReviewSession, Started) {
        let layers = default_layers(&s.project).unwrap();
        ReviewSession::start(s, layers, "reviewer", Timestamp::UNIX_EPOCH).unwrap()
    }

    #[test]
    fn the_reference_is_the_first_annotator_in_project_order() {
        let s = session();
        let layers = default_layers(&s.project).unwrap();
        assert_eq!(layers.a, LayerId::Annotator("ayesha".into()));
        assert_eq!(layers.b, LayerId::Annotator("bilal".into()));
    }

    #[test]
    fn starting_puts_the_agreements_into_gold_as_one_undoable_step() {
        let mut s = session();
        let (review, started) = start(&mut s);
        assert!(s.is_editing_gold());
        assert_eq!(started.agreements_accepted, 2);
        assert_eq!(
            gold_texts(&s, 0),
            vec![
                ("Bannu".to_string(), "LOCATION".to_string()),
                ("پشاور".to_string(), "LOCATION".to_string())
            ]
        );
        // Left: the label conflict, only-A, only-B here; only-B in d2.
        assert_eq!(started.open, 4);
        assert_eq!(review.open_in(0), Some(3));
        assert_eq!(review.open_in(1), Some(1));
        s.undo().unwrap();
        assert!(
            gold_texts(&s, 0).is_empty(),
            "one undo takes the copies back"
        );
    }

    #[test]
    fn undone_agreements_count_as_open_so_zero_means_gold_is_complete() {
        let mut s = session();
        let (mut review, _) = start(&mut s);
        s.undo().unwrap();
        review.refresh(&s);
        assert_eq!(review.open_total(), 6, "the two agreements are open again");
        // Deciding everything, whatever the verdict, ends with nothing open
        // and gold holding every agreed span.
        let mut guard = 0;
        while review.step(&mut s, true).is_some() {
            let verdict = match review.current_item().unwrap().category {
                crate::review::align::Category::OnlyB => Verdict::Reject,
                _ => Verdict::AcceptA,
            };
            review
                .decide(&mut s, verdict, "reviewer", Timestamp::UNIX_EPOCH)
                .unwrap();
            guard += 1;
            assert!(guard < 20);
        }
        assert_eq!(review.open_total(), 0);
        let gold = gold_texts(&s, 0);
        assert!(gold.contains(&("Bannu".to_string(), "LOCATION".to_string())));
        assert!(gold.contains(&("پشاور".to_string(), "LOCATION".to_string())));
    }

    #[test]
    fn deciding_moves_on_so_stepping_after_it_skips_nothing() {
        let mut s = session();
        let (mut review, _) = start(&mut s);
        let first = review.step(&mut s, true).unwrap();
        let decided = review
            .decide(&mut s, Verdict::AcceptA, "reviewer", Timestamp::UNIX_EPOCH)
            .unwrap();
        let next = decided.next.expect("moved on to the next open item");
        assert_ne!(next.item.key(), first.item.key());
        assert_eq!(review.current(), Some(next.item.key()));
        // The decided item is no longer open; the one now current is.
        assert!(review.current_item().unwrap().is_open());
        assert_eq!(review.open_total(), 3);
    }

    #[test]
    fn stepping_crosses_documents_and_edit_stays_with_its_copy_selected() {
        let mut s = session();
        let (mut review, _) = start(&mut s);
        let mut seen = Vec::new();
        for _ in 0..4 {
            let st = review.step(&mut s, true).unwrap();
            seen.push(st.doc_index);
        }
        assert!(seen.contains(&1), "the second document's item is visited");
        s.open_document(0);
        let _ = review.step(&mut s, true).unwrap();
        let decided = review
            .decide(&mut s, Verdict::Edit, "reviewer", Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(decided.next.is_none());
        assert_eq!(s.selected_span_id(), decided.gold_added.first().copied());
    }

    #[test]
    fn swapping_makes_the_other_layer_the_reference_and_keeps_the_item() {
        let mut s = session();
        let (mut review, _) = start(&mut s);
        let st = review.step(&mut s, true).unwrap();
        review.swap_layers(&s);
        assert_eq!(review.layers().a, LayerId::Annotator("bilal".into()));
        let (a, b) = st.item.key();
        assert_eq!(review.current(), Some((b, a)));
        assert!(review.current_item().is_some());
    }

    #[test]
    fn decisions_survive_swapping_the_reference_and_redeciding_replaces_them() {
        let mut s = session();
        let (mut review, _) = start(&mut s);
        let conflict = |r: &ReviewSession| {
            r.items()
                .iter()
                .find(|i| i.category == crate::review::align::Category::LabelConflict)
                .cloned()
                .unwrap()
        };
        review.current = Some(conflict(&review).key());
        review
            .decide(&mut s, Verdict::AcceptA, "reviewer", Timestamp::UNIX_EPOCH)
            .unwrap();
        let open = review.open_total();
        let decisions = s.project.documents[0].decisions.len();
        review.swap_layers(&s);
        let swapped = conflict(&review);
        assert_eq!(
            swapped.decision,
            Some(Verdict::AcceptB),
            "ayesha's version, now B"
        );
        assert_eq!(review.open_total(), open, "nothing reopened by the swap");
        // Deciding again replaces the decision and its gold copy.
        review.current = Some(swapped.key());
        review
            .decide(&mut s, Verdict::AcceptA, "reviewer", Timestamp::UNIX_EPOCH)
            .unwrap();
        assert_eq!(s.project.documents[0].decisions.len(), decisions);
        let gold = gold_texts(&s, 0);
        let militants: Vec<_> = gold.iter().filter(|(t, _)| t == "four militants").collect();
        assert_eq!(
            militants,
            [&("four militants".to_string(), "ACTOR".to_string())],
            "bilal's ACTOR replaced ayesha's COUNT"
        );
        // Undo brings the first decision back, seen the new way round.
        s.undo().unwrap();
        review.refresh(&s);
        assert_eq!(conflict(&review).decision, Some(Verdict::AcceptB));
        assert_eq!(
            gold_texts(&s, 0)
                .iter()
                .filter(|(t, l)| t == "four militants" && l == "COUNT")
                .count(),
            1
        );
    }

    #[test]
    fn stopping_edits_the_own_layer_again_and_undecide_reopens() {
        let mut s = session();
        let (mut review, _) = start(&mut s);
        review.step(&mut s, true).unwrap();
        let key = review.current().unwrap();
        review
            .decide(&mut s, Verdict::Reject, "reviewer", Timestamp::UNIX_EPOCH)
            .unwrap();
        review.current = Some(key);
        review.undecide(&mut s).unwrap();
        assert!(review.current_item().unwrap().is_open());
        assert!(matches!(
            review.undecide(&mut s),
            Err(ReviewActionError::NotDecided)
        ));
        review.stop(&mut s);
        assert!(!s.is_editing_gold());
        assert_eq!(s.layer_id(), LayerId::Annotator("reviewer".into()));
    }
}
