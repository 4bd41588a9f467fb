//! The errnos preview1 specifies where the WASM WASI Core 1.0.2 answers others.
//!
//! - A call on an fd that lacks the right it needs is ENOTCAPABLE in preview1 (wasmtime
//!   answers ENOTCAPABLE or EBADF); the Core answers EPERM, which rw's file system also
//!   answers for a path that leaves the program's tree. So a wrapper calls the real
//!   function and, only when it says EPERM, asks `fd_fdstat_get` whether the fd lacks the
//!   right: then ENOTCAPABLE. For `path_open` the EPERM of a dirfd that is not a
//!   directory becomes ENOTDIR, and a directory opened with O_DIRECTORY and the right to
//!   write is closed again: EISDIR, as open(2) answers; so is a file opened as `name/`:
//!   ENOTDIR. An absolute path, or one whose `..` climb above its dirfd, is EPERM before
//!   the Core sees it, as cap-std answers (the Core would clamp it at `/`). Nothing is asked on success, so no
//!   call gets slower.
//! - `fd_filestat_set_times` and `path_filestat_set_times` are ENOSYS in the Core (VS Code
//!   cannot set times); flags that ask for a time and for "now" at once are EINVAL first,
//!   as in wasmtime.
//! - `fd_close` of a directory opened as `.` is EBADF in the Core from its second time on (it
//!   takes no reference for `.` but drops one at close; Rust's `read_dir(".")` then panics
//!   in `closedir`), though the fd is closed; so is ENOSYS for fd 0, 1 or 2 (its pipe
//!   driver cannot close): an fd that was open is closed, success.
//! - `fd_renumber` onto an open fd is EBADF in the Core, and onto a closed one it succeeds;
//!   preview1 closes the open one, and refuses a closed one with EBADF.
//! - `sock_shutdown` is ENOSYS for every fd in the Core; on an fd that is not open it is
//!   EBADF and on one that is not a socket ENOTSOCK, as everywhere else.
//!
//! Only functions imported from preview1 with their ABI are wrapped (`wasi_unstable`'s
//! have shims of their own), once ([`MARKER`]).

use wasm_encoder::{BlockType, Function, ValType};

use super::emit::{if_trailing_slash, mem};

use wasmparser::FuncType;

use super::layout::{Builder, Replaced, Targets};
use super::scratch::get_or_enomem;
use super::sig::{self, Sig};
use super::{Action, Adaptation, Claim, Context, Done, UNSTABLE};
use crate::module::Import;

/// The custom section of a module whose errnos the adapter corrects.
pub const MARKER: &str = "rw.errnos";
/// The function the wrappers ask: `(fd, fdstat) -> errno`.
pub const FDSTAT: &str = "fd_fdstat_get";
/// What the renumber wrapper closes an open target with: `(fd) -> errno`.
pub const CLOSE: &str = "fd_close";

use super::errno::{
    BADF as EBADF, INVAL as EINVAL, ISDIR as EISDIR, NOSYS as ENOSYS, NOTCAPABLE as ENOTCAPABLE,
    NOTDIR as ENOTDIR, NOTSOCK as ENOTSOCK, PERM as EPERM,
};
const FILETYPE_DIRECTORY: i32 = 3;
const OFLAGS_DIRECTORY: i32 = 2;
const RIGHT_FD_WRITE: i64 = 1 << 6;
const FILETYPE_SOCKET_DGRAM: i32 = 5;
const FILETYPE_SOCKET_STREAM: i32 = 6;

