//! Saving and exporting where the disk says no: a full device, a read-only
//! file, a folder without write permission. Each gives a message with the
//! path and the reason, and the old file stays byte-identical.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use spanmark::io::formats::{self, ExportFormat, ExportOptions};
use spanmark::io::{load_project, save_project};
use spanmark::sample::{SAMPLE_PROJECT_JSON, sample_project};

fn spanmark() -> Command {
    Command::cargo_bin("spanmark").unwrap()
}

fn hash(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

fn set_readonly(path: &Path, readonly: bool) {
    let mut perm = std::fs::metadata(path).unwrap().permissions();
    perm.set_readonly(readonly);
    std::fs::set_permissions(path, perm).unwrap();
}

/// Runs the CLI, expecting exit 1 and every `want` in stderr.
fn fails_with(cmd: &mut Command, want: &[&str]) {
    let o = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for w in want {
        assert!(err.contains(w), "expected {w:?} in {err:?}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

/// A project file with the sample in it, and its hash.
fn sample_file(dir: &Path) -> (PathBuf, Vec<u8>) {
    let p = dir.join("p.spanmark.json");
    std::fs::write(&p, SAMPLE_PROJECT_JSON).unwrap();
    let h = hash(&p);
    (p, h)
}

#[cfg(target_os = "linux")]
#[test]
fn saving_to_a_full_disk_names_the_path_and_no_space() {
    let full = Path::new("/dev/full");
    let project = sample_project().unwrap();
    let e = save_project(&project, full).unwrap_err().to_string();
    assert!(
        e.contains("/dev/full") && e.contains("No space left on device"),
        "{e}"
    );
    fails_with(
        spanmark().args(["sample", "--force", "/dev/full"]),
        &["/dev/full", "No space left on device"],
    );
    // The device is still the device (nothing replaced it).
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata(full)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

/// A small tmpfs at `dir/disk`, unmounted when dropped, so an export runs
/// into a full disk for real. Needs mount rights (root); `None` otherwise.
#[cfg(target_os = "linux")]
struct SmallDisk(PathBuf);

#[cfg(target_os = "linux")]
impl SmallDisk {
    fn mount(dir: &Path, kib: u32) -> Option<SmallDisk> {
        let path = dir.join("disk");
        std::fs::create_dir_all(&path).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(&path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk(path))
    }
}

#[cfg(target_os = "linux")]
impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

/// Every file under `dir` with its content.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(tree(&p));
        } else {
            let bytes = std::fs::read(&p).unwrap();
            out.push((p, bytes));
        }
    }
    out.sort();
    out
}

#[cfg(target_os = "linux")]
#[test]
fn exporting_to_a_full_disk_names_the_path_and_no_space() {
    let dir = tempfile::tempdir().unwrap();
    let (project_file, before) = sample_file(dir.path());
    // `--out` naming the device itself is refused as not a folder.
    fails_with(
        spanmark().arg("export").arg(&project_file).args([
            "--format",
            "jsonl",
            "--out",
            "/dev/full",
        ]),
        &["/dev/full", "not a folder"],
    );
    let Some(disk) = SmallDisk::mount(dir.path(), 512) else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    };
    // An earlier export fits; a 2 MB one does not.
    let small = load_project(&project_file).unwrap();
    let big = spanmark::synthetic::synthetic_project(2 << 20, 1, true);
    for format in [ExportFormat::Jsonl, ExportFormat::Brat, ExportFormat::Hf] {
        let out = disk.0.join(format.name());
        formats::export(&small, format, &out, &ExportOptions::default()).unwrap();
        let earlier = tree(&out);
        let e = formats::export(&big, format, &out, &ExportOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&out.display().to_string()) && e.contains("No space left on device"),
            "{e}"
        );
        assert!(
            !e.contains("spanmark-export-tmp"),
            "names the file where it was to go: {e}"
        );
        // The earlier export is as it was, and nothing half-written is left.
        assert_eq!(tree(&out), earlier, "{format}");
        // Into a new folder (and new parents): nothing at all is left.
        let new = disk.0.join("new").join("deeper").join("out");
        formats::export(&big, format, &new, &ExportOptions::default()).unwrap_err();
        assert!(!disk.0.join("new").exists(), "{format}");
    }
    let mut left: Vec<String> = std::fs::read_dir(&disk.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["brat", "hf", "jsonl"]);
    let big_file = dir.path().join("big.spanmark.json");
    save_project(&big, &big_file).unwrap();
    fails_with(
        spanmark()
            .arg("export")
            .arg(&big_file)
            .args(["--format", "jsonl", "--out"])
            .arg(disk.0.join("jsonl")),
        &["data.jsonl", "No space left on device"],
    );
    assert_eq!(hash(&project_file), before);
}

