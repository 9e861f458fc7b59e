//! The layout module on mixed-direction text: word order against an
//! independent UAX #9 implementation (unicode-bidi), hit-testing, range
//! rectangles and caret motion, on generated paragraphs of Latin, Urdu,
//! Pashto, digits, emoji and combining marks.

use proptest::prelude::*;
use spanmark::model::bidi::paragraph_direction;
use spanmark::text_layout::*;
use unicode_bidi::{Level, ParagraphBidiInfo};
use unicode_segmentation::UnicodeSegmentation;

const PIECES: &[&str] = &[
    "police",
    "Bannu",
    "FC",
    "said",
    "“Fitna al-Khawarij”",
    "15",
    "2024",
    "(CTD)",
    "e\u{301}te\u{301}",
    "پشاور",
    "پولیس",
    "نے",
    "کہا",
    "۱۵",
    "بنوں",
    "شدت پسند",
    "اَلْعَرَبِيَّة",
    "ټانک",
    "ښځې",
    "ځواکونو",
    "ګډ",
    "ولسوالۍ",
    "🇵🇰",
    "😀",
    "👍🏽",
    "🔥",
    "—",
    ":",
    ",",
    "۔",
    "«",
    "»",
    "?",
    "!",
    "1,500",
    "$5",
];

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..24).prop_map(|words| words.join(" "))
}

fn layout(text: &str, width: f32) -> ParagraphLayout {
    let mut shaper = Shaper::new();
    shaper.layout(
        text,
        Some(width),
        &TextStyle::default(),
        paragraph_direction(text),
    )
}

