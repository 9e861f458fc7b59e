//! Linking spans into events from the keyboard and the mouse: a role's key
//! with the event selected, then a click on the span (or the key again for
//! the nearest candidate of the sentence); each link is one undo step.

use eframe::egui::{Key, Modifiers};

use super::common::{click, cp, harness, key, settle, status, type_key};
use spanmark::model::LayerId;

const TEXT: &str = "Police said militants attacked a checkpost in Bannu on Monday.";

fn label(h: &mut egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>, word: &str, key_char: &str) {
    let start = cp(TEXT, word);
    let end = start + word.chars().count();
    h.state_mut().session.select_exact(start..end);
    h.run();
    type_key(h, key_char);
}

fn frames(h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>) -> Vec<spanmark::model::Frame> {
    h.state()
        .session
        .document()
        .and_then(|d| d.layer(&LayerId::Annotator("tester".into())))
        .map(|l| l.frames().cloned().collect())
        .unwrap_or_default()
}

fn span_text(
    h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>,
    id: spanmark::model::SpanId,
) -> String {
    let d = h.state().session.document().unwrap();
    let s = d
        .layer(&LayerId::Annotator("tester".into()))
        .unwrap()
        .get(id)
        .unwrap();
    d.slice(s.start(), s.end()).unwrap().to_string()
}

#[test]
fn a_role_key_then_a_click_links_and_the_key_twice_takes_the_nearest() {
    let mut h = harness(&[TEXT]);
    label(&mut h, "Police", "2");
    label(&mut h, "militants", "2");
    label(&mut h, "Bannu", "1");
    label(&mut h, "attacked", "3");
    assert!(
        h.state()
            .session
            .selected()
            .is_some_and(|s| s.label == "EVENT")
    );

    // a, then a click on "militants": the agent.
    type_key(&mut h, "a");
    assert!(
        status(&h).contains("The agent of “attacked”"),
        "{}",
        status(&h)
    );
    click(&mut h, cp(TEXT, "militants") + 2);
    settle(&mut h);
    let f = frames(&h);
    assert_eq!(f.len(), 1, "one frame on the event");
    let agents: Vec<String> = f[0].fillers("agent").map(|id| span_text(&h, id)).collect();
    assert_eq!(agents, ["militants"]);
    assert!(
        h.state()
            .session
            .selected()
            .is_some_and(|s| s.label == "EVENT"),
        "the event stays selected for the next role"
    );

    // l twice: the nearest LOCATION of the sentence, without the mouse.
    type_key(&mut h, "l");
    assert!(status(&h).contains("l again for “Bannu”"), "{}", status(&h));
    type_key(&mut h, "l");
    let f = frames(&h);
    let places: Vec<String> = f[0]
        .fillers("location")
        .map(|id| span_text(&h, id))
        .collect();
    assert_eq!(places, ["Bannu"]);

    // Esc cancels a waiting role; a click then selects as usual.
    type_key(&mut h, "t");
    key(&mut h, Key::Escape, Modifiers::NONE);
    assert!(h.state().ui.linking.is_none());

    // Undo takes the links back one at a time.
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert_eq!(frames(&h)[0].fillers("location").count(), 0);
    key(&mut h, Key::Z, Modifiers::COMMAND);
    assert!(
        frames(&h).is_empty(),
        "the frame made by the first link goes with it"
    );
}

#[test]
fn a_role_refused_by_the_schema_says_why_and_changes_nothing() {
    let mut h = harness(&[TEXT]);
    label(&mut h, "Police", "2");
    label(&mut h, "attacked", "3");
    // c (count), then a click on an ACTOR: a count must be a COUNT span.
    type_key(&mut h, "c");
    click(&mut h, cp(TEXT, "Police") + 1);
    settle(&mut h);
    assert!(frames(&h).is_empty());
    assert!(
        status(&h).contains("Not linked: a span labelled ACTOR cannot fill role \"count\""),
        "{}",
        status(&h)
    );
}
