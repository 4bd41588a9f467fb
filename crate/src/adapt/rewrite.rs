//! Writes the adapted module in one pass over the input, into one buffer sized up
//! front.
//!
//! Every section the layout does not touch is copied byte for byte. Sections that
//! name functions (exports, start, elements, globals and tables through `ref.func`,
//! the name section) are small and go through [`Reencode`] with
//! [`Reencode::function_index`] remapped, when any index moved.
//!
//! Code is most of a module. With only re-pointed imports, the code section is
//! copied whole. Otherwise bodies are decoded ([`Scanner`]) to find `call`,
//! `return_call` and `ref.func` (the only instructions with a function index), and
//! only those naming a moved function are written anew, spliced between the body's
//! other bytes as they are: re-encoding every instruction (wasm-encoder's
//! `Reencode::parse_function_body`) would be slower and put its instruction
//! translation in the shipped core, for bodies identical but for a few indices. In
//! the usual layout only references to the replaced imports change (see
//! [`super::layout`]): a [`Filter`] picks the few bodies that may name one, only
//! those are decoded, and runs of other bodies are copied in one piece. When the
//! module's own functions moved (the shifted layout), every body is decoded. With the
//! code patches (`traps.rs`, `fd_write.rs`), bodies that may hold `unreachable` or a
//! call of the redirected function are decoded too, and get their calls in the same
//! splice.
//! Constant expressions are spliced the same way.

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{
    CodeSection, ConstExpr, CustomSection, DataCountSection, DataSection, Encode, EntityType,
    ExportSection, FunctionSection, GlobalSection, ImportSection, IndirectNameMap, Module, NameMap,
    NameSection, RawSection, Section, StartSection, TypeSection,
};
use wasmparser::{
    BinaryReader, FunctionBody, KnownCustom, Name, NameSectionReader, Parser, Payload,
};

use super::code::{Filter, Kind, Scanner, Wanted};
use super::layout::{ImportOut, Layout};
use super::{scratch, AdaptError, PREVIEW1};
use crate::module::ModuleInfo;
use crate::wasi_core::{MEMORY_MODULE, MEMORY_NAME};

/// Section ids (the binary format's).
mod id {
    pub const CUSTOM: u8 = 0;
    pub const TYPE: u8 = 1;
    pub const IMPORT: u8 = 2;
    pub const FUNCTION: u8 = 3;
    pub const TABLE: u8 = 4;
    pub const MEMORY: u8 = 5;
    pub const GLOBAL: u8 = 6;
    pub const EXPORT: u8 = 7;
    pub const START: u8 = 8;
    pub const ELEMENT: u8 = 9;
    pub const CODE: u8 = 10;
    pub const DATA: u8 = 11;
    pub const DATA_COUNT: u8 = 12;
    pub const TAG: u8 = 13;
}

/// Where a section goes in a module (ids are not in order: tags and data count are
/// later additions to the format).
fn order(section: u8) -> u8 {
    match section {
        id::TYPE => 1,
        id::IMPORT => 2,
        id::FUNCTION => 3,
        id::TABLE => 4,
        id::MEMORY => 5,
        id::TAG => 6,
        id::GLOBAL => 7,
        id::EXPORT => 8,
        id::START => 9,
        id::ELEMENT => 10,
        id::DATA_COUNT => 11,
        id::CODE => 12,
        id::DATA => 13,
        _ => 0,
    }
}

/// The sections the layout adds to, in module order.
const ADDED_TO: [u8; 7] = [
    id::TYPE,
    id::IMPORT,
    id::FUNCTION,
    id::GLOBAL,
    id::DATA_COUNT,
    id::CODE,
    id::DATA,
];

/// The function index remapping, for wasm-encoder's reencoder and for splicing, and
/// the code patches' calls.
struct Remap<'a> {
    map: &'a [u32],
    bytes: &'a [u8],
    scanner: Scanner,
    /// Calls of the first function (a new index) go to the second.
    redirect: Option<(u32, u32)>,
    /// Some `unreachable` got a call first.
    traps: bool,
    /// Some call of `fd_write` now goes to the patch's wrapper.
    writes: bool,
    /// The instructions the last [`Remap::edit`] writes anew, in order...
    edits: Vec<Edit>,
    /// ...their bytes, one after the other...
    encoded: Vec<u8>,
    /// ...and how many input bytes they replace in all.
    replaced: usize,
    /// The call put before each `unreachable`, encoded once (empty: none).
    trap_call: Vec<u8>,
}

