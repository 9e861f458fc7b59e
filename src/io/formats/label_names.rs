//! Label names from other tools. Spanmark's rule for a valid name is
//! [`label_name_problem`]; foreign names that break it only by white space
//! ("Place Name", "LOC\t", NBSP) are mapped to a valid one (trimmed, each run
//! of white space → `_`) and the mapping is reported, while an empty name or
//! one with control characters (ESC, BEL, NUL…) is refused: there is no
//! faithful way to guess what it meant.

use std::borrow::Cow;

use crate::model::label_name_problem;

/// The valid label name for a foreign `name`: itself when valid, else the
/// mapped name, or why it cannot be imported (the label shown escaped).
pub fn valid_label(name: &str) -> Result<Cow<'_, str>, String> {
    if label_name_problem(name).is_none() {
        return Ok(Cow::Borrowed(name));
    }
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(if name.is_empty() {
            "the label name is empty".to_string()
        } else {
            format!(
                "the label name \"{}\" is only white space",
                name.escape_debug()
            )
        });
    }
    let mut mapped = String::with_capacity(trimmed.len());
    let mut in_space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            if !in_space {
                mapped.push('_');
            }
            in_space = true;
        } else {
            mapped.push(c);
            in_space = false;
        }
    }
    match label_name_problem(&mapped) {
        None => Ok(Cow::Owned(mapped)),
        Some(_) => Err(format!(
            "the label name \"{}\" contains a control character; \
             rename it in the source file or with --map",
            name.escape_debug()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_mapped_and_the_rest_is_kept() {
        for (foreign, valid) in [
            ("LOCATION", "LOCATION"),
            ("Place Name", "Place_Name"),
            ("Place\tName", "Place_Name"),
            ("  Place   Name \n", "Place_Name"),
            (" LOC", "LOC"),
            ("LOC ", "LOC"),
            ("Place\u{A0}Name", "Place_Name"),
            ("Place \u{2003}\u{A0} Name", "Place_Name"),
            ("جگہ نام", "جگہ_نام"),
            ("“Place” 🙂", "“Place”_🙂"),
        ] {
            assert_eq!(valid_label(foreign).as_deref(), Ok(valid), "{foreign:?}");
        }
    }

    #[test]
    fn empty_names_and_control_characters_are_refused_escaped() {
        for (foreign, shown) in [
            ("", "the label name is empty"),
            ("\u{A0}\t", r#""\u{a0}\t" is only"#),
            ("\u{1b}[2J", r#""\u{1b}[2J" contains a control character"#),
            ("LOC\u{7}", r#""LOC\u{7}" contains"#),
            ("LOC\0", r#""LOC\0" contains"#),
            ("Place \u{1b}Name", r#""Place \u{1b}Name" contains"#),
        ] {
            let err = valid_label(foreign).unwrap_err();
            assert!(err.contains(shown), "{foreign:?}: {err}");
            assert!(!err.contains('\u{1b}') && !err.contains('\0') && !err.contains('\u{7}'));
        }
    }
}
