//! The module adapter: rewrites a module so that the WASM WASI Core links it and runs it
//! as wasmtime would, instead of refusing it or letting it hang.
//!
//! Each adaptation lives in a file of its own. Those that take over imports implement
//! [`Adaptation`]: which imports they claim ([`Adaptation::claim`], from the
//! [`ModuleInfo`] and the options alone, cheap: no code is read) and what stands in for
//! each ([`Adaptation::replace`], through the layout [`Builder`]):
//! - `wasi_unstable.rs`: snapshot 0 imports re-pointed to preview1, four shims;
//! - `enosys.rs`: preview1 functions the Core lacks return ENOSYS;
//! - `unknown_stub.rs`: with `--stub-unknown-imports`, any other function import says it
//!   was called and exits with 134;
//! - `isatty.rs`, `preopens.rs`, `deletes.rs`, `readdir.rs`, `errnos.rs`: functions the
//!   Core links but gets wrong get a wrapper.
//!
//! `memory.rs` decides how the other imports link: the module's memory under any name
//! (imported as `env.memory`, the only name the Core links), nothing else.
//!
//! Two adapt the module's own code once every import has its place ([`CodePatch`]):
//! `traps.rs` (each `unreachable` prints a line and exits with 134) and `fd_write.rs`
//! (writes of 3+ iovecs, which the Core joins wrongly, go one by one).
//!
//! [`adapt`] runs them all and writes the result in one pass over the bytes
//! (`rewrite.rs`), copying every section, and every function body, it does not need to
//! change; a module that needs nothing is passed through untouched. In the shipped
//! (wasm32) core under Node, adapting a 16 MB module takes about 14 ms when a few
//! functions call a replaced import, about 22 ms when every function does, and about
//! 26 ms for npm's 16 MB ruby.wasm, most of it skimming its 5.7 million instructions:
//! less than one `WebAssembly.compile` of the same bytes (`scripts/bench.sh`).

mod checks;
mod code;
mod deletes;
mod emit;
mod enosys;
pub mod errno;
mod errnos;
mod fd_write;
pub mod input;
pub mod instrument;
mod isatty;
mod layout;
mod memory;
mod notes;
pub mod output;
mod preopens;
mod readdir;
pub mod release;
mod rewrite;
mod scratch;
mod sig;
mod skim;
mod trap_sites;
mod traps;
mod unknown_stub;
mod wasi_unstable;
pub mod watch;

use serde::Serialize;
use wasmparser::{FuncType, TypeRef};

use crate::module::{import_kind_name, Import, ModuleInfo};
use crate::request::{AdaptOptions, Terminals};
use crate::wasi_core;

pub use deletes::Delete;
pub use errnos::Correction;
pub use isatty::{Isatty, Stat};
pub use layout::{Builder, Layout, Replaced};
pub use preopens::PREOPEN_FD;
pub use wasi_unstable::Shim;

/// The module the Core binds its preview1 host functions to.
pub const PREVIEW1: &str = "wasi_snapshot_preview1";
/// WASI snapshot 0, the ABI before preview1.
pub const UNSTABLE: &str = "wasi_unstable";
/// What an ENOSYS stub returns: errno `nosys` (the same number in snapshot 0 and preview1).
pub const ENOSYS: i32 = errno::NOSYS;
/// What `fd_allocate` returns: errno `notsup`, wasmtime's answer too.
pub const ENOTSUP: i32 = errno::NOTSUP;
/// What a shim returns when it cannot get scratch memory: errno `nomem`.
pub const ENOMEM: i32 = errno::NOMEM;

/// What the adapter is told besides the module.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The request's adapter options.
    pub adapt: &'a AdaptOptions,
    /// The file as the user named it, for the messages the module may print.
    pub file: &'a str,
    /// Whether the code patches ([`CodePatch`]) run too. Always in a run; a test of the
    /// import adaptations alone turns them off.
    pub patch_code: bool,
}

/// What happens to one import.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub module: String,
    pub name: String,
    pub action: Action,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(tag = "kind", content = "detail", rename_all = "camelCase")]
