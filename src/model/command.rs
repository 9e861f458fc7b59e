//! Edits as data: each command applied to a project returns its inverse,
//! which is what undo/redo (see [`super::history`]) is built on.

use jiff::Timestamp;

use super::document::{DocStatus, Document, LayerId};
use super::event_schema::FrameProblem;
use super::frame::{Frame, FrameId, Relation, RelationId};
use super::frame_decision::{FrameDecision, FrameKey};
use super::layer::Layer;
use super::links::{LinkError, LinkRef};
use super::project::Project;
use super::review_record::{Decision, Provenance};
use super::schema::LabelSchema;
use super::span::{Attributes, CharOffset, Span, SpanError, SpanId};

/// One change to a span's content. The span's `modified` time is set with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanChange {
    Label(String),
    Range {
        start: CharOffset,
        end: CharOffset,
    },
    Note(String),
    Attributes(Attributes),
    /// Where a gold span came from (see [`super::review_record`]).
    Provenance(Option<Box<Provenance>>),
}

/// An undoable edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    AddSpan {
        doc: String,
        layer: LayerId,
        span: Span,
    },
    /// Removes a span; frames it triggers and relations it ends are removed
    /// with it, and slots it fills are emptied (undo restores them all).
    RemoveSpan {
        doc: String,
        layer: LayerId,
        id: SpanId,
    },
    /// Adds an event frame over spans of the layer.
    AddFrame {
        doc: String,
        layer: LayerId,
        frame: Frame,
    },
    RemoveFrame {
        doc: String,
        layer: LayerId,
        id: FrameId,
    },
    /// Puts `frame` in place of the frame with its id (a slot filled or
    /// emptied, the event type chosen).
    ReplaceFrame {
        doc: String,
        layer: LayerId,
        frame: Frame,
    },
    AddRelation {
        doc: String,
        layer: LayerId,
        relation: Relation,
    },
    RemoveRelation {
        doc: String,
        layer: LayerId,
        id: RelationId,
    },
    /// Changes one field of a span and sets its `modified` time to `at`.
    UpdateSpan {
        doc: String,
        layer: LayerId,
        id: SpanId,
        change: SpanChange,
        at: Option<Timestamp>,
    },
    SetStatus {
        doc: String,
        status: DocStatus,
    },
    /// Sets (or with `None` clears) the date a document reports on.
    SetDate {
        doc: String,
        date: Option<jiff::civil::Date>,
    },
    /// Adds a document (at `index`, or at the end).
    AddDocument {
        doc: Box<Document>,
        index: Option<usize>,
    },
    /// Removes a document with all its layers.
    RemoveDocument {
        doc: String,
    },
    /// Replaces the label schema. Refused while a span uses a label the new schema lacks.
    SetSchema(LabelSchema),
    /// Records (or with `None` withdraws) the review decision on the item
    /// whose A and B span ids are `key`.
    SetDecision {
        doc: String,
        key: (Option<SpanId>, Option<SpanId>),
        decision: Option<Decision>,
    },
    /// Records (or with `None` withdraws) the decision on the pair of
    /// events whose A and B frame ids are `key`.
    SetFrameDecision {
        doc: String,
        key: FrameKey,
        decision: Option<FrameDecision>,
    },
    /// Several commands applied in order as one step: all or nothing.
    Batch(Vec<Command>),
}

/// Why a command could not be applied. The project is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no document with id {0:?}")]
    NoDocument(String),
    #[error("document {doc:?} has no layer {layer}")]
    NoLayer { doc: String, layer: LayerId },
    #[error("layer {layer} of document {doc:?} has no span {id}")]
    NoSpan {
        doc: String,
        layer: LayerId,
        id: SpanId,
    },
    #[error("span id {0} is already in use")]
    DuplicateId(SpanId),
    #[error("label {0:?} is not in the schema")]
    UnknownLabel(String),
    #[error("a document with id {0:?} exists already")]
    DuplicateDocument(String),
    #[error("label {0:?} is still used by spans")]
    LabelInUse(String),
    #[error("layer {layer} of document {doc:?}: {error}")]
    Link {
        doc: String,
        layer: LayerId,
        error: LinkError,
    },
    #[error("{0} is open read-only")]
    ReadOnly(String),
    #[error(transparent)]
    Range(#[from] SpanError),
}

