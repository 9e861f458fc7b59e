//! The workspace driven as an analyst would, headless with egui_kittest:
//! drag over text, press keys, click, and check what the model holds.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod commands;
mod common;
mod disk;
mod document_date;
mod events;
mod file_browser;
mod files;
mod import;
mod read_only;
mod recovery;
mod resize;
mod review;
mod rtl;
mod sample;
mod schema;
mod search;
mod selection;
mod workers;
