//! rw's core: everything the VS Code extension decides, as plain Rust.
//!
//! The extension is a thin shim: it hands the Web Shell's words to [`cli::parse`],
//! reads the file, asks [`plan::plan`] what to do with its bytes, and runs the module
//! in the WASM WASI Core. [`bindings`] exports these to JavaScript with wasm-bindgen.

pub mod adapt;
pub mod cli;
pub mod explain;
pub mod inspect;
pub mod limits;
pub mod message;
pub mod patch;
pub mod path;
pub mod plan;
pub mod request;
pub mod tree;
pub mod wasi_core;
pub mod words;

#[cfg(target_arch = "wasm32")]
mod bindings;
