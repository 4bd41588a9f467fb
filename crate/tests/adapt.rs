//! The module adapter on our fixtures and small modules written for one case each.
//!
//! No wasm runtime runs here: what the rewritten modules print is checked by running
//! them under node:wasi in the extension's tests. Here: they validate, every index
//! still names the same function, and the generated bodies are what they should be.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use proptest::prelude::*;
use rw_core::adapt::{Action, AdaptError, Change, Isatty, Options, Shim, Stat};
use rw_core::module::ModuleInfo;
use rw_core::request::{self, Terminals};
use wasmparser::{
    ExternalKind, KnownCustom, Name, Operator, Parser, Payload, TypeRef, Validator, WasmFeatures,
};

/// The adapter's options in these tests: the request's, and the file named in messages.
#[derive(Debug, Clone, Default)]
struct AdaptOptions {
    stub_unknown_imports: bool,
    file: String,
    terminals: Option<Terminals>,
}

/// `options` as the adapter takes them. The code patches (traps, fd_write) are off here,
/// so each test sees the import adaptations alone; `plan.rs` and `golden.rs` see them
/// with the patches, as a run does.
fn adapting<T>(options: &AdaptOptions, then: impl FnOnce(&Options<'_>) -> T) -> T {
    let adapt = request::AdaptOptions {
        stub_unknown_imports: options.stub_unknown_imports,
        terminals: options.terminals,
    };
    then(&Options {
        adapt: &adapt,
        file: &options.file,
        patch_code: false,
    })
}

/// The module adapted: `None` when it runs as it is.
fn adapt(bytes: &[u8], options: &AdaptOptions) -> Result<Option<Vec<u8>>, AdaptError> {
    let module = ModuleInfo::read(bytes).expect("a module");
    adapting(options, |options| {
        rw_core::adapt::adapt(&module, bytes, options).map(|adapted| adapted.bytes)
    })
}

/// What the adapter would change.
fn changes(bytes: &[u8], options: &AdaptOptions) -> Result<Vec<Change>, AdaptError> {
    let module = ModuleInfo::read(bytes).expect("a module");
    adapting(options, |options| rw_core::adapt::changes(&module, options))
}

/// The lines `--explain` says of the changes.
fn explain(changes: &[Change]) -> String {
    rw_core::explain::change_lines(changes)
        .iter()
        .map(|line| format!("{line}\n"))
        .collect()
}

fn options(stub: bool) -> AdaptOptions {
    AdaptOptions {
        stub_unknown_imports: stub,
        file: "prog.wasm".into(),
        ..AdaptOptions::default()
    }
}

fn validate(bytes: &[u8]) {
    Validator::new_with_features(WasmFeatures::default())
        .validate_all(bytes)
        .unwrap_or_else(|err| panic!("invalid: {err}"));
}

/// Adapts the hand-written fixture NAME with stubs on; it must need adapting.
fn adapted(name: &str) -> (Vec<u8>, Vec<u8>) {
    let input = common::wat(name);
    let output = adapt(&input, &options(true))
        .unwrap_or_else(|err| panic!("{name}: {err}"))
        .unwrap_or_else(|| panic!("{name} needs no adapting"));
    validate(&output);
    (input, output)
}

fn changes_of(bytes: &[u8], stub: bool) -> Result<Vec<Change>, AdaptError> {
    changes(bytes, &options(stub))
}

/// What a module says about its functions, by index.
#[derive(Default)]
struct Functions<'a> {
    /// (module, name) of each function import, in order.
    imports: Vec<(String, String)>,
    /// The bodies of the defined functions (locals and code).
    bodies: Vec<&'a [u8]>,
    names: HashMap<u32, String>,
    exports: HashMap<String, u32>,
    start: Option<u32>,
    /// Every function index in element segments, in order.
    elements: Vec<u32>,
    custom: Vec<String>,
}

