//! Imports from hostile or unusual files, through the CLI: foreign label
//! names on every importer, every line ending and mix, byte-order marks,
//! float offsets, what brat and Label Studio hold beyond spans, duplicate
//! JSON keys, `--strict` and the line-length bound. Texts carry curly
//! quotes, an emoji outside the BMP and Urdu, so offsets are code points.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::json;
use spanmark::io::load_project;
use spanmark::model::Project;

/// The text every case uses; "“Bannu”" is code points 3..10.
const TEXT: &str = "In “Bannu” 🙂 بنوں";

fn import(format: &str, inputs: &[PathBuf], into: &Path, extra: &[&str]) -> (i32, String, String) {
    let o = Command::cargo_bin("spanmark")
        .unwrap()
        .args(["import", format])
        .args(inputs)
        .arg("--into")
        .arg(into)
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        err,
    )
}

/// (label, start, end, covered text) of every span of every layer, sorted.
fn spans(p: &Project) -> Vec<(String, usize, usize, String)> {
    let mut out: Vec<_> = p
        .documents
        .iter()
        .flat_map(|d| {
            d.layers.values().flat_map(move |l| {
                l.iter().map(move |s| {
                    let covered = d.slice(s.start(), s.end()).unwrap().to_string();
                    (s.label.clone(), s.start(), s.end(), covered)
                })
            })
        })
        .collect();
    out.sort();
    out
}

const FORMATS: [&str; 5] = ["doccano", "jsonl", "label-studio", "conll", "brat"];

/// An input in `format` holding TEXT with "“Bannu”" labelled `label`, or
/// `None` when the format cannot spell that label.
fn labelled(dir: &Path, format: &str, label: &str) -> Option<Vec<PathBuf>> {
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    Some(match format {
        "doccano" => vec![write(
            "l.jsonl",
            format!("{}\n", json!({"text": TEXT, "label": [[3, 10, label]]})).as_bytes(),
        )],
        "jsonl" => vec![write(
            "l.jsonl",
            format!(
                "{}\n",
                json!({"text": TEXT, "spans": [{"start": 3, "end": 10, "label": label}]})
            )
            .as_bytes(),
        )],
        "label-studio" => {
            let result =
                json!({"type": "labels", "value": {"start": 3, "end": 10, "labels": [label]}});
            let tasks = json!([{"data": {"text": TEXT}, "annotations": [{"result": [result]}]}]);
            vec![write("l.json", tasks.to_string().as_bytes())]
        }
        "conll" => {
            if label.contains(['\t', '\n', '\r']) || label.is_empty() {
                return None;
            }
            let body = format!("In\tO\n“Bannu”\tB-{label}\n🙂\tO\nبنوں\tO\n");
            vec![write("l.conll", body.as_bytes())]
        }
        "brat" => {
            if label.contains([' ', '\t', '\n', '\r', ';']) {
                return None;
            }
            write("l.txt", TEXT.as_bytes());
            vec![write(
                "l.ann",
                format!("T1\t{label} 3 10\t“Bannu”\n").as_bytes(),
            )]
        }
        _ => unreachable!(),
    })
}

#[test]
fn foreign_label_names_with_white_space_are_mapped_and_reported_on_every_importer() {
    for (foreign, valid) in [
        ("Place Name", "Place_Name"),
        ("Place\tName", "Place_Name"),
        ("  Place   Name ", "Place_Name"),
        (" LOC", "LOC"),
        ("Place\u{A0}Name", "Place_Name"),
        ("\u{A0}جگہ\u{2003}نام", "جگہ_نام"),
    ] {
        for format in FORMATS {
            let dir = tempfile::tempdir().unwrap();
            let Some(inputs) = labelled(dir.path(), format, foreign) else {
                continue;
            };
            let into = dir.path().join("p.spanmark.json");
            let (code, out, err) = import(format, &inputs, &into, &[]);
            assert_eq!(code, 0, "{format} {foreign:?}: {err}");
            let mapping = format!("label {foreign:?} → {valid:?} (");
            assert!(out.contains(&mapping), "{format} {foreign:?}: {out}");
            let p = load_project(&into).unwrap_or_else(|e| panic!("{format} {foreign:?}: {e}"));
            assert_eq!(
                spans(&p),
                [(valid.to_string(), 3, 10, "“Bannu”".to_string())],
                "{format} {foreign:?}"
            );
        }
    }
}

