//! A document's date (its `event_date`): typed, checked as typed, offered
//! from the text's dateline, set from the keyboard or the documents panel,
//! and undone in one step.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use jiff::civil::date;

use super::common::*;

const DATELINE: &str =
    "PESHAWAR, March 14, 2025: Police said “four militants” were killed in Bannu 🙂.";

fn date_of(
    h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>,
    i: usize,
) -> Option<jiff::civil::Date> {
    h.state().session.project.documents[i].date
}

#[test]
fn a_date_is_typed_checked_set_and_undone() {
    let mut h = harness(&[DATELINE]);
    key(&mut h, Key::D, Modifiers::COMMAND | Modifiers::SHIFT);
    assert!(h.state().ui.document_date.is_open());
    // A day that does not exist is refused, with the reason, and Enter keeps the dialog.
    type_text(&mut h, "2025-02-29");
    assert!(
        h.query_by_label_contains("February 2025 has 28 days")
            .is_some()
    );
    key(&mut h, Key::Enter, Modifiers::NONE);
    assert!(h.state().ui.document_date.is_open());
    assert_eq!(date_of(&h, 0), None);
    // The typing keys stay in the field: no label key, no span.
    assert!(spans(&h).is_empty());

    // The dateline's date is offered; taking it and pressing the button sets it.
    h.get_by_label("Use it").click();
    h.run();
    h.get_by_label("Set the date").click();
    h.run();
    assert!(!h.state().ui.document_date.is_open());
    assert_eq!(date_of(&h, 0), Some(date(2025, 3, 14)));
    assert!(status(&h).contains("dated 2025-03-14"), "{}", status(&h));
    assert!(
        h.query_by_label("2025-03-14").is_some(),
        "the documents panel shows it"
    );

    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(date_of(&h, 0), None, "one undo step");
}

#[test]
fn the_documents_panel_dates_the_document_it_was_opened_on() {
    let mut h = harness(&[TEXT, DATELINE]);
    h.get_by_label_contains("Document 1  (0)").click_secondary();
    h.run();
    h.get_by_label_contains("Date of the document…").click();
    h.run();
    assert!(h.state().ui.document_date.is_open());
    type_text(&mut h, "2024-02-29");
    key(&mut h, Key::Enter, Modifiers::NONE);
    assert_eq!(date_of(&h, 1), Some(date(2024, 2, 29)), "a leap day");
    assert_eq!(date_of(&h, 0), None, "not the open document");

    // Emptying the field clears the date.
    h.get_by_label_contains("Document 1  (0)").click_secondary();
    h.run();
    h.get_by_label_contains("Date of the document…").click();
    h.run();
    for _ in 0.."2024-02-29".len() {
        key(&mut h, Key::Backspace, Modifiers::NONE);
    }
    h.get_by_label("Clear the date").click();
    h.run();
    assert_eq!(date_of(&h, 1), None);
}
