//! The first-run sample and whose layer edits go to: the sample opens on
//! its annotator's layer read-only, the analyst's own layer is one click
//! away (a copy or empty), and opening a project adds nobody to it until
//! they edit.

use eframe::egui::{Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use spanmark::io::settings::{AppDirs, Settings, save_settings};
use spanmark::model::{Command, LayerId};
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

use crate::common::*;

const SAMPLE_ANNOTATOR: &str = "ayesha.siddiqui";

/// The app on the bundled sample, for an analyst who gave their name before.
fn sample_for(name: &str) -> (Harness<'static, SpanmarkApp>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let dirs = AppDirs::under(dir.path());
    let settings = Settings {
        annotator: Some(name.into()),
        ..Default::default()
    };
    save_settings(&dirs.settings_file, &settings).unwrap();
    let sample = spanmark::sample::sample_project().unwrap();
    let app = SpanmarkApp::new(sample, None)
        .as_sample()
        .with_dialogs(Box::new(ScriptedDialogs::default()))
        .with_dirs(dirs);
    (harness_with(app), dir)
}

fn layer_len(h: &Harness<'_, SpanmarkApp>, name: &str) -> usize {
    h.state().session.project.documents[0]
        .layers
        .get(name)
        .map_or(0, |l| l.len())
}

/// A word of the sample's text that no span of the sample covers.
fn unlabelled_word(h: &Harness<'_, SpanmarkApp>) -> (usize, usize) {
    let s = &h.state().session;
    let doc = s.document().unwrap();
    let text = doc.text();
    let covered = |a: usize, b: usize| s.spans().iter().any(|sp| sp.start() < b && a < sp.end());
    let mut start = 0;
    for (i, w) in text.split(' ').enumerate() {
        let len = w.chars().count();
        if i > 5 && len > 4 && w.chars().all(char::is_alphabetic) && !covered(start, start + len) {
            return (start, start + len);
        }
        start += len + 1;
    }
    panic!("no unlabelled word");
}

#[test]
fn the_sample_is_read_only_until_the_analyst_annotates_a_copy_of_it() {
    let (mut h, _dir) = sample_for("bilal");
    let hers = layer_len(&h, SAMPLE_ANNOTATOR);
    assert!(hers > 100);
    assert_eq!(h.state().session.annotator(), SAMPLE_ANNOTATOR);
    assert!(h.state().session.is_read_only());
    assert!(
        h.query_by_label_contains("ayesha.siddiqui's layer of the sample: read-only")
            .is_some()
    );

    // A label key on a selection changes nothing, and says what to do.
    let (a, b) = unlabelled_word(&h);
    drag(&mut h, a, b, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(layer_len(&h, SAMPLE_ANNOTATOR), hers);
    assert!(status(&h).contains("read-only"), "{}", status(&h));
    assert!(
        status(&h).contains("Annotate a copy as bilal"),
        "{}",
        status(&h)
    );

    h.get_by_label("Annotate a copy as bilal").click();
    settle(&mut h);
    assert_eq!(h.state().session.annotator(), "bilal");
    assert!(!h.state().session.is_read_only());
    assert_eq!(layer_len(&h, "bilal"), hers, "the copy holds her spans");
    assert!(
        h.state()
            .session
            .project
            .annotators
            .contains(&"bilal".into())
    );
    assert!(h.query_by_label_contains("read-only").is_none());

    // Edits now go to the copy; her layer never changes.
    drag(&mut h, a, b, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(layer_len(&h, "bilal"), hers + 1);
    assert_eq!(layer_len(&h, SAMPLE_ANNOTATOR), hers);
    // The copy is undoable (one step), the analyst stays on their own layer.
    key(&mut h, eframe::egui::Key::Z, Modifiers::COMMAND);
    key(&mut h, eframe::egui::Key::Z, Modifiers::COMMAND);
    assert_eq!(layer_len(&h, "bilal"), 0);
    assert_eq!(layer_len(&h, SAMPLE_ANNOTATOR), hers);
    assert_eq!(h.state().session.annotator(), "bilal");
}

#[test]
fn an_empty_layer_of_ones_own_starts_from_nothing() {
    let (mut h, _dir) = sample_for("bilal");
    let hers = layer_len(&h, SAMPLE_ANNOTATOR);
    h.get_by_label("Start an empty layer as bilal").click();
    settle(&mut h);
    assert!(spans(&h).is_empty());
    let (a, b) = unlabelled_word(&h);
    drag(&mut h, a, b, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(layer_len(&h, "bilal"), 1);
    assert_eq!(layer_len(&h, SAMPLE_ANNOTATOR), hers);
}

#[test]
fn the_annotator_dialog_offers_ones_own_name_and_cancel_changes_nothing() {
    let (mut h, _dir) = sample_for("bilal");
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Annotator: ayesha.siddiqui…")
        .click();
    h.run();
    let field = h.get_by_role_and_label(eframe::egui::accesskit::Role::TextInput, "Your name");
    assert_eq!(field.value().as_deref(), Some("bilal"));
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert_eq!(h.state().session.annotator(), SAMPLE_ANNOTATOR);
    assert!(h.state().session.is_read_only());
    assert_eq!(
        h.state().session.project.annotators,
        vec![SAMPLE_ANNOTATOR.to_string()],
        "no annotator was added"
    );
}

#[test]
fn opening_a_project_adds_no_annotator_until_they_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("colleague.spanmark.json");
    let mut p = project(&[TEXT]);
    p.annotators = vec!["ayesha".into()];
    p.default_annotator = Some("ayesha".into());
    spanmark::io::save_project(&p, &path).unwrap();
    let dirs = AppDirs::under(&dir.path().join("config"));
    let settings = Settings {
        annotator: Some("bilal".into()),
        ..Default::default()
    };
    save_settings(&dirs.settings_file, &settings).unwrap();
    let loaded = spanmark::io::load_project(&path).unwrap();
    let mut h = harness_with(
        SpanmarkApp::new(loaded, Some(path.clone()))
            .with_dialogs(Box::new(ScriptedDialogs::default()))
            .with_dirs(dirs),
    );
    assert_eq!(h.state().session.annotator(), "bilal");
    assert_eq!(h.state().session.project.annotators, ["ayesha"]);
    // Status changes are not spans: still nobody added.
    let doc = h.state().session.document().unwrap().id.clone();
    h.state_mut()
        .session
        .apply(Command::SetStatus {
            doc,
            status: spanmark::model::DocStatus::InProgress,
        })
        .unwrap();
    assert_eq!(h.state().session.project.annotators, ["ayesha"]);
    let s = cp(TEXT, "Bannu");
    drag(&mut h, s, s + 5, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(h.state().session.project.annotators, ["ayesha", "bilal"]);
    assert!(
        h.state().session.project.documents[0]
            .layer(&LayerId::Annotator("bilal".into()))
            .is_some()
    );
}

#[test]
fn sticky_labels_apply_to_double_clicked_words_too() {
    let mut h = harness(&[TEXT]);
    type_key(&mut h, "1"); // nothing selected: LOCATION becomes sticky
    assert_eq!(h.state().session.sticky_label(), Some("LOCATION"));
    let pos = cp(TEXT, "Bannu") + 2;
    h.run_steps(40);
    let p: Pos2 = point(&h, pos);
    for _ in 0..2 {
        button(&mut h, p, true, Modifiers::NONE);
        button(&mut h, p, false, Modifiers::NONE);
    }
    h.run();
    assert_eq!(
        spans(&h)
            .into_iter()
            .map(|(l, t, _, _)| (l, t))
            .collect::<Vec<_>>(),
        [("LOCATION".to_string(), "Bannu".to_string())]
    );
}