impl<'a> Functions<'a> {
    fn of(bytes: &'a [u8]) -> Self {
        let mut f = Functions::default();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.unwrap() {
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import.unwrap();
                        if let TypeRef::Func(_) = import.ty {
                            f.imports.push((import.module.into(), import.name.into()));
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let range = body.range();
                    f.bodies
                        .push(&bytes[range.start as usize..range.end as usize]);
                }
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export.unwrap();
                        if export.kind == ExternalKind::Func {
                            f.exports.insert(export.name.into(), export.index);
                        }
                    }
                }
                Payload::StartSection { func, .. } => f.start = Some(func),
                Payload::ElementSection(reader) => {
                    for element in reader {
                        match element.unwrap().items {
                            wasmparser::ElementItems::Functions(funcs) => {
                                f.elements.extend(funcs.into_iter().map(Result::unwrap))
                            }
                            wasmparser::ElementItems::Expressions(_, exprs) => {
                                for expr in exprs {
                                    let mut ops = expr.unwrap().get_operators_reader();
                                    if let Operator::RefFunc { function_index } =
                                        ops.read().unwrap()
                                    {
                                        f.elements.push(function_index);
                                    }
                                }
                            }
                        }
                    }
                }
                Payload::CustomSection(reader) => {
                    f.custom.push(reader.name().into());
                    if let KnownCustom::Name(names) = reader.as_known() {
                        for name in names {
                            if let Name::Function(map) = name.unwrap() {
                                for naming in map {
                                    let naming = naming.unwrap();
                                    f.names.insert(naming.index, naming.name.into());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        f
    }

    fn name(&self, index: u32) -> &str {
        self.names.get(&index).map_or("?", String::as_str)
    }

    fn index(&self, name: &str) -> u32 {
        *self
            .names
            .iter()
            .find(|(_, n)| *n == name)
            .unwrap_or_else(|| panic!("no function named {name}"))
            .0
    }

    fn body(&self, index: u32) -> &'a [u8] {
        self.bodies[index as usize - self.imports.len()]
    }

    fn body_named(&self, name: &str) -> &'a [u8] {
        self.body(self.index(name))
    }

    /// The operators of a defined function's body (after its locals).
    fn operators(&self, index: u32) -> Vec<Operator<'a>> {
        let body = self.body(index);
        let reader = wasmparser::BinaryReader::new(body, 0);
        let body = wasmparser::FunctionBody::new(reader);
        let mut ops = body.get_operators_reader().unwrap();
        let mut all = Vec::new();
        while !ops.eof() {
            all.push(ops.read().unwrap());
        }
        all
    }

    fn calls(&self, index: u32) -> Vec<u32> {
        self.operators(index)
            .into_iter()
            .filter_map(|op| match op {
                Operator::Call { function_index } => Some(function_index),
                _ => None,
            })
            .collect()
    }
}

const NEW_FIXTURES: &[&str] = &[
    "unstable_seek",
    "unstable_filestat",
    "unstable_poll",
    "unstable_args",
    "preview1_missing",
    "unknown_called",
    "unknown_uncalled",
    "adapt_indices",
    "wasi_unstable",
    "unknown_imports",
    "unknown_shifted",
];

#[test]
fn every_adapted_fixture_validates_and_links() {
    for name in NEW_FIXTURES {
        let (_, output) = adapted(name);
        assert_eq!(changes_of(&output, false), Ok(vec![]), "{name}");
        for import in ModuleInfo::read(&output).unwrap().imports {
            assert!(
                import.module == "wasi_snapshot_preview1"
                    || (import.module, import.name) == ("env", "memory"),
                "{name}: {}.{}",
                import.module,
                import.name
            );
        }
    }
}

#[test]
fn wasi_unstable_functions_are_repointed_or_shimmed() {
    let changes = changes_of(&common::wat("unstable_seek"), false).unwrap();
    let actions: Vec<(&str, Action)> = changes
        .iter()
        .map(|c| (c.name.as_str(), c.action))
        .collect();
    assert_eq!(
        actions,
        [
            ("fd_write", Action::Repoint),
            ("proc_exit", Action::Repoint),
            ("fd_prestat_get", Action::Preopens),
            ("path_open", Action::Repoint),
            ("fd_seek", Action::Shim(Shim::FdSeek)),
            ("fd_tell", Action::Repoint),
            ("fd_read", Action::Repoint),
        ]
    );
    let (input, output) = adapted("unstable_seek");
    let f = Functions::of(&output);
    // The re-pointed imports keep their places, and the shim's slot now imports
    // preview1's fd_seek, so no other function index moved.
    let names: Vec<&str> = f.imports.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "fd_write",
            "proc_exit",
            "fd_prestat_get",
            "path_open",
            "fd_seek",
            "fd_tell",
            "fd_read"
        ]
    );
    assert!(f.imports.iter().all(|(m, _)| m == "wasi_snapshot_preview1"));
    // The shim keeps the import's name and calls preview1's fd_seek.
    let shim = f.index("fd_seek");
    assert!(
        shim as usize >= f.imports.len(),
        "the shim is a local function"
    );
    assert_eq!(f.calls(shim), [4]);
    assert_eq!(f.name(4), "wasi_snapshot_preview1.fd_seek");
    // Only the body that calls fd_seek changed.
    let before = Functions::of(&input);
    let changed = (0..before.bodies.len())
        .filter(|&i| before.bodies[i] != f.bodies[i])
        .count();
    assert_eq!(changed, 1);
}

#[test]
fn the_whence_shim_renumbers_0_1_2_and_nothing_else() {
    let (_, output) = adapted("unstable_seek");
    let f = Functions::of(&output);
    let ops = f.operators(f.index("fd_seek"));
    // (whence + 1) % 3 when whence < 3, else whence.
    let text = format!("{ops:?}");
    for wanted in ["I32Add", "I32RemU", "I32LtU", "Select"] {
        assert!(text.contains(wanted), "{text}");
    }
    let whence = |w: u32| if w < 3 { (w + 1) % 3 } else { w };
    assert_eq!([whence(0), whence(1), whence(2), whence(3)], [1, 2, 0, 3]);
}

#[test]
fn function_indices_still_name_the_same_functions() {
    let (input, output) = adapted("adapt_indices");
    let (before, after) = (Functions::of(&input), Functions::of(&output));
    for name in ["raise", "before", "fd_seek"] {
        assert_ne!(before.index(name), after.index(name), "{name} moved");
    }

    // The start function, exports and table entries name the same functions…
    assert_eq!(after.name(after.start.unwrap()), "init");
    assert_eq!(after.name(after.exports["seven"]), "seven");
    let names = |f: &Functions<'_>| -> Vec<String> {
        f.elements.iter().map(|&i| f.name(i).to_owned()).collect()
    };
    assert_eq!(names(&before), names(&after));
    assert_eq!(
        names(&after),
        ["seven", "eight", "raise", "nine", "before", "seek_id"]
    );
    // …whose bodies are the originals (those without calls are byte for byte)…
    for name in ["init", "seven", "eight", "nine"] {
        assert_eq!(before.body_named(name), after.body_named(name), "{name}");
    }
    // …and calls go to the function of the same name.
    for name in ["seek_id", "_start"] {
        let call_names = |f: &Functions<'_>| -> Vec<String> {
            let index = if name == "_start" {
                f.exports["_start"]
            } else {
                f.index(name)
            };
            f.calls(index)
                .iter()
                .map(|&i| f.name(i).to_owned())
                .collect()
        };
        assert_eq!(call_names(&before), call_names(&after), "{name}");
    }
    // The replaced imports are local functions now, under their old names.
    for name in ["raise", "before", "fd_seek"] {
        assert!(after.index(name) as usize >= after.imports.len(), "{name}");
    }
}

