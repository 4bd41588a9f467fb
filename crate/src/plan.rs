//! The decision for one run: refuse the module with a one-line reason, print a report of
//! it (`--print-imports-exports`, `--explain`), or run it with the memory the Core must
//! create and the module as adapted.

use serde::Serialize;

use crate::adapt::instrument::{self, Caught};
use crate::adapt::watch::Watch;
use crate::adapt::{self, AdaptError, Change, Options, TrapsUncaught};
use crate::message::{CannotAdapt, ImportGroup, Message};
use crate::module::{ModuleError, ModuleInfo};
use crate::request::{MemoryFlags, Mode, RunRequest};
use crate::wasi_core;
use wasmparser::MemoryType;

/// What to do with a module's bytes.
#[derive(Debug, Clone)]
pub enum Decision<'a> {
    /// Print the message's line to stderr and return its code; the Core never sees the
    /// module.
    Refuse(Message),
    /// Print the report (`explain.rs` renders it) and return 0.
    Print(Box<Report<'a>>),
    /// Hand the module to the Core, with `memory` when it imports one, as `module` when
    /// the adapter rewrote it (else the bytes as read); `watch` it when it may trap
    /// where no check sees it (`adapt/watch.rs`).
    Run {
        memory: Option<MemoryDescriptor>,
        module: Option<Vec<u8>>,
        watch: Option<Box<Watch>>,
    },
}

/// What a report says of a module.
#[derive(Debug, Clone)]
pub enum Report<'a> {
    /// `--print-imports-exports`: its imports and exports, and what the adapter would
    /// change.
    ImportsExports {
        module: ModuleInfo<'a>,
        changes: Vec<Change>,
    },
    /// `--explain`: how rw would run it.
    Explain {
        file: String,
        size: usize,
        module: ModuleInfo<'a>,
        runnable: Result<Runnable, Message>,
    },
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
    /// Whether `unreachable` was turned into a clean exit (else why not).
    pub traps: Result<(), TrapsUncaught>,
    /// Which other traps end the run cleanly.
    pub caught: Caught,
    pub module: Option<Vec<u8>>,
    pub watch: Option<Box<Watch>>,
}

/// Decides what to do with the module `bytes` that `request` names.
pub fn plan<'a>(request: &RunRequest, bytes: &'a [u8]) -> Decision<'a> {
    let file = &request.target.file;
    let module = match ModuleInfo::read(bytes) {
        Ok(module) => module,
        Err(err) => return Decision::Refuse(module_message(file, err)),
    };
    let options = Options {
        adapt: &request.adapt,
        file,
        patch_code: true,
    };
    match request.mode {
        Mode::ListImportsExports => {
            let changes = adapt::changes(&module, &options).unwrap_or_default();
            Decision::Print(Box::new(Report::ImportsExports { module, changes }))
        }
        Mode::Explain => {
            let runnable = runnable(request, &options, bytes, &module);
            Decision::Print(Box::new(Report::Explain {
                file: file.clone(),
                size: bytes.len(),
                module,
                runnable,
            }))
        }
        Mode::Run => match runnable(request, &options, bytes, &module) {
            Ok(run) => Decision::Run {
                memory: run.memory,
                module: run.module,
                watch: run.watch,
            },
            Err(message) => Decision::Refuse(message),
        },
    }
}

pub(crate) fn module_message(file: &str, err: ModuleError) -> Message {
    let file = file.to_owned();
    match err {
        ModuleError::Empty => Message::Empty { file },
        ModuleError::NotWasm => Message::NotWasm { file },
        ModuleError::Component => Message::Component { file },
        ModuleError::Malformed { offset, reason } => Message::Malformed {
            file,
            offset,
            reason,
        },
    }
}

