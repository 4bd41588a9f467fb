//! The run plan for real modules: what the Core is given, and every refusal.

mod common;

use rw_core::cli::{parse, parse_crw, Command};
use rw_core::message::ExitLine;
use rw_core::message::{EXIT_CANNOT_EXECUTE, EXIT_USAGE};
use rw_core::plan::{Decision, MemoryDescriptor};

/// A decision as the extension receives it: the report rendered, the refusal said.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Refuse(ExitLine),
    Print {
        text: String,
    },
    Run {
        memory: Option<MemoryDescriptor>,
        module: Option<Vec<u8>>,
    },
}

fn plan(request: &RunRequest, bytes: &[u8]) -> Plan {
    match rw_core::plan::plan(request, bytes) {
        Decision::Refuse(message) => Plan::Refuse(ExitLine::from(&message)),
        Decision::Print(report) => Plan::Print {
            text: rw_core::explain::render(&report),
        },
        Decision::Run { memory, module, .. } => Plan::Run { memory, module },
    }
}
use rw_core::request::{RunRequest, Terminals};

/// The request for a command line typed in the Web Shell in /workspace.
fn request(line: &str) -> RunRequest {
    let words: Vec<String> = line.split(' ').map(String::from).collect();
    match parse(&words, "/workspace") {
        Command::Run(request) => request,
        other => panic!("{line}: {other:?}"),
    }
}

fn memory_of(plan: Plan) -> Option<MemoryDescriptor> {
    match plan {
        Plan::Run { memory, .. } => memory,
        other => panic!("expected a run, got {other:?}"),
    }
}

/// The module a run hands to the Core: `None` when the bytes go as read.
fn module_of(plan: Plan) -> Option<Vec<u8>> {
    match plan {
        Plan::Run { module, .. } => module,
        other => panic!("expected a run, got {other:?}"),
    }
}

fn printed(plan: Plan) -> String {
    match plan {
        Plan::Print { text } => text,
        other => panic!("expected text to print, got {other:?}"),
    }
}

