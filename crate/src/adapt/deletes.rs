//! `path_unlink_file` and `path_remove_directory` that work in a Node extension host.
//!
//! The WASM WASI Core 1.0.2 deletes through `workspace.fs.delete(uri, { useTrash })`, with
//! `useTrash` true wherever the host has a trash (desktop, code-server). VS Code refuses to
//! trash on a file system an extension provides, and every program's files are rw's own
//! (`extension/src/tree/confinedFs.ts`), so each delete failed with EINVAL. The Core's
//! rename reaches our file system as it is, so each call goes to a wrapper the adapter adds
//! that renames the path to a name no program can make (it starts with a NUL byte), which
//! confinedFs.ts takes for "delete this, never to the trash" ([`MARKER_UNLINK`],
//! [`MARKER_RMDIR`]). The Core then forgets the path as it forgets a renamed one, open
//! descriptors included. Each marker is unique (the Core remembers names it renamed to):
//! the wrapper's scratch address and a count kept at the end of its scratch, in letters.

use wasm_encoder::{BlockType, Function, InstructionSink, ValType};

use super::emit::{if_trailing_slash, mem};

use wasmparser::FuncType;

use super::layout::{Builder, Replaced, Targets};
use super::scratch::get_or_enomem;
use super::{sig, Action, Adaptation, Claim, Context, Done, UNSTABLE};
use crate::module::Import;

/// A delete the Core gets wrong in a Node host.
#[derive(serde::Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum Delete {
    /// `path_unlink_file(fd, path, len)`.
    Unlink,
    /// `path_remove_directory(fd, path, len)`.
    Rmdir,
}

/// What the marker a file is renamed to starts with (confinedFs.ts matches it).
pub const MARKER_UNLINK: &str = "\0rw-unlink-";
/// What the marker starts with for `path_unlink_file("name/")`: never deletes; ENOTDIR for
/// a file and EISDIR for a directory, as on Linux.
pub const MARKER_UNLINK_SLASHED: &str = "\0rw-unlinks";
/// What the marker a directory is renamed to starts with.
pub const MARKER_RMDIR: &str = "\0rw-rmdir--";
// EEXIST is what confinedFs.ts answers for a directory that is not empty (VS Code's errors
// have no ENOTEMPTY); ENOTEMPTY is what rmdir answers then.
use super::errno::{
    EXIST as EEXIST, ISDIR as EISDIR, NOTDIR as ENOTDIR, NOTEMPTY as ENOTEMPTY, PERM as EPERM,
};
/// The function the wrappers call: `(fd, old, old_len, new_fd, new, new_len) -> errno`.
pub const RENAME: &str = "path_rename";
/// The scratch a wrapper asks for: the marker at its start, the count in its last 4 bytes
/// (far from what any other user of scratch writes there).
const SCRATCH: i32 = 128 * 1024;
/// 8 letters for the scratch address, 8 for the count.
const MARKER_LEN: usize = 11 + 16;

impl Delete {
    pub fn name(self) -> &'static str {
        match self {
            Delete::Unlink => "path_unlink_file",
            Delete::Rmdir => "path_remove_directory",
        }
    }

    fn marker(self) -> &'static str {
        match self {
            Delete::Unlink => MARKER_UNLINK,
            Delete::Rmdir => MARKER_RMDIR,
        }
    }

    /// `(fd, path, len) -> errno`: [`RENAME`] of `path` to a fresh marker in the same
    /// directory, or ENOMEM without scratch.
    pub fn body(self, targets: &Targets) -> Function {
        let (fd, path, len, base, count) = (0, 1, 2, 3, 4);
        let mut f = Function::new([(2, ValType::I32)]);
        let mut sink = f.instructions();
        sink.i64_const(i64::from(SCRATCH));
        get_or_enomem(&mut sink, targets.scratch, base);
        write_marker(&mut sink, base, count, self.marker());
        if self == Delete::Unlink {
            // "name/": the slashed marker, which differs in its last letter.
            let last = MARKER_UNLINK_SLASHED.len() - 1;
            if_trailing_slash(&mut sink, path, len, |sink| {
                sink.local_get(base)
                    .i32_const(i32::from(MARKER_UNLINK_SLASHED.as_bytes()[last]))
                    .i32_store8(mem(last as u64, 0));
            });
        }
        sink.local_get(fd)
            .local_get(path)
            .local_get(len)
            .local_get(fd)
            .local_get(base)
            .i32_const(MARKER_LEN as i32)
            .call(targets.preview1(RENAME));
        // A dirfd without the rights to rename from and to (a program may open one so) gets
        // the Core's own delete: right in a web host, EINVAL where the host has a trash.
        sink.local_tee(count)
            .i32_const(EPERM)
            .i32_eq()
            .if_(BlockType::Empty)
            .local_get(fd)
            .local_get(path)
            .local_get(len)
            .call(targets.preview1(self.name()))
            .local_set(count)
            .end()
            .local_get(count);
        if self == Delete::Rmdir {
            sink.local_tee(count)
                .i32_const(EEXIST)
                .i32_eq()
                .if_(BlockType::Empty)
                .i32_const(ENOTEMPTY)
                .return_()
                .end()
                .local_get(count);
        }
        sink.end();
        f
    }
}

