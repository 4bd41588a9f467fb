//! The module adapter: rewrites a module whose imports the WASM WASI Core cannot link
//! into one that links, instead of refusing it.
//!
//! Three kinds of import are made to link (see [`Action`]):
//! - `wasi_unstable` (WASI snapshot 0) functions are imported from
//!   `wasi_snapshot_preview1` instead; the four whose ABI changed get a shim
//!   (`wasi_unstable.rs`).
//! - Preview1 functions the Core lacks become local functions returning ENOSYS
//!   (`stubs.rs`).
//! - With [`AdaptOptions::stub_unknown_imports`], any other function import becomes a
//!   local function that says which import was called and exits with 134 (`stubs.rs`).
//!
//! And one kind of import that links is corrected: with [`AdaptOptions::terminals`]
//! saying some stdio stream is not a terminal, `fd_fdstat_get` and `fd_filestat_get`
//! get a wrapper that says so, for `isatty()` (`isatty.rs`).
//!
//! [`changes`] decides from an [`Inspection`] alone (cheap: no code is read), so the
//! caller knows whether to rewrite at all; a module that needs nothing is passed
//! through untouched. [`apply`] plans the new index space (`imports.rs`) and does the
//! rewrite in one pass over the bytes (`rewrite.rs`), copying every section, and every
//! function body, it does not need to change. [`apply_patched`] also applies the trap
//! and write patch ([`crate::patch`]) in that pass, so each body is read once. In the
//! shipped (wasm32) core under Node, adapting and patching a 16 MB module takes about
//! 14 ms when a few functions call a replaced import, about 22 ms when every function
//! does, and about 26 ms for npm's 16 MB ruby.wasm, most of it skimming its 5.7 million
//! instructions: less than one `WebAssembly.compile` of the same bytes
//! (`scripts/bench.sh`).

pub(crate) mod code;
mod deletes;
mod emit;
mod errno;
mod errnos;
mod imports;
mod isatty;
mod outline;
mod preopens;
mod readdir;
mod rewrite;
mod scratch;
mod skim;
mod stubs;
mod wasi_unstable;

use std::fmt;

use serde::Serialize;

use crate::inspect::{inspect, ImportKind, InspectError, Inspection};
use crate::patch::{Added, Uncaught};
use crate::request::Terminals;
use crate::wasi_core;

pub use deletes::Delete;
pub use errnos::Correction;
pub use isatty::{Isatty, Stat};
pub use wasi_unstable::Shim;

/// The module the Core binds its preview1 host functions to.
pub const PREVIEW1: &str = "wasi_snapshot_preview1";
/// WASI snapshot 0, the ABI before preview1.
pub const UNSTABLE: &str = "wasi_unstable";
/// What an ENOSYS stub returns: errno `nosys` (the same number in snapshot 0 and preview1).
pub const ENOSYS: i32 = errno::NOSYS;
/// What `fd_allocate` returns: errno `notsup`, wasmtime's answer too.
pub const ENOTSUP: i32 = errno::NOTSUP;
/// The preview1 functions the Core has but gets wrong, which return ENOTSUP instead.
pub const NOT_SUPPORTED: &[&str] = &["fd_allocate"];
/// What a shim returns when it cannot get scratch memory: errno `nomem`.
pub const ENOMEM: i32 = errno::NOMEM;
/// The exit code of a program that called an unknown import: 128 + SIGABRT, as an
/// `abort()` ends a native program.
pub const STUB_EXIT_CODE: i32 = 134;

