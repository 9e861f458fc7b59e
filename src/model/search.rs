//! Finding text in documents (plain or regex, case, whole word) and turning
//! matches into spans: "label all matches" and the propagation offer.

use std::ops::Range;

use regex::{Regex, RegexBuilder};

use super::command::Command;
use super::document::{Document, LayerId};
use super::project::{Project, now};
use super::span::{CharOffset, Span};

/// What to look for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    pub regex: bool,
    pub case_sensitive: bool,
    pub whole_word: bool,
}

/// A query that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid pattern: {0}")]
pub struct SearchError(String);

/// Largest compiled pattern accepted (guards against pathological regexes).
const REGEX_SIZE_LIMIT: usize = 1 << 22;

impl SearchQuery {
    /// A plain, case-sensitive, whole-word query for `text` (used for propagation).
    pub fn exact_word(text: &str) -> Self {
        SearchQuery {
            text: text.to_string(),
            regex: false,
            case_sensitive: true,
            whole_word: true,
        }
    }

    fn compile(&self) -> Result<Option<Regex>, SearchError> {
        if self.text.is_empty() {
            return Ok(None);
        }
        let pattern = if self.regex {
            self.text.clone()
        } else {
            regex::escape(&self.text)
        };
        RegexBuilder::new(&pattern)
            .case_insensitive(!self.case_sensitive)
            .multi_line(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map(Some)
            .map_err(|e| SearchError(e.to_string()))
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// All non-empty, non-overlapping matches in `doc`, as code-point ranges in text order.
pub fn find_all(
    doc: &Document,
    query: &SearchQuery,
) -> Result<Vec<Range<CharOffset>>, SearchError> {
    let Some(re) = query.compile()? else {
        return Ok(Vec::new());
    };
    let text = doc.text();
    let mut out = Vec::new();
    // Convert byte offsets to code points incrementally: matches come in order.
    let (mut last_byte, mut last_char) = (0usize, 0usize);
    for m in re.find_iter(text) {
        if m.start() == m.end() {
            continue;
        }
        if query.whole_word {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let first = m.as_str().chars().next();
            let last = m.as_str().chars().next_back();
            let cut_before = before.is_some_and(is_word_char) && first.is_some_and(is_word_char);
            let cut_after = after.is_some_and(is_word_char) && last.is_some_and(is_word_char);
            if cut_before || cut_after {
                continue;
            }
        }
        let start = last_char + text[last_byte..m.start()].chars().count();
        let end = start + m.as_str().chars().count();
        (last_byte, last_char) = (m.end(), end);
        out.push(start..end);
    }
    Ok(out)
}

/// One batch that labels every given range, skipping ranges that already carry
/// this label in the layer (and repeats within the list). `None` if nothing is new.
pub fn label_ranges(
    project: &mut Project,
    doc_id: &str,
    layer: &LayerId,
    ranges: &[Range<CharOffset>],
    label: &str,
) -> Vec<Command> {
    let Some(doc) = project.document(doc_id) else {
        return Vec::new();
    };
    let existing = doc.layer(layer);
    let len = doc.char_len();
    let mut fresh: Vec<Range<CharOffset>> = ranges
        .iter()
        .filter(|r| {
            existing
                .and_then(|l| l.find_exact(r.start, r.end, label))
                .is_none()
        })
        .cloned()
        .collect();
    fresh.sort_by_key(|r| (r.start, r.end));
    fresh.dedup();
    let at = now();
    fresh
        .into_iter()
        .filter_map(|r| {
            let span =
                Span::new(project.allocate_span_id(), r.start, r.end, label, len, at).ok()?;
            Some(Command::AddSpan {
                doc: doc_id.to_string(),
                layer: layer.clone(),
                span,
            })
        })
        .collect()
}

/// Other places in `doc` with exactly the text of `[start, end)` (whole words,
/// case-sensitive) that do not carry `label` yet: what the propagation offer proposes.
pub fn other_occurrences(
    doc: &Document,
    layer: &LayerId,
    start: CharOffset,
    end: CharOffset,
    label: &str,
) -> Vec<Range<CharOffset>> {
    let Some(text) = doc.slice(start, end) else {
        return Vec::new();
    };
    let Ok(hits) = find_all(doc, &SearchQuery::exact_word(text)) else {
        return Vec::new();
    };
    let l = doc.layer(layer);
    hits.into_iter()
        .filter(|r| r.start != start || r.end != end)
        .filter(|r| {
            l.and_then(|l| l.find_exact(r.start, r.end, label))
                .is_none()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelSchema;

    fn doc(t: &str) -> Document {
        Document::new("d", "d", t.to_string())
    }

    fn texts(d: &Document, q: &SearchQuery) -> Vec<String> {
        find_all(d, q)
            .unwrap()
            .iter()
            .map(|r| d.slice(r.start, r.end).unwrap().to_string())
            .collect()
    }

    #[test]
    fn plain_case_and_whole_word() {
        let d = doc("🙂Bannu, bannu and Bannuwal; “Bannu”");
        let q = SearchQuery {
            text: "bannu".into(),
            ..Default::default()
        };
        assert_eq!(texts(&d, &q), ["Bannu", "bannu", "Bannu", "Bannu"]);
        let q = SearchQuery {
            text: "Bannu".into(),
            case_sensitive: true,
            whole_word: true,
            regex: false,
        };
        assert_eq!(find_all(&d, &q).unwrap(), [1..6, 29..34]);
        let q = SearchQuery {
            text: "a.d".into(),
            ..Default::default()
        };
        assert!(
            find_all(&d, &q).unwrap().is_empty(),
            "plain text is not a pattern"
        );
    }

    #[test]
    fn regex_and_errors() {
        let d = doc("four militants, 15 militants; three bodies");
        let q = SearchQuery {
            text: r"\w+ militants".into(),
            regex: true,
            ..Default::default()
        };
        assert_eq!(texts(&d, &q), ["four militants", "15 militants"]);
        let bad = SearchQuery {
            text: "(".into(),
            regex: true,
            ..Default::default()
        };
        assert!(find_all(&d, &bad).is_err());
        let empty = SearchQuery {
            text: "x*".into(),
            regex: true,
            ..Default::default()
        };
        assert!(find_all(&d, &empty).unwrap().is_empty());
    }

    #[test]
    fn label_ranges_skips_existing_and_repeats() {
        let mut p = Project::new(LabelSchema::default());
        p.add_document(doc("Bannu and Bannu and Bannu")).unwrap();
        let layer = LayerId::Annotator("a".into());
        let bannu: Range<CharOffset> = 0..5;
        let first = label_ranges(
            &mut p,
            "d",
            &layer,
            std::slice::from_ref(&bannu),
            "LOCATION",
        );
        Command::Batch(first).apply(&mut p).unwrap();
        let d = p.document("d").unwrap();
        let hits = find_all(d, &SearchQuery::exact_word("Bannu")).unwrap();
        let mut ranges = hits.clone();
        ranges.push(10..15);
        let cmds = label_ranges(&mut p, "d", &layer, &ranges, "LOCATION");
        assert_eq!(cmds.len(), 2);
        Command::Batch(cmds).apply(&mut p).unwrap();
        assert_eq!(p.document("d").unwrap().layer(&layer).unwrap().len(), 3);
        let d = p.document("d").unwrap();
        assert!(other_occurrences(d, &layer, 0, 5, "LOCATION").is_empty());
        assert_eq!(other_occurrences(d, &layer, 0, 5, "ACTOR").len(), 2);
    }
}
