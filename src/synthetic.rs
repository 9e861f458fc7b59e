//! Deterministic synthetic projects for the performance harness and
//! benchmarks: the sample article repeated and perturbed to any size, with
//! one span per ~60 code points (mixed labels, one in ten nested).

mod dense;

use jiff::Timestamp;

use crate::model::{Document, LabelSchema, LayerId, Project, Span};
use crate::sample::SAMPLE_PROJECT_JSON;

pub use dense::dense_agreement_project;

pub use crate::lcg::Lcg;

/// The sample article's text.
fn article() -> String {
    let v: serde_json::Value = serde_json::from_str(SAMPLE_PROJECT_JSON).unwrap_or_default();
    v["documents"][0]["text"]
        .as_str()
        .unwrap_or("Bannu police said.")
        .to_string()
}

/// Words swapped in to perturb each copy, so copies are not identical.
const VARIANTS: &[&str] = &[
    "Bannu",
    "Karak",
    "Khyber",
    "Bajaur",
    "Peshawar",
    "بنوں",
    "Lakki Marwat",
    "“Tank”",
    "Dera 🙂",
];

/// About `target_bytes` of article-like text. With `line_breaks` false the
/// whole text is one line (the long-line case).
pub fn synthetic_text(target_bytes: usize, seed: u64, line_breaks: bool) -> String {
    let base = article();
    let words: Vec<&str> = base.split(' ').collect();
    let mut rng = Lcg::new(seed);
    let mut out = String::with_capacity(target_bytes + base.len());
    let mut copy = 0u64;
    while out.len() < target_bytes {
        for w in &words {
            if rng.below(40) == 0 {
                out.push_str(VARIANTS[rng.below(VARIANTS.len() as u64) as usize]);
            } else {
                out.push_str(w);
            }
            out.push(' ');
            if out.len() >= target_bytes {
                break;
            }
        }
        copy += 1;
        out.push_str(&format!("(report {copy})\n\n"));
    }
    if !line_breaks {
        out = out.replace(['\n', '\r'], " ");
    }
    out
}

/// Urdu and Pashto paragraphs and mixed lines for the right-to-left
/// figures (from tests/texts/bannu-urdu-pashto.txt).
const URDU_PARAGRAPHS: &[&str] = &[
    "اردو بیان: بنوں کے علاقے ڈومیل میں انٹیلی جنس کی بنیاد پر کارروائی کے دوران سیکیورٹی فورسز نے ۱۵ شدت پسندوں کو ہلاک کر دیا۔ ترجمان کے مطابق دو اہلکار زخمی ہوئے۔",
    "پښتو بیان: د خیبر پښتونخوا په بنو ولسوالۍ کې امنیتي ځواکونو د یوې عملیاتو پر مهال پنځلس وسله وال ووژل، او په ټانک کې پولیسو دوه کسان ونیول.",
    "A CTD spokesman added: «پولیس نے 3 ملزمان کو گرفتار کیا» after the raid, and said the Frontier Corps (FC) secured the Bannu–Miranshah road.",
    "Residents in لکی مروت told reporters that shops reopened on Tuesday, while پشاور پولیس said the FC and CTD would stay in the area 🇵🇰.",
];

/// About `target_bytes` of report text, a third of it (by bytes) Urdu and
/// Pashto: English paragraphs, right-to-left paragraphs and English lines
/// quoting Urdu, in turn.
pub fn synthetic_mixed_text(target_bytes: usize, seed: u64) -> String {
    let english = synthetic_text(target_bytes, seed, true);
    let mut rng = Lcg::new(seed ^ 0x5eed);
    let mut out = String::with_capacity(target_bytes + 1024);
    let mut rtl_bytes = 0usize;
    for paragraph in english.split("\n\n") {
        if out.len() >= target_bytes {
            break;
        }
        out.push_str(paragraph);
        out.push_str("\n\n");
        // Keep right-to-left text at about a third of the whole.
        while rtl_bytes * 3 < out.len() {
            let p = URDU_PARAGRAPHS[rng.below(URDU_PARAGRAPHS.len() as u64) as usize];
            out.push_str(p);
            out.push_str("\n\n");
            rtl_bytes += p.len();
        }
    }
    out
}

/// Like [`synthetic_project`], with [`synthetic_mixed_text`].
pub fn synthetic_mixed_project(target_bytes: usize, seed: u64) -> Project {
    project_around(
        synthetic_mixed_text(target_bytes, seed),
        "Synthetic mixed report",
        seed,
    )
}

/// A project with one synthetic document of about `target_bytes`, and one
/// annotator layer with a span per ~60 code points.
pub fn synthetic_project(target_bytes: usize, seed: u64, line_breaks: bool) -> Project {
    project_around(
        synthetic_text(target_bytes, seed, line_breaks),
        "Synthetic report",
        seed,
    )
}

