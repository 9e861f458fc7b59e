//! Properties for every entry point that reads outside data: arbitrary bytes
//! (and near-valid files, which reach deeper) never panic; valid projects
//! round-trip through save and load, and the backup holds the previous save.
//! (Exchange-format round trips are in `import_roundtrip.rs`, project
//! round trips with every field in `project_roundtrip.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use proptest::prelude::*;
use spanmark::io::formats::{brat, conll, doccano, label_studio, spacy_jsonl};
use spanmark::io::{decode_text, load_project, parse_project, save_project, to_json_bytes};
use spanmark::model::{Document, LabelSchema, LayerId, Project, Span};

/// 128 cases each, or `PROPTEST_CASES` (e.g. 20000 for a longer local run).
fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 128;
    }
    c
}

/// A small valid project file, to be broken in small ways.
fn valid_project_bytes() -> Vec<u8> {
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("ayesha");
    let mut d = Document::new(
        "d",
        "Doc",
        "In Bannu 🙂, four militants\r\nبنوں".to_string(),
    );
    let n = d.char_len();
    let span = Span::new(
        p.allocate_span_id(),
        3,
        8,
        "LOCATION",
        n,
        jiff::Timestamp::UNIX_EPOCH,
    )
    .unwrap();
    d.layer_mut(&LayerId::Annotator("ayesha".into()))
        .insert(span)
        .unwrap();
    p.add_document(d).unwrap();
    to_json_bytes(&p)
}

/// `base` with a few bytes replaced, removed or inserted, or cut short.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = base.len();
    prop::collection::vec((0..len, any::<u8>(), 0u8..4), 1..6).prop_map(move |edits| {
        let mut b = base.clone();
        for (at, byte, kind) in edits {
            let at = at.min(b.len().saturating_sub(1));
            match kind {
                0 => {
                    if let Some(x) = b.get_mut(at) {
                        *x = byte;
                    }
                }
                1 => {
                    if at < b.len() {
                        b.remove(at);
                    }
                }
                2 => b.insert(at, byte),
                _ => b.truncate(at),
            }
        }
        b
    })
}

/// Text with the characters importers care about: tabs, line breaks, emoji, RTL.
fn texty() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \t\r\n\"{}\\[\\]:,;#TAMBIO\\-🙂بنوں\u{0}\u{feff}]{0,200}"
}

/// Every imported span is non-empty and inside its text.
fn spans_inside(docs: &[spanmark::io::formats::import::ImportedDoc]) -> bool {
    docs.iter().all(|d| {
        let len = d.text.chars().count();
        d.spans.iter().all(|s| s.start < s.end && s.end <= len)
    })
}

