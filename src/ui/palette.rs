//! The colours of the annotation view: how strongly label colours fill a
//! span, the selection's colour (a neutral grey, so it never reads as a
//! label), and the document text's colour, chosen so that text stays
//! readable on every highlight in both themes. The tests measure it: WCAG
//! contrast of text on each blended highlight, and how far apart the
//! default label colours stay for red-green colour-blind readers.

use eframe::egui::{self, Color32};

use crate::model::schema::Rgb;

/// Opacity of a span's fill over the background (both themes).
pub const HIGHLIGHT_ALPHA: u8 = 90;

/// The selection: neutral, unlike any label colour.
pub fn selection_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(92)
    } else {
        Color32::from_gray(196)
    }
}

/// The document's text: stronger than egui's default grey, so it reads on
/// highlights as well as on the background.
pub fn document_text(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(228)
    } else {
        Color32::from_gray(20)
    }
}

/// Puts the selection colour into both themes.
pub fn install(ctx: &egui::Context) {
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        ctx.style_mut_of(theme, |style| {
            let dark = theme == egui::Theme::Dark;
            style.visuals.selection.bg_fill = selection_fill(dark);
        });
    }
}

/// `rgb` at `alpha` over `background`, as the screen shows it.
pub fn blend(rgb: Rgb, alpha: u8, background: Color32) -> Color32 {
    let a = f32::from(alpha) / 255.0;
    let mix = |c: u8, b: u8| (f32::from(c) * a + f32::from(b) * (1.0 - a)).round() as u8;
    Color32::from_rgb(
        mix(rgb.0, background.r()),
        mix(rgb.1, background.g()),
        mix(rgb.2, background.b()),
    )
}

/// WCAG 2 relative luminance.
fn luminance(c: Color32) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

/// WCAG 2 contrast ratio (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelSchema;
    use crate::model::schema::OKABE_ITO;

    fn backgrounds() -> [(bool, Color32); 2] {
        [
            (true, egui::Visuals::dark().panel_fill),
            (false, egui::Visuals::light().panel_fill),
        ]
    }

    /// CIELAB of an sRGB colour (D65).
    fn lab(c: [f64; 3]) -> [f64; 3] {
        let lin = |v: f64| {
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = c.map(lin);
        let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        let f = |t: f64| {
            if t > 0.008856 {
                t.cbrt()
            } else {
                7.787 * t + 16.0 / 116.0
            }
        };
        [
            116.0 * f(y) - 16.0,
            500.0 * (f(x) - f(y)),
            200.0 * (f(y) - f(z)),
        ]
    }

    fn delta_e(a: [f64; 3], b: [f64; 3]) -> f64 {
        let (a, b) = (lab(a), lab(b));
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    }

    fn srgb(rgb: Rgb) -> [f64; 3] {
        [rgb.0, rgb.1, rgb.2].map(|v| f64::from(v) / 255.0)
    }

    /// How a colour looks with full deuteranopia or protanopia (Machado,
    /// Oliveira and Fernandes 2009, severity 1.0, on linear RGB).
    fn simulate(c: [f64; 3], protan: bool) -> [f64; 3] {
        let m = if protan {
            [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ]
        } else {
            [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ]
        };
        let lin = |v: f64| {
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let gamma = |v: f64| {
            let v = v.clamp(0.0, 1.0);
            if v <= 0.0031308 {
                12.92 * v
            } else {
                1.055 * v.powf(1.0 / 2.4) - 0.055
            }
        };
        let l = c.map(lin);
        let row = |r: [f64; 3]| gamma(r[0] * l[0] + r[1] * l[1] + r[2] * l[2]);
        [row(m[0]), row(m[1]), row(m[2])]
    }

    #[test]
    fn document_text_reads_on_every_default_highlight_and_the_selection() {
        for (dark, bg) in backgrounds() {
            let text = document_text(dark);
            assert!(contrast(text, bg) >= 7.0, "text on the background");
            for label in LabelSchema::default().labels {
                let fill = blend(label.color, HIGHLIGHT_ALPHA, bg);
                let ratio = contrast(text, fill);
                assert!(
                    ratio >= 4.5,
                    "{} ({}): {ratio:.2} < 4.5 (WCAG AA) in the {} theme",
                    label.name,
                    label.color,
                    if dark { "dark" } else { "light" }
                );
            }
            let ratio = contrast(text, selection_fill(dark));
            assert!(ratio >= 4.5, "text on the selection: {ratio:.2}");
        }
    }

    #[test]
    fn every_palette_colour_keeps_large_text_contrast() {
        for (dark, bg) in backgrounds() {
            for rgb in OKABE_ITO {
                let ratio = contrast(document_text(dark), blend(rgb, HIGHLIGHT_ALPHA, bg));
                assert!(ratio >= 3.0, "{rgb}: {ratio:.2} (dark: {dark})");
            }
        }
    }

    #[test]
    fn default_labels_stay_apart_for_colour_blind_readers_and_from_the_selection() {
        let labels = LabelSchema::default().labels;
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                let (ca, cb) = (srgb(a.color), srgb(b.color));
                assert!(delta_e(ca, cb) > 30.0, "{} vs {}", a.name, b.name);
                for protan in [false, true] {
                    let d = delta_e(simulate(ca, protan), simulate(cb, protan));
                    assert!(
                        d > 20.0,
                        "{} vs {} under {}: ΔE {d:.1}",
                        a.name,
                        b.name,
                        if protan { "protanopia" } else { "deuteranopia" }
                    );
                }
            }
        }
        for (dark, bg) in backgrounds() {
            let background = [bg.r(), bg.g(), bg.b()].map(|v| f64::from(v) / 255.0);
            for label in &labels {
                let fill = blend(label.color, HIGHLIGHT_ALPHA, bg);
                let fill = [fill.r(), fill.g(), fill.b()].map(|v| f64::from(v) / 255.0);
                assert!(
                    delta_e(background, fill) > 12.0,
                    "{} hardly shows on the background (dark: {dark})",
                    label.name
                );
            }
            let selection = selection_fill(dark);
            let sel = [selection.r(), selection.g(), selection.b()].map(|v| f64::from(v) / 255.0);
            for label in &labels {
                let fill = blend(label.color, HIGHLIGHT_ALPHA, bg);
                let fill = [fill.r(), fill.g(), fill.b()].map(|v| f64::from(v) / 255.0);
                assert!(
                    delta_e(sel, fill) > 15.0,
                    "the selection looks like {} (dark: {dark})",
                    label.name
                );
            }
        }
    }
}
