//! Per-document and per-layer span counts, as shown by `spanmark stats`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::document::DocStatus;
use super::project::Project;

/// Span counts of one layer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerStats {
    pub spans: usize,
    pub per_label: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentStats {
    pub id: String,
    pub name: String,
    pub status: DocStatus,
    pub code_points: usize,
    /// Layer name (annotator, or `gold`) → counts.
    pub layers: BTreeMap<String, LayerStats>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectStats {
    pub documents: Vec<DocumentStats>,
    /// Status → number of documents.
    pub status: BTreeMap<DocStatus, usize>,
    /// Layer name → counts over all documents.
    pub layers: BTreeMap<String, LayerStats>,
    pub labels: Vec<String>,
}

impl LayerStats {
    fn add(&mut self, label: &str, n: usize) {
        self.spans += n;
        *self.per_label.entry(label.to_string()).or_default() += n;
    }
}

/// Counts spans per label per layer, per document and in total.
pub fn project_stats(project: &Project) -> ProjectStats {
    let mut totals: BTreeMap<String, LayerStats> = BTreeMap::new();
    let mut status = BTreeMap::new();
    let documents = project
        .documents
        .iter()
        .map(|d| {
            *status.entry(d.status).or_default() += 1;
            let mut layers = BTreeMap::new();
            for (id, layer) in d.all_layers() {
                let mut ls = LayerStats::default();
                for s in layer.iter() {
                    ls.add(&s.label, 1);
                }
                let total = totals.entry(id.to_string()).or_default();
                for (label, n) in &ls.per_label {
                    total.add(label, *n);
                }
                layers.insert(id.to_string(), ls);
            }
            DocumentStats {
                id: d.id.clone(),
                name: d.name.clone(),
                status: d.status,
                code_points: d.char_len(),
                layers,
            }
        })
        .collect();
    ProjectStats {
        documents,
        status,
        layers: totals,
        labels: project.schema.names().map(String::from).collect(),
    }
}
