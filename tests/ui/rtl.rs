//! Right-to-left and mixed lines in the real app: every pointer position is
//! taken from the view's own layout (`char_centre`), so these tests click
//! where the characters are drawn, as an analyst would.

use eframe::egui::{self, Event, Key, Modifiers, Pos2};
use egui_kittest::Harness;
use spanmark::ui::SpanmarkApp;

use super::common::*;

const MIXED: &str = "Police read: پشاور پولیس نے کہا کہ ۱۵ شدت پسند مارے گئے end\n\
                     پشاور پولیس نے BBC کو بتایا\n\
                     A second line of English.";

/// The centre of code point `pos` as drawn.
fn centre(h: &Harness<'_, SpanmarkApp>, pos: usize) -> Pos2 {
    h.state()
        .view
        .char_centre(pos)
        .expect("the character is on screen")
}

fn press_release(h: &mut Harness<'_, SpanmarkApp>, p: Pos2, modifiers: Modifiers) {
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
        h.step();
    }
}

fn double_click(h: &mut Harness<'_, SpanmarkApp>, p: Pos2) {
    h.run_steps(40);
    h.event(Event::PointerMoved(p));
    h.step();
    press_release(h, p, Modifiers::NONE);
    press_release(h, p, Modifiers::NONE);
    h.run();
}

fn drag_between(h: &mut Harness<'_, SpanmarkApp>, a: Pos2, b: Pos2) {
    h.run_steps(40);
    h.event(Event::PointerMoved(a));
    h.step();
    button(h, a, true, Modifiers::NONE);
    for k in 1..=4 {
        h.event(Event::PointerMoved(a + (b - a) * (k as f32 / 4.0)));
        h.step();
    }
    button(h, b, false, Modifiers::NONE);
    h.run();
}

#[test]
fn the_urdu_sentence_reads_right_to_left_on_screen() {
    let h = harness(&[MIXED]);
    // In the English line, پشاور (the quote's first word) is at the right
    // of the later Urdu words, and "end" at the far right.
    let x = |w: &str| centre(&h, cp(MIXED, w)).x;
    assert!(x("پشاور") > x("پولیس"));
    assert!(x("پولیس") > x("مارے"));
    assert!(x("Police") < x("مارے"));
    assert!(x("end") > x("پشاور"));
    // The RTL line starts at the right: its first word is right of BBC.
    let second = cp(MIXED, "پشاور پولیس نے BBC");
    let bbc = cp(MIXED, "BBC");
    assert!(centre(&h, second).x > centre(&h, bbc).x);
}

#[test]
fn clicking_each_urdu_word_picks_a_character_of_that_word() {
    let mut h = harness(&[MIXED]);
    for word in ["پشاور", "پولیس", "کہا", "شدت", "مارے"] {
        let start = cp(MIXED, word);
        for i in 0..word.chars().count() {
            let p = centre(&h, start + i);
            click_at(&mut h, p);
            let caret = h.state().session.cursor();
            assert!(
                (start..start + word.chars().count()).contains(&caret),
                "clicking {word}[{i}] put the caret at {caret}"
            );
        }
    }
}

fn click_at(h: &mut Harness<'_, SpanmarkApp>, p: Pos2) {
    h.run_steps(40);
    h.event(Event::PointerMoved(p));
    h.step();
    press_release(h, p, Modifiers::NONE);
    h.run();
}

#[test]
fn double_click_inside_an_rtl_run_labels_that_word() {
    let mut h = harness(&[MIXED]);
    let w = cp(MIXED, "پولیس");
    let at = centre(&h, w + 2);
    double_click(&mut h, at);
    assert_eq!(h.state().session.selection(), Some(w..w + 5));
    type_key(&mut h, "2");
    assert_eq!(spans(&h), [("ACTOR".into(), "پولیس".into(), w, w + 5)]);
}

#[test]
fn double_click_on_end_labels_end_not_the_next_line() {
    // The probe from the issue: "end" after an Urdu quote, then a line below.
    let mut h = harness(&[MIXED]);
    let e = cp(MIXED, "end");
    let at = centre(&h, e + 1);
    double_click(&mut h, at);
    type_key(&mut h, "2");
    assert_eq!(spans(&h), [("ACTOR".into(), "end".into(), e, e + 3)]);
}