#[test]
fn enosys_stubs_return_52() {
    let (_, output) = adapted("preview1_missing");
    let f = Functions::of(&output);
    for name in ["proc_raise", "set_rights", "old_raise"] {
        let ops = f.operators(f.index(name));
        assert!(
            matches!(ops[..], [Operator::I32Const { value: 52 }, Operator::End]),
            "{name}: {ops:?}"
        );
    }
    // Nothing else was needed: no scratch; the freed slots import an inert function.
    let imports: Vec<&str> = f.imports.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        imports,
        [
            "fd_write",
            "proc_exit",
            "sched_yield",
            "sched_yield",
            "sched_yield"
        ]
    );
    assert_eq!(
        f.bodies.len(),
        Functions::of(&common::wat("preview1_missing")).bodies.len() + 3
    );
}

#[test]
fn stubs_carry_their_message_and_exit_with_134() {
    let (_, output) = adapted("unknown_called");
    for message in [
        "rw: prog.wasm called unsupported import env.now\n",
        "rw: prog.wasm called unsupported import env.js_callback\n",
    ] {
        assert!(
            output
                .windows(message.len())
                .any(|w| w == message.as_bytes()),
            "{message:?} missing"
        );
    }
    let f = Functions::of(&output);
    let ops = f.operators(f.index("now"));
    let fd_write = f.imports.iter().position(|(_, n)| n == "fd_write").unwrap() as u32;
    let proc_exit = f
        .imports
        .iter()
        .position(|(_, n)| n == "proc_exit")
        .unwrap() as u32;
    let text = format!("{ops:?}");
    assert!(text.contains("MemoryInit"), "{text}");
    assert!(f.calls(f.index("now")).contains(&fd_write));
    let tail = &ops[ops.len() - 4..];
    assert!(
        matches!(
            tail,
            [
                Operator::I32Const { value: 134 },
                Operator::Call { function_index },
                Operator::Unreachable,
                Operator::End
            ] if *function_index == proc_exit
        ),
        "{tail:?}"
    );
    // The module's own preview1 fd_write was reused; proc_exit came from wasi_unstable.
    assert_eq!(f.imports.iter().filter(|(_, n)| n == "fd_write").count(), 1);
}

#[test]
fn unknown_imports_need_the_option_and_only_functions_can_be_stubbed() {
    let refused = changes_of(&common::wat("unknown_imports"), false).unwrap_err();
    let AdaptError::Unsupported { imports } = &refused else {
        panic!("{refused:?}");
    };
    let names: Vec<&str> = imports.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["js_callback", "now"]);
    assert!(imports.iter().all(|b| b.kind == "function"), "{refused:?}");

    let global = wat::parse_str(
        r#"(module (import "env" "g" (global i32)) (import "env" "t" (table 1 funcref))
           (import "env" "f" (func)) (memory (export "memory") 1) (func (export "_start")))"#,
    )
    .unwrap();
    let refused = changes_of(&global, true).unwrap_err();
    let AdaptError::Unsupported { imports } = &refused else {
        panic!("{refused:?}");
    };
    let blocked: Vec<(&str, &str)> = imports.iter().map(|b| (b.name.as_str(), b.kind)).collect();
    assert_eq!(blocked, [("g", "global"), ("t", "table")]);
}

#[test]
fn a_module_that_links_needs_no_changes() {
    for program in ["hello", "threads", "args"] {
        let bytes = common::program(program);
        assert_eq!(changes_of(&bytes, true), Ok(vec![]), "{program}");
        assert_eq!(adapt(&bytes, &options(true)), Ok(None), "{program}");
    }
}

