//! The adapted module's new import list and function index space, built from what each
//! adaptation asks for ([`Builder`]), then finished into the [`Layout`] the writer
//! follows.
//!
//! Function indices count imports first, in import-section order, then the module's
//! own functions. An import an adaptation replaces with a local function frees its
//! index; the local functions (one per replaced import, then the scratch helper, then
//! the code patches' functions) are appended after the module's own. Two layouts
//! follow:
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
//! Re-pointed imports only change their module name, and a renamed memory import
//! (`memory.rs`) its names, which moves nothing: with nothing else to do, the map is the
//! identity and the code section is copied whole.

use wasm_encoder::Function;
use wasmparser::{FuncType, TypeRef};

use super::sig::{self, Sig};
use super::{scratch, Action, AdaptError, PREVIEW1};
use crate::module::{signature_text, Import, ModuleInfo};
use crate::wasi_core;

/// Function and global indices the added bodies call and use.
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
    /// The function index of the preview1 function `name`, which the body's adaptation
    /// asked for ([`Builder::need_import`]).
    pub fn preview1(&self, name: &str) -> u32 {
        self.preview1
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, index)| *index)
            .expect("every preview1 function a body calls was asked for")
    }
}

/// An import an adaptation replaces with a local function.
pub struct Replaced<'a> {
    /// Its function index in the input.
    pub index: u32,
    pub import: Import<'a>,
    /// Its type (the module's import names a function type: checked when claimed).
    pub ty: &'a FuncType,
    pub action: Action,
}

impl Replaced<'_> {
    /// Its type must be `sig` for the function written in its place.
    pub fn expect(&self, sig: Sig) -> Result<(), AdaptError> {
        if sig.matches(self.ty) {
            return Ok(());
        }
        Err(AdaptError::Signature {
            module: self.import.module.to_owned(),
            name: self.import.name.to_owned(),
            found: signature_text(self.ty),
            expected: sig.to_string(),
        })
    }

    fn type_index(&self) -> u32 {
        type_index_of(self.import.ty)
    }
}

/// Where a stub's message lies in the adapter's data segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageAt {
    pub offset: u32,
    pub len: u32,
}

type Body<'a> = Box<dyn FnOnce(&Targets) -> Function + 'a>;