/// What a wrapped function gets corrected.
#[derive(serde::Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum Correction {
    /// EPERM for an fd without these rights (preview1's `rights` bits) is ENOTCAPABLE.
    Rights { function: &'static str, rights: u64 },
    /// EPERM for a dirfd that is not a directory is ENOTDIR.
    PathOpen,
    /// EBADF or ENOTSOCK before the Core's ENOSYS.
    SockShutdown,
    /// EINVAL for contradictory fstflags before the Core's ENOSYS.
    Fstflags { function: &'static str },
    /// Success for an fd that was open.
    Close,
    /// EBADF for an fd not open; an open `to` is closed first.
    Renumber,
}

const I32: ValType = ValType::I32;
const I64: ValType = ValType::I64;
/// (function, its ABI, the rights it needs).
const RIGHTS: &[(&str, &[ValType], u64)] = &[
    ("fd_datasync", &[I32], 1 << 0),
    ("fd_read", &[I32, I32, I32, I32], 1 << 1),
    ("fd_pread", &[I32, I32, I32, I64, I32], 1 << 1 | 1 << 2),
    ("fd_seek", &[I32, I64, I32, I32], 1 << 2),
    ("fd_sync", &[I32], 1 << 4),
    ("fd_tell", &[I32, I32], 1 << 5),
    ("fd_pwrite", &[I32, I32, I32, I64, I32], 1 << 6 | 1 << 2),
    ("fd_advise", &[I32, I64, I64, I32], 1 << 7),
    ("fd_filestat_set_size", &[I32, I64], 1 << 22),
];
const PATH_OPEN: &[ValType] = &[I32, I32, I32, I32, I32, I64, I64, I32, I32];
const SOCK_SHUTDOWN: &[ValType] = &[I32, I32];
/// (function, its ABI): the fstflags are the last parameter.
const SET_TIMES: &[(&str, &[ValType])] = &[
    ("fd_filestat_set_times", &[I32, I64, I64, I32]),
    (
        "path_filestat_set_times",
        &[I32, I32, I32, I32, I64, I64, I32],
    ),
];
/// fstflags: `atim`, `atim_now`, `mtim`, `mtim_now`.
const ATIM_BOTH: i32 = 1 | 2;
const MTIM_BOTH: i32 = 4 | 8;

impl Correction {
    pub fn name(self) -> &'static str {
        match self {
            Correction::Rights { function, .. } => function,
            Correction::PathOpen => "path_open",
            Correction::SockShutdown => "sock_shutdown",
            Correction::Fstflags { function } => function,
            Correction::Close => "fd_close",
            Correction::Renumber => "fd_renumber",
        }
    }

    pub fn sig(self) -> Sig {
        let params = match self {
            Correction::Rights { function, .. } => RIGHTS
                .iter()
                .find(|(name, ..)| *name == function)
                .map(|(_, params, _)| *params)
                .expect("a correction of the table"),
            Correction::PathOpen => PATH_OPEN,
            Correction::SockShutdown | Correction::Renumber => SOCK_SHUTDOWN,
            Correction::Close => &[I32],
            Correction::Fstflags { function } => SET_TIMES
                .iter()
                .find(|(name, _)| *name == function)
                .map(|(_, params)| *params)
                .expect("a correction of the table"),
        };
        sig::errno(params)
    }

    /// Calls the real function (for sock_shutdown after the checks) and corrects its errno.
    pub fn body(self, targets: &Targets) -> Function {
        let params = self.sig().params.len() as u32;
        let (errno, stat) = (params, params + 1);
        // errno, stat, then the path check's four (path_open only).
        let mut f = Function::new([(6, ValType::I32)]);
        let real = targets.preview1(self.name());
        let mut sink = f.instructions();
        // The fdstat of the fd (parameter 0) into `stat`, its errno on the stack.
        let ask = |sink: &mut wasm_encoder::InstructionSink<'_>| fdstat(sink, targets, 0, stat);
        if self == Correction::PathOpen {
            refuse_climbing_out(&mut sink, 2, 3, params + 2);
        }
        if self == Correction::SockShutdown {
            ask(&mut sink);
            sink.if_(BlockType::Empty)
                .i32_const(EBADF)
                .return_()
                .end()
                .local_get(stat)
                .i32_load8_u(mem(0, 0))
                .local_tee(errno)
                .i32_const(FILETYPE_SOCKET_DGRAM)
                .i32_ne()
                .local_get(errno)
                .i32_const(FILETYPE_SOCKET_STREAM)
                .i32_ne()
                .i32_and()
                .if_(BlockType::Empty)
                .i32_const(ENOTSOCK)
                .return_()
                .end();
        }
        match self {
            Correction::Close => {
                // errno := whether fd was open (0), then what the Core says. The Core
                // drops the fd whatever its driver says: EBADF (`.`, above) and ENOSYS
                // (a pipe of stdio, whose driver cannot close) are a closed fd too.
                ask(&mut sink);
                sink.local_set(errno)
                    .local_get(0)
                    .call(real)
                    .local_tee(stat)
                    .i32_const(EBADF)
                    .i32_eq()
                    .local_get(stat)
                    .i32_const(ENOSYS)
                    .i32_eq()
                    .i32_or()
                    .local_get(errno)
                    .i32_eqz()
                    .i32_and()
                    .if_(BlockType::Empty)
                    .i32_const(0)
                    .local_set(stat)
                    .end()
                    .local_get(stat)
                    .end();
                return f;
            }
            Correction::Renumber => {
                for fd in [0, 1] {
                    fdstat(&mut sink, targets, fd, stat);
                    sink.if_(BlockType::Empty).i32_const(EBADF).return_().end();
                }
                // Onto itself: nothing to do, as dup2(fd, fd) and wasmtime answer (the
                // close below would lose the fd).
                sink.local_get(0)
                    .local_get(1)
                    .i32_eq()
                    .if_(BlockType::Empty)
                    .i32_const(0)
                    .return_()
                    .end();
                // Both open: the Core's EBADF is for an open `to`, which preview1 closes.
                sink.local_get(0)
                    .local_get(1)
                    .call(real)
                    .local_tee(errno)
                    .i32_const(EBADF)
                    .i32_eq()
                    .if_(BlockType::Empty)
                    .local_get(1)
                    .call(targets.preview1(CLOSE))
                    .drop()
                    .local_get(0)
                    .local_get(1)
                    .call(real)
                    .local_set(errno)
                    .end()
                    .local_get(errno)
                    .end();
                return f;
            }
            _ => {}
        }
        if let Correction::Fstflags { .. } = self {
            let flags = params - 1;
            for both in [ATIM_BOTH, MTIM_BOTH] {
                sink.local_get(flags)
                    .i32_const(both)
                    .i32_and()
                    .i32_const(both)
                    .i32_eq()
                    .if_(BlockType::Empty)
                    .i32_const(EINVAL)
                    .return_()
                    .end();
            }
        }
        for param in 0..params {
            sink.local_get(param);
        }
        sink.call(real);
        // Only an fd's rights and path_open's dirfd make the Core's EPERM another errno.
        if !matches!(self, Correction::Rights { .. } | Correction::PathOpen) {
            sink.end();
            return f;
        }
        sink.local_tee(errno).i32_const(EPERM).i32_eq();
        sink.if_(BlockType::Empty);
        match self {
            Correction::Rights { rights, .. } => {
                ask(&mut sink);
                // fdstat known, and some right missing: fs_rights_base at 8.
                sink.i32_eqz()
                    .local_get(stat)
                    .i64_load(mem(8, 3))
                    .i64_const(rights as i64)
                    .i64_and()
                    .i64_const(rights as i64)
                    .i64_ne()
                    .i32_and()
                    .if_(BlockType::Empty)
                    .i32_const(ENOTCAPABLE)
                    .local_set(errno)
                    .end();
            }
            Correction::PathOpen => {
                ask(&mut sink);
                sink.i32_eqz()
                    .local_get(stat)
                    .i32_load8_u(mem(0, 0))
                    .i32_const(FILETYPE_DIRECTORY)
                    .i32_ne()
                    .i32_and()
                    .if_(BlockType::Empty)
                    .i32_const(ENOTDIR)
                    .local_set(errno)
                    .end();
            }
            _ => unreachable!("returned above"),
        }
        sink.end();
        if self == Correction::PathOpen {
            // O_DIRECTORY with the right to write opened a directory: EISDIR, as open(2).
            let (oflags, rights_base, opened) = (4, 5, 8);
            sink.local_get(errno)
                .i32_eqz()
                .local_get(oflags)
                .i32_const(OFLAGS_DIRECTORY)
                .i32_and()
                .i32_const(0)
                .i32_ne()
                .i32_and()
                .local_get(rights_base)
                .i64_const(RIGHT_FD_WRITE)
                .i64_and()
                .i64_const(0)
                .i64_ne()
                .i32_and()
                .if_(BlockType::Empty);
            close_opened(&mut sink, targets, opened, EISDIR, errno);
            sink.end();
            // "name/" that opened something other than a directory: ENOTDIR, as open(2).
            let (path, len) = (2, 3);
            sink.local_get(errno).i32_eqz().if_(BlockType::Empty);
            if_trailing_slash(&mut sink, path, len, |sink| {
                sink.i64_const(24)
                    .call(targets.scratch)
                    .local_tee(stat)
                    .i32_const(-1)
                    .i32_ne()
                    .if_(BlockType::Empty)
                    .local_get(opened)
                    .i32_load(mem(0, 2))
                    .local_get(stat)
                    .call(targets.preview1(FDSTAT))
                    .i32_eqz()
                    .local_get(stat)
                    .i32_load8_u(mem(0, 0))
                    .i32_const(FILETYPE_DIRECTORY)
                    .i32_ne()
                    .i32_and()
                    .if_(BlockType::Empty);
                close_opened(sink, targets, opened, ENOTDIR, errno);
                sink.end().end();
            });
            sink.end();
        }
        sink.local_get(errno).end();
        f
    }
}

