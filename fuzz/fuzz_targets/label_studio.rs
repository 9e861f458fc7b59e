//! Any bytes as a Label Studio JSON export.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(docs) = spanmark::io::formats::label_studio::parse(data, "fuzz.json") {
        for d in docs {
            let len = d.text.chars().count();
            assert!(d.spans.iter().all(|s| s.start < s.end && s.end <= len));
        }
    }
});
