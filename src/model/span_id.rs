//! A span's identity, on its own so that review records and provenance can
//! name spans without depending on the span type itself.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Identifier of a span, unique within a project and stable across saves,
/// so that review, provenance and exports can refer to a span by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SpanId(pub u64);

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
