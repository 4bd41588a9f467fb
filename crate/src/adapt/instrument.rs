//! After the adapter, the traps: every trap the WebAssembly spec defines ends the
//! program with its reason in wasmtime's words and 134, where the WASM WASI Core 1.0.2
//! would leave `run()` unsettled and the shell waiting.
//!
//! One pass over the module the adapter wrote (or the input, when it wrote none):
//! - **checks** (`checks.rs`) before the instructions whose traps are cheap to foresee:
//!   division and remainder, float-to-integer truncation, indirect calls (index past
//!   the table, null element, and, for a table the program never changes, the
//!   callee's type). `unreachable` is `traps.rs`'s.
//! - **the watch** (`watch.rs`) for the two that are not: memory out of bounds and the
//!   call stack exhausted. Memory 0 becomes an imported shared memory that rw
//!   creates, and the code writes the watch word as it runs.
//!
//! The decision and its measured cost are in `watch.rs` and the README; what each
//! module gets is what `--explain` says (`Caught`).

use std::collections::HashMap;
use std::ops::Range;

use wasm_encoder::{Encode, EntityType, InstructionSink, MemoryType, RefType, TableType};
use wasmparser::{
    BinaryReader, CompositeInnerType, ElementItems, ElementKind, ExternalKind, FunctionBody,
    Payload, TypeRef,
};

use super::checks::{self, Exits, IndirectCheck, Scratch};
use super::trap_sites::{Finder, Site};
use super::traps::exit_function;
use super::watch::{self, IndirectSite, Watch};
use super::AdaptError;
use crate::message::Message;

/// The custom section that marks a module as instrumented: a second run through the
/// adapter (`rw` of a module rw wrote) leaves it as it is.
pub const MARKER: &str = "rw.instrumented";

/// The most pages of a 32-bit memory.
const MAX_PAGES: u64 = crate::wasi_core::MAX_PAGES;

/// What the pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrumented {
    pub caught: Caught,
    /// The module written; `None` when there was nothing to do.
    pub bytes: Option<Vec<u8>>,
    /// How to watch it, and the memory rw creates for it when its own became one.
    pub watch: Option<(Watch, Option<MemoryType>)>,
}

/// Which traps a run of the module ends cleanly, beyond `unreachable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Caught {
    /// Division, truncation and indirect calls are checked; else why not.
    pub checks: Option<Unchecked>,
    /// Memory out of bounds and stack exhaustion are watched; else why not.
    pub watch: Option<Unwatched>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unchecked {
    /// The exits need preview1 fd_write and proc_exit and a 32-bit memory 0.
    NoWasiExit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwatched {
    /// No memory, a 64-bit one, one of no pages to begin with, or more than one.
    NoPlainMemory,
    /// The memory is imported (a wasi-threads program): threads are not watched.
    ImportedMemory,
    /// Data lies where the watch word would (its first 16 bytes).
    DataAtWord,
    /// A table or `ref.func` holds a WASI function, whose calls could not be marked.
    WasiInTable,
    /// rw instrumented the module before: it runs as it is.
    Instrumented,
}

/// Instruments `bytes` for a run of `file`.
pub fn instrument(bytes: &[u8], file: &str) -> Result<Instrumented, AdaptError> {
    let facts = Facts::read(bytes)?;
    let mut caught = Caught {
        checks: match (facts.fd_write, facts.proc_exit, facts.memory32) {
            (Some(_), Some(_), true) => None,
            _ => Some(Unchecked::NoWasiExit),
        },
        watch: facts.unwatched(),
    };
    let nothing = |caught| Instrumented {
        caught,
        bytes: None,
        watch: None,
    };
    if facts.instrumented {
        return Ok(nothing(Caught {
            checks: None,
            watch: Some(Unwatched::Instrumented),
        }));
    }
    if caught.checks.is_some() && caught.watch.is_some() {
        return Ok(nothing(caught));
    }
    let tables = facts.table_imports as usize + facts.defined_tables.len();
    let (checks, watched) = (caught.checks.is_none(), caught.watch.is_none());
    let mut pass = Pass::new(&facts, checks, watched, vec![false; tables]);
    let mut written = pass.write(bytes, file)?;
    if watched && pass.wasi_referenced {
        // A WASI function called through a table would look like a call that never
        // arrived: no watch, and the checks alone.
        caught.watch = Some(Unwatched::WasiInTable);
        if !checks {
            return Ok(nothing(caught));
        }
        let changed = pass.found_changed.clone();
        pass = Pass::new(&facts, true, false, changed);
        written = pass.write(bytes, file)?;
    }
    if pass.found_changed != pass.assumed_changed {
        // The checks assumed tables known before the program runs (compared with tables
        // of one type each, or told apart by their elements once it is gone), which a
        // changed table is not: written again, knowing which tables change.
        let changed = pass.found_changed.clone();
        pass = Pass::new(&facts, pass.checks, pass.watch, changed);
        written = pass.write(bytes, file)?;
    }
    let watch = match caught.watch {
        None => {
            let (sites, tables) = pass.indirect_sites();
            let slots = match pass.words {
                Words::Fixed => 1,
                Words::PerThread { .. } => watch::THREAD_SLOTS - 1,
            };
            // A threads program keeps the memory it imports; another's becomes one.
            let memory = pass
                .converts_memory()
                .then(|| watched_memory(facts.defined_memory.expect("it defines its memory")));
            Some((Watch::new(file, slots, sites, tables), memory))
        }
        Some(_) => None,
    };
    Ok(Instrumented {
        caught,
        bytes: Some(written),
        watch,
    })
}

/// The shared memory that stands in for the module's own: its limits (a shared memory
/// needs a maximum: then all a 32-bit memory can be, as the module's own could grow).
fn watched_memory(memory: wasmparser::MemoryType) -> MemoryType {
    MemoryType {
        minimum: memory.initial,
        maximum: Some(memory.maximum.unwrap_or(MAX_PAGES)),
        memory64: false,
        shared: true,
        page_size_log2: None,
    }
}

/// Where the code writes its watch words: at [`watch::WORD`], or, in a wasi-threads
/// program, at the slot each thread's instance keeps in a global the pass adds (set as
/// the thread starts; the main thread's is 0, `watch::WORD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Fixed,
    PerThread { global: u32 },
}

