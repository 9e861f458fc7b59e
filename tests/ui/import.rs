//! File → Import annotations…: another tool's files read on a worker, added
//! as one undoable step, and bad files refused with their location.

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use spanmark::model::LayerId;
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use crate::common::*;

fn import_file(file: std::path::PathBuf) -> Harness<'static, SpanmarkApp> {
    let dialogs = ScriptedDialogs {
        files: vec![file],
        ..Default::default()
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import annotations (brat, doccano, …)…")
        .click();
    h.run();
    // doccano is the default format; the layer is named in the form.
    h.get_by_label("Layer").click();
    h.run();
    type_text(&mut h, "zainab");
    h.get_by_label("Choose files…").click();
    h.run();
    h.get_by_label("Import").click();
    h.step();
    wait_for(&mut h, |h| h.state().ui.import.result.is_some());
    h.run();
    h
}

#[test]
fn a_doccano_file_becomes_a_layer_on_the_same_text_and_undo_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("colleague.jsonl");
    // Code-point offsets after CRLF and an astral emoji: "Karak" and the Urdu place name.
    let (k, u) = (cp(TEXT, "Karak"), cp(TEXT, "بنوں"));
    let line = serde_json::json!({
        "text": TEXT,
        "label": [[k, k + 5, "LOCATION"], [u, u + 4, "LOCATION"]],
    });
    std::fs::write(&file, format!("{line}\n")).unwrap();
    let mut h = import_file(file);
    let summary = h.state().ui.import.result.clone().unwrap().unwrap();
    assert!(summary.contains("imported 2 span(s)"), "{summary}");
    let doc = &h.state().session.project.documents[0];
    let layer = doc.layer(&LayerId::Annotator("zainab".into())).unwrap();
    let texts: Vec<&str> = layer
        .iter()
        .map(|s| doc.slice(s.start(), s.end()).unwrap())
        .collect();
    assert_eq!(texts, ["Karak", "بنوں"]);
    assert_eq!(h.state().session.project.documents.len(), 1);
    // Close the window, then one undo takes the whole import back.
    h.get_by_label("Close window").click();
    h.run();
    key(&mut h, Key::Z, Modifiers::COMMAND);
    let doc = &h.state().session.project.documents[0];
    assert!(doc.layer(&LayerId::Annotator("zainab".into())).is_none());
}

#[test]
fn a_span_past_its_text_is_refused_with_its_location_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.jsonl");
    let line = serde_json::json!({"text": "Bannu", "label": [[0, 9, "LOCATION"]]});
    std::fs::write(&file, format!("{line}\n")).unwrap();
    let h = import_file(file);
    let err = h.state().ui.import.result.clone().unwrap().unwrap_err();
    assert!(err.contains("broken.jsonl line 1"), "{err}");
    assert!(h.query_by_label_contains("Not imported:").is_some());
    assert!(!h.state().session.is_dirty());
    assert_eq!(h.state().session.project.documents.len(), 1);
}
