//! Stepping to the next (or previous) open item across documents, wrapping
//! round: the same walk for span items alone and for spans then events.

/// Where the next open entry is, starting after `current` in document `doc`
/// (at the start of `doc` when `current` is `None` or gone), wrapping across
/// the `n` documents. `entries(ix)` lists document `ix`'s entries in order,
/// each with whether it is open.
pub fn step_over<K: PartialEq + Clone>(
    n: usize,
    entries: impl Fn(usize) -> Vec<(K, bool)>,
    doc: usize,
    current: Option<&K>,
    forward: bool,
) -> Option<(usize, K)> {
    if n == 0 {
        return None;
    }
    let doc = doc.min(n - 1);
    // The current document is visited twice: after the current entry first,
    // and (after wrapping round all the others) before it.
    for round in 0..=n {
        let ix = if forward {
            (doc + round) % n
        } else {
            (doc + n * 2 - round) % n
        };
        let list = entries(ix);
        let pos = current.and_then(|k| list.iter().position(|(e, _)| e == k));
        let order: Box<dyn Iterator<Item = (usize, &(K, bool))>> = if forward {
            Box::new(list.iter().enumerate())
        } else {
            Box::new(list.iter().enumerate().rev())
        };
        for (i, (key, open)) in order {
            let in_range = match (round, pos) {
                (0, Some(p)) => {
                    if forward {
                        i > p
                    } else {
                        i < p
                    }
                }
                (0, None) => true,
                (r, Some(p)) if r == n => {
                    if forward {
                        i <= p
                    } else {
                        i >= p
                    }
                }
                (r, None) if r == n => false,
                _ => true,
            };
            if in_range && *open {
                return Some((ix, key.clone()));
            }
        }
    }
    None
}
