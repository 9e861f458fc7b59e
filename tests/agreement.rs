//! Agreement figures against values worked out by hand (see docs/agreement.md),
//! the undefined-κ edge case, and the CLI's JSON shape.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use assert_cmd::Command;
use jiff::Timestamp;
use serde_json::Value;
use spanmark::model::{Document, Frame, LabelSchema, LayerId, Project, Span, SpanId};
use spanmark::review::metrics::{agreement, fleiss_kappa};

fn a() -> LayerId {
    LayerId::Annotator("a".into())
}
fn b() -> LayerId {
    LayerId::Annotator("b".into())
}

/// One document with spans (layer, start, end, label).
fn project(text: &str, spans: &[(&LayerId, usize, usize, &str)]) -> Project {
    let mut p = Project::new(LabelSchema::default());
    let mut d = Document::new("d", "d", text.to_string());
    for (layer, s, e, label) in spans {
        let span = Span::new(
            p.allocate_span_id(),
            *s,
            *e,
            *label,
            d.char_len(),
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        d.layer_mut(layer).insert(span).unwrap();
    }
    p.add_document(d).unwrap();
    p
}

fn close(x: Option<f64>, want: f64) {
    let x = x.expect("defined");
    assert!((x - want).abs() < 1e-9, "{x} != {want}");
}

#[test]
fn full_agreement() {
    // "Bannu and Karak": A and B both mark Bannu LOCATION and Karak ACTOR.
    // Exact: tp 2, fp 0, fn 0 → P = R = F1 = 1. Tokens: LOC, O, ACT for both → κ = 1.
    let t = "Bannu and Karak";
    let p = project(
        t,
        &[
            (&a(), 0, 5, "LOCATION"),
            (&a(), 10, 15, "ACTOR"),
            (&b(), 0, 5, "LOCATION"),
            (&b(), 10, 15, "ACTOR"),
        ],
    );
    let r = agreement(&p, &[a(), b()], false);
    assert_eq!(
        (r.exact.micro.tp, r.exact.micro.fp, r.exact.micro.fn_),
        (2, 0, 0)
    );
    close(r.exact.micro.f1, 1.0);
    close(r.overlap.micro.f1, 1.0);
    close(r.token_kappa.overall, 1.0);
    close(r.token_kappa.per_label["LOCATION"], 1.0);
    assert_eq!(r.confusion["LOCATION"]["LOCATION"], 1);
}

#[test]
fn no_agreement() {
    // A: Bannu LOCATION; B: Karak ACTOR. Exact tp 0 → P = 0/1, R = 0/1, F1 = 0.
    // Tokens (Bannu, and, Karak): A = LOC O O, B = O O ACT. p_o = 1/3.
    // p_e = P_A(O)·P_B(O) = 2/3 · 2/3 = 4/9 (LOC and ACT each appear in one layer only).
    // κ = (1/3 − 4/9) / (1 − 4/9) = (−1/9) / (5/9) = −0.2.
    let t = "Bannu and Karak";
    let p = project(t, &[(&a(), 0, 5, "LOCATION"), (&b(), 10, 15, "ACTOR")]);
    let r = agreement(&p, &[a(), b()], false);
    close(r.exact.micro.precision, 0.0);
    close(r.exact.micro.recall, 0.0);
    close(r.exact.micro.f1, 0.0);
    close(r.token_kappa.overall, -0.2);
    assert_eq!(r.confusion["LOCATION"]["missing"], 1);
    assert_eq!(r.confusion["missing"]["ACTOR"], 1);
    // Precision is undefined for a label B never used: reported as None (null), not NaN.
    assert_eq!(r.exact.per_label["LOCATION"].precision, None);
    assert_eq!(r.exact.per_label["LOCATION"].recall, Some(0.0));
}

#[test]
fn partial_agreement_with_nested_spans() {
    // "attempted to abduct in Bannu today"; tokens: attempted to abduct in Bannu today.
    // A: EVENT "attempted to abduct in Bannu" [0,28) with LOCATION "Bannu" [23,28) nested.
    // B: EVENT "attempted to abduct" [0,19) and LOCATION "Bannu" [23,28).
    // Exact: LOCATION agrees, EVENT differs → tp 1, fp 1, fn 1 → P = R = F1 = 0.5.
    // Overlap: the EVENTs overlap with the same label → tp 2 → P = R = F1 = 1.
    // Token labels (outermost span): A = E E E E E O; B = E E E O L O.
    // p_o = 4/6 (attempted, to, abduct, today). P_A: E 5/6, O 1/6. P_B: E 3/6, O 2/6, L 1/6.
    // p_e = 5/6·3/6 + 1/6·2/6 = 17/36. κ = (24/36 − 17/36) / (19/36) = 7/19.
    let t = "attempted to abduct in Bannu today";
    let p = project(
        t,
        &[
            (&a(), 0, 28, "EVENT"),
            (&a(), 23, 28, "LOCATION"),
            (&b(), 0, 19, "EVENT"),
            (&b(), 23, 28, "LOCATION"),
        ],
    );
    let r = agreement(&p, &[a(), b()], false);
    assert_eq!(
        (r.exact.micro.tp, r.exact.micro.fp, r.exact.micro.fn_),
        (1, 1, 1)
    );
    close(r.exact.micro.f1, 0.5);
    close(r.exact.per_label["LOCATION"].f1, 1.0);
    close(r.exact.per_label["EVENT"].f1, 0.0);
    close(r.overlap.micro.f1, 1.0);
    close(r.token_kappa.overall, 7.0 / 19.0);
    // One-vs-rest for LOCATION: A never has L, B has it once → A = O×6, B = O O O O L O.
    // p_o = 5/6, p_e = 1·5/6 = 5/6 → κ = 0.
    close(r.token_kappa.per_label["LOCATION"], 0.0);
    assert_eq!(r.confusion["EVENT"]["missing"], 1);
    assert_eq!(r.confusion["missing"]["EVENT"], 1);
    assert_eq!(r.confusion["LOCATION"]["LOCATION"], 1);
}

#[test]
fn kappa_is_undefined_when_both_use_one_label_only() {
    // Every token is LOCATION for both: p_e = 1, so κ = 0/0: reported as null, never NaN.
    let p = project(
        "Bannu Karak",
        &[(&a(), 0, 11, "LOCATION"), (&b(), 0, 11, "LOCATION")],
    );
    let r = agreement(&p, &[a(), b()], false);
    assert_eq!(r.token_kappa.overall, None);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["token_kappa"]["overall"].is_null());
    assert!(!serde_json::to_string(&r).unwrap().contains("NaN"));
}

