//! The plan for one run: refuse the module with a one-line reason, list its imports
//! and exports, or run it with the memory descriptor the Core needs.

use serde::Serialize;

use crate::cli::{MemoryFlags, RunRequest};
use crate::inspect::{inspect, ImportKind, InspectError, Inspection, Memory};
use crate::message::{ImportGroup, Message, Said};
use crate::wasi_core;

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Plan {
    /// Print the line to stderr and return the code; the Core never sees the module.
    Refuse(Said),
    /// `--print-imports-exports`: print the text and return 0.
    List { text: String },
    /// Hand the module to the Core, with `memory` when it imports one.
    Run { memory: Option<MemoryDescriptor> },
}

/// A `WebAssembly.MemoryDescriptor`: pages of 64 KiB.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryDescriptor {
    pub initial: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<u64>,
    pub shared: bool,
}

/// Decides what to do with the module `bytes` that `request` names.
pub fn plan(request: &RunRequest, bytes: &[u8]) -> Plan {
    match decide(request, bytes) {
        Ok(plan) => plan,
        Err(message) => Plan::Refuse(Said::from(&message)),
    }
}

fn decide(request: &RunRequest, bytes: &[u8]) -> Result<Plan, Message> {
    let file = || request.file.clone();
    let inspection = inspect(bytes).map_err(|err| match err {
        InspectError::Empty => Message::Empty { file: file() },
        InspectError::NotWasm => Message::NotWasm { file: file() },
        InspectError::Component => Message::Component { file: file() },
        InspectError::Malformed { offset, reason } => Message::Malformed {
            file: file(),
            offset,
            reason,
        },
    })?;
    if request.print_imports_exports {
        return Ok(Plan::List {
            text: imports_exports_listing(&inspection),
        });
    }
    let unsupported = unsupported_imports(&inspection);
    if !unsupported.is_empty() {
        return Err(Message::UnsupportedImports {
            file: file(),
            modules: unsupported,
        });
    }
    if !inspection.exports_function("_start") {
        return Err(Message::NoStart { file: file() });
    }
    let memory = match inspection.memory_import() {
        Some((_, memory)) => Some(descriptor(&request.file, memory, &request.memory)?),
        None => {
            check_own_memory(&request.file, &inspection)?;
            None
        }
    };
    Ok(Plan::Run { memory })
}

/// The prior art's lines, in `WebAssembly.Module.imports()/exports()` order and words.
pub fn imports_exports_listing(inspection: &Inspection) -> String {
    let imports = inspection
        .imports
        .iter()
        .map(|i| format!("import: {} {} {}\n", i.module, i.name, i.kind.js_name()));
    let exports = inspection
        .exports
        .iter()
        .map(|e| format!("export: {} {}\n", e.name, e.kind.js_name()));
    imports.chain(exports).collect()
}

/// Imports the Core would fail to link, grouped by module in first-seen order.
fn unsupported_imports(inspection: &Inspection) -> Vec<ImportGroup> {
    let mut groups: Vec<ImportGroup> = Vec::new();
    for import in &inspection.imports {
        let linkable = match &import.kind {
            ImportKind::Function { .. } => {
                wasi_core::provides_function(&import.module, &import.name)
            }
            ImportKind::Memory(_) => {
                import.module == wasi_core::MEMORY_MODULE && import.name == wasi_core::MEMORY_NAME
            }
            ImportKind::Table | ImportKind::Global | ImportKind::Tag => false,
        };
        if linkable {
            continue;
        }
        match groups.iter_mut().find(|g| g.module == import.module) {
            Some(group) => group.names.push(import.name.clone()),
            None => groups.push(ImportGroup {
                module: import.module.clone(),
                names: vec![import.name.clone()],
            }),
        }
    }
    groups
}

/// The memory the Core creates for a module that imports one: the module's own
/// limits, each overridden by a flag the user gave, and refused when the result could
/// not link (a LinkError would hang the Core).
fn descriptor(
    file: &str,
    module: Memory,
    flags: &MemoryFlags,
) -> Result<MemoryDescriptor, Message> {
    let conflict = |detail: String| Message::MemoryConflict {
        file: file.to_owned(),
        detail,
    };
    if module.memory64 {
        return Err(Message::Memory64 {
            file: file.to_owned(),
        });
    }
    let wanted = MemoryDescriptor {
        initial: flags.initial.map_or(module.initial, u64::from),
        maximum: flags.maximum.map(u64::from).or(module.maximum),
        shared: flags.shared.unwrap_or(module.shared),
    };
    if wanted.initial < module.initial {
        return Err(conflict(format!(
            "imports a memory of at least {} pages, but --memory-initial is {}; raise it or drop the flag",
            module.initial, wanted.initial
        )));
    }
    if let (Some(limit), Some(max)) = (module.maximum, wanted.maximum) {
        if max > limit {
            return Err(conflict(format!(
                "imports a memory of at most {limit} pages, but --memory-maximum is {max}; lower it or drop the flag"
            )));
        }
    }
    if wanted.shared != module.shared {
        let (is, flag) = if module.shared {
            ("a shared", "false")
        } else {
            ("an unshared", "true")
        };
        return Err(conflict(format!(
            "imports {is} memory, so --memory-shared={flag} cannot link; drop the flag"
        )));
    }
    if let Some(max) = wanted.maximum {
        if max < wanted.initial {
            return Err(conflict(format!(
                "--memory-maximum {max} is below the initial {} pages; raise it or drop the flag",
                wanted.initial
            )));
        }
    }
    let too_big = [Some(wanted.initial), wanted.maximum]
        .into_iter()
        .flatten()
        .find(|&pages| pages > wasi_core::MAX_PAGES);
    if let Some(pages) = too_big {
        return Err(conflict(format!(
            "{pages} pages exceed WebAssembly's {} (4 GiB); lower the --memory-* flags",
            wasi_core::MAX_PAGES
        )));
    }
    Ok(wanted)
}

/// A module that imports no memory must export the one WASI functions use.
fn check_own_memory(file: &str, inspection: &Inspection) -> Result<(), Message> {
    let file = || file.to_owned();
    if inspection.defined_memories.iter().any(|m| m.memory64) {
        return Err(Message::Memory64 { file: file() });
    }
    if !inspection.exports_memory(wasi_core::MEMORY_NAME) {
        return Err(Message::NoMemory { file: file() });
    }
    Ok(())
}