/// What the adaptations ask for while the imports they replace are visited in order;
/// [`Builder::finish`] gives every index its place.
pub struct Builder<'a> {
    module: &'a ModuleInfo<'a>,
    needed: Vec<(&'static str, Sig)>,
    scratch: bool,
    memory: bool,
    message_data: Vec<u8>,
    messages: bool,
    custom: Vec<(&'static str, Vec<u8>)>,
    /// The module's first memory import is imported as `env.memory` (`memory.rs`).
    memory_renamed: bool,
    /// One per replaced import, in order: its name in the name section and its body.
    bodies: Vec<(String, Body<'a>)>,
}

impl<'a> Builder<'a> {
    pub fn new(module: &'a ModuleInfo<'a>) -> Self {
        Builder {
            module,
            needed: Vec::new(),
            scratch: false,
            memory: false,
            message_data: Vec::new(),
            messages: false,
            custom: Vec::new(),
            memory_renamed: false,
            bodies: Vec::new(),
        }
    }

    /// The module's first memory import is imported as `env.memory`, the name the Core
    /// links its memory by (`memory.rs`).
    pub fn import_memory_as_the_cores(&mut self) {
        self.memory_renamed = true;
    }

    /// The added bodies call preview1 `name` of type `sig`: the module's own import of it
    /// serves, else the adapter imports it.
    pub fn need_import(&mut self, name: &'static str, sig: Sig) {
        if !self.needed.iter().any(|(n, _)| *n == name) {
            self.needed.push((name, sig));
        }
    }

    /// The added bodies get scratch memory from the helper ([`scratch`]).
    pub fn need_scratch(&mut self) {
        self.scratch = true;
    }

    /// The added bodies read or write memory 0.
    pub fn need_memory(&mut self) {
        self.memory = true;
    }

    /// Puts `text` in the adapter's passive data segment.
    pub fn add_message(&mut self, text: &str) -> MessageAt {
        self.messages = true;
        let at = MessageAt {
            offset: self.message_data.len() as u32,
            len: text.len() as u32,
        };
        self.message_data.extend_from_slice(text.as_bytes());
        at
    }

    /// Marks the module with a custom section (the first mark of a name wins), so that a
    /// second adaptation knows what the first one did.
    pub fn mark(&mut self, name: &'static str, content: Vec<u8>) {
        if !self.custom.iter().any(|(n, _)| *n == name) {
            self.custom.push((name, content));
        }
    }

    /// The function that stands in for the import being replaced, named `name` in the
    /// name section; its body is written once every index is known.
    pub fn add_function(&mut self, name: String, body: impl FnOnce(&Targets) -> Function + 'a) {
        self.bodies.push((name, Box::new(body)));
    }

    pub(super) fn functions_added(&self) -> usize {
        self.bodies.len()
    }

    /// Places every import: `replaced` are those the adaptations replaced (their
    /// functions added in the same order), every other import stays, imported from
    /// preview1 instead where its function index is in `repointed` (ascending).
    pub(super) fn finish(
        self,
        replaced: &[Replaced<'a>],
        repointed: &[u32],
    ) -> Result<Layout, AdaptError> {
        let module = self.module;
        if self.scratch || self.memory {
            match module.memory0() {
                None => return Err(AdaptError::NoMemory),
                Some(memory) if memory.memory64 => return Err(AdaptError::Memory64),
                Some(_) => {}
            }
        }

        // Which imports stay (and from where), which are replaced.
        let mut imports = Vec::with_capacity(module.imports.len());
        // (function index in the input, module it is imported from, the import)
        let mut kept: Vec<(u32, &str, &Import<'_>)> = Vec::new();
        let mut next = replaced.iter().peekable();
        let mut index = 0;
        let mut rename_memory = self.memory_renamed;
        for import in &module.imports {
            if !import.is_function() {
                if rename_memory && matches!(import.ty, TypeRef::Memory(_)) {
                    rename_memory = false;
                    imports.push(ImportOut::Memory);
                } else {
                    imports.push(ImportOut::Keep(import.module.to_owned()));
                }
                continue;
            }
            if next.peek().is_some_and(|r| r.index == index) {
                next.next();
                imports.push(ImportOut::Drop);
            } else {
                let from = if repointed.binary_search(&index).is_ok() {
                    PREVIEW1
                } else {
                    import.module
                };
                kept.push((index, from, import));
                imports.push(ImportOut::Keep(from.to_owned()));
            }
            index += 1;
        }

        let mut types = Types::new(module);
        // The module's own imports of what the bodies need (with the right type) serve;
        // the rest are missing.
        // (name, function index in the input) of those the module imports itself.
        let mut existing: Vec<(&'static str, u32)> = Vec::new();
        // (name, function index in the output) of those the adapter imports.
        let mut preview1: Vec<(&'static str, u32)> = Vec::with_capacity(self.needed.len());
        let mut missing: Vec<(&'static str, Sig)> = Vec::new();
        for (name, sig) in self.needed {
            let own = kept.iter().find(|(_, from, import)| {
                wasi_core::HOST_MODULES.contains(from)
                    && import.name == name
                    && sig.is(module.func_type(import.ty))
            });
            match own {
                Some((index, ..)) => existing.push((name, *index)),
                None => missing.push((name, sig)),
            }
        }

        let function_count = module.function_count();
        let defined_stay = missing.len() <= replaced.len();
        let mut map: Vec<u32> = (0..function_count).collect();
        let mut appended_imports = Vec::new();
        let mut import_names = Vec::new();
        let first_new_function;
        if defined_stay {
            // Fill the freed slots: needed imports first, then fillers.
            let mut missing = missing.into_iter();
            let mut slots = replaced.iter();
            for out in imports.iter_mut() {
                if *out != ImportOut::Drop {
                    continue;
                }
                let slot = slots.next().expect("one freed slot per replaced import");
                let (name, type_index) = match missing.next() {
                    Some((name, sig)) => {
                        preview1.push((name, slot.index));
                        (name, types.index_of(sig))
                    }
                    None => (FILLER, slot.type_index()),
                };
                *out = ImportOut::Slot { name, type_index };
                import_names.push((slot.index, format!("{PREVIEW1}.{name}")));
            }
            first_new_function = function_count;
        } else {
            // Drop the freed slots, append the needed imports: everything after moves.
            let kept_count = kept.len() as u32;
            for (k, (index, ..)) in kept.iter().enumerate() {
                map[*index as usize] = k as u32;
            }
            for (a, (name, sig)) in missing.into_iter().enumerate() {
                let index = kept_count + a as u32;
                appended_imports.push((name, types.index_of(sig)));
                import_names.push((index, format!("{PREVIEW1}.{name}")));
                preview1.push((name, index));
            }
            let defined_base = kept_count + appended_imports.len() as u32;
            for j in 0..module.defined_functions {
                map[(module.function_imports + j) as usize] = defined_base + j;
            }
            first_new_function = defined_base + module.defined_functions;
        }
        preview1.extend(
            existing
                .into_iter()
                .map(|(name, old)| (name, map[old as usize])),
        );
        for (r, replaced) in replaced.iter().enumerate() {
            map[replaced.index as usize] = first_new_function + r as u32;
        }

        let targets = Targets {
            scratch: first_new_function + replaced.len() as u32,
            scratch_base: module.global_count(),
            message_segment: module.data_segments,
            preview1,
        };
        let mut functions = Vec::with_capacity(replaced.len() + 1);
        for (r, (name, body)) in replaced.iter().zip(self.bodies) {
            functions.push(NewFunction {
                type_index: r.type_index(),
                body: body(&targets),
                name,
            });
        }
        if self.scratch {
            functions.push(NewFunction {
                type_index: types.index_of(sig::SCRATCH),
                body: scratch::helper(&targets),
                name: "rw.scratch".to_owned(),
            });
        }
        let identity = map.iter().enumerate().all(|(i, &m)| i as u32 == m);
        Ok(Layout {
            map,
            identity,
            defined_stay,
            imports,
            appended_imports,
            import_names,
            module_types: module.types.len() as u32,
            new_types: types.new,
            first_new_function,
            functions,
            patched_from: None,
            scratch_globals: self.scratch,
            message_data: self.messages.then_some(self.message_data),
            custom: self.custom,
            redirect: None,
            before_unreachable: None,
        })
    }
}

/// The module's types and those the layout appends.
struct Types<'a> {
    module: &'a ModuleInfo<'a>,
    new: Vec<Sig>,
}

impl<'a> Types<'a> {
    fn new(module: &'a ModuleInfo<'a>) -> Self {
        Types {
            module,
            new: Vec::new(),
        }
    }

    /// The index of an appended type `sig`, appended at its first use.
    fn index_of(&mut self, sig: Sig) -> u32 {
        let at = self.new.iter().position(|s| *s == sig).unwrap_or_else(|| {
            self.new.push(sig);
            self.new.len() - 1
        });
        self.module.types.len() as u32 + at as u32
    }
}

/// What fills a freed slot that no needed import takes.
const FILLER: &str = "sched_yield";

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
    /// The module's memory, imported as `env.memory` (`memory.rs`).
    Memory,
}

/// Everything the writer writes differently from the input.
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
    /// How many types the module has; [`Layout::new_types`] follow.
    module_types: u32,
    /// Types appended to the type section.
    pub new_types: Vec<Sig>,
    /// The index of the first of [`Layout::functions`].
    pub first_new_function: u32,
    /// Local functions appended after the module's own.
    pub functions: Vec<NewFunction>,
    /// How many of [`Layout::functions`] there were before the code patches added theirs.
    patched_from: Option<usize>,
    /// Whether the two scratch globals are appended.
    pub scratch_globals: bool,
    /// The passive data segment appended for the stubs' messages.
    pub message_data: Option<Vec<u8>>,
    /// Custom sections appended at the end: name and content.
    pub custom: Vec<(&'static str, Vec<u8>)>,
    /// Calls of the first function (by new index) go to the second instead.
    pub redirect: Option<(u32, u32)>,
    /// A call of this function goes in before each `unreachable` of the module's code.
    pub before_unreachable: Option<u32>,
}

impl Layout {
    /// The new index of the preview1 import `name`, if the written module imports it
    /// (the module's own, or one the adapter imports) with type `sig`; and its type index.
    pub fn preview1_import(
        &self,
        module: &ModuleInfo<'_>,
        name: &str,
        sig: Sig,
    ) -> Option<(u32, u32)> {
        let shape = sig.i32_shape()?;
        let shape_of = |type_index: u32| match type_index.checked_sub(self.module_types) {
            None => module
                .types
                .get(type_index as usize)
                .and_then(Option::as_ref)
                .and_then(i32_shape),
            Some(new) => self.new_types.get(new as usize).and_then(|s| s.i32_shape()),
        };
        let mut found = None;
        let written = module.imports.iter().zip(&self.imports);
        let slots = written.filter_map(|(import, out)| match (out, import.ty) {
            (ImportOut::Keep(from), TypeRef::Func(t) | TypeRef::FuncExact(t)) => {
                Some((from.as_str(), import.name, t))
            }
            (ImportOut::Slot { name, type_index }, _) => Some((PREVIEW1, *name, *type_index)),
            _ => None,
        });
        let appended = self
            .appended_imports
            .iter()
            .map(|(name, type_index)| (PREVIEW1, *name, *type_index));
        for (index, (from, import_name, type_index)) in slots.chain(appended).enumerate() {
            // The last import of the name serves.
            if from == PREVIEW1 && import_name == name && shape_of(type_index) == Some(shape) {
                found = Some((index as u32, type_index));
            }
        }
        found
    }

    /// The index of the module's first type `sig` (the layout appends none for it).
    pub fn module_type(&self, module: &ModuleInfo<'_>, sig: Sig) -> Option<u32> {
        module
            .types
            .iter()
            .position(|t| sig.is(t.as_ref()))
            .map(|i| i as u32)
    }

    /// Appends a local function; returns its index.
    pub fn add_function(&mut self, type_index: u32, name: &str, body: Function) -> u32 {
        self.patched_from.get_or_insert(self.functions.len());
        self.functions.push(NewFunction {
            type_index,
            body,
            name: name.to_owned(),
        });
        self.first_new_function + self.functions.len() as u32 - 1
    }

    /// Calls of function `from` (a new index) go to `to` instead.
    pub fn redirect_calls(&mut self, from: u32, to: u32) {
        self.redirect = Some((from, to));
    }

    /// A call of `function` goes in before each `unreachable` of the module's code.
    pub fn call_before_unreachable(&mut self, function: u32) {
        self.before_unreachable = Some(function);
    }

    /// Whether a code patch added to it.
    pub fn patched(&self) -> bool {
        self.patched_from.is_some()
    }

    /// Undoes what the code patches added.
    pub fn unpatch(&mut self) {
        if let Some(from) = self.patched_from.take() {
            self.functions.truncate(from);
        }
        self.redirect = None;
        self.before_unreachable = None;
        self.custom
            .retain(|(name, _)| *name != super::output::WRITE_WRAPPER_SECTION);
    }
}

/// How many parameters and results `f` has, when all are i32.
fn i32_shape(f: &FuncType) -> Option<(usize, usize)> {
    let all_i32 = f
        .params()
        .iter()
        .chain(f.results())
        .all(|t| *t == wasmparser::ValType::I32);
    all_i32.then_some((f.params().len(), f.results().len()))
}

fn type_index_of(ty: TypeRef) -> u32 {
    match ty {
        TypeRef::Func(index) | TypeRef::FuncExact(index) => index,
        _ => unreachable!("only function imports are replaced"),
    }
}
