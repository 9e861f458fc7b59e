//! What a project's events may hold: which labels can trigger a frame, the
//! roles (each with its allowed labels, cardinality and key), the event
//! types, and the binary relation types.
//!
//! Cardinalities are written as in brat's annotation.conf: `?` (at most
//! one), `*` (any number), `+` (at least one) and `{n}` (exactly n), so a
//! brat configuration maps onto this one to one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::frame::Frame;

/// How many spans may fill a role of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cardinality {
    /// `?`: zero or one.
    Optional,
    /// `*`: any number.
    Any,
    /// `+`: one or more.
    AtLeastOne,
    /// `{n}`: exactly n.
    Exactly(u32),
}

impl Cardinality {
    /// Fewest fillers a finished frame needs.
    pub fn min(self) -> u32 {
        match self {
            Cardinality::Optional | Cardinality::Any => 0,
            Cardinality::AtLeastOne => 1,
            Cardinality::Exactly(n) => n,
        }
    }

    /// Most fillers a frame may hold (`None`: no limit).
    pub fn max(self) -> Option<u32> {
        match self {
            Cardinality::Optional => Some(1),
            Cardinality::Any | Cardinality::AtLeastOne => None,
            Cardinality::Exactly(n) => Some(n),
        }
    }
}

impl fmt::Display for Cardinality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cardinality::Optional => f.write_str("?"),
            Cardinality::Any => f.write_str("*"),
            Cardinality::AtLeastOne => f.write_str("+"),
            Cardinality::Exactly(n) => write!(f, "{{{n}}}"),
        }
    }
}

impl FromStr for Cardinality {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "?" => Ok(Cardinality::Optional),
            "*" => Ok(Cardinality::Any),
            "+" => Ok(Cardinality::AtLeastOne),
            _ => s
                .strip_prefix('{')
                .and_then(|r| r.strip_suffix('}'))
                .and_then(|n| n.parse().ok())
                .map(Cardinality::Exactly)
                .ok_or_else(|| {
                    format!("cardinality {s:?} is not one of ?, *, + or {{n}} (e.g. {{2}})")
                }),
        }
    }
}

impl Serialize for Cardinality {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cardinality {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One role a frame can have filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    /// Labels of the spans that may fill it.
    pub labels: Vec<String>,
    pub cardinality: Cardinality,
    /// The key that fills this role of the selected event (e.g. `a`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<char>,
}

/// A kind of binary relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationType {
    pub name: String,
    /// Whether the relation reads one way (else it is symmetric).
    #[serde(default)]
    pub directed: bool,
}

/// The event part of a schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSchema {
    /// Labels whose spans can be the trigger of a frame.
    pub trigger_labels: Vec<String>,
    pub roles: Vec<Role>,
    /// The choices for a frame's event type.
    pub event_types: Vec<String>,
    pub relation_types: Vec<RelationType>,
}

/// ACLED's six event types, the default list.
pub const ACLED_EVENT_TYPES: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

impl Default for EventSchema {
    /// EVENT triggers; agent and target (ACTOR, any number), location
    /// (LOCATION, at most one), count (COUNT, any number); ACLED's event
    /// types; a symmetric `same_as` relation.
    fn default() -> Self {
        let role = |name: &str, label: &str, cardinality, key| Role {
            name: name.into(),
            labels: vec![label.into()],
            cardinality,
            key: Some(key),
        };
        EventSchema {
            trigger_labels: vec!["EVENT".into()],
            roles: vec![
                role("agent", "ACTOR", Cardinality::Any, 'a'),
                role("target", "ACTOR", Cardinality::Any, 't'),
                role("location", "LOCATION", Cardinality::Optional, 'l'),
                role("count", "COUNT", Cardinality::Any, 'c'),
            ],
            event_types: ACLED_EVENT_TYPES.iter().map(|t| (*t).to_string()).collect(),
            relation_types: vec![RelationType {
                name: "same_as".into(),
                directed: false,
            }],
        }
    }
}

