//! The document view's glyph cache: glyphs rasterised once (by
//! [`crate::text_layout::raster`]) into one egui texture and drawn as
//! textured quads, at the screen's real pixel size with a quarter-pixel
//! horizontal position, so text stays sharp at every size and zoom.

use std::collections::HashMap;

use eframe::egui::{
    self, Color32, ColorImage, Mesh, Pos2, Rect, TextureHandle, TextureOptions, Vec2,
};

use crate::text_layout::{FontIndex, ParagraphLayout, Shaper, raster};

/// Side of the square texture, in pixels.
const SIZE: usize = 2048;
/// Horizontal positions a glyph is rasterised at, per pixel.
const SUBPIXEL_STEPS: f32 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct GlyphKey {
    font: FontIndex,
    glyph: u32,
    /// Size in pixels, in 1/64.
    size: u32,
    subpixel: u8,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    uv: Rect,
    /// Pixels from the pen (whole pixel) to the image's corner.
    offset: Vec2,
    size: Vec2,
    is_color: bool,
}

/// Where glyph images sit in the texture: shelves filled left to right.
#[derive(Default)]
struct Shelves {
    x: usize,
    y: usize,
    height: usize,
}

impl Shelves {
    fn place(&mut self, w: usize, h: usize) -> Option<[usize; 2]> {
        if w + 1 > SIZE || h + 1 > SIZE {
            return None;
        }
        if self.x + w + 1 > SIZE {
            self.y += self.height + 1;
            self.x = 0;
            self.height = 0;
        }
        if self.y + h + 1 > SIZE {
            return None;
        }
        let at = [self.x, self.y];
        self.x += w + 1;
        self.height = self.height.max(h);
        Some(at)
    }
}

/// Glyph images in one texture, made on first use.
#[derive(Default)]
pub struct GlyphAtlas {
    texture: Option<TextureHandle>,
    slots: HashMap<GlyphKey, Option<Slot>>,
    shelves: Shelves,
    /// Glyphs rasterised since the view was made (for measurements).
    pub rasterised: usize,
}

impl GlyphAtlas {
    fn texture(&mut self, ctx: &egui::Context) -> &mut TextureHandle {
        self.texture.get_or_insert_with(|| {
            ctx.load_texture(
                "spanmark-document-glyphs",
                ColorImage::filled([SIZE, SIZE], Color32::TRANSPARENT),
                TextureOptions::LINEAR,
            )
        })
    }

    fn slot(&mut self, ctx: &egui::Context, shaper: &Shaper, key: GlyphKey) -> Option<Slot> {
        if let Some(slot) = self.slots.get(&key) {
            return *slot;
        }
        let font = shaper.font(key.font)?;
        let size = key.size as f32 / 64.0;
        let sub = f32::from(key.subpixel) / SUBPIXEL_STEPS;
        let image = raster::rasterize(font, key.glyph, size, sub);
        self.rasterised += 1;
        let slot = image.and_then(|img| {
            let (w, h) = (usize::from(img.width), usize::from(img.height));
            let at = match self.shelves.place(w, h) {
                Some(at) => at,
                None => {
                    // Full: start again (the glyphs on screen come back next frame).
                    self.slots.clear();
                    self.shelves = Shelves::default();
                    self.shelves.place(w, h)?
                }
            };
            let pixels = img
                .rgba
                .chunks_exact(4)
                .map(|p| Color32::from_rgba_premultiplied(p[0], p[1], p[2], p[3]))
                .collect();
            self.texture(ctx).set_partial(
                at,
                ColorImage::new([w, h], pixels),
                TextureOptions::LINEAR,
            );
            let s = SIZE as f32;
            Some(Slot {
                uv: Rect::from_min_size(
                    Pos2::new(at[0] as f32 / s, at[1] as f32 / s),
                    Vec2::new(w as f32 / s, h as f32 / s),
                ),
                offset: Vec2::new(img.left as f32, img.top as f32),
                size: Vec2::new(w as f32, h as f32),
                is_color: img.is_color,
            })
        });
        self.slots.insert(key, slot);
        slot
    }

    /// Draws the glyphs of `layout` with its top-left at `origin`, in `color`
    /// (colour glyphs keep their own colours).
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        shaper: &Shaper,
        layout: &ParagraphLayout,
        origin: Pos2,
        color: Color32,
    ) {
        let ctx = painter.ctx().clone();
        let ppp = ctx.pixels_per_point();
        let mut mesh = Mesh::default();
        let clip = painter.clip_rect();
        for row in &layout.rows {
            if origin.y + row.bottom < clip.min.y || origin.y + row.top > clip.max.y {
                continue;
            }
            for run in &row.runs {
                let size = (run.font_size * ppp * 64.0).round() as u32;
                for g in &run.glyphs {
                    let x = (origin.x + g.x) * ppp;
                    let y = ((origin.y + g.y) * ppp).round();
                    let whole = x.floor();
                    let subpixel = (((x - whole) * SUBPIXEL_STEPS).floor() as u8).min(3);
                    let key = GlyphKey {
                        font: run.font,
                        glyph: g.id,
                        size,
                        subpixel,
                    };
                    let Some(slot) = self.slot(&ctx, shaper, key) else {
                        continue;
                    };
                    let min = Pos2::new(whole + slot.offset.x, y + slot.offset.y) / ppp;
                    let rect = Rect::from_min_size(min, slot.size / ppp);
                    let tint = if slot.is_color { Color32::WHITE } else { color };
                    mesh.add_rect_with_uv(rect, slot.uv, tint);
                }
            }
        }
        if let Some(texture) = &self.texture
            && !mesh.is_empty()
        {
            mesh.texture_id = texture.id();
            painter.add(egui::Shape::mesh(mesh));
        }
    }
}
