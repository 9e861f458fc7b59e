//! The label editor.

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::Queryable;

use crate::common::*;

#[test]
fn deleting_a_label_in_use_asks_and_is_undoable() {
    let text = "Bannu and Karak were attacked.";
    let mut h = harness(&[text]);
    drag(&mut h, 0, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::Escape, Modifiers::NONE); // dismiss the propagation offer, if any
    drag(&mut h, 10, 15, Modifiers::NONE);
    type_key(&mut h, "1");
    drag(&mut h, 21, 29, Modifiers::NONE);
    type_key(&mut h, "3");
    h.state_mut().ui.schema_editor.open = true;
    h.run();

    h.get_by_label("Delete LOCATION").click();
    h.run();
    assert!(
        h.query_by_label("2 spans in this project are labelled LOCATION.")
            .is_some()
    );
    h.get_by_label("Delete the label and its 2 spans").click();
    h.run();
    assert!(!h.state().session.project.schema.contains("LOCATION"));
    assert_eq!(
        spans(&h).iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["EVENT"]
    );
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(h.state().session.project.schema.contains("LOCATION"));
    assert_eq!(spans(&h).len(), 3);

    // Relabel instead: EVENT's spans become ACTOR (the default target is the first other label).
    h.get_by_label("Delete EVENT").click();
    h.run();
    h.get_by_label("Relabel them as").click();
    h.run();
    assert!(!h.state().session.project.schema.contains("EVENT"));
    let labels: Vec<String> = spans(&h).into_iter().map(|s| s.0).collect();
    assert_eq!(labels, ["LOCATION", "LOCATION", "LOCATION"]);
}

#[test]
fn adding_a_label_gives_it_the_next_free_key() {
    let mut h = harness(&["Bannu"]);
    drag(&mut h, 0, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    h.state_mut().ui.schema_editor.open = true;
    h.run();
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "New label");
    field.focus();
    h.run();
    type_text(&mut h, "WEAPON");
    h.get_by_label("Add label").click();
    h.run();
    let weapon = h
        .state()
        .session
        .project
        .schema
        .get("WEAPON")
        .cloned()
        .unwrap();
    assert_eq!(weapon.key, Some('5'));
    // The new label's key labels text.
    h.state_mut().ui.schema_editor.open = false;
    h.run();
    drag(&mut h, 0, 5, Modifiers::ALT);
    type_key(&mut h, "5");
    assert!(spans(&h).iter().any(|s| s.0 == "WEAPON"));
}
