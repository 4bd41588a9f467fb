//! What a `.wasm` file is, read with wasmparser in one pass that skips function
//! bodies (the code section is most of a module's bytes and says nothing we need),
//! so even a 50 MB module inspects in a few milliseconds.

use serde::Serialize;
use wasmparser::{
    CompositeInnerType, ExternalKind, KnownCustom, MemoryType, Parser, Payload, TypeRef,
};

/// `\0asm`: every WebAssembly binary starts with it.
const MAGIC: &[u8; 4] = b"\0asm";
/// The layer field (bytes 6..8) of a component's header; core modules have 0.
const COMPONENT_LAYER: [u8; 2] = [1, 0];

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub imports: Vec<Import>,
    pub exports: Vec<Export>,
    /// Memories the module defines itself (not imported).
    pub defined_memories: Vec<Memory>,
    /// The producers section (language, processed-by, sdk), if present.
    pub producers: Vec<ProducersField>,
    /// The names of the custom sections, in order.
    pub custom_sections: Vec<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ImportKind {
    /// `signature` is `(i32, i32) -> i32`, or `None` for a non-function type index.
    Function {
        signature: Option<String>,
    },
    Table,
    Memory(Memory),
    Global,
    Tag,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Memory {
    pub initial: u64,
    pub maximum: Option<u64>,
    pub shared: bool,
    pub memory64: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub kind: ExportKind,
}

#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum ExportKind {
    Function,
    Table,
    Memory,
    Global,
    Tag,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ProducersField {
    pub name: String,
    /// `(name, version)` pairs, e.g. `("rustc", "1.95.0")`.
    pub values: Vec<(String, String)>,
}

/// Why the bytes are not a core module we can look into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InspectError {
    Empty,
    NotWasm,
    Component,
    Malformed { offset: u64, reason: String },
}

impl From<wasmparser::BinaryReaderError> for InspectError {
    fn from(err: wasmparser::BinaryReaderError) -> Self {
        InspectError::Malformed {
            offset: err.offset(),
            reason: err.message().to_owned(),
        }
    }
}

impl ImportKind {
    /// The kind as `WebAssembly.Module.imports()` names it.
    pub fn js_name(&self) -> &'static str {
        match self {
            ImportKind::Function { .. } => "function",
            ImportKind::Table => "table",
            ImportKind::Memory(_) => "memory",
            ImportKind::Global => "global",
            ImportKind::Tag => "tag",
        }
    }
}

impl ExportKind {
    /// The kind as `WebAssembly.Module.exports()` names it.
    pub fn js_name(self) -> &'static str {
        match self {
            ExportKind::Function => "function",
            ExportKind::Table => "table",
            ExportKind::Memory => "memory",
            ExportKind::Global => "global",
            ExportKind::Tag => "tag",
        }
    }
}

impl Inspection {
    /// The memory the module imports, if any, with its module and name.
    pub fn memory_import(&self) -> Option<(&Import, Memory)> {
        self.imports.iter().find_map(|import| match import.kind {
            ImportKind::Memory(memory) => Some((import, memory)),
            _ => None,
        })
    }

    pub fn exports_function(&self, name: &str) -> bool {
        self.exports
            .iter()
            .any(|e| e.name == name && e.kind == ExportKind::Function)
    }

    pub fn exports_memory(&self, name: &str) -> bool {
        self.exports
            .iter()
            .any(|e| e.name == name && e.kind == ExportKind::Memory)
    }

    pub fn has_custom_section(&self, name: &str) -> bool {
        self.custom_sections.iter().any(|n| n == name)
    }

    /// A wasi-threads program: it asks the host to spawn threads.
    pub fn imports_thread_spawn(&self) -> bool {
        self.imports
            .iter()
            .any(|i| i.module == "wasi" && i.name == "thread-spawn")
    }
}

