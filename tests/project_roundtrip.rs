//! save → load is the identity on arbitrary Unicode texts and spans, and
//! saving is deterministic.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use jiff::Timestamp;
use proptest::prelude::*;
use spanmark::io::{load_project, save_project, to_json_bytes};
use spanmark::model::{DocStatus, Document, LabelSchema, LayerId, Project, Span, SpanId};

/// Any text without NUL: astral emoji, Urdu, CRLF, lone CR, tabs and other control characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[^\u{0}]{1,120}",
        "[a-z ’“”🙂👩‍👩‍👧بنوںپښتو\r\n\t\u{1}\u{7f}\u{200d}\u{feff}]{1,120}",
    ]
}

#[derive(Debug, Clone)]
struct SpanSpec {
    layer: usize,
    start: usize,
    len: usize,
    label: usize,
    note: String,
    attrs: Vec<(String, String)>,
    times: Option<(i64, i64)>,
}

fn span_spec() -> impl Strategy<Value = SpanSpec> {
    (
        0usize..3,
        any::<usize>(),
        any::<usize>(),
        0usize..5,
        "[^\u{0}]{0,10}",
        prop::collection::vec(("[^\u{0}]{1,6}", "[^\u{0}]{0,6}"), 0..3),
        prop::option::of((0i64..4_000_000_000, 0i64..1_000_000)),
    )
        .prop_map(|(layer, start, len, label, note, attrs, times)| SpanSpec {
            layer,
            start,
            len,
            label,
            note,
            attrs,
            times,
        })
}

