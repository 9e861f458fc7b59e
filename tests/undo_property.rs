//! Undo/redo property: any sequence of edits, undone in full, restores the
//! project exactly; redone in full, it gives the end state again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use jiff::Timestamp;
use proptest::prelude::*;
use spanmark::model::{
    Command, DocStatus, Document, Frame, History, LabelSchema, LayerId, Project, Relation, Span,
    SpanChange, SpanId,
};

/// Texts with astral emoji, Urdu, curly quotes and CRLF.
fn text() -> impl Strategy<Value = String> {
    "[a-z ’“”🙂بنوں\r\n]{1,60}"
}

/// An edit described by numbers, turned into a concrete command against the current project.
#[derive(Debug, Clone)]
enum Op {
    Add {
        doc: usize,
        layer: usize,
        start: usize,
        len: usize,
        label: usize,
    },
    Remove(usize),
    Relabel(usize, usize),
    Resize(usize, usize, usize),
    Note(usize, String),
    Attr(usize, String),
    Status(usize, usize),
    /// A date (days after 2020-01-01), or none.
    Date(usize, Option<u16>),
    /// An event frame on any span (commands apply frames mechanically; the
    /// schema's policy is the linking code's).
    AddFrame(usize),
    /// Fill role `role` of a frame with a span of its layer.
    Fill {
        frame: usize,
        span: usize,
        role: usize,
    },
    /// Empty one slot of a frame.
    Unfill(usize, usize),
    RemoveFrame(usize),
    /// A same_as relation between two spans of one layer.
    Relate(usize, usize),
    Unrelate(usize),
    Batch(Vec<Op>),
    /// A batch whose last step fails: it must change nothing.
    FailingBatch(Vec<Op>),
}

fn leaf_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<usize>(), 0usize..3, any::<usize>(), any::<usize>(), 0usize..4)
            .prop_map(|(doc, layer, start, len, label)| Op::Add { doc, layer, start, len, label }),
        1 => any::<usize>().prop_map(Op::Remove),
        1 => (any::<usize>(), 0usize..4).prop_map(|(s, l)| Op::Relabel(s, l)),
        1 => (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(s, a, b)| Op::Resize(s, a, b)),
        1 => (any::<usize>(), "[a-z🙂 ]{0,8}").prop_map(|(s, n)| Op::Note(s, n)),
        1 => (any::<usize>(), "[0-9]{1,3}").prop_map(|(s, v)| Op::Attr(s, v)),
        1 => (any::<usize>(), 0usize..3).prop_map(|(d, s)| Op::Status(d, s)),
        1 => (any::<usize>(), proptest::option::of(0u16..3000)).prop_map(|(d, n)| Op::Date(d, n)),
        2 => any::<usize>().prop_map(Op::AddFrame),
        3 => (any::<usize>(), any::<usize>(), 0usize..5)
            .prop_map(|(frame, span, role)| Op::Fill { frame, span, role }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(f, k)| Op::Unfill(f, k)),
        1 => any::<usize>().prop_map(Op::RemoveFrame),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Relate(a, b)),
        1 => any::<usize>().prop_map(Op::Unrelate),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => leaf_op(),
        1 => prop::collection::vec(leaf_op(), 1..5).prop_map(Op::Batch),
        1 => prop::collection::vec(leaf_op(), 0..4).prop_map(Op::FailingBatch),
    ]
}

const LAYERS: [&str; 2] = ["alice", "bob"];

fn layer_id(i: usize) -> LayerId {
    match LAYERS.get(i) {
        Some(name) => LayerId::Annotator((*name).to_string()),
        None => LayerId::Gold,
    }
}

fn all_spans(p: &Project) -> Vec<(String, LayerId, Span)> {
    p.documents
        .iter()
        .flat_map(|d| {
            d.all_layers().flat_map(move |(lid, l)| {
                l.iter()
                    .map(move |s| (d.id.clone(), lid.clone(), s.clone()))
            })
        })
        .collect()
}

fn all_frames(p: &Project) -> Vec<(String, LayerId, Frame)> {
    p.documents
        .iter()
        .flat_map(|d| {
            d.all_layers().flat_map(move |(lid, l)| {
                l.frames()
                    .map(move |f| (d.id.clone(), lid.clone(), f.clone()))
            })
        })
        .collect()
}

fn all_relations(p: &Project) -> Vec<(String, LayerId, Relation)> {
    p.documents
        .iter()
        .flat_map(|d| {
            d.all_layers().flat_map(move |(lid, l)| {
                l.links()
                    .relations()
                    .map(move |r| (d.id.clone(), lid.clone(), r.clone()))
            })
        })
        .collect()
}

