//! A labelled, half-open range of Unicode code points in one document's text.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::review_record::Provenance;

/// Code-point offset into a document's text. Never a byte offset.
pub type CharOffset = usize;

pub use super::span_id::SpanId;

/// Free-form key/value attributes of a span (e.g. a COUNT's numeric `value`).
/// A `BTreeMap` keeps the saved order deterministic.
pub type Attributes = BTreeMap<String, String>;

/// Sort key of a span in text order: by start, then outer (longer) first,
/// then id. Kept inside [`Span`] so that layer indexes can order spans
/// without storing the range twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SpanKey {
    pub(crate) start: CharOffset,
    pub(crate) end: CharOffset,
    pub(crate) id: SpanId,
}

impl SpanKey {
    /// The smallest key with this start.
    pub(crate) fn first_at(start: CharOffset) -> Self {
        SpanKey {
            start,
            end: CharOffset::MAX,
            id: SpanId(0),
        }
    }
}

impl Ord for SpanKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.start
            .cmp(&other.start)
            .then_with(|| other.end.cmp(&self.end))
            .then_with(|| self.id.cmp(&other.id))
    }
}
impl PartialOrd for SpanKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Why a span could not be constructed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("empty or reversed span: start {start} is not before end {end}")]
    Empty { start: CharOffset, end: CharOffset },
    #[error("span end {end} is past the end of the text ({len} code points)")]
    PastEnd { end: CharOffset, len: CharOffset },
}

/// Checks a code-point range against a text of `text_len` code points.
pub fn check_range(
    start: CharOffset,
    end: CharOffset,
    text_len: CharOffset,
) -> Result<(), SpanError> {
    if start >= end {
        return Err(SpanError::Empty { start, end });
    }
    if end > text_len {
        return Err(SpanError::PastEnd { end, len: text_len });
    }
    Ok(())
}

/// One annotation. Its range is only set through [`Span::new`] and
/// [`Span::with_range`], so an empty or out-of-text span cannot exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    key: SpanKey,
    pub label: String,
    /// When the span was made; `None` for spans imported without a time.
    pub created: Option<Timestamp>,
    /// When the span last changed; `None` for spans imported without a time.
    pub modified: Option<Timestamp>,
    /// Note, attributes and provenance: most spans have none, so they are
    /// boxed and absent (`None`) when all are empty. That keeps a span small
    /// (a project can hold millions) and its equality exact.
    extra: Option<Box<SpanExtra>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct SpanExtra {
    note: String,
    attributes: Attributes,
    provenance: Option<Box<Provenance>>,
}

impl SpanExtra {
    fn is_empty(&self) -> bool {
        self.note.is_empty() && self.attributes.is_empty() && self.provenance.is_none()
    }
}

/// What [`Span::attributes`] returns for a span without attributes.
static NO_ATTRIBUTES: Attributes = Attributes::new();

impl Span {
    /// A new span on a text of `text_len` code points, created and modified at `now`.
    pub fn new(
        id: SpanId,
        start: CharOffset,
        end: CharOffset,
        label: impl Into<String>,
        text_len: CharOffset,
        now: Timestamp,
    ) -> Result<Self, SpanError> {
        check_range(start, end, text_len)?;
        Ok(Span {
            key: SpanKey { start, end, id },
            label: label.into(),
            created: Some(now),
            modified: Some(now),
            extra: None,
        })
    }

    /// The same span moved to another range (checked like [`Span::new`]).
    pub fn with_range(
        mut self,
        start: CharOffset,
        end: CharOffset,
        text_len: CharOffset,
    ) -> Result<Self, SpanError> {
        check_range(start, end, text_len)?;
        self.key.start = start;
        self.key.end = end;
        Ok(self)
    }

    /// The same span under another id (used when copying spans between layers).
    pub fn with_id(mut self, id: SpanId) -> Self {
        self.key.id = id;
        self
    }

    pub fn id(&self) -> SpanId {
        self.key.id
    }

    /// The analyst's note ("" for none).
    pub fn note(&self) -> &str {
        self.extra.as_ref().map_or("", |e| e.note.as_str())
    }
    /// Free key/value attributes (e.g. a COUNT's `value`).
    pub fn attributes(&self) -> &Attributes {
        self.extra
            .as_ref()
            .map_or(&NO_ATTRIBUTES, |e| &e.attributes)
    }
    /// Gold spans only: where the span came from.
    pub fn provenance(&self) -> Option<&Provenance> {
        self.extra.as_ref().and_then(|e| e.provenance.as_deref())
    }

    /// Sets the note; returns the old one.
    pub fn set_note(&mut self, note: String) -> String {
        if note.is_empty() && self.extra.is_none() {
            return note;
        }
        self.edit_extra(|e| std::mem::replace(&mut e.note, note))
    }
    /// Sets all attributes; returns the old ones.
    pub fn set_attributes(&mut self, attributes: Attributes) -> Attributes {
        if attributes.is_empty() && self.extra.is_none() {
            return attributes;
        }
        self.edit_extra(|e| std::mem::replace(&mut e.attributes, attributes))
    }
    /// Sets one attribute; returns its old value.
    pub fn set_attribute(&mut self, key: String, value: String) -> Option<String> {
        self.edit_extra(|e| e.attributes.insert(key, value))
    }
    /// Sets the provenance; returns the old one.
    pub fn set_provenance(&mut self, p: Option<Box<Provenance>>) -> Option<Box<Provenance>> {
        if p.is_none() && self.extra.is_none() {
            return None;
        }
        self.edit_extra(|e| std::mem::replace(&mut e.provenance, p))
    }

    /// Changes the extras, keeping `extra` absent when they are all empty.
    fn edit_extra<R>(&mut self, f: impl FnOnce(&mut SpanExtra) -> R) -> R {
        let mut extra = self.extra.take().unwrap_or_default();
        let out = f(&mut extra);
        if !extra.is_empty() {
            self.extra = Some(extra);
        }
        out
    }
    pub fn start(&self) -> CharOffset {
        self.key.start
    }
    pub fn end(&self) -> CharOffset {
        self.key.end
    }
    pub(crate) fn key(&self) -> SpanKey {
        self.key
    }
    pub(crate) fn key_ref(&self) -> &SpanKey {
        &self.key
    }
    /// Length in code points (always ≥ 1).
    pub fn len(&self) -> CharOffset {
        self.key.end - self.key.start
    }
    /// Always false: spans are never empty. Present for API symmetry with `len`.
    pub fn is_empty(&self) -> bool {
        false
    }
    pub fn range(&self) -> std::ops::Range<CharOffset> {
        self.key.start..self.key.end
    }
    /// True when both spans cover the same range with the same label.
    pub fn same_annotation(&self, other: &Span) -> bool {
        self.key.start == other.key.start
            && self.key.end == other.key.end
            && self.label == other.label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_past_end_spans_cannot_be_built() {
        let now = Timestamp::UNIX_EPOCH;
        assert_eq!(
            Span::new(SpanId(1), 3, 3, "X", 10, now),
            Err(SpanError::Empty { start: 3, end: 3 })
        );
        assert_eq!(
            Span::new(SpanId(1), 4, 3, "X", 10, now),
            Err(SpanError::Empty { start: 4, end: 3 })
        );
        assert_eq!(
            Span::new(SpanId(1), 4, 11, "X", 10, now),
            Err(SpanError::PastEnd { end: 11, len: 10 })
        );
        let s = Span::new(SpanId(1), 0, 10, "X", 10, now).unwrap();
        assert_eq!(s.len(), 10);
        assert!(s.clone().with_range(5, 5, 10).is_err());
    }
}
