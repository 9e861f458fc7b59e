//! Any bytes as CoNLL; the part after the first NUL is an original text to align with.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (conll, original) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(conll) = std::str::from_utf8(conll) else {
        return;
    };
    let originals: Vec<String> = original
        .map(|o| String::from_utf8_lossy(o).into_owned())
        .into_iter()
        .collect();
    if let Ok(docs) = spanmark::io::formats::conll::read_str(conll, "fuzz.conll", &originals) {
        for d in docs {
            let len = d.text.chars().count();
            assert!(d.spans.iter().all(|s| s.start < s.end && s.end <= len));
        }
    }
});
