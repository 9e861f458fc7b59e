//! Review mode as a senior analyst uses it: compare two annotators (the
//! agreements go into gold as review starts), step through what is left with
//! N/P, decide each into gold with single keys (deciding moves on), undo,
//! swap the reference, see agreement figures, and import a colleague's copy.

use egui::Key;
use egui::Modifiers;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::model::{GoldSource, LayerId, Project, Span, Verdict};
use spanmark::review::align::Category;
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use super::common::{cp, harness_with, key, project, status};

const TEXT: &str = "In Bannu, the WSSP official met 15 militants near Karak police station.";

fn span(p: &mut Project, text: &str, needle: &str, label: &str) -> Span {
    let s = cp(text, needle);
    let e = s + needle.chars().count();
    let id = p.allocate_span_id();
    Span::new(
        id,
        s,
        e,
        label,
        text.chars().count(),
        jiff::Timestamp::UNIX_EPOCH,
    )
    .unwrap()
}

/// ayesha and bilal agree on Bannu, differ on the official's boundary, on the
/// label of "15 militants"; only ayesha marked Karak, only bilal "met".
fn review_project() -> Project {
    let mut p = project(&[TEXT, "A second report with no annotations."]);
    let a = LayerId::Annotator("ayesha".into());
    let b = LayerId::Annotator("bilal".into());
    p.ensure_annotator("ayesha");
    p.ensure_annotator("bilal");
    for (layer, needle, label) in [
        (&a, "Bannu", "LOCATION"),
        (&a, "WSSP official", "ACTOR"),
        (&a, "15 militants", "COUNT"),
        (&a, "Karak", "LOCATION"),
        (&b, "Bannu", "LOCATION"),
        (&b, "the WSSP official", "ACTOR"),
        (&b, "15 militants", "EVENT"),
        (&b, "met", "EVENT"),
    ] {
        let s = span(&mut p, TEXT, needle, label);
        p.documents[0].layer_mut(layer).insert(s).unwrap();
    }
    p
}

fn harness(p: Project, dialogs: ScriptedDialogs) -> Harness<'static, SpanmarkApp> {
    let mut app = SpanmarkApp::new(p, None).with_dialogs(Box::new(dialogs));
    app.set_annotator("reviewer".into());
    harness_with(app)
}

fn start_review(h: &mut Harness<'_, SpanmarkApp>) {
    h.get_by_label("Review").click();
    h.run();
    h.get_by_label("Review mode F7").click();
    h.run();
    assert!(h.state().ui.review.active());
}

const BANNU_BOTH: (&str, &str, GoldSource) = ("Bannu", "LOCATION", GoldSource::Both);

fn bannu() -> (String, String, GoldSource) {
    (BANNU_BOTH.0.into(), BANNU_BOTH.1.into(), BANNU_BOTH.2)
}

