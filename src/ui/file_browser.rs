//! Spanmark's own file dialog, shown when the system has none (a bare
//! window manager or a remote session with no desktop portal and no
//! zenity). It opens with its path field focused, so a full path typed and
//! Enter is enough; the list below browses folders with the mouse. It owns
//! its state and hands back what was chosen, tagged with the caller's
//! purpose `P`; the app decides what to do with it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use eframe::egui;

use super::file_dialogs::{DialogMode, FileRequest};
use crate::io::folder_listing::{
    FolderEntry, ListingFilter, home_folder, list_folder, resolve_typed_path,
};

/// The ending added to a project saved under a name without one.
const PROJECT_ENDING: &str = ".spanmark.json";

/// What the dialog ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserOutcome<P> {
    Chosen { purpose: P, paths: Vec<PathBuf> },
    Cancelled,
}

/// The dialog, closed or open.
pub struct FileBrowser<P> {
    open: Option<OpenBrowser<P>>,
}

impl<P> Default for FileBrowser<P> {
    fn default() -> Self {
        FileBrowser { open: None }
    }
}

struct OpenBrowser<P> {
    request: FileRequest,
    purpose: P,
    folder: PathBuf,
    /// The path field: a name in `folder`, or a full path.
    typed: String,
    entries: Vec<FolderEntry>,
    /// Rows picked in the list (several only when choosing many files).
    picked: BTreeSet<usize>,
    show_all_files: bool,
    show_hidden: bool,
    problem: Option<String>,
    /// A save over an existing file waits for "Replace".
    replace: Option<PathBuf>,
    /// A typed folder that does not exist yet, offered for creating.
    create: Option<PathBuf>,
    /// The file name a save goes to, kept while the folder changes.
    save_name: String,
    focus_field: bool,
}

/// The path field's id, so tests and the app can tell it has the keyboard.
pub fn path_field_id() -> egui::Id {
    egui::Id::unique("file-browser-path")
}

impl<P: Clone> FileBrowser<P> {
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// The folder shown, while open.
    pub fn folder(&self) -> Option<&Path> {
        self.open.as_ref().map(|o| o.folder.as_path())
    }

    /// Opens the dialog for `request` in `folder` (else the home folder).
    pub fn open(&mut self, request: FileRequest, purpose: P, folder: Option<PathBuf>) {
        let folder = folder
            .filter(|f| f.is_dir())
            .or_else(home_folder)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let save_name = match &request {
            FileRequest::SaveProject { suggested } | FileRequest::SavePicture { suggested } => {
                suggested.clone()
            }
            _ => String::new(),
        };
        let typed = String::new();
        let mut open = OpenBrowser {
            request,
            purpose,
            folder: folder.clone(),
            typed,
            entries: Vec::new(),
            picked: BTreeSet::new(),
            show_all_files: false,
            show_hidden: false,
            problem: None,
            replace: None,
            create: None,
            save_name,
            focus_field: true,
        };
        open.enter(folder);
        self.open = Some(open);
    }

    /// Draws the dialog; returns its outcome once the user chose or cancelled.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<BrowserOutcome<P>> {
        let open = self.open.as_mut()?;
        let mut outcome = None;
        egui::Modal::new(egui::Id::unique("file-browser")).show(ctx, |ui| {
            outcome = open.ui(ui);
        });
        if outcome.is_none() && super::command::take_cancel(ctx) {
            outcome = Some(BrowserOutcome::Cancelled);
        }
        if outcome.is_some() {
            self.open = None;
        }
        outcome
    }
}

impl<P: Clone> OpenBrowser<P> {
    fn mode(&self) -> DialogMode {
        self.request.mode()
    }

    /// Shows `folder`'s entries (or says why they cannot be read).
    fn enter(&mut self, folder: PathBuf) {
        let filter = ListingFilter {
            extensions: match (self.show_all_files, self.request.filter()) {
                (false, Some((_, extensions))) => extensions,
                _ => Vec::new(),
            },
            show_hidden: self.show_hidden,
            folders_only: self.mode() == DialogMode::Folder,
        };
        match list_folder(&folder, &filter) {
            Ok(entries) => {
                self.entries = entries;
                self.problem = None;
            }
            Err(e) => {
                self.entries.clear();
                self.problem = Some(format!("Cannot read {}: {e}", folder.display()));
            }
        }
        if self.mode() == DialogMode::Save {
            // The file name chosen so far, in the new folder.
            self.typed = folder.join(&self.save_name).display().to_string();
        } else {
            self.typed.clear();
        }
        self.folder = folder;
        self.picked.clear();
        self.replace = None;
        self.create = None;
    }

