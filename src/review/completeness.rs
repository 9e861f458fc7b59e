//! Whether a document's gold is complete: every item of the two layers it
//! was adjudicated from is decided (or an agreement gold holds). The pair of
//! layers is read from the decisions themselves (they name span ids, which
//! belong to exactly one layer), so no extra record is needed in the file.

use super::adjudicate::{ReviewLayers, items};
use crate::model::{Document, LayerId, Project, SpanId};

/// A document whose gold leaves items of its review undecided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    pub document: String,
    pub layers: ReviewLayers,
    pub undecided: usize,
}

/// The layer of `doc` that holds span `id`.
fn layer_of(doc: &Document, id: SpanId) -> Option<LayerId> {
    doc.all_layers()
        .find(|(_, layer)| layer.contains_id(id))
        .map(|(layer_id, _)| layer_id)
}

/// The two layers `doc` was reviewed from, from its latest decision that
/// names spans of both (else `None`: reviewed by hand, or not at all).
pub fn reviewed_layers(doc: &Document) -> Option<ReviewLayers> {
    let mut decisions: Vec<_> = doc.decisions.iter().collect();
    decisions.sort_by_key(|d| std::cmp::Reverse(d.at));
    let mut a = None;
    let mut b = None;
    for d in decisions {
        a = a.or_else(|| d.a.and_then(|id| layer_of(doc, id)));
        b = b.or_else(|| d.b.and_then(|id| layer_of(doc, id)));
        if let (Some(a), Some(b)) = (&a, &b) {
            return Some(ReviewLayers {
                a: a.clone(),
                b: b.clone(),
            });
        }
    }
    None
}

/// Documents of `project` with a review whose
/// gold leaves items undecided, in project order.
pub fn incomplete_gold(project: &Project) -> Vec<Incomplete> {
    project
        .documents
        .iter()
        .filter_map(|doc| {
            let layers = reviewed_layers(doc)?;
            let undecided = items(doc, &layers).iter().filter(|i| i.is_open()).count();
            (undecided > 0).then(|| Incomplete {
                document: doc.id.clone(),
                layers,
                undecided,
            })
        })
        .collect()
}

/// One line for an export summary or the command line; `None` when every
/// reviewed document's gold is complete.
pub fn warning(project: &Project) -> Option<String> {
    let incomplete = incomplete_gold(project);
    if incomplete.is_empty() {
        return None;
    }
    let listed: Vec<String> = incomplete
        .iter()
        .take(10)
        .map(|i| format!("{} ({})", i.document, i.undecided))
        .collect();
    let more = incomplete.len().saturating_sub(listed.len());
    Some(format!(
        "warning: gold is incomplete in {} document(s), with review items still undecided: {}{}",
        incomplete.len(),
        listed.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LabelSchema, Session, Span, Verdict};
    use crate::review::session::{ReviewSession, default_layers};
    use jiff::Timestamp;

    fn project() -> Project {
        let mut p = Project::new(LabelSchema::default());
        let text = "Bannu police met 15 militants in Karak.";
        let mut d = Document::new("d1", "d1", text.to_string());
        for (who, s, e, label) in [
            ("ayesha", 0, 5, "LOCATION"),
            ("bilal", 0, 5, "LOCATION"),
            ("ayesha", 17, 29, "COUNT"),
            ("bilal", 33, 38, "LOCATION"),
        ] {
            let span =
                Span::new(p.allocate_span_id(), s, e, label, 39, Timestamp::UNIX_EPOCH).unwrap();
            d.layer_mut(&LayerId::Annotator(who.into()))
                .insert(span)
                .unwrap();
            p.ensure_annotator(who);
        }
        p.add_document(d).unwrap();
        p
    }

    #[test]
    fn a_review_left_half_way_is_reported_and_a_finished_one_is_not() {
        let mut s = Session::new(project(), "reviewer");
        assert_eq!(warning(&s.project), None, "never reviewed: nothing to say");
        let layers = default_layers(&s.project).unwrap();
        let (mut review, _) =
            ReviewSession::start(&mut s, layers.clone(), "reviewer", Timestamp::UNIX_EPOCH)
                .unwrap();
        assert_eq!(reviewed_layers(&s.project.documents[0]), Some(layers));
        let incomplete = incomplete_gold(&s.project);
        assert_eq!(incomplete.len(), 1);
        assert_eq!(incomplete[0].undecided, 2);
        assert!(warning(&s.project).unwrap().contains("d1 (2)"));
        while review.step(&mut s, true).is_some() {
            review
                .decide(
                    &mut s,
                    Verdict::AcceptBoth,
                    "reviewer",
                    Timestamp::UNIX_EPOCH,
                )
                .unwrap();
        }
        assert_eq!(warning(&s.project), None);
    }
}
