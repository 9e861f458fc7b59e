//! Long work runs off the UI thread: frames keep coming while it runs.

use egui_kittest::kittest::Queryable;

use spanmark::synthetic::synthetic_project;
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

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
    // The frame that started the export has returned, and the export is still running:
    // it is on a worker, not in the frame.
    assert!(h.state().ui.export.running());
    let mut frames = 0;
    while h.state().ui.export.running() {
        h.step();
        frames += 1;
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(frames < 20_000, "the export never finished");
    }
    assert!(frames > 1, "frames were drawn while the export ran");
    let summary = h.state().ui.export.result.clone().unwrap().unwrap();
    assert!(summary.contains("exported 1 document(s)"), "{summary}");
    assert!(out.join("data.jsonl").is_file());
}