/// An instruction written anew: `encoded` bytes of [`Remap::encoded`] in place of the
/// input's bytes `replaced` (empty: put in before its start).
struct Edit {
    replaced: std::ops::Range<usize>,
    encoded: std::ops::Range<usize>,
}

impl Remap<'_> {
    fn function(&self, index: u32) -> Result<u32, AdaptError> {
        function(self.map, index)
    }

    /// Finds what changes in the code `code` is positioned at (a body's operators after
    /// its locals, or a constant expression, up to its final `end`): the function index
    /// of every `call`, `return_call` and `ref.func` remapped, and the patch's calls put
    /// in. Returns whether anything changes; [`Remap::write`] writes it.
    fn edit(&mut self, code: BinaryReader<'_>) -> Result<bool, AdaptError> {
        self.edits.clear();
        self.encoded.clear();
        self.replaced = 0;
        let sites = self
            .scanner
            .scan(code)
            .map_err(|err| AdaptError::Instructions {
                offset: err.offset(),
            })?;
        for site in sites {
            let from = self.encoded.len();
            let end = if site.kind == Kind::Unreachable {
                // Only scanned for with a patch: its call goes before the `unreachable`.
                self.encoded.extend_from_slice(&self.trap_call);
                self.traps = true;
                site.start
            } else {
                let mut index = function(self.map, site.index)?;
                if let Some((from, to)) = self.redirect {
                    // Every way to name it: call, return_call, ref.func.
                    if index == from {
                        index = to;
                        self.writes = true;
                    }
                }
                if index == site.index {
                    continue;
                }
                site.kind.encode(index, &mut self.encoded);
                site.end
            };
            self.replaced += end - site.start;
            self.edits.push(Edit {
                replaced: site.start..end,
                encoded: from..self.encoded.len(),
            });
        }
        Ok(!self.edits.is_empty())
    }

    /// The length of `length` input bytes once the last [`Remap::edit`]'s edits (all
    /// within them) are made: longer by the patch's calls, shorter or longer by
    /// remapped indices (a linker pads an index to five bytes; wasm-encoder does not).
    fn edited(&self, length: usize) -> usize {
        length - self.replaced + self.encoded.len()
    }

    /// Copies the input's bytes `from..to` into `out`, with the last [`Remap::edit`]'s
    /// edits (all within them) made.
    fn write(&self, mut from: usize, to: usize, out: &mut Vec<u8>) {
        for edit in &self.edits {
            out.extend_from_slice(&self.bytes[from..edit.replaced.start]);
            out.extend_from_slice(&self.encoded[edit.encoded.clone()]);
            from = edit.replaced.end;
        }
        out.extend_from_slice(&self.bytes[from..to]);
    }
}

/// The new index of function `index`.
fn function(map: &[u32], index: u32) -> Result<u32, AdaptError> {
    map.get(index as usize)
        .copied()
        .ok_or_else(|| AdaptError::Malformed {
            offset: 0,
            reason: format!("function index {index} out of range"),
        })
}

impl Reencode for Remap<'_> {
    type Error = AdaptError;

    /// A function named by an export, an element or a constant expression: where it
    /// moved, or the function its calls are redirected to (a write through a table
    /// goes the way a call does).
    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<AdaptError>> {
        let index = self.function(func).map_err(reencode::Error::UserError)?;
        Ok(match self.redirect {
            Some((from, to)) if index == from => {
                self.writes = true;
                to
            }
            _ => index,
        })
    }

    fn const_expr(
        &mut self,
        expr: wasmparser::ConstExpr<'_>,
    ) -> Result<ConstExpr, reencode::Error<AdaptError>> {
        let code = expr.get_binary_reader();
        let (from, to) = (code.original_position() as usize, code.range().end as usize);
        self.edit(code).map_err(reencode::Error::UserError)?;
        let mut bytes = Vec::new();
        self.write(from, to, &mut bytes);
        // ConstExpr adds the final `end` itself.
        bytes.pop();
        Ok(ConstExpr::raw(bytes))
    }
}

fn from_reencode(err: reencode::Error<AdaptError>) -> AdaptError {
    match err {
        reencode::Error::UserError(err) => err,
        reencode::Error::ParseError(err) => err.into(),
        other => AdaptError::Malformed {
            offset: 0,
            reason: other.to_string(),
        },
    }
}

