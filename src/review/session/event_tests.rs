//! Reviewing events: agreements copied at the start, events after spans,
//! deciding a pair or a single slot, taking it back, and the gold events'
//! spans and provenance.

use super::*;
use crate::model::{Document, Frame, GoldSource, LabelSchema, Span};

const TEXT: &str = "Militants attacked a police post in Bannu, killing two policemen. \
                    Security forces killed four militants in Karak.";

/// ayesha and bilal mark the same spans, except that bilal's "attacked" is
/// "attacked a police post". Their events:
/// - attacked: the same slots, other types (Battles vs Explosions);
/// - killing: Militants is ayesha's agent and bilal's target, and only
///   ayesha has the location;
/// - killed: two events; one alike, one with another location.
fn session() -> Session {
    let mut p = Project::new(LabelSchema::default());
    let mut d = Document::new("d1", "Bannu and Karak", TEXT.to_string());
    for (who, attack) in [("ayesha", "attacked"), ("bilal", "attacked a police post")] {
        let layer = LayerId::Annotator(who.into());
        let id = |p: &mut Project, d: &mut Document, needle: &str, label: &str| {
            let byte = TEXT.find(needle).unwrap();
            let start = TEXT[..byte].chars().count();
            let span = Span::new(
                p.allocate_span_id(),
                start,
                start + needle.chars().count(),
                label,
                TEXT.chars().count(),
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            let id = span.id();
            d.layer_mut(&layer).insert(span).unwrap();
            id
        };
        let militants = id(&mut p, &mut d, "Militants", "ACTOR");
        let attacked = id(&mut p, &mut d, attack, "EVENT");
        let bannu = id(&mut p, &mut d, "Bannu", "LOCATION");
        let killing = id(&mut p, &mut d, "killing", "EVENT");
        let two = id(&mut p, &mut d, "two policemen", "COUNT");
        let forces = id(&mut p, &mut d, "Security forces", "ACTOR");
        let killed = id(&mut p, &mut d, "killed", "EVENT");
        let four = id(&mut p, &mut d, "four militants", "COUNT");
        let karak = id(&mut p, &mut d, "Karak", "LOCATION");
        let ayesha = who == "ayesha";
        let frames = [
            (
                attacked,
                if ayesha {
                    "Battles"
                } else {
                    "Explosions/Remote violence"
                },
                vec![("agent", militants), ("location", bannu)],
            ),
            (
                killing,
                "Violence against civilians",
                if ayesha {
                    vec![("agent", militants), ("count", two), ("location", bannu)]
                } else {
                    vec![("target", militants), ("count", two)]
                },
            ),
            (
                killed,
                "Battles",
                vec![
                    ("agent", forces),
                    ("count", four),
                    ("location", if ayesha { karak } else { bannu }),
                ],
            ),
            (killed, "Battles", vec![("agent", forces)]),
        ];
        for (trigger, ty, slots) in frames {
            let mut f = Frame::new(p.allocate_frame_id(), trigger);
            f.event_type = Some(ty.into());
            for (role, span) in slots {
                f = f.with_slot(role, span);
            }
            d.layer_mut(&layer).insert_frame(f).unwrap();
        }
        p.ensure_annotator(who);
    }
    p.add_document(d).unwrap();
    Session::new(p, "reviewer")
}

fn start(s: &mut Session) -> (ReviewSession, Started) {
    let layers = ReviewLayers {
        a: LayerId::Annotator("ayesha".into()),
        b: LayerId::Annotator("bilal".into()),
    };
    ReviewSession::start(s, layers, "reviewer", Timestamp::UNIX_EPOCH).unwrap()
}

/// A gold event as (trigger text, type, [(role, filler text)]).
type GoldEvent = (String, Option<String>, Vec<(String, String)>);

/// Gold's events, in id order.
fn gold_events(s: &Session) -> Vec<GoldEvent> {
    let d = &s.project.documents[0];
    let Some(g) = d.layer(&LayerId::Gold) else {
        return Vec::new();
    };
    let text = |id| {
        let sp = g.get(id).expect("a gold event names gold spans");
        d.slice(sp.start(), sp.end()).unwrap().to_string()
    };
    g.frames()
        .map(|f| {
            (
                text(f.trigger),
                f.event_type.clone(),
                f.slots
                    .iter()
                    .map(|x| (x.role.clone(), text(x.span)))
                    .collect(),
            )
        })
        .collect()
}

fn step_to_event(review: &mut ReviewSession, s: &mut Session, trigger: &str) -> FrameItem {
    for _ in 0..20 {
        let st = review.step(s, true).expect("something is open");
        if let Stop::Frame(f) = &st.item {
            let d = &s.project.documents[0];
            if d.slice(f.range.start, f.range.end)
                .unwrap()
                .starts_with(trigger)
            {
                return f.clone();
            }
        }
    }
    panic!("no open event on {trigger:?}");
}

fn decide(review: &mut ReviewSession, s: &mut Session, verdict: Verdict) -> Decided {
    review
        .decide(s, verdict, "reviewer", Timestamp::UNIX_EPOCH)
        .unwrap()
}

#[test]
fn the_alike_event_is_copied_at_the_start_and_events_come_after_the_spans() {
    let mut s = session();
    let (mut review, started) = start(&mut s);
    // 8 span agreements and the one alike event.
    assert_eq!(started.agreements_accepted, 9);
    let gold = gold_events(&s);
    assert_eq!(
        gold,
        [(
            "killed".to_string(),
            Some("Battles".to_string()),
            vec![("agent".to_string(), "Security forces".to_string())]
        )]
    );
    let f = s.project.documents[0]
        .layer(&LayerId::Gold)
        .unwrap()
        .frames()
        .next()
        .unwrap();
    let prov = f.provenance.as_deref().unwrap();
    assert_eq!(prov.source, GoldSource::Both);
    assert_eq!(prov.annotators, ["ayesha", "bilal"]);
    // Open: the boundary conflict on "attacked", then three events.
    assert_eq!(started.open, 4);
    let first = review.step(&mut s, true).unwrap();
    assert!(first.item.span_item().is_some(), "spans first");
    let second = review.step(&mut s, true).unwrap();
    assert_eq!(second.item.describe(), "event (types differ)");
}

#[test]
fn an_event_uses_the_gold_span_taken_from_either_version_and_copies_what_gold_lacks() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    // The spans: ayesha's "attacked" goes into gold.
    review.step(&mut s, true).unwrap();
    decide(&mut review, &mut s, Verdict::AcceptA);
    // bilal's event on "attacked a police post" takes gold's "attacked".
    let item = review
        .current_frame_item()
        .cloned()
        .expect("moved on to the event");
    assert_eq!(
        item.b.as_ref().unwrap().event_type.as_deref(),
        Some("Explosions/Remote violence")
    );
    decide(&mut review, &mut s, Verdict::AcceptB);
    let gold = gold_events(&s);
    assert!(
        gold.contains(&(
            "attacked".to_string(),
            Some("Explosions/Remote violence".to_string()),
            vec![
                ("agent".to_string(), "Militants".to_string()),
                ("location".to_string(), "Bannu".to_string())
            ]
        )),
        "{gold:?}"
    );
    let before = s.project.documents[0].layer(&LayerId::Gold).unwrap().len();
    // Reject the span "attacked" now: gold loses it, and the event's trigger
    // slot goes with it (undo restores both).
    s.undo().unwrap();
    s.undo().unwrap();
    review.refresh(&s);
    let boundary = review.items().iter().find(|i| i.is_open()).unwrap().key();
    review.set_current(Entry::Span(boundary));
    decide(&mut review, &mut s, Verdict::Reject);
    assert_eq!(
        review.current_frame_item().map(FrameItem::key),
        Some(item.key())
    );
    // With neither "attacked" in gold, accepting B's event copies its trigger.
    decide(&mut review, &mut s, Verdict::AcceptB);
    let g = s.project.documents[0].layer(&LayerId::Gold).unwrap();
    assert_eq!(g.len(), before, "one copy instead of the rejected span");
    let copy = g
        .iter()
        .find(|x| x.provenance().is_some_and(|p| p.source == GoldSource::B))
        .unwrap();
    let d = &s.project.documents[0];
    assert_eq!(
        d.slice(copy.start(), copy.end()).unwrap(),
        "attacked a police post"
    );
    let decision = d
        .frame_decisions
        .iter()
        .find(|x| x.key() == item.key())
        .unwrap();
    assert_eq!(decision.copied, [copy.id()]);
    // Taking the decision back takes the copy with it.
    review.current_frame = Some(decision.key());
    review.undecide(&mut s).unwrap();
    let g = s.project.documents[0].layer(&LayerId::Gold).unwrap();
    assert_eq!(g.len(), before - 1);
    assert!(
        g.frames()
            .all(|f| f.provenance.as_ref().unwrap().source == GoldSource::Both)
    );
}

