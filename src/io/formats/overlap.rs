//! Choosing non-overlapping spans for formats that cannot hold nesting (IOB2).

use std::str::FromStr;

use crate::model::Span;

/// Which span survives when spans overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverlapPolicy {
    /// Spans no other span contains, longest first; then the rest where they fit.
    #[default]
    Outer,
    /// Shortest first.
    Inner,
    /// Longest first.
    Longest,
    /// The earliest annotated (lowest id) first.
    First,
}

impl FromStr for OverlapPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "outer" => Ok(Self::Outer),
            "inner" => Ok(Self::Inner),
            "longest" => Ok(Self::Longest),
            "first" => Ok(Self::First),
            other => Err(format!(
                "unknown overlap policy {other:?}; use outer, inner, longest or first"
            )),
        }
    }
}

fn contained(s: &Span, others: &[&Span]) -> bool {
    others.iter().any(|o| {
        o.id() != s.id() && o.start() <= s.start() && s.end() <= o.end() && o.len() > s.len()
    })
}

/// Splits `spans` into those kept (in text order) and those dropped.
pub fn resolve<'a>(spans: &[&'a Span], policy: OverlapPolicy) -> (Vec<&'a Span>, Vec<&'a Span>) {
    let mut order: Vec<&Span> = spans.to_vec();
    match policy {
        OverlapPolicy::Outer => {
            order.sort_by_key(|s| {
                (
                    contained(s, spans),
                    std::cmp::Reverse(s.len()),
                    s.start(),
                    s.id(),
                )
            });
        }
        OverlapPolicy::Inner => order.sort_by_key(|s| (s.len(), s.start(), s.id())),
        OverlapPolicy::Longest => {
            order.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.start(), s.id()))
        }
        OverlapPolicy::First => order.sort_by_key(|s| s.id()),
    }
    let mut kept: Vec<&Span> = Vec::new();
    let mut dropped = Vec::new();
    for s in order {
        if kept
            .iter()
            .any(|k| k.start() < s.end() && s.start() < k.end())
        {
            dropped.push(s);
        } else {
            kept.push(s);
        }
    }
    kept.sort_by_key(|s| (s.start(), s.end()));
    dropped.sort_by_key(|s| (s.start(), s.end()));
    (kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SpanId;
    use jiff::Timestamp;

    fn sp(id: u64, a: usize, b: usize) -> Span {
        Span::new(SpanId(id), a, b, "X", 100, Timestamp::UNIX_EPOCH).unwrap()
    }

    #[test]
    fn policies() {
        let (outer, inner, partial) = (sp(1, 0, 20), sp(2, 5, 9), sp(3, 15, 40));
        let all = [&outer, &inner, &partial];
        let ids = |v: Vec<&Span>| v.iter().map(|s| s.id().0).collect::<Vec<_>>();
        // Outer: both outer spans are uncontained; the longer partial one (3) wins, then 2 fits.
        let (k, d) = resolve(&all, OverlapPolicy::Outer);
        assert_eq!((ids(k), ids(d)), (vec![2, 3], vec![1]));
        let (k, _) = resolve(&all, OverlapPolicy::Inner);
        assert_eq!(ids(k), vec![2, 3]);
        let (k, _) = resolve(&all, OverlapPolicy::First);
        assert_eq!(ids(k), vec![1]);
        let nested = [&outer, &inner];
        let (k, d) = resolve(&nested, OverlapPolicy::Outer);
        assert_eq!((ids(k), ids(d)), (vec![1], vec![2]));
    }
}
