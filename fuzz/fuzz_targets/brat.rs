//! Any bytes as a brat document: the text and the `.ann`, split at the first NUL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, ann) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let text = String::from_utf8_lossy(text).into_owned();
    let ann = String::from_utf8_lossy(ann);
    if let Ok(doc) = spanmark::io::formats::brat::parse(text, &ann, "fuzz.ann") {
        let len = doc.text.chars().count();
        assert!(doc.spans.iter().all(|s| s.start < s.end && s.end <= len));
    }
});
