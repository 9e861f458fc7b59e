//! UAX #9 rule L2 for a line's level runs: which runs a line holds and the
//! left-to-right order they are drawn in.

/// Maximal runs of one level within `range` of `levels`.
pub(super) fn level_runs(
    levels: &[u8],
    range: std::ops::Range<usize>,
) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start = range.start;
    for i in range.start + 1..range.end {
        if levels[i] != levels[start] {
            runs.push(start..i);
            start = i;
        }
    }
    if start < range.end || runs.is_empty() {
        runs.push(start..range.end);
    }
    runs
}

/// Rule L2: the left-to-right order of runs with these levels (from the
/// highest level down to the lowest odd one, reverse every sequence of
/// runs at that level or above).
pub(super) fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let (Some(&max), Some(&min)) = (levels.iter().max(), levels.iter().min()) else {
        return order;
    };
    let lowest_odd = if min % 2 == 1 { min } else { min + 1 };
    let mut level = max;
    while level >= lowest_odd && level > 0 {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    order
}