/// Roles to fill: the default schema's four and one it lacks (applied all
/// the same: only linking refuses it).
const ROLES: [&str; 5] = ["agent", "target", "location", "count", "weapon"];

/// Turns an op into a command valid for `p`, or `None` if there is nothing to act on.
fn resolve(p: &mut Project, op: &Op, at: Timestamp) -> Option<Command> {
    let labels: Vec<String> = p.schema.names().map(String::from).collect();
    let spans = all_spans(p);
    let pick = |i: usize| (!spans.is_empty()).then(|| spans[i % spans.len()].clone());
    Some(match op {
        Op::Add {
            doc,
            layer,
            start,
            len,
            label,
        } => {
            let d = &p.documents[doc % p.documents.len()];
            let n = d.char_len();
            let s = start % n;
            let e = s + 1 + len % (n - s);
            let doc_id = d.id.clone();
            let span = Span::new(p.allocate_span_id(), s, e, labels[*label].clone(), n, at).ok()?;
            Command::AddSpan {
                doc: doc_id,
                layer: layer_id(*layer),
                span,
            }
        }
        Op::Remove(i) => {
            let (doc, layer, s) = pick(*i)?;
            Command::RemoveSpan {
                doc,
                layer,
                id: s.id(),
            }
        }
        Op::Relabel(i, l) => {
            let (doc, layer, s) = pick(*i)?;
            let change = SpanChange::Label(labels[*l].clone());
            Command::UpdateSpan {
                doc,
                layer,
                id: s.id(),
                change,
                at: Some(at),
            }
        }
        Op::Resize(i, a, b) => {
            let (doc, layer, s) = pick(*i)?;
            let n = p.document(&doc)?.char_len();
            let start = a % n;
            let end = start + 1 + b % (n - start);
            Command::UpdateSpan {
                doc,
                layer,
                id: s.id(),
                change: SpanChange::Range { start, end },
                at: Some(at),
            }
        }
        Op::Note(i, note) => {
            let (doc, layer, s) = pick(*i)?;
            Command::UpdateSpan {
                doc,
                layer,
                id: s.id(),
                change: SpanChange::Note(note.clone()),
                at: Some(at),
            }
        }
        Op::Attr(i, v) => {
            let (doc, layer, s) = pick(*i)?;
            let mut attrs = s.attributes().clone();
            attrs.insert("value".into(), v.clone());
            Command::UpdateSpan {
                doc,
                layer,
                id: s.id(),
                change: SpanChange::Attributes(attrs),
                at: Some(at),
            }
        }
        Op::Status(d, s) => {
            let status = [DocStatus::Todo, DocStatus::InProgress, DocStatus::Done][*s];
            Command::SetStatus {
                doc: p.documents[d % p.documents.len()].id.clone(),
                status,
            }
        }
        Op::Date(d, n) => Command::SetDate {
            doc: p.documents[d % p.documents.len()].id.clone(),
            date: n.map(|n| {
                jiff::civil::date(2020, 1, 1)
                    .checked_add(jiff::Span::new().days(i64::from(n)))
                    .unwrap()
            }),
        },
        Op::AddFrame(i) => {
            let (doc, layer, s) = pick(*i)?;
            Command::AddFrame {
                doc,
                layer,
                frame: Frame::new(p.allocate_frame_id(), s.id()),
            }
        }
        Op::Fill { frame, span, role } => {
            let frames = all_frames(p);
            let (doc, layer, f) = frames.get(frame % frames.len().max(1))?.clone();
            let same: Vec<_> = spans
                .iter()
                .filter(|(d, l, _)| *d == doc && *l == layer)
                .collect();
            let filler = same.get(span % same.len().max(1))?.2.id();
            Command::ReplaceFrame {
                doc,
                layer,
                frame: f.with_slot(ROLES[*role], filler),
            }
        }
        Op::Unfill(frame, k) => {
            let frames = all_frames(p);
            let (doc, layer, f) = frames.get(frame % frames.len().max(1))?.clone();
            let slot = f.slots.get(k % f.slots.len().max(1))?.clone();
            Command::ReplaceFrame {
                doc,
                layer,
                frame: f.without_slot(&slot.role, slot.span),
            }
        }
        Op::RemoveFrame(frame) => {
            let frames = all_frames(p);
            let (doc, layer, f) = frames.get(frame % frames.len().max(1))?.clone();
            Command::RemoveFrame {
                doc,
                layer,
                id: f.id,
            }
        }
        Op::Relate(a, b) => {
            let (doc, layer, from) = pick(*a)?;
            let same: Vec<_> = spans
                .iter()
                .filter(|(d, l, _)| *d == doc && *l == layer)
                .collect();
            let to = same.get(b % same.len().max(1))?.2.id();
            Command::AddRelation {
                doc,
                layer,
                relation: Relation {
                    id: p.allocate_relation_id(),
                    from: from.id(),
                    to,
                    kind: "same_as".into(),
                    directed: false,
                },
            }
        }
        Op::Unrelate(r) => {
            let relations = all_relations(p);
            let (doc, layer, rel) = relations.get(r % relations.len().max(1))?.clone();
            Command::RemoveRelation {
                doc,
                layer,
                id: rel.id,
            }
        }
        Op::Batch(ops) | Op::FailingBatch(ops) => {
            // Resolve each step against the state the previous steps leave.
            let mut scratch = p.clone();
            let mut cmds = Vec::new();
            for o in ops {
                if let Some(c) = resolve(&mut scratch, o, at) {
                    c.clone().apply(&mut scratch).ok()?;
                    cmds.push(c);
                }
            }
            for s in all_spans(&scratch) {
                p.note_span_id(s.2.id());
            }
            if matches!(op, Op::FailingBatch(_)) {
                let doc = p.documents[0].id.clone();
                cmds.push(Command::RemoveSpan {
                    doc,
                    layer: LayerId::Gold,
                    id: SpanId(u64::MAX),
                });
            }
            Command::Batch(cmds)
        }
    })
}