/// Every function of WASI preview1; those the Core lacks get an ENOSYS stub.
pub use crate::wasi_core::PREVIEW1_FUNCTIONS;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdaptOptions {
    /// Turn unknown function imports into stubs that exit with a message if called
    /// (`--stub-unknown-imports`); without it such imports make [`changes`] fail.
    pub stub_unknown_imports: bool,
    /// The file as the user named it, for the stubs' message.
    pub file: String,
    /// Which stdio streams are terminals, when some may not be (crw); `None`: all are.
    pub terminals: Option<Terminals>,
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
    /// A WASI function the Core lacks: a local function that returns ENOSYS (52).
    Enosys,
    /// `fd_allocate`, which the Core gets wrong (it inserts bytes at the offset instead of
    /// extending the file): a local function that returns ENOTSUP (58), as wasmtime does
    /// (`errnos.rs`).
    Notsup,
    /// An unknown function import: a local function that, if called, writes
    /// `rw: FILE called unsupported import MODULE.NAME` to stderr and exits with 134.
    Stub,
    /// A function that reports filetypes, while some stdio stream is not a terminal:
    /// a local function calls the preview1 one and reports those streams as filetype
    /// `unknown`, so `isatty()` is false for them.
    Isatty(Isatty),
    /// `fd_prestat_get`, whose Core answers from an iterator: a local function walks it
    /// to its end and answers by fd (`preopens.rs`).
    Preopens,
    /// `fd_prestat_dir_name`, which writes past a short buffer in the Core (`preopens.rs`).
    PreopenName,
    /// A delete, which the Core asks VS Code to do through a trash our file system cannot
    /// have: a local function renames the path to a name rw's file system deletes
    /// (`deletes.rs`).
    Delete(Delete),
    /// `path_rename`, which the Core refuses onto an existing target: a local function
    /// replaces the target as POSIX does (`deletes.rs`).
    Rename,
    /// `fd_readdir`, whose Core lists neither `.` nor `..`: a local function lists them
    /// first (`readdir.rs`).
    Readdir,
    /// A function whose errno the Core gets wrong: a local function calls it and corrects
    /// the errno (`errnos.rs`).
    Errno(Correction),
}

impl Change {
    /// Whether the module needs it to link (else it links as it is, and the change
    /// only corrects what it is told).
    pub fn for_linking(&self) -> bool {
        !matches!(
            self.action,
            Action::Isatty(_)
                | Action::Preopens
                | Action::PreopenName
                | Action::Delete(_)
                | Action::Rename
                | Action::Readdir
                | Action::Notsup
                | Action::Errno(_)
        ) || self.module == UNSTABLE
    }
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

/// Why a module cannot be adapted; [`fmt::Display`] gives a one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdaptError {
    /// Imports nothing can make link: unknown functions (without
    /// `stub_unknown_imports`), and every non-function import but `env.memory`.
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

impl fmt::Display for AdaptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdaptError::Unsupported { imports } => {
                let stubbable = imports.iter().all(|b| b.kind == "function");
                f.write_str("imports ")?;
                for (i, b) in imports.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}.{} ({})", b.module, b.name, b.kind)?;
                }
                if stubbable {
                    f.write_str(
                        ", which no WASI host provides; --stub-unknown-imports would stub them",
                    )
                } else {
                    f.write_str(", which cannot be stubbed: only function imports can")
                }
            }
            AdaptError::Signature {
                module,
                name,
                found,
                expected,
            } => write!(
                f,
                "imports {module}.{name} with type {found}, but its ABI is {expected}"
            ),
            AdaptError::NoMemory => f.write_str("has no memory for the adapter's scratch space"),
            AdaptError::Memory64 => {
                f.write_str("uses a 64-bit memory, which WASI preview1 cannot address")
            }
            AdaptError::Instructions { offset } => write!(
                f,
                "uses instructions the adapter cannot read (at byte {offset})"
            ),
            AdaptError::Malformed { offset, reason } => {
                write!(f, "cannot be read ({reason} at byte {offset})")
            }
        }
    }
}

impl std::error::Error for AdaptError {}

impl From<wasmparser::BinaryReaderError> for AdaptError {
    fn from(err: wasmparser::BinaryReaderError) -> Self {
        AdaptError::Malformed {
            offset: err.offset(),
            reason: err.message().to_owned(),
        }
    }
}