/// Asks `fd_fdstat_get` for local `fd` into 24 bytes of scratch (local `stat`), leaving its
/// errno on the stack; returns ENOMEM from the function without scratch.
fn fdstat(sink: &mut wasm_encoder::InstructionSink<'_>, targets: &Targets, fd: u32, stat: u32) {
    sink.i64_const(24);
    get_or_enomem(sink, targets.scratch, stat);
    sink.local_get(fd)
        .local_get(stat)
        .call(targets.preview1(FDSTAT));
}

/// Closes the fd `path_open` stored at the address in local `opened`, which the program
/// must not get, and sets local `errno` to `answer` instead.
fn close_opened(
    sink: &mut wasm_encoder::InstructionSink<'_>,
    targets: &Targets,
    opened: u32,
    answer: i32,
    errno: u32,
) {
    sink.local_get(opened)
        .i32_load(mem(0, 2))
        .call(targets.preview1(CLOSE))
        .drop()
        .i32_const(answer)
        .local_set(errno);
}

/// Returns EPERM, as cap-std and wasmtime answer, for a path (locals `path`, `len`) that is
/// absolute or whose `..` climb above the directory it starts from: the Core would clamp
/// such a path at `/` of the program's tree (rw's file system refuses what would leave the
/// tree; this gives wasmtime's errno for a climb out of any directory fd). Uses the four
/// i32 locals from `scratch`.
fn refuse_climbing_out(
    sink: &mut wasm_encoder::InstructionSink<'_>,
    path: u32,
    len: u32,
    scratch: u32,
) {
    let (i, depth, seg, dots) = (scratch, scratch + 1, scratch + 2, scratch + 3);
    let byte = mem(0, 0);
    // Absolute: EPERM.
    sink.local_get(len)
        .if_(BlockType::Empty)
        .local_get(path)
        .i32_load8_u(byte)
        .i32_const(i32::from(b'/'))
        .i32_eq()
        .if_(BlockType::Empty)
        .i32_const(EPERM)
        .return_()
        .end()
        .end();
    sink.i32_const(0).local_set(i).i32_const(0).local_set(depth);
    sink.i32_const(0)
        .local_set(seg)
        .i32_const(0)
        .local_set(dots);
    sink.block(BlockType::Empty).loop_(BlockType::Empty);
    // At the end or at a `/`, the segment ends: `..` climbs, `.` stays, a name descends.
    sink.local_get(i)
        .local_get(len)
        .i32_ge_u()
        .if_(BlockType::Result(ValType::I32))
        .i32_const(1)
        .else_()
        .local_get(path)
        .local_get(i)
        .i32_add()
        .i32_load8_u(byte)
        .i32_const(i32::from(b'/'))
        .i32_eq()
        .end()
        .if_(BlockType::Empty)
        .local_get(seg)
        .if_(BlockType::Empty)
        .local_get(seg)
        .local_get(dots)
        .i32_eq()
        .local_get(dots)
        .i32_const(2)
        .i32_eq()
        .i32_and()
        .if_(BlockType::Empty)
        .local_get(depth)
        .i32_eqz()
        .if_(BlockType::Empty)
        .i32_const(EPERM)
        .return_()
        .end()
        .local_get(depth)
        .i32_const(1)
        .i32_sub()
        .local_set(depth)
        .else_()
        // depth += 1 unless the segment is `.`
        .local_get(seg)
        .i32_const(1)
        .i32_eq()
        .local_get(dots)
        .i32_const(1)
        .i32_eq()
        .i32_and()
        .i32_eqz()
        .local_get(depth)
        .i32_add()
        .local_set(depth)
        .end()
        .end()
        .i32_const(0)
        .local_set(seg)
        .i32_const(0)
        .local_set(dots)
        .else_()
        // One more byte of the segment; `dots` counts while it is only dots.
        .local_get(path)
        .local_get(i)
        .i32_add()
        .i32_load8_u(byte)
        .i32_const(i32::from(b'.'))
        .i32_eq()
        .local_get(seg)
        .local_get(dots)
        .i32_eq()
        .i32_and()
        .local_get(dots)
        .i32_add()
        .local_set(dots)
        .local_get(seg)
        .i32_const(1)
        .i32_add()
        .local_set(seg)
        .end();
    sink.local_get(i)
        .local_get(len)
        .i32_ge_u()
        .br_if(1)
        .local_get(i)
        .i32_const(1)
        .i32_add()
        .local_set(i)
        .br(0)
        .end()
        .end();
}

