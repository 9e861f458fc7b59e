//! The label set of a project: names, colours, shortcut keys and guidelines.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::event_schema::EventSchema;

/// An sRGB colour, written as `#RRGGBB` in project files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The Okabe–Ito palette: colours that readers with colour-vision
/// deficiencies can still tell apart. New labels take them in turn.
/// In this order, the first four (LOCATION, ACTOR, EVENT, COUNT) stay the
/// furthest apart under red-green colour blindness: vermillion and orange,
/// or bluish green and reddish purple, would be the closest pairs, so they
/// are not among them (measured in `ui::palette`'s tests).
pub const OKABE_ITO: [Rgb; 7] = [
    Rgb(0x56, 0xB4, 0xE9), // sky blue
    Rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgb(0x00, 0x9E, 0x73), // bluish green
    Rgb(0xF0, 0xE4, 0x42), // yellow
    Rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgb(0xE6, 0x9F, 0x00), // orange
    Rgb(0x00, 0x72, 0xB2), // blue
];

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

impl FromStr for Rgb {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("colour {s:?} is not of the form #RRGGBB");
        let hex = s.strip_prefix('#').ok_or_else(bad)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

impl Serialize for Rgb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One label of the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub name: String,
    pub color: Rgb,
    /// One-character shortcut (e.g. `'1'`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<char>,
    /// What the label covers; shown as the palette tooltip.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guideline: String,
}

/// Why `name` cannot be a label name, or `None` when it can. The one rule
/// that load, save, the schema editor and every importer apply, so no path
/// can put a name into a project that another path would refuse.
///
/// A label name is non-empty and holds no white space (exports such as
/// CoNLL and brat separate fields by white space) and no control
/// characters (they would reach terminals and spreadsheets raw).
pub fn label_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("label name is empty".into())
    } else if name.chars().any(char::is_control) {
        Some(format!(
            "label name {} contains a control character",
            name.escape_debug()
        ))
    } else if name.chars().any(char::is_whitespace) {
        Some(format!("label name {name:?} contains white space"))
    } else {
        None
    }
}

/// Ordered labels. The order is the palette order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSchema {
    pub labels: Vec<Label>,
    /// Trigger labels, roles, event types and relation types (since
    /// format version 2; a version-1 file gets the default).
    #[serde(default)]
    pub events: EventSchema,
}

/// The annotation guidelines, whose per-label summaries become the default
/// schema's guideline strings (one source of truth for docs and app).
pub const GUIDELINES_MD: &str = include_str!("../../docs/annotation-guidelines.md");

/// The first paragraph under `## NAME` in the guidelines document.
pub fn guideline_from_markdown(markdown: &str, name: &str) -> Option<String> {
    let heading = format!("## {name}");
    let mut lines = markdown
        .lines()
        .skip_while(|l| l.trim_end() != heading)
        .skip(1);
    let para: Vec<&str> = lines
        .by_ref()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    (!para.is_empty()).then(|| para.join(" "))
}

impl Default for LabelSchema {
    /// LOCATION (1), ACTOR (2), EVENT (3), COUNT (4), with guideline texts
    /// taken from `docs/annotation-guidelines.md`.
    fn default() -> Self {
        let labels = ["LOCATION", "ACTOR", "EVENT", "COUNT"]
            .iter()
            .enumerate()
            .map(|(i, name)| Label {
                name: (*name).to_string(),
                color: OKABE_ITO[i],
                key: char::from_digit(i as u32 + 1, 10),
                guideline: guideline_from_markdown(GUIDELINES_MD, name).unwrap_or_default(),
            })
            .collect();
        LabelSchema {
            labels,
            events: EventSchema::default(),
        }
    }
}

impl LabelSchema {
    pub fn get(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    pub fn by_key(&self, key: char) -> Option<&Label> {
        self.labels.iter().find(|l| l.key == Some(key))
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.labels.iter().map(|l| l.name.as_str())
    }
    /// Adds a label with the next palette colour unless it exists; returns true if added.
    pub fn ensure(&mut self, name: &str) -> bool {
        if self.contains(name) {
            return false;
        }
        let color = OKABE_ITO[self.labels.len() % OKABE_ITO.len()];
        self.labels.push(Label {
            name: name.to_string(),
            color,
            key: None,
            guideline: String::new(),
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schema_has_four_keyed_labels_with_guidelines_from_the_doc() {
        let s = LabelSchema::default();
        let names: Vec<&str> = s.names().collect();
        assert_eq!(names, ["LOCATION", "ACTOR", "EVENT", "COUNT"]);
        for (i, l) in s.labels.iter().enumerate() {
            assert_eq!(l.key, char::from_digit(i as u32 + 1, 10));
            assert!(
                l.guideline.len() > 40,
                "{} guideline too short: {:?}",
                l.name,
                l.guideline
            );
            assert!(
                GUIDELINES_MD.replace('\n', " ").contains(&l.guideline),
                "{}",
                l.name
            );
        }
        let colours: std::collections::HashSet<Rgb> = s.labels.iter().map(|l| l.color).collect();
        assert_eq!(colours.len(), 4);
    }

    #[test]
    fn colour_round_trips_and_rejects_junk() {
        assert_eq!("#56B4E9".parse::<Rgb>(), Ok(Rgb(0x56, 0xB4, 0xE9)));
        assert_eq!(Rgb(0x56, 0xB4, 0xE9).to_string(), "#56B4E9");
        assert!("56B4E9".parse::<Rgb>().is_err());
        assert!("#56B4E".parse::<Rgb>().is_err());
        assert!("#ééB4E9".parse::<Rgb>().is_err());
    }

    #[test]
    fn guideline_paragraph_is_extracted() {
        let md =
            "# T\n\n## ACTOR\n\nWho acts,\nacross lines.\n\n- list\n\n## EVENT\nWhat happens.\n";
        assert_eq!(
            guideline_from_markdown(md, "ACTOR").as_deref(),
            Some("Who acts, across lines.")
        );
        assert_eq!(
            guideline_from_markdown(md, "EVENT").as_deref(),
            Some("What happens.")
        );
        assert_eq!(guideline_from_markdown(md, "COUNT"), None);
    }
}
