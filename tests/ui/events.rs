//! Linking spans into events from the keyboard and the mouse: a role's key
//! with the event selected, then a click on the span (or the key again for
//! the nearest candidate of the sentence); each link is one undo step.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};

use super::common::{click, cp, harness, key, settle, status, type_key};
use spanmark::model::LayerId;

const TEXT: &str = "Police said militants attacked a checkpost in Bannu on Monday.";

fn label(h: &mut egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>, word: &str, key_char: &str) {
    let start = cp(TEXT, word);
    let end = start + word.chars().count();
    h.state_mut().session.select_exact(start..end);
    h.run();
    type_key(h, key_char);
}

/// The sentence's two actors, its place and its event (selected last).
fn mark_sentence(h: &mut egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>) {
    label(h, "Police", "2");
    label(h, "militants", "2");
    label(h, "Bannu", "1");
    label(h, "attacked", "3");
}

fn frames(h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>) -> Vec<spanmark::model::Frame> {
    h.state()
        .session
        .document()
        .and_then(|d| d.layer(&LayerId::Annotator("tester".into())))
        .map(|l| l.frames().cloned().collect())
        .unwrap_or_default()
}

fn span_text(
    h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>,
    id: spanmark::model::SpanId,
) -> String {
    let d = h.state().session.document().unwrap();
    let s = d
        .layer(&LayerId::Annotator("tester".into()))
        .unwrap()
        .get(id)
        .unwrap();
    d.slice(s.start(), s.end()).unwrap().to_string()
}

#[test]
fn a_role_key_then_a_click_links_and_the_key_twice_takes_the_nearest() {
    let mut h = harness(&[TEXT]);
    mark_sentence(&mut h);
    assert!(
        h.state()
            .session
            .selected()
            .is_some_and(|s| s.label == "EVENT")
    );

    // a, then a click on "militants": the agent.
    type_key(&mut h, "a");
    assert!(
        status(&h).contains("The agent of “attacked”"),
        "{}",
        status(&h)
    );
    click(&mut h, cp(TEXT, "militants") + 2);
    settle(&mut h);
    let f = frames(&h);
    assert_eq!(f.len(), 1, "one frame on the event");
    let agents: Vec<String> = f[0].fillers("agent").map(|id| span_text(&h, id)).collect();
    assert_eq!(agents, ["militants"]);
    assert!(
        h.state()
            .session
            .selected()
            .is_some_and(|s| s.label == "EVENT"),
        "the event stays selected for the next role"
    );

    // l twice: the nearest LOCATION of the sentence, without the mouse.
    type_key(&mut h, "l");
    assert!(status(&h).contains("l again for “Bannu”"), "{}", status(&h));
    type_key(&mut h, "l");
    let f = frames(&h);
    let places: Vec<String> = f[0]
        .fillers("location")
        .map(|id| span_text(&h, id))
        .collect();
    assert_eq!(places, ["Bannu"]);

    // Esc cancels a waiting role; a click then selects as usual.
    type_key(&mut h, "t");
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(h.state().ui.linking.is_none());

    // Undo takes the links back one at a time.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(frames(&h)[0].fillers("location").count(), 0);
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(
        frames(&h).is_empty(),
        "the frame made by the first link goes with it"
    );
}

#[test]
fn a_role_refused_by_the_schema_says_why_and_changes_nothing() {
    let mut h = harness(&[TEXT]);
    label(&mut h, "Police", "2");
    label(&mut h, "attacked", "3");
    // c (count), then a click on an ACTOR: a count must be a COUNT span.
    type_key(&mut h, "c");
    click(&mut h, cp(TEXT, "Police") + 1);
    settle(&mut h);
    assert!(frames(&h).is_empty());
    assert!(
        status(&h).contains("Not linked: a span labelled ACTOR cannot fill role \"count\""),
        "{}",
        status(&h)
    );
}

