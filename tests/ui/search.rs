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

    h.get_by_label("Label all matches").click();
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
    h.get_by_label("Label all matches").click();
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