/// The adapted module, and what the code patches changed.
pub struct WrittenModule {
    pub bytes: Vec<u8>,
    /// Some `unreachable` now has a call before it.
    pub traps: bool,
    /// Some call now goes to the function calls are redirected to.
    pub writes: bool,
}

/// Writes the module `layout` plans.
pub fn module(
    bytes: &[u8],
    module: &ModuleInfo<'_>,
    layout: &Layout,
) -> Result<WrittenModule, AdaptError> {
    let redirected = layout.redirect.map(|(from, _)| from);
    let unreachable = layout.before_unreachable.is_some();
    let mut writer = Writer {
        remap: Remap {
            map: &layout.map,
            bytes,
            scanner: Scanner::new(wanted(&layout.map, redirected, unreachable)),
            redirect: layout.redirect,
            traps: false,
            writes: false,
            edits: Vec::new(),
            encoded: Vec::new(),
            replaced: 0,
            trap_call: layout.before_unreachable.map_or_else(Vec::new, |trap| {
                let mut call = Vec::new();
                Kind::Call.encode(trap, &mut call);
                call
            }),
        },
        info: module,
        layout,
        module: Out::new(bytes.len()),
        missing: ADDED_TO.map(|section| wants(layout, section)),
        code: None,
        filter: layout
            .defined_stay
            .then(|| Filter::new(&layout.map, redirected, unreachable)),
    };
    for payload in Parser::new(0).parse_all(bytes) {
        writer.payload(payload?)?;
    }
    Ok(WrittenModule {
        traps: writer.remap.traps,
        writes: writer.remap.writes,
        bytes: writer.module.finish(),
    })
}

/// The sites a rewrite by `map` changes: those naming a function that moves or is
/// `redirected` (by its new index), and `unreachable` when asked.
fn wanted(map: &[u32], redirected: Option<u32>, unreachable: bool) -> Wanted {
    let changes = |(old, &new): (usize, &u32)| old as u32 != new || Some(new) == redirected;
    Wanted {
        unreachable,
        functions: Some(map.iter().enumerate().map(changes).collect()),
    }
}

/// Whether the layout adds to `section` (so it must exist).
fn wants(layout: &Layout, section: u8) -> bool {
    match section {
        id::TYPE => !layout.new_types.is_empty(),
        id::IMPORT => !layout.appended_imports.is_empty(),
        id::FUNCTION | id::CODE => !layout.functions.is_empty(),
        id::GLOBAL => layout.scratch_globals,
        id::DATA_COUNT | id::DATA => layout.message_data.is_some(),
        _ => false,
    }
}

struct Writer<'a> {
    remap: Remap<'a>,
    info: &'a ModuleInfo<'a>,
    layout: &'a Layout,
    module: Out,
    /// Per [`ADDED_TO`] section: the layout adds to it and the input has not had it yet.
    missing: [bool; ADDED_TO.len()],
    /// The code section being written.
    code: Option<CodeOut>,
    /// Which bodies may name a replaced import, when only those need decoding.
    filter: Option<Filter>,
}

