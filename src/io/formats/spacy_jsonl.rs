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

use super::{ExportDoc, ExportError, ExportSummary, PieceWriter, part_name, write_file_with};
use crate::model::tokens::{byte_of, cp_len, is_space};
use crate::model::word_segments::word_segments;

#[derive(Serialize)]
struct TokenOut<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

#[derive(Serialize, Clone, Copy)]
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
    /// Present (a date or null) when any document of the export is dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<serde_json::Value>,
}

/// A spaCy-style token: code points, the same range in bytes, and whether a
/// single space follows it (`whitespace_`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpacyToken {
    pub start: usize,
    pub end: usize,
    pub bytes: std::ops::Range<usize>,
    pub ws: bool,
}

/// spaCy-style tokens (code points) cut at every span start and end, handed
/// to `each` in order; returns how many word tokens were split. A single
/// space after a token becomes its `ws` unless a span starts at that space or
/// ends right after it (then the space must be a token of its own). `starts`
/// and `ends` are sorted.
pub fn spacy_tokens_each(
    text: &str,
    starts: &[usize],
    ends: &[usize],
    mut each: impl FnMut(SpacyToken) -> std::io::Result<()>,
) -> std::io::Result<usize> {
    let mut edges: Vec<usize> = starts.iter().chain(ends).copied().collect();
    edges.sort_unstable();
    edges.dedup();
    let mut pending: Option<SpacyToken> = None;
    let mut splits = 0;
    let mut pos = 0;
    let (mut next_edge, mut next_start, mut next_end) = (0, 0, 0);
    for r in word_segments(text) {
        let seg = &text[r.clone()];
        let (mut start, end) = (pos, pos + cp_len(seg));
        let mut b0 = r.start;
        pos = end;
        let space = is_space(seg);
        // Positions only grow, so pointers into the sorted starts and ends
        // replace a search per space (a cache miss per step on big layers).
        while starts.get(next_start).is_some_and(|s| *s < start) {
            next_start += 1;
        }
        while ends.get(next_end).is_some_and(|e| *e < start + 1) {
            next_end += 1;
        }
        if space
            && seg.starts_with(' ')
            && starts.get(next_start) != Some(&start)
            && ends.get(next_end) != Some(&(start + 1))
            && let Some(last) = pending.as_mut()
            && !last.ws
            && last.end == start
        {
            last.ws = true;
            start += 1;
            b0 += 1;
        }
        if start == end {
            continue;
        }
        while edges.get(next_edge).is_some_and(|e| *e <= start) {
            next_edge += 1;
        }
        let cuts = edges
            .get(next_edge..)
            .unwrap_or_default()
            .iter()
            .take_while(|e| **e < end);
        let mut from = (start, b0);
        let mut cut_any = false;
        let piece_start = start;
        let piece = &text[b0..r.end];
        for &cut in cuts {
            let b = b0 + byte_of(piece, cut - piece_start);
            if let Some(done) = pending.replace(SpacyToken {
                start: from.0,
                end: cut,
                bytes: from.1..b,
                ws: false,
            }) {
                each(done)?;
            }
            from = (cut, b);
            cut_any = true;
        }
        if cut_any && !space {
            splits += 1;
        }
        if let Some(done) = pending.replace(SpacyToken {
            start: from.0,
            end,
            bytes: from.1..r.end,
            ws: false,
        }) {
            each(done)?;
        }
    }
    if let Some(done) = pending {
        each(done)?;
    }
    Ok(splits)
}

/// [`spacy_tokens_each`] collected as (start, end, ws), with the split count.
pub fn spacy_tokens(
    text: &str,
    starts: &[usize],
    ends: &[usize],
) -> (Vec<(usize, usize, bool)>, usize) {
    let mut out = Vec::new();
    let splits = spacy_tokens_each(text, starts, ends, |t| {
        out.push((t.start, t.end, t.ws));
        Ok(())
    })
    .unwrap_or(0);
    (out, splits)
}

