//! Helpers shared by the UI tests: a harness around the real app, and
//! pointer and keyboard input sent as separate frames, the way it arrives.

use eframe::egui::{self, Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use spanmark::model::{Document, LabelSchema, Project};
use spanmark::ui::SpanmarkApp;
use spanmark::ui::file_dialogs::ScriptedDialogs;

pub const TEXT: &str = "In Bannu, terrorists attempted to abduct an official.\r\n🙂Karak police ’responded’.\nبنوں میں حملہ ہوا";

pub fn project(texts: &[&str]) -> Project {
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

pub fn harness_with(app: SpanmarkApp) -> Harness<'static, SpanmarkApp> {
    let mut h = Harness::builder()
        .with_step_dt(1.0 / 60.0)
        .with_size([1280.0, 800.0])
        // A jump to a new place in a long document may take the view a few
        // frames to shape (its per-frame budget; slower in debug builds).
        .with_max_steps(32)
        .build_ui_state(|ui, app: &mut SpanmarkApp| app.ui(ui), app);
    h.run();
    h
}

pub fn harness(texts: &[&str]) -> Harness<'static, SpanmarkApp> {
    harness_with(
        SpanmarkApp::new(project(texts), None).with_dialogs(Box::new(ScriptedDialogs::default())),
    )
}

/// Code point index of the `nth` occurrence of `needle` in `text`.
pub fn cp(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].chars().count()
}

/// Screen point inside code point `pos` (a little right of its left edge).
pub fn point(h: &Harness<'_, SpanmarkApp>, pos: usize) -> Pos2 {
    h.state()
        .view
        .screen_pos(pos)
        .map(|p| p + egui::vec2(2.0, 0.0))
        .expect("position is on screen")
}

pub fn button(h: &mut Harness<'_, SpanmarkApp>, pos: Pos2, pressed: bool, modifiers: Modifiers) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    });
    h.step();
}

/// Screen point of the boundary before code point `pos`.
pub fn boundary(h: &Harness<'_, SpanmarkApp>, pos: usize) -> Pos2 {
    h.state()
        .view
        .screen_pos(pos)
        .expect("position is on screen")
}

/// Press at the boundary before code point `from`, move, release at the one before `to`
/// (as separate frames, the way a real drag arrives).
pub fn drag(h: &mut Harness<'_, SpanmarkApp>, from: usize, to: usize, modifiers: Modifiers) {
    let (a, b) = (boundary(h, from), boundary(h, to));
    drag_between(h, a, b, modifiers);
}

/// A drag from screen point `a` to `b` in a few moves.
pub fn drag_between(h: &mut Harness<'_, SpanmarkApp>, a: Pos2, b: Pos2, modifiers: Modifiers) {
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
    // Ctrl+S and Ctrl+O start work on a worker, which repaints until it is
    // done; let it finish.
    let _ = h.run_ok();
    settle(h);
}

pub fn click(h: &mut Harness<'_, SpanmarkApp>, pos: usize) {
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

/// Types `c` and runs frames until the UI settles. A background job (an
/// autosave started by the edit) may keep repainting a few frames longer;
/// that is not a failure here, tests wait for jobs with [`settle`].
pub fn type_key(h: &mut Harness<'_, SpanmarkApp>, c: &str) {
    h.event(Event::Text(c.to_string()));
    let _ = h.run_ok();
}

pub fn key(h: &mut Harness<'_, SpanmarkApp>, key: Key, modifiers: Modifiers) {
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
    // Ctrl+S and Ctrl+O start work on a worker, which repaints until it is
    // done; let it finish.
    let _ = h.run_ok();
    settle(h);
}

/// (label, text) of every span of the tester's layer in the open document.
pub fn spans(h: &Harness<'_, SpanmarkApp>) -> Vec<(String, String, usize, usize)> {
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

pub fn type_text(h: &mut Harness<'_, SpanmarkApp>, text: &str) {
    h.event(Event::Text(text.to_string()));
    let _ = h.run_ok();
}

/// Spans of the tester's layer in document `i`, as (label, text).
pub fn spans_in(h: &Harness<'_, SpanmarkApp>, i: usize) -> Vec<(String, String)> {
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

/// Runs frames until `done` holds: a condition on the app, usually that the
/// job registry is idle (work runs on worker threads). No fixed sleeps and
/// no frame counts; the deadline only turns a hang into a failure.
pub fn wait_for(
    h: &mut Harness<'_, SpanmarkApp>,
    mut done: impl FnMut(&Harness<'_, SpanmarkApp>) -> bool,
) {
    // Generous: a loaded CI machine can be slow; a passing run returns at once.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !done(h) {
        assert!(
            std::time::Instant::now() < deadline,
            "condition not reached in 120 s"
        );
        // Let the workers run on the other core, then draw a frame.
        std::thread::yield_now();
        h.step();
    }
}

/// Runs frames until no job is running (opening, saving, importing,
/// exporting and the agreement figures run on workers).
pub fn settle(h: &mut Harness<'_, SpanmarkApp>) {
    let _ = h.run_ok();
    wait_for(h, |h| h.state().jobs.is_idle());
    // A closing progress modal fades out over a few frames.
    h.run_steps(20);
}

/// The status bar's current message (empty when there is none).
pub fn status(h: &Harness<'_, SpanmarkApp>) -> String {
    h.state()
        .ui
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}
