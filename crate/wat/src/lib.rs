//! "Show as WAT" of rw's module view, apart from rw's core: wasmprinter is about a quarter
//! of the core's size and only this one command uses it, so it is a wasm of its own that
//! the extension compiles the first time text is asked for, never before a run.
//! [`page`] prints; [`bindings`] is its JavaScript face.

pub mod page;

#[cfg(target_arch = "wasm32")]
mod bindings;
