//! Local functions standing in for imports nothing provides.
//!
//! - ENOSYS: a WASI function the Core lacks returns errno `nosys`, as a host without
//!   it would; programs handle that (e.g. `raise()` fails with ENOSYS).
//! - Unknown imports: the program may never call them (many import functions for
//!   features they do not use). If it does, the stub says so on stderr through
//!   preview1 `fd_write` and exits with 134 through `proc_exit`; the `unreachable`
//!   after it satisfies any result type and would trap if `proc_exit` returned.
//!   The message lives in a passive data segment that `memory.init` copies into
//!   scratch, so no program memory is written.

use wasm_encoder::{BlockType, Function, MemArg, ValType};
use wasmparser::FuncType;

use super::imports::Targets;
use super::{ENOSYS, STUB_EXIT_CODE};

/// Where the stub puts the iovec (8 bytes) and `nwritten` (4) in its scratch; the
/// message follows at [`MESSAGE_AT`].
const MESSAGE_AT: i32 = 16;
const STDERR: i32 = 2;

/// Returns ENOSYS (52) when the only result is an i32 errno, as for every preview1
/// function; an odd signature gets zeros for its other results, or a trap when it
/// returns a type without a zero.
pub fn enosys(ty: &FuncType) -> Function {
    returning(ty, ENOSYS)
}

/// A function of type `ty` that returns `errno` (and zeros for any further results).
pub fn returning(ty: &FuncType, errno: i32) -> Function {
    let mut f = Function::new([]);
    let mut sink = f.instructions();
    let mut errno_given = false;
    for result in ty.results() {
        match result {
            wasmparser::ValType::I32 if !errno_given => {
                errno_given = true;
                sink.i32_const(errno);
            }
            wasmparser::ValType::I32 => {
                sink.i32_const(0);
            }
            wasmparser::ValType::I64 => {
                sink.i64_const(0);
            }
            wasmparser::ValType::F32 => {
                sink.f32_const(0.0.into());
            }
            wasmparser::ValType::F64 => {
                sink.f64_const(0.0.into());
            }
            _ => {
                sink.unreachable();
                break;
            }
        }
    }
    sink.end();
    f
}

/// The message's place in the adapter's data segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    pub offset: u32,
    pub len: u32,
}

/// Writes the message (if scratch can be had) and exits with 134. `params` is the
/// number of parameters of the import's type: the one local comes after them.
pub fn unknown(params: u32, message: Message, targets: &Targets) -> Function {
    let base = params;
    let mut f = Function::new([(1, ValType::I32)]);
    let at = |offset| MemArg {
        offset,
        align: 2,
        target: wasm_encoder::MemArgTarget::Memory(0),
        ordering: None,
    };
    f.instructions()
        .i64_const(i64::from(message.len) + i64::from(MESSAGE_AT))
        .call(targets.scratch)
        .local_tee(base)
        .i32_const(-1)
        .i32_ne()
        .if_(BlockType::Empty)
        // memory.init(segment): dst = base + 16, src = offset, len
        .local_get(base)
        .i32_const(MESSAGE_AT)
        .i32_add()
        .i32_const(message.offset as i32)
        .i32_const(message.len as i32)
        .memory_init(0, targets.message_segment)
        // iovec @0 = { buf: base + 16, len }
        .local_get(base)
        .local_get(base)
        .i32_const(MESSAGE_AT)
        .i32_add()
        .i32_store(at(0))
        .local_get(base)
        .i32_const(message.len as i32)
        .i32_store(at(4))
        // fd_write(2, iovs = base, 1, nwritten = base + 8); a failure changes nothing
        .i32_const(STDERR)
        .local_get(base)
        .i32_const(1)
        .local_get(base)
        .i32_const(8)
        .i32_add()
        .call(targets.preview1("fd_write"))
        .drop()
        .end()
        .i32_const(STUB_EXIT_CODE)
        .call(targets.preview1("proc_exit"))
        .unreachable()
        .end();
    f
}