#[test]
fn the_panel_suggests_the_nearest_candidate_and_enter_takes_it() {
    let mut h = harness(&[TEXT]);
    mark_sentence(&mut h);
    settle(&mut h);
    // The event panel lists this sentence's candidates for each open role,
    // nearest first: "militants" for the agent, offered to Enter.
    assert!(h.query_by_label("Event").is_some(), "the event panel shows");
    assert!(h.query_by_label("+ “militants”").is_some());
    assert_eq!(
        h.state()
            .ui
            .event_hints
            .suggested
            .as_ref()
            .map(|(r, _)| r.as_str()),
        Some("agent")
    );
    key(&mut h, Key::Enter, Modifiers::NONE);
    settle(&mut h);
    let f = frames(&h);
    let agents: Vec<String> = f[0].fillers("agent").map(|id| span_text(&h, id)).collect();
    assert_eq!(agents, ["militants"]);
    // Next the target: a span already in the event is not offered again.
    let (role, span) = h.state().ui.event_hints.suggested.clone().unwrap();
    assert_eq!(
        (role.as_str(), span_text(&h, span).as_str()),
        ("target", "Police")
    );
    // Clicking a candidate fills its role: the location.
    h.get_by_label("+ “Bannu”").click();
    settle(&mut h);
    let f = frames(&h);
    let places: Vec<String> = f[0]
        .fillers("location")
        .map(|id| span_text(&h, id))
        .collect();
    assert_eq!(places, ["Bannu"]);
    // The slot is listed with its text; undo takes the click's link back.
    assert!(h.query_by_label("“Bannu”").is_some());
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(frames(&h)[0].fillers("location").count(), 0);
    assert_eq!(frames(&h)[0].fillers("agent").count(), 1);
}

#[test]
fn done_asks_first_while_a_required_role_is_empty() {
    use spanmark::model::{Cardinality, DocStatus};
    let mut project = super::common::project(&[TEXT, "A second report."]);
    for role in &mut project.schema.events.roles {
        if role.name == "target" {
            role.cardinality = Cardinality::AtLeastOne;
        }
    }
    let mut h =
        super::common::harness_with(spanmark::ui::SpanmarkApp::new(project, None).with_dialogs(
            Box::new(spanmark::ui::file_dialogs::ScriptedDialogs::default()),
        ));
    label(&mut h, "militants", "2");
    label(&mut h, "attacked", "3");
    type_key(&mut h, "a");
    click(&mut h, cp(TEXT, "militants") + 2);
    settle(&mut h);
    assert_eq!(frames(&h).len(), 1);
    let status_of_first = |h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>| {
        h.state().session.project.documents[0].status
    };
    key(&mut h, Key::Enter, Modifiers::COMMAND);
    settle(&mut h);
    assert!(
        matches!(
            h.state().ui.dialog,
            Some(spanmark::ui::app::Dialog::ShortRoles { .. })
        ),
        "a broken + role asks first"
    );
    assert!(h.query_by_label_contains("needs +").is_some());
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert_ne!(
        status_of_first(&h),
        DocStatus::Done,
        "cancel leaves it not done"
    );
    assert_eq!(h.state().session.doc_index(), 0);
    key(&mut h, Key::Enter, Modifiers::COMMAND);
    settle(&mut h);
    h.get_by_label("Mark done anyway").click();
    settle(&mut h);
    assert_eq!(status_of_first(&h), DocStatus::Done, "confirmed: done");
    assert_eq!(h.state().session.doc_index(), 1, "and on to the next");
}

