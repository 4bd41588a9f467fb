//! What a `.wasm` file is: everything rw needs to know of a module before it decides,
//! read with wasmparser in one pass that skips function bodies (the code section is most
//! of a module's bytes and says nothing needed here), so even a 50 MB module reads in a
//! few milliseconds. The plan, the listing, `--explain` and the adapter all read this.
//!
//! Counts are checked against the engines' limits as they are read ([`crate::limits`]): a
//! section that claims more than any engine takes is an error here, not a table sized
//! after it later.

use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, KnownCustom, MemoryType, Parser, Payload, TypeRef,
};

use crate::limits;

/// `\0asm`: every WebAssembly binary starts with it.
const MAGIC: &[u8; 4] = b"\0asm";
/// The layer field (bytes 6..8) of a component's header; core modules have 0.
const COMPONENT_LAYER: [u8; 2] = [1, 0];

/// One read of a module; names borrow from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo<'a> {
    /// Function types by type index; `None` for GC (struct/array) types.
    pub types: Vec<Option<FuncType>>,
    /// Every import, in order (all kinds).
    pub imports: Vec<Import<'a>>,
    pub exports: Vec<Export<'a>>,
    /// Memories the module defines itself (not imported).
    pub defined_memories: Vec<MemoryType>,
    /// The producers section (language, processed-by, sdk), if present.
    pub producers: Vec<ProducersField<'a>>,
    /// The names of the custom sections, in order.
    pub custom_sections: Vec<&'a str>,
    pub function_imports: u32,
    pub global_imports: u32,
    pub defined_functions: u32,
    pub defined_globals: u32,
    /// Data segments (from the data section, or the data count section without one).
    pub data_segments: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Import<'a> {
    pub module: &'a str,
    pub name: &'a str,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Export<'a> {
    pub name: &'a str,
    pub kind: ExternalKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducersField<'a> {
    pub name: &'a str,
    /// `(name, version)` pairs, e.g. `("rustc", "1.95.0")`.
    pub values: Vec<(&'a str, &'a str)>,
}

/// Why the bytes are not a core module rw can look into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleError {
    Empty,
    NotWasm,
    Component,
    Malformed { offset: u64, reason: String },
}

impl From<wasmparser::BinaryReaderError> for ModuleError {
    fn from(err: wasmparser::BinaryReaderError) -> Self {
        ModuleError::Malformed {
            offset: err.offset(),
            reason: err.message().to_owned(),
        }
    }
}

/// An import's kind as `WebAssembly.Module.imports()` names it.
pub fn import_kind_name(ty: TypeRef) -> &'static str {
    match ty {
        TypeRef::Func(_) | TypeRef::FuncExact(_) => "function",
        TypeRef::Table(_) => "table",
        TypeRef::Memory(_) => "memory",
        TypeRef::Global(_) => "global",
        TypeRef::Tag(_) => "tag",
    }
}

/// An export's kind as `WebAssembly.Module.exports()` names it.
pub fn export_kind_name(kind: ExternalKind) -> &'static str {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => "function",
        ExternalKind::Table => "table",
        ExternalKind::Memory => "memory",
        ExternalKind::Global => "global",
        ExternalKind::Tag => "tag",
    }
}

/// A function type as rw writes it in messages: `(i32, i64) -> (i32)`.
pub fn signature_text(func: &FuncType) -> String {
    let list = |types: &[wasmparser::ValType]| {
        types
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("({}) -> ({})", list(func.params()), list(func.results()))
}

impl Import<'_> {
    pub fn is_function(&self) -> bool {
        matches!(self.ty, TypeRef::Func(_) | TypeRef::FuncExact(_))
    }
}

