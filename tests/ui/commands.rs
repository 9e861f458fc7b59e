//! The command table drives the menus, the keyboard, the F1 help and the
//! command palette: each test drives the real app and checks which command
//! ran (`SpanmarkApp::ran_commands`) or what it did to the model.

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use spanmark::model::LabelSchema;
use spanmark::ui::command::{AppCommand, Group, shortcut_text, shortcuts_text};

use super::common::*;

fn last_ran(h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>) -> Option<AppCommand> {
    h.state().ran_commands().last().cloned()
}

fn menu_name(group: Group) -> &'static str {
    match group {
        Group::File => "File",
        Group::Edit | Group::Select => "Edit",
        Group::View => "View",
        Group::Events => "Events",
        Group::Review => "Review",
        Group::Help => "Help",
    }
}

/// Every command in a menu that has a key and can run on a fresh project:
/// its key and its menu item run the same command.
#[test]
fn each_menu_item_runs_the_same_command_as_its_key() {
    let state = harness(&[TEXT]).state().command_state();
    let mut checked = 0;
    for c in AppCommand::fixed() {
        let Some(shortcut) = c.shortcuts().first().copied() else {
            continue;
        };
        if !c.in_menu() || !c.enabled(&state) {
            continue;
        }
        let mut by_key = harness(&[TEXT]);
        key(&mut by_key, shortcut.logical_key, shortcut.modifiers);
        assert_eq!(
            last_ran(&by_key),
            Some(c.clone()),
            "key {}",
            shortcut_text(&shortcut)
        );

        let mut by_menu = harness(&[TEXT]);
        by_menu.get_by_label(menu_name(c.group())).click();
        by_menu.run();
        let name = match c {
            AppCommand::ToggleReview => "Review mode".to_string(),
            _ => c.name(),
        };
        by_menu
            .get_by_label(&format!("{name} {}", shortcut_text(&shortcut)))
            .click();
        settle(&mut by_menu);
        assert_eq!(last_ran(&by_menu), Some(c.clone()), "menu item {name}");
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} menu items were checked");
}

/// F1 shows every command that has a key, by name, with its keys.
#[test]
fn the_help_lists_every_command_with_a_shortcut() {
    let mut h = harness(&[TEXT]);
    key(&mut h, Key::F1, Modifiers::NONE);
    assert!(h.state().ui.show_help);
    let schema = LabelSchema::default();
    for c in AppCommand::all(&schema) {
        let keys = shortcuts_text(&c, &schema);
        if keys.is_empty() {
            continue;
        }
        assert!(
            h.query_all_by_label(&c.name()).next().is_some(),
            "{} is not in the help",
            c.name()
        );
        assert!(
            h.query_all_by_label(&keys).next().is_some(),
            "the keys {keys} of {} are not in the help",
            c.name()
        );
    }
}

/// Ctrl+Shift+P opens the palette with its filter focused; typed words
/// narrow the list and Enter runs the first command that can run.
#[test]
fn the_command_palette_finds_and_runs_a_command() {
    let mut h = harness(&[TEXT]);
    key(&mut h, Key::P, Modifiers::COMMAND | Modifiers::SHIFT);
    assert!(h.state().ui.palette.open);
    type_text(&mut h, "review mode");
    assert!(h.query_by_label("Review mode (on / off)").is_some());
    assert!(h.query_by_label("Save").is_none(), "the filter keeps Save");
    key(&mut h, Key::Enter, Modifiers::NONE);
    assert!(h.state().ui.review.active(), "Enter did not start review");
    assert!(!h.state().ui.palette.open);
    assert_eq!(last_ran(&h), Some(AppCommand::ToggleReview));
}

/// A chord is never taken for a shorter one: Ctrl+Shift+Z redoes, Ctrl+Z undoes.
#[test]
fn the_longer_chord_wins_over_its_prefix() {
    let mut h = harness(&[TEXT]);
    drag(
        &mut h,
        cp(TEXT, "Bannu"),
        cp(TEXT, "Bannu") + 4,
        Modifiers::NONE,
    );
    type_key(&mut h, "1");
    assert_eq!(spans(&h).len(), 1);
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(spans(&h).is_empty());
    key(&mut h, Key::Z, Modifiers::COMMAND | Modifiers::SHIFT);
    assert_eq!(spans(&h).len(), 1, "Ctrl+Shift+Z was taken for Ctrl+Z");
    assert_eq!(last_ran(&h), Some(AppCommand::Redo));
}

