//! What the trap instrumentation reads of a module before it writes: types, imports,
//! tables and their elements, memories, data placement, exports.

use std::collections::HashMap;

use wasmparser::{
    BinaryReader, CompositeInnerType, ElementItems, ElementKind, ExternalKind, Payload, TypeRef,
};

use super::{Swap, Unwatched, MARKER};
use crate::adapt::input::{self, Input};
use crate::adapt::notes;
use crate::adapt::output::{self, Output};
use crate::adapt::release;
use crate::adapt::watch;
use crate::adapt::AdaptError;

/// An active element segment: where it starts in which table, and its functions
/// (`None` for a null element).
pub struct Segment {
    pub table: u32,
    pub offset: Option<u32>,
    pub functions: Option<Vec<Option<u32>>>,
}

/// What the pass needs to know of the module before it writes.
#[derive(Default)]
pub struct Facts {
    pub instrumented: bool,
    /// Types by index: the index of the first equal function type, `None` for others.
    pub canonical: Vec<Option<u32>>,
    /// Function types by index: params and results.
    pub signatures: Vec<Option<Signature>>,
    /// Whether the module has recursive type groups (then types are not compared).
    pub gc_types: bool,
    pub type_count: u32,
    /// Type index of each function, imports first.
    pub function_types: Vec<u32>,
    pub function_imports: u32,
    pub fd_write: Option<u32>,
    pub proc_exit: Option<u32>,
    pub memory_imports: u32,
    pub defined_memory: Option<wasmparser::MemoryType>,
    pub defined_memories: u32,
    pub memory32: bool,
    pub table_imports: u32,
    /// Each table the module defines, and whether an expression initialises it.
    pub defined_tables: Vec<(wasmparser::TableType, bool)>,
    pub exported_tables: Vec<u32>,
    pub threads: bool,
    /// The functions exported as `_start` and `wasi_thread_start`, where the main
    /// thread and each other begins.
    pub main_start: Option<u32>,
    pub thread_start: Option<u32>,
    /// The memory imported, when one is.
    pub imported_memory: Option<wasmparser::MemoryType>,
    pub globals: u32,
    pub segments: Vec<Segment>,
    pub data_at_word: bool,
    pub wasi_in_elements: bool,
    /// By function: whether something besides `call` may enter it (an export, the start
    /// function, a table, `ref.func`), so that the watch word says nothing known there.
    pub referenced: Vec<bool>,
    /// Functions found referenced as the sections are read.
    references: Vec<u32>,
    /// A reference was not understood: take every function for referenced.
    all_referenced: bool,
    /// The adapter's `fd_write` wrapper (`output::WRITE_WRAPPER_SECTION`).
    write_wrapper: Option<u32>,
    /// The adapter's `fd_read` wrapper (`input::READ_WRAPPER_SECTION`).
    read_wrapper: Option<u32>,
    /// The adapter's `fd_close` and `fd_renumber` wrappers (`release.rs`).
    close_wrapper: Option<u32>,
    renumber_wrapper: Option<u32>,
    /// Global 0 when it is a defined `mut i32` set to a constant: that constant; and
    /// whether the name section calls it `__stack_pointer`.
    first_global: Option<u32>,
    stack_pointer_named: bool,
    /// Where the active data segments of memory 0 lie; `None` once one's offset is not a
    /// constant.
    data: Option<Vec<(u64, u64)>>,
}

