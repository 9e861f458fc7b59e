//! The frames and relations of one layer, indexed by the spans they refer
//! to, so removing a span finds what refers to it without a scan and a
//! document with 100k frames costs nothing per frame of the UI.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::frame::{Frame, FrameId, Relation, RelationId};
use super::span_id::SpanId;

/// Something that refers to a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkRef {
    Frame(FrameId),
    Relation(RelationId),
}

/// Why a frame or relation could not be added to a layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("frame id {0} is already used in this layer")]
    DuplicateFrame(FrameId),
    #[error("relation id {0} is already used in this layer")]
    DuplicateRelation(RelationId),
    #[error("no frame {0} in this layer")]
    NoFrame(FrameId),
    #[error("no relation {0} in this layer")]
    NoRelation(RelationId),
    #[error("span {0} is not in this layer")]
    NoSpan(SpanId),
}

/// Frames and relations, with the reverse index span → links.
#[derive(Debug, Clone, Default)]
pub struct Links {
    frames: BTreeMap<FrameId, Frame>,
    relations: BTreeMap<RelationId, Relation>,
    /// Each span's referrers, once per link (a span filling two roles of
    /// one frame lists the frame once).
    by_span: FxHashMap<SpanId, Vec<LinkRef>>,
}

impl PartialEq for Links {
    fn eq(&self, other: &Self) -> bool {
        self.frames == other.frames && self.relations == other.relations
    }
}
impl Eq for Links {}

impl Links {
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty() && self.relations.is_empty()
    }

    /// Frames in id order.
    pub fn frames(&self) -> impl ExactSizeIterator<Item = &Frame> {
        self.frames.values()
    }

    pub fn frame(&self, id: FrameId) -> Option<&Frame> {
        self.frames.get(&id)
    }

    /// Relations in id order.
    pub fn relations(&self) -> impl ExactSizeIterator<Item = &Relation> {
        self.relations.values()
    }

    pub fn relation(&self, id: RelationId) -> Option<&Relation> {
        self.relations.get(&id)
    }

    /// What refers to `span`, in id order.
    pub fn refs(&self, span: SpanId) -> Vec<LinkRef> {
        let mut refs = self.by_span.get(&span).cloned().unwrap_or_default();
        refs.sort_unstable();
        refs
    }

    /// Frames whose trigger is `span`.
    pub fn frames_triggered_by(&self, span: SpanId) -> impl Iterator<Item = &Frame> {
        self.refs(span)
            .into_iter()
            .filter_map(|r| match r {
                LinkRef::Frame(id) => self.frames.get(&id),
                LinkRef::Relation(_) => None,
            })
            .filter(move |f| f.trigger == span)
    }

    /// Adds a frame; `has_span` says whether a span is in the layer.
    pub fn insert_frame(
        &mut self,
        frame: Frame,
        has_span: impl Fn(SpanId) -> bool,
    ) -> Result<(), LinkError> {
        if self.frames.contains_key(&frame.id) {
            return Err(LinkError::DuplicateFrame(frame.id));
        }
        if let Some(missing) = frame.spans().find(|s| !has_span(*s)) {
            return Err(LinkError::NoSpan(missing));
        }
        self.index(LinkRef::Frame(frame.id), frame.spans());
        self.frames.insert(frame.id, frame);
        Ok(())
    }

    pub fn remove_frame(&mut self, id: FrameId) -> Option<Frame> {
        let frame = self.frames.remove(&id)?;
        self.unindex(LinkRef::Frame(id), frame.spans());
        Some(frame)
    }

    /// Puts `frame` in place of the frame with its id; returns the old one.
    pub fn replace_frame(
        &mut self,
        frame: Frame,
        has_span: impl Fn(SpanId) -> bool,
    ) -> Result<Frame, LinkError> {
        if !self.frames.contains_key(&frame.id) {
            return Err(LinkError::NoFrame(frame.id));
        }
        if let Some(missing) = frame.spans().find(|s| !has_span(*s)) {
            return Err(LinkError::NoSpan(missing));
        }
        let old = self
            .remove_frame(frame.id)
            .ok_or(LinkError::NoFrame(frame.id))?;
        self.index(LinkRef::Frame(frame.id), frame.spans());
        self.frames.insert(frame.id, frame);
        Ok(old)
    }

    pub fn insert_relation(
        &mut self,
        relation: Relation,
        has_span: impl Fn(SpanId) -> bool,
    ) -> Result<(), LinkError> {
        if self.relations.contains_key(&relation.id) {
            return Err(LinkError::DuplicateRelation(relation.id));
        }
        for s in [relation.from, relation.to] {
            if !has_span(s) {
                return Err(LinkError::NoSpan(s));
            }
        }
        self.index(
            LinkRef::Relation(relation.id),
            [relation.from, relation.to].into_iter(),
        );
        self.relations.insert(relation.id, relation);
        Ok(())
    }

    pub fn remove_relation(&mut self, id: RelationId) -> Option<Relation> {
        let relation = self.relations.remove(&id)?;
        self.unindex(
            LinkRef::Relation(id),
            [relation.from, relation.to].into_iter(),
        );
        Some(relation)
    }

    fn index(&mut self, link: LinkRef, spans: impl Iterator<Item = SpanId>) {
        for s in spans {
            let refs = self.by_span.entry(s).or_default();
            if !refs.contains(&link) {
                refs.push(link);
            }
        }
    }

    fn unindex(&mut self, link: LinkRef, spans: impl Iterator<Item = SpanId>) {
        for s in spans {
            if let Some(refs) = self.by_span.get_mut(&s) {
                refs.retain(|r| *r != link);
                if refs.is_empty() {
                    self.by_span.remove(&s);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: SpanId) -> bool {
        true
    }

    #[test]
    fn the_reverse_index_follows_inserts_replacements_and_removals() {
        let mut links = Links::default();
        let f = Frame::new(FrameId(1), SpanId(1))
            .with_slot("agent", SpanId(2))
            .with_slot("target", SpanId(2));
        links.insert_frame(f.clone(), any).unwrap();
        assert_eq!(links.refs(SpanId(2)), [LinkRef::Frame(FrameId(1))]);
        assert_eq!(
            links.insert_frame(f.clone(), any),
            Err(LinkError::DuplicateFrame(FrameId(1)))
        );
        let r = Relation {
            id: RelationId(7),
            from: SpanId(2),
            to: SpanId(3),
            kind: "same_as".into(),
            directed: false,
        };
        links.insert_relation(r, any).unwrap();
        assert_eq!(
            links.refs(SpanId(2)),
            [LinkRef::Frame(FrameId(1)), LinkRef::Relation(RelationId(7))]
        );
        let old = links
            .replace_frame(f.clone().without_span(SpanId(2)), any)
            .unwrap();
        assert_eq!(old, f);
        assert_eq!(links.refs(SpanId(2)), [LinkRef::Relation(RelationId(7))]);
        assert_eq!(links.frames_triggered_by(SpanId(1)).count(), 1);
        links.remove_relation(RelationId(7)).unwrap();
        links.remove_frame(FrameId(1)).unwrap();
        assert!(links.is_empty() && links.by_span.is_empty());
    }

    #[test]
    fn links_to_spans_not_in_the_layer_are_refused() {
        let mut links = Links::default();
        let only_1 = |s: SpanId| s == SpanId(1);
        let f = Frame::new(FrameId(1), SpanId(1)).with_slot("agent", SpanId(9));
        assert_eq!(
            links.insert_frame(f, only_1),
            Err(LinkError::NoSpan(SpanId(9)))
        );
        assert!(links.is_empty() && links.by_span.is_empty());
    }
}
