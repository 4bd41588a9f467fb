//! The output buffer: a program's writes to stdout and stderr gathered in its own memory
//! and drained by the extension host, instead of one round trip each.
//!
//! Every WASI call is a synchronous round trip from the Core's worker to the extension
//! host (about 80 µs), and Rust's stdout writes once per line: 20 000 lines took about 2 s.
//! So where the watch already made the program's memory a shared one that the extension
//! host can read (`watch.rs`), the `fd_write` wrapper (`fd_write.rs`) copies a write to
//! fd 1 or 2 into a buffer there and returns, and the host takes what the buffer holds on
//! its own clock (`extension/src/outputBuffer.ts`): every 16 ms, before it passes on any
//! write that did go through the Core, before a read of stdin, and when the program ends.
//! Order is kept because whatever did not fit (another fd's bytes, a write too big,
//! the buffer busy) goes through the Core as before, and the host empties the buffer
//! before it passes that write on: the program was blocked in that call, so nothing it
//! wrote later can come first.
//!
//! **Where.** The buffer is the top of the program's stack: `_start`'s wrapper moves
//! `__stack_pointer` down by [`Output::bytes`] before the program's first instruction,
//! as a frame of an outermost caller would, so nothing of the program ever uses those
//! bytes (its stack begins below them). A module must name its stack pointer
//! (`__stack_pointer`, global 0, as wasm-ld writes it; Rust, C and Zig programs do
//! unless stripped) and have room: the buffer is a sixteenth of the stack, 1 to
//! 64 KiB. Others, and wasi-threads programs, write through the Core as before.
//!
//! **The word.** The buffer's first word says what it holds: 0 (empty), `fd << 28 | n`
//! (n bytes for fd 1 or 2 follow [`DATA`]), or [`DRAINING`] while the host copies them
//! out. The program appends with a compare-and-swap and goes through the Core when the
//! swap fails; the host claims the bytes with a compare-and-swap to [`DRAINING`], copies
//! them and stores 0. Neither ever waits for the other.
//!
//! **Only when the host drains it.** The host writes [`ENABLE`] at [`ENABLE_WORD`] once
//! it watches the memory and the program's stdio is its own; until then (or in a host
//! that never does) every write goes through the Core.

use serde::Serialize;
use wasm_encoder::{BlockType, Function, InstructionSink, MemArg, ValType};

use super::emit::{iovec_loop, mem};
use super::input::Input;
use super::watch;

/// The custom section in which the adapter names its `fd_write` wrapper (a LEB128
/// function index): the function this buffer's write replaces.
pub const WRITE_WRAPPER_SECTION: &str = "rw.fd_write";

/// Where the host says it drains the buffer (slot 1 of the watch words, free where the
/// program is watched with one word: `watch::Words::Fixed`).
pub const ENABLE_WORD: u32 = watch::SLOT_BYTES;
/// Where the program says where the buffer is, once `_start`'s wrapper made it.
pub const ADDRESS_WORD: u32 = watch::SLOT_BYTES + 4;
/// The host's "drain it": "rw" in the high half, like the watch's values.
pub const ENABLE: i32 = 0x7277_0100;
/// The buffer's word while the host copies its bytes (fd bits 15: no program fd).
pub const DRAINING: i32 = -1;
/// The fd is the buffer word's top four bits.
pub const FD_SHIFT: u32 = 28;
pub const LENGTH_MASK: i32 = (1 << FD_SHIFT) - 1;
/// The bytes start after the buffer's word (8, to keep them aligned).
pub const DATA: u32 = 8;
/// The most iovecs a buffered write gathers; a writev of more goes through the Core.
const MOST_IOVECS: i32 = 16;
/// wasm-ld's `__stack_pointer`: global 0 (`Facts::output` checks its name).
const STACK_POINTER: u32 = 0;
/// The buffer's size bounds, and its share of the stack. 64 KiB (with a 64 KiB input ring,
/// `input.rs`): 400 MB through `crw cat.wasm` in the real Core 155–192 MB/s, against
/// 151–160 with both halved, and 94–122 with a 16 KiB buffer before the ring was topped up
/// between reads (tests/e2e/crw.test.mjs's throughput, `RW_E2E_CAT_MB=400`); 20 000 lines
/// took the same with 16 and with 64 KiB.
const SMALLEST: u32 = 1024;
const LARGEST: u32 = 64 * 1024;
const STACK_SHARE: u32 = 16;

/// Where a module's buffer goes, when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    /// The adapter's `fd_write` wrapper, whose place the buffered write takes.
    pub wrapper: u32,
    /// The stack pointer's initial value.
    pub stack_top: u32,
    /// The buffer: `bytes` at `stack_top - bytes`.
    pub bytes: u32,
}

