//! A document: the exact original text plus one span layer per annotator.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::frame_decision::FrameDecision;
use super::layer::Layer;
use super::review_record::Decision;
use super::span::CharOffset;
use super::text_index::TextIndex;

/// Work state of a document, shown in the document list and used by `--only-done`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    #[default]
    Todo,
    InProgress,
    Done,
}

impl DocStatus {
    /// As the analyst reads it ("in progress"), for menus and messages.
    pub fn in_words(self) -> &'static str {
        match self {
            DocStatus::Todo => "to do",
            DocStatus::InProgress => "in progress",
            DocStatus::Done => "done",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Todo => "todo",
            DocStatus::InProgress => "in_progress",
            DocStatus::Done => "done",
        }
    }
}

impl fmt::Display for DocStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which layer of a document: an annotator's, or the adjudicated gold layer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerId {
    Annotator(String),
    Gold,
}

impl fmt::Display for LayerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerId::Annotator(name) => f.write_str(name),
            LayerId::Gold => f.write_str("gold"),
        }
    }
}

/// `sha256:<hex>` of the UTF-8 text: identifies a text across projects and
/// tools, so a colleague's copy is matched by content, not by name.
pub fn fingerprint(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    // By table, not `format!` per byte: an import fingerprints every
    // document, and 32 small strings each were a sixth of its time.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// One text with its annotations. The text never changes after creation;
/// spans refer to it by code-point offsets.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    /// Name shown to the analyst.
    pub name: String,
    /// File name the text was imported from (no folder), if any.
    pub source_file: Option<String>,
    pub status: DocStatus,
    /// The day the article reports on, if the analyst gave it: exported
    /// events take it as their `event_date` (see [`super::document_date`]).
    pub date: Option<jiff::civil::Date>,
    /// Shared (never changes), so a project snapshot for a worker costs no copy.
    text: Arc<String>,
    fingerprint: String,
    index: Arc<TextIndex>,
    /// Annotator name → layer.
    pub layers: BTreeMap<String, Layer>,
    /// Adjudicated spans, once review starts.
    pub gold: Option<Layer>,
    /// The reviewer's decisions on differences between layers.
    pub decisions: Vec<Decision>,
    /// The reviewer's decisions on events compared between layers.
    pub frame_decisions: Vec<FrameDecision>,
    /// Counts changes made through [`super::Project::document_mut`] (every
    /// command goes through it), so views can cache per-document results.
    /// Not part of the document's value.
    edits: u64,
}

impl PartialEq for Document {
    fn eq(&self, o: &Self) -> bool {
        self.id == o.id
            && self.name == o.name
            && self.source_file == o.source_file
            && self.status == o.status
            && self.date == o.date
            && self.text == o.text
            && self.layers == o.layers
            && self.gold == o.gold
            && self.decisions == o.decisions
            && self.frame_decisions == o.frame_decisions
    }
}
impl Eq for Document {}

impl Document {
    /// A new document holding `text` exactly as given.
    pub fn new(id: impl Into<String>, name: impl Into<String>, text: String) -> Self {
        // On a long text the fingerprint and the index each take a while:
        // compute them side by side.
        let (fingerprint, index) = if text.len() >= 1 << 20 {
            std::thread::scope(|scope| {
                let index = scope.spawn(|| TextIndex::new(&text));
                let fingerprint = fingerprint(&text);
                let index = index.join().unwrap_or_else(|_| TextIndex::new(&text));
                (fingerprint, index)
            })
        } else {
            (fingerprint(&text), TextIndex::new(&text))
        };
        Document {
            id: id.into(),
            name: name.into(),
            source_file: None,
            status: DocStatus::Todo,
            date: None,
            text: Arc::new(text),
            fingerprint,
            index: Arc::new(index),
            layers: BTreeMap::new(),
            gold: None,
            decisions: Vec::new(),
            frame_decisions: Vec::new(),
            edits: 0,
        }
    }