pub enum Action {
    /// A `wasi_unstable` function whose ABI preview1 kept: imported from
    /// `wasi_snapshot_preview1` instead, under the same name.
    Repoint,
    /// A `wasi_unstable` function whose ABI changed: a local function translates and
    /// calls the preview1 one.
    Shim(Shim),
    /// A memory import the Core links under no other name: imported as `env.memory`
    /// instead, the memory rw gives the Core (`memory.rs`).
    Memory,
    /// A WASI function the Core lacks: a local function that returns ENOSYS (52).
    Enosys,
    /// `fd_allocate`, which the Core gets wrong: a local function that returns ENOTSUP
    /// (58), as wasmtime does (`errnos.rs`).
    Notsup,
    /// An unknown function import: a local function that, if called, writes
    /// `rw: FILE called unsupported import MODULE.NAME` to stderr and exits with 134.
    Stub,
    /// A function that reports filetypes, while some stdio stream is not a terminal:
    /// `isatty()` is false for those (`isatty.rs`).
    Isatty(Isatty),
    /// `fd_prestat_get`, answered by fd (`preopens.rs`).
    Preopens,
    /// `fd_prestat_dir_name`, ENAMETOOLONG for a short buffer (`preopens.rs`).
    PreopenName,
    /// A delete, done by a rename to a name rw's file system deletes (`deletes.rs`).
    Delete(Delete),
    /// `path_rename`, replacing an existing target as POSIX does (`deletes.rs`).
    Rename,
    /// `fd_readdir`, listing `.` and `..` first (`readdir.rs`).
    Readdir,
    /// A function whose errno the Core gets wrong, corrected (`errnos.rs`).
    Errno(Correction),
}

impl Action {
    /// The adaptation that claims and replaces imports with this action.
    fn adaptation(self) -> &'static dyn Adaptation {
        match self {
            Action::Repoint | Action::Shim(_) => &wasi_unstable::WasiUnstable,
            Action::Memory => unreachable!("a memory import stays an import (memory.rs)"),
            Action::Enosys => &enosys::Enosys,
            Action::Notsup => &errnos::Allocate,
            Action::Stub => &unknown_stub::UnknownStub,
            Action::Isatty(_) => &isatty::IsattyWrapper,
            Action::Preopens | Action::PreopenName => &preopens::Preopens,
            Action::Delete(_) | Action::Rename => &deletes::Deletes,
            Action::Readdir => &readdir::Readdir,
            Action::Errno(_) => &errnos::Errnos,
        }
    }
}

impl Change {
    /// Whether the module needs it to link (else it links as it is, and the change
    /// only corrects what it is told).
    pub fn for_linking(&self) -> bool {
        matches!(
            self.action,
            Action::Repoint | Action::Shim(_) | Action::Enosys | Action::Stub | Action::Memory
        ) || self.module == UNSTABLE
    }
}

/// What an adaptation that takes over imports is given to decide.
pub struct Context<'a> {
    pub module: &'a ModuleInfo<'a>,
    pub options: &'a Options<'a>,
    /// Bit `fd` set for each of fds 0-2 to report as not a terminal; 0 when there is
    /// nothing to correct (all are, or a first adaptation corrected them).
    pub not_terminals: u8,
}

impl Context<'_> {
    pub fn marked(&self, marker: &str) -> bool {
        self.module.has_custom_section(marker)
    }
}

/// What [`Adaptation::claim`] says of an import: its action, if the import is the
/// adaptation's to change.
pub type Claim = Result<Option<Action>, AdaptError>;
/// What [`Adaptation::replace`] says: done, or why it cannot be.
pub type Done = Result<(), AdaptError>;

/// An adaptation that takes over imports: each is one file of this module.
pub trait Adaptation: Sync {
    /// What it does to function import `import` (of type `ty`, when its type index names
    /// a function type), if the import is one it takes over; `Err` when it must and
    /// cannot (a shim's import of another type).
    fn claim(&self, import: &Import, ty: Option<&FuncType>, cx: &Context) -> Claim;

    /// Adds to the layout what stands in for an import it claimed: exactly one function,
    /// and what that function needs.
    fn replace<'a>(&self, replaced: &Replaced<'a>, cx: &Context, layout: &mut Builder<'a>) -> Done;
}

/// An adaptation of the module's own code, once every import has its place.
pub trait CodePatch: Sync {
    /// Adds its functions and calls to the layout; `Err` says why it does not apply.
    fn patch(
        &self,
        module: &ModuleInfo<'_>,
        file: &str,
        layout: &mut Layout,
    ) -> Result<(), TrapsUncaught>;
}

/// In the order they claim an import: the first claim wins. The corrections of
/// functions the Core links first, then what makes the rest link.
const ADAPTATIONS: [&dyn Adaptation; 9] = [
    &isatty::IsattyWrapper,
    &preopens::Preopens,
    &deletes::Deletes,
    &readdir::Readdir,
    &errnos::Errnos,
    &errnos::Allocate,
    &wasi_unstable::WasiUnstable,
    &enosys::Enosys,
    &unknown_stub::UnknownStub,
];

/// Why a module's traps stay as they are (it still runs; Ctrl-C frees the shell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrapsUncaught {
    /// No `unreachable` anywhere: nothing to do.
    NoUnreachable,
    /// Not importing `fd_write` and `proc_exit` from preview1 with their types.
    NoWasiExit,
    /// No 32-bit memory 0 to write the message from.
    NoMemory,
    /// The module could not be read or spliced (the engine will say more when compiling).
    Unreadable(AdaptError),
}