#[test]
fn a_drag_from_english_into_the_urdu_run_selects_the_logical_range() {
    let mut h = harness(&[MIXED]);
    // From inside "read" to inside پولیس (the second Urdu word, drawn to
    // the left of پشاور): the selection is logical, read … پولیس.
    let r = cp(MIXED, "read");
    let p = cp(MIXED, "پولیس");
    let (from, to) = (centre(&h, r + 1), centre(&h, p + 2));
    drag_between(&mut h, from, to);
    type_key(&mut h, "3");
    let got = spans(&h);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].2, got[0].3), (r, p + 5), "{got:?}");
    assert_eq!(got[0].1, "read: پشاور پولیس");
}

#[test]
fn shift_arrows_in_an_rtl_line_extend_on_screen() {
    let mut h = harness(&[MIXED]);
    let line = cp(MIXED, "پشاور پولیس نے BBC");
    // A caret at the start of the RTL line's first word (its right edge).
    let at = centre(&h, line);
    click_at(&mut h, at);
    assert_eq!(h.state().session.cursor(), line);
    // Shift+Left moves left on screen: in Urdu, on through the word.
    for _ in 0..5 {
        key(&mut h, Key::ArrowLeft, Modifiers::SHIFT);
    }
    assert_eq!(h.state().session.selection(), Some(line..line + 5));
    // Shift+Right comes back one letter.
    key(&mut h, Key::ArrowRight, Modifiers::SHIFT);
    assert_eq!(h.state().session.selection(), Some(line..line + 4));
}

#[test]
fn home_and_end_go_to_the_ends_of_the_visual_line() {
    let mut h = harness(&[MIXED]);
    let line = cp(MIXED, "پشاور پولیس نے BBC");
    let at = centre(&h, line + 8);
    click_at(&mut h, at);
    key(&mut h, Key::Home, Modifiers::NONE);
    assert_eq!(
        h.state().session.cursor(),
        line,
        "Home: the line's start, at its right"
    );
    key(&mut h, Key::End, Modifiers::NONE);
    let end = line + "پشاور پولیس نے BBC کو بتایا".chars().count();
    assert_eq!(h.state().session.cursor(), end);
}

#[test]
fn a_document_can_be_forced_to_read_right_to_left() {
    use egui_kittest::kittest::Queryable;
    let text = "Bannu پشاور پولیس";
    let mut h = harness(&[text]);
    let x = |h: &Harness<'_, SpanmarkApp>, w: &str| centre(h, cp(text, w)).x;
    // Automatic: the first letter is Latin, so the line reads left to right.
    assert!(x(&h, "Bannu") < x(&h, "پشاور"));
    h.get_by_label_contains("Document 0  (0)").click_secondary();
    h.run();
    h.get_by_label("Right to left").click();
    h.run();
    assert!(
        x(&h, "Bannu") > x(&h, "پشاور"),
        "forced RTL puts Bannu at the right"
    );
    let fingerprint = h
        .state()
        .session
        .document()
        .unwrap()
        .fingerprint()
        .to_string();
    assert_eq!(
        h.state().settings.directions.get(&fingerprint),
        Some(&spanmark::model::bidi::DirectionChoice::Rtl)
    );
    // And back to automatic.
    h.get_by_label_contains("Document 0  (0)").click_secondary();
    h.run();
    h.get_by_label("Automatic (each line's first letter)")
        .click();
    h.run();
    assert!(x(&h, "Bannu") < x(&h, "پشاور"));
    assert!(h.state().settings.directions.is_empty());
}

#[test]
fn nastaliq_makes_urdu_lines_taller() {
    use egui_kittest::kittest::Queryable;
    let mut h = harness(&["پشاور پولیس نے کہا"]);
    let height = |h: &Harness<'_, SpanmarkApp>| h.state().view.painted.text[0].height();
    let naskh = height(&h);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Nastaliq (Urdu)").click();
    h.run();
    assert_eq!(
        h.state().ui.arabic_font,
        spanmark::text_layout::ArabicFont::Nastaliq
    );
    assert!(height(&h) > naskh * 1.2, "{} vs {naskh}", height(&h));
}