/// What would be done to each import that needs it, in import order; empty when the
/// module links as it is. Cheap: reads only the inspection.
pub fn changes(inspection: &Inspection, options: &AdaptOptions) -> Result<Vec<Change>, AdaptError> {
    // Which stdio streams to report as not terminals, unless a first adaptation did.
    let not_terminals = match isatty::not_terminals(options.terminals) {
        0 => 0,
        _ if inspection.has_custom_section(isatty::MARKER) => 0,
        mask => mask,
    };
    let mut changes = Vec::new();
    let mut blocked = Vec::new();
    for import in &inspection.imports {
        let block = || Blocked {
            module: import.module.clone(),
            name: import.name.clone(),
            kind: import.kind.js_name(),
        };
        let signature = match &import.kind {
            ImportKind::Function { signature } => signature.as_deref(),
            ImportKind::Memory(_)
                if import.module == wasi_core::MEMORY_MODULE
                    && import.name == wasi_core::MEMORY_NAME =>
            {
                continue
            }
            _ => {
                blocked.push(block());
                continue;
            }
        };
        let preopens_wrapped = inspection.has_custom_section(preopens::MARKER);
        let deletes_wrapped = inspection.has_custom_section(deletes::MARKER);
        let errnos_corrected = inspection.has_custom_section(errnos::MARKER);
        if let Some(action) = isatty::action(&import.module, &import.name, signature, not_terminals)
            .or_else(|| preopens::action(&import.module, &import.name, signature, preopens_wrapped))
            .or_else(|| deletes::action(&import.module, &import.name, signature, deletes_wrapped))
            .or_else(|| {
                deletes::rename_action(&import.module, &import.name, signature, deletes_wrapped)
            })
            .or_else(|| readdir::action(&import.module, &import.name, signature, errnos_corrected))
            .or_else(|| errnos::action(&import.module, &import.name, signature, errnos_corrected))
        {
            changes.push(change(import, action));
            continue;
        }
        let Some(action) = function_action(&import.module, &import.name, options) else {
            continue;
        };
        match action {
            Some(Action::Shim(shim)) => {
                let expected = shim.signature();
                if signature != Some(expected.as_str()) {
                    return Err(AdaptError::Signature {
                        module: import.module.clone(),
                        name: import.name.clone(),
                        found: signature.unwrap_or("(not a function type)").to_owned(),
                        expected,
                    });
                }
                changes.push(change(import, Action::Shim(shim)));
            }
            Some(action) => changes.push(change(import, action)),
            None => blocked.push(block()),
        }
    }
    if !blocked.is_empty() {
        return Err(AdaptError::Unsupported { imports: blocked });
    }
    Ok(changes)
}

fn change(import: &crate::inspect::Import, action: Action) -> Change {
    Change {
        module: import.module.clone(),
        name: import.name.clone(),
        action,
    }
}

/// `None`: the Core links the function as it is. `Some(None)`: nothing can make it
/// link. `Some(Some(action))`: what makes it link.
fn function_action(module: &str, name: &str, options: &AdaptOptions) -> Option<Option<Action>> {
    if (module == UNSTABLE || wasi_core::HOST_MODULES.contains(&module))
        && NOT_SUPPORTED.contains(&name)
    {
        return Some(Some(Action::Notsup));
    }
    if wasi_core::provides_function(module, name) {
        return None;
    }
    let unknown = options.stub_unknown_imports.then_some(Action::Stub);
    if module == UNSTABLE {
        return Some(wasi_unstable::action(name).or(unknown));
    }
    if wasi_core::HOST_MODULES.contains(&module) && PREVIEW1_FUNCTIONS.contains(&name) {
        return Some(Some(Action::Enosys));
    }
    Some(unknown)
}

/// Human lines for `--explain`, one per change: re-pointed imports first, then
/// shims, ENOSYS stubs, stubs of unknown imports and the `isatty()` correction, each
/// group in import order.
pub fn explain(changes: &[Change]) -> String {
    let group = |action: &Action| match action {
        Action::Repoint => 0,
        Action::Shim(_) => 1,
        Action::Enosys | Action::Notsup => 2,
        Action::Stub => 3,
        Action::Isatty(_) => 4,
        Action::Preopens | Action::PreopenName => 5,
        Action::Delete(_) | Action::Rename | Action::Readdir => 6,
        Action::Errno(_) => 7,
    };
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| group(&c.action)); // stable: import order within a group
    let mut text = String::new();
    for c in sorted {
        let what = match c.action {
            Action::Repoint => format!("imported from {PREVIEW1} instead (same ABI)"),
            Action::Shim(shim) => format!("shim: {}", shim.explain()),
            Action::Enosys => {
                format!("returns ENOSYS ({ENOSYS}): the WASM WASI Core does not provide it")
            }
            Action::Notsup => format!(
                "returns ENOTSUP ({ENOTSUP}), as wasmtime does: the WASM WASI Core's inserts bytes instead of reserving them"
            ),
            Action::Stub => format!(
                "stub: if called, prints 'rw: FILE called unsupported import {}.{}' and exits with {STUB_EXIT_CODE}",
                c.module, c.name
            ),
            Action::Isatty(isatty) => format!("isatty: {}", isatty.explain()),
            Action::Preopens => format!("preopens: {}", preopens::explain()),
            Action::PreopenName => format!(
                "preopens: ENAMETOOLONG for a buffer shorter than {}'s name, where the WASM WASI Core writes past it",
                crate::tree::PREOPEN
            ),
            Action::Delete(delete) => format!("delete: {}", delete.explain()),
            Action::Rename => "rename: replaces an existing file or empty directory of the source's kind, as POSIX does, where the WASM WASI Core answers EEXIST".to_owned(),
            Action::Errno(correction) => format!("errno: {}", correction.explain()),
            Action::Readdir => format!("readdir: {}", readdir::explain()),
        };
        text.push_str(&format!("{}.{}: {what}\n", c.module, c.name));
    }
    text
}

