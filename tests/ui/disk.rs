//! The project file changed behind the app's back: saving asks first.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use crate::common::*;

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    spanmark::io::save_project(&project(&[TEXT]), &path).unwrap();
    let elsewhere = dir.path().join("mine.spanmark.json");
    let dialogs = ScriptedDialogs {
        save_as: Some(elsewhere.clone()),
        ..Default::default()
    };
    let app = SpanmarkApp::new(
        spanmark::io::load_project(&path).unwrap(),
        Some(path.clone()),
    )
    .with_dialogs(Box::new(dialogs));
    let mut h = harness_with(app);
    drag(&mut h, 4, 5, Modifiers::NONE);
    type_key(&mut h, "1");

    // A colleague's sync replaces the file.
    let theirs = spanmark::io::to_json_bytes(&project(&[TEXT, "their new document"]));
    std::fs::write(&path, &theirs).unwrap();

    key(&mut h, Key::S, Modifiers::COMMAND);
    assert!(h.query_by_label("The file changed on disk").is_some());
    assert_eq!(std::fs::read(&path).unwrap(), theirs, "not overwritten yet");

    // Cancel keeps both: their file, and the unsaved work here.
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.state().ui.dialog.is_none());
    assert!(h.state().session.is_dirty());
    assert_eq!(std::fs::read(&path).unwrap(), theirs);

    // Save as… writes elsewhere and leaves their file alone.
    key(&mut h, Key::S, Modifiers::COMMAND);
    h.get_by_label("Save as…").click();
    settle(&mut h);
    assert_eq!(std::fs::read(&path).unwrap(), theirs);
    assert_eq!(
        spanmark::io::load_project(&elsewhere).unwrap().documents[0].layers["tester"].len(),
        1
    );

    // Back on the changed file (Save As switched to the new path): Overwrite replaces it.
    h.state_mut().path = Some(path.clone());
    h.state_mut().disk_stamp = Some(spanmark::io::DiskStamp::read(&elsewhere).unwrap());
    key(&mut h, Key::S, Modifiers::COMMAND);
    assert!(h.query_by_label("The file changed on disk").is_some());
    assert_eq!(std::fs::read(&path).unwrap(), theirs);
    h.get_by_label("Overwrite").click();
    settle(&mut h);
    assert!(h.state().ui.dialog.is_none());
    let saved = spanmark::io::load_project(&path).unwrap();
    assert_eq!(saved.documents.len(), 1);
    assert_eq!(saved.documents[0].layers["tester"].len(), 1);
    // Their version is the backup.
    assert_eq!(
        std::fs::read(spanmark::io::atomic::backup_path(&path)).unwrap(),
        theirs
    );
    // Saving again, with nothing changed behind the app's back, does not ask.
    key(&mut h, Key::S, Modifiers::COMMAND);
    assert!(h.state().ui.dialog.is_none());
}

#[test]
fn saving_a_version_1_file_upgrades_it_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.spanmark.json");
    // A version-1 file: the current file without the event schema, version 1.
    let v2 = String::from_utf8(spanmark::io::to_json_bytes(&project(&[TEXT]))).unwrap();
    let start = v2.find(",\n    \"events\"").unwrap();
    let line_end = |from: usize| from + v2[from..].find('\n').unwrap();
    let end = line_end(line_end(start) + 1);
    let v1 = format!("{}{}", &v2[..start], &v2[end..]).replace("\"version\": 2", "\"version\": 1");
    std::fs::write(&path, &v1).unwrap();

    let app = SpanmarkApp::new(spanmark::model::Project::new(Default::default()), None)
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .opening(path.clone());
    let mut h = harness_with(app);
    settle(&mut h);
    assert_eq!(h.state().path.as_deref(), Some(path.as_path()), "opened");
    drag(&mut h, 4, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::S, Modifiers::COMMAND);
    settle(&mut h);
    let said = status(&h);
    assert!(
        said.contains("upgraded from format version 1 to 2"),
        "the save says it upgraded the file: {said:?}"
    );
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("\"version\": 2") && written.contains("\"events\""));
    assert_eq!(
        spanmark::io::load_project(&path).unwrap().documents[0].span_count(),
        1
    );

    // The next save has nothing to upgrade.
    type_key(&mut h, "2");
    key(&mut h, Key::S, Modifiers::COMMAND);
    settle(&mut h);
    assert!(!status(&h).contains("upgraded"), "{}", status(&h));
}
