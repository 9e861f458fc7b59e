//! Session behaviour: labelling, undo, click cycling, propagation, Done → next.
use super::*;
use crate::model::LabelSchema;

fn session(texts: &[&str]) -> Session {
    let mut p = Project::new(LabelSchema::default());
    for (i, t) in texts.iter().enumerate() {
        p.add_document(Document::new(
            format!("d{i}"),
            format!("d{i}"),
            t.to_string(),
        ))
        .unwrap();
    }
    Session::new(p, "ayesha")
}

fn texts(s: &Session) -> Vec<(String, String)> {
    let d = s.document().unwrap();
    s.spans()
        .iter()
        .map(|sp| {
            (
                sp.label.clone(),
                d.slice(sp.start(), sp.end()).unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn label_snapped_selection_then_undo_redo() {
    let mut s = session(&["In Bannu, terrorists attempted to abduct"]);
    s.select_range(5, 14, false);
    assert_eq!(s.selection, Some(3..20)); // "Bannu, terrorists"
    s.select_range(4, 6, false);
    assert_eq!(
        s.label_selection("LOCATION"),
        LabelOutcome::Created(SpanId(1))
    );
    assert_eq!(texts(&s), [("LOCATION".to_string(), "Bannu".to_string())]);
    assert_eq!(s.document().unwrap().status, DocStatus::InProgress);
    assert!(s.is_dirty());
    s.select_range(3, 8, true);
    assert_eq!(s.label_selection("LOCATION"), LabelOutcome::Duplicate);
    // One undo takes back the span and the status change it brought.
    assert!(s.undo().unwrap());
    assert!(texts(&s).is_empty());
    assert_eq!(s.document().unwrap().status, DocStatus::Todo);
    assert!(!s.is_dirty(), "back at the saved state");
    assert!(s.redo().unwrap());
    assert!(s.is_dirty());
    s.mark_saved(s.revision());
    assert!(!s.is_dirty());
    assert_eq!(texts(&s).len(), 1);
    assert_eq!(s.document().unwrap().status, DocStatus::InProgress);
}

#[test]
fn click_cycles_nested_spans_innermost_first() {
    let mut s = session(&["attempted to abduct in Bannu today"]);
    s.select_range(0, 28, true);
    s.label_selection("EVENT");
    s.select_range(23, 28, true);
    s.label_selection("LOCATION");
    let inner = s.click_span_at(24).unwrap();
    let outer = s.click_span_at(24).unwrap();
    assert_eq!(s.click_span_at(24), Some(inner));
    assert_eq!(
        s.project.documents[0].layers["ayesha"]
            .get(inner)
            .unwrap()
            .label,
        "LOCATION"
    );
    assert_eq!(
        s.project.documents[0].layers["ayesha"]
            .get(outer)
            .unwrap()
            .label,
        "EVENT"
    );
    assert_eq!(s.click_span_at(2), Some(outer));
    assert_eq!(s.click_span_at(31), None);
}

#[test]
fn relabel_resize_delete_and_sticky_mode() {
    let mut s = session(&["four militants were killed"]);
    s.sticky_label = Some("COUNT".into());
    let made = s.select_range(1, 7, false);
    assert_eq!(made, Some(LabelOutcome::Created(SpanId(1))));
    assert_eq!(texts(&s), [("COUNT".into(), "four militants".into())]);
    assert_eq!(
        s.selected()
            .unwrap()
            .attributes()
            .get("value")
            .map(String::as_str),
        Some("4")
    );
    s.label_selection("ACTOR");
    assert_eq!(texts(&s)[0].0, "ACTOR");
    assert!(s.resize_selected(Edge::End, -10));
    assert_eq!(texts(&s)[0].1, "four");
    assert!(!s.resize_selected(Edge::End, -4), "cannot become empty");
    assert!(s.resize_selected(Edge::Start, 1));
    assert_eq!(texts(&s)[0].1, "our");
    assert!(s.delete_selected());
    assert!(texts(&s).is_empty());
    while s.undo().unwrap() {}
    assert!(texts(&s).is_empty() && s.document().unwrap().status == DocStatus::Todo);
}

#[test]
fn propagation_offer_labels_the_other_occurrences_in_one_step() {
    let mut s = session(&["Bannu police said Bannu was calm; Bannuwal and bannu too. Bannu."]);
    s.select_range(0, 5, true);
    s.label_selection("LOCATION");
    let offer = s.offer.clone().unwrap();
    assert_eq!(
        (
            offer.text.as_str(),
            offer.label.as_str(),
            offer.ranges.len()
        ),
        ("Bannu", "LOCATION", 2)
    );
    assert_eq!(s.accept_offer(), 2);
    assert!(s.offer.is_none());
    assert_eq!(texts(&s).iter().filter(|t| t.1 == "Bannu").count(), 3);
    s.undo().unwrap();
    assert_eq!(
        texts(&s).len(),
        1,
        "one undo takes back the whole propagation"
    );
}

#[test]
fn done_opens_next_unfinished_document() {
    let mut s = session(&["a", "b", "c"]);
    s.project.documents[1].status = DocStatus::Done;
    assert_eq!(s.mark_done_and_next(), Some(2));
    assert_eq!(s.mark_done_and_next(), None);
    assert_eq!(
        s.project
            .documents
            .iter()
            .filter(|d| d.status == DocStatus::Done)
            .count(),
        3
    );
}

#[test]
fn tab_steps_through_spans() {
    let mut s = session(&["Bannu and Karak and Khyber"]);
    for (a, b) in [(0, 5), (10, 15), (20, 26)] {
        s.select_range(a, b, true);
        s.label_selection("LOCATION");
    }
    s.clear_selection();
    let order: Vec<SpanId> = (0..4).filter_map(|_| s.step_span(true)).collect();
    assert_eq!(order, [SpanId(1), SpanId(2), SpanId(3), SpanId(1)]);
    assert_eq!(s.step_span(false), Some(SpanId(3)));
}

/// Labels `word` (its first occurrence) and returns the span's id.
fn mark(s: &mut Session, word: &str, label: &str) -> SpanId {
    let text = s.document().unwrap().text().to_string();
    let b = text.find(word).unwrap();
    let start = text[..b].chars().count();
    s.select_exact(start..start + word.chars().count());
    match s.label_selection(label) {
        LabelOutcome::Created(id) => id,
        other => panic!("{word}: {other:?}"),
    }
}

#[test]
fn filling_roles_of_the_selected_event_makes_one_frame_step_by_step() {
    use crate::model::event_schema::FrameProblem;
    let mut s = session(&[
        "Police said militants attacked a checkpost in Bannu. Two soldiers were injured in Karak.",
    ]);
    let police = mark(&mut s, "Police", "ACTOR");
    let militants = mark(&mut s, "militants", "ACTOR");
    let bannu = mark(&mut s, "Bannu", "LOCATION");
    let karak = mark(&mut s, "Karak", "LOCATION");
    let two = mark(&mut s, "Two soldiers", "COUNT");
    let attacked = mark(&mut s, "attacked", "EVENT");
    s.select_span(bannu);
    assert_eq!(
        s.fill_role(None, "agent", militants),
        Err(LinkRefused::NotATrigger("LOCATION".into()))
    );
    s.select_span(attacked);
    let frame = s.fill_role(None, "agent", militants).unwrap();
    assert_eq!(
        s.fill_role(None, "location", bannu),
        Ok(frame),
        "the same frame"
    );
    assert_eq!(s.frames_of_selected().len(), 1);
    let f = s.frames_of_selected()[0].clone();
    assert_eq!(f.fillers("agent").collect::<Vec<_>>(), [militants]);
    assert_eq!(f.fillers("location").collect::<Vec<_>>(), [bannu]);
    // A second location is refused (`?`), and so is an ACTOR as the count.
    assert!(matches!(
        s.fill_role(None, "location", karak),
        Err(LinkRefused::Schema(FrameProblem::TooMany { .. }))
    ));
    assert!(matches!(
        s.fill_role(None, "count", police),
        Err(LinkRefused::Schema(FrameProblem::LabelNotAllowed { .. }))
    ));
    assert_eq!(
        s.fill_role(None, "weapon", police),
        Err(LinkRefused::NoRole("weapon".into()))
    );
    s.set_event_type(frame, Some("Battles".into())).unwrap();
    assert!(s.set_event_type(frame, Some("Picnics".into())).is_err());
    // Candidates for the target: ACTORs of the same sentence, nearest first;
    // the count: nothing in this sentence ("Two soldiers" is in the next).
    // (The militants fill agent, not target: still a target candidate.)
    assert_eq!(
        s.role_candidates(attacked, Some(frame), "target"),
        [militants, police]
    );
    assert_eq!(s.role_candidates(attacked, Some(frame), "count"), []);
    assert_eq!(s.role_candidates(attacked, Some(frame), "agent"), [police]);
    let _ = two;

    // Each link was one step: undo takes them back in turn.
    s.empty_slot(frame, "agent", militants).unwrap();
    assert_eq!(s.frames_of_selected()[0].fillers("agent").count(), 0);
    s.undo().unwrap(); // the emptied slot comes back
    s.undo().unwrap(); // the event type goes
    s.undo().unwrap(); // the location goes
    assert_eq!(s.frames_of_selected()[0].slots.len(), 1);
    s.undo().unwrap(); // the frame goes
    assert!(s.frames_of_selected().is_empty());
}

#[test]
fn a_copied_layer_brings_its_frames_with_the_new_span_ids() {
    let mut s = session(&["Militants attacked a checkpost in Bannu."]);
    let militants = mark(&mut s, "Militants", "ACTOR");
    let bannu = mark(&mut s, "Bannu", "LOCATION");
    let attacked = mark(&mut s, "attacked", "EVENT");
    s.select_span(attacked);
    s.fill_role(None, "agent", militants).unwrap();
    s.fill_role(None, "location", bannu).unwrap();
    let from = s.layer_id();
    let copied = s.start_own_layer("bilal", Some(&from)).unwrap();
    assert_eq!(copied, 3);
    let d = s.document().unwrap();
    let copy = d.layer(&LayerId::Annotator("bilal".into())).unwrap();
    let frame = copy.frames().next().expect("the frame was copied");
    let text = |id: SpanId| {
        let sp = copy.get(id).expect("the copy's own span");
        d.slice(sp.start(), sp.end()).unwrap().to_string()
    };
    assert_eq!(text(frame.trigger), "attacked");
    let slots: Vec<(String, String)> = frame
        .slots
        .iter()
        .map(|sl| (sl.role.clone(), text(sl.span)))
        .collect();
    assert_eq!(
        slots,
        [
            ("agent".to_string(), "Militants".to_string()),
            ("location".to_string(), "Bannu".to_string())
        ]
    );
    let original = d.layer(&from).unwrap().frames().next().unwrap().clone();
    assert_ne!(original.id, frame.id, "the copy has ids of its own");
}

#[test]
fn a_second_wrong_filler_is_refused_even_when_the_frame_already_has_one() {
    use crate::model::event_schema::FrameProblem;
    let mut s = session(&["Police said two attackers and three guards died."]);
    let two = mark(&mut s, "two attackers", "COUNT");
    let three = mark(&mut s, "three guards", "COUNT");
    let died = mark(&mut s, "died", "EVENT");
    s.select_span(died);
    let frame = s.fill_role(None, "count", two).unwrap();
    // A kept wrong slot (as after a relabel): the target holds a COUNT span.
    let doc = s.document().unwrap().id.clone();
    let wrong = s.frames_of_selected()[0].clone().with_slot("target", two);
    s.apply(Command::ReplaceFrame {
        doc,
        layer: s.layer_id(),
        frame: wrong,
    })
    .unwrap();
    assert!(matches!(
        s.fill_role(Some(frame), "target", three),
        Err(LinkRefused::Schema(FrameProblem::LabelNotAllowed { .. }))
    ));
}

#[test]
fn one_verb_two_events_each_filled_and_typed_by_key() {
    let mut s = session(&["Four militants were killed in Bajaur and one in Khyber."]);
    let four = mark(&mut s, "Four militants", "COUNT");
    let bajaur = mark(&mut s, "Bajaur", "LOCATION");
    let one = mark(&mut s, "one", "COUNT");
    let khyber = mark(&mut s, "Khyber", "LOCATION");
    let killed = mark(&mut s, "killed", "EVENT");
    s.select_span(killed);
    // Nothing linked yet: the first role wanting a filler with a candidate
    // (agent and target have no ACTOR here) is the location, nearest first.
    assert_eq!(s.suggested_link(), Some(("location".into(), bajaur)));
    assert_eq!(
        s.accept_suggested_link().unwrap(),
        ("location".into(), bajaur)
    );
    assert_eq!(s.suggested_link(), Some(("count".into(), four)));
    s.accept_suggested_link().unwrap();
    let first = s.selected_frame().unwrap().id;
    // Location is full (`?`) and count has one: nothing more to offer.
    assert_eq!(s.suggested_link(), None);

    // A second event on the same trigger, focused and filled on its own.
    let second = s.add_event_on_selected().unwrap();
    assert_ne!(first, second);
    assert_eq!(s.selected_frame().unwrap().id, second);
    s.fill_role(None, "location", khyber).unwrap();
    s.fill_role(None, "count", one).unwrap();
    let frames: Vec<_> = s.frames_of_selected().into_iter().cloned().collect();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].fillers("location").collect::<Vec<_>>(), [bajaur]);
    assert_eq!(frames[1].fillers("location").collect::<Vec<_>>(), [khyber]);
    assert_eq!(frames[1].fillers("count").collect::<Vec<_>>(), [one]);

    // The focus steps between the trigger's events and wraps.
    assert_eq!(s.focus_next_frame(), Some(first));
    assert_eq!(s.focus_next_frame(), Some(second));

    // The type steps through the list and, past its end, back to none.
    let types = s.project.schema.events.event_types.clone();
    assert_eq!(s.step_event_type(true).unwrap(), Some(types[0].clone()));
    assert_eq!(s.step_event_type(false).unwrap(), None);
    assert_eq!(
        s.step_event_type(false).unwrap(),
        types.last().cloned(),
        "backwards from none wraps to the last type"
    );
    assert_eq!(
        s.frames_of_selected()[0].event_type,
        None,
        "the other event keeps its own"
    );

    // Removing the focused event leaves the other and the trigger.
    s.remove_selected_frame().unwrap();
    assert_eq!(s.frames_of_selected().len(), 1);
    assert_eq!(s.selected_frame().unwrap().id, first);
    s.undo().unwrap();
    assert_eq!(s.frames_of_selected().len(), 2);
}
