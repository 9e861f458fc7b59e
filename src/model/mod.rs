//! The pure data model: documents, spans, layers, schema, project and edits.
//! Knows nothing of egui or files.

pub mod bidi;
pub mod command;
pub mod count_value;
pub mod document;
pub mod document_date;
pub mod event_schema;
pub mod event_schema_edit;
pub mod frame;
pub mod frame_decision;
pub mod history;
pub mod kwic;
pub mod layer;
pub mod lines;
pub mod links;
pub mod project;
pub mod project_diff;
pub mod review_record;
pub mod schema;
pub mod schema_edit;
pub mod search;
pub mod session;
pub mod span;
pub mod span_id;
pub mod stats;
pub mod text_index;
pub mod tokens;
pub mod word_segments;
pub mod words;

pub use command::{Command, EditError, SpanChange};
pub use count_value::count_value;
pub use document::{DocStatus, Document, LayerId, fingerprint};
pub use document_date::{DateError, find_date, parse_date};
pub use event_schema::{Cardinality, EventSchema, FrameProblem};
pub use frame::{Frame, FrameId, Relation, RelationId, Slot};
pub use frame_decision::{FrameDecision, FrameKey, FrameProvenance, SlotVerdict};
pub use history::History;
pub use layer::Layer;
pub use project::{Project, document_id_base, next_free_id, now, unique_document_id_with};
pub use review_record::{Decision, GoldSource, Provenance, Verdict};
pub use schema::{Label, LabelSchema, Rgb, label_name_problem};
pub use session::{Edge, LabelOutcome, Session};
pub use span::{Attributes, CharOffset, Span, SpanError, SpanId};
pub use text_index::TextIndex;
