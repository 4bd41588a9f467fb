//! The memory a module imports links whatever its name.
//!
//! The wasi-threads proposal leaves open the name under which a module imports its
//! shared memory (wasm-ld writes `env.memory`; other toolchains need not), and wasmtime
//! links a shared memory under the module's own names. The WASM WASI Core 1.0.2 links
//! only `env.memory`: its workers instantiate with `env: { memory }`, and it creates
//! the memory rw describes only for a module whose memory import is named `memory`.
//! So a module's first memory import (its memory 0, the one WASI's pointers point
//! into) is imported as `env.memory` instead, and links to the memory rw gives the Core
//! (`plan.rs`: the import's own limits). Only the import's names change: no index
//! moves, and `--print-imports-exports` still lists the module's own names.
//!
//! Any later memory import links only as `env.memory`, as before: the Core gives a
//! module one memory.

use wasmparser::TypeRef;

use crate::module::Import;
use crate::wasi_core::{MEMORY_MODULE, MEMORY_NAME};

/// How a non-function import links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The Core links it as it is: `env.memory`.
    AsItIs,
    /// Imported as `env.memory` instead ([`super::Action::Memory`]).
    Renamed,
    /// Nothing links it: a table, global or tag, or a second memory of another name.
    Never,
}

/// How `import` links, `first` when no memory import comes before it.
pub fn link(import: &Import, first: bool) -> Link {
    let TypeRef::Memory(_) = import.ty else {
        return Link::Never;
    };
    match (import.module, import.name) {
        (MEMORY_MODULE, MEMORY_NAME) => Link::AsItIs,
        _ if first => Link::Renamed,
        _ => Link::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::MemoryType;

    fn memory(module: &'static str, name: &'static str) -> Import<'static> {
        let ty = TypeRef::Memory(MemoryType {
            memory64: false,
            shared: true,
            initial: 1,
            maximum: Some(1),
            page_size_log2: None,
        });
        Import { module, name, ty }
    }

    #[test]
    fn the_first_memory_links_under_any_name_a_later_one_only_as_env_memory() {
        assert_eq!(link(&memory("env", "memory"), true), Link::AsItIs);
        assert_eq!(link(&memory("foo", "bar"), true), Link::Renamed);
        assert_eq!(link(&memory("env", "memory"), false), Link::AsItIs);
        assert_eq!(link(&memory("foo", "bar"), false), Link::Never);
        let global = Import {
            module: "env",
            name: "memory",
            ty: TypeRef::Global(wasmparser::GlobalType {
                content_type: wasmparser::ValType::I32,
                mutable: false,
                shared: false,
            }),
        };
        assert_eq!(link(&global, true), Link::Never);
    }
}
