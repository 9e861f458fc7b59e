//! Kill-during-save: `spanmark add` rewrites a large project while this test
//! SIGKILLs it at random moments. Afterwards the project file is always the
//! complete old version or the complete new one, and it loads and validates.
//! `cargo test` runs 20 kills; `KILL_RUNS=200 cargo test --test kill_save -- --nocapture`
//! runs 200 and prints "200 kills, 0 corrupt". `KILL_SEED` repeats a run.
//!
//! Also: autosave recovery copies written by a process that is then
//! SIGKILLed hold every edit up to the last autosave.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use spanmark::io::recovery::{pending_recovery, write_recovery};
use spanmark::io::text_import::documents_from_files;
use spanmark::io::{load_project, parse_project, save_project, to_json_bytes};
use spanmark::model::{LayerId, Span};
use spanmark::synthetic::{Lcg, synthetic_project};

fn spanmark_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_spanmark"))
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// The bytes `spanmark add project txt` writes, computed in this process.
fn expected_after_add(project_bytes: &[u8], txt: &Path) -> Vec<u8> {
    let mut project = parse_project(project_bytes).unwrap();
    let (docs, _) = documents_from_files(&project, &[txt.to_path_buf()]).unwrap();
    for d in docs {
        project.add_document(d).unwrap();
    }
    to_json_bytes(&project)
}

/// The temp files of saves in the folder.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with('.') && name.ends_with(".tmp")
        })
        .collect()
}

/// Whether a save is under way: a temp file is in the folder.
fn saving(dir: &Path) -> bool {
    !temp_files(dir).is_empty()
}

fn write_report(txt: &Path, i: usize) -> &Path {
    std::fs::write(txt, format!("Report {i}: police responded in Bannu.\r\n")).unwrap();
    txt
}

#[derive(Default, Debug)]
struct Tally {
    kills: usize,
    old: usize,
    new: usize,
    finished_first: usize,
    corrupt: usize,
    /// Temp files left by killed saves (removed after counting).
    leftovers: usize,
}

#[test]
fn sigkill_during_save_leaves_the_old_or_the_new_file() {
    let runs = env_u64("KILL_RUNS").unwrap_or(20) as usize;
    let seed = env_u64("KILL_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let mut rng = Lcg::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.spanmark.json");
    // About 1 MB of text with a span per ~60 code points: a save takes a while.
    save_project(&synthetic_project(1_000_000, 7, true), &path).unwrap();

    let add = |txt: &Path| {
        Command::new(spanmark_bin())
            .arg("add")
            .arg(&path)
            .arg(txt)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };

    // One run to the end: how long an add takes, and that the prediction of its result is right.
    let old = std::fs::read(&path).unwrap();
    let txt = dir.path().join("report-0.txt");
    write_report(&txt, 0);
    let started = Instant::now();
    assert!(add(&txt).wait().unwrap().success());
    let mut full = started.elapsed();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        expected_after_add(&old, &txt)
    );
    // Once more with warm caches (the text is there already, so the file is only rewritten).
    let started = Instant::now();
    assert!(add(&txt).wait().unwrap().success());
    full = full.min(started.elapsed());

    let mut t = Tally::default();
    for i in 1..=runs {
        let old = std::fs::read(&path).unwrap();
        let txt = dir.path().join(format!("report-{i}.txt"));
        let new = expected_after_add(&old, write_report(&txt, i));
        let mut child = add(&txt);
        // A third of the kills anywhere in the run; the others while the file
        // is being written: once a temp file shows that the save has begun
        // (the backup's, then the project's), after up to 2 ms or up to 30 ms.
        if i % 3 == 0 {
            std::thread::sleep(Duration::from_micros(
                rng.below(full.as_micros() as u64 + 1),
            ));
        } else {
            let give_up = Instant::now() + full * 50;
            while child.try_wait().unwrap().is_none()
                && !saving(dir.path())
                && Instant::now() < give_up
            {
                std::thread::sleep(Duration::from_micros(100));
            }
            let window = if i % 3 == 1 { 2_000 } else { 30_000 };
            std::thread::sleep(Duration::from_micros(rng.below(window)));
        }
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL on Unix
        child.wait().unwrap();
        t.kills += 1;
        if finished {
            t.finished_first += 1;
        }
        let now = std::fs::read(&path).unwrap();
        let valid = load_project(&path).is_ok();
        if now == old && valid {
            t.old += 1;
        } else if now == new && valid {
            t.new += 1;
        } else {
            t.corrupt += 1;
            eprintln!("run {i}: the file is neither the old nor the new version");
            std::fs::write(&path, &old).unwrap();
        }
        for tmp in temp_files(dir.path()) {
            t.leftovers += 1;
            std::fs::remove_file(tmp).unwrap();
        }
        // The backup, when there is one, is a complete project too.
        let bak = spanmark::io::atomic::backup_path(&path);
        if bak.exists() && load_project(&bak).is_err() {
            t.corrupt += 1;
            eprintln!("run {i}: the backup does not load");
        }
    }
    println!(
        "{} kills, {} corrupt (old version: {}, new version: {}; the save had finished before {} of the kills; \
         {} temp file(s) left by killed saves; one add takes {:?}; seed {seed})",
        t.kills, t.corrupt, t.old, t.new, t.finished_first, t.leftovers, full
    );
    assert_eq!(t.corrupt, 0, "{t:?}");
}