impl Words {
    /// Pushes the address of this thread's words.
    pub fn base(self, ins: &mut InstructionSink<'_>) {
        match self {
            Words::Fixed => ins.i32_const(watch::WORD as i32),
            Words::PerThread { global } => ins.global_get(global),
        };
    }

    /// Appends the store of `value` to this thread's watch word.
    pub fn mark(self, ins: &mut InstructionSink<'_>, value: i32) {
        self.base(ins);
        ins.i32_const(value).i32_store(super::emit::mem(0, 2));
    }
}

/// An active element segment: where it starts in which table, and its functions
/// (`None` for a null element).
struct Segment {
    table: u32,
    offset: Option<u32>,
    functions: Option<Vec<Option<u32>>>,
}

/// What the pass needs to know of the module before it writes.
#[derive(Default)]
struct Facts {
    instrumented: bool,
    /// Types by index: the index of the first equal function type, `None` for others.
    canonical: Vec<Option<u32>>,
    /// Function types by index: params and results.
    signatures: Vec<Option<Signature>>,
    /// Whether the module has recursive type groups (then types are not compared).
    gc_types: bool,
    type_count: u32,
    /// Type index of each function, imports first.
    function_types: Vec<u32>,
    function_imports: u32,
    fd_write: Option<u32>,
    proc_exit: Option<u32>,
    memory_imports: u32,
    defined_memory: Option<wasmparser::MemoryType>,
    defined_memories: u32,
    memory32: bool,
    table_imports: u32,
    /// Each table the module defines, and whether an expression initialises it.
    defined_tables: Vec<(wasmparser::TableType, bool)>,
    exported_tables: Vec<u32>,
    threads: bool,
    /// The functions exported as `_start` and `wasi_thread_start`, where the main
    /// thread and each other begins.
    main_start: Option<u32>,
    thread_start: Option<u32>,
    /// The memory imported, when one is.
    imported_memory: Option<wasmparser::MemoryType>,
    globals: u32,
    segments: Vec<Segment>,
    data_at_word: bool,
    wasi_in_elements: bool,
}