#[test]
fn repointing_alone_copies_the_code_section_as_it_is() {
    let input = common::wat("wasi_unstable");
    let output = adapt(&input, &options(false)).unwrap().unwrap();
    validate(&output);
    let code = |bytes: &[u8]| -> Vec<u8> {
        Parser::new(0)
            .parse_all(bytes)
            .find_map(|p| match p.unwrap() {
                Payload::CodeSectionStart {
                    unchecked_range, ..
                } => Some(
                    bytes[unchecked_range.start as usize..unchecked_range.end as usize].to_vec(),
                ),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(code(&input), code(&output));
    // Only the module name changed: "wasi_snapshot_preview1" is 9 bytes longer; and the
    // marker every adapted module gets (`rw.errnos`, an empty custom section of 12 bytes).
    assert_eq!(output.len(), input.len() + 9 + 12);
}

#[test]
fn a_memory_imported_under_another_name_is_imported_as_env_memory() {
    let input = common::wat("memory_renamed");
    let changes = changes_of(&input, false).unwrap();
    let memory = Change {
        module: "foo".into(),
        name: "bar".into(),
        action: Action::Memory,
    };
    assert_eq!(changes, std::slice::from_ref(&memory));
    assert!(memory.for_linking());
    let output = adapt(&input, &options(false)).unwrap().unwrap();
    validate(&output);
    let (before, after) = (
        ModuleInfo::read(&input).unwrap(),
        ModuleInfo::read(&output).unwrap(),
    );
    let names = |m: &ModuleInfo<'_>| -> Vec<(String, String)> {
        m.imports
            .iter()
            .map(|i| (i.module.to_owned(), i.name.to_owned()))
            .collect()
    };
    let mut expected = names(&before);
    expected[0] = ("env".into(), "memory".into());
    assert_eq!(names(&after), expected);
    // The same memory type, and no other import moved: the code is copied as it is.
    assert_eq!(
        after.memory_import().unwrap().1,
        before.memory_import().unwrap().1
    );
    assert_eq!(after.imports[1..], before.imports[1..]);
    // Adapted again, it needs nothing.
    assert_eq!(changes_of(&output, false), Ok(vec![]));
}

#[test]
fn only_the_first_memory_links_under_another_name() {
    let module = |second: &str| {
        wat::parse_str(format!(
            r#"(module (import "a" "m" (memory 1)) (import {second} (memory 1))
               (func (export "_start")))"#
        ))
        .unwrap()
    };
    let refused = changes_of(&module(r#""b" "m""#), false).unwrap_err();
    let AdaptError::Unsupported { imports } = &refused else {
        panic!("{refused:?}");
    };
    let blocked: Vec<(&str, &str, &str)> = imports
        .iter()
        .map(|b| (b.module.as_str(), b.name.as_str(), b.kind))
        .collect();
    assert_eq!(blocked, [("b", "m", "memory")]);
    // A later env.memory links as it always did.
    let changes = changes_of(&module(r#""env" "memory""#), false).unwrap();
    let renamed: Vec<(&str, Action)> = changes
        .iter()
        .map(|c| (c.module.as_str(), c.action))
        .collect();
    assert_eq!(renamed, [("a", Action::Memory)]);
}

#[test]
fn shims_refuse_an_import_with_another_type() {
    let bytes = wat::parse_str(
        r#"(module (import "wasi_unstable" "fd_seek" (func (param i32 i32 i32 i32) (result i32)))
           (memory (export "memory") 1) (func (export "_start")))"#,
    )
    .unwrap();
    let err = changes_of(&bytes, false).unwrap_err();
    assert_eq!(
        err,
        AdaptError::Signature {
            module: "wasi_unstable".into(),
            name: "fd_seek".into(),
            found: "(i32, i32, i32, i32) -> (i32)".into(),
            expected: "(i32, i64, i32, i32) -> (i32)".into(),
        }
    );
}

#[test]
fn scratch_needs_a_32_bit_memory() {
    let no_memory = wat::parse_str(
        r#"(module (import "wasi_unstable" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32)))
           (func (export "_start")))"#,
    )
    .unwrap();
    assert!(!changes_of(&no_memory, false).unwrap().is_empty());
    assert_eq!(
        adapt(&no_memory, &options(false)),
        Err(AdaptError::NoMemory)
    );
    // fd_seek and ENOSYS stubs need no scratch.
    let seek_only = wat::parse_str(
        r#"(module (import "wasi_unstable" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
           (import "wasi_snapshot_preview1" "proc_raise" (func (param i32) (result i32)))
           (func (export "_start")))"#,
    )
    .unwrap();
    let output = adapt(&seek_only, &options(false)).unwrap().unwrap();
    validate(&output);
}

#[test]
fn sections_the_module_lacks_are_added_in_order() {
    // Only imports and an export: no function, global, code or data section.
    let bytes = wat::parse_str(
        r#"(module (import "env" "memory" (memory 1 1 shared))
           (import "env" "main" (func $main))
           (export "_start" (func $main)))"#,
    )
    .unwrap();
    let output = adapt(&bytes, &options(true)).unwrap().unwrap();
    validate(&output);
    let f = Functions::of(&output);
    assert_eq!(f.imports.len(), 2, "fd_write and proc_exit");
    assert_eq!(f.bodies.len(), 2, "the stub and the scratch helper");
    assert_eq!(f.exports["_start"], 2);
    // A shared memory with no room to grow: the stub still validates; at run time it
    // skips the message and just exits.
}

#[test]
fn return_call_ref_func_and_names_follow_their_functions() {
    let bytes = wat::parse_str(
        r#"(module
             (import "env" "gone" (func $gone))
             (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
             (memory (export "memory") 1)
             (table 2 funcref)
             (global $fp funcref (ref.func $target))
             (elem declare func $target $gone)
             (func $target (result i32) (i32.const 5))
             (func $tail (result i32) (return_call $target))
             (func (export "_start") (local $f funcref)
               (local.set $f (ref.func $gone))
               (call $gone)
               (drop (call $tail))))"#,
    )
    .unwrap();
    let output = adapt(&bytes, &options(true)).unwrap().unwrap();
    validate(&output);
    let f = Functions::of(&output);
    let tail = f.operators(f.index("tail"));
    let target = f.index("target");
    assert!(
        matches!(tail[0], Operator::ReturnCall { function_index } if function_index == target),
        "{tail:?}"
    );
    let start = f.operators(f.exports["_start"]);
    let gone = f.index("gone");
    assert!(start
        .iter()
        .any(|op| matches!(op, Operator::RefFunc { function_index } if *function_index == gone)));
    assert!(start
        .iter()
        .any(|op| matches!(op, Operator::Call { function_index } if *function_index == gone)));
}

#[test]
fn code_of_every_feature_rw_programs_use_is_rewritten() {
    // SIMD (with relaxed SIMD), threads' atomics, bulk memory, reference types, tail
    // calls, exceptions and GC around calls to a stubbed import.
    let bytes = wat::parse_str(
        r#"(module
          (type $t (func (param i32) (result i32)))
          (type $s (struct (field i32)))
          (import "env" "f" (func $f (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
          (memory (export "memory") 1 1 shared)
          (table 2 funcref)
          (tag $e (param i32))
          (elem declare func $g $f)
          (data "x")
          (func $g (param i32) (result i32)
            (block $b (result i32)
              (loop $l
                (br_if $l (i32.eqz (call $f (local.get 0))))
                (br_table $l $l $l (i32.const 300)))
              (i32.const -1000000))
            (if (result i32) (i32.const 1)
              (then (call $f (i32.const 2)))
              (else (call_indirect (type $t) (i32.const 3) (i32.const 1))))
            drop
            (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))
            (drop (ref.func $f))
            (drop (ref.null func))
            (drop (f64.const 2.5))
            (drop (i32.load offset=70000 align=2 (i32.const 0)))
            (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))
            (data.drop 0)
            (memory.fill (i32.const 0) (i32.const 1) (i32.const 1))
            (drop (i32.trunc_sat_f32_s (f32.const 1)))
            (drop (i32x4.extract_lane 3 (v128.const i32x4 1 2 3 4)))
            (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
              (v128.load offset=16 (i32.const 0)) (v128.load8_splat (i32.const 0))))
            (drop (v128.load32_lane 1 (i32.const 0) (v128.const i64x2 0 0)))
            (drop (i32x4.relaxed_trunc_f32x4_s (v128.const f32x4 0 0 0 0)))
            (drop (i32.atomic.rmw.add offset=8 (i32.const 0) (i32.const 1)))
            (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
            (atomic.fence)
            (block $caught (result i32)
              (block $any
                (try_table (catch $e $caught) (catch_all $any) (drop (call $f (i32.const 9)))))
              (i32.const 0))
            drop
            (drop (struct.new $s (call $f (i32.const 11))))
            (return_call $f (i32.const 4)))
          (func (export "_start") (drop (call $g (i32.const 0)))))"#,
    )
    .unwrap();
    validate(&bytes);
    let output = adapt(&bytes, &options(true)).unwrap().unwrap();
    validate(&output);
    let f = Functions::of(&output);
    let (g, stub) = (f.index("g"), f.index("f"));
    assert_eq!(f.calls(g), [stub; 4]);
    let ops = f.operators(g);
    assert!(ops
        .iter()
        .any(|op| matches!(op, Operator::RefFunc { function_index } if *function_index == stub)));
    assert!(ops.iter().any(
        |op| matches!(op, Operator::ReturnCall { function_index } if *function_index == stub)
    ));
    assert_eq!(f.calls(f.exports["_start"]), [g]);
}

#[test]
fn padded_indices_are_rewritten_too() {
    // Linkers pad relocated indices to five bytes: `call 2` as 0x10 0x82 0x80 0x80 0x80 0x00.
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, MemorySection, MemoryType, Module, TypeSection, ValType,
    };
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([], []);
    types.ty().function([ValType::I32; 4], [ValType::I32]);
    types.ty().function([ValType::I32], []);
    module.section(&types);
    // The stub's fd_write and proc_exit are there, so no index but env.gone's moves.
    let mut imports = ImportSection::new();
    imports.import(
        "wasi_snapshot_preview1",
        "fd_write",
        EntityType::Function(1),
    );
    imports.import(
        "wasi_snapshot_preview1",
        "proc_exit",
        EntityType::Function(2),
    );
    imports.import("env", "gone", EntityType::Function(0));
    module.section(&imports);
    let mut functions = FunctionSection::new();
    functions.function(0);
    module.section(&functions);
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    module.section(&memories);
    let mut exports = ExportSection::new();
    exports.export("_start", ExportKind::Func, 3);
    module.section(&exports);
    let mut code = CodeSection::new();
    let mut start = Function::new([]);
    start.raw([0x10, 0x82, 0x80, 0x80, 0x80, 0x00, 0x0b]);
    code.function(&start);
    module.section(&code);
    let input = module.finish();
    validate(&input);

    let output = adapt(&input, &options(true)).unwrap().unwrap();
    validate(&output);
    let f = Functions::of(&output);
    assert_eq!(f.exports["_start"], 3, "the module's own functions stay");
    // The stub comes right after the module's own function.
    assert_eq!(f.calls(3), [4]);
}

