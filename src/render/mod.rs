//! Pictures of annotated text for reports (`spanmark render`, File → Export
//! picture…): the document as the view shows it, with span highlights and
//! label tags, laid out by [`crate::text_layout`] like the view itself.
//!
//! [`Picture`] is the laid-out scene; [`svg`] writes it as machine-readable
//! SVG (every visual run and every highlight piece carries its code-point
//! range) and [`png`] rasterises it with the same glyph rasteriser as the view.

pub mod png;
mod scene;
pub mod svg;

pub use scene::{Highlight, Picture, PictureOptions, PlacedParagraph, RenderError, Tag};
