//! export → import gives the same spans, on texts with curly quotes, an
//! astral emoji right before a span, Urdu, CRLF, a span across a line break
//! and nested spans; broken imports change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use jiff::Timestamp;
use spanmark::io::{load_project, save_project};
use spanmark::model::{Document, Frame, LabelSchema, LayerId, Project, Relation, Span};

fn spanmark() -> Command {
    Command::cargo_bin("spanmark").unwrap()
}

/// (label, covered text) pairs, found in the text by search.
type Spans = &'static [(&'static str, &'static str)];

/// Two documents with every awkward case; spans found by text.
fn tricky() -> Project {
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("tester");
    let docs: [(&str, &str, Spans); 2] = [
        (
            "emoji-quotes",
            "🙂Bannu police said “Karak” was calm.\r\nThe WSSP official’s house in\r\nMandan was attacked.",
            &[
                ("LOCATION", "Bannu"),
                ("ACTOR", "Bannu police"),
                ("LOCATION", "Karak"),
                ("ACTOR", "WSSP official"),
                ("ACTOR", "WSSP"),
                ("LOCATION", "house in\r\nMandan"),
                ("LOCATION", "Mandan"),
                ("EVENT", "was attacked"),
            ],
        ),
        (
            "urdu",
            "بنوں میں 15 عسکریت پسند مارے گئے۔ Bannu 🙂Peshawar",
            &[
                ("LOCATION", "بنوں"),
                ("COUNT", "15 عسکریت پسند"),
                ("ACTOR", "عسکریت پسند"),
                ("LOCATION", "Peshawar"),
                ("EVENT", "مارے گئے"),
            ],
        ),
    ];
    for (id, text, spans) in docs {
        let mut d = Document::new(id, id, text.to_string());
        for (label, needle) in spans {
            let start = text[..text.find(needle).unwrap()].chars().count();
            let end = start + needle.chars().count();
            let span = Span::new(
                p.allocate_span_id(),
                start,
                end,
                *label,
                d.char_len(),
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            d.layer_mut(&LayerId::Annotator("tester".into()))
                .insert(span)
                .unwrap();
        }
        p.add_document(d).unwrap();
    }
    // Frames and a relation, in both scripts.
    let find = |p: &Project, doc: usize, label: &str, text: &str| {
        let d = &p.documents[doc];
        d.layers["tester"]
            .iter()
            .find(|s| s.label == label && d.slice(s.start(), s.end()) == Some(text))
            .unwrap()
            .id()
    };
    let attacked = find(&p, 0, "EVENT", "was attacked");
    let official = find(&p, 0, "ACTOR", "WSSP official");
    let mandan = find(&p, 0, "LOCATION", "Mandan");
    let police = find(&p, 0, "ACTOR", "Bannu police");
    let wssp = find(&p, 0, "ACTOR", "WSSP");
    let killed = find(&p, 1, "EVENT", "مارے گئے");
    let bannu = find(&p, 1, "LOCATION", "بنوں");
    let fifteen = find(&p, 1, "COUNT", "15 عسکریت پسند");
    let militants = find(&p, 1, "ACTOR", "عسکریت پسند");
    let mut f = Frame::new(p.allocate_frame_id(), attacked)
        .with_slot("target", official)
        .with_slot("target", wssp)
        .with_slot("location", mandan);
    f.event_type = Some("Explosions/Remote violence".into());
    f.note = "two targets: brat numbers the second".into();
    let mut g = Frame::new(p.allocate_frame_id(), killed)
        .with_slot("target", militants)
        .with_slot("count", fifteen)
        .with_slot("location", bannu);
    g.event_type = Some("Battles".into());
    let r = Relation {
        id: p.allocate_relation_id(),
        from: police,
        to: official,
        kind: "same_as".into(),
        directed: false,
    };
    let layer = LayerId::Annotator("tester".into());
    p.documents[0].layer_mut(&layer).insert_frame(f).unwrap();
    p.documents[0].layer_mut(&layer).insert_relation(r).unwrap();
    p.documents[1].layer_mut(&layer).insert_frame(g).unwrap();
    // One document dated, one not: a date must come back on its own document.
    p.documents[1].date = Some(spanmark::model::parse_date("2025-03-14").unwrap());
    p
}

type SpanKey = (usize, usize, String);
/// (text fingerprint, trigger, event type, note, slots sorted) of every
/// frame of one layer, and (fingerprint, from, to, type) of every relation.
#[allow(clippy::type_complexity)]
fn link_set(
    p: &Project,
    layer: &str,
) -> (
    BTreeSet<(
        String,
        SpanKey,
        Option<String>,
        String,
        Vec<(String, SpanKey)>,
    )>,
    BTreeSet<(String, SpanKey, SpanKey, String)>,
) {
    let (mut frames, mut relations) = (BTreeSet::new(), BTreeSet::new());
    for d in &p.documents {
        let Some(l) = d.layers.get(layer) else {
            continue;
        };
        let key = |id| {
            let s = l.get(id).unwrap();
            (s.start(), s.end(), s.label.clone())
        };
        for f in l.frames() {
            let mut slots: Vec<(String, SpanKey)> = f
                .slots
                .iter()
                .map(|s| (s.role.clone(), key(s.span)))
                .collect();
            slots.sort();
            frames.insert((
                d.fingerprint().to_string(),
                key(f.trigger),
                f.event_type.clone(),
                f.note.clone(),
                slots,
            ));
        }
        for r in l.links().relations() {
            relations.insert((
                d.fingerprint().to_string(),
                key(r.from),
                key(r.to),
                r.kind.clone(),
            ));
        }
    }
    (frames, relations)
}

/// (text fingerprint, start, end, label) of every span of one layer per document.
fn span_set(p: &Project, layer: &str) -> BTreeSet<(String, usize, usize, String)> {
    p.documents
        .iter()
        .flat_map(|d| {
            d.layers
                .get(layer)
                .into_iter()
                .flat_map(|l| l.iter())
                .map(|s| {
                    (
                        d.fingerprint().to_string(),
                        s.start(),
                        s.end(),
                        s.label.clone(),
                    )
                })
        })
        .collect()
}

/// The layer's spans cut at line breaks, as brat stores them.
fn fragmented(p: &Project, layer: &str) -> BTreeSet<(String, usize, usize, String)> {
    let mut out = BTreeSet::new();
    for d in &p.documents {
        for s in d.layers.get(layer).into_iter().flat_map(|l| l.iter()) {
            for (a, b, _) in spanmark::io::formats::brat::fragments(d.text(), s.start(), s.end()) {
                out.insert((d.fingerprint().to_string(), a, b, s.label.clone()));
            }
        }
    }
    out
}

fn export(project: &Path, format: &str, out: &Path) {
    let o = spanmark()
        .arg("export")
        .arg(project)
        .args(["--format", format, "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "export {format}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn import(format: &str, inputs: &[&Path], into: &Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = spanmark();
    cmd.args(["import", format]);
    for i in inputs {
        cmd.arg(i);
    }
    cmd.arg("--into").arg(into).args(extra);
    cmd.output().unwrap()
}

fn projects(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let tricky_path = dir.join("tricky.spanmark.json");
    save_project(&tricky(), &tricky_path).unwrap();
    let sample = Path::new("sample-projects/kp-wssp-abduction-attempt.spanmark.json").to_path_buf();
    vec![
        (tricky_path, "tester".into()),
        (sample, "ayesha.siddiqui".into()),
    ]
}

#[test]
fn lossless_formats_round_trip_exactly() {
    let dir = tempfile::tempdir().unwrap();
    for (project_path, layer) in projects(dir.path()) {
        let original = load_project(&project_path).unwrap();
        let want = span_set(&original, &layer);
        for (format, file) in [
            ("jsonl", "data.jsonl"),
            ("doccano", "data.doccano.jsonl"),
            ("label-studio", "data.label-studio.json"),
            ("brat", ""),
        ] {
            let out = dir.path().join(format!(
                "{}-{format}",
                project_path.file_stem().unwrap().to_string_lossy()
            ));
            export(&project_path, format, &out);
            let into = dir.path().join(format!(
                "{}-{format}-back.spanmark.json",
                project_path.file_name().unwrap().to_string_lossy()
            ));
            let input = if file.is_empty() {
                out.clone()
            } else {
                out.join(file)
            };
            let o = import(format, &[&input], &into, &["--layer", "back"]);
            assert!(
                o.status.success(),
                "import {format}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let back = load_project(&into).unwrap();
            let got = span_set(&back, "back");
            // brat cannot hold a line break inside an annotation: a span across one
            // comes back as one span per line (sharing a `group` attribute).
            let want = if format == "brat" {
                fragmented(&original, &layer)
            } else {
                want.clone()
            };
            assert_eq!(
                got,
                want,
                "{format} round trip of {}",
                project_path.display()
            );
            // Frames and relations come back exactly in every one of these formats.
            {
                let (want_frames, want_relations) = link_set(&original, &layer);
                let (frames, relations) = link_set(&back, "back");
                assert!(!want_frames.is_empty());
                assert_eq!(
                    frames,
                    want_frames,
                    "{format} frames of {}",
                    project_path.display()
                );
                assert_eq!(relations, want_relations, "{format} relations");
            }
            // Texts are exact, byte for byte, and each keeps its date
            // (brat's .ann has no place for one).
            for d in &original.documents {
                let b = back.document_by_fingerprint(d.fingerprint());
                assert!(b.is_some(), "{format}: text of {} changed", d.id);
                let want = if format == "brat" { None } else { d.date };
                assert_eq!(b.unwrap().date, want, "{format}: date of {}", d.id);
            }
        }
    }
}

#[test]
fn conll_round_trips_per_the_overlap_policy() {
    let dir = tempfile::tempdir().unwrap();
    for (project_path, layer) in projects(dir.path()) {
        let out = dir.path().join(format!(
            "{}-conll",
            project_path.file_stem().unwrap().to_string_lossy()
        ));
        export(&project_path, "conll", &out);
        // Importing into a copy of the project aligns the tokens to the original texts.
        let into = dir.path().join(format!(
            "{}-copy.spanmark.json",
            project_path.file_stem().unwrap().to_string_lossy()
        ));
        std::fs::copy(&project_path, &into).unwrap();
        let o = import(
            "conll",
            &[&out.join("data.conll")],
            &into,
            &["--layer", "back"],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let back = load_project(&into).unwrap();
        let original = load_project(&project_path).unwrap();
        let got = span_set(&back, "back");
        // Expected: the layer after the default overlap policy (outermost, then longest).
        let mut want = BTreeSet::new();
        for d in &original.documents {
            let spans: Vec<&Span> = d.layers[&layer].iter().collect();
            let (kept, _) = spanmark::io::formats::overlap::resolve(&spans, Default::default());
            for s in kept {
                want.insert((
                    d.fingerprint().to_string(),
                    s.start(),
                    s.end(),
                    s.label.clone(),
                ));
            }
        }
        assert_eq!(got, want, "conll round trip of {}", project_path.display());
        assert_eq!(
            back.documents.len(),
            original.documents.len(),
            "matched by text, not added again"
        );
    }
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn broken_imports_give_a_location_exit_1_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("p.spanmark.json");
    save_project(&tricky(), &into).unwrap();
    let before = sha(&into);
    let w = |name: &str, body: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let brat_dir = dir.path().join("brat");
    std::fs::create_dir(&brat_dir).unwrap();
    std::fs::write(brat_dir.join("a.txt"), "Bannu").unwrap();
    std::fs::write(brat_dir.join("a.ann"), "T1\tLOCATION 0 50\tBannu\n").unwrap();
    let cases: Vec<(&str, std::path::PathBuf, &str)> = vec![
        (
            "doccano",
            w(
                "d.jsonl",
                "{\"text\": \"Bannu\", \"label\": [[0, 5, \"LOC\"]]}\nnot json\n",
            ),
            "d.jsonl line 2: not JSON",
        ),
        (
            "label-studio",
            w(
                "ls.json",
                r#"[{"data": {"text": "Bannu"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 5, "text": "Karak", "labels": ["LOC"]}}]}]}]"#,
            ),
            "ls.json task 1 annotation 1 result 1: the file says the span 0..5 covers \"Karak\", but the text there is \"Bannu\"",
        ),
        (
            "conll",
            w("c.conll", "In\tO\nBannu\tI-LOC\n"),
            "c.conll line 2: I-LOC follows O",
        ),
        (
            "brat",
            brat_dir.clone(),
            "a.ann line 1: end 50 is past the end of the text (5 code points)",
        ),
        (
            "jsonl",
            w(
                "j.jsonl",
                "{\"text\": \"Bannu\", \"spans\": [{\"start\": 3, \"end\": 1, \"label\": \"X\"}]}\n",
            ),
            "start 3 is not before end 1",
        ),
    ];
    for (format, input, want) in cases {
        let o = import(format, &[&input], &into, &[]);
        let err = String::from_utf8(o.stderr).unwrap();
        assert_eq!(o.status.code(), Some(1), "{format}: {err}");
        assert!(err.contains(want), "{format}: expected {want:?} in {err:?}");
        assert_eq!(sha(&into), before, "{format}: the project changed");
    }
}

#[test]
fn import_creates_the_project_and_maps_labels() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("d.jsonl");
    std::fs::write(
        &input,
        "{\"text\": \"🙂Bannu and Karak\", \"label\": [[1, 6, \"LOC\"], [11, 16, \"GPE\"]]}\n",
    )
    .unwrap();
    let into = dir.path().join("new.spanmark.json");
    let o = import("doccano", &[&input], &into, &["--map", "LOC=LOCATION"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("labels not in the schema were added: GPE"),
        "{out}"
    );
    let p = load_project(&into).unwrap();
    let d = &p.documents[0];
    let layer = &d.layers["d"];
    let got: Vec<(&str, &str)> = layer
        .iter()
        .map(|s| (s.label.as_str(), d.slice(s.start(), s.end()).unwrap()))
        .collect();
    assert_eq!(got, [("LOCATION", "Bannu"), ("GPE", "Karak")]);
}