/// What is wrong with one frame against the schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameProblem {
    #[error("a span labelled {label} cannot be the trigger of an event")]
    NotATrigger { label: String },
    #[error("role {0:?} is not in the schema")]
    UnknownRole(String),
    #[error("a span labelled {label} cannot fill role {role:?}")]
    LabelNotAllowed { role: String, label: String },
    #[error("role {role:?} takes {cardinality} but has {count}")]
    TooMany {
        role: String,
        cardinality: Cardinality,
        count: u32,
    },
    #[error("role {role:?} needs {cardinality} but has {count}")]
    TooFew {
        role: String,
        cardinality: Cardinality,
        count: u32,
    },
    #[error("event type {0:?} is not in the schema")]
    UnknownEventType(String),
}

impl FrameProblem {
    /// Problems an unfinished frame may have (a `+` role still empty):
    /// they block Done, not the edit.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, FrameProblem::TooFew { .. })
    }
}

impl EventSchema {
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    pub fn role_by_key(&self, key: char) -> Option<&Role> {
        self.roles.iter().find(|r| r.key == Some(key))
    }

    pub fn relation_type(&self, name: &str) -> Option<&RelationType> {
        self.relation_types.iter().find(|r| r.name == name)
    }

    pub fn can_trigger(&self, label: &str) -> bool {
        self.trigger_labels.iter().any(|l| l == label)
    }

    /// A label renamed in the schema: triggers and roles follow it.
    pub fn rename_label(&mut self, from: &str, to: &str) {
        let lists = std::iter::once(&mut self.trigger_labels)
            .chain(self.roles.iter_mut().map(|r| &mut r.labels));
        for list in lists {
            for l in list.iter_mut().filter(|l| *l == from) {
                *l = to.to_string();
            }
        }
    }

    /// A label deleted from the schema: triggers and roles no longer name
    /// it (a role left with no label stays, and takes no span).
    pub fn forget_label(&mut self, name: &str) {
        self.trigger_labels.retain(|l| l != name);
        for r in &mut self.roles {
            r.labels.retain(|l| l != name);
        }
    }

