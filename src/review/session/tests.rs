//! The review session: stepping, deciding, swapping and undoing.
use super::*;
use crate::model::{Document, LabelSchema, Span};

const TEXT: &str = "In Bannu, four militants attacked the WSSP official’s home 🙂 پشاور";

fn span(p: &mut Project, text: &str, needle: &str, label: &str) -> Span {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    let end = start + needle.chars().count();
    Span::new(
        p.allocate_span_id(),
        start,
        end,
        label,
        text.chars().count(),
        Timestamp::UNIX_EPOCH,
    )
    .unwrap()
}

/// ayesha and bilal agree on "Bannu" and "پشاور", differ on the rest.
fn session() -> Session {
    let mut p = Project::new(LabelSchema::default());
    let mut d = Document::new("d1", "Bannu report", TEXT.to_string());
    for (who, spans) in [
        (
            "ayesha",
            vec![
                ("Bannu", "LOCATION"),
                ("four militants", "COUNT"),
                ("WSSP official", "ACTOR"),
                ("پشاور", "LOCATION"),
            ],
        ),
        (
            "bilal",
            vec![
                ("Bannu", "LOCATION"),
                ("four militants", "ACTOR"),
                ("attacked", "EVENT"),
                ("پشاور", "LOCATION"),
            ],
        ),
    ] {
        for (needle, label) in spans {
            let s = span(&mut p, TEXT, needle, label);
            d.layer_mut(&LayerId::Annotator(who.into()))
                .insert(s)
                .unwrap();
        }
        p.ensure_annotator(who);
    }
    p.add_document(d).unwrap();
    let mut second = Document::new("d2", "Karak", "Karak police responded.".to_string());
    let s = span(&mut p, "Karak police responded.", "Karak", "LOCATION");
    second
        .layer_mut(&LayerId::Annotator("bilal".into()))
        .insert(s)
        .unwrap();
    p.add_document(second).unwrap();
    Session::new(p, "reviewer")
}