#[test]
fn code_that_does_not_decode_fails_only_where_a_body_must_change() {
    let module = |calls_f: bool| {
        let mut bytes = wat::parse_str(format!(
            r#"(module
                 (import "env" "f" (func $f))
                 (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                 (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                 (memory (export "memory") 1)
                 (func (export "_start")
                   {}
                   (unreachable)))"#,
            if calls_f { "(call $f)" } else { "" }
        ))
        .unwrap();
        // 0xff is no opcode (yet): make the `unreachable` before the body's `end` one.
        let end =
            Functions::of(&bytes).bodies[0].as_ptr_range().end as usize - bytes.as_ptr() as usize;
        assert_eq!(bytes[end - 2..end], [0x00, 0x0b]);
        bytes[end - 2] = 0xff;
        bytes
    };
    // Code that needs no change is copied as it is…
    let input = module(false);
    let output = adapt(&input, &options(true)).unwrap().unwrap();
    assert_eq!(
        Functions::of(&input).bodies,
        Functions::of(&output).bodies[..1]
    );
    // …but the adapter does not rewrite what it cannot read.
    let err = adapt(&module(true), &options(true)).unwrap_err();
    assert!(matches!(err, AdaptError::Instructions { .. }), "{err:?}");
}

#[test]
fn stale_debug_sections_go_when_the_code_changes() {
    let mut bytes = common::wat("preview1_missing");
    wasm_custom(&mut bytes, ".debug_info", b"offsets");
    wasm_custom(&mut bytes, "producers-like", b"kept");
    let output = adapt(&bytes, &options(false)).unwrap().unwrap();
    let custom = Functions::of(&output).custom;
    assert!(!custom.iter().any(|c| c == ".debug_info"), "{custom:?}");
    assert!(custom.iter().any(|c| c == "producers-like"), "{custom:?}");
    assert!(custom.iter().any(|c| c == "name"), "{custom:?}");
}

/// Appends a custom section.
fn wasm_custom(bytes: &mut Vec<u8>, name: &str, data: &[u8]) {
    let mut content = vec![name.len() as u8];
    content.extend_from_slice(name.as_bytes());
    content.extend_from_slice(data);
    bytes.push(0);
    bytes.push(content.len() as u8);
    bytes.extend_from_slice(&content);
}

#[test]
fn explain_says_one_line_per_change_grouped() {
    let changes = changes_of(&common::wat("adapt_indices"), true).unwrap();
    let text = explain(&changes);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), changes.len());
    assert_eq!(
        lines,
        [
            "wasi_unstable.fd_write: imported from wasi_snapshot_preview1 instead (same ABI)",
            "wasi_unstable.proc_exit: imported from wasi_snapshot_preview1 instead (same ABI)",
            "wasi_unstable.fd_seek: shim: renumbers whence (snapshot 0 has CUR=0, END=1, SET=2) and calls wasi_snapshot_preview1.fd_seek",
            "wasi_snapshot_preview1.proc_raise: returns ENOSYS (52): the WASM WASI Core does not provide it",
            "env.before: stub: if called, prints 'rw: FILE called unsupported import env.before' and exits with 134",
        ]
    );
}