    /// A number that changes whenever the document is edited through the
    /// project (see the field); equal numbers mean nothing changed.
    pub fn edits(&self) -> u64 {
        self.edits
    }
    pub(crate) fn note_edit(&mut self) {
        self.edits = self.edits.wrapping_add(1);
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
    /// Text length in code points.
    pub fn char_len(&self) -> CharOffset {
        self.index.char_len()
    }
    pub fn text_index(&self) -> &TextIndex {
        &self.index
    }

    /// The text of code points `[start, end)`, or `None` if out of range.
    pub fn slice(&self, start: CharOffset, end: CharOffset) -> Option<&str> {
        let r = self.index.byte_range(&self.text, start, end)?;
        self.text.get(r)
    }

    /// Byte offset of a code point (for slicing inside the process only).
    pub fn byte_of_char(&self, c: CharOffset) -> Option<usize> {
        self.index.byte_of_char(&self.text, c)
    }
    /// Code point at a byte offset that is a char boundary.
    pub fn char_of_byte(&self, b: usize) -> Option<CharOffset> {
        self.index.char_of_byte(&self.text, b)
    }

    pub fn layer(&self, id: &LayerId) -> Option<&Layer> {
        match id {
            LayerId::Annotator(name) => self.layers.get(name),
            LayerId::Gold => self.gold.as_ref(),
        }
    }

    /// The layer, created empty if missing (drop it again with
    /// [`Document::drop_layer_if_empty`] if nothing is added).
    pub fn layer_mut(&mut self, id: &LayerId) -> &mut Layer {
        match id {
            LayerId::Annotator(name) => self.layers.entry(name.clone()).or_default(),
            LayerId::Gold => self.gold.get_or_insert_with(Layer::default),
        }
    }

    /// Puts `layer` in place of the layer `id` (an empty one removes it).
    pub fn set_layer(&mut self, id: &LayerId, layer: Layer) {
        let slot = match id {
            LayerId::Annotator(name) => {
                if layer.is_empty() {
                    self.layers.remove(name);
                    return;
                }
                self.layers.entry(name.clone()).or_default()
            }
            LayerId::Gold => self.gold.get_or_insert_with(Layer::default),
        };
        *slot = layer;
        self.drop_layer_if_empty(id);
    }

    /// The layer if it exists.
    pub fn layer_mut_existing(&mut self, id: &LayerId) -> Option<&mut Layer> {
        match id {
            LayerId::Annotator(name) => self.layers.get_mut(name),
            LayerId::Gold => self.gold.as_mut(),
        }
    }

    /// Drops the layer if it holds no spans. Layers are never kept empty, so that
    /// adding a span and undoing it leaves the document exactly as it was.
    pub fn drop_layer_if_empty(&mut self, id: &LayerId) {
        match id {
            LayerId::Annotator(name) => {
                if self.layers.get(name).is_some_and(Layer::is_empty) {
                    self.layers.remove(name);
                }
            }
            LayerId::Gold => {
                if self.gold.as_ref().is_some_and(Layer::is_empty) {
                    self.gold = None;
                }
            }
        }
    }

    /// All layers with their ids: annotators in name order, then gold.
    pub fn all_layers(&self) -> impl Iterator<Item = (LayerId, &Layer)> {
        self.layers
            .iter()
            .map(|(n, l)| (LayerId::Annotator(n.clone()), l))
            .chain(self.gold.iter().map(|l| (LayerId::Gold, l)))
    }

    /// Total spans over all layers.
    pub fn span_count(&self) -> usize {
        self.all_layers().map(|(_, l)| l.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_sha256_of_utf8() {
        // sha256("abc"), a standard test vector
        assert_eq!(
            fingerprint("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn slice_uses_code_points() {
        let d = Document::new("d", "d", "“Bannu” 🙂 بنوں".to_string());
        assert_eq!(d.slice(1, 6), Some("Bannu"));
        assert_eq!(d.slice(10, 14), Some("بنوں"));
        assert_eq!(d.slice(10, 15), None);
        assert_eq!(d.char_len(), 14);
    }
}