/// The child half of the recovery test: edits a project and autosaves after
/// each edit, printing "autosaved N", until it is killed. A no-op unless
/// started by [`recovery_copy_survives_sigkill`].
#[test]
fn recovery_child() {
    let (Ok(dir), Ok(original)) = (
        std::env::var("SPANMARK_RECOVERY_DIR"),
        std::env::var("SPANMARK_RECOVERY_ORIGINAL"),
    ) else {
        return;
    };
    let original = PathBuf::from(original);
    let mut project = load_project(&original).unwrap();
    let layer = LayerId::Annotator("perf".into());
    for n in 1u64.. {
        // Edit n: a span at code points [n, n + 1) labelled EVENT.
        let doc = &mut project.documents[0];
        let len = doc.char_len();
        let start = (n as usize * 7) % (len - 1);
        let span = Span::new(
            spanmark::model::SpanId(1_000_000 + n),
            start,
            start + 1,
            "EVENT",
            len,
            jiff::Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        doc.layer_mut(&layer).insert(span).unwrap();
        write_recovery(Path::new(&dir), Some(&original), &to_json_bytes(&project)).unwrap();
        println!("autosaved {n}");
    }
}

#[test]
fn recovery_copy_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("p.spanmark.json");
    save_project(&synthetic_project(200_000, 3, true), &original).unwrap();
    let recovery = dir.path().join("recovery");
    let mut rng = Lcg::new(env_u64("KILL_SEED").unwrap_or(11));
    for round in 0..3 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "recovery_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("SPANMARK_RECOVERY_DIR", &recovery)
            .env("SPANMARK_RECOVERY_ORIGINAL", &original)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stop_after = 3 + rng.below(20);
        let mut acknowledged = 0;
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for line in lines {
            let line = line.unwrap();
            if let Some(n) = line.strip_prefix("autosaved ") {
                acknowledged = n.trim().parse::<u64>().unwrap();
                if acknowledged >= stop_after {
                    break;
                }
            }
        }
        // Let it run on into its next autosave, then kill it mid-way through anything.
        std::thread::sleep(Duration::from_micros(rng.below(3000)));
        child.kill().unwrap();
        child.wait().unwrap();

        let entry = pending_recovery(&recovery, Some(&original)).expect("a recovery copy");
        let copy = parse_project(&std::fs::read(&entry.file).unwrap())
            .unwrap_or_else(|e| panic!("round {round}: the recovery copy does not load: {e}"));
        let spans = copy.documents[0]
            .layer(&LayerId::Annotator("perf".into()))
            .unwrap();
        let edits: Vec<u64> = spans
            .iter()
            .map(|s| s.id().0)
            .filter(|&id| id > 1_000_000)
            .map(|id| id - 1_000_000)
            .collect();
        // Every edit up to the last acknowledged autosave, in order, and nothing else.
        assert!(
            edits.len() as u64 >= acknowledged,
            "round {round}: {} edits, {acknowledged} autosaved",
            edits.len()
        );
        let mut sorted = edits.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            (1..=edits.len() as u64).collect::<Vec<_>>(),
            "round {round}"
        );
    }
}
