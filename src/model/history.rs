//! Undo/redo stacks of inverse commands.

use super::command::{Command, EditError};
use super::project::Project;

/// Undo history of one project. Each entry holds the command that reverses
/// a step; undoing it yields the command that redoes the step.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// One step: the command that reverses it, and what the analyst did, in
/// words. The description stays with the step across undo and redo, so the
/// Edit menu says "Undo add LOCATION", not what the stored inverse does.
#[derive(Debug, Clone)]
struct Step {
    command: Command,
    description: String,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `cmd` as a new step; clears the redo stack.
    pub fn apply(&mut self, project: &mut Project, cmd: Command) -> Result<(), EditError> {
        let description = cmd.describe();
        let inverse = cmd.apply(project)?;
        self.undo.push(Step {
            command: inverse,
            description,
        });
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last step. Returns false when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        Self::shift(project, &mut self.undo, &mut self.redo)
    }

    /// Redoes the last undone step. Returns false when there is nothing to redo.
    pub fn redo(&mut self, project: &mut Project) -> Result<bool, EditError> {
        Self::shift(project, &mut self.redo, &mut self.undo)
    }

    fn shift(
        project: &mut Project,
        from: &mut Vec<Step>,
        to: &mut Vec<Step>,
    ) -> Result<bool, EditError> {
        let Some(step) = from.pop() else {
            return Ok(false);
        };
        match step.command.clone().apply(project) {
            Ok(inverse) => {
                to.push(Step {
                    command: inverse,
                    description: step.description,
                });
                Ok(true)
            }
            Err(e) => {
                from.push(step);
                Err(e)
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    /// What undo would reverse, for the Edit menu.
    pub fn undo_description(&self) -> Option<String> {
        self.undo.last().map(|s| s.description.clone())
    }
    pub fn redo_description(&self) -> Option<String> {
        self.redo.last().map(|s| s.description.clone())
    }
    /// Number of undoable steps (a change counter for "unsaved" state is kept by the app).
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocStatus, Document, LabelSchema, LayerId, Span, SpanId};

    #[test]
    fn a_step_keeps_its_own_description_through_undo_and_redo() {
        let mut p = Project::new(LabelSchema::default());
        p.add_document(Document::new("d", "D", "In Bannu.".into()))
            .unwrap();
        let mut h = History::new();
        let span = Span::new(SpanId(1), 3, 8, "LOCATION", 9, crate::model::now()).unwrap();
        let layer = LayerId::Annotator("a".into());
        h.apply(
            &mut p,
            Command::AddSpan {
                doc: "d".into(),
                layer,
                span,
            },
        )
        .unwrap();
        assert_eq!(h.undo_description().as_deref(), Some("add LOCATION"));
        h.undo(&mut p).unwrap();
        assert_eq!(h.redo_description().as_deref(), Some("add LOCATION"));
        h.redo(&mut p).unwrap();
        assert_eq!(h.undo_description().as_deref(), Some("add LOCATION"));
        h.apply(
            &mut p,
            Command::SetStatus {
                doc: "d".into(),
                status: DocStatus::InProgress,
            },
        )
        .unwrap();
        assert_eq!(h.undo_description().as_deref(), Some("mark in progress"));
    }
}
