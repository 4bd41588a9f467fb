//! The new import list and function index space.
//!
//! Function indices count imports first, in import-section order, then the module's
//! own functions. An import the adapter replaces with a local function frees its
//! index; the local functions (one per replaced import, then the scratch helper) are
//! appended after the module's own. Two layouts follow:
//!
//! - **Slots reused** (almost always): each freed import slot is filled with another
//!   import, first the preview1 functions the new bodies call and the module lacks
//!   (a shim's slot becomes its preview1 namesake, an `isatty()` wrapper's imports
//!   the function it wraps again), then, for slots left over,
//!   `wasi_snapshot_preview1.sched_yield` with the slot's old type, which nothing
//!   references any more (the Core's host functions are JavaScript functions, which
//!   link whatever the declared type). Every other function keeps its index, so
//!   only references to the replaced imports change: the code section is copied as
//!   it is except the few bodies that call them.
//! - **Shifted**, when the new bodies need more imports than slots were freed (a
//!   module whose only replaced import is an unknown one and that imports neither
//!   `fd_write` nor `proc_exit`): the freed slots are dropped and the needed imports
//!   appended, so the module's own functions move and every body is rewritten.
//!
//! Re-pointed imports only change their module name, which moves nothing: with
//! nothing else to do, the map is the identity and the code section is copied whole.

use std::collections::HashMap;

use wasm_encoder::{Function, ValType};
use wasmparser::{FuncType, TypeRef};

use super::outline::Outline;
use super::stubs::{self, Message};
use super::{
    deletes, errnos, isatty, preopens, readdir, scratch, stub_message, Action, AdaptError,
    AdaptOptions, Change, Shim, PREVIEW1,
};
use std::fmt;

use crate::{patch, wasi_core};

/// A function type the adapter writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sig {
    pub params: &'static [ValType],
    pub results: &'static [ValType],
}

const FD_WRITE: Sig = Sig {
    params: &[ValType::I32, ValType::I32, ValType::I32, ValType::I32],
    results: &[ValType::I32],
};
const PROC_EXIT: Sig = Sig {
    params: &[ValType::I32],
    results: &[],
};
/// `fd_fdstat_get` and `fd_filestat_get`: `(fd, buf) -> errno`.
const STAT: Sig = Sig {
    params: &[ValType::I32, ValType::I32],
    results: &[ValType::I32],
};
/// `path_unlink_file` and `path_remove_directory`: `(fd, path, len) -> errno`.
const DELETE: Sig = Sig {
    params: &[ValType::I32, ValType::I32, ValType::I32],
    results: &[ValType::I32],
};
/// `path_filestat_get`: `(fd, flags, path, len, buf) -> errno`.
const FILESTAT: Sig = Sig {
    params: &[ValType::I32; 5],
    results: &[ValType::I32],
};
/// `fd_readdir`: `(fd, buf, buf_len, cookie, bufused) -> errno`.
const READDIR: Sig = Sig {
    params: &[
        ValType::I32,
        ValType::I32,
        ValType::I32,
        ValType::I64,
        ValType::I32,
    ],
    results: &[ValType::I32],
};
/// `fd_close`: `(fd) -> errno`.
const CLOSE: Sig = Sig {
    params: &[ValType::I32],
    results: &[ValType::I32],
};
/// `fd_allocate`: `(fd, offset, len) -> errno`.
const ALLOCATE: Sig = Sig {
    params: &[ValType::I32, ValType::I64, ValType::I64],
    results: &[ValType::I32],
};
/// `path_rename`: `(fd, old, old_len, new_fd, new, new_len) -> errno`.
const RENAME: Sig = Sig {
    params: &[ValType::I32; 6],
    results: &[ValType::I32],
};
const SCRATCH: Sig = Sig {
    params: &[ValType::I64],
    results: &[ValType::I32],
};

fn shim_sig(shim: Shim) -> Sig {
    Sig {
        params: shim.params(),
        results: &[ValType::I32],
    }
}

impl fmt::Display for Sig {
    /// As `crate::inspect` writes a module's types: `(i32, i64) -> (i32)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |types: &[ValType]| {
            types
                .iter()
                .map(|t| if *t == ValType::I64 { "i64" } else { "i32" })
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "({}) -> ({})", list(self.params), list(self.results))
    }
}