/// Everything the Core needs to run the module, or why it cannot.
fn runnable(
    request: &RunRequest,
    options: &Options<'_>,
    bytes: &[u8],
    module: &ModuleInfo<'_>,
) -> Result<Runnable, Message> {
    let file = &request.target.file;
    // What cannot link is said before anything else.
    let claims = adapt::claim(module, options).map_err(|err| adapt_message(file, err))?;
    if !module.exports_function("_start") {
        return Err(Message::NoStart { file: file.clone() });
    }
    let memory = match module.memory_import() {
        Some((_, memory)) => Some(descriptor(file, memory, &request.memory)?),
        None => {
            check_own_memory(file, module)?;
            None
        }
    };
    let adapted = claims
        .adapt(module, bytes, options)
        .map_err(|err| adapt_message(file, err))?;
    let mut run = Runnable {
        memory,
        changes: adapted.changes,
        traps: adapted.traps,
        caught: Caught::default(),
        module: adapted.bytes,
        watch: None,
    };
    if !options.patch_code {
        return Ok(run);
    }
    let written = run.module.as_deref().unwrap_or(bytes);
    // What the engine will refuse anyway is left for it to say.
    let Ok(instrumented) = instrument::instrument(written, file) else {
        return Ok(run);
    };
    run.caught = instrumented.caught;
    if let Some((watch, memory)) = instrumented.watch {
        if let Some(memory) = memory {
            run.memory = Some(MemoryDescriptor {
                initial: memory.minimum,
                maximum: memory.maximum,
                shared: memory.shared,
            });
        }
        run.watch = Some(Box::new(watch));
    }
    if let Some(bytes) = instrumented.bytes {
        run.module = Some(bytes);
    }
    Ok(run)
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
        AdaptError::Signature {
            module,
            name,
            found,
            expected,
        } => Message::CannotAdapt {
            file,
            why: CannotAdapt::ImportType {
                module,
                name,
                found,
                expected,
            },
        },
        AdaptError::Instructions { offset } => Message::CannotAdapt {
            file,
            why: CannotAdapt::Instructions { offset },
        },
        AdaptError::Malformed { offset, reason } => Message::CannotAdapt {
            file,
            why: CannotAdapt::Malformed { offset, reason },
        },
    }
}

/// The memory the Core creates for a module that imports one: the module's own
/// limits, each overridden by a flag the user gave, and refused when the result could
/// not link (a LinkError would hang the Core).
fn descriptor(
    file: &str,
    module: MemoryType,
    flags: &MemoryFlags,
) -> Result<MemoryDescriptor, Message> {
    let conflict = |conflict| Message::MemoryConflict {
        file: file.to_owned(),
        conflict,
    };
    use crate::message::MemoryConflict as Conflict;
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
        return Err(conflict(Conflict::InitialBelowModule {
            module: module.initial,
            flag: wanted.initial,
        }));
    }
    if let (Some(limit), Some(max)) = (module.maximum, wanted.maximum) {
        if max > limit {
            return Err(conflict(Conflict::MaximumAboveModule {
                module: limit,
                flag: max,
            }));
        }
    }
    if wanted.shared != module.shared {
        return Err(conflict(Conflict::Shared {
            module: module.shared,
        }));
    }
    if let Some(max) = wanted.maximum {
        if max < wanted.initial {
            return Err(conflict(Conflict::MaximumBelowInitial {
                maximum: max,
                initial: wanted.initial,
            }));
        }
    }
    let too_big = [Some(wanted.initial), wanted.maximum]
        .into_iter()
        .flatten()
        .find(|&pages| pages > wasi_core::MAX_PAGES);
    if let Some(pages) = too_big {
        return Err(conflict(Conflict::TooManyPages { pages }));
    }
    Ok(wanted)
}

/// A module that imports no memory must export the one WASI functions use.
fn check_own_memory(file: &str, module: &ModuleInfo<'_>) -> Result<(), Message> {
    let file = || file.to_owned();
    if module.defined_memories.iter().any(|m| m.memory64) {
        return Err(Message::Memory64 { file: file() });
    }
    if !module.exports_memory(wasi_core::MEMORY_NAME) {
        return Err(Message::NoMemory { file: file() });
    }
    Ok(())
}