impl Facts {
    fn read(bytes: &[u8]) -> Result<Facts, AdaptError> {
        let mut facts = Facts::default();
        let mut signatures: HashMap<(Vec<wasmparser::ValType>, Vec<wasmparser::ValType>), u32> =
            HashMap::new();
        for payload in wasmparser::Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        let group = group?;
                        let explicit = group.is_explicit_rec_group();
                        for sub in group.into_types() {
                            let index = facts.type_count;
                            facts.type_count += 1;
                            facts.gc_types |= explicit || !sub.is_final;
                            let canonical = match &sub.composite_type.inner {
                                CompositeInnerType::Func(f) if !sub.composite_type.shared => {
                                    let key = (f.params().to_vec(), f.results().to_vec());
                                    facts.signatures.push(Some(key.clone()));
                                    Some(*signatures.entry(key).or_insert(index))
                                }
                                _ => {
                                    facts.signatures.push(None);
                                    None
                                }
                            };
                            facts.canonical.push(canonical);
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        match import.ty {
                            TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                                let index = facts.function_imports;
                                if import.module == "wasi_snapshot_preview1" {
                                    if import.name == "fd_write" && facts.all_i32(ty, 4, 1) {
                                        facts.fd_write = Some(index);
                                    }
                                    if import.name == "proc_exit" && facts.all_i32(ty, 1, 0) {
                                        facts.proc_exit = Some(index);
                                    }
                                }
                                if import.module == "wasi" && import.name == "thread-spawn" {
                                    facts.threads = true;
                                }
                                facts.function_types.push(ty);
                                facts.function_imports += 1;
                            }
                            TypeRef::Memory(memory) => {
                                if facts.memory_imports == 0 {
                                    facts.memory32 = !memory.memory64;
                                    facts.imported_memory = Some(memory);
                                }
                                facts.memory_imports += 1;
                            }
                            TypeRef::Global(_) => facts.globals += 1,
                            TypeRef::Table(_) => facts.table_imports += 1,
                            _ => {}
                        }
                    }
                }
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        facts.function_types.push(ty?);
                    }
                }
                Payload::TableSection(reader) => {
                    for table in reader {
                        let table = table?;
                        let expression = matches!(table.init, wasmparser::TableInit::Expr(_));
                        facts.defined_tables.push((table.ty, expression));
                    }
                }
                Payload::MemorySection(reader) => {
                    for memory in reader {
                        let memory = memory?;
                        if facts.memory_imports == 0 && facts.defined_memories == 0 {
                            facts.memory32 = !memory.memory64;
                            facts.defined_memory = Some(memory);
                        }
                        facts.defined_memories += 1;
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        match export.kind {
                            ExternalKind::Table => facts.exported_tables.push(export.index),
                            ExternalKind::Func if export.name == "_start" => {
                                facts.main_start = Some(export.index);
                            }
                            ExternalKind::Func if export.name == "wasi_thread_start" => {
                                facts.threads = true;
                                facts.thread_start = Some(export.index);
                            }
                            _ => {}
                        }
                    }
                }
                Payload::GlobalSection(reader) => facts.globals += reader.count(),
                Payload::ElementSection(reader) => {
                    for element in reader {
                        let element = element?;
                        let functions = facts.element_functions(element.items)?;
                        if let ElementKind::Active {
                            table_index,
                            offset_expr,
                        } = element.kind
                        {
                            facts.segments.push(Segment {
                                table: table_index.unwrap_or(0),
                                offset: const_i32(offset_expr.get_binary_reader())
                                    .and_then(|o| u32::try_from(o).ok()),
                                functions,
                            });
                        }
                    }
                }
                Payload::DataSection(reader) => {
                    for data in reader {
                        let data = data?;
                        if let wasmparser::DataKind::Active {
                            memory_index: 0,
                            offset_expr,
                        } = data.kind
                        {
                            let at_word = match const_i32(offset_expr.get_binary_reader()) {
                                Some(offset) => {
                                    !data.data.is_empty()
                                        && (offset as u32 as u64) < watch::WORD_END
                                }
                                None => true,
                            };
                            facts.data_at_word |= at_word;
                        }
                    }
                }
                Payload::CustomSection(section) if section.name() == MARKER => {
                    facts.instrumented = true;
                }
                _ => {}
            }
        }
        Ok(facts)
    }

    /// Whether type `ty` is `(i32 × params) -> (i32 × results)`.
    fn all_i32(&self, ty: u32, params: usize, results: usize) -> bool {
        use wasmparser::ValType::I32;
        self.signatures
            .get(ty as usize)
            .and_then(Option::as_ref)
            .is_some_and(|(p, r)| {
                p.len() == params && r.len() == results && p.iter().chain(r).all(|&t| t == I32)
            })
    }

    /// An element segment's functions; `None` when it holds other expressions.
    fn element_functions(
        &mut self,
        items: ElementItems<'_>,
    ) -> Result<Option<Vec<Option<u32>>>, AdaptError> {
        let mut functions = Vec::new();
        match items {
            ElementItems::Functions(reader) => {
                for f in reader {
                    functions.push(Some(f?));
                }
            }
            ElementItems::Expressions(_, reader) => {
                for expr in reader {
                    // `ref.func F end` or `ref.null T end`, read by hand: anything else
                    // (a global, GC) is not known before the program runs. (Decoding
                    // Operators here would link wasmparser's whole decoder into the core.)
                    let mut r = expr?.get_binary_reader();
                    let item = match r.read_u8()? {
                        0xd2 => Some(r.read_var_u32()?),
                        0xd0 => {
                            r.read::<wasmparser::HeapType>()?;
                            None
                        }
                        _ => return Ok(None),
                    };
                    match r.read_u8()? {
                        0x0b => functions.push(item),
                        _ => return Ok(None),
                    }
                }
            }
        }
        self.wasi_in_elements |= functions
            .iter()
            .flatten()
            .any(|&f| f < self.function_imports);
        Ok(Some(functions))
    }

    /// The number of parameters of function `function`.
    fn param_count(&self, function: u32) -> u32 {
        self.function_types
            .get(function as usize)
            .and_then(|&ty| self.signatures.get(ty as usize))
            .and_then(Option::as_ref)
            .map_or(0, |(params, _)| params.len() as u32)
    }

    /// The canonical type of function `function`.
    fn type_of(&self, function: u32) -> Option<u32> {
        let &ty = self.function_types.get(function as usize)?;
        self.canonical.get(ty as usize).copied().flatten()
    }

    fn table_type(&self, table: u32) -> Option<wasmparser::TableType> {
        let defined = table.checked_sub(self.table_imports)?;
        self.defined_tables.get(defined as usize).map(|t| t.0)
    }

    /// The functions of table `table` by element, when they are known before the
    /// program runs: a table it defines, does not export, never `changed` by code,
    /// filled by active segments of functions at constant offsets.
    fn elements(&self, table: u32, changed: &[bool]) -> Option<Vec<Option<u32>>> {
        let (ty, expression) = self
            .defined_tables
            .get(table.checked_sub(self.table_imports)? as usize)?;
        let known = !expression
            && !ty.table64
            && ty.element_type == wasmparser::RefType::FUNCREF
            && !changed.get(table as usize).copied().unwrap_or(true)
            && !self.exported_tables.contains(&table)
            && !self.gc_types
            && ty.initial <= 1 << 20;
        if !known {
            return None;
        }
        let mut slots = vec![None; ty.initial as usize];
        for segment in self.segments.iter().filter(|s| s.table == table) {
            let (offset, functions) = (segment.offset?, segment.functions.as_ref()?);
            let end = (offset as usize).checked_add(functions.len())?;
            slots
                .get_mut(offset as usize..end)?
                .copy_from_slice(functions);
        }
        Some(slots)
    }

    /// Whether each thread writes words of its own (a wasi-threads program, whose one
    /// memory is imported and shared).
    fn per_thread(&self) -> bool {
        let shared = self
            .imported_memory
            .is_some_and(|m| m.shared && !m.memory64);
        let starts = self.main_start.is_some() && self.thread_start.is_some();
        self.threads && starts && shared && self.memory_imports == 1
    }

    fn unwatched(&self) -> Option<Unwatched> {
        // The words must be there from the first instruction on.
        let pages = |memory: Option<wasmparser::MemoryType>| memory.map_or(0, |m| m.initial);
        if self.per_thread() && self.defined_memories == 0 {
            if pages(self.imported_memory) == 0 {
                return Some(Unwatched::NoPlainMemory);
            }
            return (self.data_at_word).then_some(Unwatched::DataAtWord);
        }
        if self.memory_imports > 0 || self.threads {
            return Some(Unwatched::ImportedMemory);
        }
        if self.defined_memories != 1 || !self.memory32 || pages(self.defined_memory) == 0 {
            return Some(Unwatched::NoPlainMemory);
        }
        if self.data_at_word {
            return Some(Unwatched::DataAtWord);
        }
        if self.wasi_in_elements {
            return Some(Unwatched::WasiInTable);
        }
        None
    }
}

