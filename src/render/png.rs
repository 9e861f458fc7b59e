//! A picture as PNG, drawn with vello_cpu: the same glyph outlines and
//! colour-emoji bitmaps the view rasterises.

use vello_cpu::kurbo::{Rect, Stroke};
use vello_cpu::peniko::color::AlphaColor;
use vello_cpu::{Glyph, Pixmap, RenderContext, Resources};

use super::Picture;
use crate::model::Rgb;
use crate::text_layout::ParagraphLayout;

#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error(
        "the picture is {0}×{1} pixels; a PNG here is at most 16000 high: give --from and --to"
    )]
    TooLarge(u32, u32),
    #[error("could not encode the PNG: {0}")]
    Encode(String),
}

fn rgba(c: Rgb, alpha: u8) -> AlphaColor<vello_cpu::peniko::color::Srgb> {
    AlphaColor::from_rgba8(c.0, c.1, c.2, alpha)
}

/// The picture as PNG bytes.
pub fn write(picture: &Picture) -> Result<Vec<u8>, PngError> {
    let (w, h) = (picture.width.ceil() as u32, picture.height.ceil() as u32);
    if w > 8000 || h > 16000 {
        return Err(PngError::TooLarge(w, h));
    }
    let (w16, h16) = (w as u16, h as u16);
    let mut ctx = RenderContext::new(w16, h16);
    let mut resources = Resources::new();
    ctx.set_paint(AlphaColor::from_rgba8(255, 255, 255, 255));
    ctx.fill_rect(&Rect::new(0.0, 0.0, f64::from(w), f64::from(h)));
    for hl in &picture.highlights {
        let rect = Rect::new(
            f64::from(hl.x0),
            f64::from(hl.y0),
            f64::from(hl.x1),
            f64::from(hl.y1),
        );
        if hl.nested {
            ctx.set_paint(rgba(hl.color, 230));
            ctx.set_stroke(Stroke::new(1.5));
            ctx.stroke_rect(&rect);
        } else {
            ctx.set_paint(rgba(hl.color, 90));
            ctx.fill_rect(&rect);
        }
    }
    let ink = Rgb(26, 26, 26);
    for p in &picture.paragraphs {
        draw_text(
            &mut ctx,
            &mut resources,
            picture,
            &p.layout,
            (p.x, p.y),
            ink,
        );
    }
    for tag in &picture.tags {
        let color = super::svg::darker(tag.color);
        draw_text(
            &mut ctx,
            &mut resources,
            picture,
            &tag.layout,
            (tag.x, tag.y),
            color,
        );
    }
    let mut pixmap = Pixmap::new(w16, h16);
    ctx.render(&mut pixmap, &mut resources);
    pixmap
        .into_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

fn draw_text(
    ctx: &mut RenderContext,
    resources: &mut Resources,
    picture: &Picture,
    layout: &ParagraphLayout,
    (ox, oy): (f32, f32),
    color: Rgb,
) {
    ctx.set_paint(rgba(color, 255));
    for run in layout.rows.iter().flat_map(|r| r.runs.iter()) {
        let Some(font) = picture.shaper.font(run.font) else {
            continue;
        };
        ctx.glyph_run(resources, font)
            .font_size(run.font_size)
            .hint(false)
            .fill_glyphs(run.glyphs.iter().map(|g| Glyph {
                id: g.id,
                x: ox + g.x,
                y: oy + g.y,
            }));
    }
}
