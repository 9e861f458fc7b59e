//! The workspace driven as an analyst would, headless with egui_kittest:
//! drag over text, press keys, click, and check what the model holds.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use eframe::egui::{self, Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spanmark::model::{DocStatus, Document, LabelSchema, Project};
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

const TEXT: &str = "In Bannu, terrorists attempted to abduct an official.\r\n🙂Karak police ’responded’.\nبنوں میں حملہ ہوا";

fn project(texts: &[&str]) -> Project {
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("tester");
    p.default_annotator = Some("tester".into());
    for (i, t) in texts.iter().enumerate() {
        p.add_document(Document::new(
            format!("doc-{i}"),
            format!("Document {i}"),
            t.to_string(),
        ))
        .unwrap();
    }
    p
}

fn harness_with(app: SpanmarkApp) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut SpanmarkApp| app.ui(ui), app);
    h.run();
    h
}

fn harness(texts: &[&str]) -> Harness<'static, SpanmarkApp> {
    harness_with(
        SpanmarkApp::new(project(texts), None).with_dialogs(Box::new(ScriptedDialogs::default())),
    )
}

/// Code point index of the `nth` occurrence of `needle` in `text`.
fn cp(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].chars().count()
}

/// Screen point inside code point `pos` (a little right of its left edge).
fn point(h: &Harness<'_, SpanmarkApp>, pos: usize) -> Pos2 {
    h.state()
        .view
        .screen_pos(pos)
        .map(|p| p + egui::vec2(2.0, 0.0))
        .expect("position is on screen")
}

fn button(h: &mut Harness<'_, SpanmarkApp>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    });
    h.step();
}

/// Screen point of the boundary before code point `pos`.
fn boundary(h: &Harness<'_, SpanmarkApp>, pos: usize) -> Pos2 {
    h.state()
        .view
        .screen_pos(pos)
        .expect("position is on screen")
}

/// Press at the boundary before code point `from`, move, release at the one before `to`
/// (as separate frames, the way a real drag arrives).
fn drag(h: &mut Harness<'_, SpanmarkApp>, from: usize, to: usize, modifiers: Modifiers) {
    let (a, b) = (boundary(h, from), boundary(h, to));
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(a));
    h.step();
    button(h, a, true, modifiers);
    for k in 1..=4 {
        h.event(Event::PointerMoved(a + (b - a) * (k as f32 / 4.0)));
        h.step();
    }
    button(h, b, false, modifiers);
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

fn click(h: &mut Harness<'_, SpanmarkApp>, pos: usize) {
    // Let the double-click window pass (each step advances egui's clock by one frame),
    // so this counts as a new single click.
    h.run_steps(40);
    let p = point(h, pos);
    h.event(Event::PointerMoved(p));
    h.step();
    button(h, p, true, Modifiers::NONE);
    button(h, p, false, Modifiers::NONE);
    h.run();
}

fn type_key(h: &mut Harness<'_, SpanmarkApp>, c: &str) {
    h.event(Event::Text(c.to_string()));
    h.run();
}

fn key(h: &mut Harness<'_, SpanmarkApp>, key: Key, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::Key {
        key,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers,
    });
    h.event(Event::Key {
        key,
        physical_key: None,
        pressed: false,
        repeat: false,
        modifiers,
    });
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

/// (label, text) of every span of the tester's layer in the open document.
fn spans(h: &Harness<'_, SpanmarkApp>) -> Vec<(String, String, usize, usize)> {
    let s = &h.state().session;
    let d = s.document().unwrap();
    s.spans()
        .iter()
        .map(|sp| {
            (
                sp.label.clone(),
                d.slice(sp.start(), sp.end()).unwrap().to_string(),
                sp.start(),
                sp.end(),
            )
        })
        .collect()
}

#[test]
fn drag_snaps_to_words_and_a_key_labels_it() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    // From inside "Bannu" to inside "terrorists": snaps out to both whole words.
    drag(&mut h, b + 2, cp(TEXT, "terrorists") + 3, Modifiers::NONE);
    assert_eq!(
        h.state().session.selection,
        Some(b..cp(TEXT, "terrorists") + 10)
    );
    type_key(&mut h, "2");
    assert_eq!(
        spans(&h),
        [("ACTOR".into(), "Bannu, terrorists".into(), 3, 20)]
    );
}

