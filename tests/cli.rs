//! The `spanmark` command line, end to end: exit codes, messages, and files
//! left untouched on bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};
use spanmark::io::load_project;
use spanmark::sample::SAMPLE_PROJECT_JSON;

fn spanmark() -> Command {
    Command::cargo_bin("spanmark").unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn sample_validates_and_stats_show_all_four_labels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.spanmark.json");
    stdout(spanmark().arg("sample").arg(&path));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        SAMPLE_PROJECT_JSON.as_bytes()
    );
    let ok = stdout(spanmark().arg("validate").arg(&path));
    assert!(ok.trim_end().ends_with(": ok"), "{ok}");
    let stats: Value =
        serde_json::from_str(&stdout(spanmark().args(["stats", "--json"]).arg(&path))).unwrap();
    let per_label = &stats["layers"]["ayesha.siddiqui"]["per_label"];
    for label in ["LOCATION", "ACTOR", "EVENT", "COUNT"] {
        assert!(
            per_label[label].as_u64().unwrap() > 0,
            "{label}: {per_label}"
        );
    }
    assert_eq!(stats["documents"][0]["status"], "done");
    let table = stdout(spanmark().arg("stats").arg(&path));
    assert!(
        table.contains("ayesha.siddiqui") && table.contains("LOCATION"),
        "{table}"
    );
    // Writing the sample again over itself is harmless; over another file it is refused.
    stdout(spanmark().arg("sample").arg(&path));
    let other = write(dir.path(), "other.json", b"mine");
    spanmark().arg("sample").arg(&other).assert().code(1);
    assert_eq!(std::fs::read(&other).unwrap(), b"mine");
}

/// (file name, exact bytes, expected text)
fn encoding_fixtures() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let expected = "“Bannu” police’s report\r\n🙂 بنوں\r\n";
    let utf16 = |big: bool| {
        let mut v = if big {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in expected.encode_utf16() {
            v.extend(if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        v
    };
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend(expected.as_bytes());
    vec![
        ("utf8.txt", expected.as_bytes().to_vec(), expected),
        ("utf8-bom.txt", bom, expected),
        ("utf16le.txt", utf16(false), expected),
        ("utf16be.txt", utf16(true), expected),
        // cp1252: 0x93/0x94 are curly double quotes, 0x92 a curly apostrophe, 0xE9 é.
        (
            "cp1252.txt",
            b"\x93Bannu\x94 police\x92s caf\xe9\r\nend".to_vec(),
            "“Bannu” police’s café\r\nend",
        ),
    ]
}

#[test]
fn new_imports_every_encoding_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = encoding_fixtures();
    let out = dir.path().join("p.spanmark.json");
    let mut cmd = spanmark();
    cmd.arg("new").arg(&out).args(["--annotator", "ayesha"]);
    for (name, bytes, _) in &fixtures {
        cmd.arg("--text").arg(write(dir.path(), name, bytes));
    }
    let printed = stdout(&mut cmd);
    for enc in [
        "UTF-8,",
        "UTF-8 with BOM",
        "UTF-16LE with BOM",
        "UTF-16BE with BOM",
        "Windows-1252",
    ] {
        assert!(
            printed.contains(enc),
            "encoding {enc} not reported: {printed}"
        );
    }
    let project = load_project(&out).unwrap();
    assert_eq!(project.default_annotator.as_deref(), Some("ayesha"));
    // The four Unicode fixtures hold the same text: only the first is added, the others are reported as duplicates.
    assert!(printed.matches("skipped").count() == 3, "{printed}");
    let texts: Vec<&str> = project.documents.iter().map(|d| d.text()).collect();
    assert_eq!(texts.len(), 2);
    for (got, want) in texts.iter().zip([fixtures[0].2, fixtures[4].2]) {
        let got: Vec<char> = got.chars().collect();
        let want: Vec<char> = want.chars().collect();
        assert_eq!(got, want, "compared code point by code point");
    }
}

#[test]
fn each_encoding_alone_gives_the_exact_text() {
    for (name, bytes, want) in encoding_fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.spanmark.json");
        stdout(
            spanmark()
                .arg("new")
                .arg(&out)
                .arg("--text")
                .arg(write(dir.path(), name, &bytes)),
        );
        let p = load_project(&out).unwrap();
        let got: Vec<char> = p.documents[0].text().chars().collect();
        assert_eq!(got, want.chars().collect::<Vec<_>>(), "{name}");
        assert!(p.documents[0].text().contains("\r\n"), "{name}: CRLF kept");
        assert_eq!(p.documents[0].source_file.as_deref(), Some(name));
    }
}

