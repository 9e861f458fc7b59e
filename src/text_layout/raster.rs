//! Glyphs to pixels with vello_cpu, the rasteriser egui already builds:
//! outlines as coverage, and colour glyphs (the emoji font's bitmaps, COLR)
//! in colour. The view caches the images in a texture atlas; the PNG
//! export draws whole runs straight into its canvas.

use parley::FontData;
use vello_cpu::{Glyph, Pixmap, RenderContext, Resources, color};

/// One rasterised glyph, cropped to its ink.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphImage {
    pub width: u16,
    pub height: u16,
    /// From the pen position to the image's top-left corner, in pixels.
    pub left: i32,
    pub top: i32,
    /// Premultiplied RGBA: white with coverage as alpha for outlines, the
    /// glyph's own colours for colour glyphs.
    pub rgba: Vec<u8>,
    pub is_color: bool,
}

/// Draws glyph `id` of `font` at `size_px`, its pen `subpixel_x` (0..1)
/// pixels right of a pixel edge. `None` for glyphs without ink (spaces).
pub fn rasterize(font: &FontData, id: u32, size_px: f32, subpixel_x: f32) -> Option<GlyphImage> {
    if !(size_px.is_finite() && size_px > 0.0) {
        return None;
    }
    // The ink can reach well beyond the em box (Nastaliq's descenders, wide
    // ligatures), so draw on a generous canvas and crop.
    let em = size_px.ceil();
    let (w, h) = ((em * 4.0).min(1024.0), (em * 5.0).min(1024.0));
    let (origin_x, origin_y) = ((em * 1.5).round(), em * 3.0);
    let (cw, ch) = (w as u16, h as u16);
    let mut ctx = RenderContext::new(cw, ch);
    let mut resources = Resources::new();
    ctx.set_paint(color::OpaqueColor::<color::Srgb>::WHITE);
    ctx.glyph_run(&mut resources, font)
        .font_size(size_px)
        .hint(false)
        .fill_glyphs(std::iter::once(Glyph {
            id,
            x: origin_x + subpixel_x,
            y: origin_y,
        }));
    let mut pixmap = Pixmap::new(cw, ch);
    ctx.render(&mut pixmap, &mut resources);
    let pixels = pixmap.data_as_u8_slice();
    let (cw, ch) = (usize::from(cw), usize::from(ch));
    let (mut x0, mut y0, mut x1, mut y1) = (cw, ch, 0, 0);
    let mut is_color = false;
    for y in 0..ch {
        for x in 0..cw {
            let p = &pixels[4 * (y * cw + x)..4 * (y * cw + x) + 4];
            if p[3] != 0 {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                is_color |= p[0] != p[3] || p[1] != p[3] || p[2] != p[3];
            }
        }
    }
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let mut rgba = Vec::with_capacity((x1 - x0) * (y1 - y0) * 4);
    for y in y0..y1 {
        rgba.extend_from_slice(&pixels[4 * (y * cw + x0)..4 * (y * cw + x1)]);
    }
    Some(GlyphImage {
        width: u16::try_from(x1 - x0).ok()?,
        height: u16::try_from(y1 - y0).ok()?,
        left: x0 as i32 - origin_x as i32,
        top: y0 as i32 - origin_y as i32,
        rgba,
        is_color,
    })
}