#[test]
fn saving_over_a_read_only_file_is_refused_and_the_file_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (p, before) = sample_file(dir.path());
    set_readonly(&p, true);
    let mut project = load_project(&p).unwrap();
    project.documents.truncate(0);
    let e = save_project(&project, &p).unwrap_err().to_string();
    assert!(
        e.contains(&p.display().to_string()) && e.contains("read-only"),
        "{e}"
    );
    assert_eq!(hash(&p), before);
    assert!(!spanmark::io::atomic::backup_path(&p).exists());

    let txt = dir.path().join("more.txt");
    std::fs::write(&txt, "more text").unwrap();
    fails_with(
        spanmark().arg("add").arg(&p).arg(&txt),
        &["p.spanmark.json", "read-only"],
    );
    assert_eq!(hash(&p), before);
    // Nothing but the file itself and the text: no temp files, no backup.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn exporting_over_a_read_only_file_is_refused_and_the_file_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (p, _) = sample_file(dir.path());
    let out = dir.path().join("export");
    let project = load_project(&p).unwrap();
    formats::export(
        &project,
        ExportFormat::Jsonl,
        &out,
        &ExportOptions::default(),
    )
    .unwrap();
    let target = out.join("data.jsonl");
    set_readonly(&target, true);
    let earlier = tree(&out);
    let mut changed = project.clone();
    changed.documents[0].name = "changed".into();
    let e = formats::export(
        &changed,
        ExportFormat::Jsonl,
        &out,
        &ExportOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("data.jsonl") && e.contains("read-only"), "{e}");
    fails_with(
        spanmark()
            .arg("export")
            .arg(&p)
            .args(["--format", "jsonl", "--out"])
            .arg(&out),
        &["data.jsonl", "read-only"],
    );
    assert_eq!(tree(&out), earlier);
}

/// Makes `dir` read-only; `false` when writing into it still works (root
/// ignores permissions), so the caller skips.
#[cfg(unix)]
fn lock_folder(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.join(".probe");
    if std::fs::write(&probe, b"x").is_ok() {
        let _ = std::fs::remove_file(&probe);
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        return false;
    }
    true
}

#[cfg(unix)]
fn unlock_folder(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn saving_and_exporting_into_a_folder_without_permission_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let (p, before) = sample_file(&locked);
    if !lock_folder(&locked) {
        eprintln!("skipped: running with permission to write anywhere (root)");
        return;
    }
    let project = load_project(&p).unwrap();
    let e = save_project(&project, &p).unwrap_err().to_string();
    let shown = p.display().to_string();
    assert!(e.contains(&shown) && e.contains("Permission denied"), "{e}");
    let txt = dir.path().join("more.txt");
    std::fs::write(&txt, "more text").unwrap();
    fails_with(
        spanmark().arg("add").arg(&p).arg(&txt),
        &[&shown, "Permission denied"],
    );
    let out = locked.join("export");
    fails_with(
        spanmark()
            .arg("export")
            .arg(&p)
            .args(["--format", "jsonl", "--out"])
            .arg(&out),
        &["export", "Permission denied"],
    );
    assert_eq!(hash(&p), before);
    unlock_folder(&locked);
    assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 1);
}
