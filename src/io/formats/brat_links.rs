//! brat's links between text-bound annotations: events (`E1\tEVENT:T5
//! agent:T3 location:T4`) become frames, relations (`R1\tsame_as Arg1:T3
//! Arg2:T8`) relations, and an `event_type` attribute or an AnnotatorNotes
//! line on an event its type or note. brat numbers a repeated role
//! (`agent:T8 agent2:T9`): that is read as the same role. What cannot be
//! linked (an argument that is another event, a missing id) is reported
//! with its line.

use std::collections::HashMap;

use super::imported::{ImportedFrame, ImportedLinks, ImportedRelation, ImportedSpan, Unimported};

/// The attribute that carries a frame's event type (brat has no other place).
pub const EVENT_TYPE_ATTRIBUTE: &str = "event_type";

/// An `E` line as read, before its ids are resolved.
pub(super) struct RawEvent {
    at: String,
    id: String,
    trigger: String,
    args: Vec<(String, String)>,
}

/// An `R` line as read.
pub(super) struct RawRelation {
    at: String,
    kind: String,
    from: String,
    to: String,
}

/// What was said about an event by another line: a note or an attribute.
pub(super) enum EventRef {
    Note(String),
    Attribute(String, String),
}

/// `E1\tTYPE:T5 ROLE:T3 ...`
pub(super) fn parse_event(fields: &[&str], at: &str) -> Result<RawEvent, Unimported> {
    let bad = || Unimported::new(at, "an event line is ID, then TYPE:TRIGGER ROLE:ID …");
    let [id, body, ..] = fields[..] else {
        return Err(bad());
    };
    let mut parts = body.split_whitespace();
    let (_, trigger) = parts
        .next()
        .and_then(|p| p.split_once(':'))
        .ok_or_else(bad)?;
    let mut args: Vec<(String, String)> = Vec::new();
    for p in parts {
        let (role, target) = p.split_once(':').ok_or_else(bad)?;
        // A repeated role is numbered (agent, agent2, agent3): the same role.
        // The role it repeats is one met before on the line, so a role whose
        // own name ends in a digit (`p1`, repeated as `p12`) reads right.
        let repeated = args
            .iter()
            .map(|(r, _)| r.as_str())
            .find(|r| {
                role.strip_prefix(r)
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|n| n >= 2)
            })
            .map(String::from);
        args.push((
            repeated.unwrap_or_else(|| role.to_string()),
            target.to_string(),
        ));
    }
    Ok(RawEvent {
        at: at.to_string(),
        id: id.to_string(),
        trigger: trigger.to_string(),
        args,
    })
}

/// `R1\tTYPE Arg1:T3 Arg2:T8`
pub(super) fn parse_relation(fields: &[&str], at: &str) -> Result<RawRelation, Unimported> {
    let bad = || Unimported::new(at, "a relation line is ID, then TYPE Arg1:ID Arg2:ID");
    let [_, body, ..] = fields[..] else {
        return Err(bad());
    };
    let parts: Vec<&str> = body.split_whitespace().collect();
    let [kind, a, b] = parts[..] else {
        return Err(bad());
    };
    // By name: `Arg2:T8 Arg1:T3` is the same relation.
    let arg = |name: &str| {
        [a, b].iter().find_map(|p| {
            let (n, id) = p.split_once(':')?;
            (n == name).then(|| id.to_string())
        })
    };
    let (Some(from), Some(to)) = (arg("Arg1"), arg("Arg2")) else {
        return Err(bad());
    };
    Ok(RawRelation {
        at: at.to_string(),
        kind: kind.to_string(),
        from,
        to,
    })
}

/// The ids of `events`, to tell notes and attributes on events from those on spans.
pub(super) fn event_ids(events: &[RawEvent]) -> std::collections::HashSet<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