/// The import `r` replaced has type `ty`, which must be `sig` for the function written in
/// its place.
fn expect_type(r: &Replaced<'_>, ty: &FuncType, sig: Sig) -> Result<(), AdaptError> {
    if is(ty, sig) {
        return Ok(());
    }
    Err(AdaptError::Signature {
        module: r.module.to_owned(),
        name: r.name.to_owned(),
        found: ty.to_string(),
        expected: sig.to_string(),
    })
}

/// Whether a type the module declares is `sig`.
fn is(ty: &FuncType, sig: Sig) -> bool {
    let same = |theirs: &[wasmparser::ValType], ours: &[ValType]| {
        theirs.len() == ours.len()
            && theirs.iter().zip(ours).all(|(t, o)| {
                matches!(
                    (t, o),
                    (wasmparser::ValType::I32, ValType::I32)
                        | (wasmparser::ValType::I64, ValType::I64)
                )
            })
    };
    same(ty.params(), sig.params) && same(ty.results(), sig.results)
}

/// Function and global indices the generated bodies call and use.
pub struct Targets {
    /// The scratch helper (see [`scratch`]).
    pub scratch: u32,
    /// The first of the two scratch globals.
    pub scratch_base: u32,
    /// The passive data segment holding the stubs' messages.
    pub message_segment: u32,
    preview1: Vec<(&'static str, u32)>,
}

impl Targets {
    /// The function index of the preview1 function `name`, which the plan made sure
    /// is imported.
    pub fn preview1(&self, name: &str) -> u32 {
        self.preview1
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, index)| *index)
            .expect("the plan imports every preview1 function a body calls")
    }
}

/// A local function the adapter adds.
pub struct NewFunction {
    pub type_index: u32,
    pub body: Function,
    /// Its name in the name section, when the module has one.
    pub name: String,
}

/// What becomes of one import of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOut {
    /// Kept, imported from this module (its own, or `wasi_snapshot_preview1`).
    Keep(String),
    /// Replaced by a local function; its slot now imports this preview1 function
    /// with this type.
    Slot { name: &'static str, type_index: u32 },
    /// Replaced by a local function; the slot is gone (the shifted layout).
    Drop,
}

/// Everything the rewrite writes differently from the input.
pub struct Layout {
    /// The new index of every function index of the input.
    pub map: Vec<u32>,
    /// Whether `map` is the identity, so code and everything else that names
    /// functions can be copied as it is.
    pub identity: bool,
    /// Whether the module's own functions keep their indices (only references to
    /// replaced imports change, and only bodies holding one are rewritten).
    pub defined_stay: bool,
    /// Per import of the input.
    pub imports: Vec<ImportOut>,
    /// Preview1 functions imported anew after the others (shifted layout): name and
    /// type index.
    pub appended_imports: Vec<(&'static str, u32)>,
    /// Names for the name section of imports the adapter wrote, by new index.
    pub import_names: Vec<(u32, String)>,
    /// Types appended to the type section.
    pub new_types: Vec<Sig>,
    /// The index of the first of [`Layout::functions`].
    pub first_new_function: u32,
    /// Local functions appended after the module's own.
    pub functions: Vec<NewFunction>,
    /// Whether the two scratch globals are appended.
    pub scratch_globals: bool,
    /// The passive data segment appended for the stubs' messages.
    pub message_data: Option<Vec<u8>>,
    /// Custom sections appended at the end: name and content.
    pub custom: Vec<(&'static str, Vec<u8>)>,
}

struct Replaced<'a> {
    /// Its function index in the input.
    index: u32,
    module: &'a str,
    name: &'a str,
    ty: TypeRef,
    action: Action,
}

struct Kept<'a> {
    index: u32,
    module: String,
    name: &'a str,
    ty: TypeRef,
}

/// What fills a freed slot that no needed import takes.
const FILLER: &str = "sched_yield";

