//! The egui app: a thin view over [`crate::model::Session`].

pub mod app;
mod autosave;
pub mod command;
mod command_palette;
mod dialogs;
pub mod document_date_dialog;
mod documents_panel;
mod event_panel;
mod event_schema_editor;
pub mod export_dialog;
pub mod file_browser;
pub mod file_dialogs;
mod fonts;
pub mod import_dialog;
pub mod jobs;
mod keys;
pub mod label_all_preview;
mod labels_panel;
mod menu;
pub mod palette;
pub mod panels;
mod propagation;
pub mod review;
mod schema_editor;
mod search_bar;
mod status_bar;
pub mod text_view;
pub mod when;

use std::path::PathBuf;

use eframe::egui;

pub use app::SpanmarkApp;

use crate::model::{LabelSchema, Project};

/// Points scrolled per wheel line: about three rows of text at the default
/// size, as browsers and word processors scroll (egui's 40 read as slow
/// for long documents: a notch moved one or two rows). Rows leave room
/// above their text for event arcs, so a row is about 30 points.
pub const LINE_SCROLL_POINTS: f32 = 90.0;

/// Sets up fonts on a context (the app and the UI tests both call this).
/// Documents may hold any character, so a glyph no font has is drawn as a
/// box rather than stopping the app.
pub fn setup_context(ctx: &egui::Context) {
    ctx.set_missing_glyph_policy(egui::MissingGlyphPolicy::Tofu);
    fonts::install(ctx);
    palette::install(ctx);
    ctx.options_mut(|o| o.input_options.line_scroll_speed = LINE_SCROLL_POINTS);
}

/// Opens the app window on `project` (`path` is `None` for an untitled project).
pub fn run_app(
    project: Project,
    path: Option<PathBuf>,
    dirs: Option<crate::io::settings::AppDirs>,
) -> eframe::Result {
    start_window(move || SpanmarkApp::new(project, path), dirs)
}

/// Opens the app window on the bundled sample: untitled, on its
/// annotator's layer, read-only until the analyst starts a layer of their own.
pub fn run_sample_app(
    project: Project,
    dirs: Option<crate::io::settings::AppDirs>,
) -> eframe::Result {
    start_window(move || SpanmarkApp::new(project, None).as_sample(), dirs)
}

/// Opens the app window at once and the project at `path` in it, read on a
/// worker with its progress shown.
pub fn run_app_opening(
    path: PathBuf,
    dirs: Option<crate::io::settings::AppDirs>,
) -> eframe::Result {
    start_window(
        move || SpanmarkApp::new(Project::new(LabelSchema::default()), None).opening(path),
        dirs,
    )
}

/// Opens the app window with a new untitled project made from the text
/// file at `path` (`spanmark article.txt`), read on a worker.
pub fn run_app_from_text(
    path: PathBuf,
    dirs: Option<crate::io::settings::AppDirs>,
) -> eframe::Result {
    start_window(
        move || {
            SpanmarkApp::new(Project::new(LabelSchema::default()), None).new_from_texts(vec![path])
        },
        dirs,
    )
}

fn start_window(
    make: impl FnOnce() -> SpanmarkApp + 'static,
    dirs: Option<crate::io::settings::AppDirs>,
) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1280.0, 800.0])
            .with_title("Spanmark"),
        ..Default::default()
    };
    eframe::run_native(
        "Spanmark",
        options,
        Box::new(move |_cc| {
            let app = make();
            Ok(Box::new(match dirs {
                Some(dirs) => app.with_dirs(dirs),
                None => app,
            }))
        }),
    )
}