#[test]
fn empty_label_names_and_control_characters_are_refused_escaped_with_the_place() {
    for (foreign, shown) in [
        ("", "empty"),
        ("\u{A0} ", r#""\u{a0} " is only white space"#),
        ("\u{1b}[2J", r#""\u{1b}[2J" contains a control character"#),
        ("LOC\u{7}", r#""LOC\u{7}" contains a control character"#),
        ("LOC\0", r#""LOC\0" contains a control character"#),
        ("Place \u{1b}Name", r#""Place \u{1b}Name" contains"#),
    ] {
        for format in FORMATS {
            let dir = tempfile::tempdir().unwrap();
            let Some(inputs) = labelled(dir.path(), format, foreign) else {
                continue;
            };
            let into = dir.path().join("p.spanmark.json");
            std::fs::write(&into, spanmark::sample::SAMPLE_PROJECT_JSON).unwrap();
            let (code, _, err) = import(format, &inputs, &into, &[]);
            assert_eq!(code, 1, "{format} {foreign:?}: {err}");
            if !(format == "conll" && foreign.trim().is_empty()) {
                assert!(err.contains(shown), "{format} {foreign:?}: {err}");
            }
            assert!(
                err.contains(" line ") || err.contains(" task 1 "),
                "{format} {foreign:?}: names no place: {err}"
            );
            assert!(
                !err.contains(['\u{1b}', '\u{7}', '\0']),
                "{format}: raw control character"
            );
            assert_eq!(
                std::fs::read_to_string(&into).unwrap(),
                spanmark::sample::SAMPLE_PROJECT_JSON,
                "{format} {foreign:?}: the project changed"
            );
        }
    }
}

#[test]
fn map_targets_must_be_valid_label_names_and_map_can_rename_a_foreign_name() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = labelled(dir.path(), "doccano", "Place Name").unwrap();
    let into = dir.path().join("p.spanmark.json");
    for target in ["New Place", "", "X\u{1b}"] {
        let map = format!("Place Name={target}");
        let (code, _, err) = import("doccano", &inputs, &into, &["--map", &map]);
        assert_eq!(code, 1, "{target:?}: {err}");
        assert!(err.contains("--map") && !err.contains('\u{1b}'), "{err}");
        assert!(!into.exists());
    }
    for map in ["Place Name=LOCATION", "Place_Name=LOCATION"] {
        let (code, _, err) = import("doccano", &inputs, &into, &["--map", map]);
        assert_eq!(code, 0, "{err}");
        let p = load_project(&into).unwrap();
        assert_eq!(spans(&p)[0].0, "LOCATION");
        std::fs::remove_file(&into).unwrap();
    }
}

/// `lines` joined with the endings in `endings`, used in turn.
fn joined(lines: &[&str], endings: &[&str]) -> String {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{l}{}", endings[i % endings.len()]))
        .collect()
}

const ENDINGS: [&[&str]; 6] = [
    &["\n"],
    &["\r\n"],
    &["\r"],
    &["\r\n", "\n"],
    &["\r", "\r\n"],
    &["\n", "\r", "\r\n"],
];

#[test]
fn conll_reads_lf_crlf_cr_and_mixes_alike_and_keeps_the_original_text() {
    let lines = [
        "-DOCSTART-\tO",
        "",
        "In\tO",
        "“Bannu”\tB-LOCATION",
        "",
        "15\tB-COUNT",
        "عسکریت\tI-COUNT",
        "🙂\tO",
    ];
    let original = "In “Bannu”\r\n15 عسکریت 🙂";
    for endings in ENDINGS {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("x.conll");
        std::fs::write(&input, joined(&lines, endings)).unwrap();
        let into = dir.path().join("p.spanmark.json");
        let (code, _, err) = import("conll", std::slice::from_ref(&input), &into, &[]);
        assert_eq!(code, 0, "{endings:?}: {err}");
        let p = load_project(&into).unwrap();
        assert_eq!(
            p.documents[0].text(),
            "In “Bannu”\n15 عسکریت 🙂",
            "{endings:?}"
        );
        assert_eq!(
            spans(&p),
            [
                ("COUNT".into(), 11, 20, "15 عسکریت".into()),
                ("LOCATION".into(), 3, 10, "“Bannu”".into())
            ],
            "{endings:?}"
        );
        // With the original text, offsets are into it, exactly (CRLF kept).
        let txt = dir.path().join("o.txt");
        std::fs::write(&txt, original).unwrap();
        let into = dir.path().join("q.spanmark.json");
        let txt_arg = txt.display().to_string();
        let (code, _, err) = import("conll", &[input], &into, &["--text", &txt_arg]);
        assert_eq!(code, 0, "{endings:?}: {err}");
        let p = load_project(&into).unwrap();
        assert_eq!(p.documents[0].text(), original);
        assert_eq!(spans(&p)[0], ("COUNT".into(), 12, 21, "15 عسکریت".into()));
    }
}

#[test]
fn json_lines_and_brat_ann_read_every_line_ending_and_keep_crlf_inside_texts() {
    let a = json!({"text": "“Bannu”\r\n🙂", "label": [[1, 6, "LOCATION"]]}).to_string();
    let b = json!({"text": "بنوں\r🙂 Karak", "label": [[7, 12, "LOCATION"]]}).to_string();
    let sa =
        json!({"text": "“Bannu”\r\n🙂", "spans": [{"start": 1, "end": 6, "label": "LOCATION"}]})
            .to_string();
    let ann = ["T1\tLOCATION 1 6\tBannu", "", "T2\tACTOR 0 7\t“Bannu”"];
    let want = |p: &Project| spans(p).into_iter().map(|s| s.3).collect::<Vec<_>>();
    for endings in ENDINGS {
        let dir = tempfile::tempdir().unwrap();
        let into = dir.path().join("p.spanmark.json");
        let d = dir.path().join("d.jsonl");
        std::fs::write(&d, joined(&[&a, "", &b], endings)).unwrap();
        let (code, _, err) = import("doccano", &[d], &into, &[]);
        assert_eq!(code, 0, "{endings:?}: {err}");
        let p = load_project(&into).unwrap();
        assert_eq!(p.documents[1].text(), "بنوں\r🙂 Karak");
        assert_eq!(want(&p), ["Bannu", "Karak"], "{endings:?}");
        std::fs::remove_file(&into).unwrap();
        let s = dir.path().join("s.jsonl");
        std::fs::write(&s, joined(&[&sa], endings)).unwrap();
        let (code, _, err) = import("jsonl", &[s], &into, &[]);
        assert_eq!(code, 0, "{endings:?}: {err}");
        assert_eq!(want(&load_project(&into).unwrap()), ["Bannu"]);
        std::fs::remove_file(&into).unwrap();
        std::fs::write(dir.path().join("b.txt"), "“Bannu”\r\n").unwrap();
        let ann_path = dir.path().join("b.ann");
        std::fs::write(&ann_path, joined(&ann, endings)).unwrap();
        let (code, _, err) = import("brat", &[ann_path], &into, &[]);
        assert_eq!(code, 0, "{endings:?}: {err}");
        assert_eq!(want(&load_project(&into).unwrap()), ["“Bannu”", "Bannu"]);
    }
}

#[test]
fn a_leading_utf8_bom_is_dropped_by_every_reader_and_other_boms_are_named() {
    const BOM: &str = "\u{FEFF}";
    let dir = tempfile::tempdir().unwrap();
    for format in ["doccano", "jsonl", "label-studio", "conll", "brat"] {
        let inputs = labelled(dir.path(), format, "LOCATION").unwrap();
        let main = inputs.last().unwrap();
        let body = std::fs::read_to_string(main).unwrap();
        std::fs::write(main, format!("{BOM}{body}")).unwrap();
        let into = dir.path().join(format!("{format}.spanmark.json"));
        let (code, _, err) = import(format, &inputs, &into, &[]);
        assert_eq!(code, 0, "{format}: {err}");
        let p = load_project(&into).unwrap();
        assert_eq!(p.documents[0].text(), TEXT, "{format}");
        assert_eq!(spans(&p).len(), 1, "{format}: the span was lost");
    }
    // A BOM later in a file, or a UTF-16 one, is named.
    let d = dir.path().join("late.jsonl");
    let line = json!({"text": TEXT, "label": []}).to_string();
    std::fs::write(&d, format!("{line}\n{BOM}{line}\n")).unwrap();
    let (code, _, err) = import("doccano", &[d], &dir.path().join("x.spanmark.json"), &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("late.jsonl line 2: the line starts with a byte-order mark"),
        "{err}"
    );
    let d = dir.path().join("utf16.conll");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("In\tO\n".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&d, bytes).unwrap();
    let (code, _, err) = import("conll", &[d], &dir.path().join("x.spanmark.json"), &[]);
    assert_eq!(code, 1);
    assert!(err.contains("UTF-16 byte-order mark"), "{err}");
}

#[test]
fn a_brat_txt_with_a_bom_takes_offsets_as_brat_counts_them_or_as_written() {
    // brat counts the BOM as code point 0; other tools may not.
    for (ann, start) in [
        ("T1\tLOCATION 5 10\tBannu\n", 5),
        ("T1\tLOCATION 4 9\tBannu\n", 4),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), format!("\u{FEFF}{TEXT}")).unwrap();
        let ann_path = dir.path().join("b.ann");
        std::fs::write(&ann_path, ann).unwrap();
        let into = dir.path().join("p.spanmark.json");
        let (code, _, err) = import("brat", &[ann_path], &into, &[]);
        assert_eq!(code, 0, "{ann}: {err}");
        let p = load_project(&into).unwrap();
        assert_eq!(p.documents[0].text(), TEXT);
        assert_eq!(
            spans(&p),
            [("LOCATION".into(), 4, 9, "Bannu".into())],
            "{start}"
        );
    }
}

#[test]
fn float_offsets_say_offsets_must_be_whole_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "doccano",
            "d.jsonl",
            r#"{"text": "In Bannu", "label": [[1e0, 8, "LOCATION"]]}"#,
        ),
        (
            "doccano",
            "d.jsonl",
            r#"{"text": "In Bannu", "label": [[3, 8.0, "LOCATION"]]}"#,
        ),
        (
            "doccano",
            "d.jsonl",
            r#"{"text": "In Bannu", "entities": [{"start_offset": 3.5, "end_offset": 8, "label": "L"}]}"#,
        ),
        (
            "jsonl",
            "s.jsonl",
            r#"{"text": "In Bannu", "spans": [{"start": 3, "end": 1e3, "label": "L"}]}"#,
        ),
        (
            "label-studio",
            "l.json",
            r#"[{"data": {"text": "In Bannu"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 3.0, "end": 8, "labels": ["L"]}}]}]}]"#,
        ),
    ];
    for (format, name, body) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        let (code, _, err) = import(format, &[p], &dir.path().join("x.spanmark.json"), &[]);
        assert_eq!(code, 1, "{body}");
        assert!(
            err.contains("offsets must be whole numbers"),
            "{body}: {err}"
        );
        assert!(!err.contains("too large"), "{err}");
    }
    std::fs::write(dir.path().join("b.txt"), "In Bannu").unwrap();
    let ann = dir.path().join("b.ann");
    std::fs::write(&ann, "T1\tLOCATION 3.0 8\tBannu\n").unwrap();
    let (code, _, err) = import("brat", &[ann], &dir.path().join("x.spanmark.json"), &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("b.ann line 1: bad offset \"3.0\": offsets must be whole numbers"),
        "{err}"
    );
}

