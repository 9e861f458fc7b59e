//! Settings, the first-run annotator prompt, autosave and recovery.

use eframe::egui::{self, Event, Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use spanmark::model::DocStatus;
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use crate::common::*;

#[test]
fn first_run_asks_for_the_annotator_and_remembers_settings() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = spanmark::io::settings::AppDirs::under(dir.path());
    let app = SpanmarkApp::new(project(&[TEXT]), None)
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .with_dirs(dirs.clone());
    let mut h = harness_with(app);
    assert!(h.query_by_label("Who is annotating?").is_some());
    // The field is prefilled; replace it with a name.
    answer_name_prompt(&mut h, "Bilal Ahmed");
    assert_eq!(h.state().session.annotator(), "Bilal Ahmed");
    let (settings, warning) = spanmark::io::settings::load_settings(&dirs.settings_file);
    assert!(warning.is_none());
    assert_eq!(settings.annotator.as_deref(), Some("Bilal Ahmed"));
    // A later start does not ask again.
    let app = SpanmarkApp::new(project(&[TEXT]), None).with_dirs(dirs);
    let h = harness_with(app);
    assert!(h.query_by_label("Who is annotating?").is_none());
    assert_eq!(h.state().session.annotator(), "Bilal Ahmed");
}

#[test]
fn corrupt_settings_fall_back_to_defaults_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = spanmark::io::settings::AppDirs::under(dir.path());
    std::fs::write(&dirs.settings_file, b"{ not json").unwrap();
    let h = harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dirs(dirs));
    assert!(h.query_by_label("Settings were reset").is_some());
}

/// An app on a saved project with settings that already name the annotator.
fn app_with_dirs(
    dir: &std::path::Path,
    texts: &[&str],
) -> (
    SpanmarkApp,
    std::path::PathBuf,
    spanmark::io::settings::AppDirs,
) {
    let dirs = spanmark::io::settings::AppDirs::under(dir);
    let settings = spanmark::io::settings::Settings {
        annotator: Some("tester".into()),
        ..Default::default()
    };
    spanmark::io::settings::save_settings(&dirs.settings_file, &settings).unwrap();
    let path = dir.join("work.spanmark.json");
    spanmark::io::save_project(&project(texts), &path).unwrap();
    let loaded = spanmark::io::load_project(&path).unwrap();
    let app = SpanmarkApp::new(loaded, Some(path.clone()))
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .with_dirs(dirs.clone());
    (app, path, dirs)
}

#[test]
fn autosave_writes_a_recovery_copy_and_the_next_start_offers_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, path, dirs) = app_with_dirs(dir.path(), &[TEXT]);
    app.autosave.interval = 0.0;
    let before = std::fs::read(&path).unwrap();
    let mut h = harness_with(app);
    drag(&mut h, 4, 6, Modifiers::NONE);
    type_key(&mut h, "1");
    let copy = spanmark::io::recovery::recovery_file(&dirs.recovery_dir, Some(&path));
    wait_for(&mut h, |h| {
        h.state().autosave.last_written.is_some() && h.state().jobs.is_idle()
    });
    let recovered = spanmark::io::load_project(&copy).unwrap();
    assert_eq!(recovered.documents[0].layers["tester"].len(), 1);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "autosave never touches the project file"
    );
    drop(h); // the app "crashes" here: nothing saved

    // Next start: the copy is newer than the project, so it is offered.
    let loaded = spanmark::io::load_project(&path).unwrap();
    let app = SpanmarkApp::new(loaded, Some(path.clone())).with_dirs(dirs.clone());
    let mut h = harness_with(app);
    assert!(h.query_by_label("Recover unsaved work?").is_some());
    h.get_by_label("Restore").click();
    settle(&mut h);
    assert_eq!(spans(&h), [("LOCATION".into(), "Bannu".into(), 3, 8)]);
    assert!(
        h.state().session.is_dirty(),
        "restored work is not in the file yet"
    );
    assert_eq!(h.state().path.as_deref(), Some(path.as_path()));

    // Saving removes the copy.
    key(&mut h, Key::S, Modifiers::COMMAND);
    assert!(!copy.exists());
    assert_eq!(
        spanmark::io::load_project(&path).unwrap().documents[0].layers["tester"].len(),
        1
    );
}

