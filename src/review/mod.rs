//! Review: aligning colleagues' layers, agreement figures, and bringing a
//! colleague's project in. No UI here.

pub mod adjudicate;
pub mod align;
pub mod completeness;
pub mod frame_adjudicate;
pub mod frame_align;
pub mod frame_metrics;
pub mod merge;
pub mod metrics;
mod overlap_pairs;
pub mod session;
mod stepping;
mod token_table;
