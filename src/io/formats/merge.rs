//! Adding imported documents to a project, in one pass: documents are found
//! by fingerprint and ids checked through hash sets, so an import of 100k
//! documents is linear, not quadratic. Foreign label names go through
//! [`valid_label`], so an import can never put a name into the schema that
//! loading the project would refuse.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::{FxHashMap, FxHashSet};
use std::fmt;

use super::imported::{ImportError, ImportedDoc, Unimported};
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
    /// Event frames and relations imported.
    pub frames_and_relations: usize,
    /// Roles, event types and relation types added to the schema.
    pub schema_added: Vec<String>,
}

/// At most this many not-imported items are listed one by one in the summary.
const LISTED: usize = 50;

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "imported {} span(s)", self.spans)?;
        if self.frames_and_relations > 0 {
            writeln!(
                f,
                "imported {} event frame(s) and relation(s)",
                self.frames_and_relations
            )?;
        }
        if !self.schema_added.is_empty() {
            writeln!(f, "added to the schema: {}", self.schema_added.join(", "))?;
        }
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

/// Merges the documents `read` hands over into `project`, reading on a
/// second thread while the documents already read are merged, so the two
/// overlap on two cores. `fallback` names the layer when neither `layer`
/// nor a document names one. The project is changed only if everything was
/// read and everything fits.
pub fn merge_streamed(
    project: &mut Project,
    layer: Option<&str>,
    fallback: &str,
    map: &BTreeMap<String, String>,
    read: impl FnOnce(&mut super::imported::DocSink<'_>) -> Result<(), ImportError> + Send,
) -> Result<ImportReport, ImportError> {
    let mut next = project.clone();
    let mut merger = Merger::new(&mut next, layer, fallback, map)?;
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<ImportedDoc>>(BATCHES_AHEAD);
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            read(&mut |d| {
                batch.push(d);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    // The merger stopped (it hit an error it returns itself).
                    tx.send(full)
                        .map_err(|_| ImportError::new("import", "stopped"))?;
                }
                Ok(())
            })?;
            let _ = tx.send(batch);
            Ok(())
        });
        let merged = rx.iter().flatten().try_for_each(|d| merger.add(d));
        // Ends the reader's sends if the merge stopped early.
        drop(rx);
        let read = reader.join().unwrap_or_else(|_| {
            Err(ImportError::new(
                "import",
                "reading the files stopped unexpectedly; nothing was imported",
            ))
        });
        // A merge error is the cause of the reader's "stopped", so it goes first.
        merged.and(read)
    })?;
    let report = merger.report;
    *project = next;
    Ok(report)
}

/// Up to this many new spans in a document, duplicates are found by a scan.
const SCAN_UP_TO: usize = 16;

/// Documents per hand-over from the reader thread to the merger.
const BATCH: usize = 512;
/// Batches the reader may read ahead of the merger (bounds the memory held).
const BATCHES_AHEAD: usize = 8;

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
    let mut next = project.clone();
    let mut merger = Merger::new(&mut next, layer, fallback_layer, map)?;
    docs.into_iter().try_for_each(|d| merger.add(d))?;
    let report = merger.report;
    *project = next;
    Ok(report)
}

/// Merges documents one at a time into a project (a copy the caller keeps
/// or drops): documents are found by fingerprint and ids checked through
/// hash sets, so each document costs the same however many came before.
struct Merger<'p, 'm> {
    next: &'p mut Project,
    layer: Option<&'m str>,
    fallback_layer: &'m str,
    labels: Labels<'m>,
    report: ImportReport,
    // Fx hashing: the keys are our own fingerprints and ids, and SipHash
    // was a visible share of a 100k-document import.
    by_print: FxHashMap<String, usize>,
    ids: FxHashSet<String>,
    /// Per id base, the number to try next: 100k lines that share a name
    /// must not each try every number again.
    next_number: FxHashMap<String, usize>,
    /// One time for every span of the import: they were all made now.
    now: jiff::Timestamp,
}

