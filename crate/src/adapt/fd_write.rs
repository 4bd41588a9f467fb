//! `fd_write` of more than two iovecs, one iovec at a time.
//!
//! The WASM WASI Core 1.0.2 joins the buffers of a write of 3 or more iovecs wrongly: its
//! pipe and console drivers (`src/common/pipeDriver.ts`, `consoleDriver.ts`) copy them
//! into one buffer with `offset = item.byteLength` where `offset +=` is meant, so from the
//! third on each lands over the second; and Rust's `std` writes with several. So every call of the preview1 `fd_write`
//! import in the module's code goes to a wrapper the patch adds, which hands 0, 1 or 2
//! iovecs to the Core as they are and more one by one.

use wasm_encoder::{BlockType, Function, InstructionSink, ValType};

use super::emit::{iovec_loop, mem};
use super::errno::{NOTCAPABLE as ENOTCAPABLE, PERM as EPERM};
use super::layout::Layout;
use super::sig;
use super::{CodePatch, TrapsUncaught};
use crate::module::ModuleInfo;

pub struct SplitWrites;

/// The wrapper's name in the name section, by which `notes.rs` finds it.
pub const WRAPPER_NAME: &str = "rw.fd_write_one_by_one";

impl CodePatch for SplitWrites {
    fn patch(
        &self,
        module: &ModuleInfo<'_>,
        _file: &str,
        layout: &mut Layout,
    ) -> Result<(), TrapsUncaught> {
        let Some((fd_write, type_index)) =
            layout.preview1_import(module, "fd_write", sig::FD_WRITE)
        else {
            return Err(TrapsUncaught::NoWasiExit);
        };
        if module.memory0().is_none_or(|memory| memory.memory64) {
            return Err(TrapsUncaught::NoMemory);
        }
        if module.defined_functions == 0 {
            return Err(TrapsUncaught::NoUnreachable);
        }
        // The trap instrumentation may buffer what goes through it (`output.rs`,
        // `notes.rs`).
        let write = layout.add_function(type_index, WRAPPER_NAME, split_write(fd_write));
        layout.redirect_calls(fd_write, write);
        Ok(())
    }
}

/// `fd_write`'s type: 0, 1 or 2 iovecs go to the Core as they are (it joins those
/// right); more go one by one, stopping at an error or a short write. `nwritten` gets
/// the sum; an error is returned only if nothing was written. The caller's own iovec
/// array and `nwritten` are all the memory it uses. The Core's EPERM, its answer for an
/// fd without the `fd_write` right, is preview1's ENOTCAPABLE (as in `errnos.rs`,
/// whose wrappers cannot reach `fd_write`: every call of it comes here).
fn split_write(fd_write: u32) -> Function {
    let (fd, iovs, count, nwritten) = (0, 1, 2, 3);
    let (i, total, errno, iov) = (4, 5, 6, 7);
    let word = |offset| mem(offset, 2);
    let mut f = Function::new([(4, ValType::I32)]);
    let mut ins = f.instructions();
    ins.local_get(count).i32_const(2).i32_le_u();
    ins.if_(BlockType::Empty)
        .local_get(fd)
        .local_get(iovs)
        .local_get(count)
        .local_get(nwritten)
        .call(fd_write)
        .local_set(errno);
    perm_as_notcapable(&mut ins, errno);
    ins.local_get(errno).return_().end();
    iovec_loop(&mut ins, iovs, count, i, iov);
    ins.local_get(fd)
        .local_get(iov)
        .i32_const(1)
        .local_get(nwritten)
        .call(fd_write)
        .local_tee(errno)
        .br_if(1);
    ins.local_get(total)
        .local_get(nwritten)
        .i32_load(word(0))
        .i32_add()
        .local_set(total);
    // A short write ends it, as it would end a writev.
    ins.local_get(nwritten)
        .i32_load(word(0))
        .local_get(iov)
        .i32_load(word(4))
        .i32_ne()
        .br_if(1);
    ins.local_get(i).i32_const(1).i32_add().local_set(i).br(0);
    ins.end().end();
    ins.local_get(nwritten).local_get(total).i32_store(word(0));
    perm_as_notcapable(&mut ins, errno);
    // errno if nothing was written, else success: select(errno, 0, total == 0).
    ins.local_get(errno)
        .i32_const(0)
        .local_get(total)
        .i32_eqz()
        .select()
        .end();
    f
}

/// errno `perm` in local `errno` becomes `notcapable`.
fn perm_as_notcapable(ins: &mut InstructionSink<'_>, errno: u32) {
    ins.local_get(errno)
        .i32_const(EPERM)
        .i32_eq()
        .if_(BlockType::Empty)
        .i32_const(ENOTCAPABLE)
        .local_set(errno)
        .end();
}
