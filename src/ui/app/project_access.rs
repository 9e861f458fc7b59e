//! Whether this window may write its project file. A project another writer
//! holds (a colleague's app on a shared drive, a `spanmark add` running)
//! opens read-only with a banner naming them; Save then goes to Save as…,
//! so nobody's work is overwritten.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use eframe::egui;

use super::SpanmarkApp;
use crate::io::lock::{Holder, LockError, ProjectLock};

/// What this window may do with its project file.
#[derive(Debug, Default, Clone)]
pub enum ProjectAccess {
    /// No file (untitled), or none tried yet.
    #[default]
    NoFile,
    /// This window holds the file's lock: it is the one writer.
    Editing(Arc<ProjectLock>),
    /// Another writer holds it: this window reads it and saves elsewhere.
    ReadOnly { holder: Option<Holder> },
}

impl ProjectAccess {
    /// Tries the lock on `path` without waiting: editing if had, else read-only.
    pub fn take(path: &Path, holder: &Holder) -> (ProjectAccess, Option<String>) {
        match ProjectLock::acquire(path, holder, Duration::ZERO) {
            Ok(lock) => {
                let note = lock.taken_over.as_ref().map(|stale| {
                    format!("Took over the lock left by {stale}, which is no longer running")
                });
                (ProjectAccess::Editing(Arc::new(lock)), note)
            }
            Err(LockError::Held { holder, .. }) => (
                ProjectAccess::ReadOnly {
                    holder: holder.map(|h| *h),
                },
                None,
            ),
            Err(e @ LockError::Io { .. }) => (
                ProjectAccess::ReadOnly { holder: None },
                Some(format!("Opened read-only: {e}")),
            ),
        }
    }

    pub fn is_read_only(&self) -> bool {
        matches!(self, ProjectAccess::ReadOnly { .. })
    }

    /// The held lock, if it is for `path`.
    pub fn lock_for(&self, path: &Path) -> Option<Arc<ProjectLock>> {
        match self {
            ProjectAccess::Editing(lock) if lock.covers(path) => Some(lock.clone()),
            _ => None,
        }
    }

    /// The banner text for a read-only project.
    pub fn banner(&self) -> Option<String> {
        let ProjectAccess::ReadOnly { holder } = self else {
            return None;
        };
        Some(match holder {
            Some(h) => format!(
                "Opened read-only: {} is editing it on {} (since {}).",
                h.user.escape_debug(),
                h.host.escape_debug(),
                h.since_text()
            ),
            None => "Opened read-only: another program is editing it.".to_string(),
        })
    }
}

impl SpanmarkApp {
    /// Who this window is, in a lock file.
    pub(super) fn lock_holder(&self) -> Holder {
        Holder::this_process(self.session.annotator(), "Spanmark app")
    }

    /// Takes (or fails to take) the lock on the file now shown.
    pub(super) fn take_access(&mut self, ctx: Option<&egui::Context>) {
        self.access = ProjectAccess::NoFile;
        let Some(path) = self.path.clone() else {
            return;
        };
        let (access, note) = ProjectAccess::take(&path, &self.lock_holder());
        self.access = access;
        if let (Some(ctx), Some(note)) = (ctx, note) {
            self.set_status(ctx, note);
        }
    }

    /// True while another writer holds the project file.
    pub fn is_read_only(&self) -> bool {
        self.access.is_read_only()
    }
}

/// The read-only banner under the menu, with what can be done about it.
pub fn show_banner(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let Some(text) = app.access.banner() else {
        return;
    };
    let ctx = ui.ctx().clone();
    egui::Panel::top("read-only").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let warn = ui.visuals().warn_fg_color;
            ui.label(egui::RichText::new("🔒").strong().color(warn));
            ui.label(egui::RichText::new(text).strong().color(warn));
            ui.label("Your changes here are kept until you save them under another name.");
            if ui.button("Save as…").clicked() {
                app.save_as(&ctx);
            }
            if ui
                .button("Try again")
                .on_hover_text("Edit the file here if the other writer has let go of it")
                .clicked()
            {
                app.take_access(Some(&ctx));
                if !app.is_read_only() {
                    // The file may have changed meanwhile: the save checks it.
                    app.set_status(&ctx, "You can now save to this file");
                }
            }
        });
    });
}
