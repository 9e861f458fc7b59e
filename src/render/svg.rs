//! A picture as SVG that tests and scripts can read: every visual run is a
//! `<text>` with its direction and code-point range (`data-start`,
//! `data-end`) holding the run's text in logical order, and every piece of
//! a span's highlight is a `<rect>` with `data-span`, `data-label`,
//! `data-start` and `data-end`. See docs/formats.md.

use std::fmt::Write;

use super::Picture;
use crate::model::Rgb;
use crate::text_layout::Direction;

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Escapes text for XML content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                let _ = write!(out, "\u{FFFD}");
            }
            c => out.push(c),
        }
    }
    out
}

/// The picture as an SVG document.
pub fn write(picture: &Picture) -> String {
    let (w, h) = (picture.width, picture.height);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(out, r#"<g class="highlights">"#);
    for hl in &picture.highlights {
        let (fill, stroke) = if hl.nested {
            ("none".to_string(), hex(hl.color))
        } else {
            (hex(hl.color), "none".to_string())
        };
        let _ = writeln!(
            out,
            r#"<rect data-span="{}" data-label="{}" data-start="{}" data-end="{}" x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{fill}" fill-opacity="0.35" stroke="{stroke}" stroke-width="1.5"/>"#,
            hl.span.0,
            escape(&hl.label),
            hl.start,
            hl.end,
            hl.x0,
            hl.y0,
            (hl.x1 - hl.x0).max(0.0),
            (hl.y1 - hl.y0).max(0.0),
        );
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(
        out,
        r##"<g class="text" font-family="Ubuntu, 'Noto Naskh Arabic', 'Noto Nastaliq Urdu', 'Noto Color Emoji', Symbola, sans-serif" fill="#1a1a1a">"##
    );
    for p in &picture.paragraphs {
        let chars: Vec<char> = p.text.chars().collect();
        for row in &p.layout.rows {
            for run in &row.runs {
                let text: String = chars
                    .get(run.range.clone())
                    .map(|c| c.iter().collect())
                    .unwrap_or_default();
                let (dir, x) = match run.direction {
                    Direction::Ltr => ("ltr", run.x0),
                    Direction::Rtl => ("rtl", run.x1),
                };
                let _ = writeln!(
                    out,
                    r#"<text x="{:.2}" y="{:.2}" direction="{dir}" unicode-bidi="embed" xml:space="preserve" font-size="{}" data-start="{}" data-end="{}" data-x0="{:.2}" data-x1="{:.2}">{}</text>"#,
                    p.x + x,
                    p.y + row.baseline,
                    run.font_size,
                    p.start + run.range.start,
                    p.start + run.range.end,
                    p.x + run.x0,
                    p.x + run.x1,
                    escape(&text),
                );
            }
        }
    }
    let _ = writeln!(out, "</g>");
    let _ = writeln!(out, r#"<g class="tags">"#);
    for tag in &picture.tags {
        let Some(row) = tag.layout.rows.first() else {
            continue;
        };
        let size = row.runs.first().map_or(8.0, |r| r.font_size);
        let _ = writeln!(
            out,
            r#"<text data-span="{}" x="{:.2}" y="{:.2}" font-size="{size}" fill="{}">{}</text>"#,
            tag.span.0,
            tag.x,
            tag.y + row.baseline,
            hex(darker(tag.color)),
            escape(&tag.label),
        );
    }
    let _ = writeln!(out, "</g>");
    out.push_str("</svg>\n");
    out
}

/// A label colour dark enough to read as text on white.
pub(super) fn darker(c: Rgb) -> Rgb {
    let f = |v: u8| (f32::from(v) * 0.6) as u8;
    Rgb(f(c.0), f(c.1), f(c.2))
}