impl Output {
    /// The buffer for a stack whose top is `stack_top` and whose lowest byte is
    /// `stack_floor` (the end of the data below it, or the watch words), if it has room.
    pub fn for_stack(wrapper: u32, stack_top: u32, stack_floor: u32) -> Option<Output> {
        if !stack_top.is_multiple_of(16) {
            return None;
        }
        let floor = stack_floor.max(watch::WORD_END as u32);
        let share = stack_top.checked_sub(floor)? / STACK_SHARE;
        let bytes = share.min(LARGEST) / SMALLEST * SMALLEST;
        (bytes >= SMALLEST).then_some(Output {
            wrapper,
            stack_top,
            bytes,
        })
    }

    pub fn at(&self) -> u32 {
        self.stack_top - self.bytes
    }

    fn capacity(&self) -> u32 {
        self.bytes - DATA
    }

    /// What the host needs to drain it.
    pub fn spec(&self) -> OutputBuffer {
        OutputBuffer {
            enable_word: ENABLE_WORD,
            enable: ENABLE,
            address_word: ADDRESS_WORD,
            at: self.at(),
            data: DATA,
            capacity: self.capacity(),
            draining: DRAINING,
            fd_shift: FD_SHIFT,
            length_mask: LENGTH_MASK,
        }
    }
}

/// The buffer as the extension host drains it (`extension/src/outputBuffer.ts`).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct OutputBuffer {
    /// The host stores `enable` at `enable_word` when it drains the buffer.
    pub enable_word: u32,
    pub enable: i32,
    /// The program stores `at` at `address_word` once the buffer is made.
    pub address_word: u32,
    /// The buffer's word; its bytes start `data` after it, `capacity` of them.
    pub at: u32,
    pub data: u32,
    pub capacity: u32,
    pub draining: i32,
    pub fd_shift: u32,
    pub length_mask: i32,
}

/// `_start` through a wrapper that makes the buffer at the top of the stack (and the
/// input ring below it, `input.rs`), when the stack pointer is where the module left it,
/// and sets global `made`.
pub fn start_wrapper(output: &Output, input: Option<&Input>, made: u32, start: u32) -> Function {
    let at = output.at() as i32;
    let lowest = input.map_or(at, |input| input.at as i32);
    let mut f = Function::new([]);
    let mut ins = f.instructions();
    ins.global_get(STACK_POINTER)
        .i32_const(output.stack_top as i32)
        .i32_eq()
        .if_(BlockType::Empty)
        .i32_const(lowest)
        .global_set(STACK_POINTER);
    if let Some(input) = input {
        super::input::make(&mut ins, input);
    }
    ins.i32_const(at)
        .i32_const(0)
        .i32_atomic_store(atomic(0))
        .i32_const(1)
        .global_set(made)
        .i32_const(ADDRESS_WORD as i32)
        .i32_const(at)
        .i32_atomic_store(atomic(0))
        .end()
        .call(start)
        .end();
    f
}

/// `fd_write`'s type: a write to fd 1 or 2 of at most [`MOST_IOVECS`] iovecs, all in
/// bounds, whose bytes fit after those the buffer holds for the same fd, is copied
/// there and succeeds; any other goes to `through` (the Core, one iovec at a time).
/// Nothing here can trap: every address is checked before it is used.
pub fn buffered_write(output: &Output, made: u32, through: u32) -> Function {
    let (fd, iovs, count, nwritten) = (0, 1, 2, 3);
    let (total, i, iov, word, at, len) = (4, 5, 6, 7, 8, 9);
    let end = 10; // i64: memory's size in bytes
    let buffer = output.at() as i32;
    let capacity = output.capacity() as i32;
    let mut f = Function::new([(6, ValType::I32), (1, ValType::I64)]);
    let mut ins = f.instructions();
    ins.block(BlockType::Empty); // through the Core
    {
        // Buffered only once made and the host drains it, for fd 1 or 2.
        not_in_use(&mut ins, made, ENABLE_WORD, ENABLE);
        ins.local_get(fd)
            .i32_const(1)
            .i32_sub()
            .i32_const(1)
            .i32_gt_u()
            .i32_or()
            .local_get(count)
            .i32_const(MOST_IOVECS)
            .i32_gt_u()
            .i32_or()
            .br_if(0);
        // The iovecs and nwritten in bounds.
        iovecs_in_bounds(&mut ins, iovs, count, nwritten, end);
        // The total, each buffer in bounds and none longer than the buffer.
        each_iovec(&mut ins, iovs, count, i, iov, |ins| {
            ins.local_get(iov).i32_load(mem(4, 2)).local_tee(len);
            ins.i32_const(capacity).i32_gt_u().br_if(3);
            ins.local_get(iov)
                .i32_load(mem(0, 2))
                .i64_extend_i32_u()
                .local_get(len)
                .i64_extend_i32_u()
                .i64_add()
                .local_get(end)
                .i64_gt_u()
                .br_if(3);
            ins.local_get(total)
                .local_get(len)
                .i32_add()
                .local_set(total);
        });
        // Nothing to write: the Core answers it (a closed fd, say) as before.
        ins.local_get(total).i32_eqz().br_if(0);
        // What the buffer holds: nothing, or bytes for this fd with room after them.
        ins.i32_const(buffer)
            .i32_atomic_load(atomic(0))
            .local_tee(word)
            .i32_const(0)
            .i32_ne()
            .local_get(word)
            .i32_const(FD_SHIFT as i32)
            .i32_shr_u()
            .local_get(fd)
            .i32_ne()
            .i32_and()
            .br_if(0);
        ins.local_get(word)
            .i32_const(LENGTH_MASK)
            .i32_and()
            .local_get(total)
            .i32_add()
            .i32_const(capacity)
            .i32_gt_u()
            .br_if(0);
        ins.i32_const(buffer + DATA as i32)
            .local_get(word)
            .i32_const(LENGTH_MASK)
            .i32_and()
            .i32_add()
            .local_set(at);
        ins.i32_const(0).local_set(i);
        each_iovec(&mut ins, iovs, count, i, iov, |ins| {
            ins.local_get(at)
                .local_get(iov)
                .i32_load(mem(0, 2))
                .local_get(iov)
                .i32_load(mem(4, 2))
                .local_tee(len)
                .memory_copy(0, 0);
            ins.local_get(at).local_get(len).i32_add().local_set(at);
        });
        // Published only if the host took nothing meanwhile; else through the Core.
        ins.i32_const(buffer)
            .local_get(word)
            .local_get(fd)
            .i32_const(FD_SHIFT as i32)
            .i32_shl()
            .local_get(word)
            .i32_const(LENGTH_MASK)
            .i32_and()
            .local_get(total)
            .i32_add()
            .i32_or()
            .i32_atomic_rmw_cmpxchg(atomic(0))
            .local_get(word)
            .i32_ne()
            .br_if(0);
        ins.local_get(nwritten)
            .local_get(total)
            .i32_store(mem(0, 2))
            .i32_const(0)
            .return_();
    }
    ins.end();
    pass_on(&mut ins, 4, through);
    f
}

