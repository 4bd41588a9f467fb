//! The pieces of a module the trap instrumentation writes besides code: vector
//! sections spliced, the wrappers of the entry points, the export section re-pointed.

use wasm_encoder::Encode;
use wasmparser::{BinaryReader, ExternalKind};

use super::Words;
use crate::adapt::watch;
use crate::adapt::AdaptError;

/// Writes vector section `contents` with `count` more entries, `entries` (encoded),
/// at its end.
pub fn splice(
    contents: &[u8],
    count: u32,
    entries: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), AdaptError> {
    let mut reader = BinaryReader::new(contents, 0);
    let old = reader.read_var_u32()?;
    (old + count).encode(out);
    out.extend_from_slice(&contents[reader.original_position() as usize..]);
    out.extend_from_slice(entries);
    Ok(())
}

/// What the pass adds to each section, encoded (entries only, counted by `count`s).
#[derive(Default)]
pub struct Added {
    pub types: Vec<u8>,
    pub type_count: u32,
    pub memory_import: Vec<u8>,
    pub functions: Vec<u8>,
    pub function_count: u32,
    pub tables: Vec<u8>,
    pub table_count: u32,
    pub elements: Vec<u8>,
    pub element_count: u32,
    pub bodies: Vec<wasm_encoder::Function>,
    /// The functions that wrap `_start` and `wasi_thread_start`, in a per-thread watch.
    pub main_start: u32,
    pub thread_start: u32,
}

/// `_start` through a wrapper: the main thread's words are slot 0.
pub fn main_start_wrapper(global: u32, start: u32) -> wasm_encoder::Function {
    let mut f = wasm_encoder::Function::new([]);
    f.instructions()
        .i32_const(watch::WORD as i32)
        .global_set(global)
        .call(start)
        .end();
    f
}

/// `wasi_thread_start(tid, arg)` through a wrapper: the thread's words are slot
/// 1 + tid % (THREAD_SLOTS - 2) (slot 0 is the main thread's, the last one unwatched),
/// and a thread that returns is done.
pub fn thread_start_wrapper(global: u32, start: u32) -> wasm_encoder::Function {
    let mut f = wasm_encoder::Function::new([]);
    let mut ins = f.instructions();
    ins.local_get(0)
        .i32_const(watch::THREAD_SLOTS as i32 - 2)
        .i32_rem_u()
        .i32_const(1)
        .i32_add()
        .i32_const(watch::SLOT_BYTES as i32)
        .i32_mul()
        .global_set(global)
        .local_get(0)
        .local_get(1)
        .call(start);
    Words::PerThread { global }.mark(&mut ins, watch::DONE);
    ins.end();
    f
}

/// The export section `contents` with `_start` and `wasi_thread_start` naming their
/// wrappers.
pub fn repoint_starts(
    contents: &[u8],
    main: u32,
    thread: u32,
    out: &mut Vec<u8>,
) -> Result<(), AdaptError> {
    let reader = wasmparser::ExportSectionReader::new(BinaryReader::new(contents, 0))?;
    reader.count().encode(out);
    for export in reader {
        let export = export?;
        export.name.encode(out);
        let (kind, index) = match export.kind {
            ExternalKind::Func if export.name == "_start" => (0x00, main),
            ExternalKind::Func if export.name == "wasi_thread_start" => (0x00, thread),
            ExternalKind::Func => (0x00, export.index),
            ExternalKind::Table => (0x01, export.index),
            ExternalKind::Memory => (0x02, export.index),
            ExternalKind::Global => (0x03, export.index),
            ExternalKind::Tag => (0x04, export.index),
            other => {
                return Err(AdaptError::Malformed {
                    offset: 0,
                    reason: format!("an export of kind {other:?}"),
                })
            }
        };
        out.push(kind);
        index.encode(out);
    }
    Ok(())
}