fn project(texts: Vec<String>) -> Project {
    let mut p = Project::new(LabelSchema::default());
    for name in LAYERS {
        p.ensure_annotator(name);
    }
    for (i, t) in texts.into_iter().enumerate() {
        p.add_document(Document::new(format!("d{i}"), format!("doc {i}"), t))
            .unwrap();
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn undo_all_restores_start_and_redo_all_restores_end(
        texts in prop::collection::vec(text(), 1..4),
        seed_ops in prop::collection::vec(leaf_op(), 0..10),
        ops in prop::collection::vec(op(), 0..40),
    ) {
        let mut p = project(texts);
        // Start from a project that already holds spans, notes and statuses.
        for op in &seed_ops {
            if let Some(cmd) = resolve(&mut p, op, Timestamp::UNIX_EPOCH) {
                let _ = cmd.apply(&mut p);
            }
        }
        let mut history = History::new();
        // states[i] is the project before step i; the last entry is the end state.
        let mut states = vec![p.clone()];
        for (k, op) in ops.iter().enumerate() {
            let at = Timestamp::from_second(1_700_000_000 + k as i64).unwrap();
            let Some(cmd) = resolve(&mut p, op, at) else { continue };
            let before = p.clone();
            let failing = matches!(op, Op::FailingBatch(_));
            match history.apply(&mut p, cmd) {
                Ok(()) => {
                    prop_assert!(!failing, "a batch with a failing step was applied");
                    states.push(p.clone());
                }
                Err(_) => prop_assert_eq!(&p, &before, "a failed edit changed the project"),
            }
        }
        // Undo one step at a time: each undo gives back the state before that step.
        for want in states.iter().rev().skip(1) {
            prop_assert!(history.undo(&mut p).unwrap());
            prop_assert_eq!(&p, want);
        }
        prop_assert!(!history.undo(&mut p).unwrap());
        for want in states.iter().skip(1) {
            prop_assert!(history.redo(&mut p).unwrap());
            prop_assert_eq!(&p, want);
        }
        prop_assert!(!history.redo(&mut p).unwrap());
    }
}

#[test]
fn edits_are_refused_with_a_reason_and_change_nothing() {
    let mut p = project(vec!["Bannu 🙂 Karak".into()]);
    let before = p.clone();
    let at = Timestamp::UNIX_EPOCH;
    let span = Span::new(SpanId(1), 0, 5, "WEAPON", 13, at).unwrap();
    let err = Command::AddSpan {
        doc: "d0".into(),
        layer: layer_id(0),
        span,
    }
    .apply(&mut p)
    .unwrap_err();
    assert_eq!(err.to_string(), "label \"WEAPON\" is not in the schema");
    let span = Span::new(SpanId(1), 8, 13, "LOCATION", 13, at).unwrap();
    assert!(
        Command::AddSpan {
            doc: "nope".into(),
            layer: layer_id(0),
            span
        }
        .apply(&mut p)
        .is_err()
    );
    assert_eq!(p, before);

    let span = Span::new(SpanId(1), 8, 13, "LOCATION", 13, at).unwrap();
    Command::AddSpan {
        doc: "d0".into(),
        layer: layer_id(0),
        span: span.clone(),
    }
    .apply(&mut p)
    .unwrap();
    assert_eq!(p.documents[0].slice(8, 13), Some("Karak"));
    // The same id again, even in another layer, is refused.
    let err = Command::AddSpan {
        doc: "d0".into(),
        layer: LayerId::Gold,
        span,
    }
    .apply(&mut p)
    .unwrap_err();
    assert_eq!(err.to_string(), "span id #1 is already in use");
    let resize = SpanChange::Range { start: 8, end: 14 };
    let cmd = Command::UpdateSpan {
        doc: "d0".into(),
        layer: layer_id(0),
        id: SpanId(1),
        change: resize,
        at: None,
    };
    assert!(
        cmd.apply(&mut p).is_err(),
        "resizing past the end of the text"
    );
}

#[test]
fn removing_a_span_takes_its_links_with_it_and_undo_brings_them_back() {
    use spanmark::model::FrameProblem;
    use spanmark::model::command::new_frame_problems;

    let text = "Security forces killed four militants in Bajaur.";
    let mut p = project(vec![text.into()]);
    let layer = layer_id(0);
    let at = Timestamp::UNIX_EPOCH;
    let n = text.chars().count();
    let add = |p: &mut Project, word: &str, label: &str| {
        let s = text.find(word).unwrap();
        let id = p.allocate_span_id();
        let span = Span::new(id, s, s + word.len(), label, n, at).unwrap();
        Command::AddSpan {
            doc: "d0".into(),
            layer: layer.clone(),
            span,
        }
        .apply(p)
        .unwrap();
        id
    };
    let actor = add(&mut p, "Security forces", "ACTOR");
    let trigger = add(&mut p, "killed", "EVENT");
    let count = add(&mut p, "four militants", "COUNT");
    let place = add(&mut p, "Bajaur", "LOCATION");
    let frame = Frame::new(p.allocate_frame_id(), trigger)
        .with_slot("agent", actor)
        .with_slot("count", count)
        .with_slot("location", place);
    assert_eq!(new_frame_problems(&p, "d0", &layer, &frame), []);
    let relation = Relation {
        id: p.allocate_relation_id(),
        from: actor,
        to: count,
        kind: "same_as".into(),
        directed: false,
    };
    let mut history = History::new();
    for cmd in [
        Command::AddFrame {
            doc: "d0".into(),
            layer: layer.clone(),
            frame: frame.clone(),
        },
        Command::AddRelation {
            doc: "d0".into(),
            layer: layer.clone(),
            relation,
        },
    ] {
        history.apply(&mut p, cmd).unwrap();
    }
    let linked = p.clone();
    let l = |p: &Project| p.documents[0].layer(&layer).unwrap().clone();

    // The count goes: its slot is emptied and its relation removed.
    let remove = |id| Command::RemoveSpan {
        doc: "d0".into(),
        layer: layer.clone(),
        id,
    };
    history.apply(&mut p, remove(count)).unwrap();
    let after = l(&p);
    let f = after.frame(frame.id).unwrap();
    assert_eq!(f.fillers("count").count(), 0);
    assert_eq!(f.slots.len(), 2);
    assert_eq!(after.links().relations().count(), 0);
    assert!(after.refs(count).is_empty());
    // The trigger goes: the frame goes with it.
    history.apply(&mut p, remove(trigger)).unwrap();
    assert_eq!(l(&p).frames().count(), 0);
    assert!(
        l(&p).refs(actor).is_empty(),
        "no link points at a removed frame"
    );

    history.undo(&mut p).unwrap();
    assert_eq!(l(&p).frame(frame.id).unwrap().slots.len(), 2);
    history.undo(&mut p).unwrap();
    assert_eq!(
        p, linked,
        "both removals undone: frame, slot and relation back"
    );
    history.redo(&mut p).unwrap();
    history.redo(&mut p).unwrap();
    assert_eq!(l(&p).frames().count(), 0);

    // What the schema says against a frame, for the linking commands.
    let wrong = Frame::new(p.allocate_frame_id(), actor)
        .with_slot("weapon", place)
        .with_slot("location", place)
        .with_slot("location", actor);
    let problems = new_frame_problems(&p, "d0", &layer, &wrong);
    assert!(problems.contains(&FrameProblem::NotATrigger {
        label: "ACTOR".into()
    }));
    assert!(problems.contains(&FrameProblem::UnknownRole("weapon".into())));
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, FrameProblem::TooMany { .. }))
    );
    // A frame over a span of another layer is refused by the command.
    let elsewhere = Frame::new(p.allocate_frame_id(), SpanId(999));
    let err = Command::AddFrame {
        doc: "d0".into(),
        layer: layer.clone(),
        frame: elsewhere,
    }
    .apply(&mut p)
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "layer alice of document \"d0\": span #999 is not in this layer"
    );
}
