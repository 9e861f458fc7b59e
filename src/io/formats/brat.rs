//! brat standoff: per document `NAME.txt` (the exact text) and `NAME.ann`,
//! plus `annotation.conf` and `visual.conf`. Offsets are code points, as the
//! brat server counts them. A span that crosses a line break becomes
//! fragments (`0 5;6 12`), since brat annotations cannot hold newlines.
//! Notes become `AnnotatorNotes`; attributes are added to the note as
//! `key=value` (brat attributes need declared values, which our schema lacks).

use std::fmt::Write as _;
use std::path::Path;

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

fn annotation_conf(project: &Project) -> String {
    let mut s = String::from("# Written by Spanmark\n[entities]\n");
    for l in project.schema.names() {
        let _ = writeln!(s, "{l}");
    }
    s.push_str("\n[relations]\n\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n");
    s
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

/// Reads brat standoff: `.ann` files with their `.txt` (pass a folder, or the files).
/// Discontinuous annotations become one span per fragment sharing a `group` attribute.
pub fn read(
    paths: &[std::path::PathBuf],
) -> Result<Vec<super::import::ImportedDoc>, super::import::ImportError> {
    use super::import::ImportError;
    let mut anns: Vec<std::path::PathBuf> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p)
                .map_err(|e| ImportError::new(p.display().to_string(), e.to_string()))?;
            let mut found: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "ann"))
                .collect();
            found.sort();
            anns.extend(found);
        } else if p.extension().is_some_and(|x| x == "ann") {
            anns.push(p.clone());
        } else if p.extension().is_some_and(|x| x == "txt") {
            anns.push(p.with_extension("ann"));
        }
    }
    anns.dedup();
    let mut docs = Vec::new();
    for ann_path in anns {
        let txt_path = ann_path.with_extension("txt");
        let text = crate::io::read_text_file(&txt_path)
            .map_err(|e| ImportError::new(txt_path.display().to_string(), e.to_string()))?
            .text;
        let ann = super::import::read_input(&ann_path)?;
        let name = ann_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut doc = parse(text, &ann, &ann_path.display().to_string())?;
        doc.name = name;
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
pub fn parse(
    text: String,
    ann: &str,
    shown: &str,
) -> Result<super::import::ImportedDoc, super::import::ImportError> {
    use super::import::{ImportError, ImportedDoc, ImportedSpan, check_span, slice_cp};
    let len = text.chars().count();
    let index = crate::model::TextIndex::new(&text);
    let mut spans: Vec<(String, ImportedSpan)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    let mut attrs: Vec<(String, String, String)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let at = format!("{shown} line {}", n + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        match line.chars().next() {
            Some('T') => {
                let [id, middle, stated] = fields[..] else {
                    return Err(ImportError::new(
                        at,
                        "a T line needs ID, TYPE START END and the text, separated by tabs",
                    ));
                };
                let (label, offsets) = middle
                    .split_once(' ')
                    .ok_or_else(|| ImportError::new(&at, format!("no offsets in {middle:?}")))?;
                let mut frags = Vec::new();
                for frag in offsets.split(';') {
                    let nums: Vec<i64> = frag
                        .split_whitespace()
                        .filter_map(|x| x.parse().ok())
                        .collect();
                    let [s, e] = nums[..] else {
                        return Err(ImportError::new(&at, format!("bad offsets {frag:?}")));
                    };
                    frags.push(check_span(&text, len, s, e, None, &at)?);
                }
                let covered: Vec<String> = frags
                    .iter()
                    .map(|(s, e)| slice_cp(&index, &text, *s, *e).to_string())
                    .collect();
                if covered.join(" ") != stated {
                    return Err(ImportError::new(
                        &at,
                        format!(
                            "the .ann says {stated:?}, but the .txt has {:?} there",
                            covered.join(" ")
                        ),
                    ));
                }
                for (s, e) in &frags {
                    let mut attributes = crate::model::Attributes::new();
                    if frags.len() > 1 {
                        attributes.insert("group".into(), id.to_string());
                    }
                    let span = ImportedSpan {
                        start: *s,
                        end: *e,
                        label: label.to_string(),
                        note: String::new(),
                        attributes,
                        location: at.clone(),
                    };
                    spans.push((id.to_string(), span));
                }
            }
            Some('#') => {
                if let [_, target, note] = fields[..]
                    && let Some(t) = target.strip_prefix("AnnotatorNotes ")
                {
                    notes.push((t.trim().to_string(), note.to_string()));
                }
            }
            Some('A') | Some('M') => {
                if let [_, rest] = fields[..] {
                    let parts: Vec<&str> = rest.split_whitespace().collect();
                    if let [name, target, value @ ..] = &parts[..] {
                        let value = if value.is_empty() {
                            "true".to_string()
                        } else {
                            value.join(" ")
                        };
                        attrs.push((target.to_string(), name.to_string(), value));
                        let _ = (name, target);
                    }
                }
            }
            _ => {}
        }
    }
    for (id, span) in spans.iter_mut() {
        for (t, note) in &notes {
            if t == id {
                span.note = note.clone();
            }
        }
        for (t, name, value) in &attrs {
            if t == id {
                span.attributes.insert(name.clone(), value.clone());
            }
        }
    }
    Ok(ImportedDoc {
        name: super::import::stem_of(shown),
        text,
        spans: spans.into_iter().map(|(_, s)| s).collect(),
        annotator: None,
        source_file: super::import::stem_of(shown) + ".txt",
    })
}

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