/// The refusal's exit code and line.
fn refusal(plan: Plan) -> (i32, String) {
    match plan {
        Plan::Refuse(said) => (said.code, said.line),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_wasip1_program_runs_with_its_memory_shared_with_rw_and_its_traps_caught() {
    let plan = plan(&request("hello.wasm"), &common::program("hello"));
    let Plan::Run { memory, module } = plan else {
        panic!("expected a run")
    };
    // Its own memory's limits, shared so that rw can watch it (adapt/watch.rs); a shared
    // memory needs a maximum, so all a 32-bit memory can be.
    assert_eq!(
        memory,
        Some(MemoryDescriptor {
            initial: 17,
            maximum: Some(65536),
            shared: true
        })
    );
    assert!(module.is_some(), "the traps are caught");
}

#[test]
fn a_module_with_nothing_to_change_goes_as_read() {
    // No fd_write for a trap's line, and data where the watch word would go.
    let bytes = wat::parse_str(
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
           (memory (export "memory") 1) (data (i32.const 0) "x") (func (export "_start")))"#,
    )
    .unwrap();
    let is_plain_run = matches!(
        plan(&request("p.wasm"), &bytes),
        Plan::Run {
            memory: None,
            module: None
        }
    );
    assert!(is_plain_run);
}

#[test]
fn a_threads_program_gets_exactly_the_memory_it_imports() {
    let plan = plan(&request("threads.wasm"), &common::program("threads"));
    let memory = memory_of(plan).expect("threads imports memory");
    // The limits rustc's wasm32-wasip1-threads target writes into the import.
    assert_eq!(
        memory,
        MemoryDescriptor {
            initial: 17,
            maximum: Some(16384),
            shared: true
        }
    );
}

#[test]
fn a_threads_module_importing_its_memory_under_another_name_runs_with_it_as_env_memory() {
    let bytes = common::wat("memory_renamed");
    let Plan::Run { memory, module } = plan(&request("renamed.wasm"), &bytes) else {
        panic!("it runs");
    };
    assert_eq!(
        memory,
        Some(MemoryDescriptor {
            initial: 1,
            maximum: Some(1),
            shared: true
        })
    );
    let module = module.expect("the import is renamed");
    let info = rw_core::module::ModuleInfo::read(&module).unwrap();
    let (import, _) = info.memory_import().unwrap();
    assert_eq!((import.module, import.name), ("env", "memory"));

    // The listing shows the module's own names, and what rw does to them.
    let text = printed(plan(
        &request("--print-imports-exports renamed.wasm"),
        &bytes,
    ));
    assert!(
        text.starts_with(
            "import: foo bar memory
"
        ),
        "{text}"
    );
    assert!(text.ends_with("adapt: foo.bar: imported as env.memory instead, the only name the WASM WASI Core links a memory by (wasi-threads fixes none)\n"), "{text}");
    let text = printed(plan(&request("--explain renamed.wasm"), &bytes));
    assert!(
        text.contains(
            "memory: imports foo.bar (1..1 pages, shared); rw gives initial 1, maximum 1, shared true\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\nadapt: foo.bar: imported as env.memory instead"),
        "{text}"
    );
    assert!(!text.contains("imports: all linked"), "{text}");
    assert!(text.contains("\nrun: yes\n"), "{text}");
}

#[test]
fn memory_flags_win_within_what_the_import_allows() {
    let request = request("--memory-initial=20 --memory-maximum 160 threads.wasm");
    let memory = memory_of(plan(&request, &common::program("threads")));
    assert_eq!(
        memory,
        Some(MemoryDescriptor {
            initial: 20,
            maximum: Some(160),
            shared: true
        })
    );
}

#[test]
fn memory_flags_that_cannot_link_are_refused_with_the_limit() {
    let threads = common::program("threads");
    let cases = [
        ("--memory-initial=10 threads.wasm", "at least 17 pages"),
        ("--memory-maximum=20000 threads.wasm", "at most 16384 pages"),
        (
            "--memory-shared=false threads.wasm",
            "--memory-shared=false cannot link",
        ),
        (
            "--memory-initial=200 --memory-maximum=100 threads.wasm",
            "below the initial 200",
        ),
    ];
    for (line, expected) in cases {
        let (code, said) = refusal(plan(&request(line), &threads));
        assert_eq!(code, EXIT_USAGE, "{line}");
        assert!(said.starts_with("rw: threads.wasm: "), "{said}");
        assert!(said.contains(expected), "{line}: {said}");
    }
}

#[test]
fn memory_flags_are_ignored_for_a_module_with_its_own_memory() {
    let flagged = request("--memory-initial=1 hello.wasm");
    assert_eq!(
        memory_of(plan(&flagged, &common::program("hello"))),
        memory_of(plan(&request("hello.wasm"), &common::program("hello")))
    );
}

#[test]
fn unknown_imports_are_refused_grouped_by_module_with_the_stub_hint() {
    let (code, said) = refusal(plan(&request("ruby.wasm"), &common::wat("unknown_imports")));
    assert_eq!(code, EXIT_CANNOT_EXECUTE);
    assert!(said.contains("env (js_callback, now);"), "{said}");
    assert!(said.contains("--stub-unknown-imports"), "{said}");
}

#[test]
fn stub_unknown_imports_makes_the_module_run_adapted() {
    let plan = plan(
        &request("--stub-unknown-imports ruby.wasm"),
        &common::wat("unknown_imports"),
    );
    let adapted = module_of(plan).expect("stubs rewrite the module");
    let imports = rw_core::module::ModuleInfo::read(&adapted).unwrap().imports;
    let functions = imports
        .iter()
        .filter(|i| matches!(i.ty, wasmparser::TypeRef::Func(_)));
    assert!(functions.clone().all(|i| i.module != "env"), "{imports:?}");
}

#[test]
fn wasi_unstable_runs_adapted_to_preview1() {
    let adapted = module_of(plan(&request("old.wasm"), &common::wat("wasi_unstable")))
        .expect("wasi_unstable imports are rewritten");
    let imports = rw_core::module::ModuleInfo::read(&adapted).unwrap().imports;
    assert!(
        imports
            .iter()
            .any(|i| i.module == "wasi_snapshot_preview1" && i.name == "fd_write"),
        "{imports:?}"
    );
    assert!(
        imports.iter().all(|i| i.module != "wasi_unstable"),
        "{imports:?}"
    );
}

#[test]
fn explain_says_how_it_would_run_without_running() {
    let text = printed(plan(
        &request("--explain old.wasm"),
        &common::wat("wasi_unstable"),
    ));
    assert!(
        text.contains("adapt: wasi_unstable.fd_write: imported from wasi_snapshot_preview1"),
        "{text}"
    );
    assert!(text.contains("\nrun: yes\n"), "{text}");
    let text = printed(plan(
        &request("--explain threads.wasm"),
        &common::program("threads"),
    ));
    assert!(text.contains("memory: imports env.memory (17..16384 pages, shared); rw gives initial 17, maximum 16384, shared true"), "{text}");
    assert!(
        text.contains("threads: imports wasi.thread-spawn"),
        "{text}"
    );
    let text = printed(plan(
        &request("--explain ruby.wasm"),
        &common::wat("unknown_imports"),
    ));
    assert!(
        text.contains("run: no, rw: ruby.wasm: imports what no WASI host provides"),
        "{text}"
    );
}

#[test]
fn explain_says_which_traps_a_run_catches() {
    let text = printed(plan(
        &request("--explain hello.wasm"),
        &common::program("hello"),
    ));
    let traps = text.lines().find(|l| l.starts_with("traps: ")).unwrap();
    for caught in [
        "`unreachable`",
        "division by zero and overflow, float-to-integer conversion and indirect calls (checked before they run)",
        "out-of-bounds memory access and a call stack exhausted (seen by rw's watch",
    ] {
        assert!(traps.contains(caught), "{traps}");
    }
    assert!(!traps.contains("not caught"), "{traps}");
    assert!(
        text.contains("memory: its own, exported as 'memory'; rw gives it as a shared memory it watches for traps, initial 17, maximum 65536\n"),
        "{text}"
    );
    // Data where the watch word would go: the checks only.
    let bytes = wat::parse_str(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
           (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
           (memory (export "memory") 1) (data (i32.const 8) "x") (func (export "_start")))"#,
    )
    .unwrap();
    let text = printed(plan(&request("--explain low.wasm"), &bytes));
    let traps = text.lines().find(|l| l.starts_with("traps: ")).unwrap();
    assert!(traps.contains("(checked before they run)"), "{traps}");
    assert!(
        traps.contains("not caught: out-of-bounds memory access and a call stack exhausted (the module has data in its first 256 bytes)"),
        "{traps}"
    );
}

#[test]
fn explain_says_whether_output_is_buffered() {
    let output = |name: &str| {
        let text = printed(plan(
            &request(&format!("--explain {name}.wasm")),
            &common::program(name),
        ));
        text.lines()
            .find(|l| l.starts_with("output: "))
            .unwrap()
            .to_owned()
    };
    // Rust's 1 MiB stack, named: a sixteenth of it less the watch words below it, in KiB.
    assert!(
        output("hello").starts_with("output: writes to stdout and stderr gather in a 63 KiB buffer at the top of the program's stack"),
        "{}",
        output("hello")
    );
    // A wasi-threads program: every thread has a stack of its own.
    assert!(
        output("threads").starts_with("output: each write is a round trip"),
        "{}",
        output("threads")
    );
    // No name for the stack pointer: nothing tells where the stack is.
    let bytes = wat::parse_str(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
           (memory (export "memory") 2) (global (mut i32) (i32.const 65536))
           (func (export "_start")))"#,
    )
    .unwrap();
    let text = printed(plan(&request("--explain anonymous.wasm"), &bytes));
    assert!(
        text.contains("output: each write is a round trip"),
        "{text}"
    );
}