type Signature = (Vec<wasmparser::ValType>, Vec<wasmparser::ValType>);

/// The value of a constant expression `i32.const N`.
fn const_i32(mut reader: BinaryReader<'_>) -> Option<i32> {
    match reader.read_u8().ok()? {
        0x41 => {
            let value = reader.read_var_i32().ok()?;
            (reader.read_u8().ok()? == 0x0b).then_some(value)
        }
        _ => None,
    }
}

/// One writing of the module, with the checks, the watch, or both.
struct Pass<'f> {
    facts: &'f Facts,
    checks: bool,
    watch: bool,
    exits: Exits,
    /// The kinds of indirect call (table, canonical type) the watch tells apart.
    sites: Vec<(u32, u32)>,
    /// By table index: whether code changes it (`table.set`, `grow`, `fill`, `copy`,
    /// `init`), so that its elements are only known as the program runs. `assumed`:
    /// what the checks were written for; `found`: what the code does.
    assumed_changed: Vec<bool>,
    found_changed: Vec<bool>,
    /// The tables of one type each the unwatched checks compare with, by (table, type).
    same_type: Vec<(u32, u32)>,
    /// Whether a `ref.func` names a WASI function.
    wasi_referenced: bool,
    words: Words,
}

impl<'f> Pass<'f> {
    fn new(facts: &'f Facts, checks: bool, watch: bool, assumed_changed: Vec<bool>) -> Self {
        let tables = facts.table_imports as usize + facts.defined_tables.len();
        Pass {
            facts,
            checks,
            watch,
            exits: Exits::new(facts.function_types.len() as u32),
            sites: Vec::new(),
            found_changed: vec![false; tables],
            assumed_changed,
            same_type: Vec::new(),
            wasi_referenced: false,
            words: match watch && facts.per_thread() {
                true => Words::PerThread {
                    global: facts.globals,
                },
                false => Words::Fixed,
            },
        }
    }