/// Reads the module's outline; function bodies are skipped, not parsed.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, InspectError> {
    check_header(bytes)?;
    let mut inspection = Inspection {
        imports: Vec::new(),
        exports: Vec::new(),
        defined_memories: Vec::new(),
        producers: Vec::new(),
        custom_sections: Vec::new(),
    };
    // Function signatures by type index; `None` for GC (struct/array) types.
    let mut signatures: Vec<Option<String>> = Vec::new();
    let mut parser = Parser::new(0);
    let mut rest = bytes;
    loop {
        let (consumed, payload) = match parser.parse(rest, true)? {
            wasmparser::Chunk::Parsed { consumed, payload } => (consumed, payload),
            // With eof = true the parser reports missing bytes as an error instead.
            wasmparser::Chunk::NeedMoreData(_) => {
                return Err(InspectError::Malformed {
                    offset: bytes.len() as u64,
                    reason: "unexpected end".into(),
                })
            }
        };
        let mut skip = 0;
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.into_types() {
                        signatures.push(match &sub.composite_type.inner {
                            CompositeInnerType::Func(func) => Some(signature(func)),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import?;
                    inspection.imports.push(Import {
                        module: import.module.to_owned(),
                        name: import.name.to_owned(),
                        kind: import_kind(import.ty, &signatures),
                    });
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    inspection.defined_memories.push(memory_of(memory?));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export?;
                    inspection.exports.push(Export {
                        name: export.name.to_owned(),
                        kind: export_kind(export.kind),
                    });
                }
            }
            Payload::CustomSection(reader) => {
                inspection.custom_sections.push(reader.name().to_owned());
                if let KnownCustom::Producers(fields) = reader.as_known() {
                    for field in fields {
                        let field = field?;
                        let values = field
                            .values
                            .into_iter()
                            .map(|v| v.map(|v| (v.name.to_owned(), v.version.to_owned())))
                            .collect::<Result<_, _>>()?;
                        inspection.producers.push(ProducersField {
                            name: field.name.to_owned(),
                            values,
                        });
                    }
                }
            }
            Payload::CodeSectionStart { size, .. } => {
                parser.skip_section();
                skip = size as usize;
            }
            Payload::End(_) => return Ok(inspection),
            _ => {}
        }
        // The parser checked that the section's declared size fits in the input.
        rest = rest
            .get(consumed + skip..)
            .ok_or_else(|| InspectError::Malformed {
                offset: bytes.len() as u64,
                reason: "code section larger than the file".into(),
            })?;
    }
}

fn check_header(bytes: &[u8]) -> Result<(), InspectError> {
    if bytes.is_empty() {
        return Err(InspectError::Empty);
    }
    if !bytes.starts_with(MAGIC) && !MAGIC.starts_with(bytes) {
        return Err(InspectError::NotWasm);
    }
    if bytes.get(6..8) == Some(&COMPONENT_LAYER[..]) {
        return Err(InspectError::Component);
    }
    Ok(())
}

fn signature(func: &wasmparser::FuncType) -> String {
    let list = |types: &[wasmparser::ValType]| {
        types
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("({}) -> ({})", list(func.params()), list(func.results()))
}

fn import_kind(ty: TypeRef, signatures: &[Option<String>]) -> ImportKind {
    match ty {
        TypeRef::Func(index) | TypeRef::FuncExact(index) => ImportKind::Function {
            signature: signatures.get(index as usize).cloned().flatten(),
        },
        TypeRef::Table(_) => ImportKind::Table,
        TypeRef::Memory(memory) => ImportKind::Memory(memory_of(memory)),
        TypeRef::Global(_) => ImportKind::Global,
        TypeRef::Tag(_) => ImportKind::Tag,
    }
}

fn memory_of(memory: MemoryType) -> Memory {
    Memory {
        initial: memory.initial,
        maximum: memory.maximum,
        shared: memory.shared,
        memory64: memory.memory64,
    }
}

fn export_kind(kind: ExternalKind) -> ExportKind {
    match kind {
        ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Function,
        ExternalKind::Table => ExportKind::Table,
        ExternalKind::Memory => ExportKind::Memory,
        ExternalKind::Global => ExportKind::Global,
        ExternalKind::Tag => ExportKind::Tag,
    }
}
