//! The engine's integration tests (one binary for the crate, to link once).

mod engine;
mod migrations;
mod photo;
mod store;