    /// Whether the module's own memory becomes the imported, shared one rw watches.
    fn converts_memory(&self) -> bool {
        self.watch && self.words == Words::Fixed
    }

    fn tables(&self) -> u32 {
        self.assumed_changed.len() as u32
    }

    fn write(&mut self, bytes: &[u8], file: &str) -> Result<Vec<u8>, AdaptError> {
        let mut sections: Vec<(u8, Range<usize>)> = Vec::new();
        let mut bodies = Vec::new();
        let mut body_count = 0u32;
        let mut function = self.facts.function_imports;
        for payload in wasmparser::Parser::new(0).parse_all(bytes) {
            let payload = payload?;
            if let Payload::CodeSectionEntry(body) = &payload {
                self.body(function, body, bytes, &mut bodies)?;
                function += 1;
                body_count += 1;
                continue;
            }
            if let Some((id, range)) = payload.as_section() {
                sections.push((id, range.start as usize..range.end as usize));
            }
        }
        let added = self.added(file);
        let mut out = bytes[..8].to_vec();
        let section = |out: &mut Vec<u8>, id: u8, contents: &[u8]| {
            out.push(id);
            contents.len().encode(out);
            out.extend_from_slice(contents);
        };
        let has_imports = sections.iter().any(|(id, _)| *id == 2);
        let converts = self.converts_memory();
        // The global of a thread's words, `(mut i32) (i32.const UNWATCHED)`: until
        // `_start` or `wasi_thread_start` says whose instance it is (a module's start
        // function runs in every thread's instance before that), the unwatched slot.
        let mut slot_global = vec![0x7f, 0x01];
        InstructionSink::new(&mut slot_global)
            .i32_const(watch::UNWATCHED_SLOT as i32)
            .end();
        let mut globals_written = false;
        for (id, range) in sections {
            let contents = &bytes[range];
            let mut c = Vec::new();
            let per_thread = matches!(self.words, Words::PerThread { .. });
            // Sections come in this order; the global section goes before the first that
            // follows it, when the module has none.
            if per_thread && !globals_written && matches!(id, 7..=12) {
                section(&mut out, 6, &[&[1u8][..], &slot_global].concat());
                globals_written = true;
            }
            match id {
                1 => {
                    splice(contents, added.type_count, &added.types, &mut c)?;
                    section(&mut out, 1, &c);
                    if converts && !has_imports {
                        section(&mut out, 2, &[&[1u8][..], &added.memory_import].concat());
                    }
                }
                6 if per_thread => {
                    splice(contents, 1, &slot_global, &mut c)?;
                    section(&mut out, 6, &c);
                    globals_written = true;
                }
                7 if per_thread => {
                    repoint_starts(contents, added.main_start, added.thread_start, &mut c)?;
                    section(&mut out, 7, &c);
                }
                2 if converts => {
                    splice(contents, 1, &added.memory_import, &mut c)?;
                    section(&mut out, 2, &c);
                }
                3 => {
                    splice(contents, added.function_count, &added.functions, &mut c)?;
                    section(&mut out, 3, &c);
                }
                4 => {
                    splice(contents, added.table_count, &added.tables, &mut c)?;
                    section(&mut out, 4, &c);
                }
                // The one memory is imported now.
                5 if converts => {}
                9 => {
                    splice(contents, added.element_count, &added.elements, &mut c)?;
                    section(&mut out, 9, &c);
                }
                10 => {
                    (body_count + added.bodies.len() as u32).encode(&mut c);
                    c.extend_from_slice(&bodies);
                    for body in &added.bodies {
                        body.encode(&mut c);
                    }
                    section(&mut out, 10, &c);
                }
                _ => section(&mut out, id, contents),
            }
        }
        let mut marker = Vec::new();
        MARKER.encode(&mut marker);
        section(&mut out, 0, &marker);
        Ok(out)
    }

