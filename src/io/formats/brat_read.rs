//! Reading brat standoff (`NAME.ann` with its `NAME.txt`). Text-bound
//! annotations (`T`) become spans, `AnnotatorNotes` their notes and `A`/`M`
//! attributes their attributes; events (`E`) and relations (`R`) become
//! frames and relations ([`super::brat_links`]). Everything else
//! (equivalences `*`, normalizations `N`, notes or attributes on anything
//! but a span or an event, a second `T1`, lines that are not brat) is
//! listed as not imported, never dropped silently.
//!
//! brat reads the `.txt` as UTF-8 without dropping a byte-order mark, so its
//! offsets count the BOM as code point 0. Spanmark drops the BOM from the
//! text (as the text importer does) and shifts the offsets by one; a `.ann`
//! whose stated texts only match unshifted (made by a tool that did not
//! count the BOM) is read unshifted.

use std::collections::HashMap;

use super::brat_links as links;

use super::imported::{
    ImportError, ImportedDoc, ImportedSpan, Unimported, check_span, slice_cp, stem_of,
};

/// Reads brat standoff: `.ann` files with their `.txt` (pass a folder, or the files).
/// Discontinuous annotations become one span per fragment sharing a `group` attribute.
pub fn read(paths: &[std::path::PathBuf]) -> Result<Vec<ImportedDoc>, ImportError> {
    let mut anns: Vec<std::path::PathBuf> = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        if p.is_dir() {
            let entries =
                std::fs::read_dir(p).map_err(|e| ImportError::new(&shown, e.to_string()))?;
            let mut found: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "ann"))
                .collect();
            if found.is_empty() {
                return Err(ImportError::new(shown, "the folder holds no .ann files"));
            }
            found.sort();
            anns.extend(found);
        } else if p.extension().is_some_and(|x| x == "ann") {
            anns.push(p.clone());
        } else if p.extension().is_some_and(|x| x == "txt") {
            anns.push(p.with_extension("ann"));
        } else {
            return Err(ImportError::new(
                shown,
                "not a brat .ann or .txt file, nor a folder of them",
            ));
        }
    }
    anns.dedup();
    let mut docs = Vec::new();
    for ann_path in anns {
        let txt_path = ann_path.with_extension("txt");
        let decoded = crate::io::read_text_file(&txt_path)
            .map_err(|e| ImportError::new(txt_path.display().to_string(), e.to_string()))?;
        let ann = super::imported::read_input(&ann_path)?;
        let shown = ann_path.display().to_string();
        let had_bom = !matches!(
            decoded.encoding,
            crate::io::TextEncoding::Utf8 | crate::io::TextEncoding::Windows1252
        );
        let mut doc = if had_bom {
            match parse_shifted(decoded.text.clone(), &ann, &shown, 1) {
                Ok(doc) => doc,
                Err(counted) => parse_shifted(decoded.text, &ann, &shown, 0).map_err(|_| {
                    ImportError::new(
                        counted.location,
                        format!(
                            "{} (the .txt starts with a byte-order mark, which brat counts \
                             as code point 0; the offsets match neither with nor without it)",
                            counted.message
                        ),
                    )
                })?,
            }
        } else {
            parse_shifted(decoded.text, &ann, &shown, 0)?
        };
        doc.name = ann_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        doc.source_file = txt_path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        docs.push(doc);
    }
    Ok(docs)
}

/// One brat document from its text and `.ann` content; `shown` names the
/// `.ann` file in messages (and gives the document its name).
pub fn parse(text: String, ann: &str, shown: &str) -> Result<ImportedDoc, ImportError> {
    parse_shifted(text, ann, shown, 0)
}

/// A line that refers to a text-bound annotation: a note or an attribute.
struct Reference {
    target: String,
    at: String,
    /// The note, or the attribute's (name, value).
    kind: RefKind,
}

#[derive(Clone)]
enum RefKind {
    Note(String),
    Attribute(String, String),
}

/// The first field of a line shown in a message: escaped and short.
fn shown_line(line: &str) -> String {
    let short: String = line.chars().take(60).collect();
    let more = if short.len() < line.len() { "…" } else { "" };
    format!("\"{}{more}\"", short.escape_debug())
}

