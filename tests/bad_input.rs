//! Hostile input, through the CLI: every case in `tests/bad-input/` gives
//! exit code 1 (also for a mistyped format name), a specific
//! message, no panic, and leaves every file as it was.
//!
//! A case is `NAME.expected` (text the error output must contain, besides
//! the input's file name) next to its input `NAME.*`. The command follows from the input's name:
//! `.spanmark.json` → `validate` (and `add`, `stats`), `.ann` (with its
//! `.txt`) → `import brat`, `.doccano.jsonl` → `import doccano`, `.jsonl` →
//! `import jsonl`, `.ls.json` → `import label-studio`, `.conll` → `import
//! conll`, `.txt` → `new` and `add`. `NAME.args` overrides the command
//! (`{input}`, `{project}`, `{dir}` are filled in) and `NAME.exit` the exit
//! code. Inputs too big to commit are generated (see [`generated`]).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use spanmark::sample::SAMPLE_PROJECT_JSON;

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/bad-input");

fn spanmark() -> Command {
    Command::cargo_bin("spanmark").unwrap()
}

fn hash(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

/// Inputs made by the test: (case name, file name, bytes).
fn generated(name: &str) -> Option<(String, Vec<u8>)> {
    match name {
        // A 200 MB document name: over the 64 MiB string limit, under the 1 GiB file limit.
        // (A document text may be that long: only the file size bounds it.)
        "huge-string" => {
            let head = br#"{"format": "spanmark-project", "version": 1, "offset_unit": "codepoint", "schema": {"labels": []}, "documents": [{"id": "big", "fingerprint": "sha256:0", "text": "", "name": ""#;
            let mut bytes = Vec::with_capacity(200_000_100 + head.len());
            bytes.extend_from_slice(head);
            bytes.resize(head.len() + 200_000_000, b'a');
            bytes.extend_from_slice(b"\"}]}\n");
            Some(("huge-string.spanmark.json".into(), bytes))
        }
        _ => None,
    }
}

/// The input file of a case (copied into `dir`), and any companion files.
fn input(name: &str, dir: &Path) -> PathBuf {
    if let Some((file, bytes)) = generated(name) {
        let p = dir.join(file);
        std::fs::write(&p, bytes).unwrap();
        return p;
    }
    let mut found = None;
    for entry in std::fs::read_dir(CASES).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(name).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        if matches!(rest, "expected" | "args" | "exit") {
            continue;
        }
        std::fs::copy(&path, dir.join(&file)).unwrap();
        // A brat case is .ann with its .txt; the .ann is the input.
        if rest != "txt" || found.is_none() {
            found = Some(dir.join(&file));
        }
        if rest == "ann" {
            found = Some(dir.join(&file));
        }
    }
    found.unwrap_or_else(|| panic!("{name}: no input file"))
}

/// The commands a case runs (each must fail the same way).
fn commands(name: &str, input: &Path, dir: &Path, project: &Path) -> Vec<Vec<String>> {
    let s = |p: &Path| p.display().to_string();
    if let Ok(args) = std::fs::read_to_string(Path::new(CASES).join(format!("{name}.args"))) {
        return vec![
            args.split_whitespace()
                .map(|a| {
                    a.replace("{input}", &s(input))
                        .replace("{project}", &s(project))
                        .replace("{dir}", &s(dir))
                })
                .collect(),
        ];
    }
    let file = input.file_name().unwrap().to_string_lossy().into_owned();
    let import = |format: &str| {
        vec![vec![
            "import".into(),
            format.into(),
            s(input),
            "--into".into(),
            s(project),
        ]]
    };
    if file.ends_with(".spanmark.json") {
        let txt = dir.join("more.txt");
        std::fs::write(&txt, "more text").unwrap();
        vec![
            vec!["validate".into(), s(input)],
            vec!["add".into(), s(input), s(&txt)],
            vec!["stats".into(), s(input)],
        ]
    } else if file.ends_with(".ann") {
        import("brat")
    } else if file.ends_with(".doccano.jsonl") {
        import("doccano")
    } else if file.ends_with(".jsonl") {
        import("jsonl")
    } else if file.ends_with(".ls.json") {
        import("label-studio")
    } else if file.ends_with(".conll") {
        import("conll")
    } else if file.ends_with(".txt") {
        vec![
            vec![
                "new".into(),
                s(&dir.join("new.spanmark.json")),
                "--text".into(),
                s(input),
            ],
            vec!["add".into(), s(project), s(input)],
        ]
    } else {
        panic!("{name}: no command for {file}")
    }
}

fn run_case(name: &str) {
    let expected = std::fs::read_to_string(Path::new(CASES).join(format!("{name}.expected")))
        .unwrap()
        .trim_end_matches('\n')
        .to_string();
    let exit: i32 = std::fs::read_to_string(Path::new(CASES).join(format!("{name}.exit")))
        .map_or(1, |s| s.trim().parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let input = input(name, dir.path());
    // An existing project the imports go into: it must not change either.
    let project = dir.path().join("target.spanmark.json");
    std::fs::write(&project, SAMPLE_PROJECT_JSON).unwrap();
    let files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let before: Vec<Vec<u8>> = files.iter().map(|f| hash(f)).collect();
    for args in commands(name, &input, dir.path(), &project) {
        let o = spanmark().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(exit), "{name}: {args:?}: {err}");
        assert!(
            err.contains(&expected),
            "{name}: {args:?}:\n expected {expected:?}\n in {err:?}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        if exit == 1 {
            let file = input.file_name().unwrap().to_string_lossy();
            assert!(
                err.contains(&*file),
                "{name}: {args:?}: names no file: {err}"
            );
        }
        for (f, h) in files.iter().zip(&before) {
            assert_eq!(&hash(f), h, "{name}: {args:?} changed {}", f.display());
        }
        assert!(
            !dir.path().join("new.spanmark.json").exists(),
            "{name}: a project was created"
        );
    }
}

#[test]
fn every_bad_input_case_fails_cleanly() {
    let mut names: Vec<String> = std::fs::read_dir(CASES)
        .unwrap()
        .filter_map(|e| {
            let f = e.unwrap().file_name().to_string_lossy().into_owned();
            f.strip_suffix(".expected").map(String::from)
        })
        .filter(|n| generated(n).is_none())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "cases: {names:?}");
    for name in names {
        run_case(&name);
    }
}

/// Separate, so the 200 MB file exists only while this test runs.
#[test]
fn a_200_mb_string_is_refused_with_the_limit() {
    run_case("huge-string");
}
