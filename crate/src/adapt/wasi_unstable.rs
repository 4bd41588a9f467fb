//! WASI snapshot 0 (`wasi_unstable`) on top of preview1.
//!
//! Checked against the witx of both (WebAssembly/WASI `legacy/preview0/witx/` and
//! `legacy/preview1/witx/`) and wasmtime's `crates/wasi/src/p0.rs`, which maps p0
//! onto p1 the same way. Only four functions differ in ABI:
//!
//! - `fd_seek`: `whence` is renumbered. p0: CUR=0, END=1, SET=2; p1: SET=0, CUR=1, END=2.
//! - `fd_filestat_get`, `path_filestat_get`: p0 `linkcount` is u32, so `filestat` is
//!   56 bytes (dev u64 @0, ino u64 @8, filetype u8 @16, nlink u32 @20, size u64 @24,
//!   atim @32, mtim @40, ctim @48) against p1's 64 (nlink u64 @24, size @32, atim @40,
//!   mtim @48, ctim @56).
//! - `poll_oneoff`: p0 `subscription_clock` starts with a u64 `identifier` (then id
//!   u32 @8, timeout u64 @16, precision u64 @24, flags u16 @32: 40 bytes; p1: id @0,
//!   timeout @8, precision @16, flags @24: 32 bytes). A subscription is userdata u64
//!   @0, the union's u8 tag @8 and its payload @16 in both, so it is 56 bytes in p0
//!   and 48 in p1. `event` is 32 bytes in both (userdata @0, error u16 @8, type u8 @10,
//!   fd_readwrite {nbytes u64 @16, flags u16 @24}) and needs no translation.
//!
//! Everything else is the same in both: errno, clockid, rights (p1 only adds
//! `sock_accept` as bit 29), fdflags, oflags, lookupflags, fstflags, fdstat (24
//! bytes), dirent (24 bytes), prestat, iovec, signal, and every other function's
//! parameters. Those functions are just imported from `wasi_snapshot_preview1`.
//! p0 also has `proc_raise` and `fd_fdstat_set_rights`, which the Core lacks: ENOSYS.

use serde::Serialize;
use wasm_encoder::{BlockType, Function, InstructionSink, ValType};

use wasmparser::FuncType;

use super::emit::mem;
use super::layout::{Builder, Replaced, Targets};
use super::scratch::get_or_enomem;
use super::sig::Sig;
use super::{Action, AdaptError, Adaptation, Claim, Context, Done, UNSTABLE};
use crate::module::{signature_text, Import};

/// Whether `wasi_unstable.witx` has this function: all of preview1's but the one
/// preview1 added, `sock_accept`.
pub fn in_snapshot0(name: &str) -> bool {
    name != "sock_accept" && crate::wasi_core::PREVIEW1_FUNCTIONS.contains(&name)
}

/// A `wasi_unstable` function whose ABI differs from its preview1 namesake.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum Shim {
    FdSeek,
    FdFilestatGet,
    PathFilestatGet,
    PollOneoff,
}

/// Snapshot 0 imports: the four whose ABI changed get a shim, the others are imported
/// from preview1 instead (those the Core lacks get ENOSYS stubs: `enosys.rs`).
pub struct WasiUnstable;

impl Adaptation for WasiUnstable {
    fn claim(&self, import: &Import, ty: Option<&FuncType>, _cx: &Context) -> Claim {
        if import.module != UNSTABLE {
            return Ok(None);
        }
        if let Some(shim) = Shim::named(import.name) {
            if !shim.sig().is(ty) {
                return Err(AdaptError::Signature {
                    module: import.module.to_owned(),
                    name: import.name.to_owned(),
                    found: ty.map_or("(not a function type)".to_owned(), signature_text),
                    expected: shim.sig().to_string(),
                });
            }
            return Ok(Some(Action::Shim(shim)));
        }
        let repointed = in_snapshot0(import.name) && crate::wasi_core::core_has(import.name);
        Ok(repointed.then_some(Action::Repoint))
    }

    fn replace<'a>(
        &self,
        replaced: &Replaced<'a>,
        _cx: &Context,
        layout: &mut Builder<'a>,
    ) -> Done {
        let Action::Shim(shim) = replaced.action else {
            unreachable!("a re-pointed import stays an import")
        };
        replaced.expect(shim.sig())?;
        layout.need_import(shim.name(), shim.sig());
        if shim.needs_scratch() {
            layout.need_scratch();
        }
        let Import { module, name, .. } = replaced.import;
        layout.add_function(format!("{module}.{name}"), move |targets| {
            shim.body(targets)
        });
        Ok(())
    }
}