/// [`parse`] with the `.ann` offsets `shift` code points ahead of `text`
/// (1 when brat counted a byte-order mark that `text` no longer has).
fn parse_shifted(
    text: String,
    ann: &str,
    shown: &str,
    shift: usize,
) -> Result<ImportedDoc, ImportError> {
    let len = text.chars().count();
    let index = crate::model::TextIndex::new(&text);
    let mut spans: Vec<(String, ImportedSpan)> = Vec::new();
    // Text-bound ids → the line that defined them.
    let mut defined: HashMap<String, usize> = HashMap::new();
    let mut refs: Vec<Reference> = Vec::new();
    let mut unimported = Vec::new();
    let mut events = Vec::new();
    let mut relations = Vec::new();
    for line in super::lines::Lines::new(ann.as_bytes(), shown) {
        let super::lines::Line { number, text: line } = line?;
        let at = format!("{shown} line {number}");
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let id = fields.first().copied().unwrap_or_default();
        match line.chars().next() {
            Some('T') => {
                if let Some(first) = defined.get(id) {
                    unimported.push(Unimported::new(
                        &at,
                        format!(
                            "{} is defined again (first at line {first}); this one is not imported",
                            shown_line(id)
                        ),
                    ));
                    continue;
                }
                let found = text_bound(&text, len, &index, &fields, shift, &at)?;
                defined.insert(id.to_string(), number);
                spans.extend(found.into_iter().map(|s| (id.to_string(), s)));
            }
            Some('#') => match fields[..] {
                [_, target, note] if target.starts_with("AnnotatorNotes ") => {
                    refs.push(Reference {
                        target: target
                            .trim_start_matches("AnnotatorNotes ")
                            .trim()
                            .to_string(),
                        at,
                        kind: RefKind::Note(note.to_string()),
                    })
                }
                _ => unimported.push(Unimported::new(
                    at,
                    format!("note {} is not an AnnotatorNotes line", shown_line(id)),
                )),
            },
            Some('A') | Some('M') => {
                let parts: Vec<&str> = fields
                    .get(1)
                    .map_or(Vec::new(), |r| r.split_whitespace().collect());
                match (&fields[..], &parts[..]) {
                    ([_, _], [name, target, value @ ..]) => refs.push(Reference {
                        target: target.to_string(),
                        at,
                        kind: RefKind::Attribute(
                            name.to_string(),
                            if value.is_empty() {
                                "true".into()
                            } else {
                                value.join(" ")
                            },
                        ),
                    }),
                    _ => unimported.push(Unimported::new(
                        at,
                        format!(
                            "attribute {} is not ID, NAME TARGET [VALUE]",
                            shown_line(id)
                        ),
                    )),
                }
            }
            Some('E') => match links::parse_event(&fields, &at) {
                Ok(e) => events.push(e),
                Err(u) => unimported.push(u),
            },
            Some('R') => match links::parse_relation(&fields, &at) {
                Ok(r) => relations.push(r),
                Err(u) => unimported.push(u),
            },
            Some(kind @ ('*' | 'N')) => {
                let what = match kind {
                    '*' => "equivalence",
                    _ => "normalization",
                };
                unimported.push(Unimported::new(
                    at,
                    format!(
                        "{what} {}: Spanmark does not import {what}s yet",
                        shown_line(id)
                    ),
                ));
            }
            _ => unimported.push(Unimported::new(
                at,
                format!("{} is not a brat annotation line", shown_line(&line)),
            )),
        }
    }
    // Notes and attributes on events go to their frames, the rest to spans.
    let event_ids = links::event_ids(&events);
    let (on_events, refs): (Vec<Reference>, Vec<Reference>) = refs
        .into_iter()
        .partition(|r| event_ids.contains(r.target.as_str()));
    drop(event_ids);
    let on_events = on_events
        .into_iter()
        .map(|r| {
            let kind = match r.kind {
                RefKind::Note(n) => links::EventRef::Note(n),
                RefKind::Attribute(k, v) => links::EventRef::Attribute(k, v),
            };
            (r.target, r.at, kind)
        })
        .collect();
    attach(&mut spans, refs, &mut unimported);
    let links = links::resolve(&spans, events, relations, on_events, &mut unimported);
    Ok(ImportedDoc {
        links,
        name: stem_of(shown),
        text,
        spans: spans.into_iter().map(|(_, s)| s).collect(),
        annotator: None,
        source_file: stem_of(shown) + ".txt",
        unimported,
        date: None,
    })
}

