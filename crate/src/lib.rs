//! rw's core: everything the VS Code extension decides, as plain Rust.
//!
//! Data flows one way: the words of a command line → [`cli`] → a [`request`] → the
//! module's [`module::ModuleInfo`], read once → the [`adapt`]ations → the one-pass
//! writer → a [`plan::Decision`] (a [`message`] to refuse with, a report [`explain`]
//! renders, or a module to run) → [`bindings`], which the extension's TypeScript calls.
//! [`tree`] decides the directories a program sees. A module imports only modules
//! listed before it in this order: words, path, limits, wasi_core, request, message,
//! cli, tree, module, adapt, plan, explain. [`warm_up`] makes the module the extension
//! plans once when it starts, so that no user's first run waits for V8 to compile the core.

pub mod adapt;
pub mod cli;
pub mod explain;
pub mod limits;
pub mod message;
pub mod module;
pub mod path;
pub mod plan;
pub mod request;
pub mod tree;
pub mod view;
pub mod warm_up;
pub mod wasi_core;
pub mod words;

#[cfg(target_arch = "wasm32")]
mod bindings;
