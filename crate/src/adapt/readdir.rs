//! `fd_readdir` with `.` and `..`, as every POSIX host and wasmtime list them.
//!
//! The WASM WASI Core 1.0.2 lists neither (wasi-libc's `readdir` hands them to C programs
//! elsewhere; Rust's `read_dir` skips them either way). A wrapper puts the two first:
//! cookie 0 starts with `.` (its inode the directory's, from `fd_filestat_get`), cookie 1
//! with `..`; the Core's own entries follow, asked for from its cookie 0 (which also makes
//! the Core read the directory afresh) and with every `d_next` moved up by 2; cookie
//! `c >= 2` is the Core's `c - 2`. The two entries are built in scratch and copied, cut
//! short where the buffer is, as the Core cuts its own.

use wasm_encoder::{BlockType, Function, ValType};

use super::emit::mem;

use wasmparser::FuncType;

use super::layout::{Builder, Replaced, Targets};
use super::scratch::get_or_enomem;
use super::{errnos, sig, Action, Adaptation, Claim, Context, Done, UNSTABLE};
use crate::module::Import;

/// The function wrapped: `(fd, buf, buf_len, cookie, bufused) -> errno`.
pub const NAME: &str = "fd_readdir";
/// What the wrapper asks for the inode of `.`: `(fd, filestat) -> errno`.
pub const FILESTAT: &str = "fd_filestat_get";
/// A dirent's header: d_next u64, d_ino u64, d_namlen u32, d_type u8, padding.
const DIRENT: i32 = 24;
const FILETYPE_DIRECTORY: i32 = 3;
/// Where in scratch: the filestat at 0 (64 bytes), the two entries at 64.
const ENTRIES: i32 = 64;
/// `.` then `..`: 24 + 1 and 24 + 2 bytes.
const DOT: i32 = DIRENT + 1;
const BOTH: i32 = DOT + DIRENT + 2;

/// Wraps `fd_readdir`.
pub struct Readdir;

impl Adaptation for Readdir {
    fn claim(&self, import: &Import, ty: Option<&FuncType>, cx: &Context) -> Claim {
        // Marked as every adapted module is: its fd_readdir is the wrapper already.
        Ok(action(
            import.module,
            import.name,
            ty,
            cx.marked(errnos::MARKER),
        ))
    }

    fn replace<'a>(
        &self,
        replaced: &Replaced<'a>,
        _cx: &Context,
        layout: &mut Builder<'a>,
    ) -> Done {
        replaced.expect(sig::READDIR)?;
        layout.need_import(NAME, sig::READDIR);
        layout.need_import(FILESTAT, sig::STAT);
        layout.need_scratch();
        let name = replaced.import.name;
        layout.add_function(format!("rw.readdir.{name}"), body);
        Ok(())
    }
}

/// The wrapper for import `module.name` of type `ty`, if it is `fd_readdir`.
fn action(module: &str, name: &str, ty: Option<&FuncType>, wrapped: bool) -> Option<Action> {
    let host = module == UNSTABLE || crate::wasi_core::HOST_MODULES.contains(&module);
    (host && !wrapped && name == NAME && sig::READDIR.is(ty)).then_some(Action::Readdir)
}

