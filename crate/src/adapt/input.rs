//! The input ring: stdin the extension host has in hand, put in the program's own memory
//! ahead of its reads, so that a read of fd 0 takes it there instead of a round trip.
//!
//! Every WASI call is a synchronous round trip from the Core's worker to the extension
//! host (about 80 µs), and Rust's `io::copy` reads 8 KiB a time: `crw cat.wasm` moved
//! 50–90 MB/s. crw sends its stdin ahead of the program's reads where it can look at it
//! without taking it (`crw/src/peek.rs`); the host puts those bytes here as they come and
//! whenever it hears from the program (`extension/src/inputRing.ts`, `crw/pipes.ts`), and
//! the `fd_read` wrapper takes from here while the ring holds any. Nothing is taken from
//! crw's stdin for bytes put here: the host tells crw only what the program took.
//!
//! **Where.** Below the output buffer (`output.rs`), at the top of the stack, made by the
//! same `_start` wrapper, so no code of the program ever uses those bytes: [`RING`] bytes
//! of header, then a ring of a power of two bytes, an eighth of what is left of the stack
//! (4 to 64 KiB).
//!
//! **The words.** [`FILLED`]: how many bytes the host ever put in (only the host writes
//! it); [`TAKEN`]: how many the program ever took (only the program writes it, and the
//! host while the program waits in a read of fd 0: one thread, so never both). Both count
//! on past 2^32; byte `k` of stdin is at `k % size`. The program takes only what the host
//! published in `FILLED` and publishes what it took in `TAKEN`; the host puts bytes only
//! where `TAKEN` says the program is done. One adds, the other takes: both may at once,
//! and neither waits.
//!
//! **Only when filled.** Only after the host stored [`ENABLE`] at [`ENABLE_WORD`]; until
//! then (or in a host that never does) every read goes through the Core.

use serde::Serialize;
use wasm_encoder::{BlockType, Function, InstructionSink, ValType};

use super::emit::mem;
use super::output::{atomic, each_iovec, iovecs_in_bounds, not_in_use, pass_on, Output};
use super::watch;

/// The custom section in which the adapter names the wrapper every `fd_read` of the
/// module goes to (a LEB128 function index): the function this ring's read replaces.
pub const READ_WRAPPER_SECTION: &str = "rw.fd_read";

/// Where the host says it fills the ring (slot 2 of the watch words, free where the
/// program is watched with one word).
pub const ENABLE_WORD: u32 = 2 * watch::SLOT_BYTES;
/// Where the program says where the ring is, once `_start`'s wrapper made it.
pub const ADDRESS_WORD: u32 = 2 * watch::SLOT_BYTES + 4;
/// The host's "filled from now on": "rw" in the high half, like the watch's values.
pub const ENABLE: i32 = 0x7277_0200;
/// The header's words, and where the ring's bytes start (16, to keep the stack aligned).
pub const FILLED: u32 = 0;
pub const TAKEN: u32 = 4;
pub const RING: u32 = 16;
/// The most iovecs a read from the ring fills; a readv of more goes through the Core.
const MOST_IOVECS: i32 = 16;
/// The ring's size bounds, and its share of the stack below the output buffer.
const SMALLEST: u32 = 4 * 1024;
const LARGEST: u32 = 64 * 1024;
const STACK_SHARE: u32 = 8;

/// Where a module's ring goes, when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Input {
    /// The adapter's `fd_read` wrapper, whose place the ring's read takes.
    pub wrapper: u32,
    /// The header's address; the ring follows it.
    pub at: u32,
    /// The ring's size, a power of two.
    pub size: u32,
}

impl Input {
    /// The ring below `output`, above `stack_floor` (the end of the data below the stack),
    /// if the stack has room.
    pub fn below(wrapper: u32, output: &Output, stack_floor: u32) -> Option<Input> {
        let top = output.at();
        let floor = stack_floor.max(watch::WORD_END as u32);
        let room = (top.checked_sub(floor)? / STACK_SHARE).checked_sub(RING)?;
        // The largest power of two that fits.
        let size = (1u32 << room.checked_ilog2()?).min(LARGEST);
        (size >= SMALLEST).then_some(Input {
            wrapper,
            at: top - RING - size,
            size,
        })
    }

    /// What the host needs to fill it.
    pub fn spec(&self) -> InputRing {
        InputRing {
            enable_word: ENABLE_WORD,
            enable: ENABLE,
            address_word: ADDRESS_WORD,
            at: self.at,
            filled: FILLED,
            taken: TAKEN,
            ring: RING,
            size: self.size,
        }
    }
}

/// The ring as the extension host fills it (`extension/src/inputRing.ts`).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct InputRing {
    /// The host stores `enable` at `enable_word` before it first fills the ring.
    pub enable_word: u32,
    pub enable: i32,
    /// The program stores `at` at `address_word` once the ring is made.
    pub address_word: u32,
    /// The header; its words `filled` and `taken` after it, its bytes `ring` after it,
    /// `size` of them.
    pub at: u32,
    pub filled: u32,
    pub taken: u32,
    pub ring: u32,
    pub size: u32,
}

