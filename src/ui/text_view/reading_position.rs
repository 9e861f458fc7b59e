//! Keeping the reading position when row heights change: after a resize
//! the new heights are estimated a slice per frame, and when they replace
//! the old ones the row that was at the top of the view is put back there.

use super::TextView;
use super::heights::ESTIMATES_PER_FRAME;

impl TextView {
    /// Makes the next rows' height estimates after a resize; with the last,
    /// the new heights replace the old and the reading position is kept.
    pub(super) fn continue_rebuild(&mut self) {
        let Some((mut builder, estimate)) = self.rebuild.take() else {
            return;
        };
        let from = builder.next();
        let rows = self.lines.rows();
        let to = (from + ESTIMATES_PER_FRAME).min(rows.len());
        builder.extend(rows[from..to].iter().map(|r| estimate.of(r)));
        match builder.finish() {
            Ok(heights) => {
                let anchor = self.anchor();
                self.heights = heights;
                self.keep_top = Some(self.top_at(anchor));
            }
            Err(builder) => self.rebuild = Some((builder, estimate)),
        }
    }

    /// Where the reading position is: the row at the top of the view and,
    /// for a paragraph taller than the view, how far into it (a fraction of
    /// its height). A shorter row is put whole at the top, so it stays the
    /// top row however its new height differs from its estimate.
    pub(super) fn anchor(&self) -> (usize, f32) {
        let row = self.heights.row_at(self.offset);
        let height = self.heights.height(row).max(1.0);
        if height <= self.viewport_height {
            return (row, 0.0);
        }
        let into = (self.offset - self.heights.top_of(row)) / height;
        (row, into.clamp(0.0, 1.0))
    }

    /// The scroll offset that puts `anchor` at the top of the view.
    pub(super) fn top_at(&self, (row, into): (usize, f32)) -> f32 {
        self.heights.top_of(row) + into * self.heights.height(row)
    }
}
