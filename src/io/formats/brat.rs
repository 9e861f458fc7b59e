//! brat standoff: per document `NAME.txt` (the exact text) and `NAME.ann`,
//! plus `annotation.conf` and `visual.conf`. Offsets are code points, as the
//! brat server counts them. A span that crosses a line break becomes
//! fragments (`0 5;6 12`), since brat annotations cannot hold newlines.
//! Notes become `AnnotatorNotes`; attributes are added to the note as
//! `key=value` (brat attributes need declared values, which our schema lacks).
//! Event frames become `E` lines with their type as an `event_type`
//! attribute, relations `R` lines, and `annotation.conf` declares them.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::brat_links::{EVENT_TYPE_ATTRIBUTE, event_type_to_brat};
use super::paths::StemAllocator;
use super::{ExportDoc, ExportError, ExportSummary, ensure_dir, write_file};
use crate::model::Project;

/// Pieces of `[start, end)` without line breaks or tabs (which a `.ann` line
/// cannot hold), as (start, end, text). Offsets are code points into `text`.
pub fn fragments(text: &str, start: usize, end: usize) -> Vec<(usize, usize, String)> {
    // Walk to the span once with char_indices; callers with a document use
    // [`fragments_in`], which finds the span through the document's index.
    let from = text
        .char_indices()
        .nth(start)
        .map_or(text.len(), |(b, _)| b);
    fragments_of(text.get(from..).unwrap_or_default(), start, end)
}

/// [`fragments`] of a document span, located in O(log n) through the text index.
pub fn fragments_in(
    doc: &crate::model::Document,
    start: usize,
    end: usize,
) -> Vec<(usize, usize, String)> {
    let slice = doc.slice(start, end).unwrap_or_default();
    fragments_of(slice, start, end)
}

/// Fragments of `slice`, which starts at code point `start` of the document.
fn fragments_of(slice: &str, start: usize, end: usize) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    for (i, c) in slice
        .chars()
        .enumerate()
        .map(|(k, c)| (start + k, c))
        .take(end - start)
    {
        if c == '\n' || c == '\r' || c == '\t' {
            if let Some((s, t)) = cur.take() {
                out.push((s, i, t));
            }
        } else {
            cur.get_or_insert_with(|| (i, String::new())).1.push(c);
        }
    }
    if let Some((s, t)) = cur {
        out.push((s, end, t));
    }
    out
}

fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// brat's schema: labels that trigger events are event types (brat keeps
/// them apart from entities), each with the roles, their labels and
/// cardinalities; relation types; and the event type as an attribute.
fn annotation_conf(project: &Project) -> String {
    let events = &project.schema.events;
    let mut s = String::from("# Written by Spanmark\n[entities]\n");
    for l in project.schema.names() {
        if !events.can_trigger(l) {
            let _ = writeln!(s, "{l}");
        }
    }
    s.push_str("\n[relations]\n\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n");
    for r in &events.relation_types {
        let symmetric = if r.directed {
            ""
        } else {
            ", <REL-TYPE>:symmetric"
        };
        let _ = writeln!(s, "{}\tArg1:<ENTITY>, Arg2:<ENTITY>{symmetric}", r.name);
    }
    s.push_str("\n[events]\n");
    let roles: Vec<String> = events
        .roles
        .iter()
        .filter(|r| !r.labels.is_empty())
        .map(|r| {
            format!(
                "{}{}:{}",
                r.name,
                brat_cardinality(r.cardinality),
                r.labels.join("|")
            )
        })
        .collect();
    for l in project.schema.names() {
        if events.can_trigger(l) {
            let _ = writeln!(s, "{l}\t{}", roles.join(", "));
        }
    }
    s.push_str("\n[attributes]\n");
    let triggers: Vec<&str> = project
        .schema
        .names()
        .filter(|l| events.can_trigger(l))
        .collect();
    if !triggers.is_empty() && !events.event_types.is_empty() {
        let values: Vec<String> = events
            .event_types
            .iter()
            .map(|t| event_type_to_brat(t))
            .collect();
        let _ = writeln!(
            s,
            "{EVENT_TYPE_ATTRIBUTE}\tArg:{}, Value:{}",
            triggers.join("|"),
            values.join("|")
        );
    }
    s
}

/// brat writes "exactly one" as no mark; `?`, `*`, `+` and `{n}` as we do.
fn brat_cardinality(c: crate::model::Cardinality) -> String {
    match c {
        crate::model::Cardinality::Exactly(1) => String::new(),
        other => other.to_string(),
    }
}

fn visual_conf(project: &Project) -> String {
    let mut s = String::from("[labels]\n");
    for l in &project.schema.labels {
        let _ = writeln!(s, "{} | {}", l.name, l.name);
    }
    s.push_str("\n[drawing]\n");
    for l in &project.schema.labels {
        let _ = writeln!(s, "{}\tbgColor:{}", l.name, l.color);
    }
    s
}

