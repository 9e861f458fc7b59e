//! spaCy / Prodigy JSONL: one document per line with `text`, `meta`,
//! `tokens` and all `spans` (nesting kept), with token indices.
//!
//! Tokens follow spaCy's whitespace convention so that
//! `Doc(vocab, words=[t["text"]], spaces=[t["ws"]]).text == text` exactly:
//! a single space after a token is its `ws`; any other white space
//! (newlines, runs of spaces) becomes a token of its own.

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::{ExportDoc, ExportError, ExportSummary, part_name, write_file};

#[derive(Serialize)]
struct TokenOut<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    token_start: usize,
    /// Inclusive, as Prodigy writes it.
    token_end: usize,
}

#[derive(Serialize)]
struct Meta<'a> {
    name: &'a str,
    id: &'a str,
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    meta: Meta<'a>,
    tokens: Vec<TokenOut<'a>>,
    spans: Vec<SpanOut<'a>>,
}

/// spaCy-style tokens (code points) cut at every span start and end; returns
/// (start, end, ws) triples and how many word tokens were split. A single space
/// after a token becomes its `ws` unless a span starts at that space or ends
/// right after it (then the space must be a token of its own).
pub fn spacy_tokens(
    text: &str,
    starts: &[usize],
    ends: &[usize],
) -> (Vec<(usize, usize, bool)>, usize) {
    let mut edges: Vec<usize> = starts.iter().chain(ends).copied().collect();
    edges.sort_unstable();
    edges.dedup();
    let edges = edges.as_slice();
    let mut out: Vec<(usize, usize, bool)> = Vec::new();
    let mut splits = 0;
    let mut pos = 0;
    for seg in text.split_word_bounds() {
        let len = seg.chars().count();
        let (mut start, end) = (pos, pos + len);
        pos = end;
        let space = seg.chars().all(char::is_whitespace);
        if space
            && seg.starts_with(' ')
            && starts.binary_search(&start).is_err()
            && ends.binary_search(&(start + 1)).is_err()
            && let Some(last) = out.last_mut()
            && !last.2
            && last.1 == start
        {
            last.2 = true;
            start += 1;
        }
        if start == end {
            continue;
        }
        let first = edges.partition_point(|e| *e <= start);
        let cuts: Vec<usize> = edges[first..]
            .iter()
            .copied()
            .take_while(|e| *e < end)
            .collect();
        if !cuts.is_empty() && !space {
            splits += 1;
        }
        let mut from = start;
        for cut in cuts.into_iter().chain(std::iter::once(end)) {
            if cut > from {
                out.push((from, cut, false));
                from = cut;
            }
        }
    }
    (out, splits)
}

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    for (name, docs) in parts {
        let mut buf = Vec::new();
        for d in docs {
            summary.progress.tick();
            let text = d.doc.text();
            let mut starts: Vec<usize> = d.spans.iter().map(|s| s.start()).collect();
            let mut ends: Vec<usize> = d.spans.iter().map(|s| s.end()).collect();
            starts.sort_unstable();
            ends.sort_unstable();
            let (toks, splits) = spacy_tokens(text, &starts, &ends);
            summary.tokens_split += splits;
            let index = d.doc.text_index();
            let tokens: Vec<TokenOut<'_>> = toks
                .iter()
                .enumerate()
                .map(|(id, &(start, end, ws))| {
                    let r = index.byte_range(text, start, end).unwrap_or(0..0);
                    TokenOut {
                        text: &text[r],
                        start,
                        end,
                        id,
                        ws,
                    }
                })
                .collect();
            let spans = d
                .spans
                .iter()
                .filter_map(|s| {
                    let token_start = toks.binary_search_by_key(&s.start(), |t| t.0).ok()?;
                    let token_end = toks.binary_search_by_key(&s.end(), |t| t.1).ok()?;
                    Some(SpanOut {
                        start: s.start(),
                        end: s.end(),
                        label: &s.label,
                        token_start,
                        token_end,
                    })
                })
                .collect();
            let line = Line {
                text,
                meta: Meta {
                    name: &d.doc.name,
                    id: &d.doc.id,
                    fingerprint: d.doc.fingerprint(),
                },
                tokens,
                spans,
            };
            serde_json::to_writer(&mut buf, &line)
                .map_err(std::io::Error::other)
                .map_err(super::io_err(out))?;
            buf.write_all(b"\n").map_err(super::io_err(out))?;
        }
        write_file(out, &format!("{}.jsonl", part_name(name)), &buf, summary)?;
    }
    Ok(())
}