#[test]
fn binary_text_is_refused_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let bin = write(dir.path(), "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = dir.path().join("p.spanmark.json");
    let o = spanmark()
        .arg("new")
        .arg(&out)
        .arg("--text")
        .arg(&bin)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("binary file") && err.contains("image.txt"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one readable line: {err}");
    assert!(!out.exists());
}

#[test]
fn add_appends_documents_and_refuses_an_invalid_project() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p.spanmark.json");
    stdout(
        spanmark()
            .arg("new")
            .arg(&out)
            .arg("--text")
            .arg(write(dir.path(), "a.txt", b"Bannu")),
    );
    stdout(
        spanmark()
            .arg("add")
            .arg(&out)
            .arg(write(dir.path(), "b.txt", b"Karak")),
    );
    let p = load_project(&out).unwrap();
    assert_eq!(
        p.documents.iter().map(|d| d.text()).collect::<Vec<_>>(),
        ["Bannu", "Karak"]
    );

    let broken = write(
        dir.path(),
        "broken.spanmark.json",
        b"{\"format\": \"spanmark-project\"",
    );
    let o = spanmark()
        .arg("add")
        .arg(&broken)
        .arg(dir.path().join("a.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&broken).unwrap(),
        b"{\"format\": \"spanmark-project\""
    );
}

#[test]
fn usage_errors_exit_with_2() {
    spanmark().arg("frobnicate").assert().code(2);
    spanmark()
        .arg("new")
        .arg("x.spanmark.json")
        .assert()
        .code(2); // --text missing
    spanmark().arg("validate").assert().code(2);
}

/// The sample as JSON, changed by `f`.
fn sample_with(f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut v: Value = serde_json::from_str(SAMPLE_PROJECT_JSON).unwrap();
    f(&mut v);
    serde_json::to_vec_pretty(&v).unwrap()
}

#[test]
fn invalid_projects_exit_1_name_the_problem_and_stay_unchanged() {
    let span = "documents[0].layers[\"ayesha.siddiqui\"]";
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "malformed",
            SAMPLE_PROJECT_JSON.as_bytes()[..300].to_vec(),
            "malformed JSON at line".into(),
        ),
        (
            "syntax",
            b"{\"format\": \"spanmark-project\",, }".to_vec(),
            "malformed JSON at line 1, column 31".into(),
        ),
        (
            "wrong-type",
            sample_with(|v| {
                v["documents"][0]["layers"]["ayesha.siddiqui"][3]["start"] = json!("12")
            }),
            format!("{span}[3].start: invalid type: string \"12\", expected u64"),
        ),
        (
            "past-end",
            sample_with(|v| v["documents"][0]["layers"]["ayesha.siddiqui"][7]["end"] = json!(4000)),
            format!("{span}[7].end: 4000 is past the end of the text (3674 code points)"),
        ),
        (
            "start-not-before-end",
            sample_with(|v| {
                v["documents"][0]["layers"]["ayesha.siddiqui"][2]["start"] = json!(500)
            }),
            format!("{span}[2].start: start 500 is not before end"),
        ),
        (
            "unknown-label",
            sample_with(|v| {
                v["documents"][0]["layers"]["ayesha.siddiqui"][5]["label"] = json!("WEAPON")
            }),
            format!("{span}[5].label: label \"WEAPON\" is not in the schema"),
        ),
        (
            "duplicate-id",
            sample_with(|v| v["documents"][0]["layers"]["ayesha.siddiqui"][9]["id"] = json!(3)),
            format!("{span}[9].id: span id 3 is already used at {span}[2]"),
        ),
        (
            "fingerprint",
            sample_with(|v| {
                let t = v["documents"][0]["text"]
                    .as_str()
                    .unwrap()
                    .replace("Bannu", "Banu!");
                v["documents"][0]["text"] = json!(t);
            }),
            "documents[0].fingerprint: sha256:".into(),
        ),
        (
            "version-3",
            sample_with(|v| v["version"] = json!(3)),
            "made by a newer Spanmark: format version 3; this build reads versions 1 to 2".into(),
        ),
        ("empty", Vec::new(), "the file is empty".into()),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, want) in cases {
        let path = write(dir.path(), &format!("{name}.spanmark.json"), &bytes);
        let o = spanmark().arg("validate").arg(&path).output().unwrap();
        let err = String::from_utf8(o.stderr).unwrap();
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(err.contains(&want), "{name}: expected {want:?} in {err:?}");
        assert!(
            !err.contains("panicked") && !err.contains("Error {"),
            "{name}: {err}"
        );
        // Commands that would write refuse too, and the file stays byte-identical.
        let txt = write(dir.path(), "more.txt", b"more text");
        spanmark().arg("add").arg(&path).arg(&txt).assert().code(1);
        spanmark().arg("stats").arg(&path).assert().code(1);
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: file changed");
    }
}

