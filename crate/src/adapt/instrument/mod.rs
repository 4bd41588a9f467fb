//! After the adapter, the traps: every trap the WebAssembly spec defines ends the
//! program with its reason in wasmtime's words and 134, where the WASM WASI Core 1.0.2
//! would leave `run()` unsettled and the shell waiting.
//!
//! One pass over the module the adapter wrote (or the input, when it wrote none):
//! - **checks** (`checks.rs`) before the instructions whose traps are cheap to foresee:
//!   division and remainder, float-to-integer truncation, indirect calls (index past
//!   the table, null element, and, for a table the program never changes, the
//!   callee's type). `unreachable` is `traps.rs`'s.
//! - **the watch** (`watch.rs`) for those that are not: memory out of bounds, the
//!   call stack exhausted, and (where the program is watched) a null or mistyped
//!   element of an indirect call. Memory 0 becomes an imported shared memory that rw
//!   creates, and the code writes the watch word as it runs.
//!
//! The decision and its measured cost are in `watch.rs` and the README; what each
//! module gets is what `--explain` says (`Caught`).

use std::ops::Range;

use wasm_encoder::{Encode, EntityType, InstructionSink, MemoryType, RefType, TableType};
use wasmparser::{FunctionBody, Payload};

use super::checks::{self, Exits, IndirectCheck, Scratch};
use super::input::{self, Input};
use super::notes;
use super::output::{self, Output};
use super::release;
use super::skim;
use super::trap_sites::{Finder, Site};
use super::traps::exit_function;
use super::watch::{self, IndirectSite, Watch};
use super::AdaptError;
use crate::message::Message;

mod facts;
mod flow;
mod sections;

use facts::Facts;
use flow::{Flow, Word};
use sections::{main_start_wrapper, repoint_starts, splice, thread_start_wrapper, Added};

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
    /// Data lies where the watch words would (memory's first `watch::WORD_END` bytes).
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
    if pass.relied_on_changed() {
        // Checks assumed tables known before the program runs (compared with tables of
        // one type each, or told apart by their elements once it is gone), which a
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
            let mut watch = Watch::new(file, slots, sites, tables);
            watch.output = pass.output.map(|o| o.spec());
            watch.input = pass.input.map(|i| i.spec());
            Some((watch, memory))
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

/// What takes the place of one of the adapter's wrappers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// `fd_write`: the buffered write (`output.rs`).
    Write(Output),
    /// `fd_read`: the ring's read (`input.rs`).
    Read(Input),
    /// `fd_close` (1 fd) or `fd_renumber` (2): the buffer and the ring end for a stdio fd
    /// (`release.rs`).
    Release { fds: u32 },
}

impl Swap {
    /// The function that takes the wrapper's place, `through` being its own body, moved.
    fn function(self, made: u32, through: u32) -> wasm_encoder::Function {
        match self {
            Swap::Write(output) => output::buffered_write(&output, made, through),
            Swap::Read(input) => input::ring_read(&input, made, through),
            Swap::Release { fds } => release::releasing(made, fds, through),
        }
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
    /// By table index: whether its elements are known before the program runs, as
    /// assumed (`Facts::elements` with `assumed_changed`), and whether a check written
    /// relies on that.
    known: Vec<bool>,
    relied_on: Vec<bool>,
    /// The tables of one type each the unwatched checks compare with, by (table, type).
    same_type: Vec<(u32, u32)>,
    /// Whether a `ref.func` names a WASI function.
    wasi_referenced: bool,
    words: Words,
    /// The output buffer, where the program gets one (`output.rs`).
    output: Option<Output>,
    /// The input ring below it, where the program gets one too (`input.rs`).
    input: Option<Input>,
    /// The adapter's wrappers whose places added functions take, in the order their own
    /// bodies are moved to the first added functions.
    swaps: Vec<(u32, Swap)>,
    /// The sites of the body being written (kept to save an allocation a body).
    sites_buffer: Vec<(usize, usize, Site, bool)>,
}

impl<'f> Pass<'f> {
    fn new(facts: &'f Facts, checks: bool, watch: bool, assumed_changed: Vec<bool>) -> Self {
        let tables = facts.table_imports as usize + facts.defined_tables.len();
        // Buffered where the module's own memory becomes the shared one rw watches.
        let output = match watch && !facts.per_thread() {
            true => facts.output(),
            false => None,
        };
        let input = output.and_then(|output| facts.input(&output));
        let swaps = output.map_or_else(Vec::new, |output| facts.swaps(output, input));
        // The added functions: the wrappers' own bodies moved (`swaps`), the exits.
        let first_exit = facts.function_types.len() as u32 + swaps.len() as u32;
        Pass {
            facts,
            checks,
            watch,
            output,
            input,
            swaps,
            exits: Exits::new(first_exit),
            sites: Vec::new(),
            found_changed: vec![false; tables],
            known: (0..tables as u32)
                .map(|t| facts.elements(t, &assumed_changed).is_some())
                .collect(),
            relied_on: vec![false; tables],
            assumed_changed,
            same_type: Vec::new(),
            wasi_referenced: false,
            sites_buffer: Vec::new(),
            words: match watch && facts.per_thread() {
                true => Words::PerThread {
                    global: facts.globals,
                },
                false => Words::Fixed,
            },
        }
    }

