//! Where things are in a laid-out paragraph: what a point hits, which
//! rectangles cover a range, where a caret stands and where the arrow keys
//! move it. All offsets are code points from the paragraph's start.
//!
//! A caret position is an offset plus an [`Affinity`]. In a row the caret
//! stands at one of the *edges* between clusters, counted left to right;
//! each edge is reached from the cluster on its left or on its right, and
//! which of their ends it names depends on that cluster's direction.

use std::ops::Range;

use super::{Affinity, ClusterBox, Direction, ParagraphLayout, VisualRow};

/// What a point is over.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The visual row.
    pub row: usize,
    /// The grapheme cluster under (or nearest to) the point.
    pub cluster: Range<usize>,
    /// The boundary nearest to the point: where a click puts the caret and
    /// a drag starts or ends.
    pub offset: usize,
    pub affinity: Affinity,
}

/// A caret on screen, in paragraph coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Caret {
    pub row: usize,
    pub x: f32,
    pub top: f32,
    pub bottom: f32,
}

/// A rectangle covering part of a range on one row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutRect {
    pub row: usize,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
}

/// A caret move by the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// One cluster to the left on screen (→ for Right).
    Left,
    Right,
    /// To the start of the visual line in reading order (Home).
    LineStart,
    /// To its end (End).
    LineEnd,
}

/// The caret position naming edge `edge` (0 = the row's left end) of a
/// row whose clusters are `clusters`, reached over the cluster on `side`
/// (`true`: the one to the left of the edge).
fn edge_position(
    clusters: &[(&ClusterBox, Direction)],
    edge: usize,
    from_left: bool,
) -> Option<(usize, Affinity)> {
    let left = edge.checked_sub(1).and_then(|i| clusters.get(i));
    let right = clusters.get(edge);
    let (cluster, dir, on_its_right) = match (from_left, left, right) {
        (true, Some((c, d)), _) | (false, Some((c, d)), None) => (*c, *d, true),
        (_, _, Some((c, d))) => (*c, *d, false),
        _ => return None,
    };
    // The edge is the cluster's right side or its left side; in logical
    // terms that is its end or its start, depending on its direction.
    let is_end = on_its_right == (dir == Direction::Ltr);
    Some(if is_end {
        (cluster.range.end, Affinity::Before)
    } else {
        (cluster.range.start, Affinity::After)
    })
}

impl ParagraphLayout {
    /// The row at height `y`, clamped to the first and last.
    fn row_at(&self, y: f32) -> Option<usize> {
        if self.rows.is_empty() {
            return None;
        }
        let ix = self.rows.partition_point(|r| r.bottom <= y);
        Some(ix.min(self.rows.len() - 1))
    }

    /// What the point `(x, y)` (paragraph coordinates) is over; a point
    /// beside a row hits its nearest cluster. `None` for an empty paragraph.
    pub fn hit(&self, x: f32, y: f32) -> Option<Hit> {
        let row_ix = self.row_at(y)?;
        let row = &self.rows[row_ix];
        let clusters: Vec<_> = row.clusters().collect();
        let Some(found) = clusters
            .iter()
            .position(|(c, _)| x < c.x1)
            .or(clusters.len().checked_sub(1))
        else {
            return Some(Hit {
                row: row_ix,
                cluster: row.range.start..row.range.start,
                offset: row.range.start,
                affinity: Affinity::After,
            });
        };
        let (cluster, _) = clusters[found];
        let right_half = x >= (cluster.x0 + cluster.x1) * 0.5;
        let edge = found + usize::from(right_half);
        let (offset, affinity) = edge_position(&clusters, edge, right_half)
            .unwrap_or((row.range.start, Affinity::After));
        Some(Hit {
            row: row_ix,
            cluster: cluster.range.clone(),
            offset,
            affinity,
        })
    }