impl Command {
    /// Whether applying this changes `layer` (a removed document takes its
    /// layers with it).
    pub fn touches_layer(&self, layer: &LayerId) -> bool {
        match self {
            Command::AddSpan { layer: l, .. }
            | Command::RemoveSpan { layer: l, .. }
            | Command::UpdateSpan { layer: l, .. }
            | Command::AddFrame { layer: l, .. }
            | Command::RemoveFrame { layer: l, .. }
            | Command::ReplaceFrame { layer: l, .. }
            | Command::AddRelation { layer: l, .. }
            | Command::RemoveRelation { layer: l, .. } => l == layer,
            Command::RemoveDocument { .. } => true,
            Command::Batch(cmds) => cmds.iter().any(|c| c.touches_layer(layer)),
            _ => false,
        }
    }
    /// Short description for menus and status lines ("Undo add span").
    pub fn describe(&self) -> String {
        match self {
            Command::AddSpan { span, .. } => format!("add {}", span.label),
            Command::RemoveSpan { .. } => "remove span".into(),
            Command::AddFrame { .. } => "add event".into(),
            Command::RemoveFrame { .. } => "remove event".into(),
            Command::ReplaceFrame { .. } => "edit event".into(),
            Command::AddRelation { relation, .. } => format!("link {}", relation.kind),
            Command::RemoveRelation { .. } => "remove link".into(),
            Command::UpdateSpan { change, .. } => match change {
                SpanChange::Label(l) => format!("relabel as {l}"),
                SpanChange::Range { .. } => "resize span".into(),
                SpanChange::Note(_) => "edit note".into(),
                SpanChange::Attributes(_) => "edit attributes".into(),
                SpanChange::Provenance(_) => "set provenance".into(),
            },
            Command::SetStatus { status, .. } => format!("mark {}", status.in_words()),
            Command::SetDate { date, .. } => match date {
                Some(d) => format!("date the document {d}"),
                None => "clear the document's date".into(),
            },
            Command::SetSchema(_) => "edit labels".into(),
            Command::AddDocument { doc, .. } => format!("add document {}", doc.name),
            Command::RemoveDocument { .. } => "remove document".into(),
            Command::SetDecision { decision, .. } => match decision {
                Some(d) => d.verdict.describe().into(),
                None => "withdraw decision".into(),
            },
            Command::SetFrameDecision { decision, .. } => match decision {
                Some(d) => format!("event {}", d.verdict.describe()),
                None => "withdraw event decision".into(),
            },
            Command::Batch(cmds) => {
                // A status change that comes with an edit (the first span
                // marks the document in progress) is not what the analyst did.
                let main: Vec<&Command> = cmds
                    .iter()
                    .filter(|c| !matches!(c, Command::SetStatus { .. }))
                    .collect();
                match main.as_slice() {
                    [] => cmds.first().map_or("no change".into(), Command::describe),
                    [one] => one.describe(),
                    many if many.iter().all(|c| matches!(c, Command::AddSpan { .. })) => {
                        format!("add {} spans", many.len())
                    }
                    many => format!("{} edits", many.len()),
                }
            }
        }
    }

