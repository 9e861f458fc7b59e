//! Several writers on one project, and saves that must not lose or break
//! anything: concurrent `spanmark add` runs and library saves, stale locks,
//! symlinks, saves that change nothing, temp files of killed saves, a
//! closed pipe, FIFOs, and projects that load would refuse.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use spanmark::io::lock::{Holder, ProjectLock};
use spanmark::io::{
    JobProgress, SaveCheck, SaveError, load_project, load_project_stamped, save_project,
    save_project_checked,
};
use spanmark::model::{Document, Label, LabelSchema, LayerId, Project, Span, SpanId};
use spanmark::sample::SAMPLE_PROJECT_JSON;

fn spanmark() -> Command {
    Command::cargo_bin("spanmark").unwrap()
}

fn hash(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

/// A project of about `kb` kilobytes of text, so that a save takes a while.
fn project_file(dir: &Path, kb: usize) -> PathBuf {
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("ayesha");
    let para =
        "Security forces conducted an operation in North Waziristan, eliminating 15 militants. ";
    let text = para.repeat(kb * 1024 / para.len() + 1);
    p.add_document(Document::new("base", "Base", text)).unwrap();
    let path = dir.join("p.spanmark.json");
    save_project(&p, &path).unwrap();
    path
}

fn text_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Documents whose text contains `needle`.
fn has_text(project: &Project, needle: &str) -> bool {
    project.documents.iter().any(|d| d.text().contains(needle))
}

/// What one writer did: its marker text, and whether it says it landed.
struct Outcome {
    marker: String,
    landed: bool,
    message: String,
}

/// A library writer: reads, adds a document, saves with the stamp of what it
/// read. With `lock_first` it takes the lock before reading (waiting up to
/// `wait`); without, the save takes it, and refuses if another save fell
/// between the read and the write.
fn library_writer(path: &Path, marker: &str, lock_first: bool, wait: Duration) -> Outcome {
    let holder = Holder::this_process("library", "writers test");
    let result = (|| -> Result<(), String> {
        let lock = if lock_first {
            Some(ProjectLock::acquire(path, &holder, wait).map_err(|e| e.to_string())?)
        } else {
            None
        };
        let (mut p, stamp) = load_project_stamped(path).map_err(|e| e.to_string())?;
        let id = format!("lib-{marker}");
        p.add_document(Document::new(id.clone(), id, marker.to_string()))?;
        let check = SaveCheck {
            lock: lock.as_ref(),
            expected: Some(&stamp),
            must_be_new: false,
            max_bytes: None,
        };
        save_project_checked(&p, path, &check, &JobProgress::default())
            .map(|_| ())
            .map_err(|e| e.to_string())
    })();
    Outcome {
        marker: marker.to_string(),
        landed: result.is_ok(),
        message: result.err().unwrap_or_default(),
    }
}

fn cli_writer(path: &Path, dir: &Path, marker: &str, wait: &str) -> Outcome {
    let file = text_file(dir, &format!("{marker}.txt"), marker);
    let o = Process::new(assert_cmd::cargo::cargo_bin("spanmark"))
        .args(["add", "--wait", wait])
        .arg(path)
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let landed = match o.status.code() {
        Some(0) => true,
        Some(1) => false,
        other => panic!("spanmark add exited with {other:?}: {stderr}"),
    };
    Outcome {
        marker: marker.to_string(),
        landed,
        message: stderr,
    }
}

/// Runs four writers at once (two CLI `add`s, a locking and a non-locking
/// library save) and checks that each one that said it landed is in the
/// file, and each one that did not said why.
fn race(path: &Path, dir: &Path, round: usize, wait: &str) -> Vec<Outcome> {
    let wait_lib = Duration::from_secs_f64(wait.parse().unwrap());
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let a = s.spawn(|| cli_writer(path, dir, &format!("cli-a-{round}"), wait));
        let b = s.spawn(|| cli_writer(path, dir, &format!("cli-b-{round}"), wait));
        let c = s.spawn(|| library_writer(path, &format!("lib-{round}"), true, wait_lib));
        let d = s.spawn(|| library_writer(path, &format!("unlocked-{round}"), false, wait_lib));
        [a, b, c, d]
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });
    let project = load_project(path).unwrap();
    for o in &outcomes {
        if o.landed {
            assert!(
                has_text(&project, &o.marker),
                "{} said it landed but is not in the project",
                o.marker
            );
        } else {
            let named = o.message.contains("is being edited by")
                || o.message.contains("changed by another program");
            assert!(
                named,
                "{} failed without saying who or why: {}",
                o.marker, o.message
            );
        }
    }
    outcomes
}