/// Pushes whether the buffer (or the ring) is not to be used: not made yet (global
/// `made`: also cleared for good, `release.rs`), or not what the host stored at `word`.
pub(super) fn not_in_use(ins: &mut InstructionSink<'_>, made: u32, word: u32, enable: i32) {
    ins.global_get(made)
        .i32_eqz()
        .i32_const(word as i32)
        .i32_atomic_load(atomic(0))
        .i32_const(enable)
        .i32_ne()
        .i32_or();
}

/// Ends a function of `params` parameters by calling `through` with them all.
pub(super) fn pass_on(ins: &mut InstructionSink<'_>, params: u32, through: u32) {
    for param in 0..params {
        ins.local_get(param);
    }
    ins.call(through).end();
}

/// Sets local `end` (i64) to memory's size in bytes, and leaves the enclosing block
/// (`br 0`) unless the `count` iovecs at `iovs` and the word at `result` (where the call's
/// count of bytes goes) are all in bounds.
pub(super) fn iovecs_in_bounds(
    ins: &mut InstructionSink<'_>,
    iovs: u32,
    count: u32,
    result: u32,
    end: u32,
) {
    ins.memory_size(0)
        .i64_extend_i32_u()
        .i64_const(16)
        .i64_shl()
        .local_set(end);
    beyond(ins, iovs, |ins| {
        ins.local_get(count)
            .i64_extend_i32_u()
            .i64_const(3)
            .i64_shl();
    });
    ins.local_get(end).i64_gt_u().br_if(0);
    beyond(ins, result, |ins| {
        ins.i64_const(4);
    });
    ins.local_get(end).i64_gt_u().br_if(0);
}

/// Pushes whether `base + length` (an i64 `length` pushed by `length`) ends past
/// memory, the comparison's left side: the caller pushes the end and compares.
fn beyond(ins: &mut InstructionSink<'_>, base: u32, length: impl FnOnce(&mut InstructionSink<'_>)) {
    ins.local_get(base).i64_extend_i32_u();
    length(ins);
    ins.i64_add();
}

/// Runs `body` for each iovec with its address in local `iov` (counting in local `i`,
/// which must be 0). `body` sits three blocks deep: `br 3` leaves the enclosing block.
pub(super) fn each_iovec(
    ins: &mut InstructionSink<'_>,
    iovs: u32,
    count: u32,
    i: u32,
    iov: u32,
    body: impl FnOnce(&mut InstructionSink<'_>),
) {
    iovec_loop(ins, iovs, count, i, iov);
    ins.block(BlockType::Empty);
    body(ins);
    ins.end();
    ins.local_get(i).i32_const(1).i32_add().local_set(i).br(0);
    ins.end().end();
}

/// A sequentially consistent atomic access of memory 0 at `offset`, 4-byte aligned.
pub(super) fn atomic(offset: u64) -> MemArg {
    mem(offset, 2)
}