/// Resolves ids to span indices: each T id names its first fragment.
pub(super) fn resolve(
    spans: &[(String, ImportedSpan)],
    events: Vec<RawEvent>,
    relations: Vec<RawRelation>,
    refs: Vec<(String, String, EventRef)>,
    unimported: &mut Vec<Unimported>,
) -> ImportedLinks {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, (id, _)) in spans.iter().enumerate() {
        index.entry(id.as_str()).or_insert(i);
    }
    let mut links = ImportedLinks::default();
    let mut frame_of: HashMap<String, usize> = HashMap::new();
    for e in events {
        if frame_of.contains_key(&e.id) {
            unimported.push(Unimported::new(
                &e.at,
                format!("event {} is defined again; this one is not imported", e.id),
            ));
            continue;
        }
        let Some(&trigger) = index.get(e.trigger.as_str()) else {
            unimported.push(Unimported::new(
                &e.at,
                format!(
                    "event {} has trigger {}, which is not a text-bound annotation (T) of this file",
                    e.id, e.trigger
                ),
            ));
            continue;
        };
        let mut slots = Vec::new();
        for (role, target) in e.args {
            match index.get(target.as_str()) {
                Some(&i) => slots.push((role, i)),
                None => unimported.push(Unimported::new(
                    &e.at,
                    format!(
                        "argument {role}:{target} of event {}: Spanmark links spans, not events \
                         or missing ids (the rest of the event is imported)",
                        e.id
                    ),
                )),
            }
        }
        frame_of.insert(e.id.clone(), links.frames.len());
        links.frames.push(ImportedFrame {
            trigger,
            event_type: None,
            slots,
            note: String::new(),
            location: e.at,
        });
    }
    for (target, at, r) in refs {
        let Some(frame) = frame_of.get(&target).and_then(|&i| links.frames.get_mut(i)) else {
            unimported.push(Unimported::new(
                at,
                format!("note or attribute on {target}, whose event was not imported"),
            ));
            continue;
        };
        match r {
            EventRef::Note(note) => {
                if !frame.note.is_empty() {
                    frame.note.push_str(" | ");
                }
                frame.note.push_str(&note);
            }
            EventRef::Attribute(name, value) if name == EVENT_TYPE_ATTRIBUTE => {
                frame.event_type = Some(event_type_from_brat(&value));
            }
            EventRef::Attribute(name, _) => unimported.push(Unimported::new(
                at,
                format!(
                    "attribute {name} on event {target}: an event keeps only its {EVENT_TYPE_ATTRIBUTE}"
                ),
            )),
        }
    }
    for r in relations {
        match (index.get(r.from.as_str()), index.get(r.to.as_str())) {
            (Some(&from), Some(&to)) => links.relations.push(ImportedRelation {
                from,
                to,
                kind: r.kind,
                location: r.at,
            }),
            _ => unimported.push(Unimported::new(
                &r.at,
                format!(
                    "relation {} between {} and {}: both must be text-bound annotations (T) of this file",
                    r.kind, r.from, r.to
                ),
            )),
        }
    }
    links
}

