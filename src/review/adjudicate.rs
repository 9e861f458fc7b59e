//! Adjudication: the reviewer walks the aligned items of two layers and
//! decides each difference into the gold layer. Every decision is one
//! undoable [`Command`]; gold spans carry provenance (source, annotators,
//! reviewer, time, the span ids they came from) and each decision is kept
//! on the document, so "adjudicated" can be computed rather than claimed.

use std::ops::Range;

use jiff::Timestamp;

use super::align::{Category, align};
use crate::model::{
    CharOffset, Command, Decision, Document, GoldSource, LayerId, Project, Provenance, Span,
    SpanId, Verdict,
};

/// The two layers under review.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReviewLayers {
    pub a: LayerId,
    pub b: LayerId,
}

/// One aligned item of a document with the decision taken on it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub category: Category,
    pub a: Option<Span>,
    pub b: Option<Span>,
    pub decision: Option<Verdict>,
    /// An agreement that gold holds already (one of the layers is gold, or
    /// the same span was put there): nothing is left to decide.
    pub agreed_in_gold: bool,
}

impl Item {
    /// Identifies the item across frames and saves: its A and B span ids.
    pub fn key(&self) -> (Option<SpanId>, Option<SpanId>) {
        (self.a.as_ref().map(Span::id), self.b.as_ref().map(Span::id))
    }
    /// The text both versions cover together.
    pub fn range(&self) -> Range<CharOffset> {
        let spans = || self.a.iter().chain(self.b.iter());
        let start = spans().map(Span::start).min().unwrap_or(0);
        let end = spans().map(Span::end).max().unwrap_or(0);
        start..end
    }
    /// An item gold does not account for yet: undecided, and not an
    /// agreement already in gold. Agreements count, so that nothing left
    /// open means gold is complete.
    pub fn is_open(&self) -> bool {
        self.decision.is_none() && !self.agreed_in_gold
    }
}

