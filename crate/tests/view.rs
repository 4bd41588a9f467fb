//! The module view's model (`view.rs`): what the core returns for our fixtures, in the
//! words `--explain` uses.

mod common;

use common::program;
use rw_core::view::{describe, ModuleView};

fn view(name: &str) -> ModuleView {
    describe(&format!("{name}.wasm"), &program(name))
}

#[test]
fn a_rust_program_runs_as_is_and_says_what_it_is() {
    let v = view("hello");
    assert_eq!(v.kind, "module");
    assert_eq!(v.wasi, "preview1");
    assert!(
        v.producers
            .iter()
            .any(|p| p.starts_with("language:") && p.contains("Rust")),
        "{:?}",
        v.producers
    );
    assert!(
        v.producers.iter().any(|p| p.contains("rustc")),
        "{:?}",
        v.producers
    );
    assert_eq!(v.size, program("hello").len());
    assert!(v
        .exports
        .iter()
        .any(|e| e.name == "_start" && e.kind == "function" && e.signature == "() -> ()"));
    let fd_write = v
        .imports
        .iter()
        .find(|i| i.name == "fd_write")
        .expect("fd_write");
    assert_eq!(fd_write.module, "wasi_snapshot_preview1");
    assert_eq!(fd_write.signature, "(i32, i32, i32, i32) -> (i32)");
    assert_eq!(v.memories.len(), 1);
    assert!(v.memories[0].import.is_none());
    assert!(v.sections.iter().any(|s| s.name == "code" && s.size > 0));
    assert!(v.sections.iter().any(|s| s.name == "custom producers"));
    // The name section names the largest functions, largest first.
    assert!(!v.largest_functions.is_empty());
    assert!(v
        .largest_functions
        .windows(2)
        .all(|w| w[0].size >= w[1].size));
    assert!(v.largest_functions.iter().any(|f| f.name.is_some()));
    assert!(
        v.verdict.explain.contains("run: yes"),
        "{}",
        v.verdict.explain
    );
    assert!(v.verdict.refusal.is_none());
}

#[test]
fn wasi_unstable_is_adapted_with_the_explain_lines() {
    let v = view("wasi_unstable");
    assert_eq!(v.wasi, "wasi_unstable");
    assert_eq!(v.verdict.kind, "adapted");
    for line in &v.verdict.changes {
        assert!(
            v.verdict.explain.contains(&format!("adapt: {line}")),
            "{line}"
        );
    }
    let marked: Vec<_> = v.imports.iter().filter(|i| i.mark.is_some()).collect();
    assert!(!marked.is_empty());
    assert!(marked
        .iter()
        .all(|i| i.mark.as_ref().unwrap().kind == "adapt"));
    assert!(marked
        .iter()
        .any(|i| i.mark.as_ref().unwrap().why.contains("instead (same ABI)")));
}

#[test]
fn unknown_imports_are_refused_with_the_line_and_its_fix() {
    let v = view("unknown_imports");
    assert_eq!(v.verdict.kind, "refused");
    let refusal = v.verdict.refusal.as_ref().expect("refusal");
    assert_eq!(refusal.code, 126);
    assert!(
        refusal.line.starts_with("rw: unknown_imports.wasm"),
        "{}",
        refusal.line
    );
    assert!(
        refusal.line.contains("--stub-unknown-imports"),
        "{}",
        refusal.line
    );
    let refused: Vec<_> = v
        .imports
        .iter()
        .filter(|i| i.mark.as_ref().is_some_and(|m| m.kind == "refuse"))
        .collect();
    assert!(!refused.is_empty());
    assert!(refused.iter().all(|i| i.module != "wasi_snapshot_preview1"));
}

#[test]
fn no_start_is_a_reactor_and_refused() {
    let v = view("no_start");
    assert_eq!(v.wasi, "reactor");
    assert_eq!(v.verdict.kind, "refused");
    assert!(v.verdict.refusal.unwrap().line.contains("_start"));
}

#[test]
fn threads_import_a_shared_memory() {
    let v = view("threads");
    assert_eq!(v.wasi, "preview1 threads");
    let memory = &v.memories[0];
    assert!(memory.shared);
    assert!(memory.import.is_some());
    assert!(memory.maximum.is_some());
    assert!(v
        .imports
        .iter()
        .any(|i| i.module == "wasi" && i.name == "thread-spawn"));
}

#[test]
fn a_component_is_named_with_the_core_line() {
    let v = view("component");
    assert_eq!(v.kind, "component");
    assert_eq!(v.verdict.kind, "refused");
    assert!(v.verdict.refusal.unwrap().line.contains("component"));
    assert!(!v.sections.is_empty());
}

#[test]
fn bad_input_is_one_rw_line() {
    for (bytes, word) in [
        (&b"hello"[..], "not"),
        (&b""[..], "empty"),
        (&b"\0asm\x01\0\0\0\x01"[..], ""),
    ] {
        let v = describe("x.wasm", bytes);
        assert_eq!(v.kind, "invalid");
        let line = v.verdict.refusal.expect("refusal").line;
        assert!(line.starts_with("rw: x.wasm"), "{line}");
        assert!(!line.contains('\n'));
        assert!(line.contains(word), "{line}");
    }
}

#[test]
fn every_fixture_describes_without_panicking() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let v = describe("f.wasm", &std::fs::read(&path).unwrap());
            assert!(
                v.kind == "module" || v.kind == "component",
                "{}",
                path.display()
            );
            assert!(v.verdict.kind == "refused" || v.verdict.refusal.is_none());
        }
    }
}

#[test]
fn a_renamed_memory_import_is_marked_adapted() {
    let v = describe("m.wasm", &common::wat("memory_renamed"));
    let memory = v
        .imports
        .iter()
        .find(|i| i.kind == "memory")
        .expect("memory");
    let mark = memory.mark.as_ref().expect("mark");
    assert_eq!(mark.kind, "adapt");
    assert!(mark.why.contains("env.memory"), "{}", mark.why);
}
