//! Every `unreachable` ends the program cleanly: a Rust panic, C's `abort()`, a failed
//! assert.
//!
//! The WASM WASI Core 1.0.2 posts `workerDone` only after `_start` returns
//! (`src/web/mainWorker.ts`, and its Node twin), so a trap in its worker leaves `run()`
//! unsettled and the shell waiting. So a call of a function the patch adds goes
//! in before each `unreachable` of the module's code: it writes
//! `rw: FILE trapped: wasm `unreachable` instruction executed` to stderr through preview1 `fd_write` and
//! exits with 134 through `proc_exit`, as wasmtime reports a trap. Other traps
//! (out-of-bounds access, division by zero) are not caught this way.

use wasm_encoder::{Function, ValType};

use super::emit::mem;
use super::layout::Layout;
use super::sig;
use super::{CodePatch, TrapsUncaught};
use crate::message::{Message, TrapReason, EXIT_ABORT};
use crate::module::ModuleInfo;

pub struct Traps;

impl CodePatch for Traps {
    fn patch(
        &self,
        module: &ModuleInfo<'_>,
        file: &str,
        layout: &mut Layout,
    ) -> Result<(), TrapsUncaught> {
        let fd_write = layout.preview1_import(module, "fd_write", sig::FD_WRITE);
        let proc_exit = layout.preview1_import(module, "proc_exit", sig::PROC_EXIT);
        let (Some((fd_write, _)), Some((proc_exit, _))) = (fd_write, proc_exit) else {
            return Err(TrapsUncaught::NoWasiExit);
        };
        if module.memory0().is_none_or(|memory| memory.memory64) {
            return Err(TrapsUncaught::NoMemory);
        }
        let (Some(unit), true) = (
            layout.module_type(module, sig::UNIT),
            module.defined_functions > 0,
        ) else {
            return Err(TrapsUncaught::NoUnreachable);
        };
        let message = Message::Trapped {
            file: file.to_owned(),
            reason: TrapReason::Unreachable,
        };
        let body = exit_function(&format!("{}\n", message.line()), fd_write, proc_exit);
        let trap = layout.add_function(unit, "rw.trapped", body);
        layout.call_before_unreachable(trap);
        Ok(())
    }
}

/// `() -> ()`: grows a fresh page for the message (never program memory), writes it to
/// stderr and exits with 134. If memory cannot grow it exits without the message.
pub fn exit_function(message: &str, fd_write: u32, proc_exit: u32) -> Function {
    let message = message.as_bytes();
    let base = 0; // local 0: the fresh page's address
    let mut f = Function::new([(1, ValType::I32)]);
    let mut ins = f.instructions();
    ins.i32_const(1)
        .memory_grow(0)
        .local_tee(base)
        .i32_const(-1)
        .i32_eq();
    ins.if_(wasm_encoder::BlockType::Empty)
        .i32_const(EXIT_ABORT)
        .call(proc_exit)
        .end();
    ins.local_get(base).i32_const(16).i32_shl().local_set(base);
    // The message at base+16, eight bytes at a time.
    for (i, chunk) in message.chunks(8).enumerate() {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        ins.local_get(base)
            .i64_const(i64::from_le_bytes(word))
            .i64_store(mem(16 + 8 * i as u64, 3));
    }
    // One iovec at base: { buf: base+16, len }; nwritten at base+8.
    ins.local_get(base)
        .local_get(base)
        .i32_const(16)
        .i32_add()
        .i32_store(mem(0, 2));
    ins.local_get(base)
        .i32_const(message.len() as i32)
        .i32_store(mem(4, 2));
    ins.i32_const(2)
        .local_get(base)
        .i32_const(1)
        .local_get(base)
        .i32_const(8)
        .i32_add()
        .call(fd_write)
        .drop();
    ins.i32_const(EXIT_ABORT)
        .call(proc_exit)
        .unreachable()
        .end();
    f
}