#[test]
fn export_picture_draws_the_lines_of_the_selection() {
    use egui_kittest::kittest::Queryable;
    use spanmark::ui::file_dialogs::ScriptedDialogs;
    let dir = tempfile::tempdir().unwrap();
    for name in ["excerpt.svg", "excerpt.png"] {
        let out = dir.path().join(name);
        let dialogs = ScriptedDialogs {
            save_as: Some(out.clone()),
            ..Default::default()
        };
        let app = SpanmarkApp::new(project(&[MIXED]), None).with_dialogs(Box::new(dialogs));
        let mut h = harness_with(app);
        // Label پولیس in the first line, then select a word of the second.
        let w = cp(MIXED, "پولیس");
        let at = centre(&h, w + 2);
        double_click(&mut h, at);
        type_key(&mut h, "2");
        let bbc = cp(MIXED, "BBC");
        let at = centre(&h, bbc + 1);
        double_click(&mut h, at);
        h.get_by_label("File").click();
        h.run();
        h.get_by_label("Export picture…").click();
        settle(&mut h);
        let bytes = std::fs::read(&out).expect("the picture was written");
        if name.ends_with(".png") {
            assert_eq!(&bytes[..4], b"\x89PNG");
            assert!(
                h.state()
                    .ui
                    .status
                    .as_ref()
                    .is_some_and(|s| s.text.contains("Picture saved"))
            );
            continue;
        }
        let svg = String::from_utf8(bytes).unwrap();
        // Only the selection's line: the second, right to left, with BBC in it.
        let second = cp(MIXED, "پشاور پولیس نے BBC");
        assert!(svg.contains(&format!(r#"data-start="{second}""#)), "{svg}");
        assert!(svg.contains(r#"direction="rtl""#));
        assert!(svg.contains(">BBC</text>"));
        assert!(
            !svg.contains("Police read"),
            "the first line is not in the picture"
        );
        // The span of the first line is not on this line either.
        assert!(!svg.contains("data-label=\"ACTOR\""));
    }
}

#[test]
fn after_a_jump_to_the_end_of_a_long_mixed_document_clicks_still_land() {
    // Enough paragraphs that a jump shapes many rows in one frame.
    let mut text = String::new();
    for i in 0..120 {
        text.push_str(&format!(
            "Report {i}: police in Bannu said پشاور پولیس نے کہا کہ {i} شدت پسند مارے گئے.\n"
        ));
    }
    text.push_str("آخری سطر: لکی مروت میں دکانیں کھل گئیں");
    let mut h = harness(&[&text]);
    key(&mut h, Key::End, Modifiers::COMMAND);
    h.run();
    let w = cp(&text, "مروت");
    let at = centre(&h, w + 1);
    double_click(&mut h, at);
    type_key(&mut h, "1");
    assert_eq!(spans(&h), [("LOCATION".into(), "مروت".into(), w, w + 4)]);
}

#[test]
fn a_word_in_a_cut_piece_of_a_long_mixed_line_is_clicked_right() {
    // One line of 3,000+ code points: the view cuts it into rows, each laid
    // out with the whole line's bidi levels.
    let mut line = String::new();
    for i in 0..40 {
        line.push_str(&format!(
            "Sentence {i} said پشاور پولیس نے کہا کہ شدت پسند مارے گئے. "
        ));
    }
    line.push_str("The raid near ټانک ended. ");
    for i in 0..10 {
        line.push_str(&format!("More {i} text after the raid. "));
    }
    assert!(line.chars().count() > 2000);
    let mut h = harness(&[&line]);
    let w = cp(&line, "ټانک");
    assert!(w > 1000, "the word is in a later piece of the line");
    h.state_mut().view.scroll_to(w);
    // The scroll area animates for a while; let it arrive.
    h.run_steps(80);
    let at = centre(&h, w + 2);
    double_click(&mut h, at);
    type_key(&mut h, "1");
    assert_eq!(spans(&h), [("LOCATION".into(), "ټانک".into(), w, w + 4)]);
}