#[test]
fn both_versions_merge_and_a_single_slot_can_be_decided_otherwise() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    let item = step_to_event(&mut review, &mut s, "killing");
    assert_eq!(
        item.rows.iter().map(|r| r.category).collect::<Vec<_>>(),
        [
            crate::review::frame_align::SlotCategory::RoleConflict,
            crate::review::frame_align::SlotCategory::Agree,
            crate::review::frame_align::SlotCategory::MissingInB,
        ]
    );
    let decided = decide(&mut review, &mut s, Verdict::AcceptBoth);
    assert!(decided.next.is_some(), "moves on");
    let killing = |s: &Session| {
        gold_events(s)
            .into_iter()
            .find(|e| e.0 == "killing")
            .map(|e| e.2)
            .unwrap()
    };
    let pair = |r: &str, t: &str| (r.to_string(), t.to_string());
    assert_eq!(
        killing(&s),
        [
            pair("agent", "Militants"),
            pair("target", "Militants"),
            pair("count", "two policemen"),
            pair("location", "Bannu")
        ]
    );
    // Back on it: Militants is B's target after all. One slot, one step;
    // the review stays on the event.
    review.current_frame = Some(item.key());
    review.current = None;
    let d = review
        .decide_slot(
            &mut s,
            0,
            Verdict::AcceptB,
            "reviewer",
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
    assert!(d.next.is_none());
    assert_eq!(
        killing(&s),
        [
            pair("target", "Militants"),
            pair("count", "two policemen"),
            pair("location", "Bannu")
        ]
    );
    let now = review.current_frame_item().unwrap();
    assert_eq!(now.row_verdict(0), Some(Verdict::AcceptB));
    assert_eq!(now.row_verdict(2), Some(Verdict::AcceptBoth));
    let prov = s.project.documents[0]
        .layer(&LayerId::Gold)
        .unwrap()
        .frames()
        .find(|f| f.slots.len() == 3)
        .unwrap()
        .provenance
        .clone()
        .unwrap();
    assert_eq!(prov.source, GoldSource::Edited);
    let on_killing = |s: &Session| {
        s.project.documents[0]
            .frame_decisions
            .iter()
            .filter(|x| x.key() == item.key())
            .count()
    };
    assert_eq!(on_killing(&s), 1, "replaced, not added");
    // Undo: the merged version is back.
    s.undo().unwrap();
    review.refresh(&s);
    assert_eq!(killing(&s).len(), 4);
}