    /// Applies the command and returns the command that undoes it.
    /// On error nothing is changed.
    pub fn apply(self, project: &mut Project) -> Result<Command, EditError> {
        match self {
            Command::AddSpan { doc, layer, span } => {
                if !project.schema.contains(&span.label) {
                    return Err(EditError::UnknownLabel(span.label));
                }
                if project.span_id_in_use(span.id()) {
                    return Err(EditError::DuplicateId(span.id()));
                }
                let d = project
                    .document_mut(&doc)
                    .ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                span.clone()
                    .with_range(span.start(), span.end(), d.char_len())?;
                let id = span.id();
                if let Err(e) = d.layer_mut(&layer).insert(span) {
                    d.drop_layer_if_empty(&layer);
                    return Err(EditError::DuplicateId(e.0));
                }
                project.note_span_id(id);
                Ok(Command::RemoveSpan { doc, layer, id })
            }
            Command::RemoveSpan { doc, layer, id } => {
                if let Some(steps) = unlink_steps(project, &doc, &layer, id) {
                    // What refers to the span goes first, in one step with it.
                    return Command::Batch(steps).apply(project);
                }
                let d = project
                    .document_mut(&doc)
                    .ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                let removed = match d.layer_mut_existing(&layer) {
                    Some(l) => l.remove(id),
                    None => return Err(EditError::NoLayer { doc, layer }),
                };
                d.drop_layer_if_empty(&layer);
                match removed {
                    Some(span) => Ok(Command::AddSpan { doc, layer, span }),
                    None => Err(EditError::NoSpan { doc, layer, id }),
                }
            }
            Command::UpdateSpan {
                doc,
                layer,
                id,
                change,
                at,
            } => {
                if let SpanChange::Label(l) = &change
                    && !project.schema.contains(l)
                {
                    return Err(EditError::UnknownLabel(l.clone()));
                }
                let d = project
                    .document_mut(&doc)
                    .ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                let len = d.char_len();
                let Some(l) = d.layer_mut_existing(&layer) else {
                    return Err(EditError::NoLayer { doc, layer });
                };
                let Some(old) = l.get(id).cloned() else {
                    return Err(EditError::NoSpan { doc, layer, id });
                };
                let mut new = old.clone();
                let old_change = match change {
                    SpanChange::Label(label) => {
                        SpanChange::Label(std::mem::replace(&mut new.label, label))
                    }
                    SpanChange::Note(note) => SpanChange::Note(new.set_note(note)),
                    SpanChange::Attributes(a) => SpanChange::Attributes(new.set_attributes(a)),
                    SpanChange::Provenance(p) => SpanChange::Provenance(new.set_provenance(p)),
                    SpanChange::Range { start, end } => {
                        new = new.with_range(start, end, len)?;
                        SpanChange::Range {
                            start: old.start(),
                            end: old.end(),
                        }
                    }
                };
                new.modified = at;
                l.remove(id);
                l.insert(new).map_err(|e| EditError::DuplicateId(e.0))?;
                Ok(Command::UpdateSpan {
                    doc,
                    layer,
                    id,
                    change: old_change,
                    at: old.modified,
                })
            }
            Command::AddFrame { doc, layer, frame } => {
                let id = frame.id;
                layer_mut(project, &doc, &layer)?
                    .insert_frame(frame)
                    .map_err(|error| link_error(&doc, &layer, error))?;
                // Frame ids share the span counter: a later one never repeats it.
                project.note_span_id(SpanId(id.0));
                Ok(Command::RemoveFrame { doc, layer, id })
            }
            Command::RemoveFrame { doc, layer, id } => {
                match layer_mut(project, &doc, &layer)?.remove_frame(id) {
                    Some(frame) => Ok(Command::AddFrame { doc, layer, frame }),
                    None => Err(link_error(&doc, &layer, LinkError::NoFrame(id))),
                }
            }
            Command::ReplaceFrame { doc, layer, frame } => {
                let old = layer_mut(project, &doc, &layer)?
                    .replace_frame(frame)
                    .map_err(|error| link_error(&doc, &layer, error))?;
                Ok(Command::ReplaceFrame {
                    doc,
                    layer,
                    frame: old,
                })
            }
            Command::AddRelation {
                doc,
                layer,
                relation,
            } => {
                let id = relation.id;
                layer_mut(project, &doc, &layer)?
                    .insert_relation(relation)
                    .map_err(|error| link_error(&doc, &layer, error))?;
                project.note_span_id(SpanId(id.0));
                Ok(Command::RemoveRelation { doc, layer, id })
            }
            Command::RemoveRelation { doc, layer, id } => {
                match layer_mut(project, &doc, &layer)?.remove_relation(id) {
                    Some(relation) => Ok(Command::AddRelation {
                        doc,
                        layer,
                        relation,
                    }),
                    None => Err(link_error(&doc, &layer, LinkError::NoRelation(id))),
                }
            }
            Command::SetStatus { doc, status } => {
                let d = project
                    .document_mut(&doc)
                    .ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                let old = std::mem::replace(&mut d.status, status);
                Ok(Command::SetStatus { doc, status: old })
            }
            Command::SetDate { doc, date } => {
                let d = project
                    .document_mut(&doc)
                    .ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                let old = std::mem::replace(&mut d.date, date);
                Ok(Command::SetDate { doc, date: old })
            }
            Command::AddDocument { doc, index } => {
                let id = doc.id.clone();
                if project.document(&id).is_some() {
                    return Err(EditError::DuplicateDocument(id));
                }
                if let Some(label) = doc.all_layers().find_map(|(_, l)| {
                    l.labels_in_use()
                        .find(|label| !project.schema.contains(label))
                        .map(String::from)
                }) {
                    return Err(EditError::UnknownLabel(label));
                }
                let at = index
                    .unwrap_or(project.documents.len())
                    .min(project.documents.len());
                project.insert_document(at, *doc);
                Ok(Command::RemoveDocument { doc: id })
            }
            Command::RemoveDocument { doc } => {
                let index = project
                    .documents
                    .iter()
                    .position(|d| d.id == doc)
                    .ok_or(EditError::NoDocument(doc))?;
                let removed = project.documents.remove(index);
                Ok(Command::AddDocument {
                    doc: Box::new(removed),
                    index: Some(index),
                })
            }
            Command::SetSchema(schema) => {
                let used = project
                    .documents
                    .iter()
                    .flat_map(|d| d.all_layers())
                    .find_map(|(_, l)| {
                        l.labels_in_use()
                            .find(|label| !schema.contains(label))
                            .map(String::from)
                    });
                if let Some(label) = used {
                    return Err(EditError::LabelInUse(label));
                }
                let old = std::mem::replace(&mut project.schema, schema);
                Ok(Command::SetSchema(old))
            }
            Command::SetDecision { doc, key, decision } => {
                let d = project
                    .document_mut(&doc)
                    .ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                // A decision taken with A and B the other way round is the
                // same item's: it is replaced too, and comes back mirrored.
                let at = d.decisions.iter().position(|x| x.oriented(key).is_some());
                let old = at.and_then(|i| d.decisions.remove(i).oriented(key));
                if let Some(mut new) = decision {
                    (new.a, new.b) = key;
                    d.decisions.push(new);
                }
                Ok(Command::SetDecision {
                    doc,
                    key,
                    decision: old,
                })
            }
            Command::SetFrameDecision { doc, key, decision } => {
                let d = project
                    .document_mut(&doc)
                    .ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                let at = d
                    .frame_decisions
                    .iter()
                    .position(|x| x.oriented(key).is_some());
                let old = at.and_then(|i| d.frame_decisions.remove(i).oriented(key));
                if let Some(mut new) = decision {
                    (new.a, new.b) = key;
                    d.frame_decisions.push(new);
                }
                Ok(Command::SetFrameDecision {
                    doc,
                    key,
                    decision: old,
                })
            }
            Command::Batch(cmds) => {
                let mut inverses = Vec::with_capacity(cmds.len());
                for cmd in cmds {
                    match cmd.apply(project) {
                        Ok(inv) => inverses.push(inv),
                        Err(e) => {
                            roll_back(project, inverses);
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                Ok(Command::Batch(inverses))
            }
        }
    }
}

/// The layer `layer` of document `doc`, which must exist.
fn layer_mut<'a>(
    project: &'a mut Project,
    doc: &str,
    layer: &LayerId,
) -> Result<&'a mut Layer, EditError> {
    let d = project
        .document_mut(doc)
        .ok_or_else(|| EditError::NoDocument(doc.to_string()))?;
    d.layer_mut_existing(layer)
        .ok_or_else(|| EditError::NoLayer {
            doc: doc.to_string(),
            layer: layer.clone(),
        })
}

fn link_error(doc: &str, layer: &LayerId, error: LinkError) -> EditError {
    EditError::Link {
        doc: doc.to_string(),
        layer: layer.clone(),
        error,
    }
}

/// What the schema says against `frame` in layer `layer` of `doc`, with
/// the problems of the frame it would replace left out (each as often as
/// the old frame had it, so a second wrong filler still counts): a frame
/// made wrong by a later change (a relabelled filler the analyst chose to
/// keep) can still be edited. Commands apply frames and relations
/// mechanically, so undo always works; linking asks this first and refuses
/// what it returns, except a role still short of its minimum
/// ([`FrameProblem::is_incomplete`]), which is for the Done check.
pub fn new_frame_problems(
    project: &Project,
    doc: &str,
    layer: &LayerId,
    frame: &Frame,
) -> Vec<FrameProblem> {
    let Some(l) = project.document(doc).and_then(|d| d.layer(layer)) else {
        return Vec::new();
    };
    let label_of = |id: SpanId| l.get(id).map(|s| s.label.clone());
    let events = &project.schema.events;
    let mut before = l
        .frame(frame.id)
        .map(|old| events.problems(old, label_of))
        .unwrap_or_default();
    events
        .problems(frame, label_of)
        .into_iter()
        .filter(|p| match before.iter().position(|b| b == p) {
            Some(i) => {
                before.swap_remove(i);
                false
            }
            None => true,
        })
        .collect()
}

/// The steps that take away what refers to span `id` before it is
/// removed: frames it triggers, relations it ends, slots it fills; then
/// the removal itself. `None` when nothing refers to it.
fn unlink_steps(project: &Project, doc: &str, layer: &LayerId, id: SpanId) -> Option<Vec<Command>> {
    let l = project.document(doc)?.layer(layer)?;
    let refs = l.refs(id);
    if refs.is_empty() {
        return None;
    }
    let mut steps = Vec::with_capacity(refs.len() + 1);
    for r in refs {
        let (doc, layer) = (doc.to_string(), layer.clone());
        match r {
            LinkRef::Frame(f) => match l.frame(f) {
                Some(frame) if frame.trigger == id => {
                    steps.push(Command::RemoveFrame { doc, layer, id: f });
                }
                Some(frame) => steps.push(Command::ReplaceFrame {
                    doc,
                    layer,
                    frame: frame.clone().without_span(id),
                }),
                None => {}
            },
            LinkRef::Relation(r) => steps.push(Command::RemoveRelation { doc, layer, id: r }),
        }
    }
    steps.push(Command::RemoveSpan {
        doc: doc.to_string(),
        layer: layer.clone(),
        id,
    });
    Some(steps)
}

/// Undoes already-applied steps of a failed batch, newest first.
fn roll_back(project: &mut Project, inverses: Vec<Command>) {
    for inv in inverses.into_iter().rev() {
        // An inverse always applies to the state its command produced.
        let _ = inv.apply(project);
    }
}