    /// Whether a check relied on a table's elements being known that code changes.
    fn relied_on_changed(&self) -> bool {
        let changed = self.found_changed.iter().zip(&self.assumed_changed);
        changed
            .zip(&self.relied_on)
            .any(|((&found, &assumed), &relied)| found && !assumed && relied)
    }

    /// The global that says the output buffer is made (the one the pass adds).
    fn made_global(&self) -> Option<u32> {
        self.output.map(|_| self.facts.globals)
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
        // The bodies of the wrappers whose places added functions take (`swaps`), moved
        // to the first added functions.
        let mut moved = vec![Vec::new(); self.swaps.len()];
        let mut body_count = 0u32;
        let mut function = self.facts.function_imports;
        let first_added = self.facts.function_types.len() as u32;
        for payload in wasmparser::Parser::new(0).parse_all(bytes) {
            let payload = payload?;
            if let Payload::CodeSectionEntry(body) = &payload {
                let swap = self.swaps.iter().position(|(w, _)| *w == function);
                match (swap, self.made_global()) {
                    (Some(k), Some(made)) => {
                        self.body(function, body, bytes, &mut moved[k])?;
                        let through = first_added + k as u32;
                        self.swaps[k].1.function(made, through).encode(&mut bodies);
                    }
                    _ => self.body(function, body, bytes, &mut bodies)?,
                }
                function += 1;
                body_count += 1;
                continue;
            }
            // The adapter's notes of its wrappers are read (`Facts`) and done with.
            if let Payload::CustomSection(c) = &payload {
                if notes::is_note(c.name()) {
                    continue;
                }
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
        // With an output buffer, the global that says it is made, `(mut i32) (i32.const 0)`.
        let mut added_global = vec![0x7f, 0x01];
        let start_value = match self.output {
            Some(_) => 0,
            None => watch::UNWATCHED_SLOT as i32,
        };
        InstructionSink::new(&mut added_global)
            .i32_const(start_value)
            .end();
        let per_thread = matches!(self.words, Words::PerThread { .. });
        let adds_global = per_thread || self.output.is_some();
        let mut globals_written = false;
        for (id, range) in sections {
            let contents = &bytes[range];
            let mut c = Vec::new();
            // Sections come in this order; the global section goes before the first that
            // follows it, when the module has none.
            if adds_global && !globals_written && matches!(id, 7..=12) {
                section(&mut out, 6, &[&[1u8][..], &added_global].concat());
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
                6 if adds_global => {
                    splice(contents, 1, &added_global, &mut c)?;
                    section(&mut out, 6, &c);
                    globals_written = true;
                }
                7 if adds_global => {
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
                    let moved_count = self.swaps.len() as u32;
                    (body_count + moved_count + added.bodies.len() as u32).encode(&mut c);
                    c.extend_from_slice(&bodies);
                    for body in &moved {
                        c.extend_from_slice(body);
                    }
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
        let groups_start = locals.original_position() as usize;
        let mut own_locals = 0u32;
        for _ in 0..groups {
            own_locals += locals.read()?.0;
        }
        let mut ops = body.get_operators_reader()?;
        let ops_start = ops.original_position() as usize;
        let params = self.facts.param_count(function);
        let mut scratch = Scratch::new(params + own_locals);
        let mut code = Vec::new();
        // Only calls reach a function nothing else references, each with the word
        // saying CALLING.
        let entry = match self.facts.referenced.get(function as usize) {
            Some(false) => Word::Calling,
            _ => Word::Unknown,
        };
        let mut copied = ops_start;
        let imports = self.facts.function_imports;
        // The sites to write around, with whether the word needs a mark before each
        // (`flow.rs`), skimmed (about five times as fast), or decoded where skimming
        // gives up. Only those kept are stored: most accesses need no mark.
        let mut sites = std::mem::take(&mut self.sites_buffer);
        sites.clear();
        let mut flow = Flow::new(entry);
        let skimmed = skim::trap_sites(&bytes[ops_start..range.end], |start, end, site| {
            if let Some(mark) = flow.note(site, imports) {
                sites.push((ops_start + start, ops_start + end, site, mark));
            }
        });
        if skimmed.is_none() {
            sites.clear();
            let mut flow = Flow::new(entry);
            let mut finder = Finder::default();
            while !ops.eof() {
                let start = ops.original_position() as usize;
                ops.visit_operator(&mut finder)?;
                if let Some(site) = finder.0.take() {
                    if let Some(mark) = flow.note(site, imports) {
                        sites.push((start, ops.original_position() as usize, site, mark));
                    }
                }
            }
            ops.finish()?;
        }
        for &(start, end, site, mark) in &sites {
            // What goes in before the instruction is written straight after the code up
            // to it; then the instruction itself, unless a check wrote it anew (a
            // division), and what goes in after it.
            code.extend_from_slice(&bytes[copied..start]);
            copied = start;
            let mut keep = true;
            let mut after = None;
            let mut sink = InstructionSink::new(&mut code);
            let watching = self.watch;
            match site {
                Site::Loop if watching => after = Some(watch::RUNNING),
                Site::Call { function, tail } if watching && function < imports => {
                    self.words.mark(&mut sink, watch::WAITING);
                    if !tail {
                        after = Some(watch::RUNNING);
                    }
                }
                Site::Call { .. } | Site::CallRef { .. } if watching && mark => {
                    self.words.mark(&mut sink, watch::CALLING);
                }
                Site::CallIndirect { ty, table } => {
                    self.indirect(&mut sink, table, ty, &mut scratch)
                }
                Site::AtomicWait {
                    wide,
                    offset,
                    memory0,
                } => {
                    // Its own traps are checked first: a wait is marked WAITING, which
                    // the watch never takes for gone.
                    if self.checks && memory0 {
                        checks::atomic_wait(&mut sink, wide, offset, &mut scratch, &mut self.exits);
                    }
                    if watching {
                        self.words.mark(&mut sink, watch::WAITING);
                        after = Some(watch::RUNNING);
                    }
                }
                Site::RefFunc { function } if function < imports => {
                    self.wasi_referenced = true;
                }
                Site::TableChange { table } => {
                    if let Some(changed) = self.found_changed.get_mut(table as usize) {
                        *changed = true;
                    }
                    if watching && mark {
                        self.words.mark(&mut sink, watch::RUNNING);
                    }
                }
                Site::Access if watching && mark => self.words.mark(&mut sink, watch::RUNNING),
                Site::Checked(c) if self.checks => {
                    checks::emit(&mut sink, c, &mut scratch, &mut self.exits);
                    keep = false;
                }
                _ => {}
            }
            if !keep {
                copied = end;
            }
            if let Some(mark) = after {
                code.extend_from_slice(&bytes[start..end]);
                self.words.mark(&mut InstructionSink::new(&mut code), mark);
                copied = end;
            }
        }
        self.sites_buffer = sites;
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
                    sized: self.relies_on(table),
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

    /// Whether `table`'s elements are assumed known before the program runs; if so, the
    /// check about to be written relies on it.
    fn relies_on(&mut self, table: u32) -> bool {
        let known = self.known.get(table as usize).copied().unwrap_or(false);
        if known {
            self.relied_on[table as usize] = true;
        }
        known
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
        if !self.relies_on(table) {
            return None;
        }
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
        for &(wrapper, _) in &self.swaps {
            // The wrappers' own bodies, moved: the first of the added functions.
            self.facts.function_types[wrapper as usize].encode(&mut added.functions);
            added.function_count += 1;
        }
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
        if let (Some(output), Some(made)) = (self.output, self.made_global()) {
            let main = self
                .facts
                .main_start
                .expect("a buffer needs _start (Facts::output)");
            added.main_start = first_added + added.function_count;
            self.facts.type_count.encode(&mut added.functions);
            added.bodies.push(output::start_wrapper(
                &output,
                self.input.as_ref(),
                made,
                main,
            ));
            added.function_count += 1;
            // No `wasi_thread_start` in a program watched with one word.
            added.thread_start = u32::MAX;
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
