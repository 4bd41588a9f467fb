//! Scratch memory for the shims and stubs, which must never write over the program's.
//!
//! The choice: the first call that needs scratch grows memory 0 by fresh pages with
//! `memory.grow` and remembers where they start in two mutable globals the adapter
//! adds (`base`, and `pages` grown). Pages a program gets from `memory.grow` are its
//! own for good: its allocator only hands out memory it grew itself (dlmalloc, as in
//! wasi-libc and Rust's std, takes whatever `memory.grow` returns as a new segment),
//! and nothing else in the module knows about ours. A later call needing more than
//! was grown grows again and moves `base` to the new pages (the old ones are left
//! unused: rare, and growing in place is impossible once the program grew too).
//!
//! Globals are per instance, so with wasi-threads (one instance per thread on a shared
//! memory) every thread grows its own scratch and no two threads share it.
//!
//! Other ways were worse: a reserved static area would need free space the linker did
//! not place anything in; an active data segment would overwrite program data; the
//! program's stack pointer is a convention, not something every module has.

use wasm_encoder::{BlockType, ConstExpr, Function, GlobalType, ValType};

use super::layout::Targets;
use super::ENOMEM;

const PAGE_SHIFT: i64 = 16;

/// The globals scratch needs, appended after the module's own: base, then pages.
pub fn globals() -> [(GlobalType, ConstExpr); 2] {
    let ty = GlobalType {
        val_type: ValType::I32,
        mutable: true,
        shared: false,
    };
    [(ty, ConstExpr::i32_const(0)), (ty, ConstExpr::i32_const(0))]
}

/// `(need: i64) -> i32`: the address of at least `need` bytes of scratch, or -1 when
/// memory cannot grow that much (a base is a multiple of 64 KiB, never -1).
pub fn helper(targets: &Targets) -> Function {
    let (need, pages, old) = (0, 1, 2);
    let (base_global, pages_global) = (targets.scratch_base, targets.scratch_base + 1);
    let mut f = Function::new([(1, ValType::I64), (1, ValType::I32)]);
    f.instructions()
        .local_get(need)
        .global_get(pages_global)
        .i64_extend_i32_u()
        .i64_const(PAGE_SHIFT)
        .i64_shl()
        .i64_gt_u()
        .if_(BlockType::Empty)
        // pages = ceil(need / 64 KiB)
        .local_get(need)
        .i64_const((1 << PAGE_SHIFT) - 1)
        .i64_add()
        .i64_const(PAGE_SHIFT)
        .i64_shr_u()
        .local_tee(pages)
        .i64_const(crate::wasi_core::MAX_PAGES as i64)
        .i64_gt_u()
        .if_(BlockType::Empty)
        .i32_const(-1)
        .return_()
        .end()
        .local_get(pages)
        .i32_wrap_i64()
        .memory_grow(0)
        .local_tee(old)
        .i32_const(-1)
        .i32_eq()
        .if_(BlockType::Empty)
        .i32_const(-1)
        .return_()
        .end()
        .local_get(old)
        .i32_const(PAGE_SHIFT as i32)
        .i32_shl()
        .global_set(base_global)
        .local_get(pages)
        .i32_wrap_i64()
        .global_set(pages_global)
        .end()
        .global_get(base_global)
        .end();
    f
}

/// Gets scratch of `need` bytes (an i64 on the stack) from helper `scratch` into local
/// `into`, or returns ENOMEM from the function being written.
pub fn get_or_enomem(sink: &mut wasm_encoder::InstructionSink<'_>, scratch: u32, into: u32) {
    sink.call(scratch)
        .local_tee(into)
        .i32_const(-1)
        .i32_eq()
        .if_(BlockType::Empty)
        .i32_const(ENOMEM)
        .return_()
        .end();
}