impl Writer<'_> {
    fn payload(&mut self, payload: Payload<'_>) -> Result<(), AdaptError> {
        let bytes = self.remap.bytes;
        if let Some((section, _)) = payload.as_section() {
            if section != id::CUSTOM {
                self.add_missing_before(order(section));
                if let Some(i) = ADDED_TO.iter().position(|s| *s == section) {
                    self.missing[i] = false;
                }
            }
        }
        let moved = !self.layout.identity;
        // The sections that may name the redirected function are written anew too.
        let named = moved || self.layout.redirect.is_some();
        let raw = |module: &mut Out, section: u8, range: std::ops::Range<u64>| {
            module.section(&RawSection {
                id: section,
                data: &bytes[range.start as usize..range.end as usize],
            });
        };
        match payload {
            Payload::Version { .. } => {}
            Payload::TypeSection(reader) if !self.layout.new_types.is_empty() => {
                let mut types = TypeSection::new();
                self.remap
                    .parse_type_section(&mut types, reader)
                    .map_err(from_reencode)?;
                self.add_types(&mut types);
                self.module.section(&types);
            }
            Payload::ImportSection(_) => {
                let mut imports = ImportSection::new();
                for (import, out) in self.info.imports.iter().zip(&self.layout.imports) {
                    match out {
                        ImportOut::Keep(module) => {
                            let ty = self.remap.entity_type(import.ty).map_err(from_reencode)?;
                            imports.import(module, import.name, ty);
                        }
                        ImportOut::Slot { name, type_index } => {
                            imports.import(PREVIEW1, name, EntityType::Function(*type_index));
                        }
                        ImportOut::Drop => {}
                        ImportOut::Memory => {
                            let ty = self.remap.entity_type(import.ty).map_err(from_reencode)?;
                            imports.import(MEMORY_MODULE, MEMORY_NAME, ty);
                        }
                    }
                }
                self.add_imports(&mut imports);
                self.module.section(&imports);
            }
            Payload::FunctionSection(reader) if !self.layout.functions.is_empty() => {
                let mut functions = FunctionSection::new();
                self.remap
                    .parse_function_section(&mut functions, reader)
                    .map_err(from_reencode)?;
                self.add_functions(&mut functions);
                self.module.section(&functions);
            }
            Payload::TableSection(reader) if named => {
                let mut tables = wasm_encoder::TableSection::new();
                self.remap
                    .parse_table_section(&mut tables, reader)
                    .map_err(from_reencode)?;
                self.module.section(&tables);
            }
            // Global initializers may hold `ref.func`.
            Payload::GlobalSection(reader) if named || self.layout.scratch_globals => {
                let mut globals = GlobalSection::new();
                self.remap
                    .parse_global_section(&mut globals, reader)
                    .map_err(from_reencode)?;
                self.add_globals(&mut globals);
                self.module.section(&globals);
            }
            Payload::ExportSection(reader) if named => {
                let mut exports = ExportSection::new();
                self.remap
                    .parse_export_section(&mut exports, reader)
                    .map_err(from_reencode)?;
                self.module.section(&exports);
            }
            Payload::StartSection { func, .. } if moved => {
                self.module.section(&StartSection {
                    function_index: self.remap.function(func)?,
                });
            }
            Payload::ElementSection(reader) if named => {
                let mut elements = wasm_encoder::ElementSection::new();
                self.remap
                    .parse_element_section(&mut elements, reader)
                    .map_err(from_reencode)?;
                self.module.section(&elements);
            }
            Payload::DataCountSection { count, .. } => {
                self.module.section(&DataCountSection {
                    count: count + u32::from(self.layout.message_data.is_some()),
                });
            }
            Payload::DataSection(reader) if self.layout.message_data.is_some() => {
                let mut data = DataSection::new();
                for segment in reader {
                    let segment = segment?;
                    data.raw(&bytes[segment.range.start as usize..segment.range.end as usize]);
                }
                self.add_data(&mut data);
                self.module.section(&data);
            }
            Payload::CodeSectionStart {
                count,
                unchecked_range,
                ..
            } => {
                let (start, end) = (unchecked_range.start as usize, unchecked_range.end as usize);
                if end > bytes.len() {
                    return Err(AdaptError::Malformed {
                        offset: bytes.len() as u64,
                        reason: "code section larger than the file".into(),
                    });
                }
                if moved || !self.layout.functions.is_empty() {
                    let size_at = self.module.open_section(id::CODE);
                    (count + self.layout.functions.len() as u32).encode(&mut self.module.bytes);
                    // The bodies start after their count.
                    let mut reader = BinaryReader::new(&bytes[start..end], start as u64);
                    reader.read_var_u32()?;
                    let first_body = reader.original_position() as usize;
                    self.code = Some(CodeOut {
                        size_at,
                        left: count,
                        raw_from: first_body,
                        body_start: first_body,
                    });
                    self.finish_code_if_done();
                } else {
                    raw(&mut self.module, id::CODE, unchecked_range);
                }
            }
            Payload::CodeSectionEntry(body) => {
                if self.code.is_some() {
                    self.body_entry(&body)?;
                    self.finish_code_if_done();
                }
            }
            Payload::CustomSection(reader) => {
                let code_changed = moved || !self.layout.functions.is_empty();
                match reader.as_known() {
                    KnownCustom::Name(names) if code_changed => {
                        // A name section that does not parse only loses the names.
                        if let Some(names) = self.names(names) {
                            self.module.section(&names);
                        }
                    }
                    // Code offsets and function indices that no longer hold: DWARF,
                    // branch hints, an object file's linking and relocations.
                    _ if code_changed && stale(reader.name()) => {}
                    // A note of an earlier adaptation's wrappers, by their indices then:
                    // only this adaptation's own notes (appended below) hold.
                    _ if super::notes::is_note(reader.name()) => {}
                    _ => raw(&mut self.module, id::CUSTOM, reader.range()),
                }
            }
            Payload::End(_) => {
                self.add_missing_before(u8::MAX);
                for (name, data) in &self.layout.custom {
                    self.module.section(&CustomSection {
                        name: (*name).into(),
                        data: data.as_slice().into(),
                    });
                }
            }
            other => {
                if let Some((section, range)) = other.as_section() {
                    raw(&mut self.module, section, range);
                }
            }
        }
        Ok(())
    }

    /// One function body of a code section being rewritten. Bodies that need no
    /// change stay in the run of bytes copied as they are; the others are written
    /// straight into the module, their new size first.
    fn body_entry(&mut self, body: &FunctionBody<'_>) -> Result<(), AdaptError> {
        let bytes = self.remap.bytes;
        let range = body.range();
        let (start, end) = (range.start as usize, range.end as usize);
        let operators = body.get_binary_reader_for_operators()?;
        let code = &bytes[operators.original_position() as usize..end];
        let may_change = self
            .filter
            .as_ref()
            .is_none_or(|filter| filter.may_change(code));
        let changed = may_change && self.remap.edit(operators)?;
        if let Some(code) = &mut self.code {
            if changed {
                let out = &mut self.module.bytes;
                out.extend_from_slice(&bytes[code.raw_from..code.body_start]);
                (self.remap.edited(end - start) as u32).encode(out);
                self.remap.write(start, end, out);
                code.raw_from = end;
            }
            code.body_start = end;
            code.left = code.left.saturating_sub(1);
        }
        Ok(())
    }

    fn finish_code_if_done(&mut self) {
        if self.code.as_ref().is_some_and(|code| code.left == 0) {
            if let Some(code) = self.code.take() {
                let out = &mut self.module.bytes;
                out.extend_from_slice(&self.remap.bytes[code.raw_from..code.body_start]);
                for f in &self.layout.functions {
                    f.body.encode(out);
                }
                self.module.close_section(code.size_at);
            }
        }
    }

    /// Writes the sections the layout adds to that the input lacks, up to `before`.
    fn add_missing_before(&mut self, before: u8) {
        for (i, section) in ADDED_TO.into_iter().enumerate() {
            if !self.missing[i] || order(section) >= before {
                continue;
            }
            self.missing[i] = false;
            match section {
                id::TYPE => {
                    let mut types = TypeSection::new();
                    self.add_types(&mut types);
                    self.module.section(&types);
                }
                id::IMPORT => {
                    let mut imports = ImportSection::new();
                    self.add_imports(&mut imports);
                    self.module.section(&imports);
                }
                id::FUNCTION => {
                    let mut functions = FunctionSection::new();
                    self.add_functions(&mut functions);
                    self.module.section(&functions);
                }
                id::GLOBAL => {
                    let mut globals = GlobalSection::new();
                    self.add_globals(&mut globals);
                    self.module.section(&globals);
                }
                id::DATA_COUNT => {
                    self.module.section(&DataCountSection {
                        count: self.info.data_segments + 1,
                    });
                }
                id::CODE => {
                    let mut code = CodeSection::new();
                    self.add_code(&mut code);
                    self.module.section(&code);
                }
                id::DATA => {
                    let mut data = DataSection::new();
                    self.add_data(&mut data);
                    self.module.section(&data);
                }
                _ => {}
            }
        }
    }

    fn add_types(&self, types: &mut TypeSection) {
        for sig in &self.layout.new_types {
            types
                .ty()
                .function(sig.params.iter().copied(), sig.results.iter().copied());
        }
    }

    fn add_imports(&self, imports: &mut ImportSection) {
        for (name, type_index) in &self.layout.appended_imports {
            imports.import(
                super::PREVIEW1,
                name,
                wasm_encoder::EntityType::Function(*type_index),
            );
        }
    }

    fn add_functions(&self, functions: &mut FunctionSection) {
        for f in &self.layout.functions {
            functions.function(f.type_index);
        }
    }

    fn add_globals(&self, globals: &mut GlobalSection) {
        if self.layout.scratch_globals {
            for (ty, init) in scratch::globals() {
                globals.global(ty, &init);
            }
        }
    }

    fn add_code(&self, code: &mut CodeSection) {
        for f in &self.layout.functions {
            code.function(&f.body);
        }
    }

    fn add_data(&self, data: &mut DataSection) {
        if let Some(message) = &self.layout.message_data {
            data.passive(message.iter().copied());
        }
    }

    /// The name section with function indices remapped and names for what the
    /// adapter added; `None` when it does not parse.
    fn names(&mut self, reader: NameSectionReader<'_>) -> Option<NameSection> {
        let mut names = NameSection::new();
        for subsection in reader {
            match subsection.ok()? {
                Name::Function(map) => {
                    let mut entries = Vec::new();
                    for naming in map {
                        let naming = naming.ok()?;
                        entries.push((
                            self.remap.function(naming.index).ok()?,
                            naming.name.to_owned(),
                        ));
                    }
                    entries.extend(self.added_names());
                    entries.sort_by_key(|(index, _)| *index);
                    // The module's own name wins over ours for the same index.
                    entries.dedup_by_key(|(index, _)| *index);
                    let mut map = NameMap::new();
                    for (index, name) in &entries {
                        map.append(*index, name);
                    }
                    names.functions(&map);
                }
                Name::Local(map) => names.locals(&self.indirect(map)?),
                Name::Label(map) => names.labels(&self.indirect(map)?),
                other => self
                    .remap
                    .parse_custom_name_subsection(&mut names, other)
                    .ok()?,
            }
        }
        Some(names)
    }

    /// Names of the imports and local functions the adapter wrote, by new index.
    fn added_names(&self) -> Vec<(u32, String)> {
        let functions = self
            .layout
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| (self.layout.first_new_function + i as u32, f.name.clone()));
        self.layout
            .import_names
            .iter()
            .cloned()
            .chain(functions)
            .collect()
    }

    fn indirect(&self, map: wasmparser::IndirectNameMap<'_>) -> Option<IndirectNameMap> {
        let mut entries = Vec::new();
        for naming in map {
            let naming = naming.ok()?;
            let mut inner = NameMap::new();
            for n in naming.names {
                let n = n.ok()?;
                inner.append(n.index, n.name);
            }
            entries.push((self.remap.function(naming.index).ok()?, inner));
        }
        entries.sort_by_key(|(index, _)| *index);
        let mut result = IndirectNameMap::new();
        for (index, inner) in &entries {
            result.append(*index, inner);
        }
        Some(result)
    }
}