#[test]
fn a_drag_from_the_event_handle_to_a_span_offers_its_roles_and_the_arcs_stay_off_the_text() {
    let mut h = harness(&[TEXT]);
    mark_sentence(&mut h);
    settle(&mut h);
    let handle = h
        .state()
        .view
        .arcs
        .handle
        .expect("the selected event shows its handle");
    let target = h.state().view.char_centre(cp(TEXT, "Bannu") + 2).unwrap();
    super::common::drag_between(&mut h, handle, target, Modifiers::NONE);
    let menu = h.state().ui.role_menu.clone().expect("the role menu opens");
    assert_eq!(span_text(&h, menu.filler), "Bannu");
    // Only the roles that take a LOCATION can be chosen.
    assert!(h.get_by_label("agent  [a]").accesskit_node().is_disabled());
    assert!(
        !h.get_by_label("location  [l]")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label("location  [l]").click();
    settle(&mut h);
    assert!(h.state().ui.role_menu.is_none());
    let f = frames(&h);
    let places: Vec<String> = f[0]
        .fillers("location")
        .map(|id| span_text(&h, id))
        .collect();
    assert_eq!(places, ["Bannu"]);

    // The role's key works in the menu too: drag to "militants", press a.
    let handle = h.state().view.arcs.handle.unwrap();
    let target = h
        .state()
        .view
        .char_centre(cp(TEXT, "militants") + 2)
        .unwrap();
    super::common::drag_between(&mut h, handle, target, Modifiers::NONE);
    type_key(&mut h, "a");
    settle(&mut h);
    let f = frames(&h);
    let agents: Vec<String> = f[0].fillers("agent").map(|id| span_text(&h, id)).collect();
    assert_eq!(agents, ["militants"]);
    assert!(h.state().ui.role_menu.is_none());

    // The selected event's arcs: one per slot, labelled with the role, and
    // no arc crosses a line of text.
    let arcs = &h.state().view.arcs;
    let mut roles: Vec<&str> = arcs.labels.iter().map(|(r, _)| r.as_str()).collect();
    roles.sort_unstable();
    assert_eq!(roles, ["agent", "location"]);
    assert!(
        arcs.segments.len() >= 6,
        "two arcs of three segments or more"
    );
    let text_bands = &h.state().view.painted.text;
    assert!(!text_bands.is_empty());
    for seg in &arcs.segments {
        for band in text_bands {
            assert!(
                !seg.intersects(band.shrink(0.5)),
                "arc segment {seg:?} crosses text band {band:?}"
            );
        }
    }

    // Undo takes the dragged link back.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(frames(&h)[0].fillers("agent").count(), 0);
}

#[test]
fn an_off_screen_end_is_a_marker_at_the_edge_that_jumps_there() {
    // A long document: the event at the top, its location far below.
    let filler = "Nothing happened on this quiet line at all.\n".repeat(120);
    let text = format!("Militants attacked a post.\n{filler}The post was in Bannu.\n");
    let mut h = harness(&[&text]);
    let mark =
        |h: &mut egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>, word: &str, k: &str| {
            let start = cp(&text, word);
            h.state_mut()
                .session
                .select_exact(start..start + word.chars().count());
            h.run();
            type_key(h, k);
        };
    mark(&mut h, "Bannu", "1");
    mark(&mut h, "attacked", "3");
    let bannu = h
        .state()
        .session
        .spans()
        .iter()
        .find(|s| s.label == "LOCATION")
        .unwrap()
        .id();
    h.state_mut()
        .session
        .fill_role(None, "location", bannu)
        .unwrap();
    h.state_mut().view.scroll_to(0);
    settle(&mut h);
    let markers = h.state().view.arcs.markers.clone();
    assert_eq!(markers.len(), 1, "{markers:?}");
    assert!(markers[0].0.contains("↓ location: Bannu"), "{markers:?}");
    h.event(eframe::egui::Event::PointerMoved(markers[0].1.center()));
    super::common::button(&mut h, markers[0].1.center(), true, Modifiers::NONE);
    super::common::button(&mut h, markers[0].1.center(), false, Modifiers::NONE);
    settle(&mut h);
    let shown = h.state().view.visible_range().unwrap();
    assert!(
        shown.contains(&cp(&text, "Bannu")),
        "the marker jumped to Bannu"
    );
}

/// Relabelling a span to a label its role does not take asks first: keep
/// the slot, or empty the role, in one undo step with the relabel.
#[test]
fn relabelling_a_filler_asks_whether_its_roles_stay() {
    let mut h = harness(&[TEXT]);
    mark_sentence(&mut h);
    type_key(&mut h, "l");
    type_key(&mut h, "l");
    assert_eq!(frames(&h)[0].fillers("location").count(), 1);
    let bannu = frames(&h)[0].fillers("location").next().unwrap();
    // Bannu as an ACTOR: location takes LOCATION only.
    h.state_mut().session.select_span(bannu);
    h.run();
    type_key(&mut h, "2");
    h.get_by_label("Relabel as ACTOR?");
    h.get_by_label_contains("location of event");
    h.get_by_label("Empty those roles").click();
    settle(&mut h);
    let label = |h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>| {
        h.state()
            .session
            .document()
            .and_then(|d| d.layer(&LayerId::Annotator("tester".into()))?.get(bannu))
            .map(|s| s.label.clone())
    };
    assert_eq!(label(&h).as_deref(), Some("ACTOR"));
    assert_eq!(frames(&h)[0].fillers("location").count(), 0);
    // One undo: the label and the slot come back together.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(label(&h).as_deref(), Some("LOCATION"));
    assert_eq!(frames(&h)[0].fillers("location").count(), 1);
    // Keeping the roles relabels and leaves the event as it was.
    h.state_mut().session.select_span(bannu);
    h.run();
    type_key(&mut h, "2");
    h.get_by_label("Keep the roles").click();
    settle(&mut h);
    assert_eq!(label(&h).as_deref(), Some("ACTOR"));
    assert_eq!(frames(&h)[0].fillers("location").count(), 1);
    // Cancel (Escape) leaves everything alone.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    h.state_mut().session.select_span(bannu);
    h.run();
    type_key(&mut h, "2");
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert_eq!(label(&h).as_deref(), Some("LOCATION"));
    assert!(h.state().ui.dialog.is_none());
}
