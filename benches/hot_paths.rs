//! Benchmarks of the hot paths the performance figures rest on (`cargo bench`):
//! the per-row span lookup the text view does every frame, code point ↔ byte
//! mapping, display-row indexing, tokenization for exports and κ, and the
//! alignment behind review and agreement, and laying out a paragraph. Use them to catch regressions; the
//! end-to-end figures are `examples/perf.rs`.

#![allow(clippy::expect_used)] // a bench may stop on a broken fixture

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use spanmark::model::lines::LineIndex;
use spanmark::model::tokens::tokenize;
use spanmark::model::{LayerId, Span};
use spanmark::review::align::align;
use spanmark::synthetic::{Lcg, synthetic_project};

const MB: usize = 1 << 20;

fn span_lookup(c: &mut Criterion) {
    let project = synthetic_project(10 * MB, 1, true);
    let doc = &project.documents[0];
    let layer = doc
        .layer(&LayerId::Annotator("perf".into()))
        .expect("the synthetic project has a layer");
    let len = doc.char_len();
    let mut rng = Lcg::new(3);
    c.bench_function(
        "span lookup: one 80-code-point row of a 10 MB document",
        |b| {
            b.iter(|| {
                let start = rng.below(len as u64 - 100) as usize;
                black_box(layer.overlapping(start, start + 80).len())
            })
        },
    );
}

fn offsets(c: &mut Criterion) {
    let project = synthetic_project(10 * MB, 2, true);
    let doc = &project.documents[0];
    let len = doc.char_len();
    let bytes = doc.text().len();
    let mut rng = Lcg::new(5);
    c.bench_function("code point → byte in a 10 MB text", |b| {
        b.iter(|| black_box(doc.byte_of_char(rng.below(len as u64) as usize)))
    });
    let mut rng = Lcg::new(6);
    c.bench_function("byte → code point in a 10 MB text", |b| {
        b.iter(|| {
            // Step back to a char boundary, as callers do.
            let mut at = rng.below(bytes as u64) as usize;
            while !doc.text().is_char_boundary(at) {
                at -= 1;
            }
            black_box(doc.char_of_byte(at))
        })
    });
    c.bench_function("display rows of a 10 MB text (LineIndex::new)", |b| {
        b.iter(|| black_box(LineIndex::new(doc).len()))
    });
}

fn tokens(c: &mut Criterion) {
    let project = synthetic_project(MB, 4, true);
    let doc = &project.documents[0];
    let edges: Vec<usize> = doc
        .layer(&LayerId::Annotator("perf".into()))
        .map(|l| l.iter().flat_map(|s| [s.start(), s.end()]).collect())
        .unwrap_or_default();
    let mut edges = edges;
    edges.sort_unstable();
    edges.dedup();
    c.bench_function("tokenize 1 MB, cut at every span edge", |b| {
        b.iter(|| black_box(tokenize(doc.text(), 0, &edges).0.len()))
    });
}

fn alignment(c: &mut Criterion) {
    let project = synthetic_project(6 * MB, 7, true);
    let doc = &project.documents[0];
    let a: Vec<&Span> = doc
        .layer(&LayerId::Annotator("perf".into()))
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    // B: the same spans with every tenth end moved and every twentieth relabelled.
    let len = doc.char_len();
    let b_owned: Vec<Span> = a
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut c = (*s).clone();
            if i % 10 == 0
                && let Ok(moved) = c.clone().with_range(c.start(), (c.end() + 1).min(len), len)
            {
                c = moved;
            } else if i % 20 == 5 {
                c.label = "EVENT".into();
            }
            c
        })
        .collect();
    let b: Vec<&Span> = b_owned.iter().collect();
    let name = format!("align two layers of {} spans", a.len());
    c.bench_function(&name, |bench| bench.iter(|| black_box(align(&a, &b).len())));
}

/// Shaping and laying out one paragraph, what a row costs the first time
/// it is shown: English, Urdu (right to left), and English quoting Urdu.
fn layout(c: &mut Criterion) {
    use spanmark::model::bidi::paragraph_direction;
    use spanmark::text_layout::{Shaper, TextStyle};
    let text = spanmark::synthetic::synthetic_mixed_text(64 << 10, 5);
    let paragraphs: Vec<&str> = text.split("\n\n").filter(|p| p.len() > 100).collect();
    let pick = |rtl: bool, mixed: bool| {
        paragraphs
            .iter()
            .copied()
            .find(|p| {
                let dir = paragraph_direction(p).is_rtl();
                let has_rtl = spanmark::model::bidi::needs_bidi(p);
                dir == rtl && (has_rtl == (mixed || rtl))
            })
            .expect("a paragraph of that kind")
    };
    let mut shaper = Shaper::new();
    let style = TextStyle::default();
    // The fixed cost of one layout, whatever its length.
    c.bench_function("lay out one word", |bench| {
        bench.iter(|| {
            black_box(
                shaper
                    .layout(
                        "police",
                        Some(1000.0),
                        &style,
                        spanmark::text_layout::Direction::Ltr,
                    )
                    .rows
                    .len(),
            )
        })
    });
    for (name, p) in [
        ("english", pick(false, false)),
        ("urdu", pick(true, false)),
        ("english quoting urdu", pick(false, true)),
    ] {
        let dir = paragraph_direction(p);
        let label = format!(
            "lay out a {} code-point {name} paragraph at 1000 px",
            p.chars().count()
        );
        c.bench_function(&label, |bench| {
            bench.iter(|| black_box(shaper.layout(p, Some(1000.0), &style, dir).rows.len()))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = span_lookup, offsets, tokens, alignment, layout
}
criterion_main!(benches);