/// Every module in tests/fixtures/wasm/ (our Rust programs and the assembled .wat).
fn all_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm");
    let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}; run scripts/build-fixtures.sh", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "wasm"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    all.sort();
    assert!(
        all.len() >= NEW_FIXTURES.len(),
        "build the fixtures: scripts/build-fixtures.sh"
    );
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the options, an adapted fixture validates, links, and adapting it
    /// again changes nothing.
    #[test]
    fn adapting_is_idempotent(
        which in any::<prop::sample::Index>(),
        stub in any::<bool>(),
        file in "\\PC{0,40}",
        mask in proptest::option::of(0..8u8),
    ) {
        let fixtures = all_fixtures();
        let (name, bytes) = &fixtures[which.index(fixtures.len())];
        let options = AdaptOptions { stub_unknown_imports: stub, file, terminals: mask.map(not_terminals) };
        if ModuleInfo::read(bytes).is_err() {
            return Ok(()); // a component: not ours to adapt
        }
        let validates = Validator::new_with_features(WasmFeatures::default()).validate_all(bytes).is_ok();
        match adapt(bytes, &options) {
            Ok(None) => prop_assert_eq!(changes(bytes, &options), Ok(vec![])),
            Ok(Some(output)) => {
                if validates {
                    let valid = Validator::new_with_features(WasmFeatures::default()).validate_all(&output);
                    prop_assert!(valid.is_ok(), "{}: {:?}", name, valid.err());
                }
                prop_assert_eq!(adapt(&output, &options), Ok(None), "{}", name);
                prop_assert_eq!(adapt(&output, &AdaptOptions::default()), Ok(None), "{}", name);
            }
            Err(err) => {
                // Only unknown imports without the option are refused among our fixtures.
                prop_assert!(!stub, "{}: {}", name, err);
                let is_unsupported = matches!(err, AdaptError::Unsupported { .. });
                prop_assert!(is_unsupported, "{}: {}", name, err);
            }
        }
    }
}

#[test]
fn the_shifted_fixture_appends_what_its_stub_needs() {
    let (_, output) = adapted("unknown_shifted");
    let f = Functions::of(&output);
    let imports: Vec<&str> = f.imports.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(imports, ["fd_write", "proc_exit"]);
    let names: Vec<&str> = f.elements.iter().map(|&i| f.name(i)).collect();
    assert_eq!(names, ["twice", "f"]);
    assert_eq!(f.name(f.start.unwrap()), "init");
}

#[test]
fn the_shifted_layout_moves_every_index_consistently() {
    // One unknown import, and neither fd_write nor proc_exit to reuse: the stub needs
    // two imports but only one slot is freed, so the module's functions move.
    let input = wat::parse_str(
        r#"(module
             (import "env" "f" (func $f (param i32) (result i32)))
             (memory (export "memory") 1)
             (table 3 funcref)
             (elem (i32.const 0) func $one $f $two)
             (global $g (mut i32) (i32.const 0))
             (start $init)
             (func $init (global.set $g (i32.const 1)))
             (func $one (param i32) (result i32) (i32.const 1))
             (func $two (param i32) (result i32) (call $one (call $f (local.get 0))))
             (func (export "_start") (drop (call $two (i32.const 0)))))"#,
    )
    .unwrap();
    let output = adapt(&input, &options(true)).unwrap().unwrap();
    validate(&output);
    let (before, after) = (Functions::of(&input), Functions::of(&output));
    let imports: Vec<&str> = after.imports.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(imports, ["fd_write", "proc_exit"]);
    assert_eq!(
        before.index("one") + 1,
        after.index("one"),
        "shifted by one"
    );
    assert_eq!(after.name(after.start.unwrap()), "init");
    let names: Vec<&str> = after.elements.iter().map(|&i| after.name(i)).collect();
    assert_eq!(names, ["one", "f", "two"]);
    let calls: Vec<&str> = after
        .calls(after.index("two"))
        .iter()
        .map(|&i| after.name(i))
        .collect();
    assert_eq!(calls, ["f", "one"]);
    assert_eq!(after.name(after.calls(after.exports["_start"])[0]), "two");
    for name in ["init", "one"] {
        assert_eq!(before.body_named(name), after.body_named(name), "{name}");
    }
}

/// Adapts a module in which `calling` of every 1000 functions call the replaced import
/// and checks the output validates; prints how long adapting took. Release builds use
/// about 16 MB of code (`cargo test --release --test adapt big -- --nocapture`); debug
/// builds, 20-100 times slower, a tenth of it. How fast is `scripts/bench.sh`'s job
/// (ratios against `WebAssembly.compile`, side by side in one run), not a test's.
fn adapt_big_module(calling: u32) {
    let functions = if cfg!(debug_assertions) {
        2_000
    } else {
        20_000
    };
    let bytes = big_module(functions, 47, calling);
    let started = std::time::Instant::now();
    let output = adapt(&bytes, &options(true)).unwrap().unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "adapted {} bytes, {calling}/1000 functions calling the replaced import, in {elapsed:?} ({} build)",
        bytes.len(),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    validate(&output);
    if let Ok(dir) = std::env::var("RW_ADAPT_DUMP") {
        std::fs::write(format!("{dir}/big-{calling}.wasm"), &bytes).unwrap();
    }
}

#[test]
fn adapting_a_big_module_gives_a_valid_one() {
    // Only the bodies that may call a replaced import are decoded and rewritten; the
    // rest of the code is copied as it is: both paths, few callers and all.
    adapt_big_module(1);
    adapt_big_module(1000);
}

/// `functions` functions of `calls` call groups each; each calls its neighbour and,
/// in `calling` of every 1000 functions, the replaced import `proc_raise`.
fn big_module(functions: u32, calls: u32, calling: u32) -> Vec<u8> {
    use wasm_encoder::*;
    let mut module = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([ValType::I32], []);
    module.section(&types);
    let mut imports = ImportSection::new();
    imports.import(
        "wasi_snapshot_preview1",
        "proc_raise",
        EntityType::Function(0),
    );
    imports.import("wasi_unstable", "proc_exit", EntityType::Function(1));
    module.section(&imports);
    let mut funcs = FunctionSection::new();
    for _ in 0..functions {
        funcs.function(0);
    }
    module.section(&funcs);
    let mut memory = MemorySection::new();
    memory.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    module.section(&memory);
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("_start", ExportKind::Func, 2);
    module.section(&exports);
    let mut code = CodeSection::new();
    for i in 0..functions {
        let mut f = Function::new([(1, ValType::I32)]);
        let mut sink = f.instructions();
        let calls_import = i % 1000 < calling;
        for _ in 0..calls {
            sink.local_get(0)
                .i32_const(12345)
                .i32_add()
                .call(2 + (i + 1) % functions)
                .local_set(1)
                .local_get(0)
                .call(if calls_import { 0 } else { 2 + i })
                .drop();
        }
        sink.local_get(1).end();
        code.function(&f);
    }
    module.section(&code);
    module.finish()
}

