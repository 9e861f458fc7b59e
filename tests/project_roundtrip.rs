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
        if i % 3 == 1 {
            d.date = Some(
                jiff::civil::date(2024, 2, 29)
                    .checked_add(jiff::Span::new().days(i as i64))
                    .unwrap(),
            );
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

/// A project with events: frames (one sharing its trigger with another),
/// a relation, and gold frames.
fn project_with_events() -> Project {
    use spanmark::model::{Command, Frame, Relation};
    let text = "Security forces said four militants were killed in Bajaur and one in Khyber.";
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("a");
    p.add_document(Document::new("d", "d", text.into()))
        .unwrap();
    let n = text.chars().count();
    let mut spans = Vec::new();
    for layer in [LayerId::Annotator("a".into()), LayerId::Gold] {
        let mut ids = Vec::new();
        for (word, label) in [
            ("Security forces", "ACTOR"),
            ("killed", "EVENT"),
            ("four militants", "COUNT"),
            ("Bajaur", "LOCATION"),
            ("one", "COUNT"),
            ("Khyber", "LOCATION"),
        ] {
            let s = text.find(word).unwrap();
            let id = p.allocate_span_id();
            let span = Span::new(id, s, s + word.len(), label, n, Timestamp::UNIX_EPOCH).unwrap();
            Command::AddSpan {
                doc: "d".into(),
                layer: layer.clone(),
                span,
            }
            .apply(&mut p)
            .unwrap();
            ids.push(id);
        }
        spans.push((layer, ids));
    }
    for (layer, ids) in spans {
        let mut bajaur = Frame::new(p.allocate_frame_id(), ids[1])
            .with_slot("agent", ids[0])
            .with_slot("count", ids[2])
            .with_slot("location", ids[3]);
        bajaur.event_type = Some("Battles".into());
        bajaur.note = "one verb, two events".into();
        let khyber = Frame::new(p.allocate_frame_id(), ids[1])
            .with_slot("count", ids[4])
            .with_slot("location", ids[5]);
        let relation = Relation {
            id: p.allocate_relation_id(),
            from: ids[2],
            to: ids[4],
            kind: "same_as".into(),
            directed: true,
        };
        for cmd in [
            Command::AddFrame {
                doc: "d".into(),
                layer: layer.clone(),
                frame: bajaur,
            },
            Command::AddFrame {
                doc: "d".into(),
                layer: layer.clone(),
                frame: khyber,
            },
            Command::AddRelation {
                doc: "d".into(),
                layer,
                relation,
            },
        ] {
            cmd.apply(&mut p).unwrap();
        }
    }
    p
}

#[test]
fn frames_and_relations_round_trip_through_a_version_2_file() {
    let p = project_with_events();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.spanmark.json");
    save_project(&p, &path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"version\": 2"), "written as version 2");
    assert!(text.contains("\"gold_frames\"") && text.contains("\"relations\""));
    // One frame per line, so version control diffs stay readable.
    assert_eq!(
        text.lines().filter(|l| l.contains("\"trigger\"")).count(),
        4
    );
    let back = load_project(&path).unwrap();
    assert_eq!(
        back, p,
        "frames, slots, relations and event types come back"
    );
    let layer = back.documents[0]
        .layer(&LayerId::Annotator("a".into()))
        .unwrap();
    assert_eq!(layer.frames().len(), 2);
    // New ids do not collide with the loaded frames' and relations'.
    let mut back = back;
    let fresh = back.allocate_frame_id();
    assert!(layer_ids(&p).iter().all(|id| *id < fresh.0));
    assert_eq!(
        to_json_bytes(&back),
        text.into_bytes(),
        "saving is deterministic"
    );
}

