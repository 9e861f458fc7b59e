use spanmark::io::formats::{ExportFormat, ExportOptions, export};
use std::time::Instant;
fn main() {
    let fmt = match std::env::args().nth(1).as_deref() {
        Some("jsonl") => ExportFormat::Jsonl,
        Some("hf") => ExportFormat::Hf,
        _ => ExportFormat::Conll,
    };
    let project = spanmark::synthetic::synthetic_project(100 << 20, 6, true);
    let dir = std::path::PathBuf::from("/tmp/exp-scratch");
    let _ = std::fs::remove_dir_all(&dir);
    let t = Instant::now();
    let r = export(&project, fmt, &dir, &ExportOptions::default());
    eprintln!("export {:?} {:?}", t.elapsed(), r.is_ok());
}
