//! Selecting and labelling: word snapping, Alt for exact characters, emoji and Urdu offsets, sticky mode, click cycling, edit keys, undo/redo, Done.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use spanmark::model::DocStatus;

use crate::common::*;

#[test]
fn drag_snaps_to_words_and_a_key_labels_it() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    // From inside "Bannu" to inside "terrorists": snaps out to both whole words.
    drag(&mut h, b + 2, cp(TEXT, "terrorists") + 3, Modifiers::NONE);
    assert_eq!(
        h.state().session.selection,
        Some(b..cp(TEXT, "terrorists") + 10)
    );
    type_key(&mut h, "2");
    assert_eq!(
        spans(&h),
        [("ACTOR".into(), "Bannu, terrorists".into(), 3, 20)]
    );
}

#[test]
fn alt_drag_selects_exact_characters() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    drag(&mut h, b + 1, b + 4, Modifiers::ALT);
    type_key(&mut h, "1");
    assert_eq!(spans(&h), [("LOCATION".into(), "ann".into(), b + 1, b + 4)]);
}

#[test]
fn word_right_after_an_emoji_gets_code_point_offsets() {
    let mut h = harness(&[TEXT]);
    let k = cp(TEXT, "Karak");
    drag(&mut h, k + 1, k + 3, Modifiers::NONE);
    type_key(&mut h, "1");
    let got = spans(&h);
    assert_eq!(got, [("LOCATION".into(), "Karak".into(), k, k + 5)]);
    // 🙂 is one code point: Karak starts right after it.
    assert_eq!(TEXT.chars().nth(k - 1), Some('🙂'));
}

#[test]
fn urdu_word_is_labelled_with_correct_offsets() {
    let mut h = harness(&[TEXT]);
    let u = cp(TEXT, "بنوں");
    drag(&mut h, u + 1, u + 2, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h), [("LOCATION".into(), "بنوں".into(), u, u + 4)]);
}

#[test]
fn sticky_label_labels_every_selection() {
    let mut h = harness(&[TEXT]);
    h.get_by_label("[1] LOCATION  (0)").click();
    h.run();
    assert_eq!(h.state().session.sticky_label.as_deref(), Some("LOCATION"));
    drag(
        &mut h,
        cp(TEXT, "Bannu") + 1,
        cp(TEXT, "Bannu") + 2,
        Modifiers::NONE,
    );
    drag(
        &mut h,
        cp(TEXT, "Karak") + 1,
        cp(TEXT, "Karak") + 2,
        Modifiers::NONE,
    );
    let labels: Vec<(String, String)> = spans(&h).into_iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(
        labels,
        [
            ("LOCATION".into(), "Bannu".into()),
            ("LOCATION".into(), "Karak".into())
        ]
    );
    key(&mut h, Key::Escape, Modifiers::NONE);
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert_eq!(h.state().session.sticky_label, None);
}

#[test]
fn clicks_cycle_through_nested_spans_and_keys_edit_them() {
    let mut h = harness(&[TEXT]);
    let ev = cp(TEXT, "attempted");
    drag(&mut h, ev, cp(TEXT, "official") + 8, Modifiers::ALT);
    type_key(&mut h, "3");
    let off = cp(TEXT, "official");
    drag(&mut h, off + 1, off + 6, Modifiers::NONE);
    type_key(&mut h, "2");
    key(&mut h, Key::Escape, Modifiers::NONE);

    click(&mut h, off + 3);
    let first = h.state().session.selected().unwrap().label.clone();
    click(&mut h, off + 3);
    let second = h.state().session.selected().unwrap().label.clone();
    assert_eq!(
        (first.as_str(), second.as_str()),
        ("ACTOR", "EVENT"),
        "innermost first, then outer"
    );

    // Relabel the EVENT as COUNT with its key, shrink its end by one word's worth, then delete it.
    type_key(&mut h, "4");
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an official")
    );
    for _ in 0..9 {
        key(&mut h, Key::ArrowLeft, Modifiers::ALT | Modifiers::SHIFT);
    }
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an")
    );
    key(&mut h, Key::ArrowRight, Modifiers::ALT | Modifiers::CTRL);
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "ttempted to abduct an")
    );
    key(&mut h, Key::Delete, Modifiers::NONE);
    assert_eq!(spans(&h).len(), 1);

    // Undo brings back every step in reverse (delete, start move, nine end moves); redo replays them.
    for _ in 0..11 {
        key(&mut h, Key::Z, Modifiers::COMMAND);
    }
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an official")
    );
    for _ in 0..5 {
        key(&mut h, Key::Z, Modifiers::COMMAND | Modifiers::SHIFT);
    }
    for _ in 0..4 {
        key(&mut h, Key::Y, Modifiers::COMMAND);
    }
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an")
    );
    key(&mut h, Key::Y, Modifiers::COMMAND);
    key(&mut h, Key::Y, Modifiers::COMMAND);
    assert_eq!(spans(&h).len(), 1);
    key(&mut h, Key::Y, Modifiers::COMMAND);
    assert!(
        h.state()
            .ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Nothing to redo")
    );
}

#[test]
fn duplicate_span_is_refused_with_a_message() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    drag(&mut h, b, b + 4, Modifiers::NONE);
    type_key(&mut h, "1");
    drag(&mut h, b + 1, b + 2, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h).len(), 1);
    let status = h.state().ui.status.as_ref().unwrap().text.clone();
    assert!(status.contains("exists already"), "{status}");
}

#[test]
fn ctrl_enter_marks_done_and_opens_the_next_document() {
    let mut h = harness(&["first text", "second text", "third text"]);
    key(&mut h, Key::Enter, Modifiers::COMMAND);
    let s = &h.state().session;
    assert_eq!(s.project.documents[0].status, DocStatus::Done);
    assert_eq!(s.doc_index(), 1);
    assert_eq!(h.state().session.document().unwrap().text(), "second text");
}

#[test]
fn tab_steps_through_spans_and_keys_work_after_clicking_a_button() {
    let text = "Bannu and Karak and Khyber";
    let mut h = harness(&[text]);
    // Clicking a palette button gives it keyboard focus; label keys must still work.
    h.get_by_label("[2] ACTOR  (0)").click();
    h.run();
    h.get_by_label("[2] ACTOR  (0)").click(); // second click turns sticky mode off again
    h.run();
    assert_eq!(h.state().session.sticky_label, None);
    for (a, b) in [(0, 5), (10, 15), (20, 26)] {
        drag(&mut h, a, b, Modifiers::NONE);
        type_key(&mut h, "1");
        key(&mut h, Key::Escape, Modifiers::NONE);
        key(&mut h, Key::Escape, Modifiers::NONE);
    }
    assert_eq!(spans(&h).len(), 3);
    let selected_text = |h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>| {
        let s = h.state().session.selected().unwrap();
        h.state()
            .session
            .document()
            .unwrap()
            .slice(s.start(), s.end())
            .unwrap()
            .to_string()
    };
    key(&mut h, Key::Tab, Modifiers::NONE);
    assert_eq!(selected_text(&h), "Bannu");
    key(&mut h, Key::Tab, Modifiers::NONE);
    assert_eq!(selected_text(&h), "Karak");
    key(&mut h, Key::Tab, Modifiers::SHIFT);
    assert_eq!(selected_text(&h), "Bannu");
}