#[test]
fn explain_says_whether_stdin_is_read_from_a_ring() {
    let input = |name: &str| {
        let text = printed(plan(
            &request(&format!("--explain {name}.wasm")),
            &common::program(name),
        ));
        text.lines()
            .find(|l| l.starts_with("input: "))
            .unwrap()
            .to_owned()
    };
    // Rust's 1 MiB stack, less the output buffer: the largest ring.
    assert!(
        input("cat")
            .starts_with("input: reads of stdin take what crw sent ahead from a 64 KiB ring"),
        "{}",
        input("cat")
    );
    // A wasi-threads program has no output buffer, and so no ring.
    assert!(
        input("threads").starts_with("input: each read is a round trip"),
        "{}",
        input("threads")
    );
}

#[test]
fn listing_names_the_adaptations() {
    let text = printed(plan(
        &request("--print-imports-exports old.wasm"),
        &common::wat("wasi_unstable"),
    ));
    assert!(
        text.starts_with("import: wasi_unstable fd_write function\n"),
        "{text}"
    );
    assert!(text.ends_with("adapt: wasi_unstable.fd_write: imported from wasi_snapshot_preview1 instead (same ABI)\n"), "{text}");
}

/// The request crw's server makes of `crw LINE` from a client whose stdin, stdout and
/// stderr are terminals or not.
fn crw(line: &str, terminals: Option<Terminals>) -> RunRequest {
    let argv: Vec<String> = line.split(' ').map(String::from).collect();
    let given = terminals.unwrap_or(Terminals {
        stdin: true,
        stdout: true,
        stderr: true,
    });
    match parse_crw(&argv, "/home/me", given) {
        Command::Run(mut request) => {
            request.adapt.terminals = terminals;
            request
        }
        other => panic!("{line}: {other:?}"),
    }
}

const PIPED_STDOUT: Option<Terminals> = Some(Terminals {
    stdin: true,
    stdout: false,
    stderr: true,
});
const ALL_TERMINALS: Option<Terminals> = Some(Terminals {
    stdin: true,
    stdout: true,
    stderr: true,
});