fn gold_texts(s: &Session, doc: usize) -> Vec<(String, String)> {
    let d = &s.project.documents[doc];
    d.layer(&LayerId::Gold)
        .map(|g| {
            g.iter()
                .map(|x| {
                    (
                        d.slice(x.start(), x.end()).unwrap().to_string(),
                        x.label.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn start(s: &mut Session) -> (ReviewSession, Started) {
    let layers = default_layers(&s.project).unwrap();
    ReviewSession::start(s, layers, "reviewer", Timestamp::UNIX_EPOCH).unwrap()
}

#[test]
fn the_reference_is_the_first_annotator_in_project_order() {
    let s = session();
    let layers = default_layers(&s.project).unwrap();
    assert_eq!(layers.a, LayerId::Annotator("ayesha".into()));
    assert_eq!(layers.b, LayerId::Annotator("bilal".into()));
}

#[test]
fn starting_puts_the_agreements_into_gold_as_one_undoable_step() {
    let mut s = session();
    let (review, started) = start(&mut s);
    assert!(s.is_editing_gold());
    assert_eq!(started.agreements_accepted, 2);
    assert_eq!(
        gold_texts(&s, 0),
        vec![
            ("Bannu".to_string(), "LOCATION".to_string()),
            ("پشاور".to_string(), "LOCATION".to_string())
        ]
    );
    // Left: the label conflict, only-A, only-B here; only-B in d2.
    assert_eq!(started.open, 4);
    assert_eq!(review.open_in(0), Some(3));
    assert_eq!(review.open_in(1), Some(1));
    s.undo().unwrap();
    assert!(
        gold_texts(&s, 0).is_empty(),
        "one undo takes the copies back"
    );
}

#[test]
fn undone_agreements_count_as_open_so_zero_means_gold_is_complete() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    s.undo().unwrap();
    review.refresh(&s);
    assert_eq!(review.open_total(), 6, "the two agreements are open again");
    // Deciding everything, whatever the verdict, ends with nothing open
    // and gold holding every agreed span.
    let mut guard = 0;
    while review.step(&mut s, true).is_some() {
        let verdict = match review.current_item().unwrap().category {
            crate::review::align::Category::OnlyB => Verdict::Reject,
            _ => Verdict::AcceptA,
        };
        review
            .decide(&mut s, verdict, "reviewer", Timestamp::UNIX_EPOCH)
            .unwrap();
        guard += 1;
        assert!(guard < 20);
    }
    assert_eq!(review.open_total(), 0);
    let gold = gold_texts(&s, 0);
    assert!(gold.contains(&("Bannu".to_string(), "LOCATION".to_string())));
    assert!(gold.contains(&("پشاور".to_string(), "LOCATION".to_string())));
}

#[test]
fn deciding_moves_on_so_stepping_after_it_skips_nothing() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    let first = review.step(&mut s, true).unwrap();
    let decided = review
        .decide(&mut s, Verdict::AcceptA, "reviewer", Timestamp::UNIX_EPOCH)
        .unwrap();
    let next = decided.next.expect("moved on to the next open item");
    assert_ne!(
        next.item.span_item().unwrap().key(),
        first.item.span_item().unwrap().key()
    );
    assert_eq!(review.current(), Some(next.item.span_item().unwrap().key()));
    // The decided item is no longer open; the one now current is.
    assert!(review.current_item().unwrap().is_open());
    assert_eq!(review.open_total(), 3);
}

#[test]
fn stepping_crosses_documents_and_edit_stays_with_its_copy_selected() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    let mut seen = Vec::new();
    for _ in 0..4 {
        let st = review.step(&mut s, true).unwrap();
        seen.push(st.doc_index);
    }
    assert!(seen.contains(&1), "the second document's item is visited");
    s.open_document(0);
    let _ = review.step(&mut s, true).unwrap();
    let decided = review
        .decide(&mut s, Verdict::Edit, "reviewer", Timestamp::UNIX_EPOCH)
        .unwrap();
    assert!(decided.next.is_none());
    assert_eq!(s.selected_span_id(), decided.gold_added.first().copied());
}

#[test]
fn swapping_makes_the_other_layer_the_reference_and_keeps_the_item() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    let st = review.step(&mut s, true).unwrap();
    review.swap_layers(&s);
    assert_eq!(review.layers().a, LayerId::Annotator("bilal".into()));
    let (a, b) = st.item.span_item().unwrap().key();
    assert_eq!(review.current(), Some((b, a)));
    assert!(review.current_item().is_some());
}

#[test]
fn decisions_survive_swapping_the_reference_and_redeciding_replaces_them() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    let conflict = |r: &ReviewSession| {
        r.items()
            .iter()
            .find(|i| i.category == crate::review::align::Category::LabelConflict)
            .cloned()
            .unwrap()
    };
    review.current = Some(conflict(&review).key());
    review
        .decide(&mut s, Verdict::AcceptA, "reviewer", Timestamp::UNIX_EPOCH)
        .unwrap();
    let open = review.open_total();
    let decisions = s.project.documents[0].decisions.len();
    review.swap_layers(&s);
    let swapped = conflict(&review);
    assert_eq!(
        swapped.decision,
        Some(Verdict::AcceptB),
        "ayesha's version, now B"
    );
    assert_eq!(review.open_total(), open, "nothing reopened by the swap");
    // Deciding again replaces the decision and its gold copy.
    review.current = Some(swapped.key());
    review
        .decide(&mut s, Verdict::AcceptA, "reviewer", Timestamp::UNIX_EPOCH)
        .unwrap();
    assert_eq!(s.project.documents[0].decisions.len(), decisions);
    let gold = gold_texts(&s, 0);
    let militants: Vec<_> = gold.iter().filter(|(t, _)| t == "four militants").collect();
    assert_eq!(
        militants,
        [&("four militants".to_string(), "ACTOR".to_string())],
        "bilal's ACTOR replaced ayesha's COUNT"
    );
    // Undo brings the first decision back, seen the new way round.
    s.undo().unwrap();
    review.refresh(&s);
    assert_eq!(conflict(&review).decision, Some(Verdict::AcceptB));
    assert_eq!(
        gold_texts(&s, 0)
            .iter()
            .filter(|(t, l)| t == "four militants" && l == "COUNT")
            .count(),
        1
    );
}

#[test]
fn stopping_edits_the_own_layer_again_and_undecide_reopens() {
    let mut s = session();
    let (mut review, _) = start(&mut s);
    review.step(&mut s, true).unwrap();
    let key = review.current().unwrap();
    review
        .decide(&mut s, Verdict::Reject, "reviewer", Timestamp::UNIX_EPOCH)
        .unwrap();
    review.current = Some(key);
    review.undecide(&mut s).unwrap();
    assert!(review.current_item().unwrap().is_open());
    assert!(matches!(
        review.undecide(&mut s),
        Err(ReviewActionError::NotDecided)
    ));
    review.stop(&mut s);
    assert!(!s.is_editing_gold());
    assert_eq!(s.layer_id(), LayerId::Annotator("reviewer".into()));
}