    /// Appends the body of function `function`, instrumented, to `out` (size first).
    fn body(
        &mut self,
        function: u32,
        body: &FunctionBody<'_>,
        bytes: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), AdaptError> {
        let range = body.range();
        let range = range.start as usize..range.end as usize;
        let mut locals = body.get_locals_reader()?;
        let groups = locals.get_count();
        let mut own_locals = 0u32;
        for _ in 0..groups {
            own_locals += locals.read()?.0;
        }
        let groups_start = range.start + leb_len(groups);
        let mut ops = body.get_operators_reader()?;
        let ops_start = ops.original_position() as usize;
        let params = self.facts.param_count(function);
        let mut scratch = Scratch::new(params + own_locals);
        let mut code = Vec::new();
        if self.watch {
            self.words
                .mark(&mut InstructionSink::new(&mut code), watch::RUNNING);
        }
        let mut copied = ops_start;
        let imports = self.facts.function_imports;
        let mut finder = Finder::default();
        while !ops.eof() {
            let start = ops.original_position() as usize;
            ops.visit_operator(&mut finder)?;
            let end = ops.original_position() as usize;
            let Some(site) = finder.0.take() else {
                continue;
            };
            // What goes in before the instruction, whether the instruction itself stays
            // (a division is written anew, checked), and what goes in after it.
            let mut before = Vec::new();
            let mut keep = true;
            let mut after = None;
            let mut sink = InstructionSink::new(&mut before);
            match site {
                Site::Loop if self.watch => after = Some(watch::RUNNING),
                Site::Call { function, tail } if self.watch => {
                    if function < imports {
                        self.words.mark(&mut sink, watch::WAITING);
                        if !tail {
                            after = Some(watch::RUNNING);
                        }
                    } else {
                        self.words.mark(&mut sink, watch::CALLING);
                    }
                }
                Site::CallIndirect { ty, table } => {
                    self.indirect(&mut sink, table, ty, &mut scratch)
                }
                Site::AtomicWait if self.watch => {
                    self.words.mark(&mut sink, watch::WAITING);
                    after = Some(watch::RUNNING);
                }
                Site::RefFunc { function } if function < imports => {
                    self.wasi_referenced = true;
                }
                Site::TableChange { table } => {
                    if let Some(changed) = self.found_changed.get_mut(table as usize) {
                        *changed = true;
                    }
                }
                Site::Checked(c) if self.checks => {
                    checks::emit(&mut sink, c, &mut scratch, &mut self.exits);
                    keep = false;
                }
                _ => {}
            }
            if before.is_empty() && keep && after.is_none() {
                continue;
            }
            code.extend_from_slice(&bytes[copied..start]);
            code.extend_from_slice(&before);
            if keep {
                code.extend_from_slice(&bytes[start..end]);
            }
            if let Some(mark) = after {
                self.words.mark(&mut InstructionSink::new(&mut code), mark);
            }
            copied = end;
        }
        ops.finish()?;
        code.extend_from_slice(&bytes[copied..range.end]);
        // The locals: the body's own groups, then one per scratch local.
        let mut head = Vec::new();
        (groups + scratch.declared.len() as u32).encode(&mut head);
        head.extend_from_slice(&bytes[groups_start..ops_start]);
        for ty in &scratch.declared {
            1u32.encode(&mut head);
            ty.encode(&mut head);
        }
        (head.len() + code.len()).encode(out);
        out.extend_from_slice(&head);
        out.extend_from_slice(&code);
        Ok(())
    }

    /// What goes before an indirect call: its check, or, where none can be made, the
    /// mark that says its trap is not known.
    fn indirect(
        &mut self,
        sink: &mut InstructionSink<'_>,
        table: u32,
        ty: u32,
        scratch: &mut Scratch,
    ) {
        let canonical = self.facts.canonical.get(ty as usize).copied().flatten();
        let table64 = self.facts.table_type(table).is_none_or(|t| t.table64);
        let check = match canonical {
            Some(ty) if self.checks && !table64 => match self.watch {
                true => self.site(table, ty).map(|n| IndirectCheck::Marked {
                    mark: watch::FIRST_SITE + n as i32,
                    // Known before the program runs, unless code changes it (then this
                    // site is written again: `instrument`).
                    sized: self.facts.elements(table, &self.assumed_changed).is_some(),
                }),
                false => Some(IndirectCheck::Checked {
                    same_type: self.same_type_table(table, ty),
                }),
            },
            _ => None,
        };
        match check {
            Some(check) => {
                checks::indirect(sink, table, &check, self.words, scratch, &mut self.exits)
            }
            None if self.watch => self.words.mark(sink, watch::CALLING_UNCHECKED),
            None => {}
        }
    }