#[test]
fn four_writers_at_once_each_land_or_say_who_holds_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = project_file(dir.path(), 2048);
    // With a generous wait, every locking writer lands (they take turns).
    for round in 0..3 {
        let outcomes = race(&path, dir.path(), round, "60");
        for o in &outcomes {
            if !o.marker.starts_with("unlocked") {
                assert!(o.landed, "{} did not land: {}", o.marker, o.message);
            }
        }
    }
    // Without waiting, some are refused, with the holder's name; none is lost.
    let mut refused = 0;
    for round in 3..8 {
        let outcomes = race(&path, dir.path(), round, "0");
        refused += outcomes.iter().filter(|o| !o.landed).count();
    }
    assert!(
        refused > 0,
        "no writer ever met another: the race did not happen"
    );
    let project = load_project(&path).unwrap();
    assert!(project.documents.len() > 10);
    // Nothing is left behind: no temp files, no lock file.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("spanmark.json"))
        .collect();
    for n in &names {
        // (Windows keeps an emptied lock file.)
        assert!(
            n == "p.spanmark.json"
                || n == "p.spanmark.json.bak"
                || (cfg!(windows) && n.ends_with(".lock")),
            "left behind: {n} (all: {names:?})"
        );
    }
}

#[test]
fn a_cli_writer_waits_for_the_lock_then_fails_naming_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let path = project_file(dir.path(), 4);
    let before = hash(&path);
    let holder = Holder {
        user: "ayesha".into(),
        host: "LAPTOP-7".into(),
        program: "Spanmark app".into(),
        pid: std::process::id(),
        since: "2026-12-01T10:14:00Z".into(),
    };
    let lock = ProjectLock::acquire(&path, &holder, Duration::ZERO).unwrap();
    let t = text_file(dir.path(), "new.txt", "In Bannu.");
    let started = std::time::Instant::now();
    let o = spanmark()
        .args(["add", "--wait", "0.5"])
        .arg(&path)
        .arg(&t)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "it did not wait"
    );
    assert!(err.contains("ayesha on LAPTOP-7"), "{err}");
    assert!(err.contains("Spanmark app"), "{err}");
    assert_eq!(hash(&path), before);
    // import and merge are writers too.
    let other = dir.path().join("other.spanmark.json");
    std::fs::write(&other, SAMPLE_PROJECT_JSON).unwrap();
    for args in [
        vec![
            "merge".to_string(),
            path.display().to_string(),
            other.display().to_string(),
        ],
        vec![
            "import".into(),
            "txt".into(),
            t.display().to_string(),
            "--into".into(),
            path.display().to_string(),
        ],
    ] {
        let o = spanmark()
            .args(&args)
            .args(["--wait", "0"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("ayesha on LAPTOP-7"), "{args:?}: {err}");
    }
    drop(lock);
    spanmark().arg("add").arg(&path).arg(&t).assert().success();
    assert!(has_text(&load_project(&path).unwrap(), "In Bannu."));
}

