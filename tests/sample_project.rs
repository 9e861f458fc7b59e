//! The bundled sample project: every span sits on the text it claims, offsets
//! are code points, and the committed file is exactly what its sources give.
//!
//! Regenerate the project after editing the spans list:
//! `UPDATE_SAMPLE=1 cargo test --test sample_project`

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use jiff::Timestamp;
use serde::Deserialize;
use spanmark::io::to_json_bytes;
use spanmark::model::{
    DocStatus, Document, Frame, FrameId, LabelSchema, LayerId, Project, Span, SpanId, count_value,
};
use spanmark::sample::{SAMPLE_PROJECT_JSON, sample_project};

const TEXT: &str = include_str!("../sample-projects/kp-wssp-abduction-attempt.txt");
const SPANS_JSON: &str = include_str!("../sample-projects/kp-wssp-abduction-attempt.spans.json");
const FRAMES_JSON: &str = include_str!("../sample-projects/kp-wssp-abduction-attempt.frames.json");
const PROJECT_PATH: &str = "sample-projects/kp-wssp-abduction-attempt.spanmark.json";
const ANNOTATOR: &str = "ayesha.siddiqui";

/// One hand-made annotation, with the text it must cover.
#[derive(Deserialize)]
struct Expected {
    label: String,
    start: usize,
    end: usize,
    text: String,
    note: String,
}

/// A span of a hand-made frame, by its offsets and the text it must cover.
#[derive(Deserialize)]
struct FrameSpan {
    #[serde(default)]
    role: String,
    start: usize,
    end: usize,
    text: String,
}

/// One hand-made event frame (docs/annotation-guidelines.md, "Events").
#[derive(Deserialize)]
struct ExpectedFrame {
    trigger: FrameSpan,
    event_type: Option<String>,
    slots: Vec<FrameSpan>,
    note: String,
}

fn expected_frames() -> Vec<ExpectedFrame> {
    serde_json::from_str(FRAMES_JSON).expect("frames list parses")
}

fn expected() -> Vec<Expected> {
    serde_json::from_str(SPANS_JSON).expect("spans list parses")
}

/// The sample project as built from the article and the hand-made spans list.
fn build_sample() -> Project {
    build(ANNOTATOR, "2026-11-20T09:12:00Z", expected())
}

const COLLEAGUE: &str = "bilal.ahmed";
const COLLEAGUE_PATH: &str = "sample-projects/kp-wssp-abduction-attempt.bilal.spanmark.json";

/// A second analyst's copy with realistic differences from the first:
/// a different boundary ("the WSSP official"), an actor tagged as a location
/// ("local residents"), a missed count ("four militants") and an extra event ("lash out").
fn colleague_spans() -> Vec<Expected> {
    let mut spans = expected();
    let find = |spans: &[Expected], label: &str, text: &str| {
        spans
            .iter()
            .position(|e| e.label == label && e.text == text)
            .expect("span in the list")
    };
    // The body's one lower-case "WSSP official" ("They called the WSSP official").
    let wssp = spans
        .iter()
        .find(|e| e.label == "ACTOR" && e.text == "WSSP official")
        .map(|e| e.start);
    let i = spans
        .iter()
        .position(|e| Some(e.start) == wssp && e.text == "WSSP official")
        .unwrap();
    spans[i].start -= 4;
    spans[i].text = format!("the {}", spans[i].text);
    assert_eq!(
        &TEXT
            .chars()
            .skip(spans[i].start)
            .take(spans[i].end - spans[i].start)
            .collect::<String>(),
        &spans[i].text
    );
    let i = find(&spans, "ACTOR", "local residents");
    spans[i].label = "LOCATION".into();
    let i = find(&spans, "COUNT", "four militants");
    spans.remove(i);
    let start = TEXT[..TEXT.find("lash out").unwrap()].chars().count();
    spans.push(Expected {
        label: "EVENT".into(),
        start,
        end: start + 8,
        text: "lash out".into(),
        note: String::new(),
    });
    spans
}

fn build(annotator: &str, first_time: &str, spans: Vec<Expected>) -> Project {
    let mut project = Project::new(LabelSchema::default());
    project.ensure_annotator(annotator);
    project.default_annotator = Some(annotator.to_string());
    let mut doc = Document::new(
        "kp-wssp-abduction-attempt",
        "Khawarij fail to abduct WSSP official (Bannu)",
        TEXT.to_string(),
    );
    doc.source_file = Some("kp-wssp-abduction-attempt.txt".to_string());
    doc.status = DocStatus::Done;
    let start: Timestamp = first_time.parse().unwrap();
    let layer = LayerId::Annotator(annotator.to_string());
    for (i, e) in spans.into_iter().enumerate() {
        let at = start + jiff::SignedDuration::from_secs(23 * i as i64);
        let mut span = Span::new(
            SpanId(i as u64 + 1),
            e.start,
            e.end,
            e.label,
            doc.char_len(),
            at,
        )
        .unwrap();
        span.set_note(e.note);
        if span.label == "COUNT" {
            let value = count_value(&e.text).unwrap_or_else(|| if e.text == "one" { 1 } else { 0 });
            span.set_attribute("value".into(), value.to_string());
        }
        doc.layer_mut(&layer).insert(span).unwrap();
    }
    add_frames(&mut doc, &layer, &project.schema.events);
    project.add_document(doc).unwrap();
    project
}