/// Terminals as crw reports them, from the mask of those that are not (bit `fd`).
fn not_terminals(mask: u8) -> Terminals {
    Terminals {
        stdin: mask & 1 == 0,
        stdout: mask & 2 == 0,
        stderr: mask & 4 == 0,
    }
}

fn isatty_options(mask: u8) -> AdaptOptions {
    AdaptOptions {
        terminals: Some(not_terminals(mask)),
        ..options(false)
    }
}

/// What a wrapper must be: call the import, and on success for a masked fd 0-2 store
/// filetype unknown (0) at the filetype's offset; return the errno.
fn wrapper_operators(import: u32, mask: u8, offset: u64) -> Vec<Operator<'static>> {
    let memarg = wasmparser::MemArg {
        align: 0,
        max_align: 0,
        offset,
        target: wasmparser::MemArgTarget::Memory(0),
        ordering: None,
    };
    vec![
        Operator::LocalGet { local_index: 0 },
        Operator::LocalGet { local_index: 1 },
        Operator::Call {
            function_index: import,
        },
        Operator::LocalTee { local_index: 2 },
        Operator::I32Eqz,
        Operator::If {
            blockty: wasmparser::BlockType::Empty,
        },
        Operator::LocalGet { local_index: 0 },
        Operator::I32Const { value: 3 },
        Operator::I32LtU,
        Operator::I32Const {
            value: i32::from(mask),
        },
        Operator::LocalGet { local_index: 0 },
        Operator::I32ShrU,
        Operator::I32Const { value: 1 },
        Operator::I32And,
        Operator::I32And,
        Operator::If {
            blockty: wasmparser::BlockType::Empty,
        },
        Operator::LocalGet { local_index: 1 },
        Operator::I32Const { value: 0 },
        Operator::I32Store8 { memarg },
        Operator::End,
        Operator::End,
        Operator::LocalGet { local_index: 2 },
        Operator::End,
    ]
}

/// The content of custom section `name`, if there is one.
fn custom_section(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    Parser::new(0)
        .parse_all(bytes)
        .find_map(|payload| match payload.unwrap() {
            Payload::CustomSection(reader) if reader.name() == name => Some(reader.data().to_vec()),
            _ => None,
        })
}

#[test]
fn isatty_wrappers_follow_each_mask_and_everything_else_stays() {
    for (fixture, input) in [
        ("isatty", common::program("isatty")),
        ("isatty_stat", common::wat("isatty_stat")),
    ] {
        let before = Functions::of(&input);
        for mask in 1..8u8 {
            let output = adapt(&input, &isatty_options(mask))
                .unwrap()
                .unwrap_or_else(|| panic!("{fixture}: not adapted"));
            validate(&output);
            let after = Functions::of(&output);
            assert_eq!(after.imports, before.imports, "{fixture}: the same imports");
            assert_eq!(
                after.bodies.len(),
                before.bodies.len() + 1 + (fixture == "isatty_stat") as usize
            );
            for (stat, offset) in [(Stat::Fdstat, 0), (Stat::Filestat, 16)] {
                let Some(import) = before.imports.iter().position(|(m, n)| {
                    (m.as_str(), n.as_str()) == ("wasi_snapshot_preview1", stat.name())
                }) else {
                    continue;
                };
                let import = import as u32;
                // The import's name follows its references, to the wrapper.
                let wrapper = after.index(before.name(import));
                assert_eq!(
                    after.operators(wrapper),
                    wrapper_operators(import, mask, offset),
                    "{fixture} {mask}"
                );
                // Every call of the import now calls the wrapper; only the wrapper calls it.
                for (i, body) in before.bodies.iter().enumerate() {
                    let index = (before.imports.len() + i) as u32;
                    let calls = before.calls(index);
                    let expected: Vec<u32> = calls
                        .iter()
                        .map(|&c| if c == import { wrapper } else { c })
                        .collect();
                    let mine: Vec<u32> = after.calls(index);
                    let of = |calls: &[u32], f| calls.iter().filter(|&&c| c == f).count();
                    assert_eq!(
                        of(&mine, wrapper),
                        of(&expected, wrapper),
                        "{fixture}: {index}"
                    );
                    assert_eq!(of(&mine, import), 0, "{fixture}: {index}");
                    if !calls.contains(&import) {
                        assert_eq!(after.bodies[i], *body, "{fixture}: untouched body {index}");
                    }
                }
            }
            assert_eq!(custom_section(&output, "rw.isatty"), Some(vec![mask]));
            for again in 0..8u8 {
                assert_eq!(
                    adapt(&output, &isatty_options(again)),
                    Ok(None),
                    "{fixture} {mask} {again}"
                );
            }
        }
    }
}

#[test]
fn isatty_wrappers_take_the_table_export_and_ref_func_references_too() {
    let input = common::wat("isatty_stat");
    let output = adapt(&input, &isatty_options(0b010)).unwrap().unwrap();
    let f = Functions::of(&output);
    let fdstat = f.index("fdstat");
    let filestat = f.index("filestat");
    assert_eq!(f.elements, [fdstat]);
    assert_eq!(f.exports["fdstat"], fdstat);
    let global = Parser::new(0)
        .parse_all(&output)
        .find_map(|payload| match payload.unwrap() {
            Payload::GlobalSection(reader) => Some(reader.into_iter().next().unwrap().unwrap()),
            _ => None,
        });
    let mut init = global.unwrap().init_expr.get_operators_reader();
    assert_eq!(
        init.read().unwrap(),
        Operator::RefFunc {
            function_index: filestat
        }
    );
    // The imports keep their indices; the wrappers took the module's names for them.
    assert_eq!(
        (f.name(0), f.name(1)),
        (
            "wasi_snapshot_preview1.fd_fdstat_get",
            "wasi_snapshot_preview1.fd_filestat_get"
        )
    );
    assert!(fdstat > 2 && filestat > 2);
}