/// Reads our spaCy/Prodigy-style JSONL (`text` plus `spans` with start, end, label).
pub fn read(path: &Path) -> Result<Vec<super::import::ImportedDoc>, super::import::ImportError> {
    super::import::read_jsonl(path, line_spans)
}

/// [`read`] on bytes already read; `name` is the file name for messages.
pub fn parse(
    bytes: &[u8],
    name: &str,
) -> Result<Vec<super::import::ImportedDoc>, super::import::ImportError> {
    use super::import::{input_text, parse_jsonl};
    parse_jsonl(&input_text(bytes.to_vec(), name)?, name, line_spans)
}

fn line_spans(
    l: &super::import::JsonLine,
    stem: &str,
) -> Result<(String, Vec<super::import::ImportedSpan>), super::import::ImportError> {
    use super::import::{ImportError, ImportedSpan, check_span};
    let mut spans = Vec::new();
    for s in l.value["spans"].as_array().into_iter().flatten() {
        let (Some(a), Some(b), Some(label)) =
            (s["start"].as_i64(), s["end"].as_i64(), s["label"].as_str())
        else {
            return Err(ImportError::new(&l.at, "a span needs start, end and label"));
        };
        let (a, b) = check_span(&l.text, l.len, a, b, None, &l.at)?;
        spans.push(ImportedSpan::new(a, b, label, &l.at));
    }
    let name = l.value["meta"]["name"]
        .as_str()
        .map_or_else(|| format!("{stem}-{}", l.line), String::from);
    Ok((name, spans))
}

#[cfg(test)]
mod tests {
    use super::spacy_tokens;

    /// Rebuilds the text the way spaCy's Doc(words, spaces) does.
    fn rebuild(text: &str, toks: &[(usize, usize, bool)]) -> String {
        let chars: Vec<char> = text.chars().collect();
        toks.iter()
            .map(|&(s, e, ws)| chars[s..e].iter().collect::<String>() + if ws { " " } else { "" })
            .collect()
    }

    #[test]
    fn words_and_spaces_rebuild_the_exact_text() {
        for text in [
            "a  b\r\n🙂c d\t e\n\n",
            "  lead",
            "“Bannu” بنوں میں",
            "x \r\ny",
        ] {
            let (toks, _) = spacy_tokens(text, &[], &[]);
            assert_eq!(rebuild(text, &toks), text, "{text:?}");
        }
        // Edges cut words and are token boundaries.
        let (toks, splits) = spacy_tokens("Bannu’s police", &[0], &[5]);
        assert_eq!(toks[0], (0, 5, false));
        assert_eq!(splits, 1);
        assert_eq!(rebuild("Bannu’s police", &toks), "Bannu’s police");
        // A span ending at a word keeps the following space as `ws`, as spaCy does.
        let (toks, _) = spacy_tokens("WSSP Official said", &[0], &[4, 13]);
        assert_eq!(toks, [(0, 4, true), (5, 13, true), (14, 18, false)]);
        // A span that takes in the trailing space makes the space a token of its own.
        let (toks, _) = spacy_tokens("Bannu said", &[0], &[6]);
        assert_eq!(toks, [(0, 5, false), (5, 6, false), (6, 10, false)]);
        assert_eq!(rebuild("Bannu said", &toks), "Bannu said");
    }
}
