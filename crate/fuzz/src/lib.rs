//! A stable-Rust fuzz engine for rw-core and crw's wire (see `main.rs`); a library so the
//! crash regression test runs the same checks.

pub mod engine;
/// crw's wire, compiled in from the client's own source (crw is a binary, not a library).
#[path = "../../../crw/src/frame.rs"]
#[allow(dead_code)]
pub mod frame;
pub mod inputs;
pub mod targets;