fn char_starts(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

/// Grapheme index of each code point.
fn grapheme_of_char(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (g, s) in text.graphemes(true).enumerate() {
        out.extend(std::iter::repeat_n(g, s.chars().count()));
    }
    out
}

/// Every code point is in exactly one cluster, clusters are whole graphemes,
/// and each row's clusters run left to right without overlapping.
fn check_clusters(text: &str, l: &ParagraphLayout) -> Result<(), TestCaseError> {
    let chars = text.chars().count();
    let graphemes = grapheme_of_char(text);
    let mut seen = vec![0u8; chars];
    for row in &l.rows {
        let mut last_x1 = f32::NEG_INFINITY;
        for (c, _) in row.clusters() {
            prop_assert!(c.range.start < c.range.end, "empty cluster {:?}", c.range);
            prop_assert!(c.x0 <= c.x1 + 0.01);
            prop_assert!(
                c.x0 >= last_x1 - 0.05,
                "clusters overlap at {:?} in {text:?}",
                c.range
            );
            last_x1 = c.x1;
            for i in c.range.clone() {
                seen[i] += 1;
            }
            let first = graphemes[c.range.start];
            prop_assert!(c.range.start == 0 || graphemes[c.range.start - 1] != first);
            prop_assert!(
                c.range.end == chars || graphemes[c.range.end] != graphemes[c.range.end - 1]
            );
        }
    }
    prop_assert!(
        seen.iter().all(|&n| n == 1),
        "code points not covered once: {seen:?} in {text:?}"
    );
    Ok(())
}

/// Left to right, the graphemes of each row are in the order UAX #9 gives
/// (unicode-bidi, not parley). White space at a row's end is left out: L1
/// puts it at the paragraph's level, and engines place hanging space differently.
fn check_visual_order(text: &str, l: &ParagraphLayout) -> Result<(), TestCaseError> {
    let starts = char_starts(text);
    let graphemes = grapheme_of_char(text);
    let level = if l.direction == Direction::Rtl {
        Level::rtl()
    } else {
        Level::ltr()
    };
    let info = ParagraphBidiInfo::new(text, Some(level));
    let chars: Vec<char> = text.chars().collect();
    for row in &l.rows {
        let mut end = row.range.end;
        while end > row.range.start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if end == row.range.start {
            continue;
        }
        let bytes = starts[row.range.start]..starts[end];
        let levels = info.reordered_levels_per_char(bytes);
        // Levels per code point of the row.
        let row_levels: Vec<Level> = levels[row.range.start..end].to_vec();
        let order = ParagraphBidiInfo::reorder_visual(&row_levels);
        let mut expected: Vec<usize> = order
            .iter()
            .map(|&i| graphemes[row.range.start + i])
            .collect();
        expected.dedup();
        let mut got: Vec<usize> = row
            .clusters()
            .filter(|(c, _)| c.range.start < end)
            .map(|(c, _)| graphemes[c.range.start])
            .collect();
        got.dedup();
        prop_assert_eq!(
            &got,
            &expected,
            "visual order of row {:?} of {:?}",
            row.range,
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn clusters_partition_the_text_in_visual_order(text in paragraph(), width in 80.0f32..700.0) {
        let l = layout(&text, width);
        check_clusters(&text, &l)?;
        check_visual_order(&text, &l)?;
        // Wrapping cuts shaped runs: no glyph is lost or drawn twice, and
        // each sits over its run.
        let mut shaper = Shaper::new();
        let unwrapped = shaper.layout(&text, None, &TextStyle::default(), l.direction);
        let count = |l: &ParagraphLayout| l.rows.iter().flat_map(|r| &r.runs).map(|r| r.glyphs.len()).sum::<usize>();
        prop_assert_eq!(count(&l), count(&unwrapped));
        for run in l.rows.iter().flat_map(|r| &r.runs) {
            for g in &run.glyphs {
                prop_assert!(g.x >= run.x0 - 1.0 && g.x <= run.x1 + 1.0, "glyph at {} outside {}..{}", g.x, run.x0, run.x1);
                prop_assert!(run.range.contains(&(g.char as usize)) || run.range.is_empty());
            }
        }
    }

    #[test]
    fn a_hit_at_a_clusters_centre_is_inside_it(text in paragraph(), width in 80.0f32..700.0) {
        let l = layout(&text, width);
        for (ix, row) in l.rows.iter().enumerate() {
            for (c, _) in row.clusters() {
                if c.x1 - c.x0 < 0.5 {
                    continue; // a zero-width cluster has no centre to click
                }
                let hit = l.hit((c.x0 + c.x1) / 2.0, (row.top + row.bottom) / 2.0);
                let hit = hit.ok_or_else(|| TestCaseError::fail("no hit"))?;
                prop_assert_eq!(hit.row, ix);
                prop_assert_eq!(&hit.cluster, &c.range, "hit in {:?}", text);
                prop_assert!(hit.offset == c.range.start || hit.offset == c.range.end);
            }
        }
    }

    #[test]
    fn rects_cover_exactly_the_clusters_of_a_range(
        text in paragraph(), width in 80.0f32..700.0, a in 0usize..200, b in 0usize..200,
    ) {
        let l = layout(&text, width);
        let (start, end) = (a.min(b).min(l.chars), a.max(b).min(l.chars));
        let rects = l.rects(start..end);
        for (ix, row) in l.rows.iter().enumerate() {
            for (c, _) in row.clusters() {
                let inside = start < end && c.range.start < end && c.range.end > start;
                let mid = (c.x0 + c.x1) / 2.0;
                let covered = rects.iter().any(|r| r.row == ix && r.x0 <= c.x0 + 0.01 && c.x1 <= r.x1 + 0.01);
                let touched = rects.iter().any(|r| r.row == ix && r.x0 < mid && mid < r.x1);
                if c.x1 - c.x0 >= 0.5 {
                    prop_assert_eq!(covered, inside, "cluster {:?} for {}..{} in {:?}", c.range, start, end, text);
                    prop_assert_eq!(touched, inside);
                }
            }
        }
    }

    #[test]
    fn left_then_right_comes_back(text in paragraph(), width in 80.0f32..700.0) {
        let l = layout(&text, width);
        for row in &l.rows {
            let clusters: Vec<_> = row.clusters().collect();
            for (c, dir) in clusters.iter().skip(1) {
                // The caret at this cluster's left edge.
                let (offset, affinity) = if *dir == Direction::Ltr {
                    (c.range.start, Affinity::After)
                } else {
                    (c.range.end, Affinity::Before)
                };
                let x = l.caret(offset, affinity).map(|k| k.x);
                prop_assert!(x.is_some_and(|x| (x - c.x0).abs() < 0.05), "caret of {:?}", c.range);
                let left = l.step(offset, affinity, Motion::Left);
                let left = left.ok_or_else(|| TestCaseError::fail("no step left"))?;
                let back = l.step(left.0, left.1, Motion::Right);
                let back = back.ok_or_else(|| TestCaseError::fail("no step right"))?;
                let x_back = l.caret(back.0, back.1).map(|k| k.x);
                prop_assert!(x_back.is_some_and(|x| (x - c.x0).abs() < 0.05), "{:?} → {:?} → {:?} in {:?}", (offset, affinity), left, back, text);
            }
        }
    }
}

#[test]
fn an_rtl_paragraph_is_right_aligned_and_reads_right_to_left() {
    let text = "پشاور پولیس نے BBC کو ۱۵ بتایا";
    let l = layout(text, 400.0);
    assert_eq!(l.direction, Direction::Rtl);
    let row = &l.rows[0];
    let right = row.runs.last().map_or(0.0, |r| r.x1);
    assert!((right - 400.0).abs() < 0.5, "right edge {right}");
    // The first word is at the right, the last at the left.
    let x_of = |word: &str| {
        let start = text
            .find(word)
            .map(|b| text[..b].chars().count())
            .unwrap_or(0);
        l.caret(start, Affinity::After).map_or(-1.0, |c| c.x)
    };
    assert!(x_of("پشاور") > x_of("پولیس"));
    assert!(x_of("پولیس") > x_of("بتایا"));
    // A Latin acronym and digits inside read left to right.
    assert!(x_of("BBC") < x_of("BBC") + 1.0);
    let b = text
        .find("BBC")
        .map(|b| text[..b].chars().count())
        .unwrap_or(0);
    let left_b = l.caret(b, Affinity::After).map_or(0.0, |c| c.x);
    let after_c = l.caret(b + 3, Affinity::Before).map_or(0.0, |c| c.x);
    assert!(left_b < after_c);
}

#[test]
fn an_urdu_quote_in_an_english_sentence_reads_right_to_left_inside() {
    let text = "A CTD spokesman added: «پولیس نے 3 ملزمان کو گرفتار کیا» after the raid";
    let l = layout(text, 2000.0);
    assert_eq!(l.rows.len(), 1);
    let at = |word: &str| {
        let start = text
            .find(word)
            .map(|b| text[..b].chars().count())
            .unwrap_or(0);
        l.caret(start, Affinity::After).map_or(-1.0, |c| c.x)
    };
    assert!(at("added") < at("گرفتار"));
    assert!(
        at("پولیس") > at("گرفتار"),
        "the quote's first word is at its right"
    );
    assert!(at("کیا") < at("after"));
    // Selecting the two first words of the quote gives one rectangle
    // covering both, right of the rest of the quote.
    let s = text
        .find("پولیس")
        .map(|b| text[..b].chars().count())
        .unwrap_or(0);
    let rects = l.rects(s..s + "پولیس نے".chars().count());
    assert_eq!(rects.len(), 1, "{rects:?}");
    assert!(rects[0].x0 > at("ملزمان"));
}

#[test]
fn a_range_across_a_direction_change_gives_two_rectangles() {
    let text = "read: پشاور پولیس end";
    let l = layout(text, 2000.0);
    let s = text
        .find("d:")
        .map(|b| text[..b].chars().count())
        .unwrap_or(0);
    let e = s + "d: پشاور".chars().count();
    let rects = l.rects(s..e);
    // "d: " on the left, and پشاور at the right end of the Urdu run.
    assert_eq!(rects.len(), 2, "{rects:?}");
}

#[test]
fn a_flag_is_one_cluster_drawn_by_the_colour_font() {
    let text = "flag 🇵🇰 ok";
    let l = layout(text, 600.0);
    let flag: Vec<_> = l.rows[0]
        .clusters()
        .filter(|(c, _)| c.range == (5..7))
        .collect();
    assert_eq!(flag.len(), 1);
    let run = l.rows[0].runs.iter().find(|r| r.range.start == 5);
    assert!(run.is_some_and(|r| r.glyphs.len() == 1), "one flag glyph");
}

#[test]
fn a_forced_direction_overrides_the_first_strong_character() {
    let mut shaper = Shaper::new();
    let text = "Bannu پشاور";
    let ltr = shaper.layout(text, Some(500.0), &TextStyle::default(), Direction::Ltr);
    let rtl = shaper.layout(text, Some(500.0), &TextStyle::default(), Direction::Rtl);
    assert_eq!(ltr.chars, 11);
    assert_eq!(
        rtl.chars, 11,
        "the direction mark is not part of the result"
    );
    let x = |l: &ParagraphLayout, cp| l.caret(cp, Affinity::After).map_or(-1.0, |c| c.x);
    // LTR: Bannu left of پشاور; RTL: Bannu right of it, and right-aligned.
    assert!(x(&ltr, 0) < x(&ltr, 6));
    assert!(x(&rtl, 0) > x(&rtl, 6));
    assert!(
        rtl.rows[0]
            .runs
            .last()
            .is_some_and(|r| (r.x1 - 500.0).abs() < 0.5)
    );
}

#[test]
fn nastaliq_rows_are_taller_than_naskh_rows() {
    let mut shaper = Shaper::new();
    let text = "پشاور پولیس نے کہا";
    let naskh = shaper.layout(text, None, &TextStyle::default(), Direction::Rtl);
    let style = TextStyle {
        arabic: ArabicFont::Nastaliq,
        ..TextStyle::default()
    };
    let nastaliq = shaper.layout(text, None, &style, Direction::Rtl);
    assert!(
        nastaliq.height > naskh.height * 1.2,
        "{} vs {}",
        nastaliq.height,
        naskh.height
    );
    assert_ne!(nastaliq.rows[0].runs[0].font, naskh.rows[0].runs[0].font);
}

#[test]
fn home_and_end_go_to_the_visual_line_ends() {
    let text = "پشاور پولیس نے کہا";
    let l = layout(text, 2000.0);
    let row = &l.rows[0];
    let (left, right) = (row.runs[0].x0, row.runs.last().map_or(0.0, |r| r.x1));
    let home = l
        .step(8, Affinity::After, Motion::LineStart)
        .and_then(|(o, a)| l.caret(o, a));
    let end = l
        .step(8, Affinity::After, Motion::LineEnd)
        .and_then(|(o, a)| l.caret(o, a));
    // In an RTL paragraph the line starts at the right.
    assert!(home.is_some_and(|c| (c.x - right).abs() < 0.05));
    assert!(end.is_some_and(|c| (c.x - left).abs() < 0.05));
    assert_eq!(
        l.step(8, Affinity::After, Motion::LineStart).map(|p| p.0),
        Some(0)
    );
}

#[test]
fn the_corpus_lines_lay_out_in_uax9_order() -> Result<(), TestCaseError> {
    let text = include_str!("texts/bannu-urdu-pashto.txt");
    for line in text.lines().filter(|l| !l.is_empty()) {
        let l = layout(line, 520.0);
        check_clusters(line, &l)?;
        check_visual_order(line, &l)?;
    }
    Ok(())
}

#[test]
fn an_empty_paragraph_has_one_empty_row_with_a_caret() {
    for dir in [Direction::Ltr, Direction::Rtl] {
        let mut shaper = Shaper::new();
        let l = shaper.layout("", Some(300.0), &TextStyle::default(), dir);
        assert_eq!(l.rows.len(), 1);
        assert!(l.height > 10.0, "an empty line still has a height");
        assert_eq!(l.hit(5.0, 5.0).map(|h| h.offset), Some(0));
        assert!(l.caret(0, Affinity::After).is_some());
        assert!(l.rects(0..0).is_empty());
    }
}

#[test]
fn glyphs_rasterise_as_coverage_and_flags_in_colour() {
    let mut shaper = Shaper::new();
    let l = shaper.layout("x 🇵🇰", None, &TextStyle::default(), Direction::Ltr);
    let runs = &l.rows[0].runs;
    let letter = &runs[0];
    let font = shaper.font(letter.font).expect("the run's font");
    let image = raster::rasterize(font, letter.glyphs[0].id, 16.0, 0.25).expect("ink");
    assert!(!image.is_color);
    assert!(image.width > 2 && image.height > 4);
    assert!(image.top < 0, "an x sits above the baseline");
    let flag = runs
        .iter()
        .find(|r| r.range.start == 2)
        .expect("the flag's run");
    let font = shaper.font(flag.font).expect("the emoji font");
    let image = raster::rasterize(font, flag.glyphs[0].id, 16.0, 0.0).expect("a bitmap");
    assert!(image.is_color, "the flag is drawn from the colour font");
}

/// A long line of whole sentences, a third of them Urdu.
fn long_line() -> impl Strategy<Value = String> {
    let latin = prop::collection::vec(prop::sample::select(&PIECES[..9]), 3..9)
        .prop_map(|w| format!("{}. ", w.join(" ")));
    let urdu = prop::collection::vec(prop::sample::select(&PIECES[9..17]), 3..9)
        .prop_map(|w| format!("{}۔ ", w.join(" ")));
    let sentence = prop_oneof![2 => latin, 1 => urdu];
    (prop::bool::ANY, prop::collection::vec(sentence, 60..120)).prop_map(|(rtl_first, s)| {
        let lead = if rtl_first {
            "پشاور: "
        } else {
            "Peshawar: "
        };
        format!("{lead}{}", s.concat())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// A long line cut into rows, each row laid out with the whole line's
    /// levels, reads exactly as UAX #9 orders the uncut line: every wrapped
    /// row of every cut row has the graphemes in the order unicode-bidi
    /// gives for that stretch of the whole line.
    #[test]
    fn long_lines_cut_into_rows_read_as_the_uncut_line(line in long_line(), width in 200.0f32..900.0) {
        use spanmark::model::bidi::levels;
        use spanmark::model::lines::LineIndex;
        let doc = spanmark::model::Document::new("d", "d", line.clone());
        let index = LineIndex::new(&doc);
        prop_assert!(index.len() > 1, "the fixture must be cut");
        let dir = paragraph_direction(&line);
        let by_byte = levels(&line, dir);
        let starts = char_starts(&line);
        let per_char: Vec<u8> = starts[..starts.len() - 1].iter().map(|&b| by_byte[b]).collect();
        let mut shaper = Shaper::new();
        for row in index.rows() {
            prop_assert_eq!(row.rtl, dir == Direction::Rtl);
            prop_assert_eq!(row.line_bytes(), 0..line.len());
            let text = &line[row.bytes()];
            let row_levels = &per_char[row.chars()];
            let l = shaper.layout_with_levels(text, Some(width), &TextStyle::default(), dir, Some(row_levels));
            check_clusters(text, &l)?;
            check_order_with_levels(text, row_levels, dir, &l)?;
        }
    }
}

/// Like [`check_visual_order`], with the levels given (one per code point).
fn check_order_with_levels(
    text: &str,
    levels: &[u8],
    dir: Direction,
    l: &ParagraphLayout,
) -> Result<(), TestCaseError> {
    let graphemes = grapheme_of_char(text);
    let chars: Vec<char> = text.chars().collect();
    let base = u8::from(dir == Direction::Rtl);
    for row in &l.rows {
        let mut end = row.range.end;
        while end > row.range.start && chars[end - 1].is_whitespace() {
            end -= 1;
        }
        if end == row.range.start {
            continue;
        }
        let row_levels: Vec<Level> = levels[row.range.start..end]
            .iter()
            .map(|&n| Level::new(n.max(base)).unwrap_or(Level::ltr()))
            .collect();
        let order = ParagraphBidiInfo::reorder_visual(&row_levels);
        let mut expected: Vec<usize> = order
            .iter()
            .map(|&i| graphemes[row.range.start + i])
            .collect();
        expected.dedup();
        let mut got: Vec<usize> = row
            .clusters()
            .filter(|(c, _)| c.range.start < end)
            .map(|(c, _)| graphemes[c.range.start])
            .collect();
        got.dedup();
        prop_assert_eq!(&got, &expected, "visual order of row {:?}", row.range);
    }
    Ok(())
}