#[test]
fn recovery_can_be_discarded() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path, dirs) = app_with_dirs(dir.path(), &[TEXT]);
    saved_a_minute_ago(&path);
    let mut changed = spanmark::io::load_project(&path).unwrap();
    changed.documents[0].status = DocStatus::Done;
    spanmark::io::recovery::write_recovery(
        &dirs.recovery_dir,
        Some(&path),
        &spanmark::io::to_json_bytes(&changed),
    )
    .unwrap();
    let app = SpanmarkApp::new(
        spanmark::io::load_project(&path).unwrap(),
        Some(path.clone()),
    )
    .with_dirs(dirs.clone());
    let mut h = harness_with(app);
    h.get_by_label("Discard").click();
    settle(&mut h);
    assert!(spanmark::io::recovery::pending_recovery(&dirs.recovery_dir, Some(&path)).is_none());
    assert_eq!(
        h.state().session.project.documents[0].status,
        DocStatus::Todo
    );
    assert!(!h.state().session.is_dirty());
}

#[test]
fn the_sample_keeps_its_layer_on_first_run_and_remembers_the_analyst() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = spanmark::io::settings::AppDirs::under(dir.path());
    let sample = spanmark::sample::sample_project().unwrap();
    let mut h = harness_with(
        SpanmarkApp::new(sample, None)
            .as_sample()
            .with_dirs(dirs.clone()),
    );
    assert!(
        spans(&h).len() > 100,
        "the sample opens with its spans highlighted"
    );
    answer_name_prompt(&mut h, "Bilal Ahmed");
    assert_eq!(h.state().session.annotator(), "ayesha.siddiqui");
    assert!(spans(&h).len() > 100, "still showing the sample's spans");
    let (settings, _) = spanmark::io::settings::load_settings(&dirs.settings_file);
    assert_eq!(settings.annotator.as_deref(), Some("Bilal Ahmed"));
}

/// Replaces the prefilled name in the first-run prompt and confirms it.
fn answer_name_prompt(h: &mut egui_kittest::Harness<'_, SpanmarkApp>, name: &str) {
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Your name");
    field.focus();
    settle(h);
    h.event(Event::Key {
        key: Key::A,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    settle(h);
    type_text(h, name);
    h.get_by_label("Start annotating").click();
    settle(h);
}

#[test]
fn a_panic_in_a_frame_writes_an_emergency_copy_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (app, path, dirs) = app_with_dirs(dir.path(), &[TEXT]);
    let mut h = harness_with(app);
    // Some unsaved work: label "Bannu".
    let s = cp(TEXT, "Bannu");
    drag(&mut h, s, s + 5, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h).len(), 1);
    // (The panic message printed below this test is expected.)
    h.state_mut().ui.inject_panic = true;
    settle(&mut h);
    // The app is still here, with the work, and says where the copy is.
    assert!(h.query_by_label("Spanmark hit an internal error").is_some());
    assert_eq!(spans(&h).len(), 1);
    let entry = spanmark::io::recovery::pending_recovery(&dirs.recovery_dir, Some(&path))
        .expect("an emergency copy was written");
    let copy = spanmark::io::load_project(&entry.file).unwrap();
    assert_eq!(copy.documents[0].span_count(), 1);
    // The project file itself was not touched.
    assert_eq!(
        spanmark::io::load_project(&path).unwrap().documents[0].span_count(),
        0
    );
}

#[test]
fn the_theme_can_be_switched_and_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _path, dirs) = app_with_dirs(dir.path(), &[TEXT]);
    let mut h = harness_with(app);
    for (name, dark, saved) in [
        ("Dark", true, spanmark::io::settings::ThemeChoice::Dark),
        ("Light", false, spanmark::io::settings::ThemeChoice::Light),
    ] {
        h.get_by_label("View").click();
        settle(&mut h);
        h.get_by_label(name).click();
        settle(&mut h);
        assert_eq!(h.ctx.global_style().visuals.dark_mode, dark, "{name}");
        let (settings, _) = spanmark::io::settings::load_settings(&dirs.settings_file);
        assert_eq!(settings.theme, saved);
        // Close the menu again.
        key(&mut h, Key::Escape, Modifiers::NONE);
    }
    // A new window starts in the remembered theme.
    let app = SpanmarkApp::new(project(&[TEXT]), None).with_dirs(dirs);
    let h = harness_with(app);
    assert!(!h.ctx.global_style().visuals.dark_mode);
}