#[test]
fn validate_reports_every_problem_not_only_the_first() {
    let bytes = sample_with(|v| {
        let layer = &mut v["documents"][0]["layers"]["ayesha.siddiqui"];
        layer[0]["end"] = json!(99999);
        layer[1]["label"] = json!("NOPE");
    });
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "two.spanmark.json", &bytes);
    let o = spanmark().arg("validate").arg(&path).output().unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("[0].end: 99999 is past the end"), "{err}");
    assert!(err.contains("[1].label: label \"NOPE\""), "{err}");
}

#[test]
fn the_format_documentation_example_validates() {
    let doc = include_str!("../docs/project-format.md");
    let section = doc
        .split("## Complete example")
        .nth(1)
        .expect("a Complete example section");
    let block = section
        .split("```json")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a json block");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "example.spanmark.json", block.as_bytes());
    let ok = stdout(spanmark().arg("validate").arg(&path));
    assert!(ok.contains(": ok"), "{ok}");
    let p = load_project(&path).unwrap();
    assert!(p.documents.len() >= 2 && p.documents.iter().any(|d| d.gold.is_some()));
    assert!(
        p.documents
            .iter()
            .flat_map(|d| d.all_layers())
            .any(|(_, l)| l.frames().len() > 0),
        "the example shows an event frame"
    );
    // "This is byte for byte what Spanmark writes for this project."
    assert_eq!(
        String::from_utf8(spanmark::io::to_json_bytes(&p)).unwrap(),
        block.trim_start(),
        "the example is what Spanmark writes"
    );
}

#[test]
fn exporting_gold_left_half_reviewed_warns_which_documents_are_incomplete() {
    use spanmark::model::{Document, LabelSchema, LayerId, Project, Session, Span};
    use spanmark::review::session::{ReviewSession, default_layers};
    let dir = tempfile::tempdir().unwrap();
    let text = "Bannu police met 15 militants in Karak.";
    let mut p = Project::new(LabelSchema::default());
    let mut d = Document::new("bannu-1", "Bannu", text.to_string());
    for (who, s, e, label) in [
        ("ayesha", 0, 5, "LOCATION"),
        ("bilal", 0, 5, "LOCATION"),
        ("ayesha", 17, 29, "COUNT"),
    ] {
        let at = jiff::Timestamp::UNIX_EPOCH;
        let span = Span::new(p.allocate_span_id(), s, e, label, 39, at).unwrap();
        d.layer_mut(&LayerId::Annotator(who.into()))
            .insert(span)
            .unwrap();
        p.ensure_annotator(who);
    }
    p.add_document(d).unwrap();
    // Review starts (the agreement goes into gold) and stops with "15 militants" undecided.
    let mut s = Session::new(p, "reviewer");
    let layers = default_layers(&s.project).unwrap();
    let (review, _) =
        ReviewSession::start(&mut s, layers, "reviewer", jiff::Timestamp::UNIX_EPOCH).unwrap();
    review.stop(&mut s);
    let path = dir.path().join("half.spanmark.json");
    spanmark::io::save_project(&s.project, &path).unwrap();

    let out = stdout(
        spanmark()
            .arg("export")
            .arg(&path)
            .args(["--format", "jsonl", "--gold", "--out"])
            .arg(dir.path().join("gold-out")),
    );
    assert!(
        out.contains("warning: gold is incomplete in 1 document(s)") && out.contains("bannu-1 (1)"),
        "{out}"
    );
    // Not for an annotator's layer: only gold claims to be adjudicated.
    let out = stdout(
        spanmark()
            .arg("export")
            .arg(&path)
            .args(["--format", "jsonl", "--layer", "ayesha", "--out"])
            .arg(dir.path().join("ayesha-out")),
    );
    assert!(!out.contains("incomplete"), "{out}");
}
