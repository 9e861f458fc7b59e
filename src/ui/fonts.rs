//! Fonts: egui's defaults plus bundled fallbacks: an Arabic-script font, so
//! Urdu and Pashto show glyphs instead of boxes, and a symbol font covering
//! the emoji of Unicode 9 (egui's own emoji font is a small subset).

use eframe::egui::{
    self, FontData, FontFamily,
    epaint::text::{FontInsert, FontPriority, InsertFontFamily},
};

/// Noto Naskh Arabic (SIL OFL 1.1, see assets/fonts/OFL.txt).
const NASKH: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf");

/// Symbola 2.60 (free for any use, see assets/fonts/Symbola-LICENSE.txt).
const SYMBOLA: &[u8] = include_bytes!("../../assets/fonts/Symbola.ttf");

/// Adds the fallbacks to both font families, after egui's own fonts.
pub fn install(ctx: &egui::Context) {
    fallback(ctx, "noto-naskh-arabic", NASKH);
    fallback(ctx, "symbola", SYMBOLA);
}

fn fallback(ctx: &egui::Context, name: &str, data: &'static [u8]) {
    ctx.add_font(FontInsert::new(
        name,
        FontData::from_static(data),
        vec![
            InsertFontFamily {
                family: FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
