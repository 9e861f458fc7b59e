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

#[test]
fn the_event_schema_is_edited_in_the_same_window_and_undone_in_steps() {
    let mut h = harness(&["Police killed two in Bannu."]);
    h.state_mut().ui.schema_editor.open = true;
    h.run();
    let events = |h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>| {
        h.state().session.project.schema.events.clone()
    };
    // A new role takes the labels that do not name events.
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "New role");
    field.focus();
    h.run();
    type_text(&mut h, "victim");
    h.get_by_label("Add role").click();
    h.run();
    let victim = events(&h).role("victim").cloned().expect("added");
    assert_eq!(victim.labels, ["LOCATION", "ACTOR", "COUNT"]);
    // A new event type, then taking one out.
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "New event type");
    field.focus();
    h.run();
    type_text(&mut h, "Abduction");
    h.get_by_label("Add event type").click();
    h.run();
    assert_eq!(
        events(&h).event_types.last().map(String::as_str),
        Some("Abduction")
    );
    h.get_by_label("Riots ✕").click();
    h.run();
    assert!(!events(&h).event_types.iter().any(|t| t == "Riots"));
    // A role's key: one another role has is refused with the reason.
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Key of agent");
    field.focus();
    h.run();
    key(&mut h, Key::End, Modifiers::NONE);
    key(&mut h, Key::Backspace, Modifiers::NONE);
    assert_eq!(events(&h).role("agent").unwrap().key, None);
    type_text(&mut h, "t");
    assert!(
        status(&h).contains("fills role \"target\""),
        "{}",
        status(&h)
    );
    assert_eq!(events(&h).role("agent").unwrap().key, None);
    type_text(&mut h, "g");
    assert_eq!(events(&h).role("agent").unwrap().key, Some('g'));
    // Closed, so the undo key goes to the project, not to the key field.
    h.state_mut().ui.schema_editor.open = false;
    h.run();
    key(&mut h, Key::Z, Modifiers::COMMAND);
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(events(&h).role("agent").unwrap().key, Some('a'));
    // Each change was its own step.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(events(&h).event_types.iter().any(|t| t == "Riots"));
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(!events(&h).event_types.iter().any(|t| t == "Abduction"));
    assert!(events(&h).role("victim").is_some());
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(events(&h).role("victim").is_none());
}
