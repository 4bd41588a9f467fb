//! What the rewrite needs to know about a module before writing it: one pass that
//! skips function bodies, like [`crate::inspect`].

use wasmparser::{CompositeInnerType, FuncType, Import, MemoryType, Parser, Payload, TypeRef};

use super::AdaptError;
use crate::limits;

pub struct Outline<'a> {
    /// Function types by type index; `None` for GC (struct/array) types.
    pub types: Vec<Option<FuncType>>,
    /// Every import, in order (all kinds).
    pub imports: Vec<Import<'a>>,
    pub function_imports: u32,
    pub global_imports: u32,
    pub defined_functions: u32,
    pub defined_globals: u32,
    /// Memory 0, imported or defined.
    pub memory: Option<MemoryType>,
    /// Data segments (from the data section, or the data count section without one).
    pub data_segments: u32,
}

pub fn read(bytes: &[u8]) -> Result<Outline<'_>, AdaptError> {
    let mut outline = Outline {
        types: Vec::new(),
        imports: Vec::new(),
        function_imports: 0,
        global_imports: 0,
        defined_functions: 0,
        defined_globals: 0,
        memory: None,
        data_segments: 0,
    };
    let mut parser = Parser::new(0);
    let mut rest = bytes;
    loop {
        let (consumed, payload) = match parser.parse(rest, true)? {
            wasmparser::Chunk::Parsed { consumed, payload } => (consumed, payload),
            wasmparser::Chunk::NeedMoreData(_) => return Err(truncated(bytes)),
        };
        let mut skip = 0;
        match payload {
            Payload::Version {
                encoding: wasmparser::Encoding::Component,
                ..
            } => {
                return Err(AdaptError::Malformed {
                    offset: 0,
                    reason: "a component, not a core module".into(),
                })
            }
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group?.into_types() {
                        outline.types.push(match sub.composite_type.inner {
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
                        TypeRef::Func(_) | TypeRef::FuncExact(_) => outline.function_imports += 1,
                        TypeRef::Global(_) => outline.global_imports += 1,
                        TypeRef::Memory(memory) if outline.memory.is_none() => {
                            outline.memory = Some(memory)
                        }
                        _ => {}
                    }
                    outline.imports.push(import);
                }
            }
            Payload::FunctionSection(reader) => {
                let (count, at) = (reader.count(), reader.range().start);
                outline.defined_functions = defined(
                    outline.function_imports,
                    count,
                    limits::MAX_FUNCTIONS,
                    "functions",
                    at,
                )?;
            }
            Payload::GlobalSection(reader) => {
                let (count, at) = (reader.count(), reader.range().start);
                outline.defined_globals = defined(
                    outline.global_imports,
                    count,
                    limits::MAX_GLOBALS,
                    "globals",
                    at,
                )?;
            }
            // Memory 0 is the first imported memory, else the first defined one.
            Payload::MemorySection(reader) if outline.memory.is_none() => {
                outline.memory = reader.into_iter().next().transpose()?;
            }
            Payload::DataCountSection { count, range } => {
                outline.data_segments = limited(
                    count,
                    limits::MAX_DATA_SEGMENTS,
                    "data segments",
                    range.start,
                )?;
            }
            Payload::DataSection(reader) => {
                outline.data_segments = limited(
                    reader.count(),
                    limits::MAX_DATA_SEGMENTS,
                    "data segments",
                    reader.range().start,
                )?;
            }
            Payload::CodeSectionStart { size, .. } => {
                parser.skip_section();
                skip = size as usize;
            }
            Payload::End(_) => return Ok(outline),
            _ => {}
        }
        rest = rest
            .get(consumed + skip..)
            .ok_or_else(|| truncated(bytes))?;
    }
}

/// `count` defined items beside `imported` ones, or an error at `offset` when no engine
/// would take that many in all.
fn defined(
    imported: u32,
    count: u32,
    limit: u32,
    what: &str,
    offset: u64,
) -> Result<u32, AdaptError> {
    Ok(limited(imported.saturating_add(count), limit, what, offset)? - imported)
}

/// `count`, or an error at `offset` when no engine would take that many.
fn limited(count: u32, limit: u32, what: &str, offset: u64) -> Result<u32, AdaptError> {
    limits::within(count, limit, what).map_err(|reason| AdaptError::Malformed { offset, reason })
}

fn truncated(bytes: &[u8]) -> AdaptError {
    AdaptError::Malformed {
        offset: bytes.len() as u64,
        reason: "unexpected end".into(),
    }
}

impl Outline<'_> {
    pub fn function_count(&self) -> u32 {
        self.function_imports + self.defined_functions
    }

    pub fn global_count(&self) -> u32 {
        self.global_imports + self.defined_globals
    }

    /// The function type an import refers to.
    pub fn func_type(&self, ty: TypeRef) -> Option<&FuncType> {
        match ty {
            TypeRef::Func(index) | TypeRef::FuncExact(index) => {
                self.types.get(index as usize)?.as_ref()
            }
            _ => None,
        }
    }
}
