//! What the module view shows of a `.wasm` (the extension's custom editor): what the
//! module is, its imports and exports with what rw does to each, its memories, tables,
//! sections and largest functions, and what rw would do with it, in the words
//! `--explain` uses. The webview only renders this.
//!
//! One pass over the sections that skips function bodies (each body's size is read from
//! its header, never decoded), plus the plan `--explain` makes.

use serde::Serialize;
use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

use crate::adapt::{self, AdaptError, Options};
use crate::explain;
use crate::message::{ExitLine, Message};
use crate::module::{export_kind_name, import_kind_name, signature_text, ModuleError, ModuleInfo};
use crate::plan::{self, Decision, Report};
use crate::request::{AdaptOptions, HostOptions, MemoryFlags, Mode, RunRequest, Target};

/// How many of the largest functions the view lists.
pub const LARGEST_FUNCTIONS: usize = 200;

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ModuleView {
    pub file: String,
    pub size: usize,
    /// `module`, `component`, or `invalid` (then `refusal` says why).
    pub kind: &'static str,
    /// `preview1`, `preview1 threads`, `wasi_unstable`, `reactor` (no `_start`), `none`.
    pub wasi: &'static str,
    /// E.g. `language: Rust`, `processed-by: rustc 1.95.0`.
    pub producers: Vec<String>,
    pub imports: Vec<ImportRow>,
    pub exports: Vec<ExportRow>,
    pub memories: Vec<MemoryRow>,
    pub tables: Vec<TableRow>,
    pub globals: Counts,
    pub functions: Counts,
    pub data_segments: u32,
    /// Every section, in order, with its size in bytes.
    pub sections: Vec<SectionRow>,
    /// The largest defined functions, largest first (at most [`LARGEST_FUNCTIONS`]).
    pub largest_functions: Vec<FunctionRow>,
    pub verdict: Verdict,
}