#[test]
fn isatty_needs_a_stream_that_is_not_a_terminal() {
    // No terminals (the Web Shell) or all three: the adapter's answer is as before, and
    // its output byte for byte the same.
    let all = AdaptOptions {
        terminals: Some(not_terminals(0)),
        ..options(true)
    };
    for (name, bytes) in all_fixtures() {
        if ModuleInfo::read(&bytes).is_err() {
            continue;
        }
        let without = changes(&bytes, &options(true));
        assert_eq!(changes(&bytes, &all), without, "{name}");
        if matches!(without, Ok(ref c) if c.iter().all(|c| !matches!(c.action, Action::Isatty(_))))
        {
            assert_eq!(adapt(&bytes, &all), adapt(&bytes, &options(true)), "{name}");
        }
    }
    assert_eq!(adapt(&common::program("isatty"), &options(false)), Ok(None));
}

#[test]
fn isatty_wraps_wasi_unstable_fd_fdstat_get_and_repoints_it_in_one() {
    let input = wat::parse_str(
        r#"(module
             (import "wasi_unstable" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
             (import "wasi_unstable" "proc_exit" (func (param i32)))
             (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $p1 (param i32 i32) (result i32)))
             (memory (export "memory") 1)
             (func (export "_start")
               (drop (call $fdstat (i32.const 1) (i32.const 0)))
               (drop (call $p1 (i32.const 1) (i32.const 0)))))"#,
    )
    .unwrap();
    let actions: Vec<Action> = changes_of_with(&input, &isatty_options(0b110))
        .into_iter()
        .map(|c| c.action)
        .collect();
    let wrap = Action::Isatty(Isatty {
        stat: Stat::Fdstat,
        not_terminals: 0b110,
    });
    assert_eq!(actions, [wrap, Action::Repoint, wrap]);
    let output = adapt(&input, &isatty_options(0b110)).unwrap().unwrap();
    validate(&output);
    let f = Functions::of(&output);
    assert!(
        f.imports.iter().all(|(m, _)| m == "wasi_snapshot_preview1"),
        "{:?}",
        f.imports
    );
    let calls = f.calls(f.exports["_start"]);
    assert_eq!(calls, [f.index("fdstat"), f.index("p1")]);
    assert!(calls.iter().all(|c| *c >= 3), "{calls:?}: wrappers");
    assert_eq!(f.operators(calls[0]), f.operators(calls[1]));
    assert_eq!(adapt(&output, &isatty_options(0b110)), Ok(None));
}

#[test]
fn isatty_corrects_wasi_unstable_fd_filestat_get_after_its_shim() {
    let input = common::wat("unstable_filestat");
    let plain = adapt(&input, &options(false)).unwrap().unwrap();
    let output = adapt(&input, &isatty_options(0b100)).unwrap().unwrap();
    validate(&output);
    let shim = |bytes| {
        let f = Functions::of(bytes);
        f.operators(f.index("fd_filestat_get"))
    };
    let (plain, corrected) = (shim(&plain), shim(&output));
    // The shim as it was up to its final `i32.const 0; end`, then the correction.
    let at = plain.len() - 2;
    assert_eq!(corrected[..at], plain[..at]);
    assert_eq!(corrected[corrected.len() - 2..], plain[at..]);
    let correction = &corrected[at..corrected.len() - 2];
    assert!(
        correction.contains(&Operator::I32Const { value: 0b100 }),
        "{correction:?}"
    );
    assert!(
        correction
            .iter()
            .any(|op| matches!(op, Operator::I32Store8 { memarg } if memarg.offset == 16)),
        "{correction:?}"
    );
    assert_eq!(adapt(&output, &isatty_options(0b100)), Ok(None));
}

#[test]
fn isatty_leaves_an_odd_signature_alone_and_needs_a_memory() {
    let odd = wat::parse_str(
        r#"(module
             (import "wasi_snapshot_preview1" "fd_fdstat_get" (func (param i32) (result i32)))
             (memory (export "memory") 1)
             (func (export "_start")))"#,
    )
    .unwrap();
    assert_eq!(changes_of_with(&odd, &isatty_options(7)), []);
    let no_memory = wat::parse_str(
        r#"(module
             (import "wasi_snapshot_preview1" "fd_fdstat_get" (func (param i32 i32) (result i32)))
             (func (export "_start")))"#,
    )
    .unwrap();
    assert_eq!(
        adapt(&no_memory, &isatty_options(7)),
        Err(AdaptError::NoMemory)
    );
}

#[test]
fn explain_says_which_streams_isatty_is_false_for() {
    let changes = changes_of_with(&common::wat("isatty_stat"), &isatty_options(0b011));
    assert_eq!(
        explain(&changes).lines().collect::<Vec<_>>(),
        [
            "wasi_snapshot_preview1.fd_fdstat_get: isatty: calls wasi_snapshot_preview1.fd_fdstat_get and reports stdin and stdout, not terminals here, as filetype unknown instead of character_device, so isatty() is false for them",
            "wasi_snapshot_preview1.fd_filestat_get: isatty: calls wasi_snapshot_preview1.fd_filestat_get and reports stdin and stdout, not terminals here, as filetype unknown instead of character_device, so isatty() is false for them",
        ]
    );
    assert!(changes.iter().all(|c| !c.for_linking()));
}

fn changes_of_with(bytes: &[u8], options: &AdaptOptions) -> Vec<Change> {
    changes(bytes, options).unwrap()
}