/// The project both synthetic builders share: one document named `name`
/// holding `text`, with seeded spans on the "perf" annotator's layer.
fn project_around(text: String, name: &str, seed: u64) -> Project {
    let mut project = Project::new(LabelSchema::default());
    project.ensure_annotator("perf");
    project.default_annotator = Some("perf".into());
    let mut doc = Document::new("synthetic", name, text);
    add_spans(
        &mut project,
        &mut doc,
        &LayerId::Annotator("perf".into()),
        seed,
    );
    let _ = project.add_document(doc);
    project
}

/// Adds up to `count` event frames to `layer` of the project's first
/// document: each EVENT span (in text order) becomes a trigger whose agent,
/// location and count are the nearest ACTOR, LOCATION and COUNT spans after
/// it. Returns how many were added. For measuring a layer dense with events.
pub fn add_frames(project: &mut Project, layer: &LayerId, count: usize) -> usize {
    use crate::model::Frame;
    let Some(doc) = project.documents.first() else {
        return 0;
    };
    let Some(l) = doc.layer(layer) else {
        return 0;
    };
    let spans: Vec<(crate::model::SpanId, String)> =
        l.iter().map(|s| (s.id(), s.label.clone())).collect();
    let mut frames = Vec::new();
    for (i, (id, label)) in spans.iter().enumerate() {
        if frames.len() >= count {
            break;
        }
        if label != "EVENT" {
            continue;
        }
        let mut frame = Frame::new(crate::model::FrameId(0), *id);
        for (role, want) in [
            ("agent", "ACTOR"),
            ("location", "LOCATION"),
            ("count", "COUNT"),
        ] {
            if let Some((filler, _)) = spans[i + 1..].iter().take(12).find(|(_, l)| l == want) {
                frame = frame.with_slot(role, *filler);
            }
        }
        frames.push(frame);
    }
    let n = frames.len();
    for mut frame in frames {
        frame.id = project.allocate_frame_id();
        if let Some(l) = project
            .documents
            .first_mut()
            .and_then(|d| d.layer_mut_existing(layer))
        {
            let _ = l.insert_frame(frame);
        }
    }
    n
}

/// Word starts and ends (code points) of a text, for placing spans on words.
pub fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.chars().count()));
    }
    out
}

/// Adds spans every ~60 code points: 1–3 words each, one in ten with a nested one-word span.
pub fn add_spans(project: &mut Project, doc: &mut Document, layer: &LayerId, seed: u64) {
    let labels: Vec<String> = project.schema.names().map(String::from).collect();
    let words = word_ranges(doc.text());
    let len = doc.char_len();
    let mut rng = Lcg::new(seed ^ 0x5eed);
    // Realistic times: an analyst's clock moving on 1–20 s per span, and one
    // span in seven changed again later (so a loader cannot count on every
    // span sharing one time).
    let mut clock: i64 = 1_767_254_400; // 2026-01-01T08:00:00Z
    let mut stamp = |rng: &mut Lcg, span: &mut Span| {
        clock += 1 + rng.below(20) as i64;
        let created = Timestamp::from_second(clock).unwrap_or(Timestamp::UNIX_EPOCH);
        let modified = if rng.below(7) == 0 {
            Timestamp::from_second(clock + 1 + rng.below(3600) as i64).unwrap_or(created)
        } else {
            created
        };
        span.created = Some(created);
        span.modified = Some(modified);
    };
    let at = Timestamp::UNIX_EPOCH;
    let mut next_at = 0usize;
    let mut i = 0usize;
    while i < words.len() {
        if words[i].0 < next_at {
            i += 1;
            continue;
        }
        let n = 1 + rng.below(3) as usize;
        let last = (i + n - 1).min(words.len() - 1);
        let (start, end) = (words[i].0, words[last].1);
        let label = labels[rng.below(labels.len() as u64) as usize].clone();
        if let Ok(mut span) = Span::new(project.allocate_span_id(), start, end, label, len, at) {
            stamp(&mut rng, &mut span);
            let _ = doc.layer_mut(layer).insert(span);
        }
        if rng.below(10) == 0 {
            let (s, e) = words[last];
            let label = labels[rng.below(labels.len() as u64) as usize].clone();
            if let Ok(mut span) = Span::new(project.allocate_span_id(), s, e, label, len, at) {
                stamp(&mut rng, &mut span);
                let _ = doc.layer_mut(layer).insert(span);
            }
        }
        next_at = start + 60;
        i = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_projects_are_deterministic_and_dense() {
        let a = synthetic_project(20_000, 7, true);
        let b = synthetic_project(20_000, 7, true);
        assert_eq!(a, b);
        let d = &a.documents[0];
        assert!(d.text().len() >= 20_000);
        let spans = d.layers["perf"].len();
        let per = d.char_len() / spans;
        assert!(
            (40..=80).contains(&per),
            "one span per ~60 code points, got {per}"
        );
        let long = synthetic_text(5_000, 1, false);
        assert!(!long.contains('\n'));
    }
}
