//! Line breaking for the shaper: UAX #14 break opportunities (ICU4X)
//! filled greedily to a width from per-code-point advances.

use icu_segmenter::LineSegmenter;
use unicode_segmentation::UnicodeSegmentation;

/// The byte offset of each code point of `text`, plus its length.
pub(super) fn char_byte_starts(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

/// Where lines end, in code points: at UAX #14 opportunities, filling each
/// line as far as `width` allows (trailing white space may overhang); a
/// word longer than a line is broken between graphemes.
pub(super) fn break_lines(text: &str, advances: &[f32], width: f32) -> Vec<std::ops::Range<usize>> {
    let starts = char_byte_starts(text);
    let char_at = |byte: usize| starts.partition_point(|&b| b < byte);
    let chars: Vec<char> = text.chars().collect();
    let segmenter = LineSegmenter::new_for_non_complex_scripts(Default::default());
    let opportunities: Vec<usize> = segmenter
        .segment_str(text)
        .map(char_at)
        .filter(|&c| c > 0)
        .collect();
    // Grapheme ends, only needed when a word is longer than a line.
    let graphemes = std::cell::OnceCell::new();
    let graphemes = || -> &Vec<usize> {
        graphemes.get_or_init(|| {
            text.grapheme_indices(true)
                .map(|(b, _)| char_at(b))
                .filter(|&c| c > 0)
                .chain(std::iter::once(chars.len()))
                .collect()
        })
    };
    let mut prefix = Vec::with_capacity(advances.len() + 1);
    prefix.push(0.0f32);
    for a in advances {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + a);
    }
    // Whether start..end fits, not counting white space at its end.
    let fits = |start: usize, end: usize| {
        let mut visible_end = end;
        while visible_end > start && chars[visible_end - 1].is_whitespace() {
            visible_end -= 1;
        }
        prefix[visible_end] - prefix[start] <= width
    };
    let mut lines = Vec::new();
    let mut start = 0usize;
    while start < chars.len() {
        let best = opportunities
            .iter()
            .copied()
            .filter(|&b| b > start)
            .take_while(|&b| fits(start, b))
            .last();
        let end = best.unwrap_or_else(|| {
            // Nothing fits: as many graphemes as fit, at least one.
            let fitting = graphemes().iter().copied().filter(|&g| g > start);
            let first = fitting.clone().next().unwrap_or(chars.len());
            fitting
                .take_while(|&g| fits(start, g))
                .last()
                .unwrap_or(first)
        });
        lines.push(start..end);
        start = end;
    }
    if lines.is_empty() {
        lines.extend(std::iter::once(0..0));
    }
    lines
}