#[derive(Serialize, Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub imported: u32,
    pub defined: u32,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub module: String,
    pub name: String,
    pub kind: &'static str,
    pub signature: String,
    /// What rw does to it: `adapt` (and how) or `refuse` (and why); none when it links as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// `adapt` or `refuse`.
    pub kind: &'static str,
    pub why: String,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub name: String,
    pub kind: &'static str,
    pub signature: String,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct MemoryRow {
    /// `MODULE.NAME` when imported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<String>,
    pub initial: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<u64>,
    pub shared: bool,
    pub memory64: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<String>,
    pub element: String,
    pub initial: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<u64>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct SectionRow {
    /// `type`, `import`, …, or `custom NAME`.
    pub name: String,
    pub offset: usize,
    pub size: usize,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct FunctionRow {
    /// The function index (imports first, as the module's own indices count).
    pub index: u32,
    /// From the name section, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub offset: usize,
    pub size: usize,
}

/// What rw would do with the module.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `run` (as it is), `adapted`, or `refused`.
    pub kind: &'static str,
    /// The `adapt:` lines of `--explain` (without the prefix).
    pub changes: Vec<String>,
    /// For `refused`: the one line rw prints, with its fix, and the exit code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<ExitLine>,
    /// `rw --explain FILE`'s whole text (empty when the module cannot be read).
    pub explain: String,
}

/// The view of `bytes`, named `file` in its messages.
pub fn describe(file: &str, bytes: &[u8]) -> ModuleView {
    let mut view = ModuleView {
        file: file.to_owned(),
        size: bytes.len(),
        kind: "invalid",
        wasi: "none",
        producers: Vec::new(),
        imports: Vec::new(),
        exports: Vec::new(),
        memories: Vec::new(),
        tables: Vec::new(),
        globals: Counts::default(),
        functions: Counts::default(),
        data_segments: 0,
        sections: Vec::new(),
        largest_functions: Vec::new(),
        verdict: Verdict {
            kind: "refused",
            changes: Vec::new(),
            refusal: None,
            explain: String::new(),
        },
    };
    let module = match ModuleInfo::read(bytes) {
        Ok(module) => module,
        Err(err) => {
            if err == ModuleError::Component {
                view.kind = "component";
                view.wasi = "component";
                view.sections = component_sections(bytes);
            }
            let message = plan::module_message(file, err);
            view.verdict.refusal = Some(ExitLine::from(&message));
            return view;
        }
    };
    view.kind = "module";
    view.wasi = wasi_flavour(&module);
    view.producers = module
        .producers
        .iter()
        .map(|field| {
            let values: Vec<String> = field
                .values
                .iter()
                .map(|(name, version)| match *version {
                    "" => name.to_string(),
                    version => format!("{name} {version}"),
                })
                .collect();
            format!("{}: {}", field.name, values.join(", "))
        })
        .collect();
    view.globals = Counts {
        imported: module.global_imports,
        defined: module.defined_globals,
    };
    view.functions = Counts {
        imported: module.function_imports,
        defined: module.defined_functions,
    };
    view.data_segments = module.data_segments;
    view.verdict = verdict(file, bytes);
    view.imports = import_rows(file, &module, &view.verdict);
    view.exports = Vec::new();
    // Sections, tables, export signatures and function sizes: a second pass that reads
    // what ModuleInfo leaves out. A malformed part only shortens these lists: the plan
    // above already said what is wrong.
    let _ = sections(bytes, &module, &mut view);
    view
}

fn wasi_flavour(module: &ModuleInfo<'_>) -> &'static str {
    let imports_from = |name: &str| module.imports.iter().any(|i| i.module == name);
    if imports_from("wasi_unstable") {
        "wasi_unstable"
    } else if !module.exports_function("_start")
        && (imports_from(adapt::PREVIEW1) || module.exports_function("_initialize"))
    {
        "reactor"
    } else if module.imports_thread_spawn() || module.memory0().is_some_and(|m| m.shared) {
        "preview1 threads"
    } else if imports_from(adapt::PREVIEW1) {
        "preview1"
    } else {
        "none"
    }
}

/// The plan `--explain` makes, as the view says it.
fn verdict(file: &str, bytes: &[u8]) -> Verdict {
    let request = RunRequest {
        target: Target {
            file: file.to_owned(),
            path: file.to_owned(),
            program_name: file.to_owned(),
            args: Vec::new(),
        },
        host: HostOptions::default(),
        adapt: AdaptOptions::default(),
        memory: MemoryFlags::default(),
        mode: Mode::Explain,
        print_elapsed_time: false,
    };
    match plan::plan(&request, bytes) {
        Decision::Print(report) => {
            let explain = explain::render(&report);
            let Report::Explain { runnable, .. } = *report else {
                unreachable!("an explain request gets an explain report")
            };
            match runnable {
                Ok(run) => {
                    let changes: Vec<String> = explain::change_lines(&run.changes)
                        .into_iter()
                        .map(|line| line.replace("FILE", file))
                        .collect();
                    Verdict {
                        kind: if changes.is_empty() { "run" } else { "adapted" },
                        changes,
                        refusal: None,
                        explain,
                    }
                }
                Err(message) => Verdict {
                    kind: "refused",
                    changes: Vec::new(),
                    refusal: Some(ExitLine::from(&message)),
                    explain,
                },
            }
        }
        Decision::Refuse(message) => Verdict {
            kind: "refused",
            changes: Vec::new(),
            refusal: Some(ExitLine::from(&message)),
            explain: String::new(),
        },
        Decision::Run { .. } => unreachable!("an explain request is never run"),
    }
}

fn import_rows(file: &str, module: &ModuleInfo<'_>, verdict: &Verdict) -> Vec<ImportRow> {
    let request_adapt = AdaptOptions::default();
    let options = Options {
        adapt: &request_adapt,
        file,
        patch_code: false,
    };
    let (changes, blocked) = match adapt::claim(module, &options) {
        Ok(claims) => (claims.changes(), Vec::new()),
        Err(AdaptError::Unsupported { imports }) => (Vec::new(), imports),
        Err(_) => (Vec::new(), Vec::new()),
    };
    let refusal = verdict.refusal.as_ref().map(|r| r.line.clone());
    module
        .imports
        .iter()
        .map(|import| {
            let adapted = changes
                .iter()
                .find(|c| c.module == import.module && c.name == import.name);
            let refused = blocked
                .iter()
                .any(|b| b.module == import.module && b.name == import.name);
            let mark = if refused {
                Some(Mark {
                    kind: "refuse",
                    why: refusal.clone().unwrap_or_default(),
                })
            } else {
                adapted.map(|c| Mark {
                    kind: "adapt",
                    why: explain::change_lines(std::slice::from_ref(c))
                        .remove(0)
                        .split_once(": ")
                        .map(|(_, why)| why.replace("FILE", file))
                        .unwrap_or_default(),
                })
            };
            ImportRow {
                module: import.module.to_owned(),
                name: import.name.to_owned(),
                kind: import_kind_name(import.ty),
                signature: import_signature(module, import.ty),
                mark,
            }
        })
        .collect()
}

fn import_signature(module: &ModuleInfo<'_>, ty: TypeRef) -> String {
    match ty {
        TypeRef::Func(_) | TypeRef::FuncExact(_) => {
            module.func_type(ty).map(signature_text).unwrap_or_default()
        }
        TypeRef::Memory(m) => memory_limits(m.initial, m.maximum, m.shared),
        TypeRef::Table(t) => format!(
            "{} {}",
            t.element_type,
            memory_limits(t.initial, t.maximum, false)
        ),
        TypeRef::Global(g) => format!("{}{}", if g.mutable { "mut " } else { "" }, g.content_type),
        TypeRef::Tag(_) => String::new(),
    }
}

fn memory_limits(initial: u64, maximum: Option<u64>, shared: bool) -> String {
    format!(
        "{initial}{}{}",
        maximum.map(|m| format!("..{m}")).unwrap_or_default(),
        if shared { " shared" } else { "" }
    )
}

/// The second pass: sections with their sizes, memories, tables, exports with their
/// signatures, and each body's size (read from its header; the body is skipped).
fn sections(
    bytes: &[u8],
    module: &ModuleInfo<'_>,
    view: &mut ModuleView,
) -> Result<(), wasmparser::BinaryReaderError> {
    let mut functions: Vec<u32> = Vec::new(); // type index of each defined function
    let mut bodies: Vec<FunctionRow> = Vec::new();
    let mut names: Vec<(u32, String)> = Vec::new();
    for import in &module.imports {
        let import_name = Some(format!("{}.{}", import.module, import.name));
        match import.ty {
            TypeRef::Memory(m) => view.memories.push(MemoryRow {
                import: import_name,
                initial: m.initial,
                maximum: m.maximum,
                shared: m.shared,
                memory64: m.memory64,
            }),
            TypeRef::Table(t) => view.tables.push(TableRow {
                import: import_name,
                element: t.element_type.to_string(),
                initial: t.initial,
                maximum: t.maximum,
            }),
            _ => {}
        }
    }
    for m in &module.defined_memories {
        view.memories.push(MemoryRow {
            import: None,
            initial: m.initial,
            maximum: m.maximum,
            shared: m.shared,
            memory64: m.memory64,
        });
    }
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        if let Some((id, range)) = payload.as_section() {
            view.sections.push(SectionRow {
                name: section_name(id, &payload),
                offset: range.start as usize,
                size: (range.end - range.start) as usize,
            });
        }
        match payload {
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    functions.push(ty?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let t = table?.ty;
                    view.tables.push(TableRow {
                        import: None,
                        element: t.element_type.to_string(),
                        initial: t.initial,
                        maximum: t.maximum,
                    });
                }
            }
            Payload::CodeSectionEntry(body) => {
                let range = body.range();
                bodies.push(FunctionRow {
                    index: module.function_imports + bodies.len() as u32,
                    name: None,
                    offset: range.start as usize,
                    size: (range.end - range.start) as usize,
                });
            }
            Payload::CustomSection(reader) => {
                if let KnownCustom::Name(reader) = reader.as_known() {
                    for name in reader {
                        if let Name::Function(map) = name? {
                            for naming in map {
                                let naming = naming?;
                                names.push((naming.index, naming.name.to_owned()));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let function_type = |index: u32| -> Option<&wasmparser::FuncType> {
        if index < module.function_imports {
            let import = module
                .imports
                .iter()
                .filter(|i| i.is_function())
                .nth(index as usize)?;
            module.func_type(import.ty)
        } else {
            let ty = *functions.get((index - module.function_imports) as usize)?;
            module.types.get(ty as usize)?.as_ref()
        }
    };
    view.exports = module
        .exports
        .iter()
        .map(|export| ExportRow {
            name: export.name.to_owned(),
            kind: export_kind_name(export.kind),
            signature: String::new(),
        })
        .collect();
    // Export signatures need the export's index, which ModuleInfo does not keep.
    for payload in Parser::new(0).parse_all(bytes) {
        if let Payload::ExportSection(reader) = payload? {
            for (row, export) in view.exports.iter_mut().zip(reader) {
                let export = export?;
                if row.kind == "function" {
                    row.signature = function_type(export.index)
                        .map(signature_text)
                        .unwrap_or_default();
                }
            }
            break;
        }
    }
    bodies.sort_by(|a, b| b.size.cmp(&a.size).then(a.index.cmp(&b.index)));
    bodies.truncate(LARGEST_FUNCTIONS);
    names.sort_unstable_by_key(|(index, _)| *index);
    for row in &mut bodies {
        if let Ok(at) = names.binary_search_by_key(&row.index, |(index, _)| *index) {
            row.name = Some(names[at].1.clone());
        }
    }
    view.largest_functions = bodies;
    Ok(())
}

fn section_name(id: u8, payload: &Payload<'_>) -> String {
    match payload {
        Payload::CustomSection(reader) => format!("custom {}", reader.name()),
        _ => match id {
            1 => "type",
            2 => "import",
            3 => "function",
            4 => "table",
            5 => "memory",
            6 => "global",
            7 => "export",
            8 => "start",
            9 => "element",
            10 => "code",
            11 => "data",
            12 => "data count",
            13 => "tag",
            _ => "unknown",
        }
        .to_owned(),
    }
}

/// A component's top-level sections (id and size), so the view shows what it holds;
/// read by hand, since the shipped wasmparser has no component model.
fn component_sections(bytes: &[u8]) -> Vec<SectionRow> {
    let mut rows = Vec::new();
    let Some(rest) = bytes.get(8..) else {
        return rows;
    };
    let mut reader = wasmparser::BinaryReader::new(rest, 8);
    while !reader.eof() {
        let offset = reader.original_position();
        let (Ok(id), Ok(size)) = (reader.read_u8(), reader.read_var_u32()) else {
            break;
        };
        let name = match id {
            0 => "custom",
            1 => "core module",
            4 => "component",
            7 => "type",
            10 => "import",
            11 => "export",
            _ => "section",
        };
        rows.push(SectionRow {
            name: format!("{name} ({id})"),
            offset: offset as usize,
            size: size as usize,
        });
        if reader.read_bytes(size as usize).is_err() {
            break;
        }
    }
    rows
}

/// A file the view cannot read at all (the host failed to read it): its one line.
pub fn unreadable(message: &Message) -> ExitLine {
    ExitLine::from(message)
}
