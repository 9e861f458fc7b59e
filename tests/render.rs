//! `spanmark render`'s pictures: the SVG's runs are in visual order for
//! left-to-right, right-to-left and mixed paragraphs, each highlight piece
//! sits over the text of its span, and the PNG is a real image.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

use regex::Regex;
use spanmark::model::{Document, LabelSchema, LayerId, Project, Span};
use spanmark::render::{Picture, PictureOptions, png, svg};

/// A document with spans (text, label) found by their first occurrence.
fn project(text: &str, spans: &[(&str, &str)]) -> Project {
    let mut p = Project::new(LabelSchema::default());
    let mut d = Document::new("d", "d", text.to_string());
    let layer = LayerId::Annotator("a".into());
    for (word, label) in spans {
        let byte = text.find(word).expect("span text in the document");
        let s = text[..byte].chars().count();
        let e = s + word.chars().count();
        let span = Span::new(
            p.allocate_span_id(),
            s,
            e,
            *label,
            d.char_len(),
            jiff::Timestamp::UNIX_EPOCH,
        )
        .expect("a valid span");
        d.layer_mut(&layer).insert(span).expect("a new id");
    }
    p.add_document(d).expect("one document");
    p
}

fn picture(p: &Project, width: f32) -> String {
    let doc = &p.documents[0];
    let layer = doc.layer(&LayerId::Annotator("a".into()));
    let options = PictureOptions {
        width,
        ..PictureOptions::default()
    };
    let pic = Picture::new(doc, layer, &p.schema, &options).expect("a picture");
    svg::write(&pic)
}

#[derive(Debug)]
struct Run {
    y: f32,
    x0: f32,
    x1: f32,
    dir: String,
    start: usize,
    end: usize,
    text: String,
}