#[test]
fn alt_drag_selects_exact_characters() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    drag(&mut h, b + 1, b + 4, Modifiers::ALT);
    type_key(&mut h, "1");
    assert_eq!(spans(&h), [("LOCATION".into(), "ann".into(), b + 1, b + 4)]);
}

#[test]
fn word_right_after_an_emoji_gets_code_point_offsets() {
    let mut h = harness(&[TEXT]);
    let k = cp(TEXT, "Karak");
    drag(&mut h, k + 1, k + 3, Modifiers::NONE);
    type_key(&mut h, "1");
    let got = spans(&h);
    assert_eq!(got, [("LOCATION".into(), "Karak".into(), k, k + 5)]);
    // 🙂 is one code point: Karak starts right after it.
    assert_eq!(TEXT.chars().nth(k - 1), Some('🙂'));
}

#[test]
fn urdu_word_is_labelled_with_correct_offsets() {
    let mut h = harness(&[TEXT]);
    let u = cp(TEXT, "بنوں");
    drag(&mut h, u + 1, u + 2, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h), [("LOCATION".into(), "بنوں".into(), u, u + 4)]);
}

#[test]
fn sticky_label_labels_every_selection() {
    let mut h = harness(&[TEXT]);
    h.get_by_label("[1] LOCATION  (0)").click();
    h.run();
    assert_eq!(h.state().session.sticky_label.as_deref(), Some("LOCATION"));
    drag(
        &mut h,
        cp(TEXT, "Bannu") + 1,
        cp(TEXT, "Bannu") + 2,
        Modifiers::NONE,
    );
    drag(
        &mut h,
        cp(TEXT, "Karak") + 1,
        cp(TEXT, "Karak") + 2,
        Modifiers::NONE,
    );
    let labels: Vec<(String, String)> = spans(&h).into_iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(
        labels,
        [
            ("LOCATION".into(), "Bannu".into()),
            ("LOCATION".into(), "Karak".into())
        ]
    );
    key(&mut h, Key::Escape, Modifiers::NONE);
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert_eq!(h.state().session.sticky_label, None);
}

#[test]
fn clicks_cycle_through_nested_spans_and_keys_edit_them() {
    let mut h = harness(&[TEXT]);
    let ev = cp(TEXT, "attempted");
    drag(&mut h, ev, cp(TEXT, "official") + 8, Modifiers::ALT);
    type_key(&mut h, "3");
    let off = cp(TEXT, "official");
    drag(&mut h, off + 1, off + 6, Modifiers::NONE);
    type_key(&mut h, "2");
    key(&mut h, Key::Escape, Modifiers::NONE);

    click(&mut h, off + 3);
    let first = h.state().session.selected().unwrap().label.clone();
    click(&mut h, off + 3);
    let second = h.state().session.selected().unwrap().label.clone();
    assert_eq!(
        (first.as_str(), second.as_str()),
        ("ACTOR", "EVENT"),
        "innermost first, then outer"
    );

    // Relabel the EVENT as COUNT with its key, shrink its end by one word's worth, then delete it.
    type_key(&mut h, "4");
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an official")
    );
    for _ in 0..9 {
        key(&mut h, Key::ArrowLeft, Modifiers::ALT | Modifiers::SHIFT);
    }
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an")
    );
    key(&mut h, Key::ArrowRight, Modifiers::ALT | Modifiers::CTRL);
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "ttempted to abduct an")
    );
    key(&mut h, Key::Delete, Modifiers::NONE);
    assert_eq!(spans(&h).len(), 1);

    // Undo brings back every step in reverse (delete, start move, nine end moves); redo replays them.
    for _ in 0..11 {
        key(&mut h, Key::Z, Modifiers::COMMAND);
    }
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an official")
    );
    for _ in 0..5 {
        key(&mut h, Key::Z, Modifiers::COMMAND | Modifiers::SHIFT);
    }
    for _ in 0..4 {
        key(&mut h, Key::Y, Modifiers::COMMAND);
    }
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "COUNT" && s.1 == "attempted to abduct an")
    );
    key(&mut h, Key::Y, Modifiers::COMMAND);
    key(&mut h, Key::Y, Modifiers::COMMAND);
    assert_eq!(spans(&h).len(), 1);
    key(&mut h, Key::Y, Modifiers::COMMAND);
    assert!(
        h.state()
            .ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Nothing to redo")
    );
}