#[test]
fn decisions_read_the_other_way_round_after_a_swap_and_survive_saving() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    let item = step_to_event(&mut review, &mut s, "killed");
    // The two-event trigger: the pair with another location is the open one.
    assert_eq!(item.rows.len(), 3);
    decide(&mut review, &mut s, Verdict::AcceptA);
    assert!(
        gold_events(&s)
            .iter()
            .any(|e| e.2.contains(&("location".into(), "Karak".into())))
    );
    review.swap_layers(&s);
    let swapped = review
        .frame_items()
        .iter()
        .find(|i| i.rows.len() == 3 && i.decision.is_some())
        .unwrap();
    assert_eq!(swapped.decision.as_ref().unwrap().verdict, Verdict::AcceptB);
    let bytes = crate::io::to_json_bytes(&s.project);
    let back = crate::io::parse_project(&bytes).unwrap();
    assert_eq!(
        back.documents[0].frame_decisions,
        s.project.documents[0].frame_decisions
    );
    assert_eq!(
        back.documents[0]
            .layer(&LayerId::Gold)
            .unwrap()
            .frames()
            .collect::<Vec<_>>(),
        s.project.documents[0]
            .layer(&LayerId::Gold)
            .unwrap()
            .frames()
            .collect::<Vec<_>>()
    );
    // Everything decided: nothing open, whatever the verdicts.
    let mut guard = 0;
    while review.step(&mut s, true).is_some() {
        decide(&mut review, &mut s, Verdict::AcceptA);
        guard += 1;
        assert!(guard < 10);
    }
    assert_eq!(review.open_total(), 0);
}

#[test]
fn against_gold_its_own_event_is_kept_and_only_lone_events_are_added() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    step_to_event(&mut review, &mut s, "killing");
    decide(&mut review, &mut s, Verdict::AcceptA);
    let events = gold_events(&s).len();
    review.set_layers(
        &s,
        ReviewLayers {
            a: LayerId::Gold,
            b: LayerId::Annotator("bilal".into()),
        },
    );
    let killing = review
        .frame_items()
        .iter()
        .find(|i| {
            let d = &s.project.documents[0];
            i.a.is_some() && i.b.is_some() && d.slice(i.range.start, i.range.end) == Some("killing")
        })
        .cloned()
        .expect("gold's killing against bilal's");
    review.set_current(Entry::Frame(killing.key()));
    let taken_over = review.decide(&mut s, Verdict::AcceptB, "reviewer", Timestamp::UNIX_EPOCH);
    assert!(matches!(
        taken_over,
        Err(ReviewActionError::Review(ReviewError::GoldEvent))
    ));
    decide(&mut review, &mut s, Verdict::AcceptA);
    assert_eq!(
        gold_events(&s).len(),
        events,
        "gold's version kept, not copied"
    );
    // bilal's "attacked" event, which gold lacks, can be added.
    let lone = review
        .frame_items()
        .iter()
        .find(|i| i.a.is_none())
        .cloned()
        .expect("an event only bilal has");
    review.set_current(Entry::Frame(lone.key()));
    decide(&mut review, &mut s, Verdict::AcceptB);
    assert_eq!(gold_events(&s).len(), events + 1);
}