    fn ui(&mut self, ui: &mut egui::Ui) -> Option<BrowserOutcome<P>> {
        ui.set_width(620.0);
        ui.heading(self.request.title());
        let mut confirm = false;
        let mut go_to = None;
        ui.horizontal(|ui| {
            if ui
                .button("⬆ Up")
                .on_hover_text("The folder above this one")
                .clicked()
                && let Some(parent) = self.folder.parent()
            {
                go_to = Some(parent.to_path_buf());
            }
            if ui.button("Home").clicked()
                && let Some(home) = home_folder()
            {
                go_to = Some(home);
            }
            ui.label(self.folder.display().to_string());
        });
        let field_label = match self.mode() {
            DialogMode::Save => "Save as:",
            DialogMode::Folder => "Folder:",
            _ => "File:",
        };
        ui.horizontal(|ui| {
            let caption = ui.label(field_label);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.typed)
                        .id(path_field_id())
                        .desired_width(f32::INFINITY)
                        .hint_text("a name here, or a full path"),
                )
                .labelled_by(caption.id);
            if std::mem::take(&mut self.focus_field) {
                field.request_focus();
            }
            if field.changed() {
                self.replace = None;
                self.create = None;
            }
            if field.lost_focus() && super::command::confirm_pressed(ui.ctx()) {
                confirm = true;
                field.request_focus();
            }
        });
        self.list(ui, &mut go_to, &mut confirm);
        ui.horizontal(|ui| {
            if self.mode() != DialogMode::Folder
                && ui
                    .checkbox(&mut self.show_all_files, "Show all files")
                    .changed()
            {
                go_to = Some(self.folder.clone());
            }
            if ui.checkbox(&mut self.show_hidden, "Show hidden").changed() {
                go_to = Some(self.folder.clone());
            }
        });
        if let Some(problem) = &self.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        let mut outcome = None;
        if let Some(path) = self.replace.clone() {
            ui.label(format!("{} already exists. Replace it?", path.display()));
        }
        if let Some(folder) = self.create.clone() {
            ui.horizontal(|ui| {
                ui.label(format!("There is no folder {}.", folder.display()));
                if ui.button("Create it").clicked() {
                    match std::fs::create_dir_all(&folder) {
                        Ok(()) => go_to = Some(folder.clone()),
                        Err(e) => self.problem = Some(format!("Cannot create it: {e}")),
                    }
                }
            });
        }
        ui.separator();
        ui.horizontal(|ui| {
            let action = match (self.mode(), self.replace.is_some()) {
                (DialogMode::Save, true) => "Replace",
                (DialogMode::Save, false) => "Save",
                (DialogMode::Folder, _) => "Choose this folder",
                _ => "Open",
            };
            if ui.button(action).clicked() {
                confirm = true;
            }
            if ui.button("Cancel").clicked() {
                outcome = Some(BrowserOutcome::Cancelled);
            }
        });
        if let Some(folder) = go_to {
            self.enter(folder);
        } else if confirm && outcome.is_none() {
            outcome = self.confirm();
        }
        outcome
    }

    /// The folder's entries, only the visible rows laid out.
    fn list(&mut self, ui: &mut egui::Ui, go_to: &mut Option<PathBuf>, confirm: &mut bool) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        let many = self.mode() == DialogMode::OpenMany;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            if self.entries.is_empty() && self.problem.is_none() {
                ui.weak(match self.mode() {
                    DialogMode::Folder => "No folders here",
                    _ => "No folders or matching files here",
                });
            }
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .min_scrolled_height(320.0)
                .auto_shrink([false, false])
                .show_rows(ui, row_height, self.entries.len(), |ui, rows| {
                    for row in rows {
                        let entry = &self.entries[row];
                        let text = if entry.is_dir {
                            format!("📁 {}", entry.name)
                        } else {
                            format!("📄 {}  ({})", entry.name, human_size(entry.len))
                        };
                        let picked = self.picked.contains(&row);
                        let response = ui.selectable_label(picked, text);
                        if response.double_clicked() {
                            if entry.is_dir {
                                *go_to = Some(entry.path.clone());
                            } else {
                                self.picked = BTreeSet::from([row]);
                                self.typed = entry.path.display().to_string();
                                *confirm = true;
                            }
                        } else if response.clicked() {
                            let toggle = many && ui.input(|i| i.modifiers.command);
                            if toggle && !entry.is_dir {
                                if !self.picked.remove(&row) {
                                    self.picked.insert(row);
                                }
                                self.typed.clear();
                            } else {
                                self.picked = BTreeSet::from([row]);
                                if self.mode() == DialogMode::Save && !entry.is_dir {
                                    self.save_name = entry.name.clone();
                                }
                                self.typed = match self.mode() {
                                    DialogMode::Save if !entry.is_dir => {
                                        entry.path.display().to_string()
                                    }
                                    DialogMode::Save => self.typed.clone(),
                                    _ => entry.name.clone(),
                                };
                            }
                            self.replace = None;
                        }
                    }
                });
        });
        if many && self.picked.len() > 1 {
            ui.weak(format!(
                "{} files picked ({}-click to add or remove one)",
                self.picked.len(),
                if cfg!(target_os = "macos") {
                    "Cmd"
                } else {
                    "Ctrl"
                }
            ));
        }
    }

    /// Acts on the path field (or the picked rows): a folder is entered, a
    /// file is chosen, a problem is said.
    fn confirm(&mut self) -> Option<BrowserOutcome<P>> {
        let home = home_folder();
        let typed = self.typed.trim().to_string();
        let mode = self.mode();
        if typed.is_empty() {
            return match mode {
                DialogMode::Folder => self.chosen(vec![self.folder.clone()]),
                DialogMode::OpenMany | DialogMode::OpenOne if !self.picked.is_empty() => {
                    let paths = self
                        .picked
                        .iter()
                        .filter_map(|&i| self.entries.get(i))
                        .filter(|e| !e.is_dir)
                        .map(|e| e.path.clone())
                        .collect::<Vec<_>>();
                    if paths.is_empty() {
                        None
                    } else {
                        self.chosen(paths)
                    }
                }
                _ => {
                    self.problem = Some("Type a file name, or pick one in the list".into());
                    None
                }
            };
        }
        let path = resolve_typed_path(&typed, &self.folder, home.as_deref());
        match mode {
            DialogMode::Folder => {
                if path.is_dir() {
                    self.chosen(vec![path])
                } else if path.parent().is_some_and(Path::is_dir) {
                    self.create = Some(path);
                    None
                } else {
                    self.problem = Some(format!("There is no folder {}", path.display()));
                    None
                }
            }
            DialogMode::Save => {
                if path.is_dir() {
                    self.enter(path);
                    return None;
                }
                let path = match self.request {
                    FileRequest::SavePicture { .. } => with_picture_ending(path),
                    _ => with_project_ending(path),
                };
                if let Some(name) = path.file_name() {
                    self.save_name = name.to_string_lossy().into_owned();
                }
                match path.parent() {
                    Some(parent) if parent.is_dir() => {}
                    _ => {
                        self.problem = Some(format!(
                            "There is no folder {} to save into",
                            path.parent().unwrap_or(&path).display()
                        ));
                        return None;
                    }
                }
                if path.exists() && self.replace.as_ref() != Some(&path) {
                    self.replace = Some(path);
                    return None;
                }
                self.chosen(vec![path])
            }
            DialogMode::OpenOne | DialogMode::OpenMany => {
                if path.is_dir() {
                    self.enter(path);
                    None
                } else if path.is_file() {
                    self.chosen(vec![path])
                } else {
                    self.problem = Some(format!("There is no file {}", path.display()));
                    None
                }
            }
        }
    }

    fn chosen(&self, paths: Vec<PathBuf>) -> Option<BrowserOutcome<P>> {
        Some(BrowserOutcome::Chosen {
            purpose: self.purpose.clone(),
            paths,
        })
    }
}