/// `spanmark open FILE`: the window comes up at once, the project is read on
/// a worker, and an autosaved copy newer than the file is offered after it.
#[test]
fn opening_on_start_reads_the_project_then_offers_a_newer_recovery_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path, dirs) = app_with_dirs(dir.path(), &[TEXT]);
    // A crash left an autosaved copy with one more document.
    saved_a_minute_ago(&path);
    let newer = spanmark::io::to_json_bytes(&project(&[TEXT, "written after the last save"]));
    spanmark::io::recovery::write_recovery(&dirs.recovery_dir, Some(&path), &newer).unwrap();

    let app = SpanmarkApp::new(spanmark::model::Project::default(), None)
        .opening(path.clone())
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .with_dirs(dirs);
    let mut h = harness_with(app);
    settle(&mut h);
    assert_eq!(h.state().path.as_deref(), Some(path.as_path()));
    assert_eq!(h.state().session.project.documents.len(), 1);
    assert!(h.query_by_label("Recover unsaved work?").is_some());
    h.get_by_label("Restore").click();
    settle(&mut h);
    assert_eq!(h.state().session.project.documents.len(), 2);
    assert!(h.state().session.is_dirty());
}

/// The first-run name field has the keyboard: typing goes into it at once;
/// Cancel and Esc close the annotator dialog without changing anyone's name.
#[test]
fn the_annotator_dialog_takes_focus_and_cancels_with_esc_or_cancel() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = spanmark::io::settings::AppDirs::under(dir.path());
    let app = SpanmarkApp::new(project(&[TEXT]), None)
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .with_dirs(dirs.clone());
    let mut h = harness_with(app);
    assert!(h.query_by_label("Who is annotating?").is_some());
    h.run();
    assert!(
        h.state().ui.dialog.is_some() && h.ctx.memory(|m| m.focused().is_some()),
        "the name field does not have the keyboard"
    );
    // Esc closes it; nothing is remembered, so the next start asks again.
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(
        h.state().ui.dialog.is_none(),
        "Esc did not close the dialog"
    );
    assert_eq!(h.state().session.annotator(), "tester");
    let (settings, _) = spanmark::io::settings::load_settings(&dirs.settings_file);
    assert_eq!(settings.annotator, None);

    // From the menu: Cancel keeps the current annotator.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Annotator: tester…").click();
    h.run();
    assert!(h.query_by_label("Who is annotating?").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().ui.dialog.is_none());
    assert_eq!(h.state().session.annotator(), "tester");
}

/// Esc closes the F1 help and the command palette.
#[test]
fn esc_closes_the_help_and_the_palette() {
    let mut h = harness(&[TEXT]);
    key(&mut h, Key::F1, Modifiers::NONE);
    assert!(h.state().ui.show_help);
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(!h.state().ui.show_help, "Esc did not close the help");
    key(&mut h, Key::P, Modifiers::COMMAND | Modifiers::SHIFT);
    assert!(h.state().ui.palette.open);
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(!h.state().ui.palette.open, "Esc did not close the palette");
}

/// The recovery prompt says when in local words ("today 14:28"), and an
/// untitled project's copy is not called "newer than the saved file".
#[test]
fn the_recovery_prompt_reads_as_local_time_and_fits_an_untitled_project() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = spanmark::io::settings::AppDirs::under(dir.path());
    let bytes = spanmark::io::to_json_bytes(&project(&[TEXT, "written before the crash"]));
    spanmark::io::recovery::write_recovery(&dirs.recovery_dir, None, &bytes).unwrap();
    let app = SpanmarkApp::new(project(&[TEXT]), None)
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .with_dirs(dirs);
    let h = harness_with(app);
    let node = h.get_by_label_contains("Spanmark found an autosaved copy");
    let prompt = node
        .accesskit_node()
        .label()
        .filter(|l| !l.is_empty())
        .or_else(|| node.value())
        .unwrap_or_default();
    assert!(
        prompt.contains("of an untitled project from today "),
        "{prompt}"
    );
    assert!(!prompt.contains("newer than the saved file"), "{prompt}");
    let date = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
    assert!(!prompt.contains(&date), "no RFC 3339 time: {prompt}");
    let clock = prompt
        .split("from today ")
        .nth(1)
        .and_then(|rest| rest.get(..5))
        .unwrap_or_default()
        .to_string();
    assert!(
        clock.len() == 5 && clock.as_bytes()[2] == b':',
        "a hh:mm time: {prompt}"
    );
}

/// Dates the project file a minute back, so a copy written now is newer
/// (instead of sleeping until the clock moves on).
fn saved_a_minute_ago(path: &std::path::Path) {
    let earlier = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(earlier)
        .unwrap();
}
