//! `isatty()` that tells the truth about stdio that is not a terminal (crw's pipes
//! and files).
//!
//! The WASM WASI Core 1.0.2 reports fds 0-2 as `character_device` without the
//! `fd_seek`/`fd_tell` rights whatever they are connected to, which is exactly what
//! wasi-libc's `isatty()` (and so Rust's `is_terminal()`) takes for a terminal. When
//! the request says which streams are not terminals, each call of `fd_fdstat_get` and
//! `fd_filestat_get` goes to a wrapper the adapter adds: it calls the real function
//! and, on success for one of those fds, overwrites the filetype with `unknown` (0),
//! what wasmtime reports for stdio that is not a tty. Which fds is a constant of the
//! wrapper. Redirecting works as for the `wasi_unstable` shims: the import is
//! replaced by the wrapper, and its slot imports the real function again, for the
//! wrapper to call (`layout.rs`). A `wasi_unstable` program's `fd_fdstat_get` (the
//! same ABI) gets the same wrapper, and its `fd_filestat_get` the snapshot 0 shim with
//! the correction at its end.
//!
//! A custom section ([`MARKER`]) records that the module was corrected, so that
//! adapting it again changes nothing, as for every other adaptation.

use serde::Serialize;
use wasm_encoder::{BlockType, Function, InstructionSink, MemArg, MemArgTarget, ValType};

use wasmparser::FuncType;

use super::layout::{Builder, Replaced, Targets};
use super::{sig, wasi_unstable, Action, Adaptation, Claim, Context, Done, UNSTABLE};
use crate::module::Import;

/// The custom section of a module whose stdio filetypes the adapter corrected; its
/// content is the mask of [`Isatty::not_terminals`].
pub const MARKER: &str = "rw.isatty";

/// WASI's filetype `unknown`.
const FILETYPE_UNKNOWN: i32 = 0;

/// A function whose result says which filetype an fd has.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum Stat {
    /// `fd_fdstat_get`: the 24-byte fdstat, `fs_filetype` u8 at 0.
    Fdstat,
    /// `fd_filestat_get`: the 64-byte filestat, `filetype` u8 at 16.
    Filestat,
    /// `wasi_unstable.fd_filestat_get`: snapshot 0's 56-byte filestat, converted from
    /// preview1's by its shim; `filetype` u8 at 16 too.
    UnstableFilestat,
}

impl Stat {
    pub fn name(self) -> &'static str {
        match self {
            Stat::Fdstat => "fd_fdstat_get",
            Stat::Filestat | Stat::UnstableFilestat => "fd_filestat_get",
        }
    }

    fn filetype_offset(self) -> u64 {
        match self {
            Stat::Fdstat => 0,
            Stat::Filestat | Stat::UnstableFilestat => 16,
        }
    }

    /// Whether the body needs the adapter's scratch memory.
    pub fn needs_scratch(self) -> bool {
        self == Stat::UnstableFilestat
    }
}

/// One wrapped function, and which of fds 0-2 it reports as not terminals.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub struct Isatty {
    pub stat: Stat,
    /// Bit `fd` set for each of fds 0-2 that is not a terminal; never 0.
    pub not_terminals: u8,
}

/// Wraps the functions that report filetypes, when some stdio stream is not a terminal.
pub struct IsattyWrapper;

impl Adaptation for IsattyWrapper {
    fn claim(&self, import: &Import, ty: Option<&FuncType>, cx: &Context) -> Claim {
        Ok(action(import.module, import.name, ty, cx.not_terminals))
    }

    fn replace<'a>(
        &self,
        replaced: &Replaced<'a>,
        _cx: &Context,
        layout: &mut Builder<'a>,
    ) -> Done {
        let Action::Isatty(wrap) = replaced.action else {
            unreachable!("claimed as Isatty")
        };
        replaced.expect(sig::STAT)?;
        layout.need_import(wrap.stat.name(), sig::STAT);
        layout.need_memory();
        if wrap.stat.needs_scratch() {
            layout.need_scratch();
        }
        layout.mark(MARKER, vec![wrap.not_terminals]);
        let name = replaced.import.name;
        layout.add_function(format!("rw.isatty.{name}"), move |targets| {
            wrap.body(targets)
        });
        Ok(())
    }
}