impl Facts {
    pub fn read(bytes: &[u8]) -> Result<Facts, AdaptError> {
        let mut facts = Facts {
            data: Some(Vec::new()),
            ..Facts::default()
        };
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
                        if export.kind == ExternalKind::Func {
                            facts.references.push(export.index);
                        }
                        match export.kind {
                            ExternalKind::Table => facts.exported_tables.push(export.index),
                            // Wrapped only with the types the wrappers have: any function
                            // may be exported by these names, and a wrapper of another type
                            // would not validate (found by the fuzzer).
                            ExternalKind::Func if export.name == "_start" => {
                                facts.main_start =
                                    facts.has_signature(export.index, 0).then_some(export.index);
                            }
                            ExternalKind::Func if export.name == "wasi_thread_start" => {
                                facts.threads = true;
                                facts.thread_start =
                                    facts.has_signature(export.index, 2).then_some(export.index);
                            }
                            _ => {}
                        }
                    }
                }
                Payload::StartSection { func, .. } => facts.references.push(func),
                Payload::GlobalSection(reader) => {
                    let first = facts.globals == 0;
                    facts.globals += reader.count();
                    for (i, global) in reader.into_iter().enumerate() {
                        let global = global?;
                        let ty = global.ty;
                        if first
                            && i == 0
                            && ty.mutable
                            && ty.content_type == wasmparser::ValType::I32
                        {
                            facts.first_global = const_i32(global.init_expr.get_binary_reader())
                                .and_then(|top| u32::try_from(top).ok());
                        }
                        facts.references_in(global.init_expr.get_binary_reader());
                    }
                }
                Payload::ElementSection(reader) => {
                    for element in reader {
                        let element = element?;
                        let functions = facts.element_functions(element.items)?;
                        match &functions {
                            Some(functions) => facts.references.extend(functions.iter().flatten()),
                            None => facts.all_referenced = true,
                        }
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
                            let offset = const_i32(offset_expr.get_binary_reader());
                            let len = data.data.len() as u64;
                            match (offset, facts.data.as_mut()) {
                                (Some(offset), Some(placed)) => {
                                    let start = offset as u32 as u64;
                                    placed.push((start, start + len));
                                }
                                _ => facts.data = None,
                            }
                            let at_word = match offset {
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
                Payload::CustomSection(section) if notes::is_note(section.name()) => {
                    let index = BinaryReader::new(section.data(), 0).read_var_u32().ok();
                    match section.name() {
                        output::WRITE_WRAPPER_SECTION => facts.write_wrapper = index,
                        input::READ_WRAPPER_SECTION => facts.read_wrapper = index,
                        release::CLOSE_WRAPPER_SECTION => facts.close_wrapper = index,
                        _ => facts.renumber_wrapper = index,
                    }
                }
                Payload::CustomSection(section) if section.name() == "name" => {
                    facts.stack_pointer_named =
                        names_stack_pointer(section.data(), section.data_offset());
                }
                _ => {}
            }
        }
        let functions = facts.function_types.len();
        facts.referenced = vec![facts.all_referenced || facts.gc_types; functions];
        for &f in &facts.references {
            if let Some(referenced) = facts.referenced.get_mut(f as usize) {
                *referenced = true;
            }
        }
        Ok(facts)
    }

    /// Notes the functions a constant expression may name: every byte that could be a
    /// `ref.func` is taken for one, with what follows for its index (a byte of an
    /// immediate taken so only names one more function than needed; not decoding the
    /// expression keeps wasmparser's decoder out of the core).
    fn references_in(&mut self, mut reader: BinaryReader<'_>) {
        let Ok(bytes) = reader.read_bytes(reader.bytes_remaining()) else {
            return;
        };
        for (at, _) in bytes.iter().enumerate().filter(|(_, &b)| b == 0xd2) {
            if let Ok(f) = BinaryReader::new(&bytes[at + 1..], 0).read_var_u32() {
                self.references.push(f);
            }
        }
    }

    /// Whether type `ty` is `(i32 × params) -> (i32 × results)`.
    pub fn all_i32(&self, ty: u32, params: usize, results: usize) -> bool {
        use wasmparser::ValType::I32;
        self.signatures
            .get(ty as usize)
            .and_then(Option::as_ref)
            .is_some_and(|(p, r)| {
                p.len() == params && r.len() == results && p.iter().chain(r).all(|&t| t == I32)
            })
    }

    /// An element segment's functions; `None` when it holds other expressions.
    pub fn element_functions(
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
    pub fn param_count(&self, function: u32) -> u32 {
        self.function_types
            .get(function as usize)
            .and_then(|&ty| self.signatures.get(ty as usize))
            .and_then(Option::as_ref)
            .map_or(0, |(params, _)| params.len() as u32)
    }

    /// Whether function `function` takes `params` i32s and returns nothing.
    fn has_signature(&self, function: u32, params: usize) -> bool {
        self.type_of(function)
            .is_some_and(|ty| self.all_i32(ty, params, 0))
    }

    /// The canonical type of function `function`.
    pub fn type_of(&self, function: u32) -> Option<u32> {
        let &ty = self.function_types.get(function as usize)?;
        self.canonical.get(ty as usize).copied().flatten()
    }

    pub fn table_type(&self, table: u32) -> Option<wasmparser::TableType> {
        let defined = table.checked_sub(self.table_imports)?;
        self.defined_tables.get(defined as usize).map(|t| t.0)
    }

    /// The functions of table `table` by element, when they are known before the
    /// program runs: a table it defines, does not export, never `changed` by code,
    /// filled by active segments of functions at constant offsets.
    pub fn elements(&self, table: u32, changed: &[bool]) -> Option<Vec<Option<u32>>> {
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
    pub fn per_thread(&self) -> bool {
        let shared = self
            .imported_memory
            .is_some_and(|m| m.shared && !m.memory64);
        let starts = self.main_start.is_some() && self.thread_start.is_some();
        self.threads && starts && shared && self.memory_imports == 1
    }

    /// Where the output buffer goes (`output.rs`): at the top of the stack of a module
    /// that names its stack pointer, has an `fd_write` wrapper and a `_start`, when the
    /// stack has room; its floor is the end of the data below it.
    pub fn output(&self) -> Option<Output> {
        let wrapper = self.write_wrapper.filter(|&w| self.is_wrapper(w, 4))?;
        self.main_start?;
        let top = self.first_global.filter(|_| self.stack_pointer_named)?;
        Output::for_stack(wrapper, top, self.stack_floor(top)?)
    }

    /// The input ring below `output`, where the adapter wrapped `fd_read` and the stack
    /// has room for it too (`input.rs`).
    pub fn input(&self, output: &Output) -> Option<Input> {
        let wrapper = self
            .read_wrapper
            .filter(|&w| self.is_wrapper(w, 4) && w != output.wrapper)?;
        Input::below(wrapper, output, self.stack_floor(output.stack_top)?)
    }

    /// The adapter's wrappers whose places added functions take where the program gets an
    /// output buffer (and an input ring): each with what takes its place.
    pub fn swaps(&self, output: Output, input: Option<Input>) -> Vec<(u32, Swap)> {
        let mut swaps = vec![(output.wrapper, Swap::Write(output))];
        swaps.extend(input.map(|input| (input.wrapper, Swap::Read(input))));
        let releases = [(self.close_wrapper, 1), (self.renumber_wrapper, 2)];
        for (wrapper, fds) in releases {
            let Some(wrapper) = wrapper.filter(|&w| self.is_wrapper(w, fds)) else {
                continue;
            };
            if swaps.iter().all(|(w, _)| *w != wrapper) {
                swaps.push((wrapper, Swap::Release { fds }));
            }
        }
        swaps
    }

    /// Whether `function` is a defined function of `(i32 × params) -> i32`, as the
    /// adapter's wrappers of `fd_write`, `fd_read` (4), `fd_close` (1) and `fd_renumber`
    /// (2) are.
    fn is_wrapper(&self, function: u32, params: u32) -> bool {
        let defined = self.function_imports..self.function_types.len() as u32;
        defined.contains(&function)
            && self.all_i32(self.function_types[function as usize], params as usize, 1)
    }

    /// The end of the data below a stack whose top is `top`; `None` when data lies across
    /// it or a segment's place is not known.
    fn stack_floor(&self, top: u32) -> Option<u32> {
        let mut floor = 0;
        for &(start, end) in self.data.as_ref()? {
            if start < u64::from(top) && end > u64::from(top) {
                return None;
            }
            if end <= u64::from(top) {
                floor = floor.max(end);
            }
        }
        Some(floor as u32)
    }

    pub fn unwatched(&self) -> Option<Unwatched> {
        // A threads program's memory is the one it imports; another's must be its own.
        let memory = if self.per_thread() && self.defined_memories == 0 {
            self.imported_memory
        } else if self.memory_imports > 0 || self.threads {
            return Some(Unwatched::ImportedMemory);
        } else if self.defined_memories != 1 || !self.memory32 {
            return Some(Unwatched::NoPlainMemory);
        } else {
            self.defined_memory
        };
        // The words must be there from the first instruction on.
        if memory.map_or(0, |m| m.initial) == 0 {
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

pub type Signature = (Vec<wasmparser::ValType>, Vec<wasmparser::ValType>);

/// The value of a constant expression `i32.const N`.
pub fn const_i32(mut reader: BinaryReader<'_>) -> Option<i32> {
    match reader.read_u8().ok()? {
        0x41 => {
            let value = reader.read_var_i32().ok()?;
            (reader.read_u8().ok()? == 0x0b).then_some(value)
        }
        _ => None,
    }
}

/// Whether a name section calls global 0 `__stack_pointer` (wasm-ld's name for it).
fn names_stack_pointer(data: &[u8], offset: u64) -> bool {
    let reader = wasmparser::NameSectionReader::new(BinaryReader::new(data, offset));
    for name in reader {
        let Ok(wasmparser::Name::Global(map)) = name else {
            continue;
        };
        for naming in map {
            match naming {
                Ok(n) if n.index == 0 => return n.name == "__stack_pointer",
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }
    false
}