/// Writes a fresh `marker` at local `base` (the start of [`SCRATCH`] bytes of scratch): the
/// prefix, then `base` and the count (kept in the last 4 bytes of scratch, incremented into
/// local `count`) in letters.
fn write_marker(sink: &mut InstructionSink<'_>, base: u32, count: u32, marker: &str) {
    let count_at = (SCRATCH - 4) as u64;
    sink.local_get(base)
        .local_get(base)
        .i32_load(mem(count_at, 2))
        .i32_const(1)
        .i32_add()
        .local_tee(count)
        .i32_store(mem(count_at, 2));
    for (i, byte) in marker.bytes().enumerate() {
        sink.local_get(base)
            .i32_const(i32::from(byte))
            .i32_store8(mem(i as u64, 0));
    }
    letters(sink, base, base, marker.len() as u64);
    letters(sink, count, base, marker.len() as u64 + 8);
}

/// `path_rename(fd, old, old_len, new_fd, new, new_len) -> errno` that replaces an existing
/// target as POSIX rename does: the Core answers EEXIST (its own cache, and VS Code's rename
/// without overwrite). Then a file or an empty directory of the source's kind is deleted
/// (through a marker, as above) and the rename tried again; a directory onto a file is
/// ENOTDIR, a file onto a directory EISDIR, onto a full directory ENOTEMPTY.
pub fn rename_body(targets: &Targets) -> Function {
    let (fd, old, old_len, new_fd, new, new_len) = (0, 1, 2, 3, 4, 5);
    let (errno, base, count, target_dir) = (6, 7, 8, 9);
    let mut f = Function::new([(4, ValType::I32)]);
    let rename = targets.preview1(RENAME);
    let stat = targets.preview1(FILESTAT);
    let mut sink = f.instructions();
    let call_rename = |sink: &mut InstructionSink<'_>| {
        sink.local_get(fd)
            .local_get(old)
            .local_get(old_len)
            .local_get(new_fd)
            .local_get(new)
            .local_get(new_len)
            .call(rename);
    };
    call_rename(&mut sink);
    sink.local_tee(errno)
        .i32_const(EEXIST)
        .i32_ne()
        .if_(BlockType::Empty)
        .local_get(errno)
        .return_()
        .end();
    sink.i64_const(i64::from(SCRATCH));
    get_or_enomem(&mut sink, targets.scratch, base);
    // filestats: the target's at base + 64, the source's at base + 128 (filetype at 16).
    for (dirfd, path, len, offset) in [(new_fd, new, new_len, 64), (fd, old, old_len, 128)] {
        sink.local_get(dirfd)
            .i32_const(0)
            .local_get(path)
            .local_get(len)
            .local_get(base)
            .i32_const(offset)
            .i32_add()
            .call(stat)
            .local_tee(errno)
            .if_(BlockType::Empty)
            .local_get(errno)
            .return_()
            .end();
    }
    // The same file (dev and ino alike; the Core numbers its nodes once each): nothing
    // to do, as POSIX says, where deleting the target would delete the source.
    for field in [0, 8] {
        sink.local_get(base)
            .i64_load(mem(64 + field, 3))
            .local_get(base)
            .i64_load(mem(128 + field, 3))
            .i64_eq();
    }
    sink.i32_and()
        .if_(BlockType::Empty)
        .i32_const(0)
        .return_()
        .end();
    sink.local_get(base)
        .i32_load8_u(mem(64 + 16, 0))
        .i32_const(FILETYPE_DIRECTORY)
        .i32_eq()
        .local_tee(target_dir)
        .local_get(base)
        .i32_load8_u(mem(128 + 16, 0))
        .i32_const(FILETYPE_DIRECTORY)
        .i32_eq()
        .i32_ne()
        .if_(BlockType::Empty)
        // A file onto a directory: EISDIR; a directory onto a file: ENOTDIR.
        .i32_const(EISDIR)
        .i32_const(ENOTDIR)
        .local_get(target_dir)
        .select()
        .return_()
        .end();
    // Delete the target: a marker of its kind in its directory.
    sink.local_get(target_dir).if_(BlockType::Empty);
    write_marker(&mut sink, base, count, MARKER_RMDIR);
    sink.else_();
    write_marker(&mut sink, base, count, MARKER_UNLINK);
    sink.end();
    sink.local_get(new_fd)
        .local_get(new)
        .local_get(new_len)
        .local_get(new_fd)
        .local_get(base)
        .i32_const(MARKER_LEN as i32)
        .call(rename)
        .local_tee(errno)
        .if_(BlockType::Empty)
        .i32_const(ENOTEMPTY)
        .local_get(errno)
        .local_get(errno)
        .i32_const(EEXIST)
        .i32_eq()
        .select()
        .return_()
        .end();
    call_rename(&mut sink);
    sink.end();
    f
}