#[test]
fn brat_lines_spanmark_cannot_hold_are_reported_and_strict_refuses_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.txt"), TEXT).unwrap();
    let ann = dir.path().join("b.ann");
    std::fs::write(
        &ann,
        "T1\tLOCATION 4 9\tBannu\n\
         T1\tACTOR 3 10\t“Bannu”\n\
         T2\tLOCATION 13 17\tبنوں\n\
         R1\tPart-of Arg1:T1 Arg2:T2\n\
         E1\tAttack:T2\n\
         *\tAlias T1 T2\n\
         A1\tNegated T1\n\
         A2\tNegated E1\n\
         N1\tReference T1 Wikipedia:534366\tBannu\n\
         #1\tAnnotatorNotes T1\tthe city\n\
         #2\tAnnotatorNotes T9\tlost\n\
         hello\n",
    )
    .unwrap();
    let into = dir.path().join("p.spanmark.json");
    std::fs::write(&into, spanmark::sample::SAMPLE_PROJECT_JSON).unwrap();
    let (code, _, err) = import("brat", std::slice::from_ref(&ann), &into, &["--strict"]);
    assert_eq!(code, 1, "{err}");
    for line in [2, 6, 8, 9, 11, 12] {
        assert!(
            err.contains(&format!("b.ann line {line}: ")),
            "line {line}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&into).unwrap(),
        spanmark::sample::SAMPLE_PROJECT_JSON
    );
    let (code, out, err) = import("brat", &[ann], &into, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("6 item(s) not imported"), "{out}");
    assert!(
        out.contains("imported 2 event frame(s) and relation(s)"),
        "{out}"
    );
    for what in [
        "is defined again (first at line 1)",
        "equivalence",
        "normalization \"N1\"",
        "attribute Negated on event E1",
        "note on \"T9\"",
        "\"hello\" is not a brat annotation line",
    ] {
        assert!(out.contains(what), "{what}: {out}");
    }
    let p = load_project(&into).unwrap();
    let d = p.documents.iter().find(|d| d.text() == TEXT).unwrap();
    let layer = &d.layers["b"];
    let got: Vec<(&str, &str, Option<&String>)> = layer
        .iter()
        .map(|s| (s.label.as_str(), s.note(), s.attributes().get("Negated")))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got.contains(&("LOCATION", "the city", Some(&"true".to_string()))),
        "{got:?}"
    );
}

