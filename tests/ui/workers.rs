//! Long work runs off the UI thread, in the app's job registry: the frame
//! that starts it returns while the registry still lists the job, the status
//! bar or a progress window shows it, and the result lands when it ends.

use eframe::egui;
use egui_kittest::kittest::Queryable;

use spanmark::model::{Command, DocStatus};
use spanmark::synthetic::synthetic_project;
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;
use spanmark::ui::jobs::JobKind;

use crate::common::*;

#[test]
fn frames_keep_coming_while_a_large_export_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("export");
    let dialogs = ScriptedDialogs {
        folder: Some(out.clone()),
        ..Default::default()
    };
    // About 4 MB of text with a span every ~60 code points.
    let project = synthetic_project(4 << 20, 1, true);
    let mut h = harness_with(SpanmarkApp::new(project, None).with_dialogs(Box::new(dialogs)));
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Export…").click();
    h.run();
    h.get_by_label("Choose folder…").click();
    h.run();
    h.get_by_label("Export now").click();
    h.step();
    // The frame that started the export has returned while the registry
    // still lists it: the export is on a worker, not in the frame.
    let job = h
        .state()
        .jobs
        .find(JobKind::Export)
        .map(|j| (j.label.to_string(), j.kind));
    assert_eq!(job, Some(("Exporting".to_string(), JobKind::Export)));
    assert!(
        !h.state().jobs.blocks_editing(),
        "an export works on a snapshot"
    );
    h.step();
    assert!(
        h.query_by_label("Exporting…").is_some(),
        "the status bar lists the running job"
    );
    wait_until_idle(&mut h, "export");
    let summary = h.state().ui.export.result.clone().unwrap().unwrap();
    assert!(summary.contains("exported 1 document(s)"), "{summary}");
    assert!(out.join("data.jsonl").is_file());
}

/// Draws frames until the job registry is empty; fails if `what` never finishes.
fn wait_until_idle(h: &mut egui_kittest::Harness<'_, SpanmarkApp>, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !h.state().jobs.is_idle() {
        assert!(
            std::time::Instant::now() < deadline,
            "the {what} never finished"
        );
        std::thread::yield_now();
        h.step();
    }
}

/// Presses a shortcut and draws one frame, without waiting for any work it starts.
fn press(h: &mut egui_kittest::Harness<'_, SpanmarkApp>, key: egui::Key) {
    let modifiers = egui::Modifiers::COMMAND;
    h.event(egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        h.event(egui::Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        });
    }
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.step();
}

fn set_status(h: &mut egui_kittest::Harness<'_, SpanmarkApp>, status: DocStatus) {
    let doc = h.state().session.document().unwrap().id.clone();
    h.state_mut()
        .session
        .apply(Command::SetStatus { doc, status })
        .unwrap();
}

#[test]
fn a_large_project_saves_on_a_worker_while_frames_and_edits_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.spanmark.json");
    let project = synthetic_project(8 << 20, 2, true);
    let spans_before = project.documents[0].layers["perf"].len();
    let mut h = harness_with(SpanmarkApp::new(project, Some(path.clone())));
    // An edit, so there is something to save.
    set_status(&mut h, DocStatus::Done);
    assert!(h.state().session.is_dirty());

    press(&mut h, egui::Key::S);
    assert!(
        h.state().jobs.is_running(JobKind::SaveProject),
        "the save runs on a worker"
    );
    assert!(
        !h.state().jobs.blocks_editing(),
        "a save works on a snapshot, so editing goes on"
    );
    assert!(
        h.query_by_label("Saving big.spanmark.json…").is_some(),
        "the status bar lists it"
    );
    // Edits go on during the save; they are not part of the file being written.
    set_status(&mut h, DocStatus::InProgress);
    wait_until_idle(&mut h, "save");
    let written = spanmark::io::load_project(&path).unwrap();
    assert_eq!(written.documents[0].layers["perf"].len(), spans_before);
    assert_eq!(written.documents[0].status, DocStatus::Done);
    assert!(
        h.state().session.is_dirty(),
        "the edit made during the save is still unsaved"
    );
}

#[test]
fn a_large_project_opens_with_progress_and_the_open_can_be_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.spanmark.json");
    spanmark::io::save_project(&synthetic_project(8 << 20, 3, true), &big).unwrap();
    let dialogs = ScriptedDialogs {
        open: Some(big.clone()),
        ..Default::default()
    };
    let mut h = harness_with(
        SpanmarkApp::new(project(&["small text"]), None).with_dialogs(Box::new(dialogs)),
    );

    // Cancel: the project on screen stays.
    press(&mut h, egui::Key::O);
    assert!(h.state().jobs.is_running(JobKind::OpenProject));
    assert!(
        h.state().jobs.blocks_editing(),
        "nothing is edited while a project opens"
    );
    h.step();
    assert!(h.query_by_label("Opening big.spanmark.json").is_some());
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert_eq!(h.state().session.document().unwrap().text(), "small text");
    assert_eq!(h.state().path, None);

    // Open again and let it finish: frames come while it reads.
    press(&mut h, egui::Key::O);
    assert!(h.state().jobs.is_running(JobKind::OpenProject));
    wait_until_idle(&mut h, "open");
    h.run_steps(20);
    assert!(h.state().session.document().unwrap().text().len() >= 8 << 20);
    assert_eq!(h.state().path.as_deref(), Some(big.as_path()));
    assert!(!h.state().session.is_dirty());
}

/// A save asked for while a colleague's project is being merged (the
/// project file is busy) is not lost: it runs once the merge is done, and
/// the file then holds the merged layer.
#[test]
fn a_save_asked_for_during_a_merge_runs_when_the_merge_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.spanmark.json");
    let theirs = dir.path().join("theirs.spanmark.json");
    let mut colleague = synthetic_project(4 << 20, 5, true);
    colleague.annotators = vec!["perf".into()];
    spanmark::io::save_project(&colleague, &theirs).unwrap();
    // My copy: the same text, no spans of theirs.
    let mut own = colleague.clone();
    for d in &mut own.documents {
        d.layers.clear();
    }
    own.annotators.clear();
    spanmark::io::save_project(&own, &mine).unwrap();
    let dialogs = ScriptedDialogs {
        open: Some(theirs),
        ..Default::default()
    };
    let loaded = spanmark::io::load_project(&mine).unwrap();
    let mut h =
        harness_with(SpanmarkApp::new(loaded, Some(mine.clone())).with_dialogs(Box::new(dialogs)));
    h.state_mut()
        .queue(spanmark::ui::command::AppCommand::ImportColleague);
    h.step();
    assert!(h.state().jobs.is_running(JobKind::ImportColleague));
    // The window's close asks to save; here the save is asked for directly.
    let ctx = h.ctx.clone();
    h.state_mut().save(&ctx);
    assert!(h.state().jobs.is_running(JobKind::ImportColleague));
    wait_until_idle(&mut h, "merge and save");
    let written = spanmark::io::load_project(&mine).unwrap();
    assert!(
        written.documents[0].layers.contains_key("perf"),
        "the save ran after the merge and holds the colleague's layer"
    );
    assert!(!h.state().session.is_dirty());
}