#[test]
fn fleiss_kappa_by_hand() {
    // Two items, three raters: (A, A, A) and (A, A, B).
    // P_1 = (9 − 3)/6 = 1, P_2 = (4 + 1 − 3)/6 = 1/3, P̄ = 2/3.
    // p_A = 5/6, p_B = 1/6 → P̄_e = 26/36. κ = (2/3 − 13/18)/(1 − 13/18) = −0.2.
    let r = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let k = fleiss_kappa(&[r(&["A", "A"]), r(&["A", "A"]), r(&["A", "B"])]);
    close(k, -0.2);
    assert_eq!(fleiss_kappa(&[r(&["A"]), r(&["A"]), r(&["A"])]), None);
}

/// The events fixture of docs/agreement.md ("Events, worked example"):
/// three events in A; B marks the first trigger wider, swaps a role, leaves
/// a location out and puts another in the wrong place.
fn events_fixture() -> Project {
    let text = "Militants attacked a police post in Bannu, killing two policemen. \
                Security forces killed four militants in Karak.";
    let at = |s: &str| {
        let b = text.find(s).expect("in the text");
        let start = text[..b].chars().count();
        (start, start + s.chars().count())
    };
    let mut p = Project::new(LabelSchema::default());
    let mut d = Document::new("d", "d", text.to_string());
    // (layer, text, label) → span id
    let span = |p: &mut Project, d: &mut Document, layer: &LayerId, s: &str, label: &str| {
        let (start, end) = at(s);
        let id = p.allocate_span_id();
        let span = Span::new(id, start, end, label, d.char_len(), Timestamp::UNIX_EPOCH).unwrap();
        d.layer_mut(layer).insert(span).unwrap();
        id
    };
    for (layer, attack) in [(a(), "attacked"), (b(), "attacked a police post")] {
        let militants = span(&mut p, &mut d, &layer, "Militants", "ACTOR");
        let attacked = span(&mut p, &mut d, &layer, attack, "EVENT");
        let bannu = span(&mut p, &mut d, &layer, "Bannu", "LOCATION");
        let killing = span(&mut p, &mut d, &layer, "killing", "EVENT");
        let two = span(&mut p, &mut d, &layer, "two policemen", "COUNT");
        let forces = span(&mut p, &mut d, &layer, "Security forces", "ACTOR");
        let killed = span(&mut p, &mut d, &layer, "killed", "EVENT");
        let four = span(&mut p, &mut d, &layer, "four militants", "COUNT");
        let karak = span(&mut p, &mut d, &layer, "Karak", "LOCATION");
        let mut frame = |trigger, ty: &str, slots: &[(&str, SpanId)]| {
            let mut f = Frame::new(p.allocate_frame_id(), trigger);
            f.event_type = Some(ty.to_string());
            for (role, s) in slots {
                f = f.with_slot(role, *s);
            }
            d.layer_mut(&layer).insert_frame(f).unwrap();
        };
        if layer == a() {
            frame(
                attacked,
                "Battles",
                &[("agent", militants), ("location", bannu)],
            );
            frame(
                killing,
                "Violence against civilians",
                &[("agent", militants), ("count", two), ("location", bannu)],
            );
            frame(
                killed,
                "Battles",
                &[("agent", forces), ("count", four), ("location", karak)],
            );
        } else {
            frame(
                attacked,
                "Explosions/Remote violence",
                &[("agent", militants), ("location", bannu)],
            );
            frame(
                killing,
                "Violence against civilians",
                &[("target", militants), ("count", two)],
            );
            frame(
                killed,
                "Battles",
                &[("agent", forces), ("count", four), ("location", bannu)],
            );
        }
    }
    p.add_document(d).unwrap();
    p
}