/// `(fd, buf, buf_len, cookie, bufused) -> errno`.
pub fn body(targets: &Targets) -> Function {
    let (fd, buf, buf_len, cookie, bufused) = (0, 1, 2, 3, 4);
    let (scratch, skip, head, errno, p, end) = (5, 6, 7, 8, 9, 10);
    let mut f = Function::new([(6, ValType::I32)]);
    let real = targets.preview1(NAME);
    let mut sink = f.instructions();
    // cookie >= 2: the Core's cookie - 2, with its d_next moved up by 2 below.
    sink.local_get(cookie)
        .i64_const(2)
        .i64_ge_u()
        .if_(BlockType::Empty)
        .local_get(fd)
        .local_get(buf)
        .local_get(buf_len)
        .local_get(cookie)
        .i64_const(2)
        .i64_sub()
        .local_get(bufused)
        .call(real)
        .local_tee(errno)
        .if_(BlockType::Empty)
        .local_get(errno)
        .return_()
        .end()
        .local_get(buf)
        .local_set(p)
        .local_get(buf)
        .local_get(bufused)
        .i32_load(mem(0, 2))
        .i32_add()
        .local_set(end);
    shift(&mut sink, p, end);
    sink.i32_const(0).return_().end();
    // The two entries in scratch: `.` (inode from fd_filestat_get) and `..`.
    sink.i64_const(i64::from(ENTRIES + BOTH));
    get_or_enomem(&mut sink, targets.scratch, scratch);
    sink.local_get(fd)
        .local_get(scratch)
        .call(targets.preview1(FILESTAT))
        .local_tee(errno)
        .if_(BlockType::Empty)
        .local_get(errno)
        .return_()
        .end();
    for (offset, next, namlen) in [(ENTRIES, 1i64, 1), (ENTRIES + DOT, 2, 2)] {
        let o = offset as u64;
        sink.local_get(scratch).i64_const(next).i64_store(mem(o, 0));
        sink.local_get(scratch);
        if namlen == 1 {
            sink.local_get(scratch).i64_load(mem(8, 0)); // the directory's inode
        } else {
            sink.i64_const(0);
        }
        sink.i64_store(mem(o + 8, 0));
        sink.local_get(scratch)
            .i32_const(namlen)
            .i32_store(mem(o + 16, 0));
        sink.local_get(scratch)
            .i32_const(FILETYPE_DIRECTORY)
            .i32_store8(mem(o + 20, 0));
        for i in 0..namlen {
            sink.local_get(scratch)
                .i32_const(i32::from(b'.'))
                .i32_store8(mem(o + DIRENT as u64 + i as u64, 0));
        }
    }
    // cookie 1 starts at `..`.
    sink.i32_const(DOT)
        .i32_const(0)
        .local_get(cookie)
        .i64_const(1)
        .i64_eq()
        .select()
        .local_set(skip)
        .i32_const(BOTH)
        .local_get(skip)
        .i32_sub()
        .local_set(head);
    // A buffer too small for them: as much as fits, and full.
    sink.local_get(buf_len)
        .local_get(head)
        .i32_le_u()
        .if_(BlockType::Empty)
        .local_get(buf)
        .local_get(scratch)
        .i32_const(ENTRIES)
        .i32_add()
        .local_get(skip)
        .i32_add()
        .local_get(buf_len)
        .memory_copy(0, 0)
        .local_get(bufused)
        .local_get(buf_len)
        .i32_store(mem(0, 2))
        .i32_const(0)
        .return_()
        .end();
    sink.local_get(buf)
        .local_get(scratch)
        .i32_const(ENTRIES)
        .i32_add()
        .local_get(skip)
        .i32_add()
        .local_get(head)
        .memory_copy(0, 0);
    // The Core's entries after them, from its cookie 0.
    sink.local_get(fd)
        .local_get(buf)
        .local_get(head)
        .i32_add()
        .local_get(buf_len)
        .local_get(head)
        .i32_sub()
        .i64_const(0)
        .local_get(bufused)
        .call(real)
        .local_tee(errno)
        .if_(BlockType::Empty)
        .local_get(errno)
        .return_()
        .end()
        .local_get(buf)
        .local_get(head)
        .i32_add()
        .local_tee(p)
        .local_get(bufused)
        .i32_load(mem(0, 2))
        .i32_add()
        .local_set(end);
    shift(&mut sink, p, end);
    sink.local_get(bufused)
        .local_get(bufused)
        .i32_load(mem(0, 2))
        .local_get(head)
        .i32_add()
        .i32_store(mem(0, 2))
        .i32_const(0)
        .end();
    f
}

/// Adds 2 to the `d_next` of each whole dirent header from local `p` to local `end`.
fn shift(sink: &mut wasm_encoder::InstructionSink<'_>, p: u32, end: u32) {
    sink.block(BlockType::Empty)
        .loop_(BlockType::Empty)
        .local_get(p)
        .i32_const(DIRENT)
        .i32_add()
        .local_get(end)
        .i32_gt_u()
        .br_if(1)
        .local_get(p)
        .local_get(p)
        .i64_load(mem(0, 0))
        .i64_const(2)
        .i64_add()
        .i64_store(mem(0, 0))
        .local_get(p)
        .local_get(p)
        .i32_load(mem(16, 0))
        .i32_const(DIRENT)
        .i32_add()
        .i32_add()
        .local_set(p)
        .br(0)
        .end()
        .end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapt::PREVIEW1;

    #[test]
    fn only_fd_readdir_with_its_abi_is_wrapped_once() {
        let readdir = sig::func_type("(i32, i32, i32, i64, i32) -> (i32)");
        let odd = sig::func_type("(i32) -> (i32)");
        let sig = Some(&readdir);
        assert_eq!(action(PREVIEW1, NAME, sig, false), Some(Action::Readdir));
        assert_eq!(action(PREVIEW1, NAME, sig, true), None);
        assert_eq!(action(PREVIEW1, NAME, Some(&odd), false), None);
        assert_eq!(BOTH, 51);
    }
}