impl<'p, 'm> Merger<'p, 'm> {
    fn new(
        next: &'p mut Project,
        layer: Option<&'m str>,
        fallback_layer: &'m str,
        map: &'m BTreeMap<String, String>,
    ) -> Result<Self, ImportError> {
        check_map(map)?;
        let by_print = next
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.fingerprint().to_string(), i))
            .collect();
        let ids = next.documents.iter().map(|d| d.id.clone()).collect();
        Ok(Merger {
            next,
            layer,
            fallback_layer,
            labels: Labels {
                map,
                seen: HashMap::new(),
            },
            report: ImportReport::default(),
            by_print,
            ids,
            next_number: FxHashMap::default(),
            now: crate::model::now(),
        })
    }

    fn add(&mut self, d: ImportedDoc) -> Result<(), ImportError> {
        let next = &mut *self.next;
        let report = &mut self.report;
        report.unimported.extend(d.unimported);
        let layer_name = self
            .layer
            .map(String::from)
            .or(d.annotator)
            .unwrap_or_else(|| self.fallback_layer.to_string());
        let layer_id = LayerId::Annotator(layer_name.clone());
        let dated = d
            .date
            .map(|date| (date, format!("{} document {:?}", d.source_file, d.name)));
        // The new document is made first (it fingerprints its text once);
        // if a document with that text exists, it gets the spans instead.
        let base = crate::model::document_id_base(&d.name);
        let from = self.next_number.get(&base).copied().unwrap_or(1);
        let ids = &self.ids;
        let (id, n) = crate::model::next_free_id(&base, from, |id| ids.contains(id));
        self.next_number.insert(base, n);
        let mut doc = Document::new(id, d.name, d.text);
        doc.source_file = Some(d.source_file);
        let print = doc.fingerprint().to_string();
        let existing = self.by_print.get(&print).copied();
        if let Some(slot) = existing.and_then(|i| next.documents.get_mut(i)) {
            // Taken out and put back below (a placeholder holds its place).
            doc = std::mem::replace(slot, Document::new("", "", String::new()));
        }
        let len = doc.char_len();
        let had_layer = doc.layer(&layer_id).is_some_and(|l| !l.is_empty());
        let mut fresh: Vec<Span> = Vec::with_capacity(d.spans.len());
        // The new spans by (start, end, label), made once there are many.
        let mut seen: FxHashMap<(usize, usize, String), crate::model::SpanId> =
            FxHashMap::default();
        let mut added = 0;
        // The id each imported span ended up as (new, or the same span
        // already there), so frames and relations can name them.
        let mut id_of: Vec<Option<crate::model::SpanId>> = Vec::with_capacity(d.spans.len());
        let mut labels_of: Vec<String> = Vec::with_capacity(d.spans.len());
        for s in d.spans {
            let (label, first) = self.labels.resolve(&s.label, &s.location, report)?;
            // The schema is searched once per foreign name, not per span.
            if first && next.schema.ensure(&label) {
                report.new_labels.push(label.clone());
            }
            labels_of.push(label.clone());
            let already = had_layer
                .then(|| doc.layer(&layer_id)?.find_exact(s.start, s.end, &label))
                .flatten()
                .map(|x| x.id());
            // A line rarely holds many spans: a scan of the new ones is
            // cheaper than a map, which only a long document needs (or a
            // doccano line that lists each span twice, in `label` and in
            // `entities`).
            let in_fresh = if fresh.len() <= SCAN_UP_TO {
                fresh
                    .iter()
                    .find(|f| f.start() == s.start && f.end() == s.end && f.label == label)
                    .map(|f| f.id())
            } else {
                if seen.is_empty() {
                    seen.extend(
                        fresh
                            .iter()
                            .map(|f| ((f.start(), f.end(), f.label.clone()), f.id())),
                    );
                }
                seen.get(&(s.start, s.end, label.clone())).copied()
            };
            if let Some(id) = already.or(in_fresh) {
                id_of.push(Some(id));
                continue;
            }
            let mut span = Span::new(
                next.allocate_span_id(),
                s.start,
                s.end,
                label,
                len,
                self.now,
            )
            .map_err(|e| ImportError::new(&s.location, e.to_string()))?;
            span.set_note(s.note);
            span.set_attributes(s.attributes);
            id_of.push(Some(span.id()));
            if !seen.is_empty() {
                seen.insert((span.start(), span.end(), span.label.clone()), span.id());
            }
            fresh.push(span);
            added += 1;
        }
        if had_layer {
            let layer = doc.layer_mut(&layer_id);
            for span in fresh {
                layer
                    .insert(span)
                    .map_err(|e| ImportError::new("import", e.to_string()))?;
            }
        } else if !fresh.is_empty() {
            // Built in one go: a fresh layer sized to its spans.
            let layer = crate::model::Layer::from_spans(fresh)
                .map_err(|e| ImportError::new("import", e.to_string()))?;
            doc.set_layer(&layer_id, layer);
        }
        let linked = super::merge_links::add_links(
            next, &mut doc, &layer_id, d.links, &id_of, &labels_of, report,
        )?;
        doc.drop_layer_if_empty(&layer_id);
        if let Some((date, at)) = dated {
            match doc.date {
                None => doc.date = Some(date),
                Some(here) if here != date => report.unimported.push(Unimported::new(
                    at,
                    format!("the file dates it {date}; the project's date {here} was kept"),
                )),
                Some(_) => {}
            }
        }
        if added > 0 || linked > 0 {
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
                self.ids.insert(doc.id.clone());
                self.by_print.insert(print, next.documents.len());
                // The id is new (checked through `ids`), so no search of
                // every document is needed.
                next.insert_document(next.documents.len(), doc);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::formats::import::{ImportedSpan, import_files};
    use crate::model::LabelSchema;

    fn doc(name: &str, text: &str, annotator: Option<&str>, label: &str) -> ImportedDoc {
        ImportedDoc {
            name: name.into(),
            text: text.into(),
            spans: vec![ImportedSpan::new(0, 2, label, format!("{name} line 1"))],
            annotator: annotator.map(String::from),
            source_file: "f".into(),
            unimported: vec![Unimported::new("f line 9", "a relation")],
            links: Default::default(),
            date: None,
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

    #[test]
    fn a_bad_line_after_good_ones_changes_nothing_and_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("l.jsonl");
        let mut lines = String::new();
        for i in 0..2000 {
            lines.push_str(&format!(
                "{{\"text\":\"In Bannu {i}.\",\"label\":[[3,8,\"LOCATION\"]]}}\n"
            ));
        }
        lines.push_str("{\"text\":\"x\",\"label\":[[0,9,\"LOCATION\"]]}\n");
        std::fs::write(&file, lines).unwrap();
        let mut p = Project::new(LabelSchema::default());
        let before = p.clone();
        let format = crate::io::formats::ImportFormat::Doccano;
        let err = import_files(&mut p, format, &[file], &[], None, &BTreeMap::new()).unwrap_err();
        assert!(err.location.ends_with("line 2001"), "{err}");
        assert_eq!(p, before);
    }

    #[test]
    fn a_span_listed_twice_in_a_line_is_added_once_however_many_spans_it_has() {
        for n in [3usize, 40] {
            let text = "ab ".repeat(n);
            let mut spans: Vec<ImportedSpan> = (0..n)
                .map(|i| ImportedSpan::new(3 * i, 3 * i + 2, "LOCATION", "f line 1"))
                .collect();
            spans.push(ImportedSpan::new(0, 2, "LOCATION", "f line 1"));
            spans.push(ImportedSpan::new(
                3 * (n - 1),
                3 * n - 1,
                "LOCATION",
                "f line 1",
            ));
            let d = ImportedDoc {
                name: "a".into(),
                text,
                spans,
                annotator: None,
                source_file: "f".into(),
                unimported: vec![],
                links: Default::default(),
                date: None,
            };
            let mut p = Project::new(LabelSchema::default());
            let report = merge(&mut p, vec![d], None, "file", &BTreeMap::new()).unwrap();
            assert_eq!(report.spans, n);
            assert_eq!(p.documents[0].layers["file"].len(), n);
        }
    }
}