#[test]
fn event_agreement_by_hand() {
    let r = agreement(&events_fixture(), &[a(), b()], false);
    let f = r.frames.clone().expect("both layers have frames");
    assert_eq!((f.frames_a, f.frames_b), (3, 3));
    // Triggers. Exact: "attacked" ≠ "attacked a police post", so 2 of 3 on
    // each side match: P = R = F1 = 2/3. Overlap: all three match.
    let t = &f.trigger.exact;
    assert_eq!((t.tp, t.fp, t.fn_), (2, 1, 1));
    close(t.f1, 2.0 / 3.0);
    close(f.trigger.overlap.f1, 1.0);
    // Slots, exact. The "attacked" events are unpaired (2 slots missing on
    // each side). "killing": count agrees, Militants is A's agent and B's
    // target (role conflict), A's location has no counterpart (missing in B).
    // "killed": agent and count agree, location Karak vs Bannu (different span).
    let cats = &f.slot_categories;
    assert_eq!(
        [
            cats["agree"],
            cats["role conflict"],
            cats["different span"],
            cats["missing in A"],
            cats["missing in B"],
        ],
        [3, 1, 1, 2, 3]
    );
    // |A| = 2 + 3 + 3 = 8 slots, |B| = 2 + 2 + 3 = 7, tp = 3:
    // P = 3/7, R = 3/8, F1 = 2·3 / (8 + 7) = 0.4.
    let s = &f.slots.exact;
    assert_eq!((s.micro.tp, s.micro.fp, s.micro.fn_), (3, 4, 5));
    close(s.micro.precision, 3.0 / 7.0);
    close(s.micro.recall, 3.0 / 8.0);
    close(s.micro.f1, 0.4);
    // Per role, exact. agent: A 3, B 2, tp 1 → F1 = 2/5. count: 2, 2, 2 → 1.
    // location: 3, 2, 0 → 0. target: A none, B 1 → recall undefined.
    close(s.per_label["agent"].f1, 0.4);
    close(s.per_label["count"].f1, 1.0);
    close(s.per_label["location"].f1, 0.0);
    close(s.per_label["target"].precision, 0.0);
    assert_eq!(s.per_label["target"].recall, None);
    // Overlap: the "attacked" events pair and their 2 slots agree: tp = 5,
    // F1 = 10/15. agent: tp 2 → P 1, R 2/3, F1 0.8. location: tp 1 → 0.4.
    let o = &f.slots.overlap;
    assert_eq!(o.micro.tp, 5);
    close(o.micro.f1, 2.0 / 3.0);
    close(o.per_label["agent"].f1, 0.8);
    close(o.per_label["location"].f1, 0.4);
    // Event types over the 3 overlap pairs: (Battles, Explosions/Remote
    // violence), (VAC, VAC), (Battles, Battles). p_o = 2/3.
    // A: Battles 2/3, VAC 1/3; B: Battles, Explosions, VAC 1/3 each.
    // p_e = 2/3·1/3 + 1/3·1/3 = 1/3. κ = (2/3 − 1/3) / (1 − 1/3) = 1/2.
    assert_eq!(f.event_type.pairs, 3);
    close(f.event_type.observed, 2.0 / 3.0);
    close(f.event_type.kappa, 0.5);
    // The JSON carries the same figures under "frames".
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["frames"]["slot_categories"]["role conflict"], 1);
    close(json["frames"]["event_type"]["kappa"].as_f64(), 0.5);
}