#[test]
fn a_lock_left_by_a_killed_writer_is_taken_over_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = project_file(dir.path(), 4);
    let stale = Holder {
        user: "bilal".into(),
        host: "LAPTOP-9".into(),
        program: "spanmark add".into(),
        pid: 4_000_000,
        since: "2026-11-30T09:00:00Z".into(),
    };
    std::fs::write(
        dir.path().join("p.spanmark.json.lock"),
        serde_json::to_string(&stale).unwrap(),
    )
    .unwrap();
    let t = text_file(dir.path(), "new.txt", "Karak police responded.");
    let o = spanmark().arg("add").arg(&path).arg(&t).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("took over the lock"), "{err}");
    assert!(err.contains("bilal on LAPTOP-9"), "{err}");
    #[cfg(unix)]
    assert!(!dir.path().join("p.spanmark.json.lock").exists());
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_updates_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    let link_dir = dir.path().join("link");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::create_dir_all(&link_dir).unwrap();
    let target = project_file(&real, 4);
    let link = link_dir.join("p.spanmark.json");
    std::os::unix::fs::symlink("../real/p.spanmark.json", &link).unwrap();
    let t = text_file(dir.path(), "new.txt", "🇵🇰 “Bannu” بنوں");
    spanmark().arg("add").arg(&link).arg(&t).assert().success();
    // The link is still a link, the real file has the new document, and the
    // backup and temp files sit beside the real file.
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(has_text(&load_project(&target).unwrap(), "“Bannu” بنوں"));
    assert!(real.join("p.spanmark.json.bak").is_file());
    assert!(
        !std::fs::symlink_metadata(real.join("p.spanmark.json.bak"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_dir(&link_dir).unwrap().count(),
        1,
        "only the link"
    );
    // The library save does the same.
    let mut p = load_project(&link).unwrap();
    p.add_document(Document::new("lib", "lib", "Dera Ismail Khan".to_string()))
        .unwrap();
    save_project(&p, &link).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(has_text(
        &load_project(&target).unwrap(),
        "Dera Ismail Khan"
    ));
    // A link to nothing is refused with what it points to.
    let dangling = link_dir.join("gone.spanmark.json");
    std::os::unix::fs::symlink("../real/missing.spanmark.json", &dangling).unwrap();
    let e = save_project(&p, &dangling).unwrap_err().to_string();
    assert!(
        e.contains("symbolic link") && e.contains("missing.spanmark.json"),
        "{e}"
    );
}

#[test]
fn a_command_that_changes_nothing_writes_nothing_and_keeps_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = project_file(dir.path(), 4);
    let t = text_file(
        dir.path(),
        "a.txt",
        "In Bannu, terrorists attempted to abduct an official.",
    );
    spanmark().arg("add").arg(&path).arg(&t).assert().success();
    let bak = spanmark::io::atomic::backup_path(&path);
    let (file_before, bak_before) = (hash(&path), hash(&bak));
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    // The same text again is skipped: nothing to write.
    let o = spanmark().arg("add").arg(&path).arg(&t).output().unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("was not changed"));
    assert_eq!(hash(&path), file_before);
    assert_eq!(
        hash(&bak),
        bak_before,
        "the backup is still the earlier version"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    // A library save of the unchanged project leaves the backup too.
    save_project(&load_project(&path).unwrap(), &path).unwrap();
    assert_eq!(hash(&bak), bak_before);
    assert_ne!(hash(&bak), hash(&path));
}

#[test]
fn temp_files_left_by_killed_saves_are_removed_by_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = project_file(dir.path(), 4);
    let stale = [
        ".p.spanmark.json.4242-0.tmp",
        ".p.spanmark.json.bak.4242-3.tmp",
        ".p.spanmark.json.bak.17-12.tmp",
    ];
    let kept = [
        ".other.spanmark.json.4242-0.tmp",
        "notes.tmp",
        ".p.spanmark.json.x-0.tmp",
    ];
    for n in stale.iter().chain(&kept) {
        std::fs::write(dir.path().join(n), "half a save").unwrap();
    }
    let t = text_file(dir.path(), "a.txt", "Lakki Marwat");
    spanmark().arg("add").arg(&path).arg(&t).assert().success();
    for n in stale {
        assert!(!dir.path().join(n).exists(), "{n} was left");
    }
    for n in kept {
        assert!(dir.path().join(n).exists(), "{n} is not ours and must stay");
    }
}

/// Adds a span to ayesha's layer of document `doc`.
fn add_span(p: &mut Project, doc: usize, id: u64, range: std::ops::Range<usize>, label: &str) {
    let len = p.documents[doc].char_len();
    let span = Span::new(
        SpanId(id),
        range.start,
        range.end,
        label,
        len,
        jiff::Timestamp::UNIX_EPOCH,
    );
    p.documents[doc]
        .layer_mut(&LayerId::Annotator("ayesha".into()))
        .insert(span.unwrap())
        .unwrap();
}

/// A change that makes a project invalid.
type Breaker = Box<dyn Fn(&mut Project)>;