    /// The number of the kind of indirect call through `table` of type `ty`.
    fn site(&mut self, table: u32, ty: u32) -> Option<usize> {
        if let Some(n) = self.sites.iter().position(|&s| s == (table, ty)) {
            return Some(n);
        }
        (self.sites.len() < watch::MAX_SITES).then(|| {
            self.sites.push((table, ty));
            self.sites.len() - 1
        })
    }

    /// The index of the table of `table`'s functions of type `ty` only, when `table` is
    /// assumed known before the program runs.
    fn same_type_table(&mut self, table: u32, ty: u32) -> Option<u32> {
        self.facts.elements(table, &self.assumed_changed)?;
        let at = match self.same_type.iter().position(|&t| t == (table, ty)) {
            Some(at) => at,
            None => {
                self.same_type.push((table, ty));
                self.same_type.len() - 1
            }
        };
        Some(self.tables() + at as u32)
    }

    /// What the pass adds besides the code it rewrote: the exits, the tables of one
    /// type each for the unwatched checks, the memory import.
    fn added(&mut self, file: &str) -> Added {
        let mut added = Added::default();
        for &(table, ty) in &self.same_type {
            let slots = self
                .facts
                .elements(table, &self.assumed_changed)
                .expect("only known tables get a table of one type");
            let index = self.tables() + added.table_count;
            added.table_count += 1;
            TableType {
                element_type: RefType::FUNCREF,
                table64: false,
                minimum: slots.len() as u64,
                maximum: Some(slots.len() as u64),
                shared: false,
            }
            .encode(&mut added.tables);
            let of_type = |f: &Option<u32>| f.and_then(|f| self.facts.type_of(f)) == Some(ty);
            // One segment per run of functions of the type.
            let mut at = 0;
            while at < slots.len() {
                if !of_type(&slots[at]) {
                    at += 1;
                    continue;
                }
                let start = at;
                while at < slots.len() && of_type(&slots[at]) {
                    at += 1;
                }
                added.elements.push(0x02);
                index.encode(&mut added.elements);
                let mut offset = Vec::new();
                InstructionSink::new(&mut offset)
                    .i32_const(start as i32)
                    .end();
                added.elements.extend_from_slice(&offset);
                added.elements.push(0x00);
                ((at - start) as u32).encode(&mut added.elements);
                for slot in &slots[start..at] {
                    slot.expect("a run holds functions")
                        .encode(&mut added.elements);
                }
                added.element_count += 1;
            }
        }
        let (fd_write, proc_exit) = (self.facts.fd_write, self.facts.proc_exit);
        let first_added = self.facts.function_types.len() as u32;
        for &reason in &self.exits.used {
            let line = Message::Trapped {
                file: file.to_owned(),
                reason,
            }
            .line();
            added.bodies.push(exit_function(
                &format!("{line}\n"),
                fd_write.expect("checks need fd_write"),
                proc_exit.expect("checks need proc_exit"),
            ));
            // `() -> ()`, the pass's first type.
            self.facts.type_count.encode(&mut added.functions);
            added.function_count += 1;
        }
        // `() -> ()` for the exits, `(i32, i32) -> ()` for wasi_thread_start's wrapper.
        added
            .types
            .extend_from_slice(&[0x60, 0, 0, 0x60, 2, 0x7f, 0x7f, 0]);
        added.type_count = 2;
        let starts = (self.facts.main_start, self.facts.thread_start);
        if let (Words::PerThread { global }, (Some(main), Some(thread))) = (self.words, starts) {
            added.main_start = first_added + added.function_count;
            self.facts.type_count.encode(&mut added.functions);
            added.bodies.push(main_start_wrapper(global, main));
            added.thread_start = first_added + added.function_count + 1;
            (self.facts.type_count + 1).encode(&mut added.functions);
            added.bodies.push(thread_start_wrapper(global, thread));
            added.function_count += 2;
        }
        if self.converts_memory() {
            let memory = self
                .facts
                .defined_memory
                .expect("a watched module defines its memory");
            "env".encode(&mut added.memory_import);
            "memory".encode(&mut added.memory_import);
            EntityType::Memory(watched_memory(memory)).encode(&mut added.memory_import);
        }
        added
    }