/// An import that could not be made to link.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Blocked {
    pub module: String,
    pub name: String,
    /// `function`, `table`, `memory`, `global` or `tag`, as `WebAssembly.Module.imports()` says.
    pub kind: &'static str,
}

/// Why a module cannot be adapted (`message.rs` words it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdaptError {
    /// Imports nothing can make link: unknown functions (without
    /// `stub_unknown_imports`), and every non-function import but the memory
    /// (`memory.rs`).
    Unsupported { imports: Vec<Blocked> },
    /// A function the adapter must shim, imported with a type its ABI does not have.
    Signature {
        module: String,
        name: String,
        found: String,
        expected: String,
    },
    /// Shims and stubs need memory 0 for scratch space (and WASI for everything).
    NoMemory,
    /// Memory 0 is 64-bit; WASI preview1 and the Core use 32-bit pointers.
    Memory64,
    /// Code the adapter must rewrite does not decode: instructions newer than
    /// wasmparser knows, or malformed code.
    Instructions { offset: u64 },
    /// The bytes are not a module the adapter can read.
    Malformed { offset: u64, reason: String },
}

/// Only for wasm-encoder's reencoder, whose errors need their cause to be `Display`;
/// what the user reads is worded in `message.rs`.
impl std::fmt::Display for AdaptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl From<wasmparser::BinaryReaderError> for AdaptError {
    fn from(err: wasmparser::BinaryReaderError) -> Self {
        AdaptError::Malformed {
            offset: err.offset(),
            reason: err.message().to_owned(),
        }
    }
}

/// The module as the Core gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adapted {
    /// What was done to each import that needed it, in import order.
    pub changes: Vec<Change>,
    /// The module to run; `None` when nothing changed: the input runs as it is.
    pub bytes: Option<Vec<u8>>,
    /// Whether traps were turned into clean exits, else why not.
    pub traps: Result<(), TrapsUncaught>,
}

/// What would be done to each import that needs it, in import order; empty when the
/// module links as it is. Cheap: reads only the module's info.
pub fn changes(module: &ModuleInfo<'_>, options: &Options<'_>) -> Result<Vec<Change>, AdaptError> {
    Ok(claim(module, options)?.changes())
}

/// Each import an adaptation claims, decided once: what a report lists and what
/// [`Claims::adapt`] writes.
pub struct Claims<'a> {
    /// The import, its index among the imports of its kind (function or memory) and
    /// what is done to it, in import order.
    claimed: Vec<(Import<'a>, u32, Action)>,
}

/// Asks the adaptations, in order, for each function import; `Err` when an import
/// cannot be made to link. Cheap: reads only the module's info.
pub fn claim<'a>(
    module: &'a ModuleInfo<'a>,
    options: &Options<'_>,
) -> Result<Claims<'a>, AdaptError> {
    let cx = context(module, options);
    let mut claimed = Vec::new();
    let mut blocked = Vec::new();
    let mut index = 0;
    let mut memories = 0;
    for import in &module.imports {
        if !import.is_function() {
            match memory::link(import, memories == 0) {
                memory::Link::AsItIs => {}
                memory::Link::Renamed => claimed.push((*import, memories, Action::Memory)),
                memory::Link::Never => blocked.push(block(import)),
            }
            if matches!(import.ty, TypeRef::Memory(_)) {
                memories += 1;
            }
            continue;
        }
        let ty = module.func_type(import.ty);
        let mut action = None;
        for adaptation in ADAPTATIONS {
            action = adaptation.claim(import, ty, &cx)?;
            if action.is_some() {
                break;
            }
        }
        match action {
            Some(action) => claimed.push((*import, index, action)),
            None if !wasi_core::provides_function(import.module, import.name) => {
                blocked.push(block(import))
            }
            None => {}
        }
        index += 1;
    }
    if !blocked.is_empty() {
        return Err(AdaptError::Unsupported { imports: blocked });
    }
    Ok(Claims { claimed })
}

impl Claims<'_> {
    /// What is done to each claimed import, in import order.
    pub fn changes(&self) -> Vec<Change> {
        self.claimed
            .iter()
            .map(|(import, _, action)| Change {
                module: import.module.to_owned(),
                name: import.name.to_owned(),
                action: *action,
            })
            .collect()
    }
}

fn context<'a>(module: &'a ModuleInfo<'a>, options: &'a Options<'a>) -> Context<'a> {
    let not_terminals = match Terminals::not_terminals(options.adapt.terminals) {
        _ if module.has_custom_section(isatty::MARKER) => 0,
        mask => mask,
    };
    Context {
        module,
        options,
        not_terminals,
    }
}

fn block(import: &Import<'_>) -> Blocked {
    Blocked {
        module: import.module.to_owned(),
        name: import.name.to_owned(),
        kind: import_kind_name(import.ty),
    }
}

