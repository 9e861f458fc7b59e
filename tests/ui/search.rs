//! Search, label all, and the propagation offer.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::common::*;

#[test]
fn search_steps_through_matches_and_labels_all_in_one_undo() {
    let text = "Bannu police; later in bannu. Bannuwal is not Bannu.";
    let mut h = harness(&[text, "Nothing about Bannu here? Bannu!"]);
    key(&mut h, Key::F, Modifiers::COMMAND);
    type_text(&mut h, "bannu");
    assert_eq!(
        h.state().ui.search.hits.len(),
        4,
        "case-insensitive, not whole word"
    );
    h.get_by_label("Whole word").click();
    h.run();
    assert_eq!(h.state().ui.search.hits.len(), 3);
    assert!(h.query_by_label("1 of 3").is_some());
    h.get_by_label("Next").click();
    h.run();
    assert!(h.query_by_label("2 of 3").is_some());
    assert_eq!(h.state().session.selection(), Some(23..28));

    h.get_by_label("Label 3 matches as").click();
    h.run();
    // Nothing is labelled before the matches are seen and confirmed.
    assert!(spans_in(&h, 0).is_empty());
    assert!(h.query_by_label("3 of 3 ticked").is_some());
    h.get_by_label("Label 3 as LOCATION").click();
    h.run();
    assert_eq!(spans_in(&h, 0).len(), 3);
    assert!(spans_in(&h, 0).iter().all(|s| s.0 == "LOCATION"));
    assert!(spans_in(&h, 1).is_empty(), "this document only");
    let status = h.state().ui.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("Labelled 3 matches as LOCATION"),
        "{status}"
    );

    // Again, across all documents: existing spans are skipped, the other document gains two.
    h.get_by_label("In all documents").click();
    h.run();
    h.get_by_label("Label the matches in all documents as")
        .click();
    h.run();
    assert_eq!(h.state().ui.label_all.counts(), Some((2, 5)));
    assert_eq!(
        h.query_all_by_label("(already labelled)").count(),
        3,
        "the three labelled before start unticked"
    );
    h.get_by_label("Label 2 as LOCATION").click();
    h.run();
    assert_eq!(spans_in(&h, 0).len(), 3);
    assert_eq!(
        spans_in(&h, 1),
        [
            ("LOCATION".into(), "Bannu".into()),
            ("LOCATION".into(), "Bannu".into())
        ]
    );
    // One undo takes back the whole batch.
    h.get_by_label("Close").click();
    h.run();
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(spans_in(&h, 1).is_empty());
    assert_eq!(spans_in(&h, 0).len(), 3);
}

#[test]
fn regex_search_reports_a_bad_pattern() {
    let mut h = harness(&["four militants and 15 militants"]);
    key(&mut h, Key::F, Modifiers::COMMAND);
    h.get_by_label("Regex").click();
    h.run();
    // Ctrl+F again puts the cursor back in the search field.
    key(&mut h, Key::F, Modifiers::COMMAND);
    type_text(&mut h, r"\w+ militants");
    assert_eq!(h.state().ui.search.hits, [0..14, 19..31]);
    type_text(&mut h, "(");
    assert!(h.state().ui.search.error.is_some());
    assert!(h.state().ui.search.hits.is_empty());
}

#[test]
fn propagation_offer_is_accepted_with_enter_and_dismissed_with_esc() {
    let text = "Bannu police said Bannu was calm. Karak too; Karak and Bannu.";
    let mut h = harness(&[text]);
    drag(&mut h, 1, 3, Modifiers::NONE);
    type_key(&mut h, "1");
    let offer = h
        .state()
        .session
        .offer()
        .cloned()
        .expect("an offer after labelling");
    assert_eq!((offer.text.as_str(), offer.ranges.len()), ("Bannu", 2));
    assert!(
        h.query_by_label("Also label the 2 other occurrences of “Bannu” as LOCATION?")
            .is_some()
    );
    key(&mut h, Key::Enter, Modifiers::NONE);
    assert_eq!(spans(&h).iter().filter(|s| s.1 == "Bannu").count(), 3);
    assert!(h.state().session.offer().is_none());

    let k = cp(text, "Karak");
    drag(&mut h, k + 1, k + 3, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(h.state().session.offer().map(|o| o.ranges.len()), Some(1));
    assert!(
        h.query_by_label("Also label the 1 other occurrence of “Karak” as LOCATION?")
            .is_some()
    );
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(h.state().session.offer().is_none());
    assert_eq!(
        spans(&h).iter().filter(|s| s.1 == "Karak").count(),
        1,
        "dismissed: nothing added"
    );
}

#[test]
fn label_matches_shows_each_in_context_and_leaves_nested_ones_unticked() {
    let text = "Fitna al-Khawarij claimed the attack.\nLater the Khawarij fled to Bannu.";
    let mut h = harness(&[text]);
    let s = cp(text, "Fitna al-Khawarij");
    drag(
        &mut h,
        s,
        s + "Fitna al-Khawarij".chars().count(),
        Modifiers::NONE,
    );
    type_key(&mut h, "2");
    assert_eq!(
        spans_in(&h, 0),
        [("ACTOR".into(), "Fitna al-Khawarij".into())]
    );
    key(&mut h, Key::Escape, Modifiers::NONE);
    key(&mut h, Key::F, Modifiers::COMMAND);
    type_text(&mut h, "Khawarij");
    h.get_by_label("Whole word").click();
    h.run();
    // Choose ACTOR for the label.
    h.get_by_label("Label for the matches").click();
    h.run();
    h.get_by_label("ACTOR").click();
    h.run();
    h.get_by_label("Label 2 matches as").click();
    h.run();
    // Each match in its context; the one inside the ACTOR span starts unticked.
    assert!(
        h.query_by_label("(inside ACTOR “Fitna al-Khawarij”)")
            .is_some()
    );
    assert!(h.query_by_label_contains("Later the ").is_some());
    assert!(h.query_by_label_contains(" fled to Bannu").is_some());
    assert_eq!(h.state().ui.label_all.counts(), Some((1, 2)));
    h.get_by_label("Label 1 as ACTOR").click();
    h.run();
    assert_eq!(
        spans_in(&h, 0),
        [
            ("ACTOR".into(), "Fitna al-Khawarij".into()),
            ("ACTOR".into(), "Khawarij".into())
        ]
    );
    let starts: Vec<usize> = spans(&h).iter().map(|s| s.2).collect();
    assert_eq!(starts, [0, cp(text, "Khawarij fled")], "not the nested one");
    // One undo takes it back; Esc closes the preview without labelling.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(spans_in(&h, 0).len(), 1);
    h.get_by_label("Label 2 matches as").click();
    h.run();
    assert!(h.state().ui.label_all.is_open());
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(!h.state().ui.label_all.is_open());
    assert_eq!(spans_in(&h, 0).len(), 1);
}

#[test]
fn find_scrolls_to_the_first_match_as_you_type() {
    let mut text = String::new();
    for i in 0..400 {
        text.push_str(&format!(
            "Line {i}: security forces patrolled the district.\n"
        ));
    }
    text.push_str("At last the Peshawar police answered.\n");
    let mut h = harness(&[&text]);
    assert_eq!(h.state().view.scroll_offset(), 0.0);
    key(&mut h, Key::F, Modifiers::COMMAND);
    type_text(&mut h, "Peshawar");
    h.run_steps(3);
    let hit = cp(&text, "Peshawar");
    assert!(
        h.state().view.scroll_offset() > 1000.0,
        "the view moved down"
    );
    assert!(
        h.state().view.screen_pos(hit).is_some(),
        "the match is on screen while the query is typed"
    );
}
