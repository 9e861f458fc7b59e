//! Row heights with prefix sums (a Fenwick tree): the total height, the row
//! at a given y and the y of a row in O(log n), and a row's height can be
//! corrected in O(log n) once it is laid out. Rows start with estimates.
//!
//! A new wrap width changes every estimate. [`HeightsBuilder`] makes the new
//! set a bounded number of rows per frame, so resizing the window over a
//! 100 MB document never stalls a frame; the view keeps the old heights
//! until the new ones are ready.

/// Heights of all rows of a document at one wrap width.
#[derive(Debug, Clone, Default)]
pub struct RowHeights {
    /// Fenwick tree over heights (1-based internally).
    tree: Vec<f64>,
    heights: Vec<f32>,
}

/// Builds [`RowHeights`] from estimates in steps, in row order: a Fenwick
/// tree is built in one forward pass (each node adds itself to its parent,
/// which comes later), so the pass can stop anywhere and resume.
#[derive(Debug)]
pub struct HeightsBuilder {
    tree: Vec<f64>,
    heights: Vec<f32>,
    rows: usize,
}

impl HeightsBuilder {
    /// For `rows` rows (the memory is taken now, zeroed lazily by the OS).
    pub fn new(rows: usize) -> Self {
        HeightsBuilder {
            tree: vec![0.0; rows + 1],
            heights: Vec::with_capacity(rows),
            rows,
        }
    }

    /// Rows still to estimate.
    pub fn remaining(&self) -> usize {
        self.rows - self.heights.len()
    }

    /// The next row to estimate (the estimates so far cover `0..next`).
    pub fn next(&self) -> usize {
        self.heights.len()
    }

    /// Adds the estimates of the next rows (anything past the last row is ignored).
    pub fn extend(&mut self, estimates: impl IntoIterator<Item = f32>) {
        let n = self.rows;
        for h in estimates.into_iter().take(self.remaining()) {
            let i = self.heights.len() + 1;
            self.tree[i] += f64::from(h);
            let parent = i + (i & (!i + 1));
            if parent <= n {
                let v = self.tree[i];
                self.tree[parent] += v;
            }
            self.heights.push(h);
        }
    }

    /// The heights, once every row has its estimate (else `None`, and the
    /// builder back).
    pub fn finish(self) -> Result<RowHeights, Self> {
        if self.remaining() > 0 {
            return Err(self);
        }
        Ok(RowHeights {
            tree: self.tree,
            heights: self.heights,
        })
    }
}

impl RowHeights {
    /// Builds from estimated heights in O(n).
    pub fn new<I>(estimates: I) -> Self
    where
        I: IntoIterator<Item = f32>,
        I::IntoIter: ExactSizeIterator,
    {
        let estimates = estimates.into_iter();
        let mut builder = HeightsBuilder::new(estimates.len());
        builder.extend(estimates);
        match builder.finish() {
            Ok(heights) => heights,
            Err(partial) => RowHeights {
                // A lying ExactSizeIterator: keep what came.
                tree: partial.tree[..=partial.heights.len()].to_vec(),
                heights: partial.heights,
            },
        }
    }

    pub fn len(&self) -> usize {
        self.heights.len()
    }
    pub fn is_empty(&self) -> bool {
        self.heights.is_empty()
    }
    pub fn height(&self, row: usize) -> f32 {
        self.heights.get(row).copied().unwrap_or(0.0)
    }

    /// Sets a row's measured height (once it is laid out).
    pub fn set(&mut self, row: usize, height: f32) {
        let Some(old) = self.heights.get_mut(row) else {
            return;
        };
        let delta = f64::from(height) - f64::from(*old);
        *old = height;
        if delta == 0.0 {
            return;
        }
        let mut i = row + 1;
        while i < self.tree.len() {
            self.tree[i] += delta;
            i += i & (!i + 1);
        }
    }

    /// Sum of the heights of rows `0..row`: the y where `row` starts.
    pub fn top_of(&self, row: usize) -> f32 {
        let mut i = row.min(self.heights.len());
        let mut sum = 0.0f64;
        while i > 0 {
            sum += self.tree[i];
            i -= i & (!i + 1);
        }
        sum as f32
    }

    pub fn total(&self) -> f32 {
        self.top_of(self.heights.len())
    }

    /// The row that covers `y` (clamped to the last row).
    pub fn row_at(&self, y: f32) -> usize {
        let n = self.heights.len();
        if n == 0 {
            return 0;
        }
        let mut pos = 0usize;
        let mut rest = f64::from(y.max(0.0));
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= rest {
                pos = next;
                rest -= self.tree[next];
            }
            step >>= 1;
        }
        pos.min(n - 1)
    }
}

/// Rows whose height a frame estimates after a resize (about 1 ms).
pub(super) const ESTIMATES_PER_FRAME: usize = 100_000;

/// A row's height before it is laid out, from its length at a wrap width.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeightEstimate {
    /// Code points that fit on a visual line.
    pub per_line: f32,
    pub row_height: f32,
    pub gap: f32,
}

impl HeightEstimate {
    pub fn of(&self, row: &crate::model::lines::Row) -> f32 {
        let lines = ((row.len as f32) / self.per_line).ceil().max(1.0);
        lines * self.row_height + self.gap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_sums_and_search_follow_updates() {
        let mut h = RowHeights::new([10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(h.total(), 150.0);
        assert_eq!(h.top_of(3), 60.0);
        assert_eq!(h.row_at(0.0), 0);
        assert_eq!(h.row_at(29.9), 1);
        assert_eq!(h.row_at(30.0), 2);
        assert_eq!(h.row_at(1000.0), 4);
        h.set(1, 5.0);
        assert_eq!(h.total(), 135.0);
        assert_eq!(h.top_of(2), 15.0);
        assert_eq!(h.row_at(15.0), 2);
        for n in [1usize, 2, 3, 7, 8, 9, 100] {
            let h = RowHeights::new((0..n).map(|i| (i % 3 + 1) as f32));
            let mut y = 0.0;
            for r in 0..n {
                assert_eq!(h.top_of(r), y);
                assert_eq!(h.row_at(y + 0.5), r, "n={n} r={r}");
                y += h.height(r);
            }
        }
    }

    #[test]
    fn a_builder_fed_in_steps_makes_the_same_heights() {
        for n in [0usize, 1, 5, 64, 1000] {
            let estimates: Vec<f32> = (0..n).map(|i| (i % 7 + 1) as f32 * 3.0).collect();
            let whole = RowHeights::new(estimates.iter().copied());
            let mut b = HeightsBuilder::new(n);
            for chunk in estimates.chunks(13) {
                assert!(b.remaining() > 0);
                b.extend(chunk.iter().copied());
            }
            let Ok(stepped) = b.finish() else {
                panic!("every row was estimated");
            };
            for r in 0..=n {
                assert_eq!(stepped.top_of(r), whole.top_of(r), "n={n} r={r}");
            }
            assert_eq!(stepped.total(), whole.total());
        }
        let mut b = HeightsBuilder::new(3);
        b.extend([1.0]);
        assert_eq!((b.next(), b.remaining()), (1, 2));
        assert!(b.finish().is_err(), "two rows are still missing");
    }
}