#[test]
fn duplicate_span_is_refused_with_a_message() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    drag(&mut h, b, b + 4, Modifiers::NONE);
    type_key(&mut h, "1");
    drag(&mut h, b + 1, b + 2, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h).len(), 1);
    let status = h.state().ui.status.as_ref().unwrap().text.clone();
    assert!(status.contains("exists already"), "{status}");
}

#[test]
fn ctrl_enter_marks_done_and_opens_the_next_document() {
    let mut h = harness(&["first text", "second text", "third text"]);
    key(&mut h, Key::Enter, Modifiers::COMMAND);
    let s = &h.state().session;
    assert_eq!(s.project.documents[0].status, DocStatus::Done);
    assert_eq!(s.doc_index(), 1);
    assert_eq!(h.state().session.document().unwrap().text(), "second text");
}

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
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    drag(&mut h, 4, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    assert!(h.state().session.is_dirty());

    // Cancel keeps everything as it is.
    key(&mut h, Key::O, Modifiers::COMMAND);
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().session.document().unwrap().text(), TEXT);
    assert_eq!(spans(&h).len(), 1);

    // Save writes the work first (to the scripted Save As path), then opens the other project.
    key(&mut h, Key::O, Modifiers::COMMAND);
    h.get_by_label("Save").click();
    h.run();
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
    };
    let mut h =
        harness_with(SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(dialogs)));
    drag(&mut h, 4, 5, Modifiers::NONE);
    type_key(&mut h, "1");
    key(&mut h, Key::O, Modifiers::COMMAND);
    h.get_by_label("Don't save").click();
    h.run();
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
    h.run();
    assert!(h.state().ui.dialog.is_none());
}

fn type_text(h: &mut Harness<'_, SpanmarkApp>, text: &str) {
    h.event(Event::Text(text.to_string()));
    h.run();
}