pub fn write(
    project: &Project,
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for (name, docs) in parts {
        let dir = if name.is_empty() {
            out.to_path_buf()
        } else {
            out.join(name)
        };
        ensure_dir(&dir)?;
        let mut stems = StemAllocator::default();
        for d in docs {
            summary.progress.tick();
            let stem = stems.allocate(&d.doc.id);
            let text = d.doc.text();
            let mut ann = String::new();
            let (mut t, mut n) = (0, 0);
            let mut t_of: HashMap<crate::model::SpanId, usize> = HashMap::new();
            for s in &d.spans {
                let frags = fragments_in(d.doc, s.start(), s.end());
                if frags.is_empty() {
                    summary.dropped.push(super::Dropped::new(
                        d.doc,
                        s,
                        "covers only line breaks or tabs",
                    ));
                    continue;
                }
                t += 1;
                t_of.insert(s.id(), t);
                let offsets: Vec<String> =
                    frags.iter().map(|(a, b, _)| format!("{a} {b}")).collect();
                let texts: Vec<&str> = frags.iter().map(|f| f.2.as_str()).collect();
                let _ = writeln!(
                    ann,
                    "T{t}\t{} {}\t{}",
                    s.label,
                    offsets.join(";"),
                    texts.join(" ")
                );
                let mut note = s.note().to_string();
                for (k, v) in s.attributes() {
                    if !note.is_empty() {
                        note.push_str(" | ");
                    }
                    let _ = write!(note, "{k}={v}");
                }
                if !note.is_empty() {
                    n += 1;
                    let _ = writeln!(ann, "#{n}\tAnnotatorNotes T{t}\t{}", one_line(&note));
                }
            }
            write_links(d, &t_of, &mut ann, &mut n, summary);
            write_file(&dir, &format!("{stem}.txt"), text.as_bytes(), summary)?;
            write_file(&dir, &format!("{stem}.ann"), ann.as_bytes(), summary)?;
        }
        write_file(
            &dir,
            "annotation.conf",
            annotation_conf(project).as_bytes(),
            summary,
        )?;
        write_file(
            &dir,
            "visual.conf",
            visual_conf(project).as_bytes(),
            summary,
        )?;
    }
    Ok(())
}

/// The `E` lines of a document's frames (with `A` lines for their event
/// types and notes), then its `R` lines. A repeated role is numbered, as
/// brat writes it: `agent:T3 agent2:T4`.
fn write_links(
    d: &ExportDoc<'_>,
    t_of: &HashMap<crate::model::SpanId, usize>,
    ann: &mut String,
    notes: &mut usize,
    summary: &mut ExportSummary,
) {
    let (mut e, mut a) = (0, 0);
    // Slots and relations whose span has no T line (it covers only line
    // breaks) cannot be written: counted, and said in the summary.
    let mut skipped = 0;
    for frame in &d.frames {
        let (Some(trigger), Some(&tt)) = (d.span(frame.trigger), t_of.get(&frame.trigger)) else {
            summary.warnings.push(format!(
                "an event of {} was not exported: its trigger has no brat span",
                d.doc.id
            ));
            continue;
        };
        e += 1;
        let mut line = format!("E{e}\t{}:T{tt}", trigger.label);
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for slot in &frame.slots {
            let Some(&ft) = t_of.get(&slot.span) else {
                skipped += 1;
                continue;
            };
            let n = seen.entry(slot.role.as_str()).or_insert(0);
            *n += 1;
            let number = if *n > 1 { n.to_string() } else { String::new() };
            let _ = write!(line, " {}{number}:T{ft}", slot.role);
        }
        let _ = writeln!(ann, "{line}");
        if let Some(t) = &frame.event_type {
            a += 1;
            let _ = writeln!(
                ann,
                "A{a}\t{EVENT_TYPE_ATTRIBUTE} E{e} {}",
                event_type_to_brat(t)
            );
        }
        if !frame.note.is_empty() {
            *notes += 1;
            let _ = writeln!(
                ann,
                "#{notes}\tAnnotatorNotes E{e}\t{}",
                one_line(&frame.note)
            );
        }
    }
    let mut r = 0;
    for rel in d.relations() {
        let (Some(from), Some(to)) = (t_of.get(&rel.from), t_of.get(&rel.to)) else {
            skipped += 1;
            continue;
        };
        r += 1;
        let _ = writeln!(ann, "R{r}\t{} Arg1:T{from} Arg2:T{to}", rel.kind);
    }
    if skipped > 0 {
        summary.warnings.push(format!(
            "{skipped} event slot(s) or relation(s) of {} not exported: their span has no brat span \
             (it covers only line breaks or tabs)",
            d.doc.id
        ));
    }
}

pub use super::brat_read::{parse, read};

#[cfg(test)]
mod tests {
    use super::fragments;

    #[test]
    fn line_breaks_split_fragments() {
        let text = "Bannu\r\nKarak 🙂";
        assert_eq!(
            fragments(text, 0, 12),
            vec![(0, 5, "Bannu".to_string()), (7, 12, "Karak".to_string())]
        );
        assert!(fragments(text, 5, 7).is_empty());
    }
}
