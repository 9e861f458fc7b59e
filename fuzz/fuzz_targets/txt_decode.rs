//! Any bytes as a text file to import.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = spanmark::io::decode_text(data, "fuzz.txt") {
        assert!(!decoded.text.contains('\0'));
    }
});
