//! Resizing the window while reading: the row at the top of the view stays
//! at the top, on a short document (heights re-estimated at once) and on a
//! long one (re-estimated a slice per frame, the old heights kept meanwhile).

use eframe::egui;

use super::common::{cp, harness, wait_for};

/// The first code point of the top row shown.
fn top(h: &egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>) -> usize {
    h.state()
        .view
        .visible_range()
        .expect("rows are shown")
        .start
}

fn settle_view(h: &mut egui_kittest::Harness<'_, spanmark::ui::SpanmarkApp>) {
    h.step();
    wait_for(h, |h| !h.state().view.is_settling());
    h.step();
}

#[test]
fn narrowing_the_window_keeps_the_reading_position() {
    let para =
        "Security forces conducted an operation in North Waziristan, eliminating 15 militants. "
            .repeat(5);
    let text: String = (0..300).map(|i| format!("{i}: {para}\n")).collect();
    let mut h = harness(&[&text]);
    h.state_mut().view.scroll_to(cp(&text, "200: "));
    settle_view(&mut h);
    let before = top(&h);
    assert!(before > cp(&text, "150: "), "scrolled into the document");
    h.set_size(egui::vec2(760.0, 800.0));
    settle_view(&mut h);
    assert_eq!(
        top(&h),
        before,
        "the same row is at the top after the resize"
    );
    h.set_size(egui::vec2(1280.0, 800.0));
    settle_view(&mut h);
    assert_eq!(top(&h), before, "and after widening again");
}

#[test]
fn a_long_document_re_estimates_over_frames_and_keeps_the_reading_position() {
    // More rows than one frame re-estimates; each wraps once the window is narrow.
    let line = "Bannu district police station attacked overnight, two injured.";
    let text: String = (0..120_000).map(|i| format!("{i:06} {line}\n")).collect();
    let mut h = harness(&[&text]);
    h.state_mut().view.scroll_to(cp(&text, "080000 "));
    settle_view(&mut h);
    let before = top(&h);
    assert!(before > cp(&text, "070000 "), "scrolled into the document");
    h.set_size(egui::vec2(640.0, 800.0));
    h.step();
    assert!(
        h.state().view.is_settling(),
        "one frame does not re-estimate 120,000 rows"
    );
    settle_view(&mut h);
    assert_eq!(
        top(&h),
        before,
        "the same row is at the top once heights are new"
    );
}