    /// Rectangles covering the clusters that `range` touches: one per run
    /// of visually adjacent clusters, so a range across a direction change
    /// gives several on one row.
    pub fn rects(&self, range: Range<usize>) -> Vec<LayoutRect> {
        let mut out = Vec::new();
        if range.start >= range.end {
            return out;
        }
        for (row_ix, row) in self.rows.iter().enumerate() {
            if row.range.end <= range.start && row.range.start < row.range.end {
                continue;
            }
            if row.range.start >= range.end {
                break;
            }
            let mut open: Option<LayoutRect> = None;
            for (c, _) in row.clusters() {
                let inside = c.range.start < range.end && c.range.end > range.start;
                match (&mut open, inside) {
                    (Some(r), true) => r.x1 = c.x1,
                    (None, true) => {
                        open = Some(LayoutRect {
                            row: row_ix,
                            x0: c.x0,
                            x1: c.x1,
                            top: row.text_top,
                            bottom: row.bottom,
                        })
                    }
                    (Some(_), false) => out.extend(open.take()),
                    (None, false) => {}
                }
            }
            out.extend(open);
        }
        out
    }

    /// Where the caret stands at `offset`. `affinity` picks the side when
    /// the offset has two places (a wrap, a direction change).
    pub fn caret(&self, offset: usize, affinity: Affinity) -> Option<Caret> {
        let mut before = None;
        let mut after = None;
        let mut inside = None;
        for (row_ix, row) in self.rows.iter().enumerate() {
            for (c, dir) in row.clusters() {
                let ltr = dir == Direction::Ltr;
                if c.range.start == offset {
                    after = after.or(Some((row_ix, if ltr { c.x0 } else { c.x1 })));
                }
                if c.range.end == offset {
                    before = Some((row_ix, if ltr { c.x1 } else { c.x0 }));
                }
                if c.range.start < offset && offset < c.range.end {
                    inside = inside.or(Some((row_ix, if ltr { c.x0 } else { c.x1 })));
                }
            }
        }
        let (row, x) = match affinity {
            Affinity::After => after.or(before),
            Affinity::Before => before.or(after),
        }
        .or(inside)
        .or_else(|| {
            // An empty paragraph (or row): its start edge.
            let row = self
                .rows
                .iter()
                .position(|r| r.range.start <= offset && offset <= r.range.end)?;
            Some((row, self.start_x(&self.rows[row])))
        })?;
        let r = &self.rows[row];
        Some(Caret {
            row,
            x,
            top: r.text_top,
            bottom: r.bottom,
        })
    }

    /// Where an empty row's caret stands: its left end, or its right end in
    /// a right-to-left paragraph.
    fn start_x(&self, row: &VisualRow) -> f32 {
        let first = row.runs.first().map(|r| r.x0);
        let last = row.runs.last().map(|r| r.x1);
        match self.direction {
            Direction::Ltr => first.unwrap_or(0.0),
            Direction::Rtl => last.unwrap_or(self.width),
        }
    }

    /// Where `motion` takes a caret at `(offset, affinity)`. `None` when it
    /// would leave the paragraph (the view moves on to the next one).
    pub fn step(
        &self,
        offset: usize,
        affinity: Affinity,
        motion: Motion,
    ) -> Option<(usize, Affinity)> {
        let caret = self.caret(offset, affinity)?;
        let row = &self.rows[caret.row];
        let clusters: Vec<_> = row.clusters().collect();
        let edge = clusters
            .iter()
            .position(|(c, _)| (c.x0 - caret.x).abs() < 0.01 || c.x0 > caret.x)
            .unwrap_or(clusters.len());
        let rtl = self.direction == Direction::Rtl;
        match motion {
            Motion::LineStart | Motion::LineEnd => {
                let to_right = (motion == Motion::LineEnd) != rtl;
                let edge = if to_right { clusters.len() } else { 0 };
                edge_position(&clusters, edge, to_right)
            }
            Motion::Right if edge < clusters.len() => edge_position(&clusters, edge + 1, true),
            Motion::Left if edge > 0 => edge_position(&clusters, edge - 1, false),
            Motion::Right | Motion::Left => {
                // Off the row's end: on to the next row in reading order,
                // entering it from the side the caret moved towards.
                let forward = (motion == Motion::Right) != rtl;
                let next = if forward {
                    caret.row.checked_add(1).filter(|&r| r < self.rows.len())
                } else {
                    caret.row.checked_sub(1)
                }?;
                let next_clusters: Vec<_> = self.rows[next].clusters().collect();
                let enter_left = motion == Motion::Right;
                let edge = if enter_left { 0 } else { next_clusters.len() };
                edge_position(&next_clusters, edge, !enter_left)
            }
        }
    }
}
