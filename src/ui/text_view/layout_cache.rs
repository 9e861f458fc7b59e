//! Shaped rows kept across frames, so scrolling back and repainting cost
//! nothing; and the bidi levels of lines cut into several rows (resolved
//! once per line, then shared by its pieces).

use std::collections::HashMap;
use std::sync::Arc;

use crate::model::bidi::{Direction, levels};
use crate::model::lines::Row;
use crate::text_layout::ParagraphLayout;

/// Rows kept beyond the visible ones, in each direction.
const KEEP_AROUND: usize = 400;

/// A cut line's levels, with where each code point starts (to find a
/// row's code points in the line without counting from its start).
pub(super) struct LineLevels {
    levels: Vec<u8>,
    byte_starts: Vec<usize>,
}

#[derive(Default)]
pub(super) struct LayoutCache {
    rows: HashMap<usize, Arc<ParagraphLayout>>,
    /// Whole line (byte offset, direction) → levels per code point.
    line_levels: HashMap<(usize, Direction), Arc<LineLevels>>,
}

impl LayoutCache {
    /// Forgets everything (the text, width or style changed).
    pub fn clear(&mut self) {
        self.rows.clear();
        self.line_levels.clear();
    }

    pub fn get(&self, row: usize) -> Option<Arc<ParagraphLayout>> {
        self.rows.get(&row).cloned()
    }

    pub fn insert(&mut self, row: usize, layout: Arc<ParagraphLayout>) {
        self.rows.insert(row, layout);
    }

    /// Drops rows far from the visible ones `first..end`, so memory stays
    /// bounded however long the document.
    pub fn keep_near(&mut self, first: usize, end: usize) {
        if self.rows.len() > 4 * KEEP_AROUND {
            let (lo, hi) = (first.saturating_sub(KEEP_AROUND), end + KEEP_AROUND);
            self.rows.retain(|r, _| (lo..hi).contains(r));
        }
        if self.line_levels.len() > 64 {
            self.line_levels.clear();
        }
    }

    /// The levels of `row`'s code points, taken from its whole line.
    pub fn line_levels(
        &mut self,
        text: &str,
        row: &Row,
        direction: Direction,
    ) -> Option<Arc<Vec<u8>>> {
        let line = &text[row.line_bytes()];
        let all = self
            .line_levels
            .entry((row.line_byte, direction))
            .or_insert_with(|| {
                let by_byte = levels(line, direction);
                let byte_starts: Vec<usize> = line.char_indices().map(|(b, _)| b).collect();
                let levels = byte_starts.iter().map(|&b| by_byte[b]).collect();
                Arc::new(LineLevels {
                    levels,
                    byte_starts,
                })
            })
            .clone();
        // The row's code points within its line.
        let first = all
            .byte_starts
            .partition_point(|&b| b < row.byte - row.line_byte);
        let slice = all.levels.get(first..first + row.len)?.to_vec();
        Some(Arc::new(slice))
    }
}
