//! Files: unsaved-changes dialog, save errors, adding text files, dropping files, new project from text files.

use eframe::egui::{self, Key, Modifiers};
use egui_kittest::kittest::Queryable;

use spanmark::model::{LabelSchema, Project};
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use crate::common::*;

#[test]
fn unsaved_changes_are_asked_about_before_opening_another_project() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.spanmark.json");
    spanmark::io::save_project(&project(&["another project"]), &other).unwrap();
    let saved = dir.path().join("mine.spanmark.json");
    let dialogs = ScriptedDialogs {
        open: Some(other.clone()),
        save_as: Some(saved.clone()),
        texts: vec![],
        ..Default::default()
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    drag(&mut h, 4, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    assert!(h.state().session.is_dirty());

    // Cancel keeps everything as it is.
    key(&mut h, Key::O, Modifiers::COMMAND);
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert_eq!(h.state().session.document().unwrap().text(), TEXT);
    assert_eq!(spans(&h).len(), 1);

    // Save writes the work first (to the scripted Save As path), then opens the other project.
    key(&mut h, Key::O, Modifiers::COMMAND);
    h.get_by_label("Save").click();
    settle(&mut h);
    let written = spanmark::io::load_project(&saved).unwrap();
    assert_eq!(written.documents[0].layers["tester"].len(), 1);
    assert_eq!(
        h.state().session.document().unwrap().text(),
        "another project"
    );
    assert_eq!(h.state().path.as_deref(), Some(other.as_path()));
}

#[test]
fn dont_save_discards_and_opens() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.spanmark.json");
    spanmark::io::save_project(&project(&["another project"]), &other).unwrap();
    let dialogs = ScriptedDialogs {
        open: Some(other),
        save_as: None,
        texts: vec![],
        ..Default::default()
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    drag(&mut h, 4, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::O, Modifiers::COMMAND);
    h.get_by_label("Don't save").click();
    settle(&mut h);
    assert_eq!(
        h.state().session.document().unwrap().text(),
        "another project"
    );
    assert!(!h.state().session.is_dirty());
}

#[test]
fn save_error_keeps_the_work_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("no-such-folder").join("p.spanmark.json");
    let dialogs = ScriptedDialogs {
        open: None,
        save_as: Some(bad),
        texts: vec![],
        ..Default::default()
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    drag(&mut h, 4, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::S, Modifiers::COMMAND);
    assert!(h.query_by_label("Could not save").is_some());
    assert!(h.state().session.is_dirty());
    assert_eq!(spans(&h).len(), 1);
    h.get_by_label("OK").click();
    settle(&mut h);
    assert!(h.state().ui.dialog.is_none());
}

#[test]
fn add_text_files_is_one_undoable_step() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("bulletin-2.txt");
    std::fs::write(&a, b"\xFF\xFEK\0a\0r\0a\0k\0").unwrap(); // UTF-16LE with BOM
    let b = dir.path().join("dup.txt");
    std::fs::write(&b, TEXT.as_bytes()).unwrap(); // same text as the open document
    let dialogs = ScriptedDialogs {
        texts: vec![a, b],
        ..Default::default()
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    h.get_by_label("File").click();
    settle(&mut h);
    h.get_by_label("Add text files…").click();
    settle(&mut h);
    let s = &h.state().session;
    assert_eq!(s.project.documents.len(), 2);
    assert_eq!(
        s.document().unwrap().text(),
        "Karak",
        "the new document is opened"
    );
    let status = h.state().ui.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("1 skipped") && status.contains("UTF-16LE"),
        "{status}"
    );
    key(&mut h, Key::Escape, Modifiers::NONE);
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(h.state().session.project.documents.len(), 1);
    assert_eq!(h.state().session.document().unwrap().text(), TEXT);
}

/// A file dropped on the window, as the windowing layer would report it.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropped_text_files_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("report.txt");
    std::fs::write(&a, "Bannu “report”\r\n".as_bytes()).unwrap();
    let mut h = harness(&[TEXT]);
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(a)));
    settle(&mut h);
    let docs = &h.state().session.project.documents;
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].text(), "Bannu “report”\r\n");
    assert_eq!(docs[1].source_file.as_deref(), Some("report.txt"));
}