/// Spans of the tester's layer in document `i`, as (label, text).
fn spans_in(h: &Harness<'_, SpanmarkApp>, i: usize) -> Vec<(String, String)> {
    let d = &h.state().session.project.documents[i];
    d.layers
        .get("tester")
        .map(|l| {
            l.iter()
                .map(|s| {
                    (
                        s.label.clone(),
                        d.slice(s.start(), s.end()).unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn search_steps_through_matches_and_labels_all_in_one_undo() {
    let text = "Bannu police; later in bannu. Bannuwal is not Bannu.";
    let mut h = harness(&[text, "Nothing about Bannu here? Bannu!"]);
    key(&mut h, Key::F, Modifiers::COMMAND);
    type_text(&mut h, "bannu");
    assert_eq!(
        h.state().ui.search.hits.len(),
        4,
        "case-insensitive, not whole word"
    );
    h.get_by_label("Whole word").click();
    h.run();
    assert_eq!(h.state().ui.search.hits.len(), 3);
    assert!(h.query_by_label("1 of 3").is_some());
    h.get_by_label("Next").click();
    h.run();
    assert!(h.query_by_label("2 of 3").is_some());
    assert_eq!(h.state().session.selection, Some(23..28));

    h.get_by_label("Label all matches").click();
    h.run();
    assert_eq!(spans_in(&h, 0).len(), 3);
    assert!(spans_in(&h, 0).iter().all(|s| s.0 == "LOCATION"));
    assert!(spans_in(&h, 1).is_empty(), "this document only");
    let status = h.state().ui.status.as_ref().unwrap().text.clone();
    assert!(
        status.contains("Labelled 3 matches as LOCATION"),
        "{status}"
    );

    // Again, across all documents: existing spans are skipped, the other document gains two.
    h.get_by_label("In all documents").click();
    h.run();
    h.get_by_label("Label all matches").click();
    h.run();
    assert_eq!(spans_in(&h, 0).len(), 3);
    assert_eq!(
        spans_in(&h, 1),
        [
            ("LOCATION".into(), "Bannu".into()),
            ("LOCATION".into(), "Bannu".into())
        ]
    );
    // One undo takes back the whole batch.
    h.get_by_label("Close").click();
    h.run();
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(spans_in(&h, 1).is_empty());
    assert_eq!(spans_in(&h, 0).len(), 3);
}

#[test]
fn regex_search_reports_a_bad_pattern() {
    let mut h = harness(&["four militants and 15 militants"]);
    key(&mut h, Key::F, Modifiers::COMMAND);
    h.get_by_label("Regex").click();
    h.run();
    // Ctrl+F again puts the cursor back in the search field.
    key(&mut h, Key::F, Modifiers::COMMAND);
    type_text(&mut h, r"\w+ militants");
    assert_eq!(h.state().ui.search.hits, [0..14, 19..31]);
    type_text(&mut h, "(");
    assert!(h.state().ui.search.error.is_some());
    assert!(h.state().ui.search.hits.is_empty());
}

#[test]
fn propagation_offer_is_accepted_with_enter_and_dismissed_with_esc() {
    let text = "Bannu police said Bannu was calm. Karak too; Karak and Bannu.";
    let mut h = harness(&[text]);
    drag(&mut h, 1, 3, Modifiers::NONE);
    type_key(&mut h, "1");
    let offer = h
        .state()
        .session
        .offer
        .clone()
        .expect("an offer after labelling");
    assert_eq!((offer.text.as_str(), offer.ranges.len()), ("Bannu", 2));
    assert!(
        h.query_by_label("Also label the other 2 occurrences of “Bannu” as LOCATION?")
            .is_some()
    );
    key(&mut h, Key::Enter, Modifiers::NONE);
    assert_eq!(spans(&h).iter().filter(|s| s.1 == "Bannu").count(), 3);
    assert!(h.state().session.offer.is_none());

    let k = cp(text, "Karak");
    drag(&mut h, k + 1, k + 3, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(
        h.state().session.offer.as_ref().map(|o| o.ranges.len()),
        Some(1)
    );
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(h.state().session.offer.is_none());
    assert_eq!(
        spans(&h).iter().filter(|s| s.1 == "Karak").count(),
        1,
        "dismissed: nothing added"
    );
}

/// Runs frames until `done` holds (autosave writes on a worker thread).
fn wait_for(
    h: &mut Harness<'_, SpanmarkApp>,
    mut done: impl FnMut(&Harness<'_, SpanmarkApp>) -> bool,
) {
    for _ in 0..200 {
        if done(h) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
    }
    panic!("condition not reached");
}

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
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Your name");
    field.focus();
    h.run();
    h.event(Event::Key {
        key: Key::A,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    h.run();
    type_text(&mut h, "Bilal Ahmed");
    h.get_by_label("Start annotating").click();
    h.run();
    assert_eq!(h.state().session.annotator, "Bilal Ahmed");
    let (settings, warning) = spanmark::io::settings::load_settings(&dirs.settings_file);
    assert!(warning.is_none());
    assert_eq!(settings.annotator.as_deref(), Some("Bilal Ahmed"));
    // A later start does not ask again.
    let app = SpanmarkApp::new(project(&[TEXT]), None).with_dirs(dirs);
    let h = harness_with(app);
    assert!(h.query_by_label("Who is annotating?").is_none());
    assert_eq!(h.state().session.annotator, "Bilal Ahmed");
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
        h.state().autosave.last_written.is_some() && !h.state().autosave.busy()
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
    h.run();
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
    std::thread::sleep(std::time::Duration::from_millis(20));
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
    h.run();
    assert!(spanmark::io::recovery::pending_recovery(&dirs.recovery_dir, Some(&path)).is_none());
    assert_eq!(
        h.state().session.project.documents[0].status,
        DocStatus::Todo
    );
    assert!(!h.state().session.is_dirty());
}

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
    h.run();
    h.get_by_label("Add text files…").click();
    h.run();
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
    h.run();
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
    h.run();
    h.get_by_label("New project from text files…").click();
    h.run();
    assert!(h.query_by_label("Save changes?").is_some());
    h.get_by_label("Don't save").click();
    h.run();
    let s = &h.state().session;
    assert_eq!(s.project.documents.len(), 1);
    assert_eq!(s.document().unwrap().text(), "One text");
    assert!(
        h.state().path.is_none() && s.is_dirty(),
        "untitled until saved"
    );
}
