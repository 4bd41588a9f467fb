//! A stable-Rust fuzz engine for rw-core (see `main.rs`); a library so the crash
//! regression test runs the same checks.

pub mod engine;
pub mod inputs;