/// Writes one document as a JSON line, streaming its tokens.
fn write_line(
    w: &mut PieceWriter,
    d: &ExportDoc<'_>,
    dated: bool,
    summary: &mut ExportSummary,
) -> std::io::Result<()> {
    let text = d.doc.text();
    let mut starts: Vec<usize> = d.spans.iter().map(|s| s.start()).collect();
    let mut ends: Vec<usize> = d.spans.iter().map(|s| s.end()).collect();
    starts.sort_unstable();
    starts.dedup();
    ends.sort_unstable();
    ends.dedup();
    // Token number at each span start and end, found while the tokens stream.
    let (mut start_token, mut end_token) = (vec![None; starts.len()], vec![None; ends.len()]);
    let (mut si, mut ei) = (0, 0);
    w.write_all(b"{\"text\":")?;
    serde_json::to_writer(&mut *w, text)?;
    w.write_all(b",\"meta\":")?;
    let meta = Meta {
        name: &d.doc.name,
        id: &d.doc.id,
        fingerprint: d.doc.fingerprint(),
        date: dated.then(|| d.date_json()),
    };
    serde_json::to_writer(&mut *w, &meta)?;
    w.write_all(b",\"tokens\":[")?;
    let mut id = 0;
    let mut token: Vec<u8> = Vec::with_capacity(128);
    summary.tokens_split += spacy_tokens_each(text, &starts, &ends, |t| {
        while starts.get(si).is_some_and(|s| *s < t.start) {
            si += 1;
        }
        if starts.get(si) == Some(&t.start) {
            start_token[si] = Some(id);
        }
        while ends.get(ei).is_some_and(|e| *e < t.end) {
            ei += 1;
        }
        if ends.get(ei) == Some(&t.end) {
            end_token[ei] = Some(id);
        }
        // Each token into a reused buffer, then one write: serde's many
        // small writes are cheaper into a plain Vec.
        token.clear();
        if id > 0 {
            token.push(b',');
        }
        let out = TokenOut {
            text: &text[t.bytes],
            start: t.start,
            end: t.end,
            id,
            ws: t.ws,
        };
        id += 1;
        serde_json::to_writer(&mut token, &out)?;
        w.write_all(&token)
    })?;
    let at = |list: &[usize], found: &[Option<usize>], x: usize| {
        list.binary_search(&x).ok().and_then(|i| found[i])
    };
    let mut by_id = std::collections::HashMap::new();
    let spans: Vec<SpanOut<'_>> = d
        .spans
        .iter()
        .filter_map(|s| {
            let out = SpanOut {
                start: s.start(),
                end: s.end(),
                label: &s.label,
                token_start: at(&starts, &start_token, s.start())?,
                token_end: at(&ends, &end_token, s.end())?,
            };
            by_id.insert(s.id(), out);
            Some(out)
        })
        .collect();
    w.write_all(b"],\"spans\":")?;
    serde_json::to_writer(&mut *w, &spans)?;
    if !d.frames.is_empty() || d.relations().next().is_some() {
        write_relations(w, d, summary, &by_id)?;
    }
    w.write_all(b"}\n")
}

/// Prodigy's `rel.manual` shape: each relation from a head span to a child
/// span, anchored at their last tokens (`head`, `child`), with both spans
/// and the label. A frame gives one per slot from its trigger, labelled with
/// the role and naming its frame (`spanmark_frame`); `spanmark_frames` keeps
/// each frame's trigger, event type and note.
fn write_relations(
    w: &mut PieceWriter,
    d: &ExportDoc<'_>,
    summary: &mut ExportSummary,
    by_id: &std::collections::HashMap<crate::model::SpanId, SpanOut<'_>>,
) -> std::io::Result<()> {
    use serde_json::json;
    let mut relations = Vec::new();
    let mut frames = Vec::new();
    // Links to a span left out for its token boundaries cannot be written.
    let mut skipped = 0;
    let mut link = |from, to, label: &str, frame: Option<u64>| {
        let (Some(h), Some(c)) = (by_id.get(&from), by_id.get(&to)) else {
            skipped += 1;
            return;
        };
        let mut r = json!({"head": h.token_end, "child": c.token_end,
            "head_span": h, "child_span": c, "label": label});
        if let Some(f) = frame {
            r["spanmark_frame"] = json!(f);
        }
        relations.push(r);
    };
    for f in &d.frames {
        for slot in &f.slots {
            link(f.trigger, slot.span, &slot.role, Some(f.id.0));
        }
    }
    for r in d.relations() {
        link(r.from, r.to, &r.kind, None);
    }
    for f in &d.frames {
        match by_id.get(&f.trigger) {
            Some(t) => frames.push(
                json!({"id": f.id.0, "trigger": t, "event_type": f.event_type, "note": f.note}),
            ),
            None => skipped += 1,
        }
    }
    if skipped > 0 {
        summary.warnings.push(format!(
            "{skipped} event(s), slot(s) or relation(s) of {} not exported: their span was left \
             out (it does not start and end on token boundaries)",
            d.doc.id
        ));
    }
    w.write_all(b",\"relations\":")?;
    serde_json::to_writer(&mut *w, &relations)?;
    w.write_all(b",\"spanmark_frames\":")?;
    serde_json::to_writer(&mut *w, &frames)?;
    Ok(())
}

