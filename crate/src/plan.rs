//! The plan for one run: refuse the module with a one-line reason, list its imports
//! and exports, or run it with the memory descriptor the Core needs.

use serde::{Serialize, Serializer};

use crate::adapt::{self, AdaptError, AdaptOptions, Change};
use crate::explain;
use crate::inspect::{inspect, InspectError, Inspection, Memory};
use crate::message::{ImportGroup, Message, Said};
use crate::patch::Uncaught;
use crate::request::{MemoryFlags, Mode, RunRequest};
use crate::wasi_core;

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Plan {
    /// Print the line to stderr and return the code; the Core never sees the module.
    Refuse(Said),
    /// `--print-imports-exports`, `--explain`: print the text and return 0.
    Print { text: String },
    /// Hand the module to the Core, with `memory` when it imports one, as `module`
    /// when the adapter rewrote it (else the bytes as read).
    Run {
        memory: Option<MemoryDescriptor>,
        #[serde(skip_serializing_if = "Option::is_none", serialize_with = "as_bytes")]
        module: Option<Vec<u8>>,
    },
}

/// The adapted module crosses to JavaScript as a `Uint8Array`, not an array of numbers.
fn as_bytes<S: Serializer>(bytes: &Option<Vec<u8>>, serializer: S) -> Result<S::Ok, S::Error> {
    match bytes {
        Some(bytes) => serializer.serialize_bytes(bytes),
        None => serializer.serialize_none(),
    }
}

/// A `WebAssembly.MemoryDescriptor`: pages of 64 KiB.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryDescriptor {
    pub initial: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<u64>,
    pub shared: bool,
}

/// How the module runs, once nothing stands in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runnable {
    pub memory: Option<MemoryDescriptor>,
    pub changes: Vec<Change>,
    /// Whether traps were turned into clean exits (else why not).
    pub traps: Result<(), Uncaught>,
    pub module: Option<Vec<u8>>,
}

/// Decides what to do with the module `bytes` that `request` names.
pub fn plan(request: &RunRequest, bytes: &[u8]) -> Plan {
    let refuse = |message: Message| Plan::Refuse(Said::from(&message));
    let inspection = match inspect(bytes) {
        Ok(inspection) => inspection,
        Err(err) => return refuse(inspect_message(&request.target.file, err)),
    };
    if request.mode == Mode::ListImportsExports {
        return Plan::Print {
            text: imports_exports_listing(&inspection, &adapt_options(request)),
        };
    }
    let runnable = runnable(request, bytes, &inspection);
    if request.mode == Mode::Explain {
        return Plan::Print {
            text: explain::explain(request, bytes.len(), &inspection, &runnable),
        };
    }
    match runnable {
        Ok(run) => Plan::Run {
            memory: run.memory,
            module: run.module,
        },
        Err(message) => refuse(message),
    }
}

fn inspect_message(file: &str, err: InspectError) -> Message {
    let file = file.to_owned();
    match err {
        InspectError::Empty => Message::Empty { file },
        InspectError::NotWasm => Message::NotWasm { file },
        InspectError::Component => Message::Component { file },
        InspectError::Malformed { offset, reason } => Message::Malformed {
            file,
            offset,
            reason,
        },
    }
}

fn adapt_options(request: &RunRequest) -> AdaptOptions {
    AdaptOptions {
        stub_unknown_imports: request.adapt.stub_unknown_imports,
        file: request.target.file.clone(),
        terminals: request.adapt.terminals,
    }
}

/// Everything the Core needs to run the module, or why it cannot.
pub fn runnable(
    request: &RunRequest,
    bytes: &[u8],
    inspection: &Inspection,
) -> Result<Runnable, Message> {
    let file = || request.target.file.clone();
    let options = adapt_options(request);
    let changes = adapt::changes(inspection, &options)
        .map_err(|err| adapt_message(&request.target.file, err))?;
    if !inspection.exports_function("_start") {
        return Err(Message::NoStart { file: file() });
    }
    let memory = match inspection.memory_import() {
        Some((_, memory)) => Some(descriptor(&request.target.file, memory, &request.memory)?),
        None => {
            check_own_memory(&request.target.file, inspection)?;
            None
        }
    };
    // Adapting patches in the same pass, so a wasi_unstable program's re-pointed
    // fd_write serves too. A module the patch alone cannot read still runs as it is
    // (the engine says what is wrong with it).
    let (module, traps) = match adapt::apply_patched(bytes, &changes, &options) {
        Ok(patched) => (patched.bytes, patched.traps),
        Err(err) if changes.is_empty() => (None, Err(Uncaught::Unreadable(err.to_string()))),
        Err(err) => return Err(adapt_message(&request.target.file, err)),
    };
    Ok(Runnable {
        memory,
        changes,
        traps,
        module,
    })
}

fn adapt_message(file: &str, err: AdaptError) -> Message {
    let file = file.to_owned();
    match err {
        AdaptError::Unsupported { imports } => {
            let stubbable = imports.iter().all(|b| b.kind == "function");
            let mut modules: Vec<ImportGroup> = Vec::new();
            for blocked in imports {
                match modules.iter_mut().find(|g| g.module == blocked.module) {
                    Some(group) => group.names.push(blocked.name),
                    None => modules.push(ImportGroup {
                        module: blocked.module,
                        names: vec![blocked.name],
                    }),
                }
            }
            Message::UnsupportedImports {
                file,
                modules,
                stubbable,
            }
        }
        AdaptError::Memory64 => Message::Memory64 { file },
        AdaptError::NoMemory => Message::NoMemory { file },
        other => Message::CannotAdapt {
            file,
            reason: other.to_string(),
        },
    }
}

/// The prior art's lines, in `WebAssembly.Module.imports()/exports()` order and words,
/// then one `adapt:` line for each import rw would rewrite to make the module link.
pub fn imports_exports_listing(inspection: &Inspection, options: &AdaptOptions) -> String {
    let imports = inspection
        .imports
        .iter()
        .map(|i| format!("import: {} {} {}\n", i.module, i.name, i.kind.js_name()));
    let exports = inspection
        .exports
        .iter()
        .map(|e| format!("export: {} {}\n", e.name, e.kind.js_name()));
    let changes = adapt::changes(inspection, options).unwrap_or_default();
    let adaptations = adapt::explain(&changes)
        .lines()
        .map(|line| format!("adapt: {line}\n"))
        .collect::<Vec<_>>();
    imports.chain(exports).chain(adaptations).collect()
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
