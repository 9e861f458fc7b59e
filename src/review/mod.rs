//! Review: aligning colleagues' layers, agreement figures, and bringing a
//! colleague's project in. No UI here.

pub mod adjudicate;
pub mod align;
pub mod merge;
pub mod metrics;
mod overlap_pairs;
mod token_table;