#[test]
fn a_brat_type_with_a_space_or_bad_offsets_is_an_error_not_a_wrong_label() {
    for (line, want) in [
        ("T1\tLOC ATION 3 8\tBannu", "bad offsets \"ATION 3 8\""),
        ("T1\tLOCATION 3 x\tBannu", "bad offset \"x\": not a number"),
        ("T1\tLOCATION 3 8;9\tBannu", "bad offsets \"9\""),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "In Bannu and more").unwrap();
        let ann = dir.path().join("b.ann");
        std::fs::write(&ann, format!("{line}\n")).unwrap();
        let (code, _, err) = import("brat", &[ann], &dir.path().join("p.spanmark.json"), &[]);
        assert_eq!(code, 1, "{line}: {err}");
        assert!(
            err.contains(&format!("b.ann line 1: {want}")),
            "{line}: {err}"
        );
    }
}

#[test]
fn label_studio_annotations_become_layers_and_predictions_a_layer_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let r = |s: usize, e: usize, labels: &[&str]| json!({"type": "labels", "value": {"start": s, "end": e, "labels": labels}});
    let tasks = json!([{
        "id": 1,
        "data": {"text": TEXT},
        "annotations": [
            {"completed_by": 7, "result": [r(4, 9, &["LOCATION"])]},
            {"completed_by": {"id": 3, "email": "ayesha@example.org"}, "result": [r(3, 10, &["LOCATION", "ACTOR"])]},
            {"id": 41, "result": [r(13, 17, &["LOCATION"]), {"type": "choices", "value": {"choices": ["x"]}}]},
            {"completed_by": 9, "was_cancelled": true, "result": [r(0, 2, &["EVENT"])]},
        ],
        "predictions": [{"model_version": "v1", "result": [r(11, 12, &["COUNT"])]}],
    }]);
    let input = dir.path().join("l.json");
    std::fs::write(&input, tasks.to_string()).unwrap();
    let into = dir.path().join("p.spanmark.json");
    let (code, _, err) = import(
        "label-studio",
        std::slice::from_ref(&input),
        &into,
        &["--strict"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("task 1 annotation 4: the annotation was cancelled"),
        "{err}"
    );
    assert!(
        err.contains("task 1 annotation 3 result 2: a result of type \"choices\""),
        "{err}"
    );
    let (code, out, err) = import("label-studio", &[input], &into, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 item(s) not imported"), "{out}");
    let p = load_project(&into).unwrap();
    assert_eq!(p.documents.len(), 1);
    let layers: Vec<(&str, Vec<(&str, &str)>)> = p.documents[0]
        .layers
        .iter()
        .map(|(name, l)| {
            let d = &p.documents[0];
            (name.as_str(), {
                let mut v: Vec<_> = l
                    .iter()
                    .map(|s| (s.label.as_str(), d.slice(s.start(), s.end()).unwrap()))
                    .collect();
                v.sort();
                v
            })
        })
        .collect();
    assert_eq!(
        layers,
        [
            (
                "ayesha@example.org",
                vec![("ACTOR", "“Bannu”"), ("LOCATION", "“Bannu”")]
            ),
            ("label-studio-annotation-41", vec![("LOCATION", "بنوں")]),
            ("label-studio-user-7", vec![("LOCATION", "Bannu")]),
            ("predictions", vec![("COUNT", "🙂")]),
        ]
    );
}

#[test]
fn duplicate_json_keys_are_refused_not_resolved_last_wins() {
    let dir = tempfile::tempdir().unwrap();
    for (format, body) in [
        (
            "doccano",
            r#"{"text": "In Bannu", "text": "In Karak", "label": [[3, 8, "LOCATION"]]}"#,
        ),
        (
            "doccano",
            r#"{"text": "In Bannu", "label": [], "label": [[3, 8, "LOCATION"]]}"#,
        ),
        (
            "jsonl",
            r#"{"text": "In Bannu", "meta": {"name": "a", "name": "b"}, "spans": []}"#,
        ),
        (
            "label-studio",
            r#"[{"data": {"text": "In Bannu", "text": "x"}}]"#,
        ),
    ] {
        let p = dir.path().join("d.json");
        std::fs::write(&p, body).unwrap();
        let into = dir.path().join("x.spanmark.json");
        let (code, _, err) = import(format, &[p], &into, &[]);
        assert_eq!(code, 1, "{body}");
        assert!(err.contains("appears twice in one object"), "{body}: {err}");
        assert!(!into.exists());
    }
}

#[test]
fn a_line_over_64_mib_is_refused_with_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let first = json!({"text": "In Bannu", "label": []}).to_string();
    for (format, name, line1) in [
        ("conll", "big.conll", "In\tO"),
        ("doccano", "big.jsonl", &*first),
    ] {
        let mut long = format!("{line1}\n").into_bytes();
        long.resize(long.len() + (65 << 20), b'a');
        long.extend_from_slice(b"\tO\n");
        let p = dir.path().join(name);
        std::fs::write(&p, &long).unwrap();
        let (code, _, err) = import(format, &[p], &dir.path().join("x.spanmark.json"), &[]);
        assert_eq!(code, 1, "{format}");
        assert!(
            err.contains(&format!("{name} line 2: the line is longer than 64 MiB")),
            "{err}"
        );
    }
}