/// The label palette and the label keys run the same command.
#[test]
fn a_label_click_and_its_key_run_the_same_command() {
    let mut h = harness(&[TEXT]);
    type_key(&mut h, "1");
    let by_key = last_ran(&h);
    assert!(matches!(by_key, Some(AppCommand::Label(_))), "{by_key:?}");
    let label = match &by_key {
        Some(AppCommand::Label(l)) => l.clone(),
        _ => unreachable!(),
    };
    assert_eq!(h.state().session.sticky_label(), Some(label.as_str()));
    h.get_by_label(&format!("[1] {label}  (0)")).click();
    h.run();
    assert_eq!(last_ran(&h), by_key);
    assert_eq!(
        h.state().session.sticky_label(),
        None,
        "a second press turns sticky off"
    );
}

/// The Edit menu names the step the analyst made, in words, for undo and redo.
#[test]
fn the_edit_menu_names_the_step_that_undo_reverses() {
    let mut h = harness(&[TEXT]);
    drag(
        &mut h,
        cp(TEXT, "Bannu"),
        cp(TEXT, "Bannu") + 4,
        Modifiers::NONE,
    );
    type_key(&mut h, "1");
    let label = spans(&h)[0].0.clone();
    h.get_by_label("Edit").click();
    h.run();
    assert!(
        h.query_by_label(&format!("Undo add {label} Ctrl+Z"))
            .is_some(),
        "the Edit menu does not say what undo reverses"
    );
    h.get_by_label(&format!("Undo add {label} Ctrl+Z")).click();
    h.run();
    assert!(spans(&h).is_empty());
    h.get_by_label("Edit").click();
    h.run();
    assert!(
        h.query_by_label(&format!("Redo add {label} Ctrl+Shift+Z"))
            .is_some()
    );
}

/// The keyboard scrolls a long document as readers expect; with a caret
/// placed by a click, the arrows move the caret instead.
#[test]
fn the_keyboard_scrolls_the_text_and_moves_the_caret() {
    let long = long_document();
    let mut h = harness(&[&long]);
    let offset =
        |h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>| h.state().view.scroll_offset();
    assert_eq!(offset(&h), 0.0);
    key(&mut h, Key::PageDown, Modifiers::NONE);
    let page = offset(&h);
    assert!(page > 300.0, "Page Down moved {page}");
    key(&mut h, Key::Space, Modifiers::NONE);
    assert!(offset(&h) > page * 1.5, "Space did not page on");
    key(&mut h, Key::PageUp, Modifiers::NONE);
    assert!((offset(&h) - page).abs() < 2.0, "Page Up did not come back");
    key(&mut h, Key::ArrowDown, Modifiers::NONE);
    let down = offset(&h) - page;
    assert!(down > 10.0 && down < 60.0, "Down moved {down}");
    key(&mut h, Key::End, Modifiers::COMMAND);
    let end = offset(&h);
    assert!(end > 10.0 * page, "Ctrl+End reached {end}");
    key(&mut h, Key::End, Modifiers::COMMAND);
    assert_eq!(offset(&h), end, "the end is the end");
    key(&mut h, Key::Home, Modifiers::COMMAND);
    assert_eq!(offset(&h), 0.0);
    // A click places the caret; then → moves it by one code point.
    click(&mut h, 5);
    let at = h.state().session.cursor();
    key(&mut h, Key::ArrowRight, Modifiers::NONE);
    assert_eq!(h.state().session.cursor(), at + 1);
    key(&mut h, Key::ArrowLeft, Modifiers::NONE);
    assert_eq!(h.state().session.cursor(), at);
    // ↓ / ↑ move it a row down and back up, at the same place in the row.
    let line = long.lines().next().unwrap().chars().count() + 1;
    key(&mut h, Key::ArrowDown, Modifiers::NONE);
    assert_eq!(
        h.state().session.cursor(),
        at + line,
        "↓ moves the caret a row down"
    );
    key(&mut h, Key::ArrowDown, Modifiers::NONE);
    assert_eq!(h.state().session.cursor(), at + 2 * line);
    key(&mut h, Key::ArrowUp, Modifiers::NONE);
    key(&mut h, Key::ArrowUp, Modifiers::NONE);
    assert_eq!(h.state().session.cursor(), at);
    assert_eq!(offset(&h), 0.0, "moving a visible caret scrolled the view");
}

