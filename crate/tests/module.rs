//! Reading real modules: our Rust fixture programs and hand-written ones.

mod common;

use rw_core::module::{import_kind_name, signature_text, ModuleError, ModuleInfo};

fn inspect(bytes: &[u8]) -> Result<ModuleInfo<'_>, ModuleError> {
    ModuleInfo::read(bytes)
}

#[test]
fn a_wasip1_program_defines_and_exports_its_memory() {
    let bytes = common::program("hello");
    let inspection = inspect(&bytes).unwrap();
    assert!(inspection.exports_function("_start"));
    assert!(inspection.exports_memory("memory"));
    assert!(inspection.memory_import().is_none());
    assert_eq!(inspection.defined_memories.len(), 1);
    assert!(!inspection.defined_memories[0].shared);
    assert!(!inspection.imports_thread_spawn());
    assert!(inspection
        .imports
        .iter()
        .all(|i| i.module == "wasi_snapshot_preview1"));
}

#[test]
fn import_signatures_come_from_the_type_section() {
    let bytes = common::program("hello");
    let inspection = inspect(&bytes).unwrap();
    let fd_write = inspection
        .imports
        .iter()
        .find(|i| i.name == "fd_write")
        .expect("hello writes to stdout");
    let ty = inspection.func_type(fd_write.ty).expect("a function type");
    assert_eq!(signature_text(ty), "(i32, i32, i32, i32) -> (i32)");
}

#[test]
fn a_threads_program_imports_a_shared_memory_and_thread_spawn() {
    let bytes = common::program("threads");
    let inspection = inspect(&bytes).unwrap();
    let (import, memory) = inspection.memory_import().expect("threads imports memory");
    assert_eq!((import.module, import.name), ("env", "memory"));
    assert!(memory.shared);
    assert!(memory.maximum.is_some_and(|max| max >= memory.initial));
    assert!(inspection.imports_thread_spawn());
}

#[test]
fn the_producers_section_names_the_toolchain() {
    let bytes = common::program("hello");
    let inspection = inspect(&bytes).unwrap();
    let language = inspection
        .producers
        .iter()
        .find(|f| f.name == "language")
        .expect("rustc writes a producers section");
    assert!(language.values.iter().any(|(name, _)| *name == "Rust"));
}

#[test]
fn imports_keep_module_order_and_kinds() {
    let bytes = common::wat("unknown_imports");
    let inspection = inspect(&bytes).unwrap();
    let seen: Vec<(&str, &str, &str)> = inspection
        .imports
        .iter()
        .map(|i| (i.module, i.name, import_kind_name(i.ty)))
        .collect();
    assert_eq!(
        seen,
        [
            ("env", "js_callback", "function"),
            ("env", "now", "function"),
            ("wasi_snapshot_preview1", "fd_write", "function"),
            ("wasi_snapshot_preview1", "proc_raise", "function"),
        ]
    );
}

#[test]
fn function_bodies_are_skipped_not_parsed() {
    // Replace the `unreachable` opcode in trap.wat's only body with a byte that is no
    // opcode at all: a parser that read bodies would fail, ours must not.
    let mut bytes = common::wat("trap");
    let body_end = bytes.len() - 1; // the body's closing `end` (0x0b)
    assert_eq!(
        &bytes[body_end - 1..],
        [0x00, 0x0b],
        "the fixture ends in unreachable; end"
    );
    bytes[body_end - 1] = 0xff;
    let inspection = inspect(&bytes).unwrap();
    assert!(inspection.exports_function("_start"));
}

#[test]
fn a_component_is_recognised_as_such() {
    assert_eq!(
        inspect(&common::wat("component")),
        Err(ModuleError::Component)
    );
}

#[test]
fn empty_and_non_wasm_bytes_are_told_apart() {
    assert_eq!(inspect(b""), Err(ModuleError::Empty));
    assert_eq!(inspect(b"#!/bin/sh\necho hi\n"), Err(ModuleError::NotWasm));
    assert_eq!(inspect(b"\x7fELF\x02\x01\x01"), Err(ModuleError::NotWasm));
}

#[test]
fn every_truncation_of_a_real_program_is_malformed_never_a_panic() {
    let bytes = common::program("hello");
    let boundaries = section_boundaries(&bytes);
    for len in (1..bytes.len()).step_by(97).chain(1..16) {
        match inspect(&bytes[..len]) {
            // Cut exactly between sections, what is left is a smaller valid module.
            Ok(_) => assert!(
                boundaries.contains(&len),
                "truncated to {len} bytes: accepted"
            ),
            Err(ModuleError::Malformed { offset, .. }) => {
                assert!(offset <= len as u64, "offset {offset} past the end {len}")
            }
            Err(other) => panic!("truncated to {len} bytes: {other:?}"),
        }
    }
}

/// Where each section ends (and the 8-byte header), walked by hand as a second
/// opinion on the parser: a section is an id byte and a LEB128 size.
fn section_boundaries(bytes: &[u8]) -> Vec<usize> {
    let mut ends = vec![8];
    let mut at = 8;
    while at < bytes.len() {
        let (mut size, mut shift) = (0usize, 0);
        at += 1; // id
        loop {
            let byte = bytes[at];
            at += 1;
            size |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                break;
            }
        }
        at += size;
        ends.push(at);
    }
    ends
}

#[test]
fn a_section_size_that_lies_is_malformed() {
    // Header, then a type section (id 1) claiming 0xffff_fff0 bytes.
    let bytes = b"\0asm\x01\0\0\0\x01\xf0\xff\xff\xff\x0f\x00";
    assert!(matches!(inspect(bytes), Err(ModuleError::Malformed { .. })));
    // The same lie on the code section (id 10), which we skip rather than read.
    let bytes = b"\0asm\x01\0\0\0\x0a\xf0\xff\xff\xff\x0f\x00";
    assert!(matches!(inspect(bytes), Err(ModuleError::Malformed { .. })));
}

#[test]
fn memory64_is_reported() {
    let bytes = wat::parse_str("(module (memory (export \"memory\") i64 1))").unwrap();
    let inspection = inspect(&bytes).unwrap();
    let [memory] = inspection.defined_memories[..] else {
        panic!("one memory: {:?}", inspection.defined_memories)
    };
    assert!(memory.memory64);
    assert_eq!(
        (memory.initial, memory.maximum, memory.shared),
        (1, None, false)
    );
}
