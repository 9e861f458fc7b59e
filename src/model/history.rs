//! Undo/redo stacks of inverse commands.

use super::command::{Command, EditError};
use super::project::Project;

/// Undo history of one project. Each entry is the command that reverses a
/// step; undoing it yields the command that redoes the step.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Command>,
    redo: Vec<Command>,
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `cmd` as a new step; clears the redo stack.
    pub fn apply(&mut self, project: &mut Project, cmd: Command) -> Result<(), EditError> {
        let inverse = cmd.apply(project)?;
        self.undo.push(inverse);
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
        from: &mut Vec<Command>,
        to: &mut Vec<Command>,
    ) -> Result<bool, EditError> {
        let Some(cmd) = from.pop() else {
            return Ok(false);
        };
        match cmd.clone().apply(project) {
            Ok(inverse) => {
                to.push(inverse);
                Ok(true)
            }
            Err(e) => {
                from.push(cmd);
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
        self.undo.last().map(Command::describe)
    }
    pub fn redo_description(&self) -> Option<String> {
        self.redo.last().map(Command::describe)
    }
    /// Number of undoable steps (a change counter for "unsaved" state is kept by the app).
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}
