//! Adding imported documents to a project, in one pass: documents are found
//! by fingerprint and ids checked through hash sets, so an import of 100k
//! documents is linear, not quadratic. Foreign label names go through
//! [`valid_label`], so an import can never put a name into the schema that
//! loading the project would refuse.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;

use super::import::{ImportError, ImportedDoc, Unimported};
use super::label_names::valid_label;
use crate::model::{Document, LayerId, Project, Span, label_name_problem};

/// A foreign label name that was changed into a valid one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMapping {
    pub from: String,
    pub to: String,
    /// Where it was first met ("l.jsonl line 1").
    pub location: String,
}

/// What a merge did, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub documents_added: Vec<String>,
    /// (document id, layer, spans) for spans added to existing documents.
    pub layers_added: Vec<(String, String, usize)>,
    pub spans: usize,
    pub new_labels: Vec<String>,
    /// Foreign label names mapped to valid ones, each once.
    pub label_mappings: Vec<LabelMapping>,
    /// What the files held that was not imported.
    pub unimported: Vec<Unimported>,
}

/// At most this many not-imported items are listed one by one in the summary.
const LISTED: usize = 50;

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "imported {} span(s)", self.spans)?;
        for d in &self.documents_added {
            writeln!(f, "added document {d:?}")?;
        }
        for (d, layer, n) in &self.layers_added {
            writeln!(
                f,
                "added {n} span(s) to document {d:?} as layer {layer:?} (same text)"
            )?;
        }
        for m in &self.label_mappings {
            writeln!(f, "label {:?} → {:?} ({})", m.from, m.to, m.location)?;
        }
        if !self.new_labels.is_empty() {
            writeln!(
                f,
                "labels not in the schema were added: {}",
                self.new_labels.join(", ")
            )?;
        }
        if !self.unimported.is_empty() {
            writeln!(f, "{} item(s) not imported:", self.unimported.len())?;
            for u in self.unimported.iter().take(LISTED) {
                writeln!(f, "  {}: {}", u.location, u.what)?;
            }
            if self.unimported.len() > LISTED {
                writeln!(f, "  … and {} more", self.unimported.len() - LISTED)?;
            }
        }
        Ok(())
    }
}

/// Reads `inputs` in `format` and merges them into `project`: what
/// `spanmark import` does between loading and saving. The default layer is
/// the first input's file name.
pub fn import_files(
    project: &mut Project,
    format: super::ImportFormat,
    inputs: &[std::path::PathBuf],
    originals: &[String],
    layer: Option<&str>,
    map: &BTreeMap<String, String>,
) -> Result<ImportReport, ImportError> {
    let docs = super::import::read_files(format, inputs, originals)?;
    let fallback = inputs
        .first()
        .and_then(|p| p.file_stem())
        .map_or("imported".to_string(), |s| s.to_string_lossy().into_owned());
    merge(project, docs, layer, &fallback, map)
}

/// Foreign label names resolved to the names that go into the project.
struct Labels<'m> {
    map: &'m BTreeMap<String, String>,
    seen: HashMap<String, String>,
}

impl Labels<'_> {
    /// The project label for `foreign`: `--map` first (by the foreign or the
    /// mapped name), else the valid form of the name, recording a mapping;
    /// and whether `foreign` is met for the first time.
    fn resolve(
        &mut self,
        foreign: &str,
        location: &str,
        report: &mut ImportReport,
    ) -> Result<(String, bool), ImportError> {
        if let Some(known) = self.seen.get(foreign) {
            return Ok((known.clone(), false));
        }
        let label = match self.map.get(foreign) {
            Some(to) => to.clone(),
            None => {
                let valid = valid_label(foreign).map_err(|m| ImportError::new(location, m))?;
                if valid != foreign {
                    report.label_mappings.push(LabelMapping {
                        from: foreign.to_string(),
                        to: valid.to_string(),
                        location: location.to_string(),
                    });
                }
                self.map
                    .get(valid.as_ref())
                    .cloned()
                    .unwrap_or(valid.into())
            }
        };
        self.seen.insert(foreign.to_string(), label.clone());
        Ok((label, true))
    }
}

/// Refuses a `--map` whose new name is not a valid label name.
fn check_map(map: &BTreeMap<String, String>) -> Result<(), ImportError> {
    for (old, new) in map {
        if let Some(problem) = label_name_problem(new) {
            return Err(ImportError::new(
                format!("--map \"{}={}\"", old.escape_debug(), new.escape_debug()),
                format!("{problem}; the new name must be a valid label name"),
            ));
        }
    }
    Ok(())
}