/// `_start`'s wrapper's part: the ring's words zero, and its address said.
pub fn make(ins: &mut InstructionSink<'_>, input: &Input) {
    let at = input.at as i32;
    ins.i32_const(at + FILLED as i32)
        .i32_const(0)
        .i32_atomic_store(atomic(0))
        .i32_const(at + TAKEN as i32)
        .i32_const(0)
        .i32_atomic_store(atomic(0))
        .i32_const(ADDRESS_WORD as i32)
        .i32_const(at)
        .i32_atomic_store(atomic(0));
}

/// `fd_read`'s type: a read of fd 0 of at most [`MOST_IOVECS`] iovecs, all in bounds,
/// while the ring holds bytes, takes as many of them as the iovecs hold and succeeds;
/// any other goes to `through` (the adapter's wrapper, moved). Nothing here can trap:
/// every address is checked before it is used.
pub fn ring_read(input: &Input, made: u32, through: u32) -> Function {
    let (fd, iovs, count, nread) = (0, 1, 2, 3);
    let (filled, taken, avail, total, i, iov, n, pos, first, len) =
        (4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    let end = 14; // i64: memory's size in bytes
    let header = input.at as i32;
    let ring = header + RING as i32;
    let size = input.size as i32;
    let mut f = Function::new([(10, ValType::I32), (1, ValType::I64)]);
    let mut ins = f.instructions();
    ins.block(BlockType::Empty); // through the Core
    {
        // From the ring only once made and the host fills it, for fd 0.
        not_in_use(&mut ins, made, ENABLE_WORD, ENABLE);
        ins.local_get(fd)
            .i32_or()
            .local_get(count)
            .i32_const(MOST_IOVECS)
            .i32_gt_u()
            .i32_or()
            .br_if(0);
        // What the ring holds: 1 to `size` bytes (more: the program wrote over it).
        ins.i32_const(header + FILLED as i32)
            .i32_atomic_load(atomic(0))
            .local_set(filled);
        ins.i32_const(header + TAKEN as i32)
            .i32_atomic_load(atomic(0))
            .local_set(taken);
        ins.local_get(filled)
            .local_get(taken)
            .i32_sub()
            .local_tee(avail)
            .i32_eqz()
            .local_get(avail)
            .i32_const(size)
            .i32_gt_u()
            .i32_or()
            .br_if(0);
        // The iovecs, nread and every buffer in bounds.
        iovecs_in_bounds(&mut ins, iovs, count, nread, end);
        each_iovec(&mut ins, iovs, count, i, iov, |ins| {
            ins.local_get(iov)
                .i32_load(mem(0, 2))
                .i64_extend_i32_u()
                .local_get(iov)
                .i32_load(mem(4, 2))
                .i64_extend_i32_u()
                .i64_add()
                .local_get(end)
                .i64_gt_u()
                .br_if(3);
        });
        // Into each iovec in turn as much as it holds, until the ring is empty.
        ins.i32_const(0).local_set(i);
        each_iovec(&mut ins, iovs, count, i, iov, |ins| {
            // n = min(the iovec's length, what is left); 0 left: done.
            ins.local_get(avail).local_get(total).i32_sub().local_tee(n);
            ins.i32_eqz().br_if(2);
            ins.local_get(iov).i32_load(mem(4, 2)).local_set(len);
            ins.local_get(len)
                .local_get(n)
                .local_get(len)
                .local_get(n)
                .i32_lt_u()
                .select()
                .local_set(n);
            // From `pos` to the ring's end, then on from its start.
            ins.local_get(taken)
                .local_get(total)
                .i32_add()
                .i32_const(size - 1)
                .i32_and()
                .local_set(pos);
            ins.i32_const(size)
                .local_get(pos)
                .i32_sub()
                .local_tee(first)
                .local_get(n)
                .local_get(first)
                .local_get(n)
                .i32_lt_u()
                .select()
                .local_set(first);
            ins.local_get(iov)
                .i32_load(mem(0, 2))
                .i32_const(ring)
                .local_get(pos)
                .i32_add()
                .local_get(first)
                .memory_copy(0, 0);
            ins.local_get(iov)
                .i32_load(mem(0, 2))
                .local_get(first)
                .i32_add()
                .i32_const(ring)
                .local_get(n)
                .local_get(first)
                .i32_sub()
                .memory_copy(0, 0);
            ins.local_get(total).local_get(n).i32_add().local_set(total);
        });
        // Buffers of no length: the Core answers it as before.
        ins.local_get(total).i32_eqz().br_if(0);
        ins.i32_const(header + TAKEN as i32)
            .local_get(taken)
            .local_get(total)
            .i32_add()
            .i32_atomic_store(atomic(0));
        ins.local_get(nread)
            .local_get(total)
            .i32_store(mem(0, 2))
            .i32_const(0)
            .return_();
    }
    ins.end();
    pass_on(&mut ins, 4, through);
    f
}