fn offset() -> impl Strategy<Value = i64> {
    prop_oneof![-3i64..40, Just(i64::MAX), Just(i64::MIN), Just(1 << 53)]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn project_loader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_project(&bytes);
    }

    #[test]
    fn project_loader_never_panics_on_near_valid_files(bytes in mutated(valid_project_bytes())) {
        let _ = parse_project(&bytes);
    }

    #[test]
    fn text_decoding_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(d) = decode_text(&bytes, "x.txt") {
            prop_assert!(!d.text.contains('\0'));
        }
    }

    #[test]
    fn jsonl_readers_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = doccano::parse(&bytes, "x.jsonl");
        let _ = spacy_jsonl::parse(&bytes, "x.jsonl");
        let _ = label_studio::parse(&bytes, "x.json");
    }

    #[test]
    fn jsonl_readers_never_panic_on_near_valid_lines(
        text in texty(),
        spans in prop::collection::vec((offset(), offset(), "[A-Z🙂]{0,4}"), 0..4),
    ) {
        let label: Vec<_> = spans.iter().map(|(s, e, l)| serde_json::json!([s, e, l])).collect();
        let doccano_line = serde_json::json!({"text": text, "label": label});
        let spacy: Vec<_> = spans
            .iter()
            .map(|(s, e, l)| serde_json::json!({"start": s, "end": e, "label": l}))
            .collect();
        let spacy_line = serde_json::json!({"text": text, "spans": spacy});
        let results: Vec<_> = spans
            .iter()
            .map(|(s, e, l)| serde_json::json!({"type": "labels",
                "value": {"start": s, "end": e, "labels": [l], "text": l}}))
            .collect();
        let ls = serde_json::json!([{"data": {"text": text}, "annotations": [{"result": results}]}]);
        if let Ok(docs) = doccano::parse(doccano_line.to_string().as_bytes(), "x.jsonl") {
            for s in docs.iter().flat_map(|d| &d.spans) {
                prop_assert!(s.start < s.end && s.end <= text.chars().count());
            }
        }
        let _ = spacy_jsonl::parse(spacy_line.to_string().as_bytes(), "x.jsonl");
        let _ = label_studio::parse(ls.to_string().as_bytes(), "x.json");
    }

    #[test]
    fn brat_reader_never_panics(text in texty(), ann in texty()) {
        let _ = brat::parse(text, &ann, "x.ann");
    }

    #[test]
    fn brat_reader_never_panics_on_near_valid_lines(
        text in texty(),
        lines in prop::collection::vec((offset(), offset(), "[A-Z]{1,4}", "[a-z🙂 ;]{0,6}"), 0..5),
    ) {
        let ann: String = lines
            .iter()
            .enumerate()
            .map(|(i, (s, e, l, t))| format!("T{i}\t{l} {s} {e}\t{t}\n#{i}\tAnnotatorNotes T{i}\tnote\n"))
            .collect();
        if let Ok(doc) = brat::parse(text, &ann, "x.ann") {
            prop_assert!(spans_inside(std::slice::from_ref(&doc)));
        }
    }

    #[test]
    fn conll_reader_never_panics(content in texty(), original in texty()) {
        let _ = conll::read_str(&content, "x.conll", &[]);
        let _ = conll::read_str(&content, "x.conll", &[original]);
    }

    #[test]
    fn conll_reader_never_panics_on_near_valid_lines(
        rows in prop::collection::vec(("[a-z🙂]{0,5}", prop_oneof![Just("O"), Just("B-LOC"), Just("I-LOC"), Just("I-X"), Just("B-")]), 0..12),
        original in texty(),
    ) {
        let content: String = rows.iter().map(|(t, g)| format!("{t}\t{g}\n")).collect();
        for originals in [vec![], vec![original]] {
            if let Ok(docs) = conll::read_str(&content, "x.conll", &originals) {
                prop_assert!(spans_inside(&docs), "{content:?}");
            }
        }
    }

    /// save → load is the identity, and a second save that changes the project
    /// keeps the first as the backup.
    #[test]
    fn saved_projects_round_trip_and_the_backup_is_the_previous_save(
        texts in prop::collection::vec("[^\u{0}]{1,60}", 1..4),
        spans in prop::collection::vec((any::<usize>(), any::<usize>()), 0..8),
    ) {
        let mut p = Project::new(LabelSchema::default());
        p.ensure_annotator("ayesha");
        for (i, t) in texts.iter().enumerate() {
            p.add_document(Document::new(format!("d{i}"), format!("Doc {i}"), t.clone())).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.spanmark.json");
        save_project(&p, &path).unwrap();
        let first = p.clone();
        for (k, (a, b)) in spans.into_iter().enumerate() {
            let d = &mut p.documents[k % texts.len()];
            let n = d.char_len();
            let start = a % n;
            let end = start + 1 + b % (n - start);
            let id = spanmark::model::SpanId(k as u64 + 1);
            let span = Span::new(id, start, end, "EVENT", n, jiff::Timestamp::UNIX_EPOCH).unwrap();
            let _ = d.layer_mut(&LayerId::Annotator("ayesha".into())).insert(span);
        }
        save_project(&p, &path).unwrap();
        prop_assert_eq!(&load_project(&path).unwrap(), &p);
        let backup = spanmark::io::atomic::backup_path(&path);
        if p == first {
            // A save that changes nothing writes nothing: no backup turns over.
            prop_assert!(!backup.exists());
        } else {
            prop_assert_eq!(&load_project(&backup).unwrap(), &first);
        }
    }
}