/// `path`, with `.spanmark.json` added when its name has no ending, as a
/// system save dialog adds the filter's ending.
fn with_project_ending(path: PathBuf) -> PathBuf {
    // "report.v2" or "Karak 12.05" are names, not endings: only .json counts.
    let is_json = path
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("json"));
    if is_json {
        return path;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(PROJECT_ENDING);
    path.with_file_name(name)
}

/// `path`, with `.png` added unless it ends in .png or .svg.
fn with_picture_ending(path: PathBuf) -> PathBuf {
    let known = path.extension().is_some_and(|e| {
        let e = e.to_string_lossy();
        e.eq_ignore_ascii_case("png") || e.eq_ignore_ascii_case("svg")
    });
    if known {
        return path;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".png");
    path.with_file_name(name)
}

fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.0} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.1} GB", bytes as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_without_an_ending_gets_the_project_ending() {
        assert_eq!(
            with_project_ending(PathBuf::from("/tmp/bannu")),
            PathBuf::from("/tmp/bannu.spanmark.json")
        );
        assert_eq!(
            with_project_ending(PathBuf::from("/tmp/bannu.json")),
            PathBuf::from("/tmp/bannu.json")
        );
        assert_eq!(
            with_project_ending(PathBuf::from("/tmp/report.v2")),
            PathBuf::from("/tmp/report.v2.spanmark.json")
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human_size(12), "12 B");
        assert_eq!(human_size(4_200), "4 kB");
        assert_eq!(human_size(3_400_000), "3.4 MB");
    }
}