#[test]
fn new_project_from_text_files_asks_about_unsaved_work_first() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("one.txt");
    std::fs::write(&a, b"One text").unwrap();
    let dialogs = ScriptedDialogs {
        texts: vec![a],
        ..Default::default()
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    drag(&mut h, 4, 6, Modifiers::NONE);
    type_key(&mut h, "1");
    h.get_by_label("File").click();
    settle(&mut h);
    h.get_by_label("New project from text files…").click();
    settle(&mut h);
    assert!(h.query_by_label("Save changes?").is_some());
    h.get_by_label("Don't save").click();
    settle(&mut h);
    let s = &h.state().session;
    assert_eq!(s.project.documents.len(), 1);
    assert_eq!(s.document().unwrap().text(), "One text");
    assert!(
        h.state().path.is_none() && s.is_dirty(),
        "untitled until saved"
    );
}

#[test]
fn export_dialog_runs_on_a_worker_and_shows_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let dialogs = ScriptedDialogs {
        folder: Some(out.clone()),
        ..Default::default()
    };
    let mut h = harness_with(
        SpanmarkApp::new(project(&[TEXT, "Karak"]), None).with_dialogs(Box::new(dialogs)),
    );
    drag(&mut h, 4, 6, Modifiers::NONE);
    type_key(&mut h, "1");
    h.get_by_label("File").click();
    settle(&mut h);
    h.get_by_label("Export…").click();
    settle(&mut h);
    h.get_by_label("Choose folder…").click();
    settle(&mut h);
    h.get_by_label("Export now").click();
    h.step();
    wait_for(&mut h, |h| h.state().ui.export.result.is_some());
    let summary = h.state().ui.export.result.clone().unwrap().unwrap();
    assert!(
        summary.contains("exported 2 document(s), 1 span(s) from layer tester"),
        "{summary}"
    );
    assert!(out.join("data.jsonl").is_file());
    let line = std::fs::read_to_string(out.join("data.jsonl")).unwrap();
    assert!(line.contains("\"label\":\"LOCATION\""), "{line}");
    settle(&mut h);
    assert!(h.query_by_label("Export finished").is_some());
}

#[test]
fn export_into_a_folder_with_other_files_needs_the_checkbox() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("documents");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("thesis.docx"), b"mine").unwrap();
    let dialogs = ScriptedDialogs {
        folder: Some(out.clone()),
        ..Default::default()
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    drag(&mut h, 4, 6, Modifiers::NONE);
    type_key(&mut h, "1");
    h.get_by_label("File").click();
    settle(&mut h);
    h.get_by_label("Export…").click();
    settle(&mut h);
    h.get_by_label("Choose folder…").click();
    settle(&mut h);
    h.get_by_label("Export now").click();
    h.step();
    wait_for(&mut h, |h| h.state().ui.export.result.is_some());
    let e = h.state().ui.export.result.clone().unwrap().unwrap_err();
    assert!(e.contains("thesis.docx"), "{e}");
    assert!(!out.join("data.jsonl").exists());
    h.get_by_label("Also if the folder holds other files")
        .click();
    settle(&mut h);
    h.get_by_label("Export now").click();
    h.step();
    wait_for(&mut h, |h| {
        h.state()
            .ui
            .export
            .result
            .as_ref()
            .is_some_and(Result::is_ok)
    });
    assert!(out.join("data.jsonl").is_file());
    assert_eq!(std::fs::read(out.join("thesis.docx")).unwrap(), b"mine");
}

/// `spanmark article.txt` opens the text as a new untitled project: the
/// text exactly as written (CRLF and curly quotes kept), ready to annotate.
#[test]
fn a_text_file_given_at_start_becomes_a_new_untitled_project() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("article.txt");
    let text = "In Bannu, “police” said.\r\nبنوں میں 🙂\r\n";
    std::fs::write(&file, text).unwrap();
    let app = SpanmarkApp::new(Project::new(LabelSchema::default()), None)
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .new_from_texts(vec![file]);
    let mut h = harness_with(app);
    settle(&mut h);
    let docs = &h.state().session.project.documents;
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text(), text);
    assert!(h.state().path.is_none(), "the new project is untitled");
}

/// `spanmark FILE` without a subcommand opens FILE, as `spanmark open FILE` does.
#[test]
fn a_file_without_a_subcommand_is_opened() {
    use clap::Parser;
    let cli = spanmark::cli::Cli::try_parse_from(["spanmark", "article.txt"]).unwrap();
    assert!(cli.command.is_none());
    assert_eq!(
        cli.file.as_deref(),
        Some(std::path::Path::new("article.txt"))
    );
    let cli = spanmark::cli::Cli::try_parse_from(["spanmark", "stats", "p.spanmark.json"]).unwrap();
    assert!(cli.command.is_some() && cli.file.is_none());
}