fn attr(tag: &str, name: &str) -> String {
    let re = Regex::new(&format!(r#"\b{name}="([^"]*)""#)).expect("regex");
    re.captures(tag)
        .map(|c| c[1].to_string())
        .unwrap_or_default()
}

fn runs(svg: &str) -> Vec<Run> {
    let re = Regex::new(r#"(?s)<text ([^>]*direction=[^>]*)>(.*?)</text>"#).expect("regex");
    re.captures_iter(svg)
        .map(|c| Run {
            y: attr(&c[1], "y").parse().unwrap_or(0.0),
            x0: attr(&c[1], "data-x0").parse().unwrap_or(0.0),
            x1: attr(&c[1], "data-x1").parse().unwrap_or(0.0),
            dir: attr(&c[1], "direction"),
            start: attr(&c[1], "data-start").parse().unwrap_or(0),
            end: attr(&c[1], "data-end").parse().unwrap_or(0),
            text: c[2].to_string(),
        })
        .filter(|r| !r.text.trim().is_empty())
        .collect()
}

#[derive(Debug)]
struct Piece {
    span: String,
    label: String,
    start: usize,
    end: usize,
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
}

fn pieces(svg: &str) -> Vec<Piece> {
    let re = Regex::new(r#"<rect (data-span[^>]*)/>"#).expect("regex");
    re.captures_iter(svg)
        .map(|c| {
            let x0: f32 = attr(&c[1], "x").parse().unwrap_or(0.0);
            let y0: f32 = attr(&c[1], "y").parse().unwrap_or(0.0);
            let w: f32 = attr(&c[1], "width").parse().unwrap_or(0.0);
            let h: f32 = attr(&c[1], "height").parse().unwrap_or(0.0);
            Piece {
                span: attr(&c[1], "data-span"),
                label: attr(&c[1], "data-label"),
                start: attr(&c[1], "data-start").parse().unwrap_or(0),
                end: attr(&c[1], "data-end").parse().unwrap_or(0),
                x0,
                x1: x0 + w,
                y0,
                y1: y0 + h,
            }
        })
        .collect()
}

/// Runs of one visual row, left to right.
fn row_of(runs: &[Run], containing: usize) -> Vec<&Run> {
    let y = runs
        .iter()
        .find(|r| r.start <= containing && containing < r.end)
        .map(|r| r.y);
    let mut row: Vec<&Run> = runs.iter().filter(|r| Some(r.y) == y).collect();
    row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    row
}

#[test]
fn an_ltr_paragraph_runs_left_to_right() {
    let svg = picture(
        &project("Security forces killed 15 militants in Bannu.", &[]),
        800.0,
    );
    let runs = runs(&svg);
    assert!(!runs.is_empty());
    assert!(runs.iter().all(|r| r.dir == "ltr"));
    assert!(
        runs.windows(2)
            .all(|w| w[0].start < w[1].start && w[0].x0 < w[1].x0 + 0.01)
    );
    assert!(runs[0].text.starts_with("Security"));
}

#[test]
fn an_rtl_paragraph_puts_its_first_word_at_the_right() {
    let text = "پشاور پولیس نے کہا کہ ۱۵ شدت پسند مارے گئے";
    let svg = picture(&project(text, &[]), 800.0);
    let all = runs(&svg);
    let row = row_of(&all, 0);
    let words: Vec<&Run> = row.into_iter().filter(|r| r.dir == "rtl").collect();
    assert!(words.len() >= 2);
    // Left to right on screen, the logical starts go down.
    assert!(
        words.windows(2).all(|w| w[0].start > w[1].start),
        "{words:?}"
    );
    assert_eq!(words.last().map(|r| r.start), Some(0));
    // Right-aligned: the first word ends at the right margin.
    assert!(
        words
            .last()
            .is_some_and(|r| (r.x1 - (800.0 - 16.0)).abs() < 1.0)
    );
}

#[test]
fn a_quote_in_an_english_sentence_reverses_only_the_quote() {
    let text = "The spokesman said «پولیس نے ملزمان کو گرفتار کیا» after the raid.";
    let svg = picture(
        &project(text, &[("پولیس", "ACTOR"), ("said «پولیس", "EVENT")]),
        1600.0,
    );
    let runs = runs(&svg);
    let row = row_of(&runs, 0);
    let first = row.first().map(|r| r.text.as_str()).unwrap_or("");
    assert!(first.starts_with("The spokesman"), "{row:?}");
    assert!(
        row.last()
            .is_some_and(|r| r.text.contains("after the raid"))
    );
    let urdu: Vec<&&Run> = row.iter().filter(|r| r.dir == "rtl").collect();
    assert!(urdu.windows(2).all(|w| w[0].start > w[1].start), "{urdu:?}");
    // پولیس (the quote's first word) is the rightmost Urdu run.
    let police = urdu.last().map(|r| r.text.as_str());
    assert_eq!(police, Some("پولیس"));
    // The ACTOR highlight covers exactly that run.
    let pieces = pieces(&svg);
    let actor: Vec<&Piece> = pieces.iter().filter(|p| p.label == "ACTOR").collect();
    assert_eq!(actor.len(), 1);
    let run = urdu.last().expect("a run");
    assert!(
        (actor[0].x0 - run.x0).abs() < 0.5 && (actor[0].x1 - run.x1).abs() < 0.5,
        "{actor:?} {run:?}"
    );
    // A span from English into the quote has two pieces on one row: "said «"
    // at the left, پولیس at the right end of the quote.
    let event: Vec<&Piece> = pieces.iter().filter(|p| p.label == "EVENT").collect();
    assert_eq!(event.len(), 2, "{event:?}");
    assert!((event[0].y0 - event[1].y0).abs() < 0.01);
    assert!(event.iter().any(|p| (p.x1 - run.x1).abs() < 0.5));
}

#[test]
fn a_span_across_a_wrap_in_rtl_has_a_piece_on_each_row_over_its_text() {
    let text = "اردو بیان: بنوں کے علاقے ڈومیل میں انٹیلی جنس کی بنیاد پر کارروائی کے دوران سیکیورٹی فورسز نے ۱۵ شدت پسندوں کو ہلاک کر دیا۔";
    let p = project(
        text,
        &[("کارروائی کے دوران سیکیورٹی فورسز نے ۱۵ شدت پسندوں", "EVENT")],
    );
    let svg = picture(&p, 300.0);
    let pieces = pieces(&svg);
    let runs = runs(&svg);
    assert!(pieces.len() >= 2, "{pieces:?}");
    let rows: std::collections::BTreeSet<i64> =
        pieces.iter().map(|p| (p.y0 * 100.0) as i64).collect();
    assert_eq!(rows.len(), pieces.len(), "one piece per row: {pieces:?}");
    for piece in &pieces {
        assert!(!piece.span.is_empty());
        // Every text run of the span's code points on this piece's row lies inside it.
        let inside: Vec<&Run> = runs
            .iter()
            .filter(|r| r.y > piece.y0 && r.y < piece.y1 + 1.0)
            .filter(|r| r.start >= piece.start && r.end <= piece.end)
            .collect();
        assert!(!inside.is_empty(), "{piece:?}");
        for r in inside {
            assert!(
                r.x0 >= piece.x0 - 0.5 && r.x1 <= piece.x1 + 0.5,
                "{r:?} outside {piece:?}"
            );
        }
    }
}

#[test]
fn the_png_is_an_image_of_the_pictures_size() {
    let p = project("Bannu 🇵🇰 پشاور", &[("Bannu", "LOCATION")]);
    let doc = &p.documents[0];
    let layer = doc.layer(&LayerId::Annotator("a".into()));
    let pic = Picture::new(doc, layer, &p.schema, &PictureOptions::default()).expect("picture");
    let bytes = png::write(&pic).expect("png");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let h = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert_eq!(w, 800);
    assert_eq!(h, pic.height.ceil() as u32);
}

#[test]
fn a_range_outside_the_text_is_an_error() {
    let p = project("short", &[]);
    let options = PictureOptions {
        range: Some(2..99),
        ..PictureOptions::default()
    };
    assert!(Picture::new(&p.documents[0], None, &p.schema, &options).is_err());
}

mod cli {
    use assert_cmd::Command;

    fn spanmark() -> Command {
        Command::cargo_bin("spanmark").expect("the binary")
    }

    #[test]
    fn render_writes_svg_and_png_and_refuses_other_names() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = dir.path().join("bulletin.txt");
        std::fs::write(&text, "Police in Bannu said: «پشاور پولیس نے کہا» 🇵🇰\n").expect("write");
        let project = dir.path().join("p.spanmark.json");
        spanmark()
            .arg("new")
            .arg(&project)
            .arg("--text")
            .arg(&text)
            .assert()
            .success();
        let svg = dir.path().join("out.svg");
        spanmark()
            .args(["render"])
            .arg(&project)
            .args(["--doc", "bulletin", "--width", "600", "--out"])
            .arg(&svg)
            .assert()
            .success();
        let written = std::fs::read_to_string(&svg).expect("svg");
        assert!(written.starts_with("<svg"));
        assert!(written.contains(r#"direction="rtl""#));
        let png = dir.path().join("out.png");
        spanmark()
            .args(["render"])
            .arg(&project)
            .args(["--doc", "bulletin", "--arabic-font", "nastaliq", "--out"])
            .arg(&png)
            .assert()
            .success();
        assert_eq!(&std::fs::read(&png).expect("png")[..4], b"\x89PNG");
        let jpg = dir.path().join("out.jpg");
        spanmark()
            .args(["render"])
            .arg(&project)
            .args(["--doc", "bulletin", "--out"])
            .arg(&jpg)
            .assert()
            .code(2);
        assert!(!jpg.exists());
        let out = spanmark()
            .args(["render"])
            .arg(&project)
            .args(["--doc", "nope", "--out"])
            .arg(&svg)
            .assert()
            .code(1);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            err.contains("no document \"nope\"") && err.contains("bulletin"),
            "{err}"
        );
    }
}

#[test]
fn tags_of_spans_starting_together_sit_side_by_side_and_nesting_is_marked() {
    let text = "Security forces eliminated 15 militants in North Waziristan.";
    let p = project(
        text,
        &[
            ("North Waziristan", "LOCATION"),
            ("North", "ACTOR"),
            ("eliminated 15 militants", "EVENT"),
            ("15 militants", "COUNT"),
        ],
    );
    let doc = &p.documents[0];
    let layer = doc.layer(&LayerId::Annotator("a".into()));
    let pic = Picture::new(doc, layer, &p.schema, &PictureOptions::default()).expect("a picture");
    let mut tags: Vec<_> = pic
        .tags
        .iter()
        .filter(|t| t.label == "LOCATION" || t.label == "ACTOR")
        .collect();
    assert_eq!(tags.len(), 2);
    tags.sort_by(|a, b| a.x.total_cmp(&b.x));
    assert_eq!(tags[0].y, tags[1].y, "both tags above the same row");
    assert!(
        tags[0].x + tags[0].layout.width <= tags[1].x,
        "the second tag starts after the first ends: {} + {} > {}",
        tags[0].x,
        tags[0].layout.width,
        tags[1].x
    );
    let nested = |label: &str| {
        pic.highlights
            .iter()
            .find(|h| h.label == label)
            .map(|h| h.nested)
            .expect("a highlight")
    };
    assert!(
        !nested("EVENT") && nested("COUNT"),
        "15 militants lies inside the event"
    );
    assert!(
        !nested("LOCATION") && nested("ACTOR"),
        "North lies inside North Waziristan"
    );
}