#[test]
fn isatty_is_corrected_only_for_a_stream_that_is_not_a_terminal() {
    let bytes = common::program("isatty");
    // Byte for byte what rw runs today, without terminals or with all three.
    let as_today = plan(&crw("isatty.wasm", None), &bytes);
    assert_eq!(plan(&crw("isatty.wasm", ALL_TERMINALS), &bytes), as_today);
    assert_eq!(plan(&request("isatty.wasm"), &bytes), as_today);
    let corrected = module_of(plan(&crw("isatty.wasm", PIPED_STDOUT), &bytes)).unwrap();
    assert_ne!(Some(&corrected), module_of(as_today).as_ref());
    wasmparser::Validator::new()
        .validate_all(&corrected)
        .unwrap();
}

#[test]
fn explain_and_listing_say_when_isatty_is_corrected() {
    let bytes = common::program("isatty");
    let line = "adapt: wasi_snapshot_preview1.fd_fdstat_get: isatty: calls \
                wasi_snapshot_preview1.fd_fdstat_get and reports stdout, not a terminal here, \
                as filetype unknown instead of character_device, so isatty() is false for it\n";
    let text = printed(plan(&crw("--explain isatty.wasm", PIPED_STDOUT), &bytes));
    assert!(text.contains(line), "{text}");
    // It is no change the module needs to link.
    assert!(
        text.contains("imports: all linked by the WASM WASI Core as they are"),
        "{text}"
    );
    let text = printed(plan(
        &crw("--print-imports-exports isatty.wasm", PIPED_STDOUT),
        &bytes,
    ));
    assert!(text.ends_with(line), "{text}");
    for terminals in [None, ALL_TERMINALS] {
        for flag in ["--explain", "--print-imports-exports"] {
            let text = printed(plan(
                &crw(&format!("{flag} isatty.wasm"), terminals),
                &bytes,
            ));
            assert!(!text.contains("isatty:"), "{text}");
        }
    }
}

#[test]
fn each_unrunnable_module_is_refused_with_its_reason() {
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("lib.wasm", common::wat("no_start"), "exports no _start"),
        (
            "p2.wasm",
            common::wat("component"),
            "is a WebAssembly component",
        ),
        (
            "m.wasm",
            common::wat("unexported_memory"),
            "neither imports nor exports a memory",
        ),
        ("empty.wasm", Vec::new(), "is empty"),
        (
            "notes.wasm",
            b"just text\n".to_vec(),
            "is not a WebAssembly module",
        ),
        (
            "half.wasm",
            common::program("hello")[..1000].to_vec(),
            "is not a valid WebAssembly module",
        ),
    ];
    for (file, bytes, expected) in cases {
        let (code, said) = refusal(plan(&request(file), &bytes));
        assert_eq!(code, EXIT_CANNOT_EXECUTE, "{said}");
        assert!(said.starts_with(&format!("rw: {file}: ")), "{said}");
        assert!(said.contains(expected), "{said}");
        assert_eq!(said.lines().count(), 1, "{said}");
    }
}

#[test]
fn listing_prints_the_prior_art_lines_even_for_a_refused_module() {
    let plan = plan(
        &request("--print-imports-exports ruby.wasm"),
        &common::wat("unknown_imports"),
    );
    let text = printed(plan);
    assert_eq!(
        text,
        "import: env js_callback function\n\
         import: env now function\n\
         import: wasi_snapshot_preview1 fd_write function\n\
         import: wasi_snapshot_preview1 proc_raise function\n\
         export: memory memory\n\
         export: _start function\n"
    );
}

#[test]
fn listing_a_file_that_is_not_wasm_is_refused() {
    let (code, said) = refusal(plan(&request("--print-imports-exports x.wasm"), b"text"));
    assert_eq!(code, EXIT_CANNOT_EXECUTE);
    assert!(said.contains("not a WebAssembly module"), "{said}");
}

#[test]
fn code_nested_a_hundred_thousand_deep_has_its_trap_caught() {
    let bytes = common::program("deep_nesting");
    let module = module_of(plan(&request("deep_nesting.wasm"), &bytes))
        .expect("its innermost unreachable is rewritten");
    wasmparser::Validator::new().validate_all(&module).unwrap();
}

#[test]
fn nesting_never_closed_goes_to_the_engine_as_read() {
    // The patch cannot read the body, so the core leaves it be: the engine's compile
    // names what is wrong, in rw's one line (extension/test/rwCommand.test.ts).
    let bytes = common::program("deep_unclosed");
    assert_eq!(
        module_of(plan(&request("deep_unclosed.wasm"), &bytes)),
        None
    );
}