/// The code section being rewritten: where its size goes, how many bodies are still
/// to come, and the run of unchanged bodies not yet copied (`raw_from..body_start`,
/// where `body_start` is where the next body's size begins).
struct CodeOut {
    /// Where the section's size goes, once known.
    size_at: usize,
    left: u32,
    raw_from: usize,
    body_start: usize,
}

/// The output module: its bytes, written section by section.
struct Out {
    bytes: Vec<u8>,
}

impl Out {
    /// A module header, with room for about `capacity` bytes.
    fn new(capacity: usize) -> Self {
        // The adapter adds little: a few hundred bytes, and a byte or two per
        // rewritten call. Sizing for it up front saves copying a large module
        // while the vector grows.
        let mut bytes = Vec::with_capacity(capacity + capacity / 16 + 4096);
        bytes.extend_from_slice(&Module::new().finish());
        Out { bytes }
    }

    fn section(&mut self, section: &impl Section) {
        self.bytes.push(section.id());
        section.encode(&mut self.bytes);
    }

    /// Starts a section whose size is not known yet; returns where the size goes.
    fn open_section(&mut self, id: u8) -> usize {
        self.bytes.push(id);
        self.bytes.extend_from_slice(&[0; 5]);
        self.bytes.len() - 5
    }

    /// Writes the size of the section opened at `size_at`, as a LEB128 padded to 5
    /// bytes (the binary format allows it), so the content need not move. (wasm-encoder
    /// only writes minimal LEB128s; leb128fmt is the library it writes them with.)
    fn close_section(&mut self, size_at: usize) {
        let size = (self.bytes.len() - size_at - 5) as u32;
        let padded = leb128fmt::encode_fixed_u32(size).expect("a u32 fits in 5 bytes");
        self.bytes[size_at..size_at + 5].copy_from_slice(&padded);
    }

    fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Custom sections that describe code by offset or function index, and go stale
/// when the code section changes.
fn stale(name: &str) -> bool {
    name.starts_with(".debug_")
        || name.starts_with("metadata.code.")
        || name.starts_with("reloc.")
        || name == "linking"
}