/// A project that load would refuse is never written, by any caller.
#[test]
fn the_library_save_refuses_every_project_that_load_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let good = || {
        let mut p = Project::new(LabelSchema::default());
        p.ensure_annotator("ayesha");
        p.add_document(Document::new("d1", "One", "In Bannu 🙂 بنوں.".to_string()))
            .unwrap();
        p.add_document(Document::new("d2", "Two", "Karak police".to_string()))
            .unwrap();
        add_span(&mut p, 0, 1, 3..8, "LOCATION");
        p
    };
    let breakers: Vec<(&str, Breaker)> = vec![
        (
            "label name with a space",
            Box::new(|p| p.schema.labels[0].name = "Place Name".into()),
        ),
        (
            "label name with ESC",
            Box::new(|p| p.schema.labels[0].name = "LOC\u{1b}[2J".into()),
        ),
        (
            "label name with NUL",
            Box::new(|p| p.schema.labels[0].name = "LOC\0".into()),
        ),
        (
            "empty label name",
            Box::new(|p| p.schema.labels[0].name = String::new()),
        ),
        (
            "label defined twice",
            Box::new(|p| {
                let l = p.schema.labels[0].clone();
                p.schema.labels.push(Label { key: None, ..l });
            }),
        ),
        (
            "span label not in the schema",
            Box::new(|p| {
                add_span(p, 1, 2, 0..5, "WEAPON");
            }),
        ),
        (
            "span id used twice",
            Box::new(|p| {
                add_span(p, 1, 1, 0..5, "LOCATION");
            }),
        ),
        (
            "document id used twice",
            Box::new(|p| p.documents[1].id = "d1".into()),
        ),
        (
            "empty document id",
            Box::new(|p| p.documents[1].id = " ".into()),
        ),
        (
            "empty annotator name",
            Box::new(|p| p.annotators.push(String::new())),
        ),
        (
            "annotator listed twice",
            Box::new(|p| p.annotators.push("ayesha".into())),
        ),
    ];
    let path = dir.path().join("p.spanmark.json");
    save_project(&good(), &path).unwrap();
    assert!(load_project(&path).is_ok());
    let before = hash(&path);
    for (what, breaks) in &breakers {
        let mut p = good();
        breaks(&mut p);
        // Load's own verdict on the same project, written by hand.
        let bytes = spanmark::io::to_json_bytes(&p);
        assert!(
            spanmark::io::parse_project(&bytes).is_err(),
            "{what}: load accepts it, so this case tests nothing"
        );
        match save_project(&p, &path) {
            Err(SaveError::Invalid { problems, .. }) => assert!(!problems.is_empty(), "{what}"),
            other => panic!("{what}: saved or failed otherwise: {other:?}"),
        }
        assert_eq!(hash(&path), before, "{what}: the file changed");
        let fresh = dir.path().join("fresh.spanmark.json");
        assert!(save_project(&p, &fresh).is_err());
        assert!(!fresh.exists(), "{what}: a new file was written");
        // The check runs beside the writing: what it wrote meanwhile goes.
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "p.spanmark.json")
            .collect();
        assert!(left.is_empty(), "{what}: left behind {left:?}");
    }
}

