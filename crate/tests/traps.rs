//! The trap instrumentation (`adapt/instrument.rs`) on every fixture: what comes out
//! is a valid module, watched where it can be, and the watch word's page is free.

use rw_core::cli::{parse, Command};
use rw_core::plan::Decision;

fn planned(name: &str, bytes: &[u8]) -> Option<(Vec<u8>, bool)> {
    let words: Vec<String> = format!("rw {name}.wasm")
        .split(' ')
        .map(String::from)
        .collect();
    let Command::Run(request) = parse(&words, "/workspace") else {
        panic!("{name}: not a run");
    };
    match rw_core::plan::plan(&request, bytes) {
        Decision::Run { module, watch, .. } => module.map(|m| (m, watch.is_some())),
        _ => None,
    }
}

#[test]
fn every_fixture_instrumented_validates() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm");
    let (mut watched, mut checked) = (0, 0);
    for entry in std::fs::read_dir(&dir).expect("build the fixtures first") {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let bytes = std::fs::read(&path).unwrap();
        if wasmparser::Validator::new().validate_all(&bytes).is_err() {
            continue;
        }
        let Some((module, watch)) = planned(&name, &bytes) else {
            continue;
        };
        wasmparser::Validator::new()
            .validate_all(&module)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        checked += 1;
        watched += usize::from(watch);
    }
    assert!(
        checked > 20 && watched > 15,
        "{checked} checked, {watched} watched"
    );
}

#[test]
fn a_memory_of_no_pages_is_not_watched_its_words_would_be_out_of_bounds() {
    // assemblyscript/proc_exit-success of the wasi-testsuite: `(memory 0)`.
    let bytes = wat::parse_str(
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
           (memory (export "memory") 0) (func (export "_start") (call $exit (i32.const 0))))"#,
    )
    .unwrap();
    let words: Vec<String> = ["rw", "p.wasm"].map(String::from).to_vec();
    let Command::Run(request) = parse(&words, "/workspace") else {
        panic!("not a run");
    };
    match rw_core::plan::plan(&request, &bytes) {
        Decision::Run { watch, memory, .. } => {
            assert!(watch.is_none() && memory.is_none(), "{memory:?}")
        }
        _ => panic!("not a run"),
    }
}

/// Whether the plan for `wat` watches the run.
fn watched(wat: &str) -> bool {
    let bytes = wat::parse_str(wat).unwrap();
    matches!(planned("p", &bytes), Some((_, true)))
}

#[test]
fn a_wasi_function_in_a_table_turns_the_watch_off_with_threads_or_without() {
    // Called through the table, poll_oneoff could wait for ever after a mark that says "an
    // indirect call is on its way": the watch would take the wait for a trap.
    let module = |memory: &str, threads: &str, table: &str| {
        format!(
            r#"(module
               (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
               (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
               (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
               {memory} {threads}
               (table 2 funcref) (elem (i32.const 0) {table})
               (func $own)
               (func (export "_start")))"#
        )
    };
    let own = r#"(memory (export "memory") 1)"#;
    let shared = r#"(import "env" "memory" (memory 1 2 shared))"#;
    let threads = r#"(import "wasi" "thread-spawn" (func (param i32) (result i32)))
                     (func (export "wasi_thread_start") (param i32 i32))"#;
    assert!(watched(&module(own, "", "$own")));
    assert!(!watched(&module(own, "", "$poll")));
    assert!(watched(&module(shared, threads, "$own")));
    assert!(!watched(&module(shared, threads, "$poll")));
}

#[test]
fn a_start_of_another_type_is_not_wrapped_and_the_module_still_validates() {
    // Found by the fuzzer: any function may be exported as `_start` or `wasi_thread_start`;
    // a wrapper of the expected type around one that returns a value would not validate.
    let module = |start: &str, thread_start: &str| {
        format!(
            r#"(module
               (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
               (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
               (import "wasi" "thread-spawn" (func (param i32) (result i32)))
               (import "env" "memory" (memory 1 2 shared))
               (func (export "_start") {start})
               (func (export "wasi_thread_start") {thread_start}))"#
        )
    };
    for (start, thread_start) in [
        ("", "(param i32 i32)"),
        ("", "(param i32 i32) (result i32) (i32.const 0)"),
        ("(param i32) (result i32) (i32.const 0)", "(param i32 i32)"),
    ] {
        let bytes = wat::parse_str(module(start, thread_start)).unwrap();
        let (adapted, _) = planned("p", &bytes).expect("a run");
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(&adapted)
            .unwrap_or_else(|e| {
                panic!("_start {start:?}, wasi_thread_start {thread_start:?}: {e}")
            });
    }
}