/// brat attribute values hold no spaces, and `annotation.conf` lists them
/// split at `|` and `,`: "Remote violence" is written "Remote_violence",
/// and `%`, `_`, `|`, `,` and other white space of the type itself are
/// %-escaped, so every type reads back exactly ("IED_attack" as "IED%5Fattack").
pub fn event_type_to_brat(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        match c {
            '%' => out.push_str("%25"),
            '_' => out.push_str("%5F"),
            '|' => out.push_str("%7C"),
            ',' => out.push_str("%2C"),
            ' ' => out.push('_'),
            c if c.is_whitespace() => out.push_str(&format!("%{:X};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The event type of a brat value written by [`event_type_to_brat`] (or by
/// hand: an `_` is a space, a `%` that starts no escape is kept as it is).
pub fn event_type_from_brat(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(c) = rest.chars().next() {
        let (decoded, used) = match c {
            '_' => (' ', 1),
            '%' => escape(rest).unwrap_or(('%', 1)),
            c => (c, c.len_utf8()),
        };
        out.push(decoded);
        rest = &rest[used..];
    }
    out
}

/// A `%` escape at the start of `s`: the character and the bytes it takes.
fn escape(s: &str) -> Option<(char, usize)> {
    match s.get(1..3)? {
        "25" => Some(('%', 3)),
        "5F" => Some(('_', 3)),
        "7C" => Some(('|', 3)),
        "2C" => Some((',', 3)),
        _ => {
            // Other white space: %HEX;
            let end = s.find(';')?;
            let c = char::from_u32(u32::from_str_radix(s.get(1..end)?, 16).ok()?)?;
            c.is_whitespace().then_some((c, end + 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::brat_read::parse;

    #[test]
    fn events_relations_and_their_types_are_read_and_what_cannot_be_is_named() {
        let text = "Police said militants attacked Bannu and Karak.".to_string();
        let ann = "T1\tACTOR 0 6\tPolice\n\
                   T2\tACTOR 12 21\tmilitants\n\
                   T3\tEVENT 22 30\tattacked\n\
                   T4\tLOCATION 31 36\tBannu\n\
                   T5\tLOCATION 41 46\tKarak\n\
                   E1\tEVENT:T3 agent:T2 target:T1 target2:T4 location:T5\n\
                   A1\tevent_type E1 Explosions/Remote_violence\n\
                   #1\tAnnotatorNotes E1\tchecked\n\
                   A2\tNegation E1\n\
                   E2\tEVENT:T3 cause:E1 agent:T9\n\
                   R1\tsame_as Arg1:T1 Arg2:T2\n\
                   R2\tsame_as Arg1:T1 Arg2:E1\n";
        let doc = parse(text, ann, "a.ann").unwrap();
        let frames = &doc.links.frames;
        assert_eq!(frames.len(), 2);
        let f = &frames[0];
        assert_eq!(f.trigger, 2);
        assert_eq!(
            f.slots,
            [
                ("agent".to_string(), 1),
                ("target".to_string(), 0),
                ("target".to_string(), 3),
                ("location".to_string(), 4)
            ],
            "target2 is a second target"
        );
        assert_eq!(f.event_type.as_deref(), Some("Explosions/Remote violence"));
        assert_eq!(f.note, "checked");
        assert!(
            frames[1].slots.is_empty(),
            "E2's arguments are an event and a missing id"
        );
        assert_eq!(doc.links.relations.len(), 1);
        assert_eq!(
            (doc.links.relations[0].from, doc.links.relations[0].to),
            (0, 1)
        );
        let said: Vec<&str> = doc.unimported.iter().map(|u| u.location.as_str()).collect();
        // E2's two arguments, the Negation attribute, R2.
        assert_eq!(
            said,
            [
                "a.ann line 10",
                "a.ann line 10",
                "a.ann line 9",
                "a.ann line 12"
            ]
        );
    }

    #[test]
    fn event_types_and_numbered_roles_read_back_exactly() {
        for t in [
            "Battles",
            "Explosions/Remote violence",
            "IED_attack",
            "50% | a, b",
            "tab\there",
            "%7C",
        ] {
            let written = super::event_type_to_brat(t);
            assert!(!written.contains([' ', '|', ',', '\t']), "{written}");
            assert_eq!(super::event_type_from_brat(&written), t);
        }
        assert_eq!(
            super::event_type_from_brat("Remote_violence 100%"),
            "Remote violence 100%"
        );
        let e = super::parse_event(&["E1", "EV:T1 p1:T2 p12:T3 agent:T4 agent2:T5 a3:T6"], "x")
            .unwrap();
        let roles: Vec<&str> = e.args.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(roles, ["p1", "p1", "agent", "agent", "a3"]);
        let r = super::parse_relation(&["R1", "same_as Arg2:T8 Arg1:T3"], "x").unwrap();
        assert_eq!((r.from.as_str(), r.to.as_str()), ("T3", "T8"));
    }
}
