//! Bringing a colleague's annotations in: their annotator layers are added to
//! this project's documents, matched by text fingerprint, never by name.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{LayerId, Project, Span};

/// What to do when a colleague's annotator name already exists here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnCollision {
    /// Refuse, with a message that names the choices.
    #[default]
    Cancel,
    /// Replace the existing layer in the matched documents.
    Replace,
    /// Keep both: the incoming layer gets a new name ("name (2)").
    KeepBoth,
}

/// Why a merge was refused. The project is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error(
        "annotator {0:?} already exists in this project; choose replace, keep both, or cancel (--on-collision replace|keep-both)"
    )]
    NameTaken(String),
    #[error("--as needs a project with exactly one annotator layer; this one has {0}")]
    AsNeedsOneLayer(String),
    #[error("the other project has no annotator layers")]
    NothingToMerge,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// (incoming name, name used here, documents, spans)
    pub layers: Vec<(String, String, usize, usize)>,
    /// One line per document that was not matched, with the reason.
    pub skipped: Vec<String>,
    pub new_labels: Vec<String>,
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (from, to, docs, spans) in &self.layers {
            let renamed = if from == to {
                String::new()
            } else {
                format!(" (as {to:?})")
            };
            writeln!(
                f,
                "added layer {from:?}{renamed}: {spans} span(s) in {docs} document(s)"
            )?;
        }
        for s in &self.skipped {
            writeln!(f, "{s}")?;
        }
        if !self.new_labels.is_empty() {
            writeln!(
                f,
                "labels not in the schema were added: {}",
                self.new_labels.join(", ")
            )?;
        }
        Ok(())
    }
}

fn short(fingerprint: &str) -> &str {
    fingerprint.get(..19).unwrap_or(fingerprint)
}

/// Adds every annotator layer of `other` to the documents of `project` with the
/// same text. `rename_as` names the incoming layer (one-layer projects only).
pub fn merge_project(
    project: &mut Project,
    other: &Project,
    rename_as: Option<&str>,
    on_collision: OnCollision,
) -> Result<MergeReport, MergeError> {
    let incoming = other.layer_names();
    if incoming.is_empty() {
        return Err(MergeError::NothingToMerge);
    }
    if rename_as.is_some() && incoming.len() != 1 {
        return Err(MergeError::AsNeedsOneLayer(incoming.join(", ")));
    }
    let existing: Vec<String> = project
        .documents
        .iter()
        .flat_map(|d| d.layers.keys().cloned())
        .collect();
    // Names taken here or already given to an incoming layer.
    let mut taken: Vec<String> = existing.clone();
    let mut next = project.clone();
    let mut report = MergeReport::default();
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for name in &incoming {
        let wanted = rename_as.map_or_else(|| name.clone(), String::from);
        let target = if existing.contains(&wanted) {
            match on_collision {
                OnCollision::Cancel => return Err(MergeError::NameTaken(wanted)),
                OnCollision::Replace => wanted,
                OnCollision::KeepBoth => (2..)
                    .map(|n| format!("{wanted} ({n})"))
                    .find(|c| !taken.contains(c))
                    .unwrap_or(wanted),
            }
        } else {
            wanted
        };
        taken.push(target.clone());
        targets.insert(name.clone(), target);
    }
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    // (document index, layer) pairs already replaced, so a second incoming
    // document with the same text adds to the layer instead of wiping it.
    let mut replaced: Vec<(usize, String)> = Vec::new();
    for od in &other.documents {
        let Some(index) = next
            .documents
            .iter()
            .position(|d| d.fingerprint() == od.fingerprint())
        else {
            let same_name = next
                .documents
                .iter()
                .find(|d| d.name == od.name || d.id == od.id);
            report.skipped.push(match same_name {
                Some(d) => format!(
                    "{}: text differs (fingerprint {} here, {} there); skipped",
                    od.name,
                    short(d.fingerprint()),
                    short(od.fingerprint())
                ),
                None => format!(
                    "{}: not in this project (fingerprint {}); skipped",
                    od.name,
                    short(od.fingerprint())
                ),
            });
            continue;
        };
        for (name, layer) in &od.layers {
            let target = &targets[name];
            let layer_id = LayerId::Annotator(target.clone());
            let mut fresh = Vec::new();
            for s in layer.iter() {
                if next.schema.ensure(&s.label) {
                    report.new_labels.push(s.label.clone());
                }
                let id = next.allocate_span_id();
                fresh.push(s.clone().with_id(id));
            }
            let doc = &mut next.documents[index];
            if on_collision == OnCollision::Replace
                && existing.contains(target)
                && !replaced.contains(&(index, target.clone()))
            {
                // Replace: the incoming layer takes the place of the existing one.
                doc.layers.remove(target);
                replaced.push((index, target.clone()));
            }
            for span in fresh {
                let _ = doc.layer_mut(&layer_id).insert(span);
            }
            doc.drop_layer_if_empty(&layer_id);
            let c = counts.entry(name.clone()).or_default();
            c.0 += 1;
            c.1 += layer.len();
        }
    }
    for (name, target) in &targets {
        if let Some((docs, spans)) = counts.get(name) {
            next.ensure_annotator(target);
            report
                .layers
                .push((name.clone(), target.clone(), *docs, *spans));
        }
    }
    *project = next;
    Ok(report)
}

