//! `fd_prestat_get` as preview1 means it: a look-up by fd.
//!
//! The WASM WASI Core 1.0.2 answers `fd_prestat_get` from an iterator that ignores the
//! fd: each call hands out the next preopen, and the call after the last one ends
//! "start-up", from when on it can open files at all; every call after that answers
//! EINVAL. A program that stops at the preopen it looked for (the wasi-testsuite's Rust
//! tests, any `wasi` crate program) never ends start-up, and every `path_open` answers
//! EINVAL; a program that asks twice gets EINVAL instead of EBADF. rw gives every program
//! one preopen, `/` at fd 3 ([`crate::tree::PREOPEN`]), so each call of `fd_prestat_get`
//! goes to a wrapper the adapter adds:
//! - for fd 3 it asks the Core, then asks for fd 4 too, which ends start-up (the buffer is
//!   kept as the first answer left it); if the Core says EINVAL, start-up ended before,
//!   and the answer is rw's one preopen, `/`;
//! - for any other fd it asks the Core, and EINVAL, its "no more", becomes EBADF.
//!
//! And `fd_prestat_dir_name` of fd 3 with a buffer shorter than `/` is ENAMETOOLONG, where
//! the Core writes past the buffer.
//!
//! A runtime that looks preopens up by fd (node:wasi, the test double) answers as it
//! would without the wrapper. Redirecting works as for the `isatty()` wrapper
//! (`isatty.rs`).

use wasm_encoder::{BlockType, Function, ValType};

use super::emit::mem;

use wasmparser::FuncType;

use super::layout::{Builder, Replaced, Targets};
use super::{sig, Action, Adaptation, Claim, Context, Done, UNSTABLE};
use crate::module::Import;

/// The custom section of a module whose `fd_prestat_get` the adapter wrapped.
pub const MARKER: &str = "rw.preopens";
/// The function wrapped, of type `(fd, buf) -> errno`.
pub const NAME: &str = "fd_prestat_get";
/// The fd of rw's one preopen: the first after stdio.
pub const PREOPEN_FD: i32 = 3;
// EBADF: not a preopen; EINVAL: the Core's answer once its preopens were all handed out.
use super::errno::{BADF as EBADF, INVAL as EINVAL, NAMETOOLONG as ENAMETOOLONG};

/// Wraps `fd_prestat_get` and `fd_prestat_dir_name`.
pub struct Preopens;

impl Adaptation for Preopens {
    fn claim(&self, import: &Import, ty: Option<&FuncType>, cx: &Context) -> Claim {
        Ok(action(import.module, import.name, ty, cx.marked(MARKER)))
    }

    fn replace<'a>(
        &self,
        replaced: &Replaced<'a>,
        _cx: &Context,
        layout: &mut Builder<'a>,
    ) -> Done {
        let name = replaced.import.name;
        if replaced.action == Action::Preopens {
            replaced.expect(sig::STAT)?;
            layout.need_import(NAME, sig::STAT);
            layout.need_memory();
            layout.mark(MARKER, Vec::new());
            layout.add_function(format!("rw.preopens.{name}"), body);
        } else {
            replaced.expect(sig::FD_PATH)?;
            layout.need_import(DIR_NAME, sig::FD_PATH);
            layout.mark(MARKER, Vec::new());
            layout.add_function(format!("rw.preopens.{name}"), dir_name_body);
        }
        Ok(())
    }
}

/// The wrapper for import `module.name` of type `ty`, if it is `fd_prestat_get` or
/// `fd_prestat_dir_name` (preview1's or `wasi_unstable`'s, the same ABI) and not wrapped
/// yet.
fn action(module: &str, name: &str, ty: Option<&FuncType>, wrapped: bool) -> Option<Action> {
    let host = module == UNSTABLE || crate::wasi_core::HOST_MODULES.contains(&module);
    if !host || wrapped {
        return None;
    }
    match name {
        NAME if sig::STAT.is(ty) => Some(Action::Preopens),
        DIR_NAME if sig::FD_PATH.is(ty) => Some(Action::PreopenName),
        _ => None,
    }
}

/// The name's function, of type `(fd, buf, len) -> errno`.
pub const DIR_NAME: &str = "fd_prestat_dir_name";

/// `(fd, buf, len) -> errno`: ENAMETOOLONG for fd 3 and a buffer too short for its name.
pub fn dir_name_body(targets: &Targets) -> Function {
    let (fd, buf, len) = (0, 1, 2);
    let mut f = Function::new([]);
    f.instructions()
        .local_get(fd)
        .i32_const(PREOPEN_FD)
        .i32_eq()
        .local_get(len)
        .i32_const(crate::tree::PREOPEN.len() as i32)
        .i32_lt_u()
        .i32_and()
        .if_(BlockType::Empty)
        .i32_const(ENAMETOOLONG)
        .return_()
        .end()
        .local_get(fd)
        .local_get(buf)
        .local_get(len)
        .call(targets.preview1(DIR_NAME))
        .end();
    f
}

/// `(fd, buf) -> errno`.
pub fn body(targets: &Targets) -> Function {
    let (fd, buf, errno, kept) = (0, 1, 2, 3);
    let real = targets.preview1(NAME);
    let mut f = Function::new([(1, ValType::I32), (1, ValType::I64)]);
    let mut sink = f.instructions();
    sink.local_get(fd)
        .local_get(buf)
        .call(real)
        .local_set(errno);
    sink.local_get(fd)
        .i32_const(PREOPEN_FD)
        .i32_ne()
        .if_(BlockType::Empty)
        .i32_const(EBADF)
        .local_get(errno)
        .local_get(errno)
        .i32_const(EINVAL)
        .i32_eq()
        .select()
        .return_()
        .end();
    // fd 3: end the Core's start-up, keeping the answer in the buffer.
    sink.local_get(buf)
        .i64_load(mem(0, 0))
        .local_set(kept)
        .i32_const(PREOPEN_FD + 1)
        .local_get(buf)
        .call(real)
        .drop()
        .local_get(buf)
        .local_get(kept)
        .i64_store(mem(0, 0));
    sink.local_get(errno)
        .i32_const(EINVAL)
        .i32_eq()
        .if_(BlockType::Empty)
        // prestat: tag 0 (a directory), then the u32 length of its name.
        .local_get(buf)
        .i32_const(0)
        .i32_store8(mem(0, 0))
        .local_get(buf)
        .i32_const(crate::tree::PREOPEN.len() as i32)
        .i32_store(mem(4, 0))
        .i32_const(0)
        .local_set(errno)
        .end()
        .local_get(errno)
        .end();
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapt::PREVIEW1;

    #[test]
    fn only_fd_prestat_get_of_a_wasi_module_is_wrapped_once() {
        let stat = sig::func_type("(i32, i32) -> (i32)");
        let odd = sig::func_type("(i32) -> (i32)");
        let sig = Some(&stat);
        assert_eq!(action(PREVIEW1, NAME, sig, false), Some(Action::Preopens));
        assert_eq!(action(UNSTABLE, NAME, sig, false), Some(Action::Preopens));
        assert_eq!(action(PREVIEW1, NAME, sig, true), None);
        assert_eq!(action("env", NAME, sig, false), None);
        assert_eq!(action(PREVIEW1, "fd_prestat_dir_name", sig, false), None);
        assert_eq!(action(PREVIEW1, NAME, Some(&odd), false), None);
    }
}