const P0_FILESTAT: u32 = 56;
const P1_FILESTAT: u64 = 64;
const P0_SUBSCRIPTION: i32 = 56;
const P1_SUBSCRIPTION: i64 = 48;

use ValType::{I32, I64};

impl Shim {
    pub const ALL: [Shim; 4] = [
        Shim::FdSeek,
        Shim::FdFilestatGet,
        Shim::PathFilestatGet,
        Shim::PollOneoff,
    ];

    pub fn named(name: &str) -> Option<Shim> {
        Shim::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The function's name, the same in both snapshots.
    pub fn name(self) -> &'static str {
        match self {
            Shim::FdSeek => "fd_seek",
            Shim::FdFilestatGet => "fd_filestat_get",
            Shim::PathFilestatGet => "path_filestat_get",
            Shim::PollOneoff => "poll_oneoff",
        }
    }

    /// Parameters of the core function, in both snapshots (the result is an i32 errno).
    pub fn params(self) -> &'static [ValType] {
        match self {
            Shim::FdSeek => &[I32, I64, I32, I32],
            Shim::FdFilestatGet => &[I32, I32],
            Shim::PathFilestatGet => &[I32, I32, I32, I32, I32],
            Shim::PollOneoff => &[I32, I32, I32, I32],
        }
    }

    /// Its type, the same in both snapshots.
    pub fn sig(self) -> Sig {
        super::sig::errno(self.params())
    }

    /// Whether the shim needs scratch memory.
    pub fn needs_scratch(self) -> bool {
        self != Shim::FdSeek
    }

    /// The body of the shim, a function of [`Shim::params`] -> i32.
    pub fn body(self, targets: &Targets) -> Function {
        let preview1 = targets.preview1(self.name());
        match self {
            Shim::FdSeek => fd_seek(preview1),
            Shim::FdFilestatGet => fd_filestat_get(targets, |_| {}),
            Shim::PathFilestatGet => filestat(preview1, 4, targets.scratch, |_| {}),
            Shim::PollOneoff => poll_oneoff(preview1, targets.scratch),
        }
    }
}

/// `(fd, offset: i64, whence, newoffset_ptr)`: whence' = whence < 3 ? (whence + 1) % 3 : whence
/// (0 CUR -> 1, 1 END -> 2, 2 SET -> 0; anything else stays invalid for the host to refuse).
fn fd_seek(preview1: u32) -> Function {
    let mut f = Function::new([]);
    f.instructions()
        .local_get(0)
        .local_get(1)
        .local_get(2)
        .i32_const(1)
        .i32_add()
        .i32_const(3)
        .i32_rem_u()
        .local_get(2)
        .local_get(2)
        .i32_const(3)
        .i32_lt_u()
        .select()
        .local_get(3)
        .call(preview1)
        .end();
    f
}

