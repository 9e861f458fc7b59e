//! Safe, unique file names for documents in an export folder: no separators
//! or `..`, no Windows reserved names, bounded length, collisions numbered.

use std::collections::HashSet;

/// Windows device names (Microsoft's "Naming Files" list): CON, PRN, AUX,
/// NUL, and COM or LPT followed by a digit 0–9 or a superscript ¹ ² ³, in any
/// case and with any extension (`com¹.txt` is the device too).
fn is_reserved(head: &str) -> bool {
    let upper = head.to_ascii_uppercase();
    if matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL") {
        return true;
    }
    let port = upper
        .strip_prefix("COM")
        .or_else(|| upper.strip_prefix("LPT"));
    let mut rest = port.unwrap_or("").chars();
    matches!(
        (rest.next(), rest.next()),
        (Some('0'..='9' | '¹' | '²' | '³'), None)
    )
}

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
    if is_reserved(s.split('.').next().unwrap_or("")) {
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
        assert_eq!(a.allocate("COM¹"), "_COM¹");
        for s in ["_.._etc_passwd", "a_b"] {
            assert!(!s.contains('/') && !s.starts_with('.'));
        }
    }

    #[test]
    fn every_windows_device_name_gets_a_prefix_in_any_case_and_with_extensions() {
        let mut names = vec!["CON", "PRN", "AUX", "NUL"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        for port in ["COM", "LPT"] {
            for n in [
                "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³",
            ] {
                names.push(format!("{port}{n}"));
            }
        }
        for name in &names {
            for variant in [
                name.clone(),
                name.to_lowercase(),
                format!("{}{}", &name[..1], name[1..].to_lowercase()),
                format!("{name}.txt"),
                format!("{}.tar.gz", name.to_lowercase()),
            ] {
                assert_eq!(safe_stem(&variant), format!("_{variant}"), "{variant:?}");
            }
        }
        // Near misses are ordinary names.
        for name in [
            "COM",
            "COM10",
            "COM¹²",
            "LPT⁴",
            "CONSOLE",
            "NULL",
            "AUXILIARY",
            "xCOM1",
            "COM½",
        ] {
            assert_eq!(safe_stem(name), name, "{name:?}");
        }
    }
}
