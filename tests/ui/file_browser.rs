//! Spanmark's own file dialog, used when the system cannot show one (no
//! desktop portal, no zenity): it must take a typed full path and Enter,
//! browse folders, remember the last one, and never pass for a cancel.

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_browser::path_field_id;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use crate::common::*;

fn no_system_dialog(texts: &[&str]) -> Harness<'static, SpanmarkApp> {
    let dialogs = ScriptedDialogs {
        unavailable: true,
        ..Default::default()
    };
    harness_with(SpanmarkApp::new(project(texts), None).with_dialogs(Box::new(dialogs)))
}

fn path_field_focused(h: &Harness<'_, SpanmarkApp>) -> bool {
    h.ctx.memory(|m| m.focused()) == Some(path_field_id())
}

/// Replaces the path field's text with `text` and presses Enter.
fn enter_path(h: &mut Harness<'_, SpanmarkApp>, text: &str) {
    key(h, Key::A, Modifiers::COMMAND);
    type_text(h, text);
    key(h, Key::Enter, Modifiers::NONE);
    settle(h);
}

#[test]
fn ctrl_s_on_an_untitled_project_saves_where_a_typed_full_path_says() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("بنوں report.spanmark.json");
    let mut h = no_system_dialog(&[TEXT]);
    drag(&mut h, 3, 8, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::S, Modifiers::COMMAND);
    assert!(h.state().ui.file_browser.is_open(), "our own dialog opens");
    assert!(path_field_focused(&h), "its path field has the keyboard");
    assert!(
        h.query_by_label("Save the project as").is_some(),
        "it says what it is for"
    );

    enter_path(&mut h, &target.display().to_string());
    assert!(!h.state().ui.file_browser.is_open());
    assert_eq!(h.state().path.as_deref(), Some(target.as_path()));
    assert!(!h.state().session.is_dirty());
    let saved = spanmark::io::load_project(&target).unwrap();
    assert_eq!(saved.documents[0].layers["tester"].len(), 1);
    assert_eq!(
        h.state().settings.last_folder.as_deref(),
        Some(dir.path()),
        "the folder is remembered"
    );

    // The next dialog starts in the remembered folder.
    key(&mut h, Key::O, Modifiers::COMMAND);
    assert_eq!(h.state().ui.file_browser.folder(), Some(dir.path()));
}

#[test]
fn a_name_without_an_ending_is_saved_as_a_project_in_the_folder_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = no_system_dialog(&[TEXT]);
    key(&mut h, Key::S, Modifiers::COMMAND);
    enter_path(&mut h, &dir.path().display().to_string());
    assert_eq!(
        h.state().ui.file_browser.folder(),
        Some(dir.path()),
        "a folder typed and Enter goes into it"
    );
    assert!(h.state().session.is_dirty() || h.state().path.is_none());
    enter_path(&mut h, "karak");
    let expected = dir.path().join("karak.spanmark.json");
    assert_eq!(h.state().path.as_deref(), Some(expected.as_path()));
    spanmark::io::load_project(&expected).unwrap();
}

#[test]
fn saving_over_an_existing_file_asks_to_replace_it_first() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("taken.spanmark.json");
    std::fs::write(&target, b"not mine").unwrap();
    let mut h = no_system_dialog(&[TEXT]);
    key(&mut h, Key::S, Modifiers::COMMAND);
    enter_path(&mut h, &target.display().to_string());
    assert!(h.state().ui.file_browser.is_open());
    assert!(
        h.query_by_label_contains("already exists. Replace it?")
            .is_some()
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"not mine");
    h.get_by_label("Replace").click();
    settle(&mut h);
    assert_eq!(h.state().path.as_deref(), Some(target.as_path()));
    spanmark::io::load_project(&target).unwrap();
}

#[test]
fn escape_cancels_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = no_system_dialog(&[TEXT]);
    key(&mut h, Key::S, Modifiers::COMMAND);
    key(&mut h, Key::A, Modifiers::COMMAND);
    type_text(
        &mut h,
        &dir.path().join("x.spanmark.json").display().to_string(),
    );
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(!h.state().ui.file_browser.is_open());
    assert!(h.state().path.is_none());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn open_lists_projects_and_opens_one_by_double_click() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.spanmark.json");
    spanmark::io::save_project(&project(&["another project"]), &other).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a project").unwrap();
    std::fs::create_dir(dir.path().join("older")).unwrap();
    let mut h = no_system_dialog(&[TEXT]);
    h.state_mut().settings.last_folder = Some(dir.path().to_path_buf());
    key(&mut h, Key::O, Modifiers::COMMAND);
    assert!(
        h.query_by_label_contains("older").is_some(),
        "folders are listed"
    );
    assert!(
        h.query_by_label_contains("notes.txt").is_none(),
        "files outside the filter are not"
    );
    let row = h
        .get_by_label_contains("other.spanmark.json")
        .rect()
        .center();
    for _ in 0..2 {
        button(&mut h, row, true, Modifiers::NONE);
        button(&mut h, row, false, Modifiers::NONE);
    }
    settle(&mut h);
    assert_eq!(h.state().path.as_deref(), Some(other.as_path()));
    assert_eq!(
        h.state().session.document().unwrap().text(),
        "another project"
    );
}

#[test]
fn a_missing_file_is_said_and_the_dialog_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = no_system_dialog(&[TEXT]);
    key(&mut h, Key::O, Modifiers::COMMAND);
    enter_path(&mut h, &dir.path().join("gone.json").display().to_string());
    assert!(h.state().ui.file_browser.is_open());
    assert!(h.query_by_label_contains("There is no file").is_some());
}