/// The spans of one `T` line (one per fragment), checked against the text.
fn text_bound(
    text: &str,
    len: usize,
    index: &crate::model::TextIndex,
    fields: &[&str],
    shift: usize,
    at: &str,
) -> Result<Vec<ImportedSpan>, ImportError> {
    let [id, middle, stated] = fields[..] else {
        return Err(ImportError::new(
            at,
            "a T line needs ID, TYPE START END and the text, separated by tabs",
        ));
    };
    let (label, offsets) = middle
        .split_once(' ')
        .ok_or_else(|| ImportError::new(at, format!("no offsets in {}", shown_line(middle))))?;
    let mut frags = Vec::new();
    for frag in offsets.split(';') {
        let nums: Vec<&str> = frag.split_whitespace().collect();
        let [s, e] = nums[..] else {
            return Err(ImportError::new(
                at,
                format!(
                    "bad offsets {}: each fragment is START END (a brat type holds no spaces)",
                    shown_line(frag)
                ),
            ));
        };
        let number = |x: &str| -> Result<i64, ImportError> {
            x.parse::<i64>().map_err(|_| {
                let why = if x.parse::<f64>().is_ok() {
                    "offsets must be whole numbers"
                } else {
                    "not a number"
                };
                ImportError::new(at, format!("bad offset {}: {why}", shown_line(x)))
            })
        };
        let (s, e) = (number(s)?, number(e)?);
        let shift = shift as i64;
        if shift > 0 && s < shift {
            return Err(ImportError::new(
                at,
                format!("the span {s}..{e} starts on the .txt's byte-order mark"),
            ));
        }
        // Saturating: a hostile offset near i64::MIN must not overflow; the
        // span check refuses what is out of range.
        frags.push(check_span(
            text,
            len,
            s.saturating_sub(shift),
            e.saturating_sub(shift),
            None,
            at,
        )?);
    }
    let covered: Vec<&str> = frags
        .iter()
        .map(|(s, e)| slice_cp(index, text, *s, *e))
        .collect();
    if covered.join(" ") != stated {
        return Err(ImportError::new(
            at,
            format!(
                "the .ann says {stated:?}, but the .txt has {:?} there",
                covered.join(" ")
            ),
        ));
    }
    Ok(frags
        .iter()
        .map(|&(s, e)| {
            let mut span = ImportedSpan::new(s, e, label, at);
            if frags.len() > 1 {
                span.attributes.insert("group".into(), id.to_string());
            }
            span
        })
        .collect())
}

/// Puts notes and attributes on their spans; those on anything else are reported.
fn attach(
    spans: &mut [(String, ImportedSpan)],
    refs: Vec<Reference>,
    unimported: &mut Vec<Unimported>,
) {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (id, _)) in spans.iter().enumerate() {
        by_id.entry(id.as_str()).or_default().push(i);
    }
    let mut on: Vec<(usize, RefKind)> = Vec::new();
    for r in refs {
        match by_id.get(r.target.as_str()) {
            Some(targets) => on.extend(targets.iter().map(|&i| (i, r.kind.clone()))),
            None => {
                let what = match r.kind {
                    RefKind::Note(_) => "note",
                    RefKind::Attribute(..) => "attribute",
                };
                unimported.push(Unimported::new(
                    r.at,
                    format!(
                        "{what} on {}, which is not a text-bound annotation (T) of this file",
                        shown_line(&r.target)
                    ),
                ));
            }
        }
    }
    for (i, kind) in on {
        let Some((_, span)) = spans.get_mut(i) else {
            continue;
        };
        match kind {
            RefKind::Note(note) => {
                if !span.note.is_empty() {
                    span.note.push_str(" | ");
                }
                span.note.push_str(&note);
            }
            RefKind::Attribute(name, value) => {
                span.attributes.insert(name, value);
            }
        }
    }
}
