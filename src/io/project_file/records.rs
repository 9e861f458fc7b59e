//! The on-disk shape of format versions 1 and 2, as read (version 2 adds
//! the event schema and each document's frames and relations). Kept apart from the
//! model so that the model's invariants are checked while converting.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use jiff::Timestamp;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::model::{Decision, DocStatus, Frame, FrameDecision, LabelSchema, Provenance, Relation};

/// Only the fields needed to decide whether this build can read the file.
#[derive(Deserialize)]
pub(super) struct Header {
    pub format: String,
    pub version: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProjectRecord {
    pub format: String,
    pub version: u64,
    pub offset_unit: String,
    #[serde(default)]
    pub default_annotator: Option<String>,
    #[serde(default)]
    pub annotators: Vec<String>,
    pub schema: LabelSchema,
    pub documents: Vec<DocumentRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DocumentRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub source_file: Option<String>,
    #[serde(default)]
    pub status: DocStatus,
    /// The day the article reports on, `YYYY-MM-DD` (version 2); checked
    /// while converting, so a wrong date is reported with its path.
    #[serde(default)]
    pub date: Option<String>,
    pub fingerprint: String,
    pub text: String,
    #[serde(default, deserialize_with = "unique_keys")]
    pub layers: BTreeMap<String, Vec<SpanRecord>>,
    #[serde(default)]
    pub gold: Option<Vec<SpanRecord>>,
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Decisions on compared events (version 2).
    #[serde(default)]
    pub frame_decisions: Vec<FrameDecision>,
    /// Event frames per annotator layer (version 2).
    #[serde(default, deserialize_with = "unique_keys")]
    pub frames: BTreeMap<String, Vec<Frame>>,
    #[serde(default)]
    pub gold_frames: Vec<Frame>,
    /// Binary relations per annotator layer (version 2).
    #[serde(default, deserialize_with = "unique_keys")]
    pub relations: BTreeMap<String, Vec<Relation>>,
    #[serde(default)]
    pub gold_relations: Vec<Relation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SpanRecord {
    pub id: u64,
    #[serde(deserialize_with = "offset")]
    pub start: u64,
    #[serde(deserialize_with = "offset")]
    pub end: u64,
    pub label: String,
    #[serde(default)]
    pub note: String,
    #[serde(default, deserialize_with = "unique_keys")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "time")]
    pub created: Option<Timestamp>,
    #[serde(default, deserialize_with = "time")]
    pub modified: Option<Timestamp>,
    #[serde(default)]
    pub provenance: Option<Provenance>,
}

/// A JSON object read into a map, refusing a key that appears twice
/// (serde_json would silently keep the last one).
fn unique_keys<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct UniqueKeys<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for UniqueKeys<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "duplicate key {key:?}"
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(UniqueKeys(PhantomData))
}

/// An RFC 3339 time. Spans made together share their times (and a span's
/// `created` often equals its `modified`), so the last text read is
/// remembered and not parsed again: on a project of a million spans this
/// saves a large share of the load.
fn time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    use std::borrow::Cow;
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<Option<(String, Timestamp)>> = const { RefCell::new(None) };
    }
    let Some(text) = Option::<Cow<'de, str>>::deserialize(d)? else {
        return Ok(None);
    };
    let cached = LAST.with_borrow(|last| {
        last.as_ref()
            .filter(|(t, _)| *t == text)
            .map(|(_, time)| *time)
    });
    if let Some(time) = cached {
        return Ok(Some(time));
    }
    let time: Timestamp = text.parse().map_err(serde::de::Error::custom)?;
    LAST.set(Some((text.into_owned(), time)));
    Ok(Some(time))
}

/// A span offset: a whole number of code points from 0, with messages that
/// say so for negative, fractional and too-large numbers.
fn offset<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct Offset;
    impl Visitor<'_> for Offset {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("u64 (an offset: a whole number of code points from 0)")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v).map_err(|_| {
                E::custom(format_args!(
                    "offset {v} is negative; offsets count code points from 0"
                ))
            })
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            // serde_json reads `1e3` and `10.0` as floats even when they are whole.
            Err(
                if v.is_finite() && v.fract() == 0.0 && v >= u64::MAX as f64 {
                    E::custom(format_args!(
                        "offset {v} is too large; offsets are whole numbers up to {}",
                        u64::MAX
                    ))
                } else if v.is_finite() && v.fract() == 0.0 && v >= 0.0 {
                    E::custom(format_args!(
                        "offset {v} is written with a decimal point or an exponent; \
                     offsets must be whole numbers written as digits only (e.g. 1000, not 1e3 or 1000.0)"
                    ))
                } else if v < 0.0 {
                    E::custom(format_args!(
                        "offset {v} is negative; offsets count code points from 0"
                    ))
                } else {
                    E::custom(format_args!(
                        "offset {v} is not a whole number; offsets count code points"
                    ))
                },
            )
        }
    }
    d.deserialize_u64(Offset)
}