    /// Everything wrong with `frame`, given each span's label
    /// (`label_of`; `None` for a span it does not know). Roles in schema
    /// order; a span missing from the layer is the caller's to report.
    pub fn problems(
        &self,
        frame: &Frame,
        label_of: impl Fn(super::span_id::SpanId) -> Option<String>,
    ) -> Vec<FrameProblem> {
        let mut out = Vec::new();
        if let Some(label) = label_of(frame.trigger).filter(|l| !self.can_trigger(l)) {
            out.push(FrameProblem::NotATrigger { label });
        }
        for slot in &frame.slots {
            match self.role(&slot.role) {
                None => {
                    let unknown = FrameProblem::UnknownRole(slot.role.clone());
                    if !out.contains(&unknown) {
                        out.push(unknown);
                    }
                }
                Some(role) => {
                    if let Some(label) =
                        label_of(slot.span).filter(|l| !role.labels.iter().any(|a| a == l))
                    {
                        out.push(FrameProblem::LabelNotAllowed {
                            role: role.name.clone(),
                            label,
                        });
                    }
                }
            }
        }
        for role in &self.roles {
            let count = u32::try_from(frame.fillers(&role.name).count()).unwrap_or(u32::MAX);
            let (cardinality, role) = (role.cardinality, role.name.clone());
            if cardinality.max().is_some_and(|m| count > m) {
                out.push(FrameProblem::TooMany {
                    role,
                    cardinality,
                    count,
                });
            } else if count < cardinality.min() {
                out.push(FrameProblem::TooFew {
                    role,
                    cardinality,
                    count,
                });
            }
        }
        if let Some(t) = frame
            .event_type
            .as_ref()
            .filter(|t| !self.event_types.contains(t))
        {
            out.push(FrameProblem::UnknownEventType(t.clone()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::frame::FrameId;
    use crate::model::span_id::SpanId;

    #[test]
    fn cardinalities_read_and_write_as_in_brat() {
        for (text, c) in [
            ("?", Cardinality::Optional),
            ("*", Cardinality::Any),
            ("+", Cardinality::AtLeastOne),
            ("{2}", Cardinality::Exactly(2)),
        ] {
            assert_eq!(text.parse::<Cardinality>(), Ok(c));
            assert_eq!(c.to_string(), text);
        }
        for bad in ["", "{}", "{x}", "{-1}", "2", "**"] {
            assert!(bad.parse::<Cardinality>().is_err(), "{bad:?}");
        }
        assert_eq!(
            (Cardinality::Exactly(2).min(), Cardinality::Exactly(2).max()),
            (2, Some(2))
        );
        assert_eq!(Cardinality::Optional.max(), Some(1));
        assert_eq!(Cardinality::AtLeastOne.min(), 1);
    }

    #[test]
    fn a_frame_is_checked_against_roles_labels_and_counts() {
        let mut schema = EventSchema::default();
        schema.roles[0].cardinality = Cardinality::AtLeastOne; // agent +
        let label = |id: SpanId| {
            Some(String::from(match id.0 {
                1 => "EVENT",
                2 | 3 => "LOCATION",
                4 => "ACTOR",
                _ => "COUNT",
            }))
        };
        let ok = Frame::new(FrameId(1), SpanId(1))
            .with_slot("agent", SpanId(4))
            .with_slot("location", SpanId(2))
            .with_slot("count", SpanId(5));
        assert_eq!(schema.problems(&ok, label), []);

        let mut bad = Frame::new(FrameId(2), SpanId(4))
            .with_slot("location", SpanId(2))
            .with_slot("location", SpanId(3))
            .with_slot("target", SpanId(5))
            .with_slot("weapon", SpanId(5));
        bad.event_type = Some("Picnics".into());
        let problems = schema.problems(&bad, label);
        assert!(problems.contains(&FrameProblem::NotATrigger {
            label: "ACTOR".into()
        }));
        assert!(problems.contains(&FrameProblem::LabelNotAllowed {
            role: "target".into(),
            label: "COUNT".into()
        }));
        assert!(problems.contains(&FrameProblem::UnknownRole("weapon".into())));
        assert!(problems.contains(&FrameProblem::TooMany {
            role: "location".into(),
            cardinality: Cardinality::Optional,
            count: 2
        }));
        let too_few = FrameProblem::TooFew {
            role: "agent".into(),
            cardinality: Cardinality::AtLeastOne,
            count: 0,
        };
        assert!(problems.contains(&too_few) && too_few.is_incomplete());
        assert!(problems.contains(&FrameProblem::UnknownEventType("Picnics".into())));
        assert_eq!(
            too_few.to_string(),
            "role \"agent\" needs + but has 0",
            "messages name the role and the rule"
        );
    }

    #[test]
    fn the_default_schema_has_the_issue_roles_and_acled_types() {
        let s = EventSchema::default();
        let roles: Vec<_> = s
            .roles
            .iter()
            .map(|r| (r.name.as_str(), r.cardinality.to_string(), r.key))
            .collect();
        assert_eq!(
            roles,
            [
                ("agent", "*".to_string(), Some('a')),
                ("target", "*".to_string(), Some('t')),
                ("location", "?".to_string(), Some('l')),
                ("count", "*".to_string(), Some('c')),
            ]
        );
        assert_eq!(s.event_types.len(), 6);
        assert!(s.can_trigger("EVENT") && !s.can_trigger("ACTOR"));
        assert_eq!(
            s.role_by_key('l').map(|r| r.name.as_str()),
            Some("location")
        );
    }
}
