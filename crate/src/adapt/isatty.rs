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
//! wrapper to call (`imports.rs`). A `wasi_unstable` program's `fd_fdstat_get` (the
//! same ABI) gets the same wrapper, and its `fd_filestat_get` the snapshot 0 shim with
//! the correction at its end.
//!
//! A custom section ([`MARKER`]) records that the module was corrected, so that
//! adapting it again changes nothing, as for every other adaptation.

use serde::Serialize;
use wasm_encoder::{BlockType, Function, InstructionSink, MemArg, MemArgTarget, ValType};

use super::imports::Targets;
use super::{wasi_unstable, Action, Shim, PREVIEW1, UNSTABLE};
use crate::request::Terminals;

/// The custom section of a module whose stdio filetypes the adapter corrected; its
/// content is the mask of [`Isatty::not_terminals`].
pub const MARKER: &str = "rw.isatty";

/// WASI's filetype `unknown`.
const FILETYPE_UNKNOWN: i32 = 0;
/// The type of both functions: `(fd, buf) -> errno`.
pub const SIGNATURE: &str = "(i32, i32) -> (i32)";
const STDIO: [&str; 3] = ["stdin", "stdout", "stderr"];

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

/// The mask of the fds that are not terminals; 0 when there is nothing to correct.
pub fn not_terminals(terminals: Option<Terminals>) -> u8 {
    terminals.map_or(0, |t| {
        u8::from(!t.stdin) | u8::from(!t.stdout) << 1 | u8::from(!t.stderr) << 2
    })
}

/// The wrapper for import `module.name` of type `signature`, if it reports filetypes:
/// preview1's, or `wasi_unstable`'s (which then also does what the import's own
/// adaptation does). `mask`: [`not_terminals`].
pub fn action(module: &str, name: &str, signature: Option<&str>, mask: u8) -> Option<Action> {
    if mask == 0 || signature != Some(SIGNATURE) {
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
    /// E.g. `calls wasi_snapshot_preview1.fd_fdstat_get and reports stdout and stderr,
    /// not terminals here, as filetype unknown instead of character_device, so isatty()
    /// is false for them`.
    pub fn explain(self) -> String {
        let streams: Vec<&str> = STDIO
            .iter()
            .enumerate()
            .filter(|(fd, _)| self.not_terminals >> fd & 1 != 0)
            .map(|(_, name)| *name)
            .collect();
        let (streams, not, them) = match streams.as_slice() {
            [one] => (one.to_string(), "not a terminal", "it"),
            [init @ .., last] => (
                format!("{} and {last}", init.join(", ")),
                "not terminals",
                "them",
            ),
            [] => ("no stream".into(), "", "none"),
        };
        let calls = match self.stat {
            Stat::UnstableFilestat => Shim::FdFilestatGet.explain().to_owned(),
            stat => format!("calls {PREVIEW1}.{}", stat.name()),
        };
        format!(
            "{calls} and reports {streams}, {not} here, as filetype unknown instead of character_device, so isatty() is false for {them}"
        )
    }

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

    fn terminals(stdin: bool, stdout: bool, stderr: bool) -> Option<Terminals> {
        Some(Terminals {
            stdin,
            stdout,
            stderr,
        })
    }

    #[test]
    fn the_mask_has_a_bit_per_stream_that_is_not_a_terminal() {
        assert_eq!(not_terminals(None), 0);
        assert_eq!(not_terminals(terminals(true, true, true)), 0);
        assert_eq!(not_terminals(terminals(false, true, true)), 0b001);
        assert_eq!(not_terminals(terminals(true, false, false)), 0b110);
        assert_eq!(not_terminals(terminals(false, false, false)), 0b111);
    }

    #[test]
    fn only_the_functions_that_report_a_filetype_are_wrapped() {
        let sig = Some(SIGNATURE);
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
        let odd = Some("(i32) -> (i32)");
        assert_eq!(action(PREVIEW1, "fd_fdstat_get", odd, 0b010), None);
    }

    #[test]
    fn explain_names_the_streams() {
        let isatty = |not_terminals| Isatty {
            stat: Stat::Fdstat,
            not_terminals,
        };
        assert_eq!(
            isatty(0b110).explain(),
            "calls wasi_snapshot_preview1.fd_fdstat_get and reports stdout and stderr, not \
             terminals here, as filetype unknown instead of character_device, so isatty() is \
             false for them"
        );
        assert!(isatty(0b111)
            .explain()
            .contains("reports stdin, stdout and stderr, not terminals here"));
        assert!(isatty(0b001)
            .explain()
            .contains("reports stdin, not a terminal here, as filetype unknown"));
    }
}