/// Gold of document 0 as (text, label, source).
fn gold(h: &Harness<'_, SpanmarkApp>) -> Vec<(String, String, GoldSource)> {
    let d = &h.state().session.project.documents[0];
    d.layer(&LayerId::Gold)
        .map(|g| {
            g.iter()
                .map(|s| {
                    (
                        d.slice(s.start(), s.end()).unwrap().to_string(),
                        s.label.clone(),
                        s.provenance().unwrap().source,
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn current(h: &Harness<'_, SpanmarkApp>) -> Category {
    h.state().ui.review.current_item().unwrap().category
}

#[test]
fn stepping_and_deciding_with_single_keys_builds_gold_with_provenance() {
    let mut h = harness(review_project(), ScriptedDialogs::default());
    start_review(&mut h);
    // The legend names all five categories; the layers default to the two annotators.
    for name in [
        "agree",
        "label conflict",
        "boundary conflict",
        "only in A",
        "only in B",
    ] {
        h.get_by_label(name);
    }
    // The one agreement went into gold as review started, and the status says so.
    assert_eq!(gold(&h), [bannu()]);
    assert!(
        status(&h).contains("1 agreed span copied to gold"),
        "{}",
        status(&h)
    );
    h.get_by_label("Undecided: 4 in this document, 4 in the project");

    key(&mut h, Key::N, Modifiers::NONE);
    assert_eq!(current(&h), Category::BoundaryConflict);
    key(&mut h, Key::B, Modifiers::NONE); // accept B: "the WSSP official"
    assert_eq!(
        gold(&h),
        [
            bannu(),
            ("the WSSP official".into(), "ACTOR".into(), GoldSource::B)
        ]
    );
    assert!(
        status(&h).starts_with("Accepted B; now on only in B"),
        "the status says the decision and where it moved: {}",
        status(&h)
    );
    let g = h.state().session.project.documents[0]
        .layer(&LayerId::Gold)
        .unwrap()
        .iter()
        .find(|s| s.label == "ACTOR")
        .unwrap()
        .clone();
    let prov = g.provenance().unwrap();
    assert_eq!(prov.annotators, ["bilal"]);
    assert_eq!(prov.reviewer, "reviewer");
    assert!(prov.at.is_some());

    // Deciding moved on to the next difference: "met", only in B. Reject it.
    assert_eq!(current(&h), Category::OnlyB);
    key(&mut h, Key::R, Modifiers::NONE);
    assert_eq!(gold(&h).len(), 2);
    // "15 militants": COUNT vs EVENT. Accept both.
    assert_eq!(current(&h), Category::LabelConflict);
    key(&mut h, Key::C, Modifiers::NONE);
    assert!(gold(&h).contains(&("15 militants".into(), "COUNT".into(), GoldSource::A)));
    assert!(gold(&h).contains(&("15 militants".into(), "EVENT".into(), GoldSource::B)));
    // Karak, only in A: edit it into gold and relabel it there as ACTOR (key 2).
    assert_eq!(current(&h), Category::OnlyA);
    key(&mut h, Key::E, Modifiers::NONE);
    super::common::type_key(&mut h, "2");
    assert!(gold(&h).contains(&("Karak".into(), "ACTOR".into(), GoldSource::Edited)));
    h.get_by_label("Undecided: 0 in this document, 0 in the project");
    let decisions: Vec<Verdict> = h.state().session.project.documents[0]
        .decisions
        .iter()
        .map(|d| d.verdict)
        .collect();
    assert_eq!(
        decisions,
        [
            Verdict::AcceptBoth,
            Verdict::AcceptB,
            Verdict::Reject,
            Verdict::AcceptBoth,
            Verdict::Edit
        ]
    );
    // The document list shows the document as adjudicated.
    h.get_by_label_contains("adjudicated");

    // P goes nowhere now, and says so.
    key(&mut h, Key::P, Modifiers::NONE);
    assert!(status(&h).contains("gold is complete"), "{}", status(&h));
}

#[test]
fn agreements_taken_out_of_gold_count_as_undecided_until_accepted_again() {
    let mut h = harness(review_project(), ScriptedDialogs::default());
    start_review(&mut h);
    let prov = h.state().session.project.documents[0]
        .layer(&LayerId::Gold)
        .unwrap()
        .iter()
        .next()
        .unwrap()
        .provenance()
        .cloned()
        .unwrap();
    assert_eq!(prov.annotators, ["ayesha", "bilal"]);
    // Undo takes the copied agreement out of gold: it counts as undecided,
    // so the count reaching zero still means gold is complete.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(gold(&h).is_empty());
    assert!(h.state().session.project.documents[0].decisions.is_empty());
    h.run();
    h.get_by_label("Undecided: 5 in this document, 5 in the project");
    h.get_by_label("Accept all agreements").click();
    h.run();
    assert_eq!(gold(&h), [bannu()]);
    h.run();
    h.get_by_label("Undecided: 4 in this document, 4 in the project");
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(gold(&h).is_empty());
    key(&mut h, Key::Z, Modifiers::COMMAND | Modifiers::SHIFT);
    assert_eq!(gold(&h).len(), 1);
    // With the agreement out of gold again, N visits it like any other item.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    let mut seen = Vec::new();
    for _ in 0..5 {
        key(&mut h, Key::N, Modifiers::NONE);
        seen.push(current(&h));
    }
    assert!(seen.contains(&Category::Agree), "{seen:?}");
}

#[test]
fn the_reference_layer_is_shown_and_can_be_swapped() {
    let mut h = harness(review_project(), ScriptedDialogs::default());
    start_review(&mut h);
    h.get_by_label("Reference: A (ayesha)");
    h.get_by_label("Swap A ⇄ B").click();
    h.run();
    h.run();
    h.get_by_label("Reference: A (bilal)");
    let layers = h.state().ui.review.layers().cloned().unwrap();
    assert_eq!(layers.a, LayerId::Annotator("bilal".into()));
    // Only-in-A is now bilal's "met", and only-in-B ayesha's "Karak".
    let mut only = std::collections::BTreeMap::new();
    for _ in 0..4 {
        key(&mut h, Key::N, Modifiers::NONE);
        let item = h.state().ui.review.current_item().unwrap().clone();
        let span = item.a.or(item.b).unwrap();
        let text = cp_text(span.start(), span.end());
        only.insert(format!("{:?}", item.category), text);
    }
    assert_eq!(only["OnlyA"], "met");
    assert_eq!(only["OnlyB"], "Karak");
}

fn cp_text(start: usize, end: usize) -> String {
    TEXT.chars().skip(start).take(end - start).collect()
}

#[test]
fn undo_takes_a_decision_back_and_redeciding_replaces_the_gold_copy() {
    let mut h = harness(review_project(), ScriptedDialogs::default());
    start_review(&mut h);
    key(&mut h, Key::N, Modifiers::NONE);
    key(&mut h, Key::A, Modifiers::NONE);
    assert_eq!(
        gold(&h),
        [
            bannu(),
            ("WSSP official".into(), "ACTOR".into(), GoldSource::A)
        ]
    );
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(gold(&h), [bannu()]);
    // Undone, the difference is open again: P goes back to it.
    key(&mut h, Key::P, Modifiers::NONE);
    assert_eq!(current(&h), Category::BoundaryConflict);
    key(&mut h, Key::A, Modifiers::NONE);
    assert_eq!(current(&h), Category::OnlyB);
    // Change the decision: click the decided item, then accept B instead.
    let pos = cp(TEXT, "WSSP");
    super::common::click(&mut h, pos);
    assert_eq!(current(&h), Category::BoundaryConflict);
    key(&mut h, Key::B, Modifiers::NONE);
    assert_eq!(
        gold(&h),
        [
            bannu(),
            ("the WSSP official".into(), "ACTOR".into(), GoldSource::B)
        ]
    );
}

#[test]
fn agreement_panel_shows_figures_and_a_heat_map_cell_jumps_to_its_spans() {
    let mut h = harness(review_project(), ScriptedDialogs::default());
    start_review(&mut h);
    h.get_by_label("Agreement…").click();
    // The figures are computed on a worker (a spinner repaints meanwhile);
    // the window shows them when they arrive.
    let _ = h.run_ok();
    super::common::wait_for(&mut h, |h| h.state().ui.review.agreement.is_some());
    h.run_steps(10);
    // 1 exact match of 4 spans each: P = R = F1 = 0.25.
    h.get_by_label_contains("Exact F1 0.250");
    h.get_by_label("F1 per label");
    h.get_by_label("COUNT in A, EVENT in B: 1").click();
    h.run();
    assert_eq!(current(&h), Category::LabelConflict);
    let item = h.state().ui.review.current_item().unwrap().clone();
    assert_eq!(item.a.unwrap().label, "COUNT");
    assert_eq!(item.b.unwrap().label, "EVENT");
}

#[test]
fn importing_a_colleagues_copy_adds_their_layer_and_asks_on_a_name_clash() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects");
    let mine =
        spanmark::io::load_project(&root.join("kp-wssp-abduction-attempt.spanmark.json")).unwrap();
    let theirs = root.join("kp-wssp-abduction-attempt.bilal.spanmark.json");
    let dialogs = ScriptedDialogs {
        open: Some(theirs),
        ..Default::default()
    };
    let mut h = harness(mine, dialogs);
    let layers = |h: &Harness<'_, SpanmarkApp>| -> Vec<String> {
        h.state().session.project.documents[0]
            .layers
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(layers(&h), ["ayesha.siddiqui"]);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import colleague's annotations…").click();
    super::common::settle(&mut h);
    h.get_by_label("Imported kp-wssp-abduction-attempt.bilal.spanmark.json");
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(layers(&h), ["ayesha.siddiqui", "bilal.ahmed"]);
    let spans = h.state().session.project.documents[0].layers["bilal.ahmed"].len();
    assert!(spans > 100);

    // The same again: the name is taken; keep both renames the new layer.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import colleague's annotations…").click();
    super::common::settle(&mut h);
    h.get_by_label("Annotator name already in use");
    h.get_by_label("Keep both").click();
    super::common::settle(&mut h);
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(
        layers(&h),
        ["ayesha.siddiqui", "bilal.ahmed", "bilal.ahmed (2)"]
    );
    // One undo step removes the whole import.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(layers(&h), ["ayesha.siddiqui", "bilal.ahmed"]);
}

#[test]
fn a_colleagues_events_come_with_the_import_and_the_agreement_window_compares_them() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects");
    let mine =
        spanmark::io::load_project(&root.join("kp-wssp-abduction-attempt.spanmark.json")).unwrap();
    let dialogs = ScriptedDialogs {
        open: Some(root.join("kp-wssp-abduction-attempt.bilal.spanmark.json")),
        ..Default::default()
    };
    let mut h = harness(mine, dialogs);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import colleague's annotations…").click();
    super::common::settle(&mut h);
    h.get_by_label("OK").click();
    h.run();
    let doc = &h.state().session.project.documents[0];
    assert_eq!(doc.layers["bilal.ahmed"].frames().len(), 17);
    // Every slot names a span of the colleague's layer (ids were remapped).
    let theirs = &doc.layers["bilal.ahmed"];
    assert!(
        theirs
            .frames()
            .flat_map(|f| f.spans())
            .all(|s| theirs.get(s).is_some())
    );
    // Review mode (F7) compares the two layers; F8 opens the figures.
    key(&mut h, Key::F7, Modifiers::NONE);
    assert!(h.state().ui.review.active());
    key(&mut h, Key::F8, Modifiers::NONE);
    let _ = h.run_ok();
    super::common::wait_for(&mut h, |h| h.state().ui.review.agreement.is_some());
    h.run_steps(10);
    h.get_by_label("Events (17 in A, 17 in B)");
    // The colleague left out one count ("four militants" is not a span there).
    h.get_by_label("Slots (exact): agree 40 · role conflict 0 · different span 0 · missing in A 0 · missing in B 1");
    h.get_by_label("Event type κ 1.000 over 17 paired events (100% the same)");
}

/// The sample merged with Bilal's copy, in review mode: the two
/// annotators differ on some spans and on one event's count.
fn reviewing_the_merged_sample() -> Harness<'static, SpanmarkApp> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-projects");
    let mut mine =
        spanmark::io::load_project(&root.join("kp-wssp-abduction-attempt.spanmark.json")).unwrap();
    let theirs =
        spanmark::io::load_project(&root.join("kp-wssp-abduction-attempt.bilal.spanmark.json"))
            .unwrap();
    spanmark::review::merge::merge_project(
        &mut mine,
        &theirs,
        None,
        spanmark::review::merge::OnCollision::Cancel,
    )
    .unwrap();
    let mut h = harness(mine, ScriptedDialogs::default());
    start_review(&mut h);
    h
}

/// Presses N over the span differences until the review is on the pair of
/// events that differs, and returns that pair.
fn step_to_the_event(
    h: &mut Harness<'_, SpanmarkApp>,
) -> spanmark::review::frame_adjudicate::FrameItem {
    for _ in 0..10 {
        if h.state().ui.review.current_frame_item().is_some() {
            break;
        }
        key(h, Key::N, Modifiers::NONE);
    }
    h.state()
        .ui
        .review
        .current_frame_item()
        .cloned()
        .expect("an event")
}

/// Reviewing events after the spans: the colleague's events that match are
/// copied into gold at the start; the one that differs (Bilal has no
/// "four militants" for the Bajaur event) is shown row by row, and
/// accepting Ayesha's version copies the count gold lacked.
#[test]
fn events_are_reviewed_after_the_spans_and_accepting_one_puts_it_into_gold() {
    let mut h = reviewing_the_merged_sample();
    let gold_events = |h: &Harness<'_, SpanmarkApp>| {
        h.state().session.project.documents[0]
            .layer(&LayerId::Gold)
            .map_or(0, |g| g.frames().len())
    };
    assert_eq!(gold_events(&h), 16, "the alike events are in gold already");
    // N steps over the span differences to the event.
    let item = step_to_the_event(&mut h);
    assert!(item.b.is_some() && item.a.is_some());
    h.run();
    h.get_by_label("event (1 slot differs)");
    h.get_by_label_contains("missing in B");
    // A takes Ayesha's event: the count comes along, copied into gold.
    key(&mut h, Key::A, Modifiers::NONE);
    assert_eq!(gold_events(&h), 17);
    let doc = &h.state().session.project.documents[0];
    let gold = doc.layer(&LayerId::Gold).unwrap();
    let bajaur = gold
        .frames()
        .find(|f| {
            f.provenance
                .as_ref()
                .is_some_and(|p| p.from == [item.a.as_ref().unwrap().id])
        })
        .expect("Ayesha's event in gold");
    let texts: Vec<String> = bajaur
        .slots
        .iter()
        .map(|s| {
            let sp = gold.get(s.span).unwrap();
            doc.slice(sp.start(), sp.end()).unwrap().to_string()
        })
        .collect();
    assert!(texts.contains(&"four militants".to_string()), "{texts:?}");
    assert!(h.state().ui.review.open_total() < 5);
    // One undo takes the event (and its copied count) back out.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(gold_events(&h), 16);
}

/// The rows of an event comparison are decided from the keyboard: Alt+Down
/// moves to a row, Shift+B takes B's version of it (here: no count), and
/// the event as a whole stays A's.
#[test]
fn a_row_of_an_event_is_decided_with_its_key() {
    let mut h = reviewing_the_merged_sample();
    let item = step_to_the_event(&mut h);
    let differing = item
        .rows
        .iter()
        .position(|r| r.b.is_none())
        .expect("the count B lacks");
    assert_eq!(
        h.state().ui.review.event_row(),
        Some(0),
        "the cursor starts on the first row"
    );
    // The text shows both versions' arcs: a slot both fill alike once,
    // untagged; what only A has tagged A (B has no count).
    let labels: Vec<String> = h
        .state()
        .view
        .arcs
        .labels
        .iter()
        .map(|(l, _)| l.clone())
        .collect();
    let markers: Vec<String> = h
        .state()
        .view
        .arcs
        .markers
        .iter()
        .map(|(l, _)| l.clone())
        .collect();
    let drawn = |role: &str| {
        labels.iter().any(|l| l == role) || markers.iter().any(|m| m.contains(&format!(" {role}:")))
    };
    assert!(
        drawn("A count") && drawn("target"),
        "{labels:?} {markers:?}"
    );
    assert!(
        !drawn("A target") && !drawn("B target") && !drawn("B count"),
        "{labels:?} {markers:?}"
    );
    // Up at the top stays there; down goes row by row.
    key(&mut h, Key::ArrowUp, Modifiers::ALT);
    assert_eq!(h.state().ui.review.event_row(), Some(0));
    for _ in 0..differing {
        key(&mut h, Key::ArrowDown, Modifiers::ALT);
    }
    assert_eq!(h.state().ui.review.event_row(), Some(differing));
    // B has no slot on that row: Shift+B says why and decides nothing.
    key(&mut h, Key::B, Modifiers::SHIFT);
    assert!(status(&h).contains("has no slot in B"), "{}", status(&h));
    assert!(
        h.state()
            .ui
            .review
            .current_frame_item()
            .unwrap()
            .decision
            .is_none()
    );
    // Shift+R takes neither: the event is A's without the count.
    key(&mut h, Key::R, Modifiers::SHIFT);
    let now = h.state().ui.review.current_frame_item().cloned().unwrap();
    let d = now.decision.as_ref().expect("decided");
    assert_eq!(d.verdict, spanmark::model::Verdict::AcceptA);
    assert_eq!(
        now.row_verdict(differing),
        Some(spanmark::model::Verdict::Reject)
    );
    assert_eq!(
        h.state().ui.review.event_row(),
        Some(differing),
        "the cursor stays"
    );
    let gold = h.state().session.project.documents[0]
        .layer(&LayerId::Gold)
        .unwrap();
    let frame = gold
        .frames()
        .find(|f| {
            f.provenance
                .as_ref()
                .is_some_and(|p| p.from.contains(&item.a.as_ref().unwrap().id))
        })
        .expect("the event in gold");
    assert!(frame.fillers("count").next().is_none(), "no count in gold");
    // The row's key letter typed is not a label or role key.
    assert_eq!(
        gold.frames().count(),
        17,
        "one event added, none made by the typed letters"
    );
}
