//! A project: label schema, annotators and documents, as saved in one file.

use jiff::Timestamp;

use super::document::Document;
use super::schema::LabelSchema;
use super::span::SpanId;

/// Everything one project file holds.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub schema: LabelSchema,
    /// Annotator names with a layer somewhere in the project, in order of arrival.
    pub annotators: Vec<String>,
    /// Who annotates by default when the user's settings name no one.
    pub default_annotator: Option<String>,
    pub documents: Vec<Document>,
    /// Next free span id; derived from the spans, never saved.
    next_span_id: u64,
}

impl PartialEq for Project {
    fn eq(&self, o: &Self) -> bool {
        self.schema == o.schema
            && self.annotators == o.annotators
            && self.default_annotator == o.default_annotator
            && self.documents == o.documents
    }
}
impl Eq for Project {}

/// The current time rounded to whole seconds, as stored in span timestamps.
pub fn now() -> Timestamp {
    let t = Timestamp::now();
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

impl Project {
    pub fn new(schema: LabelSchema) -> Self {
        Project {
            schema,
            ..Default::default()
        }
    }

    pub fn document(&self, id: &str) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }
    /// The document for changing it; marks it as edited (see [`Document::edits`]).
    pub fn document_mut(&mut self, id: &str) -> Option<&mut Document> {
        let d = self.documents.iter_mut().find(|d| d.id == id)?;
        d.note_edit();
        Some(d)
    }
    pub fn document_by_fingerprint(&self, fingerprint: &str) -> Option<&Document> {
        self.documents
            .iter()
            .find(|d| d.fingerprint() == fingerprint)
    }

    /// A document id derived from `name` that no document uses yet:
    /// lower-case letters, digits and `-`, with `-2`, `-3`… on collision.
    pub fn unique_document_id(&self, name: &str) -> String {
        self.unique_document_id_besides(name, |_| false)
    }

    /// Like [`Project::unique_document_id`], also avoiding ids for which `taken` is true.
    pub fn unique_document_id_besides(&self, name: &str, taken: impl Fn(&str) -> bool) -> String {
        unique_document_id_with(name, |id| self.document(id).is_some() || taken(id))
    }

    /// Adds a document; its id must be new.
    pub fn add_document(&mut self, doc: Document) -> Result<(), String> {
        if self.document(&doc.id).is_some() {
            return Err(format!("a document with id {:?} already exists", doc.id));
        }
        self.note_ids_of(&doc);
        self.documents.push(doc);
        Ok(())
    }

    /// Moves the id counter past every id in `doc`: spans, and the frames
    /// and relations that draw from the same counter.
    fn note_ids_of(&mut self, doc: &Document) {
        for layer in doc.all_layers().map(|(_, l)| l) {
            for s in layer.iter() {
                self.note_span_id(s.id());
            }
            for f in layer.frames() {
                self.note_span_id(SpanId(f.id.0));
            }
            for r in layer.links().relations() {
                self.note_span_id(SpanId(r.id.0));
            }
        }
    }

    /// Inserts a document at `index` (ids must have been checked by the caller).
    pub(crate) fn insert_document(&mut self, index: usize, doc: Document) {
        self.note_ids_of(&doc);
        self.documents.insert(index.min(self.documents.len()), doc);
    }

    /// Registers an annotator name (idempotent).
    pub fn ensure_annotator(&mut self, name: &str) {
        if !self.annotators.iter().any(|a| a == name) {
            self.annotators.push(name.to_string());
        }
    }

    /// A span id no span in this project uses.
    pub fn allocate_span_id(&mut self) -> SpanId {
        let id = SpanId(self.next_span_id.max(1));
        self.next_span_id = id.0 + 1;
        id
    }

    /// A fresh frame id. Frames draw from the same counter as spans, so ids
    /// Spanmark makes name one thing in the whole project (a file from
    /// elsewhere need only keep frame ids unique within a layer).
    pub fn allocate_frame_id(&mut self) -> crate::model::FrameId {
        crate::model::FrameId(self.allocate_span_id().0)
    }

    /// A fresh relation id (from the same counter as spans and frames).
    pub fn allocate_relation_id(&mut self) -> crate::model::RelationId {
        crate::model::RelationId(self.allocate_span_id().0)
    }

    /// True if any span of any document and layer has this id.
    pub fn span_id_in_use(&self, id: SpanId) -> bool {
        // Ids at or above the allocation mark were never handed out.
        id.0 < self.next_span_id
            && self
                .documents
                .iter()
                .any(|d| d.all_layers().any(|(_, l)| l.contains_id(id)))
    }

    /// Records that `id` is taken, so allocation skips it.
    pub fn note_span_id(&mut self, id: SpanId) {
        self.next_span_id = self.next_span_id.max(id.0.saturating_add(1));
    }

    /// Annotator layer names that hold spans somewhere in the project, sorted.
    pub fn layer_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .documents
            .iter()
            .flat_map(|d| d.layers.keys().cloned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Total spans over all documents and layers.
    pub fn span_count(&self) -> usize {
        self.documents.iter().map(Document::span_count).sum()
    }
}

/// The id [`Project::unique_document_id`] derives from `name` when `taken`
/// says which ids are in use: callers adding many documents check a hash
/// set instead of searching every document for each id.
pub fn unique_document_id_with(name: &str, taken: impl Fn(&str) -> bool) -> String {
    next_free_id(&document_id_base(name), 1, taken).0
}

/// The id base of `name`: lower-case letters, digits and single `-`s, or `doc`.
pub fn document_id_base(name: &str) -> String {
    let base: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if base.is_empty() {
        "doc".to_string()
    } else {
        base
    }
}

/// The first of `base` (number 1), `base-2`, `base-3`… from number `from`
/// on that is not `taken`, with its number: a caller adding many documents
/// of one name goes on from there instead of trying every number again.
pub fn next_free_id(base: &str, from: usize, taken: impl Fn(&str) -> bool) -> (String, usize) {
    let mut n = from.max(1);
    loop {
        let id = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        if !taken(&id) {
            return (id, n);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_are_slugs_and_unique() {
        let mut p = Project::new(LabelSchema::default());
        assert_eq!(
            p.unique_document_id("KP WSSP (abduction).txt"),
            "kp-wssp-abduction-txt"
        );
        p.add_document(Document::new("a", "a", "x".into())).unwrap();
        assert_eq!(p.unique_document_id("A"), "a-2");
        assert_eq!(p.unique_document_id("…"), "doc");
        assert!(p.add_document(Document::new("a", "b", "y".into())).is_err());
    }

    #[test]
    fn span_ids_are_never_reused() {
        let mut p = Project::default();
        let a = p.allocate_span_id();
        p.note_span_id(SpanId(10));
        let b = p.allocate_span_id();
        assert_eq!((a, b), (SpanId(1), SpanId(11)));
    }
}
