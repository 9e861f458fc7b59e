//! `spanmark render`: a document with its spans as an SVG or PNG picture.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Outcome;
use super::output::{errln, outln};
use crate::io::formats::{LayerChoice, resolve_layer};
use crate::io::load_project;
use crate::model::bidi::DirectionChoice;
use crate::render::{Picture, PictureOptions, png, svg};
use crate::text_layout::{ArabicFont, TextStyle};

/// What `spanmark render` was asked to do.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    pub project: PathBuf,
    /// The document, by name or id.
    #[arg(long)]
    pub doc: String,
    /// The layer to draw: an annotator's name, or gold. Default: gold if
    /// any, else the only layer.
    #[arg(long)]
    pub layer: Option<String>,
    /// Picture width in pixels.
    #[arg(long, default_value_t = 800.0)]
    pub width: f32,
    /// First code point to draw (default: the start).
    #[arg(long)]
    pub from: Option<usize>,
    /// Code point to stop before (default: the end).
    #[arg(long)]
    pub to: Option<usize>,
    /// Text size in pixels.
    #[arg(long, default_value_t = 16.0)]
    pub size: f32,
    /// The font for Arabic-script text.
    #[arg(long, default_value = "naskh", value_parser = ["naskh", "nastaliq"])]
    pub arabic_font: String,
    /// Paragraph direction: from the text, or forced.
    #[arg(long, default_value = "auto", value_parser = ["auto", "ltr", "rtl"])]
    pub direction: String,
    /// FILE.svg or FILE.png.
    #[arg(long)]
    pub out: PathBuf,
}

pub(super) fn render(args: &RenderArgs) -> Result<Outcome> {
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let as_png = match ext.as_deref() {
        Some("svg") => false,
        Some("png") => true,
        _ => {
            errln!(
                "error: --out must end in .svg or .png: {}",
                args.out.display()
            );
            return Ok(Outcome::Usage);
        }
    };
    if !(4.0..=200.0).contains(&args.size) {
        bail!("--size {} is not a text size (4 to 200 pixels)", args.size);
    }
    let project =
        load_project(&args.project).with_context(|| args.project.display().to_string())?;
    let Some(doc) = project
        .documents
        .iter()
        .find(|d| d.name == args.doc)
        .or_else(|| project.documents.iter().find(|d| d.id == args.doc))
    else {
        let names: Vec<&str> = project.documents.iter().map(|d| d.name.as_str()).collect();
        bail!(
            "no document {:?} in {}; it has: {}",
            args.doc,
            args.project.display(),
            names.join(", ")
        );
    };
    let choice = match args.layer.as_deref() {
        None => LayerChoice::Auto,
        Some("gold") => LayerChoice::Gold,
        Some(name) => LayerChoice::Annotator(name.to_string()),
    };
    // A project with no spans at all still renders (its text).
    let layer_id = match resolve_layer(&project, &choice) {
        Ok(id) => Some(id),
        Err(_) if args.layer.is_none() && project.layer_names().is_empty() => None,
        Err(e) => return Err(e.into()),
    };
    let layer = layer_id.as_ref().and_then(|id| doc.layer(id));
    let len = doc.char_len();
    let range = match (args.from, args.to) {
        (None, None) => None,
        (from, to) => Some(from.unwrap_or(0)..to.unwrap_or(len)),
    };
    let options = PictureOptions {
        width: args.width,
        range,
        style: TextStyle {
            font_size: args.size,
            arabic: if args.arabic_font == "nastaliq" {
                ArabicFont::Nastaliq
            } else {
                ArabicFont::Naskh
            },
        },
        direction: match args.direction.as_str() {
            "ltr" => DirectionChoice::Ltr,
            "rtl" => DirectionChoice::Rtl,
            _ => DirectionChoice::Auto,
        },
    };
    let picture = Picture::new(doc, layer, &project.schema, &options)?;
    let bytes = if as_png {
        png::write(&picture)?
    } else {
        svg::write(&picture).into_bytes()
    };
    std::fs::write(&args.out, bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    outln!(
        "wrote {} ({}×{} px, {} spans)",
        args.out.display(),
        picture.width.ceil(),
        picture.height.ceil(),
        picture.tags.len()
    );
    Ok(Outcome::Ok)
}