/// The wrapper for import `module.name` of type `signature`, if it reports filetypes:
/// preview1's, or `wasi_unstable`'s (which then also does what the import's own
/// adaptation does). `mask`: [`Context::not_terminals`].
pub fn action(module: &str, name: &str, ty: Option<&FuncType>, mask: u8) -> Option<Action> {
    if mask == 0 || !sig::STAT.is(ty) {
        return None;
    }
    let stat = match (module, name) {
        (UNSTABLE, "fd_fdstat_get") => Stat::Fdstat,
        (UNSTABLE, "fd_filestat_get") => Stat::UnstableFilestat,
        (UNSTABLE, _) => return None,
        (module, "fd_fdstat_get") if crate::wasi_core::HOST_MODULES.contains(&module) => {
            Stat::Fdstat
        }
        (module, "fd_filestat_get") if crate::wasi_core::HOST_MODULES.contains(&module) => {
            Stat::Filestat
        }
        _ => return None,
    };
    Some(Action::Isatty(Isatty {
        stat,
        not_terminals: mask,
    }))
}

impl Isatty {
    /// `(fd, buf) -> errno`: calls the real function, then, if it succeeded, corrects
    /// the filetype ([`Isatty::correct`]).
    pub fn body(self, targets: &Targets) -> Function {
        if self.stat == Stat::UnstableFilestat {
            return wasi_unstable::fd_filestat_get(targets, |sink| self.correct(sink));
        }
        let (fd, buf, errno) = (0, 1, 2);
        let mut f = Function::new([(1, ValType::I32)]);
        let mut sink = f.instructions();
        sink.local_get(fd)
            .local_get(buf)
            .call(targets.preview1(self.stat.name()))
            .local_tee(errno)
            .i32_eqz()
            .if_(BlockType::Empty);
        self.correct(&mut sink);
        sink.end().local_get(errno).end();
        f
    }

    /// If the fd (local 0) is one of [`Isatty::not_terminals`], stores filetype unknown
    /// in the result the buffer (local 1) holds.
    fn correct(self, sink: &mut InstructionSink<'_>) {
        let (fd, buf) = (0, 1);
        // fd < 3 (a shift takes its count modulo 32, so this too) and its bit is set
        sink.local_get(fd)
            .i32_const(3)
            .i32_lt_u()
            .i32_const(i32::from(self.not_terminals))
            .local_get(fd)
            .i32_shr_u()
            .i32_const(1)
            .i32_and()
            .i32_and()
            .if_(BlockType::Empty)
            .local_get(buf)
            .i32_const(FILETYPE_UNKNOWN)
            .i32_store8(MemArg {
                offset: self.stat.filetype_offset(),
                align: 0,
                target: MemArgTarget::Memory(0),
                ordering: None,
            })
            .end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapt::PREVIEW1;

    #[test]
    fn only_the_functions_that_report_a_filetype_are_wrapped() {
        let stat = sig::func_type("(i32, i32) -> (i32)");
        let sig = Some(&stat);
        let wrapped = |module, name| action(module, name, sig, 0b010);
        let fdstat = Some(Action::Isatty(Isatty {
            stat: Stat::Fdstat,
            not_terminals: 0b010,
        }));
        assert_eq!(wrapped(PREVIEW1, "fd_fdstat_get"), fdstat);
        assert_eq!(wrapped("wasi", "fd_fdstat_get"), fdstat);
        assert_eq!(wrapped(UNSTABLE, "fd_fdstat_get"), fdstat);
        assert!(matches!(
            wrapped(PREVIEW1, "fd_filestat_get"),
            Some(Action::Isatty(Isatty {
                stat: Stat::Filestat,
                ..
            }))
        ));
        assert!(matches!(
            wrapped(UNSTABLE, "fd_filestat_get"),
            Some(Action::Isatty(Isatty {
                stat: Stat::UnstableFilestat,
                ..
            }))
        ));
        assert_eq!(wrapped(PREVIEW1, "path_filestat_get"), None);
        assert_eq!(wrapped("env", "fd_fdstat_get"), None);
        assert_eq!(action(PREVIEW1, "fd_fdstat_get", sig, 0), None);
        let odd = sig::func_type("(i32) -> (i32)");
        assert_eq!(action(PREVIEW1, "fd_fdstat_get", Some(&odd), 0b010), None);
    }
}