#[test]
fn layers_without_frames_report_no_frame_figures() {
    let p = project(
        "Bannu",
        &[(&a(), 0, 5, "LOCATION"), (&b(), 0, 5, "LOCATION")],
    );
    let r = agreement(&p, &[a(), b()], false);
    assert!(r.frames.is_none());
    assert!(serde_json::to_value(&r).unwrap().get("frames").is_none());
}

#[test]
fn cli_json_on_the_two_sample_annotators() {
    let dir = tempfile::tempdir().unwrap();
    let merged = dir.path().join("m.spanmark.json");
    std::fs::copy(
        "sample-projects/kp-wssp-abduction-attempt.spanmark.json",
        &merged,
    )
    .unwrap();
    let o = Command::cargo_bin("spanmark")
        .unwrap()
        .arg("merge")
        .arg(&merged)
        .arg("sample-projects/kp-wssp-abduction-attempt.bilal.spanmark.json")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::cargo_bin("spanmark")
        .unwrap()
        .args(["agreement", "--json"])
        .arg(&merged)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["layers"],
        serde_json::json!(["ayesha.siddiqui", "bilal.ahmed"])
    );
    assert_eq!(v["documents"], 1);
    for key in ["precision", "recall", "f1", "tp", "fp", "fn"] {
        assert!(v["exact"]["micro"].get(key).is_some(), "{key}");
        assert!(v["overlap"]["micro"].get(key).is_some(), "{key}");
    }
    let f1 = v["exact"]["micro"]["f1"].as_f64().unwrap();
    assert!(
        f1 > 0.9 && f1 < 1.0,
        "the colleague differs in a few places: {f1}"
    );
    assert!(v["token_kappa"]["overall"].as_f64().unwrap() > 0.8);
    assert!(v["fleiss_kappa"].is_null());
    assert_eq!(
        v["confusion"]["ACTOR"]["LOCATION"], 1,
        "an actor tagged as a location"
    );
    assert_eq!(v["confusion"]["COUNT"]["missing"], 1, "a missed count");
    // The text table shows n/a rather than NaN.
    let o = Command::cargo_bin("spanmark")
        .unwrap()
        .arg("agreement")
        .arg(&merged)
        .output()
        .unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("all (micro)") && !text.contains("NaN"),
        "{text}"
    );
}

/// Dense, overlapping layers (many nested and crossing spans per passage,
/// long spans over whole reports and the whole text): the overlap matching
/// grows with the spans and their overlapping pairs, not with the product
/// of the layers. It was quadratic: 2 × 100k such spans took 21 s in a
/// release build; 2 × 40k now take well under a second in a debug one.
#[test]
fn dense_overlapping_layers_are_not_quadratic() {
    let p = spanmark::synthetic::dense_agreement_project(40_000, 3);
    let layers = [
        LayerId::Annotator("ayesha".into()),
        LayerId::Annotator("bilal".into()),
    ];
    let t = std::time::Instant::now();
    let r = agreement(&p, &layers, false);
    let secs = t.elapsed().as_secs_f64();
    eprintln!("2 × 40k dense spans: {secs:.2} s");
    let (exact, overlap) = (r.exact.micro, r.overlap.micro);
    // B copies 70% of A as it is and moves 10% of ends: overlap finds more.
    assert!(
        exact.tp > 25_000 && overlap.tp > exact.tp,
        "{exact:?} {overlap:?}"
    );
    assert!(overlap.tp <= exact.tp + exact.fn_.min(exact.fp));
    assert!(secs < 6.0, "took {secs:.2} s");
}

/// The CLI prints the events table of docs/agreement.md, worked example 6.
#[test]
fn cli_table_of_the_events_example() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.spanmark.json");
    let mut p = events_fixture();
    p.ensure_annotator("a");
    p.ensure_annotator("b");
    spanmark::io::save_project(&p, &path).unwrap();
    let o = Command::cargo_bin("spanmark")
        .unwrap()
        .args(["agreement", "--layers", "a,b"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let events = &text[text.find("events:").expect("an events part")..];
    let doc = std::fs::read_to_string("docs/agreement.md").unwrap();
    assert!(
        doc.contains(events),
        "docs/agreement.md should show this table:\n{events}"
    );
}