#[test]
fn a_brat_offset_near_the_integer_limit_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.txt"), "\u{feff}In Bannu.").unwrap();
    for offsets in [
        "4 -9223372036854775808",
        "-9223372036854775808 4",
        "4 9223372036854775807",
    ] {
        std::fs::write(
            dir.path().join("d.ann"),
            format!("T1\tLOC {offsets}\tBannu\n"),
        )
        .unwrap();
        let into = dir.path().join("p.spanmark.json");
        let (code, _, err) = import("brat", &[dir.path().join("d.ann")], &into, &[]);
        assert_eq!(code, 1, "{offsets}: {err}");
        assert!(!err.contains("panicked"), "{offsets}: {err}");
    }
}

/// One JSON line per case, written to a file of its own.
fn jsonl_file(dir: &Path, name: &str, line: serde_json::Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, format!("{line}\n")).unwrap();
    p
}

#[test]
fn relations_rejected_answers_and_other_span_keys_are_imported_or_reported() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("p.spanmark.json");
    let run = |file: &PathBuf, format: &str, extra: &[&str]| {
        let _ = std::fs::remove_file(&into);
        import(format, std::slice::from_ref(file), &into, extra)
    };
    // doccano relations: the spans and the relation come in; one to an id
    // that is no entity of the line is reported.
    let rel = jsonl_file(
        dir.path(),
        "rel.jsonl",
        serde_json::json!({"text": TEXT, "entities": [
            {"id": 1, "start_offset": 3, "end_offset": 10, "label": "LOCATION"},
            {"id": 2, "start_offset": 13, "end_offset": 17, "label": "LOCATION"}],
            "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "same_as"},
                {"id": 2, "from_id": 1, "to_id": 7, "type": "same_as"}]}),
    );
    let (code, out, err) = run(&rel, "doccano", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("relation same_as from 1 to 7"), "{out}");
    assert!(
        out.contains("imported 1 event frame(s) and relation(s)"),
        "{out}"
    );
    assert_eq!(spans(&load_project(&into).unwrap()).len(), 2);
    let (code, _, err) = run(&rel, "doccano", &["--strict"]);
    assert_eq!(code, 1, "{err}");
    assert!(!into.exists(), "--strict saved");
    // A non-array label no longer hides the labels beside it.
    let odd = jsonl_file(
        dir.path(),
        "odd.jsonl",
        serde_json::json!({"text": TEXT, "label": "LOCATION", "labels": [[3, 10, "LOCATION"]]}),
    );
    let (code, _, err) = run(&odd, "doccano", &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("\"label\" must be an array"), "{err}");
    // spaCy's Doc.to_json() keeps entities in "ents", in character offsets.
    let ents = jsonl_file(
        dir.path(),
        "ents.jsonl",
        serde_json::json!({"text": TEXT, "ents": [{"start": 3, "end": 10, "label": "LOCATION"}]}),
    );
    let (code, _, err) = run(&ents, "jsonl", &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        spans(&load_project(&into).unwrap()),
        [("LOCATION".to_string(), 3, 10, "“Bannu”".to_string())]
    );
    // Prodigy's rejected and ignored answers are not annotations.
    for answer in ["reject", "ignore"] {
        let file = jsonl_file(
            dir.path(),
            &format!("{answer}.jsonl"),
            serde_json::json!({"text": TEXT, "answer": answer,
                "spans": [{"start": 3, "end": 10, "label": "LOCATION"}],
                "relations": [{"head": 0, "child": 1, "label": "x"}]}),
        );
        let (code, out, err) = run(&file, "jsonl", &[]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&format!("answer \"{answer}\"")), "{out}");
        assert!(out.contains("1 relation(s)"), "{out}");
        assert!(spans(&load_project(&into).unwrap()).is_empty());
        let (code, _, _) = run(&file, "jsonl", &["--strict"]);
        assert_eq!(code, 1);
    }
    let accepted = jsonl_file(
        dir.path(),
        "accept.jsonl",
        serde_json::json!({"text": TEXT, "answer": "accept",
            "spans": [{"start": 3, "end": 10, "label": "LOCATION"}]}),
    );
    let (code, _, err) = run(&accepted, "jsonl", &["--strict"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(spans(&load_project(&into).unwrap()).len(), 1);
}
