//! Any bytes as a project file: an error or a project, never a panic, and a
//! project that loads saves to bytes that load to the same project.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(project) = spanmark::io::parse_project(data) {
        let again = spanmark::io::parse_project(&spanmark::io::to_json_bytes(&project));
        assert!(again.is_ok_and(|p| p == project));
    }
});
