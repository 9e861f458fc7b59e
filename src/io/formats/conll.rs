//! CoNLL IOB2: `token<TAB>tag` lines, a blank line between sentences, and a
//! `-DOCSTART-` line before each document. Nested spans are resolved by the
//! overlap policy; the summary lists what was dropped.

use std::io::Write as _;
use std::path::Path;

use super::iob::{TagNames, tag_document};
use super::{ExportDoc, ExportError, ExportOptions, ExportSummary, part_name, write_file_with};

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    options: &ExportOptions,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let mut tags = TagNames::new(std::iter::empty());
    for (name, docs) in parts {
        let file = format!("{}.conll", part_name(name));
        write_file_with(out, &file, summary, |w, summary| {
            for d in docs {
                summary.progress.tick();
                w.write_all(b"-DOCSTART-\tO\n\n")?;
                let (unit, overlap) = (options.unit, options.overlap);
                tag_document(
                    d,
                    unit,
                    overlap,
                    &mut tags,
                    summary,
                    |words, numbers, names| {
                        for (word, &n) in words.iter().zip(numbers) {
                            w.write_all(word.as_bytes())?;
                            w.write_all(b"\t")?;
                            w.write_all(names[n].as_bytes())?;
                            w.write_all(b"\n")?;
                        }
                        w.write_all(b"\n")
                    },
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// One CoNLL document: sentences of (token, tag, line number).
type ConllDoc = Vec<Vec<(String, String, usize)>>;

/// Parses CoNLL lines as they stream in (any line ending; see [`super::lines`]).
fn parse<R: std::io::BufRead>(
    lines: super::lines::Lines<R>,
    shown: &str,
) -> Result<Vec<ConllDoc>, super::imported::ImportError> {
    use super::imported::ImportError;
    let mut docs: Vec<ConllDoc> = vec![Vec::new()];
    let mut sentence = Vec::new();
    let mut prev = "O".to_string();
    for line in lines {
        let super::lines::Line { number, text } = line?;
        let at = || format!("{shown} line {number}");
        let trimmed = text.as_str();
        if trimmed.trim().is_empty() {
            if !sentence.is_empty()
                && let Some(d) = docs.last_mut()
            {
                d.push(std::mem::take(&mut sentence));
            }
            prev = "O".into();
            continue;
        }
        let fields: Vec<&str> = if trimmed.contains('\t') {
            trimmed.split('\t').collect()
        } else {
            trimmed.split_whitespace().collect()
        };
        let (Some(token), Some(tag)) = (fields.first(), fields.last()) else {
            continue;
        };
        if *token == "-DOCSTART-" {
            if !sentence.is_empty()
                && let Some(d) = docs.last_mut()
            {
                d.push(std::mem::take(&mut sentence));
            }
            if docs.last().is_some_and(|d| !d.is_empty()) {
                docs.push(Vec::new());
            }
            continue;
        }
        if fields.len() < 2 {
            return Err(ImportError::new(
                at(),
                format!("expected a token and a tag, found {trimmed:?}"),
            ));
        }
        if token.is_empty() {
            // Found by fuzzing: an empty token made an empty span.
            return Err(ImportError::new(
                at(),
                format!(
                    "the token is empty in {trimmed:?}; a line is the token, a tab, then the tag"
                ),
            ));
        }
        let ok = *tag == "O" || tag.starts_with("B-") || tag.starts_with("I-");
        if !ok || tag.len() == 2 {
            return Err(ImportError::new(
                at(),
                format!("{tag:?} is not an IOB2 tag (O, B-LABEL or I-LABEL)"),
            ));
        }
        if let Some(label) = tag.strip_prefix("I-")
            && prev[2.min(prev.len())..] != *label
        {
            return Err(ImportError::new(
                at(),
                format!("{tag} follows {prev}; in IOB2 a span starts with B-{label}"),
            ));
        }
        prev = tag.to_string();
        sentence.push((token.to_string(), tag.to_string(), number));
    }
    if !sentence.is_empty()
        && let Some(d) = docs.last_mut()
    {
        d.push(sentence);
    }
    docs.retain(|d| !d.is_empty());
    Ok(docs)
}

/// Finds each token in `text` in order, with only white space between: the
/// token offsets (code points) if the tokens are exactly this text.
fn align(text: &str, tokens: &[&str]) -> Option<Vec<(usize, usize)>> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        while pos < chars.len() && chars[pos].is_whitespace() {
            pos += 1;
        }
        let tc: Vec<char> = t.chars().collect();
        if chars.get(pos..pos + tc.len())? != tc.as_slice() {
            return None;
        }
        out.push((pos, pos + tc.len()));
        pos += tc.len();
    }
    chars[pos..]
        .iter()
        .all(|c| c.is_whitespace())
        .then_some(out)
}

/// A hash of the characters of `chars` that are not white space: equal for a
/// text and its tokens whenever [`align`] can succeed, so each document
/// tries only the originals with its hash instead of every one.
fn content_key<'a>(chars: impl Iterator<Item = &'a str>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for c in chars.flat_map(str::chars).filter(|c| !c.is_whitespace()) {
        c.hash(&mut h);
    }
    h.finish()
}

/// Reads CoNLL/IOB2 (`token<TAB>tag` or space-separated, tag last), streaming
/// the file. The text is one of `originals` when the tokens match it
/// exactly; otherwise it is rebuilt with single spaces between tokens and a
/// line break between sentences.
pub fn read(
    path: &Path,
    originals: &[String],
) -> Result<Vec<super::imported::ImportedDoc>, super::imported::ImportError> {
    let lines = super::lines::open(path)?;
    read_lines(lines, &path.display().to_string(), originals)
}

/// [`read`] on content already read; `shown` is the file name for messages.
pub fn read_str(
    content: &str,
    shown: &str,
    originals: &[String],
) -> Result<Vec<super::imported::ImportedDoc>, super::imported::ImportError> {
    read_lines(
        super::lines::Lines::new(content.as_bytes(), shown),
        shown,
        originals,
    )
}

fn read_lines<R: std::io::BufRead>(
    lines: super::lines::Lines<R>,
    shown: &str,
    originals: &[String],
) -> Result<Vec<super::imported::ImportedDoc>, super::imported::ImportError> {
    use super::imported::{ImportedDoc, ImportedSpan};
    let stem = super::imported::stem_of(shown);
    let mut by_key: std::collections::HashMap<u64, Vec<&String>> = Default::default();
    for o in originals {
        by_key
            .entry(content_key(std::iter::once(o.as_str())))
            .or_default()
            .push(o);
    }
    let mut out = Vec::new();
    for (di, doc) in parse(lines, shown)?.into_iter().enumerate() {
        let flat: Vec<&(String, String, usize)> = doc.iter().flatten().collect();
        let tokens: Vec<&str> = flat.iter().map(|t| t.0.as_str()).collect();
        let found = by_key
            .get(&content_key(tokens.iter().copied()))
            .into_iter()
            .flatten()
            .find_map(|o| align(o, &tokens).map(|offs| ((*o).clone(), offs)));
        let (text, offsets) = match found {
            Some(x) => x,
            None => {
                let mut text = String::new();
                let mut offs = Vec::new();
                let mut pos = 0;
                for (si, sentence) in doc.iter().enumerate() {
                    if si > 0 {
                        text.push('\n');
                        pos += 1;
                    }
                    for (ti, (tok, _, _)) in sentence.iter().enumerate() {
                        if ti > 0 {
                            text.push(' ');
                            pos += 1;
                        }
                        let n = tok.chars().count();
                        offs.push((pos, pos + n));
                        text.push_str(tok);
                        pos += n;
                    }
                }
                (text, offs)
            }
        };
        let mut spans = Vec::new();
        let mut open: Option<(usize, usize, String, usize)> = None; // (start, end, label, line)
        for (i, (_, tag, line)) in flat.iter().enumerate() {
            let continues = tag
                .strip_prefix("I-")
                .is_some_and(|l| open.as_ref().is_some_and(|o| o.2 == l));
            if continues {
                if let Some(o) = open.as_mut() {
                    o.1 = offsets[i].1;
                }
                continue;
            }
            if let Some((s, e, label, line)) = open.take() {
                spans.push(ImportedSpan::new(
                    s,
                    e,
                    label,
                    format!("{shown} line {line}"),
                ));
            }
            if let Some(label) = tag.strip_prefix("B-") {
                open = Some((offsets[i].0, offsets[i].1, label.to_string(), *line));
            }
        }
        if let Some((s, e, label, line)) = open {
            spans.push(ImportedSpan::new(
                s,
                e,
                label,
                format!("{shown} line {line}"),
            ));
        }
        out.push(ImportedDoc {
            name: format!("{stem}-{}", di + 1),
            text,
            spans,
            annotator: None,
            source_file: shown.to_string(),
            unimported: Vec::new(),
            links: Default::default(),
            date: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob2_is_checked_and_text_realigned() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.conll");
        std::fs::write(
            &p,
            "-DOCSTART-\tO\n\nIn\tO\nBannu\tB-LOC\n,\tO\n\nfour\tB-COUNT\nmilitants\tI-COUNT\n",
        )
        .unwrap();
        let original = "In  Bannu,\r\nfour militants".to_string();
        let docs = read(&p, std::slice::from_ref(&original)).unwrap();
        assert_eq!(docs[0].text, original);
        let got: Vec<(usize, usize, &str)> = docs[0]
            .spans
            .iter()
            .map(|s| (s.start, s.end, s.label.as_str()))
            .collect();
        assert_eq!(got, [(4, 9, "LOC"), (12, 26, "COUNT")]);
        // Among many originals, the one whose tokens match is found.
        let mut many: Vec<String> = (0..500).map(|i| format!("In Bannu , four {i}")).collect();
        many.insert(250, original.clone());
        let docs = read(&p, &many).unwrap();
        assert_eq!(docs[0].text, original);
        let rebuilt = read(&p, &[]).unwrap();
        assert_eq!(rebuilt[0].text, "In Bannu ,\nfour militants");
        // Fuzzing regression: a line starting with a tab has an empty token.
        let err = read_str("\tB-E\n", "fuzz.conll", &[]).unwrap_err();
        assert!(
            err.to_string().contains("line 1: the token is empty"),
            "{err}"
        );
        std::fs::write(&p, "In\tO\nBannu\tI-LOC\n").unwrap();
        let err = read(&p, &[]).unwrap_err();
        assert!(err.to_string().contains("line 2: I-LOC follows O"), "{err}");
    }
}