/// Adds imported documents to the project. `layer` overrides the layer name
/// (default: the annotator named in the file, else `fallback_layer`);
/// `map` renames labels. The project is changed only if everything fits.
pub fn merge(
    project: &mut Project,
    docs: Vec<ImportedDoc>,
    layer: Option<&str>,
    fallback_layer: &str,
    map: &BTreeMap<String, String>,
) -> Result<ImportReport, ImportError> {
    check_map(map)?;
    let mut next = project.clone();
    let mut report = ImportReport::default();
    let mut labels = Labels {
        map,
        seen: HashMap::new(),
    };
    // Fx hashing: the keys are our own fingerprints and ids, and SipHash
    // was a visible share of a 100k-document import.
    let mut by_print: FxHashMap<String, usize> = next
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.fingerprint().to_string(), i))
        .collect();
    let mut ids: FxHashSet<String> = next.documents.iter().map(|d| d.id.clone()).collect();
    let mut next_number: FxHashMap<String, usize> = FxHashMap::default();
    for d in docs {
        report.unimported.extend(d.unimported);
        let layer_name = layer
            .map(String::from)
            .or(d.annotator.clone())
            .unwrap_or_else(|| fallback_layer.to_string());
        let layer_id = LayerId::Annotator(layer_name.clone());
        // The new document is made first (it fingerprints its text once);
        // if a document with that text exists, it gets the spans instead.
        // Per id base, the number to try next: 100k lines that share a
        // name must not each try every number again.
        let base = crate::model::document_id_base(&d.name);
        let from = next_number.get(&base).copied().unwrap_or(1);
        let (id, n) = crate::model::next_free_id(&base, from, |id| ids.contains(id));
        next_number.insert(base, n);
        let mut doc = Document::new(id, d.name, d.text);
        doc.source_file = Some(d.source_file);
        let print = doc.fingerprint().to_string();
        let existing = by_print.get(&print).copied();
        if let Some(slot) = existing.and_then(|i| next.documents.get_mut(i)) {
            // Taken out and put back below (a placeholder holds its place).
            doc = std::mem::replace(slot, Document::new("", "", String::new()));
        }
        let len = doc.char_len();
        let mut added = 0;
        for s in d.spans {
            let (label, first) = labels.resolve(&s.label, &s.location, &mut report)?;
            // The schema is searched once per foreign name, not per span.
            if first && next.schema.ensure(&label) {
                report.new_labels.push(label.clone());
            }
            let already = doc
                .layer(&layer_id)
                .and_then(|l| l.find_exact(s.start, s.end, &label))
                .is_some();
            if already {
                continue;
            }
            let mut span = Span::new(
                next.allocate_span_id(),
                s.start,
                s.end,
                label,
                len,
                crate::model::now(),
            )
            .map_err(|e| ImportError::new(&s.location, e.to_string()))?;
            span.set_note(s.note);
            span.set_attributes(s.attributes);
            doc.layer_mut(&layer_id)
                .insert(span)
                .map_err(|e| ImportError::new(&s.location, e.to_string()))?;
            added += 1;
        }
        doc.drop_layer_if_empty(&layer_id);
        if added > 0 {
            next.ensure_annotator(&layer_name);
        }
        report.spans += added;
        match existing.and_then(|i| next.documents.get_mut(i)) {
            Some(slot) => {
                report
                    .layers_added
                    .push((doc.id.clone(), layer_name, added));
                *slot = doc;
            }
            None => {
                report.documents_added.push(doc.id.clone());
                ids.insert(doc.id.clone());
                by_print.insert(print, next.documents.len());
                // The id is new (checked through `ids`), so no search of
                // every document is needed.
                next.insert_document(next.documents.len(), doc);
            }
        }
    }
    *project = next;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::formats::import::ImportedSpan;
    use crate::model::LabelSchema;

    fn doc(name: &str, text: &str, annotator: Option<&str>, label: &str) -> ImportedDoc {
        ImportedDoc {
            name: name.into(),
            text: text.into(),
            spans: vec![ImportedSpan::new(0, 2, label, format!("{name} line 1"))],
            annotator: annotator.map(String::from),
            source_file: "f".into(),
            unimported: vec![Unimported::new("f line 9", "a relation")],
        }
    }

    #[test]
    fn same_texts_in_one_import_join_one_document_and_names_get_unique_ids() {
        let mut p = Project::new(LabelSchema::default());
        let docs = vec![
            doc("a", "“B” 🙂", Some("x"), "LOCATION"),
            doc("a", "“B” 🙂", Some("y"), "Place Name"),
            doc("a", "بنوں", None, "Place Name"),
        ];
        let report = merge(&mut p, docs, None, "file", &BTreeMap::new()).unwrap();
        let ids: Vec<&str> = p.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2"]);
        let layers: Vec<&String> = p.documents[0].layers.keys().collect();
        assert_eq!(layers, ["x", "y"]);
        assert_eq!(p.documents[1].layers["file"].len(), 1);
        // One mapping, reported where it was first met; all reports kept.
        assert_eq!(
            report.label_mappings,
            [LabelMapping {
                from: "Place Name".into(),
                to: "Place_Name".into(),
                location: "a line 1".into()
            }]
        );
        assert_eq!(report.unimported.len(), 3);
        assert!(p.schema.contains("Place_Name"));
        // A second import of the same file adds nothing new.
        let again = merge(
            &mut p,
            vec![doc("a", "بنوں", None, "Place Name")],
            None,
            "file",
            &BTreeMap::new(),
        )
        .unwrap();
        assert_eq!((again.spans, p.documents.len()), (0, 2));
    }

    #[test]
    fn many_documents_of_one_name_get_ids_in_turn() {
        let mut p = Project::new(LabelSchema::default());
        p.add_document(Document::new("doc-3", "x", "x".into()))
            .unwrap();
        let docs = (0..5000)
            .map(|i| doc("Doc", &format!("text {i}"), None, "LOCATION"))
            .collect();
        merge(&mut p, docs, None, "file", &BTreeMap::new()).unwrap();
        let ids: Vec<&str> = p.documents.iter().map(|d| d.id.as_str()).take(5).collect();
        assert_eq!(ids, ["doc-3", "doc", "doc-2", "doc-4", "doc-5"]);
        let unique: FxHashSet<&str> = p.documents.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(unique.len(), 5001);
    }
}