#[test]
fn a_save_over_the_read_limit_is_refused_before_anything_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = project_file(dir.path(), 4);
    let before = hash(&path);
    let mut p = load_project(&path).unwrap();
    p.add_document(Document::new("big", "Big", "x".repeat(20_000)))
        .unwrap();
    let check = SaveCheck {
        max_bytes: Some(16_000),
        ..Default::default()
    };
    let e = save_project_checked(&p, &path, &check, &JobProgress::default()).unwrap_err();
    assert!(matches!(e, SaveError::TooLarge { .. }), "{e}");
    assert!(e.to_string().contains("nothing was written"), "{e}");
    assert_eq!(hash(&path), before);
    assert!(
        !spanmark::io::atomic::backup_path(&path).exists()
            || hash(&spanmark::io::atomic::backup_path(&path)) != before
    );
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_closed_stdout_ends_a_command_quietly_with_its_ordinary_status() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    std::fs::write(&path, SAMPLE_PROJECT_JSON).unwrap();
    let t = text_file(dir.path(), "a.txt", "North Waziristan");
    let runs: Vec<Vec<String>> = vec![
        vec!["stats".into(), path.display().to_string()],
        vec!["stats".into(), "--json".into(), path.display().to_string()],
        vec!["agreement".into(), path.display().to_string()],
        vec!["validate".into(), path.display().to_string()],
        vec![
            "import".into(),
            "txt".into(),
            t.display().to_string(),
            "--into".into(),
            path.display().to_string(),
        ],
    ];
    for args in runs {
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("spanmark"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end at once, as `| head -0` would.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        let code = o.status.code();
        assert!(
            code == Some(0) || code == Some(2),
            "{args:?}: exit {code:?}: {err}"
        );
        if args[0] != "agreement" {
            assert_eq!(code, Some(0), "{args:?}: {err}");
        }
    }
    assert!(has_text(&load_project(&path).unwrap(), "North Waziristan"));
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_at_once_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.spanmark.json");
    if !Process::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    let t = text_file(dir.path(), "a.txt", "Bannu");
    let fifo_txt = dir.path().join("pipe.txt");
    Process::new("mkfifo").arg(&fifo_txt).status().unwrap();
    let project = dir.path().join("p.spanmark.json");
    std::fs::write(&project, SAMPLE_PROJECT_JSON).unwrap();
    let fifo_jsonl = dir.path().join("pipe.jsonl");
    Process::new("mkfifo").arg(&fifo_jsonl).status().unwrap();
    let brat = dir.path().join("brat");
    std::fs::create_dir(&brat).unwrap();
    std::fs::write(brat.join("x.txt"), "In Bannu.").unwrap();
    Process::new("mkfifo")
        .arg(brat.join("x.ann"))
        .status()
        .unwrap();
    let s = |p: &Path| p.display().to_string();
    let imports = [
        vec![
            "import".to_string(),
            "doccano".into(),
            s(&fifo_jsonl),
            "--into".into(),
            s(&project),
        ],
        vec![
            "import".into(),
            "jsonl".into(),
            s(&fifo_jsonl),
            "--into".into(),
            s(&project),
        ],
        vec![
            "import".into(),
            "brat".into(),
            s(&brat),
            "--into".into(),
            s(&project),
        ],
        vec!["sample".into(), s(&fifo)],
        vec!["sample".into(), "--force".into(), s(&fifo)],
    ];
    for args in [
        vec!["validate".to_string(), fifo.display().to_string()],
        vec!["stats".into(), fifo.display().to_string()],
        vec![
            "add".into(),
            fifo.display().to_string(),
            t.display().to_string(),
        ],
        vec![
            "add".into(),
            project.display().to_string(),
            fifo_txt.display().to_string(),
        ],
    ]
    .into_iter()
    .chain(imports)
    {
        let o = spanmark()
            .args(&args)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("named pipe (FIFO), not a regular file"),
            "{args:?}: {err}"
        );
    }
    assert!(load_project(&project).is_ok());
}

#[test]
fn an_os_error_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.spanmark.json");
    for args in [
        vec!["stats".to_string(), missing.display().to_string()],
        vec![
            "add".into(),
            missing.display().to_string(),
            missing.display().to_string(),
        ],
    ] {
        let o = spanmark().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert_eq!(err.matches("os error 2").count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn two_imports_that_both_create_a_project_keep_both() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("new.spanmark.json");
    let input = |name: &str| {
        let mut lines = String::new();
        for i in 0..3000 {
            lines.push_str(&format!(
                "{{\"text\":\"{name} {i}: militants attacked a “post” in Bannu 🙂\",\"label\":[[0,{},\"ACTOR\"]]}}\n",
                name.chars().count()
            ));
        }
        text_file(dir.path(), &format!("{name}.jsonl"), &lines)
    };
    let (a, b) = (input("alpha"), input("bravo"));
    let run = |file: &Path| {
        Process::new(assert_cmd::cargo::cargo_bin("spanmark"))
            .args(["import", "doccano", "--wait", "120"])
            .arg(file)
            .arg("--into")
            .arg(&into)
            .output()
            .unwrap()
    };
    let (oa, ob) = std::thread::scope(|s| {
        let ha = s.spawn(|| run(&a));
        let hb = s.spawn(|| run(&b));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    for o in [&oa, &ob] {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let p = load_project(&into).unwrap();
    assert_eq!(p.documents.len(), 6000, "one import's documents were lost");
    assert!(has_text(&p, "alpha 2999") && has_text(&p, "bravo 2999"));
    // A library writer that made a new project for a missing file does
    // not replace one that appeared meanwhile.
    let check = SaveCheck {
        must_be_new: true,
        ..Default::default()
    };
    let e = save_project_checked(&Project::default(), &into, &check, &JobProgress::default())
        .unwrap_err();
    assert!(matches!(e, SaveError::AppearedMeanwhile { .. }), "{e}");
    assert_eq!(load_project(&into).unwrap().documents.len(), 6000);
}

#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_ends_with_exit_1_not_success() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.spanmark.json");
    std::fs::write(&path, SAMPLE_PROJECT_JSON).unwrap();
    for args in [&["stats", "--json"][..], &["stats"], &["validate"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Process::new(assert_cmd::cargo::cargo_bin("spanmark"))
            .args(args)
            .arg(&path)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("could not be written in full"),
            "{args:?}: {err}"
        );
    }
}
