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
    DocStatus, Document, LabelSchema, LayerId, Project, Span, SpanId, count_value,
};
use spanmark::sample::{SAMPLE_PROJECT_JSON, sample_project};

const TEXT: &str = include_str!("../sample-projects/kp-wssp-abduction-attempt.txt");
const SPANS_JSON: &str = include_str!("../sample-projects/kp-wssp-abduction-attempt.spans.json");
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

fn expected() -> Vec<Expected> {
    serde_json::from_str(SPANS_JSON).expect("spans list parses")
}

/// The sample project as built from the article and the hand-made spans list.
fn build_sample() -> Project {
    let mut project = Project::new(LabelSchema::default());
    project.ensure_annotator(ANNOTATOR);
    project.default_annotator = Some(ANNOTATOR.to_string());
    let mut doc = Document::new(
        "kp-wssp-abduction-attempt",
        "Khawarij fail to abduct WSSP official (Bannu)",
        TEXT.to_string(),
    );
    doc.source_file = Some("kp-wssp-abduction-attempt.txt".to_string());
    doc.status = DocStatus::Done;
    let start: Timestamp = "2026-11-20T09:12:00Z".parse().unwrap();
    let layer = LayerId::Annotator(ANNOTATOR.to_string());
    for (i, e) in expected().into_iter().enumerate() {
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
        span.note = e.note;
        if span.label == "COUNT" {
            let value = count_value(&e.text).unwrap_or_else(|| if e.text == "one" { 1 } else { 0 });
            span.attributes.insert("value".into(), value.to_string());
        }
        doc.layer_mut(&layer).insert(span).unwrap();
    }
    project.add_document(doc).unwrap();
    project
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
                s.attributes["value"].as_str(),
            )
        })
        .collect();
    assert!(counts.contains(&("four militants", "4")));
    assert!(counts.contains(&("three bodies", "3")));
    assert!(counts.contains(&("18 terrorists", "18")));
}
