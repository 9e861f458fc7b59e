//! Spanmark: native, offline span annotation for analysts.
//!
//! `model` is the pure data model, `io` reads and writes files, `cli` is the
//! command-line front end and `ui` the egui workspace.

pub mod cli;
pub mod io;
pub mod lcg;
pub mod model;
pub mod render;
pub mod review;
pub mod sample;
pub mod synthetic;
pub mod text_layout;
pub mod ui;
