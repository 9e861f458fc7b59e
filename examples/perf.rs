//! Performance harness: `cargo run --release --example perf -- [--quick] [--json]`.
//!
//! Builds deterministic synthetic projects and measures the real code paths:
//! the real app and text view in a headless egui context (frame = `run_ui` +
//! tessellation, no GPU), the real loader and atomic save, and the real edit
//! commands, exporters and agreement metrics. `--quick` uses smaller sizes
//! (see docs/performance.md) only to prove the harness works.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use eframe::egui;
use serde_json::{Value, json};
use spanmark::io::{load_project, save_project, to_json_bytes};
use spanmark::model::search::{SearchQuery, find_all};
use spanmark::model::{Command, Document, LabelSchema, LayerId, Project, Session, Span};
use spanmark::synthetic::{Lcg, synthetic_project, synthetic_text};
use spanmark::ui::SpanmarkApp;

/// Counts live heap bytes, to measure what a loaded project holds.
struct Tracking;
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Tracking = Tracking;

const MB: usize = 1 << 20;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Seconds `run` takes, the median of three runs: on a shared VM one run
/// can take twice as long as the next.
fn median_secs(mut run: impl FnMut()) -> f64 {
    let times: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64()
        })
        .collect();
    percentile(&times, 0.5)
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return f64::NAN;
    }
    s[((s.len() - 1) as f64 * p).round() as usize]
}

/// Drives the real app headless.
struct Frames {
    ctx: egui::Context,
    app: SpanmarkApp,
    size: egui::Vec2,
}

impl Frames {
    fn new(project: Project, w: f32, h: f32) -> Self {
        Frames {
            ctx: egui::Context::default(),
            app: SpanmarkApp::new(project, None),
            size: egui::vec2(w, h),
        }
    }

    /// One full frame: UI pass plus tessellation. Returns milliseconds.
    fn frame(&mut self) -> f64 {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, self.size)),
            ..Default::default()
        };
        let t = Instant::now();
        let mut out = self.ctx.run_ui(input, |ui| self.app.ui(ui));
        let shapes = std::mem::take(&mut out.shapes);
        let prims = self.ctx.tessellate(shapes, out.pixels_per_point);
        let elapsed = ms(t);
        std::hint::black_box(prims);
        out.textures_delta.clear();
        elapsed
    }

    /// Frames until the screen is complete: the shaping budget may leave
    /// rows for the next frames, and those frames count too. Returns each
    /// frame's milliseconds and the rows they shaped.
    fn until_complete(&mut self) -> (Vec<f64>, usize) {
        let mut times = vec![self.frame()];
        let mut shaped = self.app.view.last_rows_shaped;
        while self.app.view.is_settling() {
            times.push(self.frame());
            shaped += self.app.view.last_rows_shaped;
        }
        (times, shaped)
    }

    /// Milliseconds until the screen is complete.
    fn complete_ms(&mut self) -> f64 {
        self.until_complete().0.iter().sum()
    }

    /// After a change of width: the longest frame (what a user dragging
    /// the window edge feels), and all frames until the screen and the row
    /// heights are done.
    fn resize_to(&mut self, w: f32, h: f32) -> Value {
        self.size = egui::vec2(w, h);
        let (times, _) = self.until_complete();
        json!({
            "longest_frame": times.iter().copied().fold(0.0, f64::max),
            "until_settled": times.iter().sum::<f64>(),
            "frames": times.len(),
        })
    }

    /// Scrolls from top to bottom in `steps` jumps, timing each frame.
    /// Returns the frame times and the rows shaped.
    fn scroll(&mut self, steps: usize) -> (Vec<f64>, usize) {
        let len = self.app.session.document().map_or(0, Document::char_len);
        let mut times = Vec::with_capacity(steps);
        let mut shaped = 0;
        for i in 0..steps {
            self.app.view.scroll_to(len * i / steps.max(1));
            let (frames, rows) = self.until_complete();
            times.extend(frames);
            shaped += rows;
        }
        (times, shaped)
    }
}

