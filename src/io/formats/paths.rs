//! Safe, unique file names for documents in an export folder: no separators
//! or `..`, no Windows reserved names, bounded length, collisions numbered.

use std::collections::HashSet;

const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Longest stem in characters.
const MAX_STEM: usize = 100;

/// A file stem made from a document name.
pub fn safe_stem(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_STEM)
        .collect();
    // No leading dots (hidden files, "..") and no trailing dots or spaces (Windows).
    s = s.trim_matches(|c| c == '.' || c == ' ').to_string();
    if s.is_empty() {
        s = "document".into();
    }
    let upper = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&upper.as_str()) {
        s.insert(0, '_');
    }
    s
}

/// Hands out stems unique within one export (case-insensitively, for Windows and macOS).
#[derive(Default)]
pub struct StemAllocator {
    used: HashSet<String>,
}

impl StemAllocator {
    pub fn allocate(&mut self, name: &str) -> String {
        let base = safe_stem(name);
        let mut stem = base.clone();
        let mut n = 2;
        while !self.used.insert(stem.to_lowercase()) {
            stem = format!("{base}-{n}");
            n += 1;
        }
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_safe_unique_stems() {
        let mut a = StemAllocator::default();
        assert_eq!(a.allocate("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(a.allocate("CON"), "_CON");
        assert_eq!(a.allocate("con.txt"), "_con.txt");
        assert_eq!(a.allocate("a/b"), "a_b");
        assert_eq!(a.allocate("a\\b"), "a_b-2");
        assert_eq!(a.allocate(""), "document");
        assert_eq!(a.allocate("..."), "document-2");
        assert_eq!(a.allocate(&"x".repeat(300)).len(), MAX_STEM);
        assert_eq!(a.allocate("بنوں رپورٹ"), "بنوں_رپورٹ");
        for s in ["_.._etc_passwd", "a_b"] {
            assert!(!s.contains('/') && !s.starts_with('.'));
        }
    }
}
