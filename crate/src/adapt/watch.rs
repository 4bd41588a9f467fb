//! The word through which rw sees a program run, for the traps no check can catch ahead
//! at a price worth paying: an out-of-bounds memory access (C's segfault) and a call
//! stack exhausted (deep recursion).
//!
//! The WASM WASI Core 1.0.2 tells nobody when a program traps: its worker catches the
//! error and never posts `workerDone`, so `run()` never settles. So the program tells
//! rw it is alive instead. The adapter turns the module's memory into a shared one that
//! rw creates (`env.memory`), and the code writes a word of it as it runs: at each
//! loop header, before calls and memory accesses where the word would otherwise say the
//! wrong one of the two (`instrument/flow.rs`), and around each WASI call and atomic
//! wait, where a program may rightly wait for ever. The extension host reads the
//! word on its own clock, and overwrites it with [`UNSEEN`]: a program that is running
//! writes it again within microseconds (any code that runs longer goes through a loop
//! header or a call), so a word still [`UNSEEN`] half a second later, with the program
//! not in a WASI call, means the program is gone: trapped. What it last wrote says
//! which trap: [`CALLING`] means a callee never reached its first instruction, so the
//! call overflowed the stack; anything else is a memory access out of bounds (every
//! other trap is checked before it happens: `checks.rs`).
//!
//! Measured with scripts/bench-traps.sh: a store at every function entry and before
//! every call cost up to 1.6× on call-heavy code (a recursive Fibonacci, a heap sort
//! through an accessor function); written only where the word changes, the worst is
//! about 1.17× and loops cost nothing measurable (a store of a constant to a constant
//! address). Counting the stack depth instead (a global incremented and decremented
//! around every call) cost 40 % on a recursive Fibonacci.
//!
//! Where: the first [`WORD_END`] bytes of memory, which no compiler places anything in
//! (clang starts data at 1024, Rust and Zig put their stack there, growing down towards
//! it, so only a program that overflows its whole shadow stack reaches them; it is
//! corrupting memory already). A module with data there is not watched. In a
//! wasi-threads program each thread writes a slot of its own (`THREAD_SLOTS`).

use serde::Serialize;

use crate::message::{Message, TrapReason};

/// The word's address in memory 0.
pub const WORD: u32 = 0;
/// Where an indirect call's element index is written before the call.
pub const INDEX_WORD: u32 = 4;
/// The bytes of one thread's words (the watch word, then the index word).
pub const SLOT_BYTES: u32 = 8;
/// Slots of a wasi-threads program's threads: the main thread's, one per thread by its
/// id modulo the rest (threads that share a slot are watched together), and a last one
/// nobody watches, for code that runs before an instance knows its thread.
pub const THREAD_SLOTS: u32 = 32;
pub const UNWATCHED_SLOT: u32 = SLOT_BYTES * (THREAD_SLOTS - 1);
/// The bytes rw reserves from address 0.
pub const WORD_END: u64 = (SLOT_BYTES * THREAD_SLOTS) as u64;

/// The host's mark: not written since it last looked. (All values carry "rw" in their
/// high half, so that a stray write of the program's own is never taken for one.)
pub const UNSEEN: i32 = 0x7277_0000;
/// Running its own code.
pub const RUNNING: i32 = 0x7277_0001;
/// About to call a function of its own.
pub const CALLING: i32 = 0x7277_0002;
/// About to call through a table whose types rw could not check ahead.
pub const CALLING_UNCHECKED: i32 = 0x7277_0003;
/// In a WASI call or an atomic wait: it may take any time.
pub const WAITING: i32 = 0x7277_0004;
/// A thread that returned: done, never to be taken for gone.
pub const DONE: i32 = 0x7277_0005;
/// About to call through indirect call site kind `n` (a table and a type), `n` below
/// [`MAX_SITES`]: `FIRST_SITE + n`.
pub const FIRST_SITE: i32 = 0x7278_0000;
pub const MAX_SITES: usize = 0x1_0000;

/// What the extension host needs to watch a run: where the word is, its values, and the
/// line to print for each way the program can be found gone.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Watch {
    /// The first thread's word; `slots` of them, `slot_bytes` apart.
    pub word: u32,
    pub slots: u32,
    pub slot_bytes: u32,
    pub done: i32,
    pub unseen: i32,
    pub waiting: i32,
    /// Found gone after [`CALLING`], after [`CALLING_UNCHECKED`], after anything else.
    pub calling: i32,
    pub calling_unchecked: i32,
    /// Found gone after `first_site + n`: the call through `sites[n]` with the index at
    /// `index_word` failed, its reason told by the table's element there.
    pub first_site: i32,
    pub index_word: u32,
    pub sites: Vec<IndirectSite>,
    /// The tables known before the program runs: the type of each element (the index
    /// of its first equal type), -1 for a null one.
    pub tables: Vec<Vec<i32>>,
    pub stack_line: String,
    pub unchecked_line: String,
    pub memory_line: String,
    pub null_line: String,
    pub type_line: String,
    pub table_line: String,
    /// The exit code that goes with the lines.
    pub code: i32,
    /// The buffer of the program's stdout and stderr, where it has one (`output.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<crate::adapt::output::OutputBuffer>,
    /// The ring its reads of stdin take from, where it has one (`input.rs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<crate::adapt::input::InputRing>,
}

/// One kind of indirect call: through which of [`Watch::tables`] (none: a table the
/// program changes, whose elements are not known), of which type.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct IndirectSite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<u32>,
    pub ty: i32,
}

impl Watch {
    pub fn new(file: &str, slots: u32, sites: Vec<IndirectSite>, tables: Vec<Vec<i32>>) -> Self {
        let line = |reason| {
            Message::Trapped {
                file: file.to_owned(),
                reason,
            }
            .line()
        };
        Watch {
            word: WORD,
            slots,
            slot_bytes: SLOT_BYTES,
            done: DONE,
            unseen: UNSEEN,
            waiting: WAITING,
            calling: CALLING,
            calling_unchecked: CALLING_UNCHECKED,
            first_site: FIRST_SITE,
            index_word: INDEX_WORD,
            sites,
            tables,
            stack_line: line(TrapReason::StackExhausted),
            unchecked_line: line(TrapReason::IndirectCallTypeOrStack),
            memory_line: line(TrapReason::MemoryOutOfBounds),
            null_line: line(TrapReason::IndirectCallToNull),
            type_line: line(TrapReason::IndirectCallType),
            table_line: line(TrapReason::TableOutOfBounds),
            code: crate::message::EXIT_ABORT,
            output: None,
            input: None,
        }
    }
}