/// Rewrites `bytes` so that every import in `changes` links. Imports that `changes`
/// does not name stay as they are. With no changes, returns the bytes unchanged.
pub fn apply(
    bytes: &[u8],
    changes: &[Change],
    options: &AdaptOptions,
) -> Result<Vec<u8>, AdaptError> {
    if changes.is_empty() {
        return Ok(bytes.to_vec());
    }
    let outline = outline::read(bytes)?;
    let layout = imports::plan(&outline, changes, options)?;
    Ok(rewrite::module(bytes, &outline, &layout, None)?.bytes)
}

/// A module adapted and patched in one pass ([`apply_patched`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patched {
    /// The module to run; `None` when nothing changed (no adaptation, nothing the patch
    /// needs to touch): the input runs as it is.
    pub bytes: Option<Vec<u8>>,
    /// Whether traps were turned into clean exits, else why not.
    pub traps: Result<(), Uncaught>,
}

/// [`apply`] with `changes`, and the trap and write patch ([`crate::patch`]), in one
/// pass over the code (the code is most of a module, and reading it is most of the
/// time). With no changes, only the patch: the one engine for both.
pub fn apply_patched(
    bytes: &[u8],
    changes: &[Change],
    options: &AdaptOptions,
) -> Result<Patched, AdaptError> {
    let outline = outline::read(bytes)?;
    let mut layout = imports::plan(&outline, changes, options)?;
    let unpatched = |layout: &imports::Layout, why: Uncaught| {
        let bytes = match changes.is_empty() {
            true => None,
            false => Some(rewrite::module(bytes, &outline, layout, None)?.bytes),
        };
        Ok(Patched {
            bytes,
            traps: Err(why),
        })
    };
    let added = match Added::new(&layout.patch_outline(&outline), &options.file) {
        Ok(added) => added,
        Err(why) => return unpatched(&layout, why),
    };
    let names = ["rw.trapped", "rw.fd_write_one_by_one"];
    for ((type_index, body), name) in added.functions.into_iter().zip(names) {
        layout.functions.push(imports::NewFunction {
            type_index,
            body,
            name: name.to_owned(),
        });
    }
    match rewrite::module(bytes, &outline, &layout, Some(&added.redirect)) {
        Ok(written) => {
            let traps = match written.traps {
                true => Ok(()),
                false => Err(Uncaught::NoUnreachable),
            };
            let changed = !changes.is_empty() || written.traps || written.writes;
            Ok(Patched {
                bytes: changed.then_some(written.bytes),
                traps,
            })
        }
        // Maybe code only the patch reads (the adapter alone decodes only bodies that
        // call a replaced import): adapted without the patch, as if patched after.
        Err(err) => {
            layout
                .functions
                .truncate(layout.functions.len() - names.len());
            unpatched(&layout, Uncaught::Unreadable(err.to_string()))
        }
    }
}