/// Why a decision cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("no document with id {0:?}")]
    NoDocument(String),
    #[error("layer {0} has no span here")]
    NothingToAccept(&'static str),
    /// As [`ReviewError::NothingToAccept`], on a pair of events.
    #[error("layer {0} has no event here")]
    NoEventToAccept(&'static str),
    #[error("gold has its own version of this event: change it in the event panel")]
    GoldEvent,
    #[error("span {0} of an event is missing from its layer")]
    MissingSpan(SpanId),
    #[error(transparent)]
    Edit(#[from] crate::model::EditError),
}

/// The aligned items of one document in text order, with their decisions.
pub fn items(doc: &Document, layers: &ReviewLayers) -> Vec<Item> {
    let spans = |id: &LayerId| -> Vec<&Span> {
        doc.layer(id)
            .map(|l| l.iter().collect())
            .unwrap_or_default()
    };
    let (a, b) = (spans(&layers.a), spans(&layers.b));
    let against_gold = layers.a == LayerId::Gold || layers.b == LayerId::Gold;
    let gold = doc.layer(&LayerId::Gold);
    align(&a, &b)
        .into_iter()
        .map(|p| {
            let key = (p.a.map(Span::id), p.b.map(Span::id));
            let agreed_in_gold = p.category == Category::Agree
                && (against_gold
                    || p.a.is_some_and(|s| {
                        gold.is_some_and(|g| g.find_exact(s.start(), s.end(), &s.label).is_some())
                    }));
            Item {
                category: p.category,
                a: p.a.cloned(),
                b: p.b.cloned(),
                decision: doc
                    .decisions
                    .iter()
                    .find_map(|d| d.oriented(key))
                    .map(|d| d.verdict),
                agreed_in_gold,
            }
        })
        .collect()
}

/// How many items of the document gold does not account for yet.
pub fn open_count(doc: &Document, layers: &ReviewLayers) -> usize {
    items(doc, layers).iter().filter(|i| i.is_open()).count()
}

/// Who a span of `layer` belongs to, for provenance.
fn owner(layer: &LayerId) -> String {
    layer.to_string()
}

/// Builds the command that records `verdict` on `item` and puts the chosen
/// version(s) into gold. A decision taken earlier on the same item is taken
/// back in the same step (its gold copies removed), so re-deciding never
/// leaves stale gold spans. Returns the command and the ids of the gold spans
/// it adds (the "edit" verdict selects its copy for editing).
pub fn decide(
    project: &mut Project,
    doc_id: &str,
    item: &Item,
    verdict: Verdict,
    layers: &ReviewLayers,
    reviewer: &str,
    at: Timestamp,
) -> Result<(Command, Vec<SpanId>), ReviewError> {
    let doc = project
        .document(doc_id)
        .ok_or_else(|| ReviewError::NoDocument(doc_id.to_string()))?;
    let from_a = || item.a.as_ref().map(|s| (s, GoldSource::A, &layers.a));
    let from_b = || item.b.as_ref().map(|s| (s, GoldSource::B, &layers.b));
    let chosen: Vec<(&Span, GoldSource, &LayerId)> = match verdict {
        Verdict::AcceptA => vec![from_a().ok_or(ReviewError::NothingToAccept("A"))?],
        Verdict::AcceptB => vec![from_b().ok_or(ReviewError::NothingToAccept("B"))?],
        Verdict::AcceptBoth => from_a().into_iter().chain(from_b()).collect(),
        Verdict::Reject => Vec::new(),
        Verdict::Edit => vec![
            from_a()
                .or_else(from_b)
                .ok_or(ReviewError::NothingToAccept("A"))?,
        ],
    };

    let mut cmds = withdraw(doc, item);
    let removed: Vec<SpanId> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::RemoveSpan { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    let gold = doc.layer(&LayerId::Gold);
    let already_in_gold = |s: &Span| {
        gold.and_then(|g| g.find_exact(s.start(), s.end(), &s.label))
            .is_some_and(|g| !removed.contains(&g.id()))
    };
    // Two identical versions (an agreement) become one gold span from both.
    let both_same = item
        .a
        .as_ref()
        .zip(item.b.as_ref())
        .is_some_and(|(a, b)| a.same_annotation(b));
    let mut copies: Vec<Span> = Vec::new();
    for (span, source, layer) in chosen {
        if *layer == LayerId::Gold || already_in_gold(span) {
            continue; // comparing against gold: it is there already
        }
        if copies.iter().any(|c| c.same_annotation(span)) {
            continue;
        }
        let (source, annotators, from) = if both_same && verdict != Verdict::Edit {
            (
                GoldSource::Both,
                vec![owner(&layers.a), owner(&layers.b)],
                item.a.iter().chain(item.b.iter()).map(Span::id).collect(),
            )
        } else if verdict == Verdict::Edit {
            (GoldSource::Edited, vec![owner(layer)], vec![span.id()])
        } else {
            (source, vec![owner(layer)], vec![span.id()])
        };
        let mut copy = span.clone();
        copy.set_provenance(Some(Box::new(Provenance {
            source,
            annotators,
            from,
            reviewer: reviewer.to_string(),
            at: Some(at),
        })));
        copies.push(copy);
    }
    let doc_id = doc.id.clone();
    let mut added = Vec::new();
    for copy in copies {
        let id = project.allocate_span_id();
        added.push(id);
        cmds.push(Command::AddSpan {
            doc: doc_id.clone(),
            layer: LayerId::Gold,
            span: copy.with_id(id),
        });
    }
    cmds.push(Command::SetDecision {
        doc: doc_id,
        key: item.key(),
        decision: Some(Decision {
            a: item.a.as_ref().map(Span::id),
            b: item.b.as_ref().map(Span::id),
            verdict,
            reviewer: reviewer.to_string(),
            at: Some(at),
        }),
    });
    Ok((Command::Batch(cmds), added))
}

/// Commands that take back an earlier decision on `item`: its gold copies
/// (found by provenance) are removed; the decision itself is replaced by
/// whatever comes next in the same batch.
fn withdraw(doc: &Document, item: &Item) -> Vec<Command> {
    if item.decision.is_none() {
        return Vec::new();
    }
    let ids: Vec<SpanId> = item.a.iter().chain(item.b.iter()).map(Span::id).collect();
    doc.layer(&LayerId::Gold)
        .into_iter()
        .flat_map(|g| g.iter())
        .filter(|s| {
            s.provenance()
                .is_some_and(|p| p.from.iter().any(|f| ids.contains(f)))
        })
        .map(|s| Command::RemoveSpan {
            doc: doc.id.clone(),
            layer: LayerId::Gold,
            id: s.id(),
        })
        .collect()
}

/// Takes back the decision on `item`: its gold copies go, and the item is
/// open again. `None` when nothing was decided.
pub fn undecide(doc: &Document, item: &Item) -> Option<Command> {
    item.decision?;
    let mut cmds = withdraw(doc, item);
    cmds.push(Command::SetDecision {
        doc: doc.id.clone(),
        key: item.key(),
        decision: None,
    });
    Some(Command::Batch(cmds))
}

/// Copies every undecided agreement of every document into gold as one
/// step (source "both"). `None` when there is none left to copy.
pub fn accept_all_agreements(
    project: &mut Project,
    layers: &ReviewLayers,
    reviewer: &str,
    at: Timestamp,
) -> Option<(Command, usize)> {
    let mut todo: Vec<(String, Item)> = Vec::new();
    for doc in &project.documents {
        for item in items(doc, layers) {
            if item.category == Category::Agree && item.is_open() {
                todo.push((doc.id.clone(), item));
            }
        }
    }
    let mut cmds = Vec::with_capacity(todo.len());
    for (doc, item) in &todo {
        let (cmd, _) = decide(
            project,
            doc,
            item,
            Verdict::AcceptBoth,
            layers,
            reviewer,
            at,
        )
        .ok()?;
        cmds.push(cmd);
    }
    let n = todo.len();
    (!cmds.is_empty()).then_some((Command::Batch(cmds), n))
}

/// Where the next (or previous) open item is (see [`Item::is_open`]), starting after the
/// item `current` of document `doc` (or at the start of `doc` when `None`),
/// and wrapping across documents. Returns the document index and the item.
pub fn step(
    project: &Project,
    layers: &ReviewLayers,
    doc: usize,
    current: Option<(Option<SpanId>, Option<SpanId>)>,
    forward: bool,
) -> Option<(usize, Item)> {
    type Key = (Option<SpanId>, Option<SpanId>);
    let entries = |ix: usize| -> Vec<(Key, bool)> {
        items(&project.documents[ix], layers)
            .iter()
            .map(|i| (i.key(), i.is_open()))
            .collect()
    };
    let (ix, key) = super::stepping::step_over(
        project.documents.len(),
        entries,
        doc,
        current.as_ref(),
        forward,
    )?;
    let item = items(&project.documents[ix], layers)
        .into_iter()
        .find(|i| i.key() == key)?;
    Some((ix, item))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, LabelSchema};

    fn span(id: u64, s: usize, e: usize, l: &str) -> Span {
        Span::new(SpanId(id), s, e, l, 200, Timestamp::UNIX_EPOCH).unwrap()
    }

    /// "Bannu" agree; "WSSP official" boundary; "four" label conflict; only-A; only-B.
    fn project() -> Project {
        let mut p = Project::new(LabelSchema::default());
        let mut d = Document::new("d1", "d1", "x".repeat(200));
        for s in [
            span(1, 0, 5, "LOCATION"),
            span(2, 10, 23, "ACTOR"),
            span(3, 30, 34, "COUNT"),
            span(4, 50, 56, "ACTOR"),
        ] {
            d.layer_mut(&LayerId::Annotator("ayesha".into()))
                .insert(s)
                .unwrap();
        }
        for s in [
            span(11, 0, 5, "LOCATION"),
            span(12, 6, 23, "ACTOR"),
            span(13, 30, 34, "EVENT"),
            span(14, 60, 66, "EVENT"),
        ] {
            d.layer_mut(&LayerId::Annotator("bilal".into()))
                .insert(s)
                .unwrap();
        }
        p.add_document(d).unwrap();
        p.add_document(Document::new("d2", "d2", "y".repeat(50)))
            .unwrap();
        for id in [1, 2, 3, 4, 11, 12, 13, 14] {
            p.note_span_id(SpanId(id));
        }
        p
    }

    fn layers() -> ReviewLayers {
        ReviewLayers {
            a: LayerId::Annotator("ayesha".into()),
            b: LayerId::Annotator("bilal".into()),
        }
    }

    fn gold(p: &Project) -> Vec<(usize, usize, String, GoldSource)> {
        p.documents[0]
            .layer(&LayerId::Gold)
            .map(|g| {
                g.iter()
                    .map(|s| {
                        let src = s.provenance().unwrap().source;
                        (s.start(), s.end(), s.label.clone(), src)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn item(p: &Project, cat: Category) -> Item {
        items(&p.documents[0], &layers())
            .into_iter()
            .find(|i| i.category == cat)
            .unwrap()
    }

    #[test]
    fn accept_b_copies_b_with_provenance_and_closes_the_difference() {
        let mut p = project();
        // Four differences and one agreement not yet in gold.
        assert_eq!(open_count(&p.documents[0], &layers()), 5);
        let it = item(&p, Category::BoundaryConflict);
        let at = Timestamp::UNIX_EPOCH;
        let (cmd, added) =
            decide(&mut p, "d1", &it, Verdict::AcceptB, &layers(), "rev", at).unwrap();
        cmd.apply(&mut p).unwrap();
        assert_eq!(gold(&p), [(6, 23, "ACTOR".into(), GoldSource::B)]);
        let g = p.documents[0]
            .layer(&LayerId::Gold)
            .unwrap()
            .get(added[0])
            .unwrap();
        let prov = g.provenance().unwrap();
        assert_eq!(prov.annotators, ["bilal"]);
        assert_eq!(prov.reviewer, "rev");
        assert_eq!(prov.from, [SpanId(12)]);
        assert_eq!(open_count(&p.documents[0], &layers()), 4);
    }

    #[test]
    fn accept_both_on_a_label_conflict_keeps_both_labels_and_reject_adds_nothing() {
        let mut p = project();
        let at = Timestamp::UNIX_EPOCH;
        let it = item(&p, Category::LabelConflict);
        let (cmd, _) = decide(&mut p, "d1", &it, Verdict::AcceptBoth, &layers(), "r", at).unwrap();
        cmd.apply(&mut p).unwrap();
        let it = item(&p, Category::OnlyB);
        let (cmd, added) = decide(&mut p, "d1", &it, Verdict::Reject, &layers(), "r", at).unwrap();
        cmd.apply(&mut p).unwrap();
        assert!(added.is_empty());
        assert_eq!(
            gold(&p),
            [
                (30, 34, "COUNT".into(), GoldSource::A),
                (30, 34, "EVENT".into(), GoldSource::B)
            ]
        );
        assert_eq!(open_count(&p.documents[0], &layers()), 3);
    }

    #[test]
    fn accepting_a_missing_version_is_refused() {
        let mut p = project();
        let it = item(&p, Category::OnlyA);
        let r = decide(
            &mut p,
            "d1",
            &it,
            Verdict::AcceptB,
            &layers(),
            "r",
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(r.unwrap_err(), ReviewError::NothingToAccept("B"));
    }

    #[test]
    fn redeciding_replaces_the_earlier_gold_copy_and_undo_restores_it() {
        let mut p = project();
        let at = Timestamp::UNIX_EPOCH;
        let it = item(&p, Category::BoundaryConflict);
        let (cmd, _) = decide(&mut p, "d1", &it, Verdict::AcceptA, &layers(), "r", at).unwrap();
        cmd.apply(&mut p).unwrap();
        let it = item(&p, Category::BoundaryConflict);
        assert_eq!(it.decision, Some(Verdict::AcceptA));
        let (cmd, _) = decide(&mut p, "d1", &it, Verdict::AcceptB, &layers(), "r", at).unwrap();
        let inverse = cmd.apply(&mut p).unwrap();
        assert_eq!(gold(&p), [(6, 23, "ACTOR".into(), GoldSource::B)]);
        assert_eq!(p.documents[0].decisions.len(), 1);
        inverse.apply(&mut p).unwrap();
        assert_eq!(gold(&p), [(10, 23, "ACTOR".into(), GoldSource::A)]);
        assert_eq!(p.documents[0].decisions[0].verdict, Verdict::AcceptA);
    }

    #[test]
    fn accept_all_agreements_is_one_step_and_marks_both_annotators() {
        let mut p = project();
        let (cmd, n) =
            accept_all_agreements(&mut p, &layers(), "r", Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(n, 1);
        let inverse = cmd.apply(&mut p).unwrap();
        assert_eq!(gold(&p), [(0, 5, "LOCATION".into(), GoldSource::Both)]);
        let g = p.documents[0]
            .layer(&LayerId::Gold)
            .unwrap()
            .iter()
            .next()
            .unwrap();
        assert_eq!(g.provenance().unwrap().annotators, ["ayesha", "bilal"]);
        // Nothing left to accept; undo removes the gold layer again.
        assert!(accept_all_agreements(&mut p, &layers(), "r", Timestamp::UNIX_EPOCH).is_none());
        inverse.apply(&mut p).unwrap();
        assert!(p.documents[0].gold.is_none());
        assert!(p.documents[0].decisions.is_empty());
    }

    #[test]
    fn stepping_visits_open_items_in_text_order_and_wraps() {
        let mut p = project();
        let order: Vec<Category> = {
            let mut out = Vec::new();
            let mut cur = None;
            while let Some((_, it)) = step(&p, &layers(), 0, cur, true) {
                if out.len() == 5 {
                    break;
                }
                out.push(it.category);
                cur = Some(it.key());
            }
            out
        };
        // The agreement is open too until gold has it.
        assert_eq!(
            order,
            [
                Category::Agree,
                Category::BoundaryConflict,
                Category::LabelConflict,
                Category::OnlyA,
                Category::OnlyB
            ]
        );
        // Backwards from the first item wraps to the last.
        let first = item(&p, Category::Agree);
        let (_, prev) = step(&p, &layers(), 0, Some(first.key()), false).unwrap();
        assert_eq!(prev.category, Category::OnlyB);
        // Once everything is decided there is nowhere to go.
        for cat in [
            Category::Agree,
            Category::BoundaryConflict,
            Category::LabelConflict,
            Category::OnlyA,
            Category::OnlyB,
        ] {
            let it = item(&p, cat);
            let (cmd, _) = decide(
                &mut p,
                "d1",
                &it,
                Verdict::Reject,
                &layers(),
                "r",
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            cmd.apply(&mut p).unwrap();
        }
        assert_eq!(step(&p, &layers(), 1, None, true), None);
        assert_eq!(open_count(&p.documents[0], &layers()), 0);
    }
}
