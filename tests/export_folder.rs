//! Exporting into a folder that is not empty: an earlier export there is
//! replaced exactly (its stale files go), a folder with other files is
//! refused unless forced, and odd `--out` paths (a symlink, a dangling
//! symlink, a file) get a clear answer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

use assert_cmd::Command;
use common::one_span_documents;
use jiff::Timestamp;
use spanmark::io::formats::{ExportFormat, ExportOptions, LayerChoice, Split, export};
use spanmark::io::save_project;
use spanmark::model::Project;

const MANIFEST: &str = ".spanmark-export.json";

fn spanmark() -> Command {
    Command::cargo_bin("spanmark").unwrap()
}

/// Every file under `dir`, relative, with its content.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Names in `dir` itself (to see temporary folders left behind).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn options(split: Option<&str>) -> ExportOptions {
    ExportOptions {
        layer: LayerChoice::Annotator("a".into()),
        split: split.map(|s| Split::parse(s, 1).unwrap()),
        ..Default::default()
    }
}

/// The files a fresh export of `p` into an empty folder makes (manifest aside).
fn fresh(p: &Project, format: ExportFormat, split: Option<&str>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    export(p, format, &dir.path().join("o"), &options(split)).unwrap();
    tree(&dir.path().join("o"))
        .into_keys()
        .filter(|k| k != MANIFEST)
        .collect()
}

#[test]
fn a_new_export_replaces_exactly_the_files_of_the_previous_one() {
    // (earlier project, split) → (later project, split), per format: documents
    // gone, split parts gone or renamed must leave no stale file behind.
    let big = one_span_documents("report-", 60);
    let small = one_span_documents("other-", 2);
    let cases = [
        (ExportFormat::Brat, Some("train=0.5,dev=0.5"), None),
        (ExportFormat::Brat, None, Some("train=0.5,test=0.5")),
        (ExportFormat::Hf, Some("train=0.8,dev=0.1,test=0.1"), None),
        (ExportFormat::Conll, Some("train=0.5,dev=0.5"), Some("a=1")),
        (ExportFormat::Jsonl, None, None),
        (ExportFormat::Csv, Some("x=0.5,y=0.5"), None),
        (ExportFormat::Doccano, None, Some("train=0.5,dev=0.5")),
        (ExportFormat::LabelStudio, Some("train=0.5,dev=0.5"), None),
    ];
    for (format, first, second) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        export(&big, format, &out, &options(first)).unwrap();
        let summary = export(&small, format, &out, &options(second)).unwrap();
        let now: Vec<String> = tree(&out).into_keys().filter(|k| k != MANIFEST).collect();
        assert_eq!(now, fresh(&small, format, second), "{format}");
        assert!(out.join(MANIFEST).is_file());
        // The summary names the files where they are now.
        for f in &summary.files {
            assert!(
                f.starts_with(&out) && f.is_file(),
                "{format}: {}",
                f.display()
            );
        }
        // Nothing temporary is left beside or inside the folder.
        assert_eq!(names(dir.path()), ["o"], "{format}");
        assert!(!names(&out).iter().any(|n| n.contains("tmp")), "{format}");
    }
}

#[test]
fn the_manifest_names_the_files_format_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    export(
        &one_span_documents("d", 2),
        ExportFormat::Brat,
        &out,
        &options(None),
    )
    .unwrap();
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(MANIFEST)).unwrap()).unwrap();
    assert_eq!(m["format"], "brat");
    assert_eq!(m["layer"], "a");
    assert!(m["written"].as_str().unwrap().parse::<Timestamp>().is_ok());
    let listed: Vec<&str> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            "annotation.conf",
            "d0.ann",
            "d0.txt",
            "d1.ann",
            "d1.txt",
            "visual.conf"
        ]
    );
}