    /// The watch's view of the indirect calls: each kind, and the tables they go through
    /// that are known before the program runs.
    fn indirect_sites(&self) -> (Vec<IndirectSite>, Vec<Vec<i32>>) {
        let mut tables: Vec<(u32, Vec<i32>)> = Vec::new();
        let mut sites = Vec::new();
        for &(table, ty) in &self.sites {
            let known = match tables.iter().position(|(t, _)| *t == table) {
                Some(at) => Some(at as u32),
                None => self
                    .facts
                    .elements(table, &self.found_changed)
                    .map(|slots| {
                        let types = slots
                            .iter()
                            .map(|f| {
                                f.and_then(|f| self.facts.type_of(f))
                                    .map_or(-1, |t| t as i32)
                            })
                            .collect();
                        tables.push((table, types));
                        tables.len() as u32 - 1
                    }),
            };
            sites.push(IndirectSite {
                table: known,
                ty: ty as i32,
            });
        }
        (sites, tables.into_iter().map(|(_, types)| types).collect())
    }
}

fn leb_len(mut value: u32) -> usize {
    let mut len = 1;
    while value >= 0x80 {
        value >>= 7;
        len += 1;
    }
    len
}

/// Writes vector section `contents` with `count` more entries, `entries` (encoded),
/// at its end.
fn splice(
    contents: &[u8],
    count: u32,
    entries: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), AdaptError> {
    let mut reader = BinaryReader::new(contents, 0);
    let old = reader.read_var_u32()?;
    (old + count).encode(out);
    out.extend_from_slice(&contents[reader.original_position() as usize..]);
    out.extend_from_slice(entries);
    Ok(())
}

/// What the pass adds to each section, encoded (entries only, counted by `count`s).
#[derive(Default)]
struct Added {
    types: Vec<u8>,
    type_count: u32,
    memory_import: Vec<u8>,
    functions: Vec<u8>,
    function_count: u32,
    tables: Vec<u8>,
    table_count: u32,
    elements: Vec<u8>,
    element_count: u32,
    bodies: Vec<wasm_encoder::Function>,
    /// The functions that wrap `_start` and `wasi_thread_start`, in a per-thread watch.
    main_start: u32,
    thread_start: u32,
}

/// `_start` through a wrapper: the main thread's words are slot 0.
fn main_start_wrapper(global: u32, start: u32) -> wasm_encoder::Function {
    let mut f = wasm_encoder::Function::new([]);
    f.instructions()
        .i32_const(watch::WORD as i32)
        .global_set(global)
        .call(start)
        .end();
    f
}

/// `wasi_thread_start(tid, arg)` through a wrapper: the thread's words are slot
/// 1 + tid % (THREAD_SLOTS - 2) (slot 0 is the main thread's, the last one unwatched),
/// and a thread that returns is done.
fn thread_start_wrapper(global: u32, start: u32) -> wasm_encoder::Function {
    let mut f = wasm_encoder::Function::new([]);
    let mut ins = f.instructions();
    ins.local_get(0)
        .i32_const(watch::THREAD_SLOTS as i32 - 2)
        .i32_rem_u()
        .i32_const(1)
        .i32_add()
        .i32_const(watch::SLOT_BYTES as i32)
        .i32_mul()
        .global_set(global)
        .local_get(0)
        .local_get(1)
        .call(start);
    Words::PerThread { global }.mark(&mut ins, watch::DONE);
    ins.end();
    f
}

/// The export section `contents` with `_start` and `wasi_thread_start` naming their
/// wrappers.
fn repoint_starts(
    contents: &[u8],
    main: u32,
    thread: u32,
    out: &mut Vec<u8>,
) -> Result<(), AdaptError> {
    let reader = wasmparser::ExportSectionReader::new(BinaryReader::new(contents, 0))?;
    reader.count().encode(out);
    for export in reader {
        let export = export?;
        export.name.encode(out);
        let (kind, index) = match export.kind {
            ExternalKind::Func if export.name == "_start" => (0x00, main),
            ExternalKind::Func if export.name == "wasi_thread_start" => (0x00, thread),
            ExternalKind::Func => (0x00, export.index),
            ExternalKind::Table => (0x01, export.index),
            ExternalKind::Memory => (0x02, export.index),
            ExternalKind::Global => (0x03, export.index),
            ExternalKind::Tag => (0x04, export.index),
            other => {
                return Err(AdaptError::Malformed {
                    offset: 0,
                    reason: format!("an export of kind {other:?}"),
                })
            }
        };
        out.push(kind);
        index.encode(out);
    }
    Ok(())
}