fn frame_figures(bytes: usize, quick: bool) -> (Value, f64, Value) {
    let project = synthetic_project(bytes, 1, true);
    let mut f = Frames::new(project, 1280.0, 800.0);
    let first = f.complete_ms();
    f.frame(); // settle fonts and layout caches
    let (times, _) = f.scroll(if quick { 60 } else { 200 });
    // The frames after the wrap width changes.
    let resize = f.resize_to(1100.0, 800.0);
    (
        json!({"p50": percentile(&times, 0.5), "p99": percentile(&times, 0.99)}),
        first,
        resize,
    )
}

/// Frame figures on a document a third of which is Urdu and Pashto
/// (right-to-left paragraphs and English lines quoting Urdu): scrolling p50/p99,
/// the first frame, the frame after a resize, and how many rows a frame shaped.
fn rtl_frame_figures(bytes: usize, quick: bool) -> Value {
    let project = spanmark::synthetic::synthetic_mixed_project(bytes, 1);
    let mut f = Frames::new(project, 1280.0, 800.0);
    let first = f.complete_ms();
    f.frame();
    let steps = if quick { 60 } else { 200 };
    let (times, shaped) = f.scroll(steps);
    // Small steps, as a wheel or a held arrow key scrolls (rows come from the cache).
    let mut wheel = Vec::new();
    for _ in 0..steps {
        f.app
            .view
            .scroll(spanmark::ui::text_view::Scroll::Rows(3.0));
        wheel.push(f.frame());
    }
    let resize = f.resize_to(1100.0, 800.0);
    json!({
        "jump_p50": percentile(&times, 0.5),
        "jump_p99": percentile(&times, 0.99),
        "wheel_p50": percentile(&wheel, 0.5),
        "wheel_p99": percentile(&wheel, 0.99),
        "first_frame_ms": first,
        "resize_ms": resize,
        "rows_shaped_per_jump": shaped as f64 / steps as f64,
        "frames_per_jump": times.len() as f64 / steps as f64,
    })
}

/// Microseconds to shape and lay out one paragraph of the mixed text at a
/// 1,000-pixel width (what a row costs the first time it is shown).
fn rtl_shaping_us_per_row() -> f64 {
    let text = spanmark::synthetic::synthetic_mixed_text(200 << 10, 3);
    let paragraphs: Vec<&str> = text.split("\n\n").filter(|p| !p.is_empty()).collect();
    let mut shaper = spanmark::text_layout::Shaper::new();
    let style = spanmark::text_layout::TextStyle::default();
    let t = Instant::now();
    for p in &paragraphs {
        let dir = spanmark::model::bidi::paragraph_direction(p);
        std::hint::black_box(shaper.layout(p, Some(1000.0), &style, dir));
    }
    t.elapsed().as_secs_f64() * 1e6 / paragraphs.len() as f64
}

fn long_line(quick: bool) -> f64 {
    let project = synthetic_project(MB, 2, false);
    let mut f = Frames::new(project, 1280.0, 800.0);
    f.frame();
    f.frame();
    percentile(&f.scroll(if quick { 60 } else { 200 }).0, 0.99)
}