/// [`claim`], then [`Claims::adapt`].
pub fn adapt(
    module: &ModuleInfo<'_>,
    bytes: &[u8],
    options: &Options<'_>,
) -> Result<Adapted, AdaptError> {
    claim(module, options)?.adapt(module, bytes, options)
}

impl Claims<'_> {
    /// Adapts the module `module` describes (read from `bytes`, claimed with the same
    /// `options`): every claimed import is replaced, and, with [`Options::patch_code`],
    /// the code patches run; all written in one pass over the code (the code is most of
    /// a module, and reading it is most of the time).
    pub fn adapt(
        self,
        module: &ModuleInfo<'_>,
        bytes: &[u8],
        options: &Options<'_>,
    ) -> Result<Adapted, AdaptError> {
        let changes = self.changes();
        let cx = context(module, options);
        let mut replaced = Vec::new();
        // Function indices, ascending, of the imports imported from preview1 instead.
        let mut repointed = Vec::new();
        for (import, index, action) in self.claimed {
            match action {
                Action::Repoint => {
                    repointed.push(index);
                    continue;
                }
                // Renamed by the layout, told by the change.
                Action::Memory => continue,
                _ => {}
            }
            let ty = module.func_type(import.ty).ok_or(AdaptError::Malformed {
                offset: 0,
                reason: format!(
                    "import {}.{} has no function type",
                    import.module, import.name
                ),
            })?;
            replaced.push(Replaced {
                index,
                import,
                ty,
                action,
            });
        }
        write(module, bytes, options, &cx, changes, &replaced, &repointed)
    }
}

/// The layout the replacements ask for, finished, patched and written.
fn write(
    module: &ModuleInfo<'_>,
    bytes: &[u8],
    options: &Options<'_>,
    cx: &Context<'_>,
    changes: Vec<Change>,
    replaced: &[Replaced<'_>],
    repointed: &[u32],
) -> Result<Adapted, AdaptError> {
    let mut builder = Builder::new(module);
    if changes.iter().any(|c| c.action == Action::Memory) {
        builder.import_memory_as_the_cores();
    }
    for r in replaced {
        let before = builder.functions_added();
        r.action.adaptation().replace(r, cx, &mut builder)?;
        debug_assert_eq!(builder.functions_added(), before + 1, "{:?}", r.action);
    }
    // Every module rw adapts is marked as corrected: its output imports from preview1 what
    // a wasi_unstable input did not, which a second adaptation must leave as it is.
    builder.mark(errnos::MARKER, Vec::new());
    // Likewise the fd_fdstat_get the corrections may import: it is not the program's, and
    // a second adaptation must not wrap it for isatty().
    let mask = Terminals::not_terminals(options.adapt.terminals);
    if mask != 0 {
        builder.mark(isatty::MARKER, vec![mask]);
    }
    let mut layout = builder.finish(replaced, repointed)?;
    let adapting = !changes.is_empty();
    let traps = match options.patch_code {
        true => patch_code(module, options.file, &mut layout),
        false => Err(TrapsUncaught::NoUnreachable),
    };
    if layout.patched() {
        match rewrite::module(bytes, module, &layout) {
            Ok(written) => {
                let traps = match (traps, written.traps) {
                    (Ok(()), true) => Ok(()),
                    (Ok(()), false) => Err(TrapsUncaught::NoUnreachable),
                    (err, _) => err,
                };
                let changed = adapting || written.traps || written.writes;
                return Ok(Adapted {
                    changes,
                    bytes: changed.then_some(written.bytes),
                    traps,
                });
            }
            // Maybe code only a patch reads (the adapter alone decodes only bodies that
            // call a replaced import): adapted without the patches.
            Err(err) => {
                layout.unpatch();
                return Ok(Adapted {
                    bytes: match adapting {
                        true => Some(rewrite::module(bytes, module, &layout)?.bytes),
                        false => None,
                    },
                    changes,
                    traps: Err(TrapsUncaught::Unreadable(err)),
                });
            }
        }
    }
    let bytes = match adapting {
        true => Some(rewrite::module(bytes, module, &layout)?.bytes),
        false => None,
    };
    Ok(Adapted {
        changes,
        bytes,
        traps,
    })
}

/// The code patches, in order; `Err` says why traps stay as they are.
fn patch_code(
    module: &ModuleInfo<'_>,
    file: &str,
    layout: &mut Layout,
) -> Result<(), TrapsUncaught> {
    let traps = traps::Traps.patch(module, file, layout);
    // Whether or not the trap patch could be made (a module without proc_exit, or with
    // no `() -> ()` type): every write of the module's goes the one way.
    let _ = fd_write::SplitWrites.patch(module, file, layout);
    // The wrappers the trap instrumentation's buffer and ring take the places of.
    notes::note_wrappers(layout);
    traps
}