/// The hand-made frames, on the spans at their offsets. A slot whose span
/// this copy lacks, or labels so that the role does not take it, is left
/// out: the colleague's copy differs there as its spans do.
fn add_frames(doc: &mut Document, layer: &LayerId, events: &spanmark::model::EventSchema) {
    let spans = doc.layer(layer).unwrap();
    let find = |f: &FrameSpan, labels: &[String]| {
        spans
            .iter()
            .find(|s| s.start() == f.start && s.end() == f.end && labels.contains(&s.label))
            .map(|s| s.id())
    };
    let mut frames = Vec::new();
    for (i, e) in expected_frames().into_iter().enumerate() {
        assert_eq!(
            doc.slice(e.trigger.start, e.trigger.end),
            Some(e.trigger.text.as_str())
        );
        let trigger = find(&e.trigger, &events.trigger_labels).expect("trigger span");
        let mut frame = Frame::new(FrameId(i as u64 + 1), trigger);
        frame.event_type = e.event_type;
        frame.note = e.note;
        for slot in &e.slots {
            assert_eq!(doc.slice(slot.start, slot.end), Some(slot.text.as_str()));
            let role = events.role(&slot.role).expect("a role of the schema");
            if let Some(id) = find(slot, &role.labels) {
                frame = frame.with_slot(&slot.role, id);
            }
        }
        frames.push(frame);
    }
    let layer = doc.layer_mut(layer);
    for frame in frames {
        layer.insert_frame(frame).unwrap();
    }
}

#[test]
fn committed_sample_is_generated_from_its_sources() {
    let built = to_json_bytes(&build_sample());
    if std::env::var_os("UPDATE_SAMPLE").is_some() {
        std::fs::write(PROJECT_PATH, &built).unwrap();
    }
    assert!(
        built == SAMPLE_PROJECT_JSON.as_bytes(),
        "{PROJECT_PATH} is stale: run UPDATE_SAMPLE=1 cargo test --test sample_project"
    );
}

#[test]
fn committed_colleague_copy_is_generated_from_its_sources() {
    let built = to_json_bytes(&build(COLLEAGUE, "2026-11-21T14:03:00Z", colleague_spans()));
    if std::env::var_os("UPDATE_SAMPLE").is_some() {
        std::fs::write(COLLEAGUE_PATH, &built).unwrap();
    }
    let committed = std::fs::read(COLLEAGUE_PATH).unwrap_or_default();
    assert!(
        built == committed,
        "{COLLEAGUE_PATH} is stale: run UPDATE_SAMPLE=1 cargo test --test sample_project"
    );
    let p = spanmark::io::parse_project(&committed).unwrap();
    let doc = &p.documents[0];
    let has = |label: &str, text: &str| {
        doc.layers[COLLEAGUE]
            .iter()
            .any(|s| s.label == label && doc.slice(s.start(), s.end()) == Some(text))
    };
    assert!(
        has("ACTOR", "the WSSP official")
            && has("LOCATION", "local residents")
            && has("EVENT", "lash out")
    );
    assert!(!has("COUNT", "four militants"));
}

#[test]
fn every_sample_span_covers_its_expected_text() {
    let project = sample_project().expect("the embedded sample is valid");
    let doc = &project.documents[0];
    assert_eq!(doc.text(), TEXT);
    let layer = doc.layers.get(ANNOTATOR).expect("annotator layer");
    let expected = expected();
    assert_eq!(layer.len(), expected.len());
    let mut by_position: Vec<&Expected> = expected.iter().collect();
    by_position.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    for (span, e) in layer.iter().zip(by_position) {
        assert_eq!(
            (span.start(), span.end(), span.label.as_str()),
            (e.start, e.end, e.label.as_str())
        );
        let covered = doc.slice(span.start(), span.end()).unwrap();
        assert_eq!(
            covered,
            e.text,
            "span {:?} at {}..{}",
            span.label,
            span.start(),
            span.end()
        );
        // Code points, not bytes: compare with Python-style indexing.
        let by_chars: String = TEXT.chars().skip(span.start()).take(span.len()).collect();
        assert_eq!(covered, by_chars);
    }
}

#[test]
fn sample_offsets_are_code_points_not_bytes() {
    let project = sample_project().unwrap();
    let doc = &project.documents[0];
    let layer = doc.layers.get(ANNOTATOR).unwrap();
    // "Bannu" appears after the first curly quote (’ is 3 bytes, 1 code point).
    let bannu = layer
        .iter()
        .find(|s| doc.slice(s.start(), s.end()) == Some("Bannu"))
        .unwrap();
    let byte_start = TEXT.find("Bannu").unwrap();
    assert_eq!(TEXT[..byte_start].chars().count(), bannu.start());
    assert!(
        byte_start > bannu.start(),
        "the article has multi-byte quotes before Bannu"
    );
}

#[test]
fn sample_covers_all_four_labels_and_key_mentions() {
    let project = sample_project().unwrap();
    let doc = &project.documents[0];
    let layer = doc.layers.get(ANNOTATOR).unwrap();
    let has = |label: &str, text: &str| {
        layer
            .iter()
            .any(|s| s.label == label && doc.slice(s.start(), s.end()) == Some(text))
    };
    assert!(has("LOCATION", "Bannu"));
    assert!(has("ACTOR", "Fitna al-Khawarij"));
    assert!(has("EVENT", "attempted to abduct"));
    assert!(has("COUNT", "15 militants"));
    let counts: Vec<(&str, &str)> = layer
        .iter()
        .filter(|s| s.label == "COUNT")
        .map(|s| {
            (
                doc.slice(s.start(), s.end()).unwrap(),
                s.attributes()["value"].as_str(),
            )
        })
        .collect();
    assert!(counts.contains(&("four militants", "4")));
    assert!(counts.contains(&("three bodies", "3")));
    assert!(counts.contains(&("18 terrorists", "18")));
}
