//! Small pieces of code the added functions share.

use wasm_encoder::{BlockType, InstructionSink, MemArg, MemArgTarget};

/// A load or store of memory 0 at `offset`, aligned to 2^`align` bytes.
pub fn mem(offset: u64, align: u32) -> MemArg {
    MemArg {
        offset,
        align,
        target: MemArgTarget::Memory(0),
        ordering: None,
    }
}

/// Runs `then` if the path in locals `path` and `len` ends with `/` (never reading before
/// an empty path).
pub fn if_trailing_slash(
    sink: &mut InstructionSink<'_>,
    path: u32,
    len: u32,
    then: impl FnOnce(&mut InstructionSink<'_>),
) {
    sink.local_get(len)
        .if_(BlockType::Empty)
        .local_get(path)
        .local_get(len)
        .i32_add()
        .i32_const(1)
        .i32_sub()
        .i32_load8_u(mem(0, 0))
        .i32_const(i32::from(b'/'))
        .i32_eq()
        .if_(BlockType::Empty);
    then(sink);
    sink.end().end();
}

/// Opens a loop over the iovecs at `iovs`, `count` of them, counting in local `i`: a
/// block and a loop (`br_if 1` leaves it once `i` reaches `count`), with the address of
/// iovec `i` in local `iov`. The caller writes the body, then `i += 1`, `br 0` and two
/// `end`s.
pub fn iovec_loop(ins: &mut InstructionSink<'_>, iovs: u32, count: u32, i: u32, iov: u32) {
    ins.block(BlockType::Empty).loop_(BlockType::Empty);
    ins.local_get(i).local_get(count).i32_ge_u().br_if(1);
    ins.local_get(iovs)
        .local_get(i)
        .i32_const(3)
        .i32_shl()
        .i32_add()
        .local_set(iov);
}