/// The `fd_filestat_get` shim, with `then` put in after a successful conversion (the
/// `isatty()` correction, `isatty.rs`).
pub fn fd_filestat_get(targets: &Targets, then: impl FnOnce(&mut InstructionSink<'_>)) -> Function {
    let shim = Shim::FdFilestatGet;
    filestat(targets.preview1(shim.name()), 1, targets.scratch, then)
}

/// `fd_filestat_get(fd, buf)` and `path_filestat_get(fd, flags, path, path_len, buf)`:
/// the parameters before `buf` go to preview1 as they are, with scratch in place of
/// `buf`; on success the 64 bytes are converted into the caller's 56, then `then` runs.
/// Every store ends at or before `buf + 56`.
fn filestat(
    preview1: u32,
    buf: u32,
    scratch: u32,
    then: impl FnOnce(&mut InstructionSink<'_>),
) -> Function {
    let s = buf + 1;
    let errno = buf + 2;
    let mut f = Function::new([(2, I32)]);
    let mut sink = f.instructions();
    sink.i64_const(P1_FILESTAT as i64);
    get_or_enomem(&mut sink, scratch, s);
    for param in 0..buf {
        sink.local_get(param);
    }
    sink.local_get(s)
        .call(preview1)
        .local_tee(errno)
        .if_(BlockType::Empty)
        .local_get(errno)
        .return_()
        .end();
    // dev @0 and ino @8: same place.
    for offset in [0, 8] {
        sink.local_get(buf)
            .local_get(s)
            .i64_load(mem(offset, 3))
            .i64_store(mem(offset, 3));
    }
    // filetype u8 @16, stored as a u32 so that the padding up to nlink is zero.
    sink.local_get(buf)
        .local_get(s)
        .i32_load8_u(mem(16, 0))
        .i32_store(mem(16, 2));
    // nlink: u64 @24 -> u32 @20 (more than 4 Gi links do not happen).
    sink.local_get(buf)
        .local_get(s)
        .i64_load(mem(24, 3))
        .i32_wrap_i64()
        .i32_store(mem(20, 2));
    // size, atim, mtim, ctim: 8 bytes earlier in snapshot 0.
    for p0 in [24, 32, 40, 48] {
        sink.local_get(buf)
            .local_get(s)
            .i64_load(mem(p0 + 8, 3))
            .i64_store(mem(p0, 3));
    }
    debug_assert_eq!(48 + 8, P0_FILESTAT);
    then(&mut sink);
    sink.i32_const(0).end();
    f
}

/// `poll_oneoff(in, out, nsubscriptions, nevents_ptr)`: copies the subscriptions into
/// scratch in preview1's layout, then lets preview1 write the events (same layout)
/// straight into `out`. The caller's subscriptions are only read.
fn poll_oneoff(preview1: u32, scratch: u32) -> Function {
    let (input, out, n, nevents) = (0, 1, 2, 3);
    let (s, i, src, dst, payload) = (4, 5, 6, 7, 8);
    let mut f = Function::new([(5, I32)]);
    let mut sink = f.instructions();
    sink.local_get(n)
        .i64_extend_i32_u()
        .i64_const(P1_SUBSCRIPTION)
        .i64_mul();
    get_or_enomem(&mut sink, scratch, s);
    sink.local_get(input)
        .local_set(src)
        .local_get(s)
        .local_set(dst)
        .block(BlockType::Empty)
        .loop_(BlockType::Empty)
        .local_get(i)
        .local_get(n)
        .i32_ge_u()
        .br_if(1)
        // userdata u64 @0
        .local_get(dst)
        .local_get(src)
        .i64_load(mem(0, 3))
        .i64_store(mem(0, 3))
        // the tag u8 @8, widened so that the padding up to the payload is zero
        .local_get(dst)
        .local_get(src)
        .i64_load8_u(mem(8, 0))
        .i64_store(mem(8, 3))
        // The payload @16: a clock's starts 8 bytes later in snapshot 0 (after its
        // identifier); fd_read/fd_write's (a u32 fd) does not move.
        .local_get(src)
        .local_get(src)
        .i32_load8_u(mem(8, 0))
        .i32_eqz()
        .i32_const(3)
        .i32_shl()
        .i32_add()
        .local_set(payload);
    // 32 payload bytes: a p1 clock (id, timeout, precision, flags) is exactly that; a
    // clock reads p0 @24..56 and an fd @16..48, both within the 56-byte entry.
    for offset in [16, 24, 32, 40] {
        sink.local_get(dst)
            .local_get(payload)
            .i64_load(mem(offset, 3))
            .i64_store(mem(offset, 3));
    }
    sink.local_get(src)
        .i32_const(P0_SUBSCRIPTION)
        .i32_add()
        .local_set(src)
        .local_get(dst)
        .i32_const(P1_SUBSCRIPTION as i32)
        .i32_add()
        .local_set(dst)
        .local_get(i)
        .i32_const(1)
        .i32_add()
        .local_set(i)
        .br(0)
        .end()
        .end()
        .local_get(s)
        .local_get(out)
        .local_get(n)
        .local_get(nevents)
        .call(preview1)
        .end();
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shims_have_the_abi_of_both_snapshots() {
        assert_eq!(
            Shim::FdSeek.sig().to_string(),
            "(i32, i64, i32, i32) -> (i32)"
        );
        assert_eq!(Shim::FdFilestatGet.sig().to_string(), "(i32, i32) -> (i32)");
        assert!(!in_snapshot0("sock_accept"), "preview1 only");
        assert!(in_snapshot0("fd_write"));
    }
}