fn export_cli(p: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    spanmark()
        .arg("export")
        .arg(p)
        .args(["--format", "brat", "--layer", "a", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn saved(dir: &Path, p: &Project) -> PathBuf {
    let path = dir.join("p.spanmark.json");
    save_project(p, &path).unwrap();
    path
}

#[test]
fn a_folder_with_other_files_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let p = saved(dir.path(), &one_span_documents("d", 3));
    let out = dir.path().join("mine");
    std::fs::create_dir_all(out.join("notes")).unwrap();
    std::fs::write(out.join("thesis.docx"), b"my thesis").unwrap();
    std::fs::write(out.join("notes").join("todo.txt"), b"todo").unwrap();
    std::fs::write(out.join(".DS_Store"), b"finder").unwrap();
    let before = tree(&out);
    let o = export_cli(&p, &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("thesis.docx") && err.contains("notes/todo.txt") && err.contains("--force"),
        "{err}"
    );
    assert!(!err.contains(".DS_Store"), "{err}");
    assert_eq!(tree(&out), before, "nothing written");
    // Forced: written beside them, which stay.
    let o = export_cli(&p, &out, &["--force"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = tree(&out);
    assert_eq!(after["thesis.docx"], b"my thesis");
    assert!(after.contains_key("d0.ann") && after.contains_key(MANIFEST));
    // A smaller forced export removes only its own stale files.
    let p2 = saved(dir.path(), &one_span_documents("d", 1));
    assert!(export_cli(&p2, &out, &["--force"]).status.success());
    let after = tree(&out);
    assert!(!after.contains_key("d2.ann") && after.contains_key("d0.ann"));
    assert_eq!(after["notes/todo.txt"], b"todo");
    // A crowded folder: five names, then "…".
    let crowded = dir.path().join("crowded");
    std::fs::create_dir(&crowded).unwrap();
    for i in 0..9 {
        std::fs::write(crowded.join(format!("f{i}")), b"x").unwrap();
    }
    let err = String::from_utf8_lossy(&export_cli(&p, &crowded, &[]).stderr).into_owned();
    assert!(
        err.contains("f0, f1, f2, f3, f4, …") && !err.contains("f5"),
        "{err}"
    );
    // Empty folders and folders holding only an earlier export are fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(export_cli(&p, &empty, &[]).status.success());
    assert!(export_cli(&p2, &empty, &[]).status.success());
}

#[test]
fn an_exported_file_changed_since_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let p = saved(dir.path(), &one_span_documents("d", 2));
    let out = dir.path().join("o");
    assert!(export_cli(&p, &out, &[]).status.success());
    // An analyst went on annotating in brat.
    std::fs::write(
        out.join("d1.ann"),
        b"T1\tLOCATION 0 5\tBannu\nT2\tACTOR 6 7\t1\n",
    )
    .unwrap();
    let o = export_cli(&p, &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("d1.ann (changed since the last export)"),
        "{err}"
    );
    assert!(
        std::fs::read_to_string(out.join("d1.ann"))
            .unwrap()
            .contains("T2")
    );
}

#[test]
fn an_exported_file_edited_to_the_same_size_is_not_replaced_either() {
    let dir = tempfile::tempdir().unwrap();
    let p = saved(dir.path(), &one_span_documents("d", 2));
    let out = dir.path().join("o");
    assert!(export_cli(&p, &out, &[]).status.success());
    // LOCATION → LOCATIOX keeps the size; the edit's time gives it away.
    let ann = out.join("d1.ann");
    let edited = std::fs::read_to_string(&ann)
        .unwrap()
        .replace("LOCATION", "LOCATIOX");
    std::fs::write(&ann, &edited).unwrap();
    let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(&ann)
        .unwrap()
        .set_modified(t)
        .unwrap();
    let o = export_cli(&p, &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("d1.ann (changed since the last export)"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&ann).unwrap(), edited);
}

#[cfg(unix)]
#[test]
fn a_hostile_manifest_never_removes_anything_outside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"keep me").unwrap();
    let out = dir.path().join("o");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(dir.path(), out.join("up")).ok();
    let listed = [
        "../victim.txt",
        "/etc/hostname",
        "up/victim.txt",
        "./x",
        "a\\\\..\\\\..\\\\victim.txt",
    ];
    let files: Vec<serde_json::Value> = listed
        .iter()
        .map(|p| serde_json::json!({"path": p, "bytes": 7}))
        .collect();
    let manifest = serde_json::json!({"spanmark_export": 1, "format": "brat", "layer": "a",
        "written": "2026-01-01T00:00:00Z", "files": files});
    std::fs::write(out.join(MANIFEST), manifest.to_string()).unwrap();
    let p = one_span_documents("d", 1);
    let forced = ExportOptions {
        force: true,
        ..options(None)
    };
    export(&p, ExportFormat::Brat, &out, &forced).unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    // Unforced, the symlink is foreign and the bad paths are not ours.
    let e = export(&p, ExportFormat::Brat, &out, &options(None))
        .unwrap_err()
        .to_string();
    assert!(e.contains("up"), "{e}");
    // A manifest that is not JSON is named; forced, it is replaced.
    let out2 = dir.path().join("o2");
    std::fs::create_dir(&out2).unwrap();
    std::fs::write(out2.join(MANIFEST), b"not json").unwrap();
    let e = export(&p, ExportFormat::Brat, &out2, &options(None))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(MANIFEST) && e.contains("not a Spanmark export manifest"),
        "{e}"
    );
    export(&p, ExportFormat::Brat, &out2, &forced).unwrap();
}

#[cfg(unix)]
#[test]
fn out_as_a_symlink_a_dangling_symlink_or_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = saved(dir.path(), &one_span_documents("d", 2));
    // A symlink to a folder is followed and stays a symlink.
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = export_cli(&p, &link, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(real.join("d0.ann").is_file());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        export_cli(&p, &link, &[]).status.success(),
        "again, through the link"
    );
    assert_eq!(names(dir.path()), ["link", "p.spanmark.json", "real"]);
    // A symlink to a missing folder: say so (it was "File exists (os error 17)").
    for (name, target) in [("dangling", "gone"), ("deep/out", "../nowhere/x")] {
        let l = dir.path().join(name);
        std::fs::create_dir_all(l.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &l).unwrap();
        let o = export_cli(&p, &l, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains("symbolic link") && err.contains(target) && err.contains("does not exist"),
            "{err}"
        );
        assert!(!err.contains("os error 17"), "{err}");
        assert!(
            std::fs::symlink_metadata(&l)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    // A folder inside a dangling link.
    let o = export_cli(&p, &dir.path().join("dangling").join("sub"), &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("dangling") && err.contains("does not exist"),
        "{err}"
    );
    // A file, and a symlink to a file.
    let file = dir.path().join("file.txt");
    std::fs::write(&file, b"x").unwrap();
    let to_file = dir.path().join("to-file");
    std::os::unix::fs::symlink(&file, &to_file).unwrap();
    for out in [&file, &to_file] {
        let o = export_cli(&p, out, &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains("not a folder"), "{err}");
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}