#[test]
fn an_open_menu_closes_on_a_click_in_the_text() {
    let mut h = harness(&[TEXT]);
    h.get_by_label("Help").click();
    h.run();
    let open = |h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>| {
        h.query_all_by_label_contains("Command palette").count()
    };
    assert!(open(&h) > 0, "the menu is open");
    // A word right of the open menu, so the click is outside it.
    click(&mut h, cp(TEXT, "official") + 2);
    h.run();
    assert_eq!(open(&h), 0, "a click in the text closes the menu");
}

#[test]
fn the_propagation_offer_pushes_the_text_down_instead_of_covering_it() {
    let text = "Bannu police said Bannu was calm. Later in Bannu, shops opened.";
    let mut h = harness(&[text]);
    let top_before = h.state().view.painted.text[0].min.y;
    let s = cp(text, "Bannu");
    drag(&mut h, s, s + 5, Modifiers::NONE);
    type_key(&mut h, "1");
    h.run_steps(2);
    let banner = h
        .get_by_label_contains("Also label the 2 other occurrences")
        .rect();
    let text_rows = h.state().view.painted.text.clone();
    assert!(text_rows[0].min.y > top_before, "the text moved down");
    for row in &text_rows {
        assert!(
            !banner.intersects(*row),
            "the offer covers the text at {row:?}"
        );
    }
}

#[test]
fn in_a_narrow_window_the_side_panels_step_aside_and_come_back_on_request() {
    let app = spanmark::ui::SpanmarkApp::new(project(&[TEXT]), None).with_dialogs(Box::new(
        spanmark::ui::file_dialogs::ScriptedDialogs::default(),
    ));
    let mut h = egui_kittest::Harness::builder()
        .with_step_dt(1.0 / 60.0)
        .with_size([760.0, 600.0])
        .build_ui_state(|ui, app: &mut spanmark::ui::SpanmarkApp| app.ui(ui), app);
    h.run();
    assert!(
        h.query_by_label("Documents").is_none(),
        "documents panel hidden"
    );
    assert!(h.query_by_label("Labels").is_none(), "labels panel hidden");
    assert!(
        h.query_by_label("▸ Documents").is_some(),
        "one click brings it back"
    );
    // The text keeps the window: labelling works as before.
    let s = cp(TEXT, "Bannu");
    drag(&mut h, s, s + 5, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h).len(), 1);
    key(&mut h, Key::B, Modifiers::COMMAND);
    assert!(
        h.query_by_label("Documents").is_some(),
        "Ctrl+B shows the documents"
    );
    key(&mut h, Key::B, Modifiers::COMMAND | Modifiers::ALT);
    assert!(
        h.query_by_label("Labels").is_some(),
        "Ctrl+Alt+B shows the labels"
    );
    key(&mut h, Key::B, Modifiers::COMMAND);
    assert!(
        h.query_by_label("Documents").is_none(),
        "and hides them again"
    );
}

#[test]
fn a_wheel_notch_scrolls_about_three_rows_of_text() {
    let long = long_document();
    let mut h = harness(&[&long]);
    let over_text = h.state().view.screen_pos(40).unwrap();
    h.event(eframe::egui::Event::PointerMoved(over_text));
    h.event(eframe::egui::Event::MouseWheel {
        unit: eframe::egui::MouseWheelUnit::Line,
        delta: eframe::egui::vec2(0.0, -1.0),
        phase: eframe::egui::TouchPhase::Move,
        source: eframe::egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(60);
    let moved = h.state().view.scroll_offset();
    let row = h.state().view.painted.text[1].min.y - h.state().view.painted.text[0].min.y;
    assert!(
        moved >= 2.5 * row && moved <= 4.0 * row,
        "one notch moved {moved} points; a row is {row}"
    );
}

/// 400 short paragraphs: a document far longer than the window.
fn long_document() -> String {
    (0..400)
        .map(|i| format!("Paragraph {i}: security forces in Bannu reported an incident.\n"))
        .collect()
}