/// `fd_allocate(fd, offset, len) -> errno` without the Core's, which inserts bytes at the
/// offset instead of reserving them: ENOTSUP (58), as wasmtime answers, after EBADF for an
/// fd not open and ENOTCAPABLE for one without the right (a directory).
pub fn unsupported_allocate(targets: &Targets) -> Function {
    let stat = 3;
    let mut f = Function::new([(1, ValType::I32)]);
    let mut sink = f.instructions();
    fdstat(&mut sink, targets, 0, stat);
    sink.if_(BlockType::Empty)
        .i32_const(EBADF)
        .return_()
        .end()
        .i32_const(ENOTCAPABLE)
        .i32_const(super::ENOTSUP)
        .local_get(stat)
        .i64_load(mem(8, 3))
        .i64_const(1 << 8)
        .i64_and()
        .i64_eqz()
        .select()
        .end();
    f
}

/// Corrects the errnos of the functions [`Correction`] names.
pub struct Errnos;

impl Adaptation for Errnos {
    fn claim(&self, import: &Import, ty: Option<&FuncType>, cx: &Context) -> Claim {
        Ok(action(import.module, import.name, ty, cx.marked(MARKER)))
    }

    fn replace<'a>(
        &self,
        replaced: &Replaced<'a>,
        _cx: &Context,
        layout: &mut Builder<'a>,
    ) -> Done {
        let Action::Errno(correction) = replaced.action else {
            unreachable!("claimed as Errno")
        };
        replaced.expect(correction.sig())?;
        layout.need_import(correction.name(), correction.sig());
        // The fstflags check asks nothing of the fd; every other correction asks its
        // fdstat, into scratch.
        if !matches!(correction, Correction::Fstflags { .. }) {
            layout.need_import(FDSTAT, sig::STAT);
            layout.need_scratch();
        }
        if matches!(correction, Correction::Renumber | Correction::PathOpen) {
            layout.need_import(CLOSE, sig::CLOSE);
        }
        let name = replaced.import.name;
        layout.add_function(wrapper_name(name), move |targets| correction.body(targets));
        Ok(())
    }
}

