//! Selecting and labelling: word snapping, Alt for exact characters, emoji and Urdu offsets, sticky mode, click cycling, edit keys, undo/redo, Done.

use eframe::egui::{self, Event, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use spanmark::model::DocStatus;

use crate::common::*;

#[test]
fn drag_snaps_to_words_and_a_key_labels_it() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    // From inside "Bannu" to inside "terrorists": snaps out to both whole words.
    drag(&mut h, b + 2, cp(TEXT, "terrorists") + 3, Modifiers::NONE);
    assert_eq!(
        h.state().session.selection(),
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
    // Inside the word (far enough apart on screen to be a drag, not a click).
    drag(&mut h, u + 1, u + 3, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h), [("LOCATION".into(), "بنوں".into(), u, u + 4)]);
}

#[test]
fn sticky_label_labels_every_selection() {
    let mut h = harness(&[TEXT]);
    h.get_by_label("[1] LOCATION  (0)").click();
    h.run();
    assert_eq!(h.state().session.sticky_label(), Some("LOCATION"));
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
    assert_eq!(h.state().session.sticky_label(), None);
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
fn tab_steps_through_spans_and_keys_work_after_clicking_a_button() {
    let text = "Bannu and Karak and Khyber";
    let mut h = harness(&[text]);
    // Clicking a palette button gives it keyboard focus; label keys must still work.
    h.get_by_label("[2] ACTOR  (0)").click();
    h.run();
    h.get_by_label("[2] ACTOR  (0)").click(); // second click turns sticky mode off again
    h.run();
    assert_eq!(h.state().session.sticky_label(), None);
    for (a, b) in [(0, 5), (10, 15), (20, 26)] {
        drag(&mut h, a, b, Modifiers::NONE);
        type_key(&mut h, "1");
        key(&mut h, Key::Escape, Modifiers::NONE);
        key(&mut h, Key::Escape, Modifiers::NONE);
    }
    assert_eq!(spans(&h).len(), 3);
    let selected_text = |h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>| {
        let s = h.state().session.selected().unwrap();
        h.state()
            .session
            .document()
            .unwrap()
            .slice(s.start(), s.end())
            .unwrap()
            .to_string()
    };
    key(&mut h, Key::Tab, Modifiers::NONE);
    assert_eq!(selected_text(&h), "Bannu");
    key(&mut h, Key::Tab, Modifiers::NONE);
    assert_eq!(selected_text(&h), "Karak");
    key(&mut h, Key::Tab, Modifiers::SHIFT);
    assert_eq!(selected_text(&h), "Bannu");
}

#[test]
fn double_click_selects_a_word_and_shift_click_extends() {
    let mut h = harness(&[TEXT]);
    let t = cp(TEXT, "terrorists");
    let p = point(&h, t + 3);
    h.event(Event::PointerMoved(p));
    h.step();
    for _ in 0..2 {
        h.event(Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::NONE,
        });
        h.step();
        h.event(Event::PointerButton {
            pos: p,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
    assert_eq!(
        h.state().session.selection(),
        Some(t..t + 10),
        "the word under the pointer"
    );

    // Click puts the cursor before "attempted"; Shift+click on the last letter of "abduct" extends to it.
    let a = cp(TEXT, "attempted");
    click(&mut h, a);
    let end = cp(TEXT, "abduct") + 5;
    let q = point(&h, end);
    h.run_steps(40);
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.event(Event::PointerMoved(q));
    h.event(Event::PointerButton {
        pos: q,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::SHIFT,
    });
    h.event(Event::PointerButton {
        pos: q,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::SHIFT,
    });
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
    assert_eq!(h.state().session.selection(), Some(a..end + 1));
    type_key(&mut h, "3");
    assert!(
        spans(&h)
            .iter()
            .any(|s| s.0 == "EVENT" && s.1 == "attempted to abduct")
    );
}

#[test]
fn keyboard_selection_by_character_and_by_word() {
    let mut h = harness(&[TEXT]);
    let b = cp(TEXT, "Bannu");
    click(&mut h, b);
    for _ in 0..5 {
        key(&mut h, Key::ArrowRight, Modifiers::SHIFT);
    }
    assert_eq!(h.state().session.selection(), Some(b..b + 5));
    type_key(&mut h, "1");
    assert_eq!(spans(&h)[0].1, "Bannu");
    key(&mut h, Key::Escape, Modifiers::NONE);
    let t = cp(TEXT, "terrorists");
    click(&mut h, t);
    key(
        &mut h,
        Key::ArrowRight,
        Modifiers::COMMAND | Modifiers::SHIFT,
    );
    key(
        &mut h,
        Key::ArrowRight,
        Modifiers::COMMAND | Modifiers::SHIFT,
    );
    let sel = h.state().session.selection().unwrap();
    let d = h.state().session.document().unwrap();
    assert_eq!(
        d.slice(sel.start, sel.end),
        Some("terrorists attempted"),
        "two words, white space trimmed"
    );
}

#[test]
fn a_count_gets_its_value_and_notes_are_edited_in_the_panel() {
    let text = "Security forces said four militants were killed.";
    let mut h = harness(&[text]);
    let f = cp(text, "four");
    drag(&mut h, f, f + 14, Modifiers::NONE);
    type_key(&mut h, "4");
    let s = h.state().session.selected().cloned().unwrap();
    assert_eq!(
        s.attributes().get("value").map(String::as_str),
        Some("4"),
        "number words become the value"
    );
    // The details panel shows the value; write a note and leave the field.
    let note = h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Note");
    note.focus();
    h.run();
    type_text(&mut h, "from the ISPR statement");
    key(&mut h, Key::Escape, Modifiers::NONE);
    h.get_by_label("Spans").click();
    h.run();
    let s = h.state().session.selected().cloned().unwrap();
    assert_eq!(s.note(), "from the ISPR statement");
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(
        h.state().session.project.documents[0].layers["tester"]
            .iter()
            .next()
            .unwrap()
            .note(),
        ""
    );
}

#[test]
fn dragging_an_edge_handle_resizes_the_span() {
    let text = "They called the WSSP official to come outside.";
    let mut h = harness(&[text]);
    let w = cp(text, "WSSP");
    drag(&mut h, w, w + 4, Modifiers::NONE);
    type_key(&mut h, "2");
    assert_eq!(spans(&h)[0].1, "WSSP");
    // The selected span shows handles; drag its end handle to the end of "official".
    drag(&mut h, w + 4, w + 13, Modifiers::NONE);
    assert_eq!(spans(&h).len(), 1, "a resize, not a new selection");
    assert_eq!(spans(&h)[0].1, "WSSP official");
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(spans(&h)[0].1, "WSSP");
}

#[test]
fn urdu_text_has_glyphs_in_the_bundled_font() {
    // After the app's fonts are installed, any character without a glyph would panic.
    let text = "بنوں میں دہشت گردوں نے اغوا کی کوشش کی۔ پښتو ژبه";
    let mut h = harness(&[text]);
    h.ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Panic);
    h.run();
    drag(&mut h, 1, 3, Modifiers::NONE);
    type_key(&mut h, "1");
    assert_eq!(spans(&h)[0].1, "بنوں");
    // The panic guard would have caught a missing glyph: make sure it did not.
    assert!(h.state().ui.panic_copy.is_none());
}

#[test]
fn emoji_outside_the_bmp_have_glyphs_and_keep_code_point_offsets() {
    let text = "Attack 🙂 😀 👍 🔥 ❤ near Bannu";
    let mut h = harness(&[text]);
    h.ctx
        .set_missing_glyph_policy(egui::MissingGlyphPolicy::Panic);
    h.run();
    let s = cp(text, "Bannu");
    drag(&mut h, s, s + 5, Modifiers::NONE);
    type_key(&mut h, "1");
    // Code points: four astral emoji count one each (UTF-16 would say 26..31).
    assert_eq!(spans(&h)[0], ("LOCATION".into(), "Bannu".into(), 22, 27));
    assert!(h.state().ui.panic_copy.is_none());
}

#[test]
fn label_tags_sit_between_rows_and_never_cover_text() {
    // One long paragraph, so spans start on wrapped rows; nested spans start
    // where their outer span starts.
    let sentence = "Security forces said Fitna al-Khawarij fighters attacked the WSSP official in Bannu on Tuesday. ";
    let text = sentence.repeat(12);
    let mut h = harness(&[&text]);
    h.state_mut()
        .queue(spanmark::ui::command::AppCommand::ToggleTags);
    h.run();
    assert!(h.state().ui.show_tags);
    let mut from = 0;
    for (needle, key) in [
        ("Fitna al-Khawarij", "2"),
        ("WSSP official", "2"),
        ("Bannu", "1"),
    ] {
        for _ in 0..6 {
            let Some(at) = text[from..].find(needle) else {
                break;
            };
            let s = text[..from + at].chars().count();
            let e = s + needle.chars().count();
            drag(&mut h, s, e, Modifiers::ALT);
            type_key(&mut h, key);
            from += at + needle.len();
        }
        from = 0;
    }
    // Nested: "WSSP" inside "WSSP official" starts at the same place.
    let w = cp(&text, "WSSP");
    drag(&mut h, w, w + 4, Modifiers::ALT);
    type_key(&mut h, "2");
    h.run_steps(2);
    let painted = h.state().view.painted.clone();
    assert!(
        painted.tags.len() >= 10,
        "tags were drawn: {}",
        painted.tags.len()
    );
    assert!(painted.text.len() > 3, "the paragraph wraps");
    for tag in &painted.tags {
        let inner = tag.shrink(0.5);
        for band in &painted.text {
            assert!(
                !inner.intersects(*band),
                "a tag at {tag:?} covers the text row {band:?}"
            );
        }
    }
    for (i, a) in painted.tags.iter().enumerate() {
        for b in &painted.tags[i + 1..] {
            assert!(
                !a.shrink(0.5).intersects(b.shrink(0.5)),
                "tags overlap: {a:?} {b:?}"
            );
        }
    }
}

#[test]
fn the_span_list_scrolls_to_a_span_made_in_the_text() {
    use spanmark::model::{LayerId, Span};
    let words: Vec<String> = (0..120).map(|i| format!("place{i:03}")).collect();
    let text = words.join(" ");
    let mut p = project(&[&text]);
    // Every word but the last is a LOCATION already: a long span list.
    for w in words.iter().take(119) {
        let s = cp(&text, w);
        let id = p.allocate_span_id();
        let span = Span::new(
            id,
            s,
            s + w.chars().count(),
            "LOCATION",
            text.chars().count(),
            jiff::Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        p.documents[0]
            .layer_mut(&LayerId::Annotator("tester".into()))
            .insert(span)
            .unwrap();
    }
    let mut h = harness_with(
        spanmark::ui::SpanmarkApp::new(p, None).with_dialogs(Box::new(
            spanmark::ui::file_dialogs::ScriptedDialogs::default(),
        )),
    );
    assert!(h.query_by_label_contains("LOCATION “place000”").is_some());
    assert!(
        h.query_by_label_contains("“place119”").is_none(),
        "the end of the list is out of view"
    );
    let s = cp(&text, "place119");
    h.state_mut().view.scroll_to(s);
    h.run_steps(3);
    drag(&mut h, s, s + 8, Modifiers::NONE);
    type_key(&mut h, "2");
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("ACTOR “place119”").is_some(),
        "the new span is shown in the list"
    );
    assert!(h.query_by_label_contains("LOCATION “place000”").is_none());
}

#[test]
fn the_selection_is_drawn_in_the_neutral_selection_colour_not_a_label_colour() {
    let h = harness(&[TEXT]);
    for dark in [true, false] {
        let theme = if dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        };
        let fill = h.ctx.style_of(theme).visuals.selection.bg_fill;
        assert_eq!(fill, spanmark::ui::palette::selection_fill(dark));
        for label in spanmark::model::LabelSchema::default().labels {
            let c = label.color;
            assert_ne!(
                (fill.r(), fill.g(), fill.b()),
                (c.0, c.1, c.2),
                "the selection looks like {}",
                label.name
            );
        }
        assert_eq!(fill.r(), fill.g(), "a neutral grey");
        assert_eq!(fill.g(), fill.b(), "a neutral grey");
    }
}