pub fn plan(
    outline: &Outline<'_>,
    changes: &[Change],
    options: &AdaptOptions,
) -> Result<Layout, AdaptError> {
    let wanted: HashMap<(&str, &str), Action> = changes
        .iter()
        .map(|c| ((c.module.as_str(), c.name.as_str()), c.action))
        .collect();

    // Which imports stay (and from where), which are replaced.
    let mut imports = Vec::with_capacity(outline.imports.len());
    let mut kept: Vec<Kept<'_>> = Vec::new();
    let mut replaced: Vec<Replaced<'_>> = Vec::new();
    let mut index = 0;
    for import in &outline.imports {
        let is_function = matches!(import.ty, TypeRef::Func(_) | TypeRef::FuncExact(_));
        let action = if is_function {
            wanted.get(&(import.module, import.name)).copied()
        } else {
            None
        };
        match action {
            Some(
                action @ (Action::Shim(_)
                | Action::Enosys
                | Action::Notsup
                | Action::Stub
                | Action::Isatty(_)
                | Action::Preopens
                | Action::PreopenName
                | Action::Delete(_)
                | Action::Rename
                | Action::Readdir
                | Action::Errno(_)),
            ) => {
                replaced.push(Replaced {
                    index,
                    module: import.module,
                    name: import.name,
                    ty: import.ty,
                    action,
                });
                imports.push(ImportOut::Drop);
            }
            _ => {
                let module = if action == Some(Action::Repoint) {
                    PREVIEW1.to_owned()
                } else {
                    import.module.to_owned()
                };
                if is_function {
                    kept.push(Kept {
                        index,
                        module: module.clone(),
                        name: import.name,
                        ty: import.ty,
                    });
                }
                imports.push(ImportOut::Keep(module));
            }
        }
        if is_function {
            index += 1;
        }
    }

    // What the new bodies need.
    let mut needed: Vec<(&'static str, Sig)> = Vec::new();
    let mut need = |name: &'static str, sig: Sig| {
        if !needed.iter().any(|(n, _)| *n == name) {
            needed.push((name, sig));
        }
    };
    let mut needs_scratch = false;
    let mut needs_messages = false;
    // Bodies that write to memory 0 (scratch users write there too).
    let mut needs_memory = false;
    let mut custom = Vec::new();
    for r in &replaced {
        let Some(ty) = outline.func_type(r.ty) else {
            return Err(AdaptError::Malformed {
                offset: 0,
                reason: format!("import {}.{} has no function type", r.module, r.name),
            });
        };
        match r.action {
            Action::Shim(shim) => {
                expect_type(r, ty, shim_sig(shim))?;
                need(shim.name(), shim_sig(shim));
                needs_scratch |= shim.needs_scratch();
            }
            Action::Stub => {
                need("fd_write", FD_WRITE);
                need("proc_exit", PROC_EXIT);
                needs_scratch = true;
                needs_messages = true;
            }
            Action::Isatty(wrap) => {
                expect_type(r, ty, STAT)?;
                need(wrap.stat.name(), STAT);
                needs_memory = true;
                needs_scratch |= wrap.stat.needs_scratch();
                if !custom.iter().any(|(name, _)| *name == isatty::MARKER) {
                    custom.push((isatty::MARKER, vec![wrap.not_terminals]));
                }
            }
            Action::Preopens => {
                expect_type(r, ty, STAT)?;
                need(preopens::NAME, STAT);
                needs_memory = true;
                if !custom.iter().any(|(name, _)| *name == preopens::MARKER) {
                    custom.push((preopens::MARKER, Vec::new()));
                }
            }
            Action::PreopenName => {
                expect_type(r, ty, DELETE)?;
                need(preopens::DIR_NAME, DELETE);
                if !custom.iter().any(|(name, _)| *name == preopens::MARKER) {
                    custom.push((preopens::MARKER, Vec::new()));
                }
            }
            Action::Delete(delete) => {
                expect_type(r, ty, DELETE)?;
                need(deletes::RENAME, RENAME);
                need(delete.name(), DELETE);
                needs_scratch = true;
                if !custom.iter().any(|(name, _)| *name == deletes::MARKER) {
                    custom.push((deletes::MARKER, Vec::new()));
                }
            }
            Action::Readdir => {
                expect_type(r, ty, READDIR)?;
                need(readdir::NAME, READDIR);
                need(readdir::FILESTAT, STAT);
                needs_scratch = true;
            }
            Action::Rename => {
                expect_type(r, ty, RENAME)?;
                need(deletes::RENAME, RENAME);
                need(deletes::FILESTAT, FILESTAT);
                needs_scratch = true;
                if !custom.iter().any(|(name, _)| *name == deletes::MARKER) {
                    custom.push((deletes::MARKER, Vec::new()));
                }
            }
            Action::Errno(correction) => {
                expect_type(r, ty, correction.sig())?;
                need(correction.name(), correction.sig());
                need(errnos::FDSTAT, STAT);
                if matches!(
                    correction,
                    errnos::Correction::Renumber | errnos::Correction::PathOpen
                ) {
                    need(errnos::CLOSE, CLOSE);
                }
                needs_scratch = true;
            }
            Action::Notsup => {
                expect_type(r, ty, ALLOCATE)?;
                need(errnos::FDSTAT, STAT);
                needs_scratch = true;
            }
            Action::Enosys | Action::Repoint => {}
        }
    }
    // Every module rw adapts is marked as corrected: its output imports from preview1 what
    // a wasi_unstable input did not, which a second adaptation must leave as it is.
    custom.push((errnos::MARKER, Vec::new()));
    // Likewise the fd_fdstat_get the corrections may import: it is not the program's, and
    // a second adaptation must not wrap it for isatty().
    let mask = isatty::not_terminals(options.terminals);
    if mask != 0 && !custom.iter().any(|(name, _)| *name == isatty::MARKER) {
        custom.push((isatty::MARKER, vec![mask]));
    }
    if needs_scratch || needs_memory {
        match outline.memory {
            None => return Err(AdaptError::NoMemory),
            Some(memory) if memory.memory64 => return Err(AdaptError::Memory64),
            Some(_) => {}
        }
    }

    let mut new_types: Vec<Sig> = Vec::new();
    let mut type_of = |sig: Sig| {
        let at = new_types.iter().position(|s| *s == sig).unwrap_or_else(|| {
            new_types.push(sig);
            new_types.len() - 1
        });
        outline.types.len() as u32 + at as u32
    };

    // The module's own imports of what the bodies need (with the right type) serve;
    // the rest are missing.
    // (name, function index in the input) of those the module imports itself.
    let mut existing: Vec<(&'static str, u32)> = Vec::new();
    // (name, function index in the output) of those the adapter imports.
    let mut preview1: Vec<(&'static str, u32)> = Vec::with_capacity(needed.len());
    let mut missing: Vec<(&'static str, Sig)> = Vec::new();
    for (name, sig) in needed {
        let own = kept.iter().find(|k| {
            wasi_core::HOST_MODULES.contains(&k.module.as_str())
                && k.name == name
                && outline.func_type(k.ty).is_some_and(|t| is(t, sig))
        });
        match own {
            Some(k) => existing.push((name, k.index)),
            None => missing.push((name, sig)),
        }
    }

    let function_count = outline.function_count();
    let defined_stay = missing.len() <= replaced.len();
    let mut map: Vec<u32> = (0..function_count).collect();
    let mut appended_imports = Vec::new();
    let mut import_names = Vec::new();
    let first_new_function;
    if defined_stay {
        // Fill the freed slots: needed imports first, then fillers.
        let mut missing = missing.into_iter();
        let mut r = 0;
        for out in imports.iter_mut() {
            if *out != ImportOut::Drop {
                continue;
            }
            let slot = &replaced[r];
            let (name, type_index) = match missing.next() {
                Some((name, sig)) => {
                    preview1.push((name, slot.index));
                    (name, type_of(sig))
                }
                None => (FILLER, type_index_of(slot.ty)),
            };
            *out = ImportOut::Slot { name, type_index };
            import_names.push((slot.index, format!("{PREVIEW1}.{name}")));
            r += 1;
        }
        first_new_function = function_count;
    } else {
        // Drop the freed slots, append the needed imports: everything after moves.
        let kept_count = kept.len() as u32;
        for (k, kept) in kept.iter().enumerate() {
            map[kept.index as usize] = k as u32;
        }
        for (a, (name, sig)) in missing.into_iter().enumerate() {
            let index = kept_count + a as u32;
            appended_imports.push((name, type_of(sig)));
            import_names.push((index, format!("{PREVIEW1}.{name}")));
            preview1.push((name, index));
        }
        let defined_base = kept_count + appended_imports.len() as u32;
        for j in 0..outline.defined_functions {
            map[(outline.function_imports + j) as usize] = defined_base + j;
        }
        first_new_function = defined_base + outline.defined_functions;
    }
    preview1.extend(
        existing
            .into_iter()
            .map(|(name, old)| (name, map[old as usize])),
    );
    for (r, replaced) in replaced.iter().enumerate() {
        map[replaced.index as usize] = first_new_function + r as u32;
    }
    let identity = map.iter().enumerate().all(|(i, &m)| i as u32 == m);

    // The stubs' messages, one data segment.
    let mut message_data = Vec::new();
    let mut messages = Vec::with_capacity(replaced.len());
    for r in &replaced {
        messages.push((r.action == Action::Stub).then(|| {
            let text = stub_message(&options.file, r.module, r.name);
            let message = Message {
                offset: message_data.len() as u32,
                len: text.len() as u32,
            };
            message_data.extend_from_slice(text.as_bytes());
            message
        }));
    }

    let targets = Targets {
        scratch: first_new_function + replaced.len() as u32,
        scratch_base: outline.global_count(),
        message_segment: outline.data_segments,
        preview1,
    };
    let mut functions = Vec::with_capacity(replaced.len() + 1);
    for (r, message) in replaced.iter().zip(messages) {
        let ty = outline.func_type(r.ty).expect("checked above");
        let body = match (r.action, message) {
            (Action::Shim(shim), _) => shim.body(&targets),
            (Action::Isatty(wrap), _) => wrap.body(&targets),
            (Action::Preopens, _) => preopens::body(&targets),
            (Action::PreopenName, _) => preopens::dir_name_body(&targets),
            (Action::Delete(delete), _) => delete.body(&targets),
            (Action::Rename, _) => deletes::rename_body(&targets),
            (Action::Readdir, _) => readdir::body(&targets),
            (Action::Errno(correction), _) => correction.body(&targets),
            (Action::Stub, Some(message)) => {
                stubs::unknown(ty.params().len() as u32, message, &targets)
            }
            (Action::Notsup, _) => errnos::unsupported_allocate(&targets),
            _ => stubs::enosys(ty),
        };
        // A wrapper's slot already bears the name of the function it wraps.
        let name = match r.action {
            Action::Isatty(_) => format!("rw.isatty.{}", r.name),
            Action::Preopens | Action::PreopenName => format!("rw.preopens.{}", r.name),
            Action::Delete(_) | Action::Rename => format!("rw.deletes.{}", r.name),
            Action::Readdir => format!("rw.readdir.{}", r.name),
            Action::Errno(_) => format!("rw.errnos.{}", r.name),
            _ => format!("{}.{}", r.module, r.name),
        };
        functions.push(NewFunction {
            type_index: type_index_of(r.ty),
            body,
            name,
        });
    }
    if needs_scratch {
        functions.push(NewFunction {
            type_index: type_of(SCRATCH),
            body: scratch::helper(&targets),
            name: "rw.scratch".to_owned(),
        });
    }

    Ok(Layout {
        map,
        identity,
        defined_stay,
        imports,
        appended_imports,
        import_names,
        new_types,
        first_new_function,
        functions,
        scratch_globals: needs_scratch,
        message_data: needs_messages.then_some(message_data),
        custom,
    })
}

impl Layout {
    /// What the trap and write patch needs to know of the module this layout writes:
    /// its preview1 `fd_write` and `proc_exit` imports, whether the module's own or
    /// ones the adapter imports, by their new indices.
    pub fn patch_outline(&self, outline: &Outline<'_>) -> patch::Outline {
        let mut patched = patch::Outline {
            fd_write: None,
            proc_exit: None,
            unit_type: patch::unit_type(&outline.types),
            memory32: outline.memory.is_some_and(|memory| !memory.memory64),
            defines_functions: outline.defined_functions > 0,
            function_count: self.first_new_function + self.functions.len() as u32,
        };
        let types = outline.types.len() as u32;
        let shape = |type_index: u32| match type_index.checked_sub(types) {
            None => outline
                .types
                .get(type_index as usize)
                .and_then(Option::as_ref)
                .and_then(patch::i32_shape),
            Some(new) => self.new_types.get(new as usize).and_then(|sig| {
                let all_i32 = sig
                    .params
                    .iter()
                    .chain(sig.results)
                    .all(|t| *t == ValType::I32);
                all_i32.then_some((sig.params.len(), sig.results.len()))
            }),
        };
        let mut index = 0;
        for (import, out) in outline.imports.iter().zip(&self.imports) {
            let (module, name, type_index) = match (out, import.ty) {
                (
                    ImportOut::Keep(module),
                    TypeRef::Func(type_index) | TypeRef::FuncExact(type_index),
                ) => (module.as_str(), import.name, type_index),
                (ImportOut::Slot { name, type_index }, _) => (PREVIEW1, *name, *type_index),
                _ => continue,
            };
            patched.note_import(module, name, index, type_index, shape(type_index));
            index += 1;
        }
        for (name, type_index) in &self.appended_imports {
            patched.note_import(PREVIEW1, name, index, *type_index, shape(*type_index));
            index += 1;
        }
        patched
    }
}

fn type_index_of(ty: TypeRef) -> u32 {
    match ty {
        TypeRef::Func(index) | TypeRef::FuncExact(index) => index,
        _ => unreachable!("only function imports are replaced"),
    }
}