/// [`inspect`], [`changes`] and [`apply`] in one: `Ok(None)` when the module links
/// as it is (use the original bytes), `Ok(Some(bytes))` when it was rewritten.
pub fn adapt(bytes: &[u8], options: &AdaptOptions) -> Result<Option<Vec<u8>>, AdaptError> {
    let inspection = inspect(bytes).map_err(|err| {
        let (offset, reason) = match err {
            InspectError::Malformed { offset, reason } => (offset, reason),
            InspectError::Empty => (0, "empty".into()),
            InspectError::NotWasm => (0, "not WebAssembly".into()),
            InspectError::Component => (0, "a component, not a core module".into()),
        };
        AdaptError::Malformed { offset, reason }
    })?;
    let changes = changes(&inspection, options)?;
    if changes.is_empty() {
        return Ok(None);
    }
    apply(bytes, &changes, options).map(Some)
}

/// The stub's message for one import.
pub fn stub_message(file: &str, module: &str, name: &str) -> String {
    format!("rw: {file} called unsupported import {module}.{name}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::patch;

    /// The bodies of a module, as bytes.
    fn bodies(bytes: &[u8]) -> Vec<Vec<u8>> {
        wasmparser::Parser::new(0)
            .parse_all(bytes)
            .filter_map(|payload| match payload.unwrap() {
                wasmparser::Payload::CodeSectionEntry(body) => {
                    let range = body.range();
                    Some(bytes[range.start as usize..range.end as usize].to_vec())
                }
                _ => None,
            })
            .collect()
    }

    /// Adapting and patching in one pass writes the code that adapting, then
    /// patching the result writes, and a module that validates. (Only the module's
    /// own code: in turn, the patch also puts a trap call in the adapter's stubs,
    /// before the `unreachable` after their `proc_exit`, which is never reached.)
    fn fused_as_in_turn(bytes: &[u8], options: &AdaptOptions) {
        let inspection = inspect(bytes).unwrap();
        let changes = changes(&inspection, options).unwrap();
        assert!(!changes.is_empty());
        let Patched {
            bytes: fused,
            traps,
            ..
        } = apply_patched(bytes, &changes, options).unwrap();
        let fused = fused.expect("an adapted module");
        wasmparser::Validator::new().validate_all(&fused).unwrap();
        let adapted = apply(bytes, &changes, options).unwrap();
        let own = bodies(bytes).len();
        let (fused, turn, added) = match patch(&adapted, &options.file) {
            Ok(patched) => {
                assert!(traps.is_err() || patched.traps_caught);
                (bodies(&fused), bodies(&patched.bytes), 2)
            }
            Err(why) => {
                assert_eq!(traps, Err(why));
                (bodies(&fused), bodies(&adapted), 0)
            }
        };
        assert_eq!(fused.len(), turn.len());
        assert_eq!(fused[..own], turn[..own]);
        // The patch's functions, when added, come last.
        assert_eq!(fused[fused.len() - added..], turn[turn.len() - added..]);
    }

    #[test]
    fn a_wasi_unstable_program_is_adapted_and_patched_in_one_pass() {
        // fd_write is re-pointed, fd_seek shimmed; one body calls both and traps.
        let bytes = wat::parse_str(
            r#"(module
                (import "wasi_unstable" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
                (import "wasi_unstable" "fd_seek" (func $s (param i32 i64 i32 i32) (result i32)))
                (import "wasi_unstable" "proc_exit" (func (param i32)))
                (memory (export "memory") 1)
                (func (export "_start")
                    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 3) (i32.const 8)))
                    (drop (call $s (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 0)))
                    unreachable)
                (func (drop (call $w (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))))"#,
        )
        .unwrap();
        fused_as_in_turn(&bytes, &AdaptOptions::default());
    }

    #[test]
    fn fixtures_are_adapted_and_patched_in_one_pass_as_in_turn() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm");
        // Not terminals: every program that asks fd_fdstat_get is adapted too.
        let options = AdaptOptions {
            stub_unknown_imports: true,
            file: "f.wasm".into(),
            terminals: Some(crate::request::Terminals {
                stdin: false,
                stdout: false,
                stderr: true,
            }),
        };
        let mut adapted = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let Ok(inspection) = inspect(&bytes) else {
                continue;
            };
            if changes(&inspection, &options).is_ok_and(|c| !c.is_empty())
                && outline::read(&bytes).is_ok()
            {
                fused_as_in_turn(&bytes, &options);
                adapted += 1;
            }
        }
        assert!(adapted >= 10, "{adapted}");
    }
}