/// `fd_allocate`, whose Core inserts bytes at the offset instead of reserving them:
/// ENOTSUP, as wasmtime answers ([`unsupported_allocate`]).
pub struct Allocate;

impl Adaptation for Allocate {
    fn claim(&self, import: &Import, _ty: Option<&FuncType>, _cx: &Context) -> Claim {
        let wasi =
            import.module == UNSTABLE || crate::wasi_core::HOST_MODULES.contains(&import.module);
        Ok((wasi && import.name == "fd_allocate").then_some(Action::Notsup))
    }

    fn replace<'a>(
        &self,
        replaced: &Replaced<'a>,
        _cx: &Context,
        layout: &mut Builder<'a>,
    ) -> Done {
        replaced.expect(sig::ALLOCATE)?;
        layout.need_import(FDSTAT, sig::STAT);
        layout.need_scratch();
        let Import { module, name, .. } = replaced.import;
        layout.add_function(format!("{module}.{name}"), unsupported_allocate);
        Ok(())
    }
}

/// The name of the wrapper of preview1 import `name` in the name section (`notes.rs`
/// finds wrappers by it).
pub fn wrapper_name(name: &str) -> String {
    format!("rw.errnos.{name}")
}

/// The correction for import `module.name` of type `ty`, if any, and if the module
/// was not corrected before.
fn action(module: &str, name: &str, ty: Option<&FuncType>, corrected: bool) -> Option<Action> {
    if corrected || !crate::wasi_core::HOST_MODULES.contains(&module) {
        return None;
    }
    let correction = match name {
        "path_open" => Correction::PathOpen,
        "sock_shutdown" => Correction::SockShutdown,
        "fd_close" => Correction::Close,
        "fd_renumber" => Correction::Renumber,
        _ if SET_TIMES.iter().any(|(n, _)| *n == name) => Correction::Fstflags {
            function: SET_TIMES.iter().find(|(n, _)| *n == name)?.0,
        },
        _ => RIGHTS
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(function, _, rights)| Correction::Rights {
                function,
                rights: *rights,
            })?,
    };
    correction.sig().is(ty).then_some(Action::Errno(correction))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapt::{PREVIEW1, UNSTABLE};

    #[test]
    fn preview1_functions_with_their_abi_are_corrected_once() {
        let seek_ty = sig::func_type("(i32, i64, i32, i32) -> (i32)");
        let seek = Some(&seek_ty);
        assert!(matches!(
            action(PREVIEW1, "fd_seek", seek, false),
            Some(Action::Errno(Correction::Rights { rights: 4, .. }))
        ));
        assert_eq!(action(PREVIEW1, "fd_seek", seek, true), None);
        assert_eq!(action(UNSTABLE, "fd_seek", seek, false), None);
        assert_eq!(
            action(
                PREVIEW1,
                "fd_seek",
                Some(&sig::func_type("(i32) -> (i32)")),
                false
            ),
            None
        );
        assert_eq!(
            action(
                PREVIEW1,
                "sock_shutdown",
                Some(&sig::func_type("(i32, i32) -> (i32)")),
                false
            ),
            Some(Action::Errno(Correction::SockShutdown))
        );
        assert_eq!(
            action(
                PREVIEW1,
                "fd_write",
                Some(&sig::func_type("(i32, i32, i32, i32) -> (i32)")),
                false
            ),
            None
        );
    }
}
