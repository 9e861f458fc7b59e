//! A project another writer holds opens read-only: a banner names who,
//! saving goes to Save as…, and the holder's file is never written.

use std::time::Duration;

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;

use spanmark::io::lock::{Holder, ProjectLock};
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use crate::common::*;

fn colleague() -> Holder {
    Holder {
        user: "ayesha".into(),
        host: "LAPTOP-7".into(),
        program: "Spanmark app".into(),
        pid: std::process::id(),
        since: "2026-12-01T10:14:00Z".into(),
    }
}

#[test]
fn a_locked_project_opens_read_only_and_saves_only_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    spanmark::io::save_project(&project(&[TEXT]), &path).unwrap();
    let theirs = std::fs::read(&path).unwrap();
    let lock = ProjectLock::acquire(&path, &colleague(), Duration::ZERO).unwrap();

    let mine = dir.path().join("mine.spanmark.json");
    let dialogs = ScriptedDialogs {
        save_as: Some(mine.clone()),
        ..Default::default()
    };
    let app = SpanmarkApp::new(
        spanmark::io::load_project(&path).unwrap(),
        Some(path.clone()),
    )
    .with_dialogs(Box::new(dialogs));
    let mut h = harness_with(app);
    assert!(h.state().is_read_only());
    assert!(
        h.query_by_label_contains("Opened read-only: ayesha is editing it on LAPTOP-7")
            .is_some()
    );

    // Editing goes on; Ctrl+S saves under another name, never over theirs.
    drag(&mut h, 3, 8, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::S, Modifiers::COMMAND);
    wait_for(&mut h, |h| h.state().jobs.is_idle());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        theirs,
        "their file is untouched"
    );
    let saved = spanmark::io::load_project(&mine).unwrap();
    assert_eq!(saved.documents[0].layers["tester"].len(), 1);
    // The window now edits the copy, which it holds: no banner.
    assert_eq!(h.state().path.as_deref(), Some(mine.as_path()));
    assert!(!h.state().is_read_only());
    settle(&mut h);
    assert!(h.query_by_label_contains("Opened read-only").is_none());
    drop(lock);
}

#[test]
fn try_again_takes_the_lock_once_the_other_writer_lets_go() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    spanmark::io::save_project(&project(&[TEXT]), &path).unwrap();
    let lock = ProjectLock::acquire(&path, &colleague(), Duration::ZERO).unwrap();
    let app = SpanmarkApp::new(
        spanmark::io::load_project(&path).unwrap(),
        Some(path.clone()),
    )
    .with_dialogs(Box::new(ScriptedDialogs::default()));
    let mut h = harness_with(app);
    assert!(h.state().is_read_only());
    // Still held: Try again changes nothing.
    h.get_by_label("Try again").click();
    settle(&mut h);
    assert!(h.state().is_read_only());
    drop(lock);
    h.get_by_label("Try again").click();
    settle(&mut h);
    assert!(!h.state().is_read_only());
    drag(&mut h, 3, 8, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::S, Modifiers::COMMAND);
    wait_for(&mut h, |h| {
        h.state().jobs.is_idle() && !h.state().session.is_dirty()
    });
    let saved = spanmark::io::load_project(&path).unwrap();
    assert_eq!(saved.documents[0].layers["tester"].len(), 1);
}

#[test]
fn a_second_window_on_the_same_project_is_read_only_and_names_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    spanmark::io::save_project(&project(&[TEXT]), &path).unwrap();
    let first = harness_with(
        SpanmarkApp::new(
            spanmark::io::load_project(&path).unwrap(),
            Some(path.clone()),
        )
        .with_dialogs(Box::new(ScriptedDialogs::default())),
    );
    assert!(!first.state().is_read_only());
    // The second window opens it the way File → Open does (on a worker).
    let mut second = harness_with(
        SpanmarkApp::new(project(&["placeholder"]), None)
            .with_dialogs(Box::new(ScriptedDialogs::default())),
    );
    let ctx = second.ctx.clone();
    second.state_mut().open_now(&ctx, path.clone());
    wait_for(&mut second, |h| {
        h.state().jobs.is_idle() && h.state().path.as_deref() == Some(path.as_path())
    });
    second.step();
    assert!(second.state().is_read_only());
    assert!(
        second
            .query_by_label_contains("Opened read-only: tester is editing it")
            .is_some()
    );
    drop(first);
}

#[test]
fn a_command_line_writer_is_refused_while_the_app_edits_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    spanmark::io::save_project(&project(&[TEXT]), &path).unwrap();
    let mut h = harness_with(
        SpanmarkApp::new(
            spanmark::io::load_project(&path).unwrap(),
            Some(path.clone()),
        )
        .with_dialogs(Box::new(ScriptedDialogs::default())),
    );
    let text = dir.path().join("new.txt");
    std::fs::write(&text, "Lakki Marwat").unwrap();
    let o = assert_cmd::Command::cargo_bin("spanmark")
        .unwrap()
        .args(["add", "--wait", "0.2"])
        .arg(&path)
        .arg(&text)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("tester on ") && err.contains("Spanmark app"),
        "{err}"
    );
    // The app's own save still goes through, and the command works once it is closed.
    drag(&mut h, 3, 8, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::S, Modifiers::COMMAND);
    wait_for(&mut h, |h| {
        h.state().jobs.is_idle() && !h.state().session.is_dirty()
    });
    drop(h);
    assert_cmd::Command::cargo_bin("spanmark")
        .unwrap()
        .arg("add")
        .arg(&path)
        .arg(&text)
        .assert()
        .success();
    let saved = spanmark::io::load_project(&path).unwrap();
    assert_eq!(saved.documents.len(), 2);
    assert_eq!(saved.documents[0].layers["tester"].len(), 1);
}
