//! Row heights with prefix sums (a Fenwick tree): the total height, the row
//! at a given y and the y of a row in O(log n), and a row's height can be
//! corrected in O(log n) once it is laid out. Rows start with estimates.

/// Heights of all rows of a document at one wrap width.
#[derive(Debug, Clone, Default)]
pub struct RowHeights {
    /// Fenwick tree over heights (1-based internally).
    tree: Vec<f64>,
    heights: Vec<f32>,
    /// Which rows carry a measured (laid out) height rather than an estimate.
    measured: Vec<bool>,
}

impl RowHeights {
    /// Builds from estimated heights in O(n).
    pub fn new(estimates: impl IntoIterator<Item = f32>) -> Self {
        let heights: Vec<f32> = estimates.into_iter().collect();
        let n = heights.len();
        let mut tree = vec![0.0f64; n + 1];
        for (i, h) in heights.iter().enumerate() {
            tree[i + 1] += f64::from(*h);
            let parent = (i + 1) + ((i + 1) & (!(i + 1) + 1));
            if parent <= n {
                let v = tree[i + 1];
                tree[parent] += v;
            }
        }
        RowHeights {
            tree,
            measured: vec![false; n],
            heights,
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
    pub fn is_measured(&self, row: usize) -> bool {
        self.measured.get(row).copied().unwrap_or(false)
    }

    /// Sets a row's measured height.
    pub fn set(&mut self, row: usize, height: f32) {
        let Some(old) = self.heights.get_mut(row) else {
            return;
        };
        self.measured[row] = true;
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
        assert!(h.is_measured(1) && !h.is_measured(0));
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
}
