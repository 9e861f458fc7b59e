//! Fonts: egui's defaults plus a bundled Arabic-script font as a fallback,
//! so Urdu and Pashto show glyphs instead of boxes.

use eframe::egui::{
    self, FontData, FontFamily,
    epaint::text::{FontInsert, FontPriority, InsertFontFamily},
};

/// Noto Naskh Arabic (SIL OFL 1.1, see assets/fonts/OFL.txt).
const NASKH: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf");

/// Adds the Arabic-script fallback to both font families.
pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        "noto-naskh-arabic",
        FontData::from_static(NASKH),
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
