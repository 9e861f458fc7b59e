//! Dense, overlapping layers for the agreement benchmark and its regression
//! test: two annotators who nest and cross many spans per passage and mark
//! long stretches (whole reports, the whole bulletin) as one span each.

use jiff::Timestamp;

use super::{Lcg, synthetic_text, word_ranges};
use crate::model::{Document, LabelSchema, LayerId, Project, Span};

/// Words per passage; each passage gets [`PER_PASSAGE`] spans in layer A.
const PASSAGE_WORDS: usize = 40;
const PER_PASSAGE: usize = 12;
/// Passages per "report", each of which one long span covers.
const REPORT_PASSAGES: usize = 25;

/// One document with about `spans` spans in each of the layers `ayesha` (A)
/// and `bilal` (B). A has per passage one span over all of it and eleven of
/// 1–8 words at random places (so they nest and cross), a span per report
/// and one over the whole text. B is A with 10% of ends moved by a word, 5%
/// relabelled, 5% left out, and 5% spans of its own.
pub fn dense_agreement_project(spans: usize, seed: u64) -> Project {
    let passages = spans.div_ceil(PER_PASSAGE).max(1);
    // About six bytes a word in the article text.
    let text = synthetic_text(passages * PASSAGE_WORDS * 7, seed, true);
    let words = word_ranges(&text);
    let mut project = Project::new(LabelSchema::default());
    let labels: Vec<String> = project.schema.names().map(String::from).collect();
    let mut doc = Document::new("dense", "Dense report", text);
    let len = doc.char_len();
    let mut rng = Lcg::new(seed ^ 0xde45e);
    let pick = |rng: &mut Lcg| labels[rng.below(labels.len() as u64) as usize].clone();
    // A's spans as (start word, end word inclusive, label).
    let mut a: Vec<(usize, usize, String)> = Vec::new();
    let last_word = words.len().saturating_sub(1);
    for p in 0..passages {
        let first = (p * PASSAGE_WORDS).min(last_word);
        let last = (first + PASSAGE_WORDS - 1).min(last_word);
        a.push((first, last, pick(&mut rng)));
        for _ in 1..PER_PASSAGE {
            let s = first + rng.below((last - first + 1) as u64) as usize;
            let e = (s + rng.below(8) as usize).min(last);
            a.push((s, e, pick(&mut rng)));
        }
        if p % REPORT_PASSAGES == 0 {
            let end = (first + REPORT_PASSAGES * PASSAGE_WORDS - 1).min(last_word);
            a.push((first, end, pick(&mut rng)));
        }
    }
    a.push((0, last_word, pick(&mut rng)));
    let mut b: Vec<(usize, usize, String)> = Vec::new();
    for (s, e, label) in &a {
        match rng.below(100) {
            0..5 => {}
            5..15 => b.push((*s, (*e + 1).min(last_word), label.clone())),
            15..20 => b.push((*s, *e, pick(&mut rng))),
            _ => b.push((*s, *e, label.clone())),
        }
        if rng.below(20) == 0 {
            let s2 = (*s + rng.below(4) as usize).min(last_word);
            b.push((
                s2,
                (s2 + rng.below(5) as usize).min(last_word),
                pick(&mut rng),
            ));
        }
    }
    for (name, layer) in [("ayesha", a), ("bilal", b)] {
        project.ensure_annotator(name);
        let id = LayerId::Annotator(name.into());
        for (s, e, label) in layer {
            let (start, end) = (words[s].0, words[e].1);
            let at = Timestamp::UNIX_EPOCH;
            if let Ok(span) = Span::new(project.allocate_span_id(), start, end, label, len, at) {
                let _ = doc.layer_mut(&id).insert(span);
            }
        }
    }
    let _ = project.add_document(doc);
    project
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_layers_are_dense_nested_and_differ() {
        let p = dense_agreement_project(3_000, 1);
        let d = &p.documents[0];
        let (a, b) = (&d.layers["ayesha"], &d.layers["bilal"]);
        assert!((2_900..3_400).contains(&a.len()), "{}", a.len());
        assert!((2_700..3_400).contains(&b.len()), "{}", b.len());
        assert_ne!(
            a.iter().map(|s| (s.start(), s.end())).collect::<Vec<_>>(),
            b.iter().map(|s| (s.start(), s.end())).collect::<Vec<_>>()
        );
        // Somewhere eight or more of A's spans nest or cross.
        let mut depth = vec![0i32; d.char_len() + 1];
        for s in a.iter() {
            depth[s.start()] += 1;
            depth[s.end()] -= 1;
        }
        let max = depth
            .iter()
            .scan(0, |acc, x| {
                *acc += x;
                Some(*acc)
            })
            .max();
        assert!(max >= Some(8), "{max:?}");
        // One span covers (nearly) the whole text.
        assert!(a.iter().any(|s| s.len() * 10 > d.char_len() * 9));
    }
}
