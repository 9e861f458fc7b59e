//! File → Export picture…: the lines holding the selection (or the lines on
//! screen) drawn as PNG or SVG by [`crate::render`], on a worker, with the
//! view's text size, Urdu font and reading direction.

use std::ops::Range;
use std::path::PathBuf;

use eframe::egui;

use super::SpanmarkApp;
use super::file_requests::FilePurpose;
use super::job_output::JobOutput;
use crate::model::CharOffset;
use crate::model::lines::whole_lines;
use crate::render::{Picture, PictureOptions, png, svg};
use crate::text_layout::TextStyle;
use crate::ui::file_dialogs::FileRequest;
use crate::ui::jobs::JobKind;

/// Pictures are this wide, in pixels (a page column in a report).
const PICTURE_WIDTH: f32 = 900.0;

impl SpanmarkApp {
    /// Asks where to save a picture of the open document.
    pub(super) fn ask_export_picture(&mut self, ctx: &egui::Context) {
        let Some(doc) = self.session.document() else {
            return;
        };
        let stem: String = doc
            .name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let request = FileRequest::SavePicture {
            suggested: format!("{stem}.png"),
        };
        self.ask_for_files(ctx, request, FilePurpose::ExportPicture);
    }

    /// The part of the text a picture shows: the whole lines that hold the
    /// selection or the selected span, else the lines on screen.
    fn picture_range(&self) -> Option<Range<CharOffset>> {
        let doc = self.session.document()?;
        let picked = self.session.selection().or_else(|| {
            let layer = doc.layer(&self.session.layer_id())?;
            layer
                .get(self.session.selected_span_id()?)
                .map(|s| s.range())
        });
        let range = picked.or_else(|| self.view.visible_range())?;
        Some(whole_lines(doc, range))
    }

    /// Draws the picture into `path` (.svg, else PNG) on a worker.
    pub(super) fn export_picture_to(&mut self, ctx: &egui::Context, path: PathBuf) {
        let (Some(doc), Some(range)) = (self.session.document(), self.picture_range()) else {
            return;
        };
        let doc = doc.clone();
        let layer = doc.layer(&self.session.layer_id()).cloned();
        let schema = self.session.project.schema.clone();
        let options = PictureOptions {
            width: PICTURE_WIDTH,
            range: Some(range),
            style: TextStyle {
                font_size: self.ui.font_size,
                arabic: self.ui.arabic_font,
            },
            direction: self.document_direction(&doc),
        };
        self.jobs
            .spawn(ctx, JobKind::Picture, "Exporting a picture", move |_| {
                JobOutput::Picture(write_picture(
                    &doc,
                    layer.as_ref(),
                    &schema,
                    &options,
                    &path,
                ))
            });
    }
}

fn write_picture(
    doc: &crate::model::Document,
    layer: Option<&crate::model::Layer>,
    schema: &crate::model::LabelSchema,
    options: &PictureOptions,
    path: &std::path::Path,
) -> Result<String, String> {
    let picture = Picture::new(doc, layer, schema, options).map_err(|e| e.to_string())?;
    let is_svg = path
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("svg"));
    let bytes = if is_svg {
        svg::write(&picture).into_bytes()
    } else {
        png::write(&picture).map_err(|e| e.to_string())?
    };
    crate::io::atomic::write_atomic(path, &bytes)
        .map_err(|e| format!("Could not write {}: {e}", path.display()))?;
    Ok(format!(
        "Picture saved: {} ({}×{} px)",
        path.display(),
        picture.width.ceil(),
        picture.height.ceil()
    ))
}