fn load_save(bytes: usize) -> (f64, f64) {
    let project = synthetic_project(bytes, 3, true);
    let dir = std::env::temp_dir().join(format!("spanmark-perf-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("perf.spanmark.json");
    let save_s = median_secs(|| {
        let _ = save_project(&project, &path);
    });
    let size = std::fs::metadata(&path)
        .map(|m| m.len() as f64)
        .unwrap_or(0.0)
        / MB as f64;
    drop(project);
    let load_s = median_secs(|| assert!(load_project(&path).is_ok(), "the saved project loads"));
    let _ = std::fs::remove_dir_all(&dir);
    (size / load_s, size / save_s)
}

/// p99 of adding one span (command + index update + history) and of undoing it.
fn add_and_undo(spans: usize) -> (f64, f64) {
    // ~60 code points per span.
    let project = synthetic_project(spans * 60, 4, true);
    let doc_len = project.documents[0].char_len();
    let mut session = Session::new(project, "perf");
    let mut rng = Lcg::new(9);
    let mut add = Vec::new();
    let mut undo = Vec::new();
    for _ in 0..1000 {
        let start = rng.below(doc_len as u64 - 10) as usize;
        let id = session.project.allocate_span_id();
        let span = Span::new(
            id,
            start,
            start + 5,
            "EVENT",
            doc_len,
            jiff::Timestamp::UNIX_EPOCH,
        );
        let Ok(span) = span else { continue };
        let cmd = Command::AddSpan {
            doc: "synthetic".into(),
            layer: LayerId::Annotator("perf".into()),
            span,
        };
        let t = Instant::now();
        let _ = session.apply(cmd);
        add.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        let _ = session.undo();
        undo.push(t.elapsed().as_secs_f64() * 1e6);
    }
    (percentile(&add, 0.99), percentile(&undo, 0.99))
}

/// Filling a role of an event on a layer with `spans` spans and a tenth as
/// many frames: p99 of one link (through the session, as the app does) and
/// of its undo, in µs; and jump-scrolling frame times on that document.
fn link_figures(spans: usize, quick: bool) -> Value {
    let mut project = synthetic_project(spans * 60, 4, true);
    let layer = LayerId::Annotator("perf".into());
    let frames = spanmark::synthetic::add_frames(&mut project, &layer, spans / 10);
    let actors: Vec<spanmark::model::SpanId> = project.documents[0]
        .layer(&layer)
        .map(|l| {
            l.iter()
                .filter(|s| s.label == "ACTOR")
                .map(|s| s.id())
                .collect()
        })
        .unwrap_or_default();
    let ids: Vec<spanmark::model::FrameId> = project.documents[0]
        .layer(&layer)
        .map(|l| l.frames().map(|f| f.id).collect())
        .unwrap_or_default();
    let mut session = Session::new(project.clone(), "perf");
    let mut rng = Lcg::new(11);
    let (mut link, mut undo) = (Vec::new(), Vec::new());
    for _ in 0..1000 {
        let frame = ids[rng.below(ids.len() as u64) as usize];
        let actor = actors[rng.below(actors.len() as u64) as usize];
        let t = Instant::now();
        let done = session.fill_role(Some(frame), "target", actor);
        link.push(t.elapsed().as_secs_f64() * 1e6);
        if done.is_ok() {
            let t = Instant::now();
            let _ = session.undo();
            undo.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    // An event in the middle of the document, whose arcs, off-screen
    // markers and panel are drawn on every frame while it is selected.
    let trigger = project.documents[0]
        .layer(&layer)
        .and_then(|l| l.frame(ids[ids.len() / 2]))
        .map(|f| f.trigger);
    let trigger_start = project.documents[0]
        .layer(&layer)
        .zip(trigger)
        .and_then(|(l, t)| l.get(t))
        .map(|s| s.start());
    // The document opened with that event selected and in view: the first
    // frame draws its arcs and panel too.
    let first_selected = {
        let mut g = Frames::new(project.clone(), 1280.0, 800.0);
        if let (Some(t), Some(at)) = (trigger, trigger_start) {
            g.app.session.select_span(t);
            g.app.view.scroll_to(at);
        }
        g.complete_ms()
    };
    let mut f = Frames::new(project, 1280.0, 800.0);
    let first = f.complete_ms();
    f.frame();
    let steps = if quick { 60 } else { 200 };
    let (times, _) = f.scroll(steps);
    if let Some(t) = trigger {
        f.app.session.select_span(t);
    }
    let (selected, _) = f.scroll(steps);
    // A change of width with the event selected and in view.
    if let Some(at) = trigger_start {
        f.app.view.scroll_to(at);
        f.complete_ms();
    }
    let resize_selected = f.resize_to(1100.0, 800.0);
    json!({
        "spans": spans,
        "frames": frames,
        "link_p99_us": percentile(&link, 0.99),
        "undo_p99_us": percentile(&undo, 0.99),
        "first_frame_ms": first,
        "jump_p50": percentile(&times, 0.5),
        "jump_p99": percentile(&times, 0.99),
        "jump_event_selected_p50": percentile(&selected, 0.5),
        "jump_event_selected_p99": percentile(&selected, 0.99),
        "first_frame_event_selected_ms": first_selected,
        "resize_event_selected_ms": resize_selected,
    })
}

/// "Label all" of a word with 10,000 occurrences: search plus one batch edit.
fn label_all() -> f64 {
    let text = "Attack near Bannu today, police said. ".repeat(10_000);
    let mut p = Project::new(LabelSchema::default());
    let _ = p.add_document(Document::new("d", "d", text));
    let mut session = Session::new(p, "perf");
    let t = Instant::now();
    let hits = find_all(
        &session.project.documents[0],
        &SearchQuery::exact_word("Bannu"),
    )
    .unwrap_or_default();
    assert_eq!(hits.len(), 10_000);
    let added = session
        .label_matches(&[("d".into(), hits)], "LOCATION")
        .unwrap_or(0);
    assert_eq!(added, 10_000);
    ms(t)
}

/// Heap held per text byte (no spans) and per span.
fn model_bytes(bytes: usize) -> (f64, f64) {
    let text_only = {
        let mut p = Project::new(LabelSchema::default());
        let _ = p.add_document(Document::new("d", "d", synthetic_text(bytes, 5, true)));
        to_json_bytes(&p)
    };
    let with_spans = to_json_bytes(&synthetic_project(bytes, 5, true));
    let measure = |json: &[u8]| {
        let before = LIVE.load(Ordering::Relaxed);
        let p = spanmark::io::parse_project(json);
        let held = LIVE.load(Ordering::Relaxed) - before;
        let spans = p.as_ref().map(|p| p.span_count()).unwrap_or(0);
        let text = p.as_ref().map(|p| p.documents[0].text().len()).unwrap_or(1);
        drop(p);
        (held as f64, spans as f64, text as f64)
    };
    let (held_text, _, text_len) = measure(&text_only);
    let (held_all, spans, _) = measure(&with_spans);
    (
        held_text / text_len,
        (held_all - held_text) / spans.max(1.0),
    )
}

/// Export throughput (MB of document text per second) for each format the
/// performance issue names, on a synthetic project of `bytes` text bytes.
fn export_speed(bytes: usize) -> Value {
    use spanmark::io::formats::{ExportFormat, ExportOptions, export};
    let project = synthetic_project(bytes, 6, true);
    let text_mb = project
        .documents
        .iter()
        .map(|d| d.text().len())
        .sum::<usize>() as f64
        / MB as f64;
    let dir = std::env::temp_dir().join(format!("spanmark-perf-export-{}", std::process::id()));
    let mut out = serde_json::Map::new();
    for (name, format) in [
        ("jsonl", ExportFormat::Jsonl),
        ("conll", ExportFormat::Conll),
        ("hf", ExportFormat::Hf),
        ("brat", ExportFormat::Brat),
    ] {
        let secs = median_secs(|| {
            let _ = std::fs::remove_dir_all(&dir);
            let done = export(&project, format, &dir.join(name), &ExportOptions::default());
            assert!(done.is_ok(), "{name} export works: {:?}", done.err());
        });
        out.insert(name.into(), json!(text_mb / secs));
    }
    // The event table, on the same text with every EVENT span a frame (its
    // agent, location and count the nearest spans after it).
    let mut with_frames = project;
    let frames = spanmark::synthetic::add_frames(
        &mut with_frames,
        &LayerId::Annotator("perf".into()),
        usize::MAX,
    );
    let secs = median_secs(|| {
        let _ = std::fs::remove_dir_all(&dir);
        let done = export(
            &with_frames,
            ExportFormat::Events,
            &dir.join("events"),
            &ExportOptions::default(),
        );
        assert!(done.is_ok(), "events export works: {:?}", done.err());
    });
    out.insert("events".into(), json!(text_mb / secs));
    out.insert("events_frames".into(), json!(frames));
    let _ = std::fs::remove_dir_all(&dir);
    Value::Object(out)
}

/// Exact + overlap F1 and token κ between two layers of `spans` spans each:
/// B is A with 10% of ends moved, 5% relabelled and 5% dropped.
fn agreement_ms(spans: usize) -> f64 {
    let mut project = synthetic_project(spans * 60, 7, true);
    let a = LayerId::Annotator("perf".into());
    let b = LayerId::Annotator("other".into());
    project.ensure_annotator("other");
    let copies: Vec<Span> = project.documents[0]
        .layer(&a)
        .map(|l| l.iter().cloned().collect())
        .unwrap_or_default();
    let len = project.documents[0].char_len();
    let mut rng = Lcg::new(11);
    let mut layer_b = spanmark::model::Layer::default();
    for s in copies {
        let roll = rng.below(100);
        if roll < 5 {
            continue;
        }
        let id = project.allocate_span_id();
        let mut c = s.clone().with_id(id);
        if roll < 15 {
            let end = (c.end() + 1).min(len);
            if let Ok(moved) = c.clone().with_range(c.start(), end, len) {
                c = moved;
            }
        } else if roll < 20 {
            c.label = if c.label == "EVENT" { "ACTOR" } else { "EVENT" }.into();
        }
        let _ = layer_b.insert(c);
    }
    let _ = b;
    project.documents[0].layers.insert("other".into(), layer_b);
    let layers = [a, LayerId::Annotator("other".into())];
    1000.0
        * median_secs(|| {
            let report = spanmark::review::metrics::agreement(&project, &layers, false);
            assert!(report.exact.micro.f1.is_some());
        })
}

/// Agreement on dense layers ([`spanmark::synthetic::dense_agreement_project`]:
/// many nested and crossing spans per passage, spans over whole reports and
/// the whole text), where the overlap matching once was quadratic.
fn agreement_dense_ms(spans: usize) -> f64 {
    let project = spanmark::synthetic::dense_agreement_project(spans, 5);
    let layers = ["ayesha", "bilal"].map(|n| LayerId::Annotator(n.into()));
    1000.0
        * median_secs(|| {
            let report = spanmark::review::metrics::agreement(&project, &layers, false);
            assert!(report.overlap.micro.f1.is_some());
        })
}

/// Import throughput (lines per second) of 100k-line doccano and spaCy
/// JSONL files (`lines` lines), through the code path of `spanmark import`:
/// read, merge into a new project, save. Every line is a new document.
fn import_lines_per_s(lines: usize) -> Value {
    use spanmark::io::formats::{ImportFormat, import};
    let dir = std::env::temp_dir().join(format!("spanmark-perf-import-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mut out = serde_json::Map::new();
    for (name, format) in [
        ("doccano", ImportFormat::Doccano),
        ("jsonl", ImportFormat::Jsonl),
    ] {
        let mut file = String::new();
        for i in 0..lines {
            let text = format!(
                "Bannu police said 15 militants attacked the “WSSP” office 🙂 in Mandan, report {i}."
            );
            let line = if name == "doccano" {
                json!({"text": text, "label": [[0, 5, "LOCATION"], [18, 30, "COUNT"]]})
            } else {
                json!({"text": text, "spans": [{"start": 0, "end": 5, "label": "LOCATION"},
                                               {"start": 18, "end": 30, "label": "COUNT"}]})
            };
            file.push_str(&line.to_string());
            file.push('\n');
        }
        let input = dir.join(format!("perf.{name}.jsonl"));
        let into = dir.join("perf.spanmark.json");
        assert!(std::fs::write(&input, file).is_ok(), "writes the input");
        // `spanmark import` exits right after the save without freeing the
        // project (`cli::writing::release`), so freeing it is not timed here.
        let times: Vec<f64> = (0..3)
            .map(|_| {
                let t = Instant::now();
                let mut project = Project::new(LabelSchema::default());
                let inputs = [input.clone()];
                let report = import::import_files(
                    &mut project,
                    format,
                    &inputs,
                    &[],
                    None,
                    &BTreeMap::new(),
                );
                assert!(
                    report.is_ok_and(|r| r.documents_added.len() == lines),
                    "{name} import works"
                );
                assert!(save_project(&project, &into).is_ok(), "saves");
                let secs = t.elapsed().as_secs_f64();
                drop(project);
                secs
            })
            .collect();
        let secs = percentile(&times, 0.5);
        out.insert(name.into(), json!(lines as f64 / secs));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Value::Object(out)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let as_json = args.iter().any(|a| a == "--json");
    // `--only SECTION` (frames, frames-rtl, long-line, load-save, edit, label-all, model,
    // agreement, agreement-dense, export, import) runs one section, e.g. under a profiler.
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1).cloned());
    let want = |section: &str| only.as_deref().is_none_or(|o| o == section);
    let sizes: &[(&str, usize)] = if quick {
        &[("10KB", 10 << 10), ("1MB", MB)]
    } else {
        &[
            ("10KB", 10 << 10),
            ("1MB", MB),
            ("10MB", 10 * MB),
            ("100MB", 100 * MB),
        ]
    };
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    let mut frame = serde_json::Map::new();
    let mut first = serde_json::Map::new();
    for (name, bytes) in sizes.iter().filter(|_| want("frames")) {
        eprintln!("frames at {name}…");
        let (fig, first_ms, resize) = frame_figures(*bytes, quick);
        frame.insert((*name).into(), fig);
        if *name == "1MB" || *name == "100MB" {
            first.insert((*name).into(), json!(first_ms));
        }
        if *name == "100MB" || (quick && *name == "1MB") {
            out.insert(format!("resize_ms.{name}"), resize);
        }
    }
    if want("frames") {
        out.insert("frame_ms".into(), Value::Object(frame));
        out.insert("first_frame_ms".into(), Value::Object(first));
    }
    if want("frames-rtl") {
        let mut rtl = serde_json::Map::new();
        let sizes: &[(&str, usize)] = if quick {
            &[("1MB", MB)]
        } else {
            &[("1MB", MB), ("10MB", 10 * MB)]
        };
        for (name, bytes) in sizes {
            eprintln!("frames on Urdu-heavy text at {name}…");
            rtl.insert((*name).into(), rtl_frame_figures(*bytes, quick));
        }
        out.insert("rtl_frame_ms".into(), Value::Object(rtl));
        out.insert(
            "rtl_shaping_us_per_row".into(),
            json!(rtl_shaping_us_per_row()),
        );
    }
    if want("long-line") {
        eprintln!("long line…");
        out.insert("long_line_frame_ms".into(), json!(long_line(quick)));
    }
    if want("load-save") {
        eprintln!("load and save…");
        let (load, save) = load_save(if quick { 10 * MB } else { 100 * MB });
        out.insert("load_mb_s".into(), json!(load));
        out.insert("save_mb_s".into(), json!(save));
    }
    if want("edit") {
        eprintln!("add and undo…");
        let (add, undo) = add_and_undo(if quick { 100_000 } else { 1_000_000 });
        out.insert("add_span_us".into(), json!(add));
        out.insert("undo_us".into(), json!(undo));
    }
    if want("link") {
        eprintln!("linking events…");
        let figures = link_figures(if quick { 100_000 } else { 1_000_000 }, quick);
        out.insert("frames_link_us".into(), figures["link_p99_us"].clone());
        out.insert("frames_layer".into(), figures);
    }
    if want("label-all") {
        eprintln!("label all…");
        out.insert("label_all_ms".into(), json!(label_all()));
    }
    if want("model") {
        eprintln!("model size…");
        let (per_byte, per_span) = model_bytes(if quick { 2 * MB } else { 20 * MB });
        out.insert("model_bytes_per_text_byte".into(), json!(per_byte));
        out.insert("model_bytes_per_span".into(), json!(per_span));
    }
    if want("agreement") {
        eprintln!("agreement…");
        // Quick mode measures 2 × 20k spans under the same key, only to prove the path works.
        out.insert(
            "agreement_ms_2x1M".into(),
            json!(agreement_ms(if quick { 20_000 } else { 1_000_000 })),
        );
    }
    if want("agreement-dense") {
        eprintln!("agreement on dense layers…");
        // Quick mode: 2 × 10k spans under the same key.
        out.insert(
            "agreement_ms_dense_2x100k".into(),
            json!(agreement_dense_ms(if quick { 10_000 } else { 100_000 })),
        );
    }
    if want("export") {
        eprintln!("exports…");
        out.insert(
            "export_mb_s".into(),
            export_speed(if quick { MB } else { 100 * MB }),
        );
    }
    if want("import") {
        eprintln!("imports…");
        out.insert(
            "import_lines_per_s".into(),
            import_lines_per_s(if quick { 10_000 } else { 100_000 }),
        );
    }

    if as_json {
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!("{:<34} value", "figure");
        for (k, v) in &out {
            println!("{k:<34} {v}");
        }
    }
}