fn layer_ids(p: &Project) -> Vec<u64> {
    p.documents
        .iter()
        .flat_map(|d| d.all_layers())
        .flat_map(|(_, l)| {
            l.frames()
                .map(|f| f.id.0)
                .chain(l.links().relations().map(|r| r.id.0))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn a_version_1_file_loads_with_the_default_event_schema() {
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("a");
    p.add_document(Document::new("d", "d", "Bannu".into()))
        .unwrap();
    let v2 = String::from_utf8(to_json_bytes(&p)).unwrap();
    // A version-1 file: no events in the schema, version 1.
    let start = v2.find(",\n    \"events\"").unwrap();
    let end = start + v2[start..].find('\n').unwrap() + 1;
    let end = end + v2[end..].find('\n').unwrap();
    let mut v1 = format!("{}{}", &v2[..start], &v2[end..]);
    v1 = v1.replace("\"version\": 2", "\"version\": 1");
    assert!(!v1.contains("\"events\""), "{v1}");
    let back = spanmark::io::parse_project(v1.as_bytes()).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.schema.events, spanmark::model::EventSchema::default());
}

#[test]
fn a_frame_whose_trigger_is_missing_is_refused_with_its_path() {
    let p = project_with_events();
    let text = String::from_utf8(to_json_bytes(&p)).unwrap();
    let first_trigger = p.documents[0]
        .layer(&LayerId::Annotator("a".into()))
        .unwrap()
        .frames()
        .next()
        .unwrap()
        .trigger;
    let broken = text.replacen(
        &format!("\"trigger\":{}", first_trigger.0),
        "\"trigger\":999999",
        1,
    );
    assert_ne!(broken, text, "the trigger was replaced");
    let err = spanmark::io::parse_project(broken.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("documents[0].frames.a[0].trigger: the frame's trigger #999999 is not a span of this layer"),
        "{err}"
    );
    let unknown_role = text.replacen("\"role\":\"agent\"", "\"role\":\"weapon\"", 1);
    let err = spanmark::io::parse_project(unknown_role.as_bytes())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "documents[0].frames.a[0].slots[0].role: role \"weapon\" is not in the schema"
        ),
        "{err}"
    );
}

#[test]
fn a_version_1_file_with_labels_of_its_own_loads_and_saves() {
    let mut schema = LabelSchema::default();
    schema.labels.retain(|l| l.name == "LOCATION");
    schema.ensure("PERSON");
    let mut p = Project::new(schema);
    p.add_document(Document::new("d", "d", "Bannu".into()))
        .unwrap();
    let v2 = String::from_utf8(to_json_bytes(&p)).unwrap();
    let start = v2.find(",\n    \"events\"").unwrap();
    let end = start + v2[start..].find('\n').unwrap() + 1;
    let end = end + v2[end..].find('\n').unwrap();
    let v1 = format!("{}{}", &v2[..start], &v2[end..]).replace("\"version\": 2", "\"version\": 1");
    // The default event schema names EVENT, ACTOR and COUNT, which this
    // file lacks: inert, not an error.
    let back = spanmark::io::parse_project(v1.as_bytes()).expect("a version-1 file loads");
    let dir = tempfile::tempdir().unwrap();
    save_project(&back, &dir.path().join("p.spanmark.json")).expect("and saves");
}

#[test]
fn renaming_or_deleting_a_label_keeps_the_event_schema_saveable() {
    use spanmark::model::schema_edit::{DeletePolicy, delete_label, rename_label};
    let mut p = project_with_events();
    rename_label(&p, "ACTOR", "PERSON")
        .unwrap()
        .apply(&mut p)
        .unwrap();
    let agent = p.schema.events.role("agent").unwrap();
    assert_eq!(
        agent.labels,
        ["PERSON"],
        "the role follows the renamed label"
    );
    delete_label(&p, "COUNT", &DeletePolicy::RemoveSpans)
        .unwrap()
        .apply(&mut p)
        .unwrap();
    assert!(p.schema.events.role("count").unwrap().labels.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    save_project(&p, &path).expect("still saves");
    assert_eq!(load_project(&path).unwrap(), p);
}