/// `path_filestat_get(fd, flags, path, len, buf) -> errno`, which the rename wrapper asks.
pub const FILESTAT: &str = "path_filestat_get";
const FILETYPE_DIRECTORY: i32 = 3;

/// Writes the 8 nibbles of local `value` as letters `a`-`p` at `base + offset`.
fn letters(sink: &mut InstructionSink<'_>, value: u32, base: u32, offset: u64) {
    for nibble in 0..8u64 {
        sink.local_get(base)
            .local_get(value)
            .i32_const(28 - 4 * nibble as i32)
            .i32_shr_u()
            .i32_const(15)
            .i32_and()
            .i32_const(i32::from(b'a'))
            .i32_add()
            .i32_store8(mem(offset + nibble, 0));
    }
}

/// Wraps the two deletes and `path_rename`.
pub struct Deletes;

impl Adaptation for Deletes {
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
        match replaced.action {
            Action::Delete(delete) => {
                replaced.expect(sig::FD_PATH)?;
                layout.need_import(RENAME, sig::RENAME);
                layout.need_import(delete.name(), sig::FD_PATH);
                layout.need_scratch();
                layout.mark(MARKER, Vec::new());
                layout.add_function(format!("rw.deletes.{name}"), move |targets| {
                    delete.body(targets)
                });
            }
            _ => {
                replaced.expect(sig::RENAME)?;
                layout.need_import(RENAME, sig::RENAME);
                layout.need_import(FILESTAT, sig::PATH_FILESTAT);
                layout.need_scratch();
                layout.mark(MARKER, Vec::new());
                layout.add_function(format!("rw.deletes.{name}"), rename_body);
            }
        }
        Ok(())
    }
}

/// The wrapper for import `module.name` of type `ty`, if it is one of the deletes or
/// `path_rename` (preview1's, or `wasi_unstable`'s: the same ABI) and not wrapped yet.
fn action(module: &str, name: &str, ty: Option<&FuncType>, wrapped: bool) -> Option<Action> {
    let host = module == UNSTABLE || crate::wasi_core::HOST_MODULES.contains(&module);
    if !host || wrapped {
        return None;
    }
    if name == RENAME {
        return sig::RENAME.is(ty).then_some(Action::Rename);
    }
    if !sig::FD_PATH.is(ty) {
        return None;
    }
    [Delete::Unlink, Delete::Rmdir]
        .into_iter()
        .find(|d| d.name() == name)
        .map(Action::Delete)
}

/// The custom section of a module whose deletes the adapter wrapped.
pub const MARKER: &str = "rw.deletes";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapt::PREVIEW1;

    #[test]
    fn the_two_deletes_are_wrapped_once() {
        let fd_path = sig::func_type("(i32, i32, i32) -> (i32)");
        let sig = Some(&fd_path);
        assert_eq!(
            action(PREVIEW1, "path_unlink_file", sig, false),
            Some(Action::Delete(Delete::Unlink))
        );
        assert_eq!(
            action(UNSTABLE, "path_remove_directory", sig, false),
            Some(Action::Delete(Delete::Rmdir))
        );
        assert_eq!(action(PREVIEW1, "path_unlink_file", sig, true), None);
        assert_eq!(action(PREVIEW1, "path_rename", sig, false), None);
        let rename = sig::func_type("(i32, i32, i32, i32, i32, i32) -> (i32)");
        assert_eq!(
            action(PREVIEW1, "path_rename", Some(&rename), false),
            Some(Action::Rename)
        );
        assert_eq!(action("env", "path_unlink_file", sig, false), None);
    }

    #[test]
    fn both_markers_are_as_long() {
        assert_eq!(MARKER_UNLINK.len(), MARKER_RMDIR.len());
        assert_eq!(MARKER_UNLINK.len(), MARKER_UNLINK_SLASHED.len());
        assert_eq!(MARKER_UNLINK[..10], MARKER_UNLINK_SLASHED[..10]);
        assert_eq!(MARKER_UNLINK.len() + 16, MARKER_LEN);
    }
}
