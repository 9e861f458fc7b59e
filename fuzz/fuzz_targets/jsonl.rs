//! Any bytes as spaCy-style JSONL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(docs) = spanmark::io::formats::spacy_jsonl::parse(data, "fuzz.jsonl") {
        for d in docs {
            let len = d.text.chars().count();
            assert!(d.spans.iter().all(|s| s.start < s.end && s.end <= len));
        }
    }
});