pub fn write(
    parts: &[(String, Vec<&ExportDoc<'_>>)],
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<(), ExportError> {
    let dated = super::any_dated(parts);
    for (name, docs) in parts {
        let file = format!("{}.jsonl", part_name(name));
        write_file_with(out, &file, summary, |w, summary| {
            for d in docs {
                summary.progress.tick();
                write_line(w, d, dated, summary)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Reads our spaCy/Prodigy-style JSONL (`text` plus `spans` with start, end, label).
pub fn read(
    path: &Path,
) -> Result<Vec<super::imported::ImportedDoc>, super::imported::ImportError> {
    super::imported::read_jsonl(path, line_spans)
}

/// [`read`], handing each line's document to `sink` as soon as it is read.
pub fn read_into(
    path: &Path,
    sink: &mut super::imported::DocSink<'_>,
) -> Result<(), super::imported::ImportError> {
    super::imported::read_jsonl_into(path, line_spans, sink)
}

/// [`read`] on bytes already read; `name` is the file name for messages.
pub fn parse(
    bytes: &[u8],
    name: &str,
) -> Result<Vec<super::imported::ImportedDoc>, super::imported::ImportError> {
    super::imported::parse_jsonl(bytes, name, line_spans)
}

fn line_spans(
    l: &super::imported::JsonLine,
    stem: &str,
) -> Result<super::imported::LineSpans, super::imported::ImportError> {
    use super::imported::{ImportError, ImportedSpan, check_span, json_offset};
    let mut spans = Vec::new();
    let mut left_out: Vec<super::imported::Unimported> = Vec::new();
    // spaCy's Doc.to_json() keeps entities in "ents" (character offsets);
    // Prodigy and our export use "spans".
    let spans_in = match l.array("spans")? {
        Some(a) => Some(a),
        None => l.array("ents")?,
    };
    // Prodigy marks what the annotator rejected or skipped: those spans are
    // not annotations, so they are left out, and said so.
    if let Some(answer) = l.value.get("answer").and_then(|a| a.as_str())
        && answer != "accept"
    {
        let n = spans_in.map_or(0, Vec::len);
        left_out.push(super::imported::Unimported::new(
            &l.at,
            format!("answer {answer:?}: the line's {n} span(s) were not imported (only accepted answers are)"),
        ));
        let relations = l.array("relations")?.map_or(0, Vec::len);
        if relations > 0 {
            left_out.push(super::imported::Unimported::new(
                &l.at,
                format!("answer {answer:?}: the line's {relations} relation(s) were not imported"),
            ));
        }
        let name = line_name(l, stem);
        return Ok((name, spans, left_out, Default::default()));
    }
    for s in spans_in.into_iter().flatten() {
        let (Some(a), Some(b), Some(label)) = (
            json_offset(&s["start"], &l.at)?,
            json_offset(&s["end"], &l.at)?,
            s["label"].as_str(),
        ) else {
            return Err(ImportError::new(&l.at, "a span needs start, end and label"));
        };
        let (a, b) = check_span(&l.text, l.len, a, b, None, &l.at)?;
        spans.push(ImportedSpan::new(a, b, label, &l.at));
    }
    let links = read_relations(l, &spans, &mut left_out)?;
    Ok((line_name(l, stem), spans, left_out, links))
}

/// Relations of Prodigy's `rel.manual` shape (`head_span`, `child_span`,
/// `label`) between spans of the line: ours (naming a `spanmark_frame`)
/// rebuild their frames, others are loose links. Token-only relations (a
/// dependency parse: no spans) are reported, not imported.
fn read_relations(
    l: &super::imported::JsonLine,
    spans: &[super::imported::ImportedSpan],
    left_out: &mut Vec<super::imported::Unimported>,
) -> Result<super::imported::ImportedLinks, super::imported::ImportError> {
    use super::imported::{ImportedLinks, Unimported};
    let mut links = ImportedLinks::default();
    // The line's spans by (start, end, label): a relation names both of its
    // spans, so a scan per relation would be quadratic.
    let mut index: std::collections::HashMap<(u64, u64, &str), usize> = Default::default();
    for (i, s) in spans.iter().enumerate() {
        index
            .entry((s.start as u64, s.end as u64, s.label.as_str()))
            .or_insert(i);
    }
    let find = |v: &serde_json::Value| {
        let k = (
            v["start"].as_u64()?,
            v["end"].as_u64()?,
            v["label"].as_str()?,
        );
        index.get(&k).copied()
    };
    for f in l.array("spanmark_frames")?.into_iter().flatten() {
        match (f["id"].as_i64(), find(&f["trigger"])) {
            (Some(id), Some(trigger)) => links.add_our_frame(id, trigger, f, &l.at),
            _ => left_out.push(Unimported::new(
                &l.at,
                "an event in spanmark_frames whose trigger is not a span of the line",
            )),
        }
    }
    let mut unplaced = 0;
    for r in l.array("relations")?.into_iter().flatten() {
        let (Some(from), Some(to)) = (find(&r["head_span"]), find(&r["child_span"])) else {
            unplaced += 1;
            continue;
        };
        let kind = r["label"].as_str().unwrap_or("related");
        if let Err(why) = links.add_link(r["spanmark_frame"].as_i64(), from, to, kind, &l.at) {
            left_out.push(Unimported::new(&l.at, why));
        }
    }
    if unplaced > 0 {
        left_out.push(Unimported::new(
            &l.at,
            format!(
                "{unplaced} relation(s) not between spans of the line (token relations, such as \
                 a dependency parse, are not imported)"
            ),
        ));
    }
    Ok(links)
}

/// A line's document name: its `meta.name`, else the file and line.
fn line_name(l: &super::imported::JsonLine, stem: &str) -> String {
    l.value["meta"]["name"]
        .as_str()
        .map_or_else(|| format!("{stem}-{}", l.line), String::from)
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