/// Spans of `layer` in text order for every document, for tests and reports.
pub fn layer_spans<'a>(project: &'a Project, layer: &LayerId) -> Vec<(&'a str, &'a Span)> {
    project
        .documents
        .iter()
        .flat_map(|d| {
            d.layer(layer)
                .into_iter()
                .flat_map(|l| l.iter())
                .map(move |s| (d.id.as_str(), s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, LabelSchema};
    use jiff::Timestamp;

    fn project(annotator: &str, docs: &[(&str, &str)]) -> Project {
        let mut p = Project::new(LabelSchema::default());
        p.ensure_annotator(annotator);
        for (name, text) in docs {
            let mut d = Document::new(*name, *name, text.to_string());
            let span = Span::new(
                p.allocate_span_id(),
                0,
                5,
                "LOCATION",
                d.char_len(),
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
            d.layer_mut(&LayerId::Annotator(annotator.into()))
                .insert(span)
                .unwrap();
            p.add_document(d).unwrap();
        }
        p
    }

    #[test]
    fn matches_by_text_and_reports_the_rest() {
        let mut mine = project(
            "ayesha",
            &[("report-1", "Bannu police"), ("report-2", "Karak attack")],
        );
        let theirs = project(
            "bilal",
            &[
                ("renamed", "Bannu police"),
                ("report-2", "Karak attack!"),
                ("new", "Tank road"),
            ],
        );
        let report = merge_project(&mut mine, &theirs, None, OnCollision::Cancel).unwrap();
        assert_eq!(
            report.layers,
            [("bilal".to_string(), "bilal".to_string(), 1, 1)]
        );
        assert!(
            mine.documents[0].layers.contains_key("bilal"),
            "matched by text despite the other name"
        );
        assert!(!mine.documents[1].layers.contains_key("bilal"));
        assert!(
            report.skipped[0].starts_with("report-2: text differs (fingerprint sha256:"),
            "{:?}",
            report.skipped
        );
        assert!(
            report.skipped[1].starts_with("new: not in this project"),
            "{:?}",
            report.skipped
        );
        assert_eq!(mine.documents.len(), 2, "nothing added");
    }

    #[test]
    fn name_collisions_cancel_replace_or_keep_both() {
        let base = project("ayesha", &[("r", "Bannu police")]);
        let other = project("ayesha", &[("r", "Bannu police")]);
        let mut p = base.clone();
        assert_eq!(
            merge_project(&mut p, &other, None, OnCollision::Cancel),
            Err(MergeError::NameTaken("ayesha".into()))
        );
        assert_eq!(p, base, "unchanged");
        merge_project(&mut p, &other, None, OnCollision::Replace).unwrap();
        assert_eq!(p.documents[0].layers["ayesha"].len(), 1);
        let mut p = base.clone();
        let r = merge_project(&mut p, &other, None, OnCollision::KeepBoth).unwrap();
        assert_eq!(r.layers[0].1, "ayesha (2)");
        assert_eq!(p.documents[0].layers.len(), 2);
        let mut p = base.clone();
        merge_project(&mut p, &other, Some("colleague"), OnCollision::Cancel).unwrap();
        assert!(p.documents[0].layers.contains_key("colleague"));
    }
}