impl<'a> ModuleInfo<'a> {
    /// Reads the module; function bodies are skipped, not parsed.
    pub fn read(bytes: &'a [u8]) -> Result<ModuleInfo<'a>, ModuleError> {
        check_header(bytes)?;
        let mut info = ModuleInfo {
            types: Vec::new(),
            imports: Vec::new(),
            exports: Vec::new(),
            defined_memories: Vec::new(),
            producers: Vec::new(),
            custom_sections: Vec::new(),
            function_imports: 0,
            global_imports: 0,
            defined_functions: 0,
            defined_globals: 0,
            data_segments: 0,
        };
        let mut parser = Parser::new(0);
        let mut rest = bytes;
        loop {
            let (consumed, payload) = match parser.parse(rest, true)? {
                wasmparser::Chunk::Parsed { consumed, payload } => (consumed, payload),
                // With eof = true the parser reports missing bytes as an error instead.
                wasmparser::Chunk::NeedMoreData(_) => return Err(truncated(bytes)),
            };
            let mut skip = 0;
            match payload {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        for sub in group?.into_types() {
                            info.types.push(match sub.composite_type.inner {
                                CompositeInnerType::Func(func) => Some(func),
                                _ => None,
                            });
                        }
                    }
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        match import.ty {
                            TypeRef::Func(_) | TypeRef::FuncExact(_) => info.function_imports += 1,
                            TypeRef::Global(_) => info.global_imports += 1,
                            _ => {}
                        }
                        info.imports.push(Import {
                            module: import.module,
                            name: import.name,
                            ty: import.ty,
                        });
                    }
                }
                Payload::FunctionSection(reader) => {
                    let (count, at) = (reader.count(), reader.range().start);
                    info.defined_functions = defined(
                        info.function_imports,
                        count,
                        limits::MAX_FUNCTIONS,
                        "functions",
                        at,
                    )?;
                }
                Payload::GlobalSection(reader) => {
                    let (count, at) = (reader.count(), reader.range().start);
                    info.defined_globals = defined(
                        info.global_imports,
                        count,
                        limits::MAX_GLOBALS,
                        "globals",
                        at,
                    )?;
                }
                Payload::MemorySection(reader) => {
                    for memory in reader {
                        info.defined_memories.push(memory?);
                    }
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        info.exports.push(Export {
                            name: export.name,
                            kind: export.kind,
                        });
                    }
                }
                Payload::DataCountSection { count, range } => {
                    info.data_segments = limited(
                        count,
                        limits::MAX_DATA_SEGMENTS,
                        "data segments",
                        range.start,
                    )?;
                }
                Payload::DataSection(reader) => {
                    info.data_segments = limited(
                        reader.count(),
                        limits::MAX_DATA_SEGMENTS,
                        "data segments",
                        reader.range().start,
                    )?;
                }
                Payload::CustomSection(reader) => {
                    info.custom_sections.push(reader.name());
                    if let KnownCustom::Producers(fields) = reader.as_known() {
                        for field in fields {
                            let field = field?;
                            let values = field
                                .values
                                .into_iter()
                                .map(|v| v.map(|v| (v.name, v.version)))
                                .collect::<Result<_, _>>()?;
                            info.producers.push(ProducersField {
                                name: field.name,
                                values,
                            });
                        }
                    }
                }
                Payload::CodeSectionStart { size, .. } => {
                    parser.skip_section();
                    skip = size as usize;
                }
                Payload::End(_) => return Ok(info),
                _ => {}
            }
            // The parser checked that the section's declared size fits in the input.
            rest = rest
                .get(consumed + skip..)
                .ok_or_else(|| ModuleError::Malformed {
                    offset: bytes.len() as u64,
                    reason: "code section larger than the file".into(),
                })?;
        }
    }

    /// The memory the module imports, if any, with its import.
    pub fn memory_import(&self) -> Option<(&Import<'a>, MemoryType)> {
        self.imports.iter().find_map(|import| match import.ty {
            TypeRef::Memory(memory) => Some((import, memory)),
            _ => None,
        })
    }

    /// Memory 0: the first imported memory, else the first defined one.
    pub fn memory0(&self) -> Option<MemoryType> {
        self.memory_import()
            .map(|(_, memory)| memory)
            .or_else(|| self.defined_memories.first().copied())
    }

    pub fn exports_function(&self, name: &str) -> bool {
        self.exports.iter().any(|e| {
            e.name == name && matches!(e.kind, ExternalKind::Func | ExternalKind::FuncExact)
        })
    }

    pub fn exports_memory(&self, name: &str) -> bool {
        self.exports
            .iter()
            .any(|e| e.name == name && e.kind == ExternalKind::Memory)
    }

    pub fn has_custom_section(&self, name: &str) -> bool {
        self.custom_sections.contains(&name)
    }

    /// A wasi-threads program: it asks the host to spawn threads.
    pub fn imports_thread_spawn(&self) -> bool {
        self.imports
            .iter()
            .any(|i| i.module == "wasi" && i.name == "thread-spawn")
    }

    /// The function type an import refers to (`None` for other imports, and for a type
    /// index that names no function type).
    pub fn func_type(&self, ty: TypeRef) -> Option<&FuncType> {
        match ty {
            TypeRef::Func(index) | TypeRef::FuncExact(index) => {
                self.types.get(index as usize)?.as_ref()
            }
            _ => None,
        }
    }

    pub fn function_count(&self) -> u32 {
        self.function_imports + self.defined_functions
    }

    pub fn global_count(&self) -> u32 {
        self.global_imports + self.defined_globals
    }
}

fn check_header(bytes: &[u8]) -> Result<(), ModuleError> {
    if bytes.is_empty() {
        return Err(ModuleError::Empty);
    }
    if !bytes.starts_with(MAGIC) && !MAGIC.starts_with(bytes) {
        return Err(ModuleError::NotWasm);
    }
    if bytes.get(6..8) == Some(&COMPONENT_LAYER[..]) {
        return Err(ModuleError::Component);
    }
    Ok(())
}

/// `count` defined items beside `imported` ones, or an error at `offset` when no engine
/// would take that many in all.
fn defined(
    imported: u32,
    count: u32,
    limit: u32,
    what: &str,
    offset: u64,
) -> Result<u32, ModuleError> {
    Ok(limited(imported.saturating_add(count), limit, what, offset)? - imported)
}

/// `count`, or an error at `offset` when no engine would take that many.
fn limited(count: u32, limit: u32, what: &str, offset: u64) -> Result<u32, ModuleError> {
    limits::within(count, limit, what).map_err(|reason| ModuleError::Malformed { offset, reason })
}

fn truncated(bytes: &[u8]) -> ModuleError {
    ModuleError::Malformed {
        offset: bytes.len() as u64,
        reason: "unexpected end".into(),
    }
}