fn build(docs: Vec<(String, Vec<SpanSpec>)>, status: usize) -> Project {
    let mut schema = LabelSchema::default();
    schema.ensure("ÖRT-📍");
    let labels: Vec<String> = schema.names().map(String::from).collect();
    let mut p = Project::new(schema);
    let layers = [
        LayerId::Annotator("ayesha".into()),
        LayerId::Annotator("بلال".into()),
        LayerId::Gold,
    ];
    p.ensure_annotator("ayesha");
    p.ensure_annotator("بلال");
    p.default_annotator = Some("بلال".into());
    for (i, (text, specs)) in docs.into_iter().enumerate() {
        let mut d = Document::new(format!("doc-{i}"), format!("“Doc” {i} 🙂"), text);
        d.status = [DocStatus::Todo, DocStatus::InProgress, DocStatus::Done][(status + i) % 3];
        if i % 2 == 0 {
            d.source_file = Some(format!("ملف-{i}.txt"));
        }
        let n = d.char_len();
        for s in specs {
            let start = s.start % n;
            let end = start + 1 + s.len % (n - start);
            let mut span = Span::new(
                p.allocate_span_id(),
                start,
                end,
                labels[s.label].clone(),
                n,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            span.set_note(s.note);
            span.set_attributes(s.attrs.into_iter().collect());
            match s.times {
                Some((c, m)) => {
                    span.created = Timestamp::from_second(c).ok();
                    span.modified = Timestamp::from_second(c + m).ok();
                }
                None => (span.created, span.modified) = (None, None),
            }
            d.layer_mut(&layers[s.layer]).insert(span).unwrap();
        }
        p.add_document(d).unwrap();
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn save_then_load_is_identity(
        docs in prop::collection::vec((text(), prop::collection::vec(span_spec(), 0..12)), 0..4),
        status in 0usize..3,
    ) {
        let project = build(docs, status);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.spanmark.json");
        save_project(&project, &path).unwrap();
        let loaded = load_project(&path).unwrap();
        prop_assert_eq!(&loaded, &project);
        // Texts survive byte for byte (no CRLF or NFC normalisation).
        for (a, b) in loaded.documents.iter().zip(&project.documents) {
            prop_assert_eq!(a.text().as_bytes(), b.text().as_bytes());
            prop_assert_eq!(a.fingerprint(), b.fingerprint());
        }
        // Deterministic: the loaded project saves to the same bytes.
        prop_assert_eq!(to_json_bytes(&loaded), std::fs::read(&path).unwrap());
    }
}

#[test]
fn span_ids_continue_after_load() {
    let mut p = build(vec![("Bannu".into(), vec![])], 0);
    let doc = p.documents[0].id.clone();
    let span = Span::new(SpanId(41), 0, 5, "LOCATION", 5, Timestamp::UNIX_EPOCH).unwrap();
    p.document_mut(&doc)
        .unwrap()
        .layer_mut(&LayerId::Gold)
        .insert(span)
        .unwrap();
    let loaded = spanmark::io::parse_project(&to_json_bytes(&p)).unwrap();
    let mut loaded = loaded;
    assert_eq!(loaded.allocate_span_id(), SpanId(42));
}

#[test]
fn gold_provenance_and_review_decisions_survive_save_and_load() {
    use spanmark::model::{Decision, GoldSource, LayerId, Provenance, Span, SpanId, Verdict};
    let mut p = build(vec![("In Bannu, police said.".into(), vec![])], 0);
    let at = jiff::Timestamp::UNIX_EPOCH;
    let mut gold = Span::new(SpanId(40), 3, 8, "LOCATION", 22, at).unwrap();
    gold.set_provenance(Some(Box::new(Provenance {
        source: GoldSource::Both,
        annotators: vec!["ayesha".into(), "bilal".into()],
        from: vec![SpanId(1), SpanId(2)],
        reviewer: "nadia".into(),
        at: Some(at),
    })));
    p.documents[0]
        .layer_mut(&LayerId::Gold)
        .insert(gold)
        .unwrap();
    p.documents[0].decisions = vec![
        Decision {
            a: Some(SpanId(1)),
            b: Some(SpanId(2)),
            verdict: Verdict::AcceptBoth,
            reviewer: "nadia".into(),
            at: Some(at),
        },
        Decision {
            a: None,
            b: Some(SpanId(7)),
            verdict: Verdict::Reject,
            reviewer: "nadia".into(),
            at: None,
        },
    ];
    let bytes = spanmark::io::to_json_bytes(&p);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains(r#""provenance":{"source":"both","annotators":["ayesha","bilal"],"from":[1,2],"reviewer":"nadia","at":"1970-01-01T00:00:00Z"}"#), "{text}");
    assert!(
        text.contains(r#"{"b":7,"verdict":"reject","reviewer":"nadia"}"#),
        "{text}"
    );
    let back = spanmark::io::parse_project(&bytes).unwrap();
    assert_eq!(back, p);
    // A decision that names neither span is refused with its path.
    let broken = text.replace(r#"{"b":7,"verdict""#, r#"{"verdict""#);
    let err = spanmark::io::parse_project(broken.as_bytes()).unwrap_err();
    assert!(
        err.to_string()
            .contains("documents[0].decisions[1]: a decision names neither an A nor a B span"),
        "{err}"
    );
}

/// Event frames live in the model before the version-2 file stores them:
/// until then a save refuses, rather than write a file without them.
#[test]
fn a_project_with_event_frames_is_not_saved_without_them() {
    use spanmark::model::{Command, Frame};
    let text = "Security forces killed four militants.";
    let mut p = Project::new(LabelSchema::default());
    p.add_document(Document::new("d", "d", text.into()))
        .unwrap();
    let layer = LayerId::Annotator("a".into());
    let id = p.allocate_span_id();
    let span = Span::new(
        id,
        16,
        22,
        "EVENT",
        text.chars().count(),
        Timestamp::UNIX_EPOCH,
    )
    .unwrap();
    Command::AddSpan {
        doc: "d".into(),
        layer: layer.clone(),
        span,
    }
    .apply(&mut p)
    .unwrap();
    let frame = Frame::new(p.allocate_frame_id(), id);
    Command::AddFrame {
        doc: "d".into(),
        layer,
        frame,
    }
    .apply(&mut p)
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.spanmark.json");
    let err = save_project(&p, &path).unwrap_err().to_string();
    assert!(err.contains("1 event frame(s)"), "{err}");
    assert!(err.contains("not lost"), "{err}");
    assert!(!path.exists(), "nothing was written");
}
