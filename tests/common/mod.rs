//! Fixtures shared by the export tests.

#![allow(clippy::unwrap_used, dead_code)] // tests may panic on broken fixtures

use jiff::Timestamp;
use spanmark::model::{Document, LabelSchema, LayerId, Project, Span};

/// `n` documents `{prefix}0`, `{prefix}1`, … ("Bannu {i}."), each with a
/// LOCATION span on "Bannu" in layer `a`.
pub fn one_span_documents(prefix: &str, n: usize) -> Project {
    let mut p = Project::new(LabelSchema::default());
    p.ensure_annotator("a");
    let layer = LayerId::Annotator("a".into());
    for i in 0..n {
        let id = format!("{prefix}{i}");
        let mut d = Document::new(id.clone(), id, format!("Bannu {i}."));
        let at = Timestamp::UNIX_EPOCH;
        let span = Span::new(p.allocate_span_id(), 0, 5, "LOCATION", d.char_len(), at).unwrap();
        d.layer_mut(&layer).insert(span).unwrap();
        p.add_document(d).unwrap();
    }
    p
}
