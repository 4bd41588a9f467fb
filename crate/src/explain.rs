//! The reports rw prints instead of running a module, in words a user can act on:
//! `--print-imports-exports` (the prior art's lines, then one `adapt:` line per change)
//! and `--explain` (how rw would run it). Each line of what the adapter does is worded
//! here too.

use crate::adapt::errno::{BADF, INVAL, NOTCAPABLE, NOTDIR, NOTSOCK};
use crate::adapt::instrument::{Unchecked, Unwatched};
use crate::adapt::{
    Action, Change, Correction, Isatty, Shim, Stat, TrapsUncaught, ENOSYS, ENOTSUP, PREOPEN_FD,
    PREVIEW1,
};
use crate::message::{Message, EXIT_ABORT};
use crate::module::{export_kind_name, import_kind_name, ModuleInfo};
use crate::plan::{Report, Runnable};
use crate::wasi_core::{MEMORY_MODULE, MEMORY_NAME};

/// The report as printed.
pub fn render(report: &Report<'_>) -> String {
    match report {
        Report::ImportsExports { module, changes } => imports_exports(module, changes),
        Report::Explain {
            file,
            size,
            module,
            runnable,
        } => explain(file, *size, module, runnable),
    }
}

/// The prior art's lines, in `WebAssembly.Module.imports()/exports()` order and words,
/// then one `adapt:` line for each import rw would rewrite to make the module link.
fn imports_exports(module: &ModuleInfo<'_>, changes: &[Change]) -> String {
    let imports = module.imports.iter().map(|i| {
        format!(
            "import: {} {} {}\n",
            i.module,
            i.name,
            import_kind_name(i.ty)
        )
    });
    let exports = module
        .exports
        .iter()
        .map(|e| format!("export: {} {}\n", e.name, export_kind_name(e.kind)));
    let adaptations = change_lines(changes)
        .into_iter()
        .map(|line| format!("adapt: {line}\n"))
        .collect::<Vec<_>>();
    imports.chain(exports).chain(adaptations).collect()
}

fn explain(
    file: &str,
    size: usize,
    module: &ModuleInfo<'_>,
    runnable: &Result<Runnable, Message>,
) -> String {
    let mut lines = vec![format!(
        "module: {file}, a core WebAssembly module of {size} bytes{}",
        producers(module)
    )];
    lines.push(memory_line(module, runnable));
    if module.imports_thread_spawn() {
        lines.push(
            "threads: imports wasi.thread-spawn; the WASM WASI Core runs each thread in a worker"
                .into(),
        );
    }
    match runnable {
        Ok(run) => {
            if !run.changes.iter().any(Change::for_linking) {
                lines.push("imports: all linked by the WASM WASI Core as they are".into());
            }
            for line in change_lines(&run.changes) {
                lines.push(format!("adapt: {}", line.replace("FILE", file)));
            }
            lines.push("run: yes".into());
        }
        Err(message) => lines.push(format!("run: no, {}", message.line())),
    }
    lines.push(traps_line(runnable));
    if let Ok(run) = runnable {
        lines.push(output_line(run));
        lines.push(input_line(run));
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// One line per change: re-pointed imports and the renamed memory first, then shims,
/// ENOSYS stubs, stubs of unknown imports, the `isatty()` correction and the other
/// wrappers, each group in import order.
pub fn change_lines(changes: &[Change]) -> Vec<String> {
    let group = |action: &Action| match action {
        Action::Repoint | Action::Memory => 0,
        Action::Shim(_) => 1,
        Action::Enosys | Action::Notsup => 2,
        Action::Stub => 3,
        Action::Isatty(_) => 4,
        Action::Preopens | Action::PreopenName => 5,
        Action::Delete(_) | Action::Rename | Action::Readdir => 6,
        Action::Errno(_) => 7,
    };
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| group(&c.action)); // stable: import order within a group
    sorted
        .into_iter()
        .map(|c| format!("{}.{}: {}", c.module, c.name, action_text(c)))
        .collect()
}

fn action_text(c: &Change) -> String {
    const CORE: &str = "the WASM WASI Core";
    match c.action {
        Action::Repoint => format!("imported from {PREVIEW1} instead (same ABI)"),
        Action::Memory => format!(
            "imported as {MEMORY_MODULE}.{MEMORY_NAME} instead, the only name {CORE} links a memory by (wasi-threads fixes none)"
        ),
        Action::Shim(shim) => format!("shim: {}", shim_text(shim)),
        Action::Enosys => format!("returns ENOSYS ({ENOSYS}): {CORE} does not provide it"),
        Action::Notsup => format!(
            "returns ENOTSUP ({ENOTSUP}), as wasmtime does: {CORE}'s inserts bytes instead of reserving them"
        ),
        Action::Stub => format!(
            "stub: if called, prints '{}' and exits with {EXIT_ABORT}",
            Message::CalledUnsupported {
                file: "FILE".into(),
                module: c.module.clone(),
                name: c.name.clone(),
            }
            .line()
        ),
        Action::Isatty(isatty) => format!("isatty: {}", isatty_text(isatty)),
        Action::Preopens => format!(
            "preopens: calls {PREVIEW1}.fd_prestat_get for fd {PREOPEN_FD} and the next, so that {CORE}'s preopens are all handed out (else it opens no file), and answers by fd: {PREOPEN_FD} is {}, EBADF for the rest",
            crate::tree::PREOPEN
        ),
        Action::PreopenName => format!(
            "preopens: ENAMETOOLONG for a buffer shorter than {}'s name, where {CORE} writes past it",
            crate::tree::PREOPEN
        ),
        Action::Delete(delete) => format!(
            "delete: calls {PREVIEW1}.path_rename to a name rw's file system deletes, since {CORE}'s {} asks VS Code for a trash that rw's file system cannot have",
            delete.name()
        ),
        Action::Rename => format!(
            "rename: replaces an existing file or empty directory of the source's kind, as POSIX does, where {CORE} answers EEXIST"
        ),
        Action::Readdir => format!(
            "readdir: lists . and .. first, which {CORE} leaves out, then its own entries (calls {PREVIEW1}.fd_readdir)"
        ),
        Action::Errno(correction) => format!("errno: {}", correction_text(correction)),
    }
}

fn shim_text(shim: Shim) -> String {
    match shim {
        Shim::FdSeek => format!("renumbers whence (snapshot 0 has CUR=0, END=1, SET=2) and calls {PREVIEW1}.fd_seek"),
        Shim::FdFilestatGet | Shim::PathFilestatGet => format!(
            "calls {PREVIEW1}.{} and converts its 64-byte filestat to snapshot 0's 56 bytes (u32 nlink)",
            shim.name()
        ),
        Shim::PollOneoff => format!("copies the 56-byte subscriptions to preview1's 48 bytes (dropping the clock identifier) and calls {PREVIEW1}.poll_oneoff"),
    }
}

/// E.g. `calls wasi_snapshot_preview1.fd_fdstat_get and reports stdout and stderr, not
/// terminals here, as filetype unknown instead of character_device, so isatty() is false
/// for them`.
fn isatty_text(isatty: Isatty) -> String {
    let streams: Vec<&str> = ["stdin", "stdout", "stderr"]
        .into_iter()
        .enumerate()
        .filter(|(fd, _)| isatty.not_terminals >> fd & 1 != 0)
        .map(|(_, name)| name)
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
    let calls = match isatty.stat {
        Stat::UnstableFilestat => shim_text(Shim::FdFilestatGet),
        stat => format!("calls {PREVIEW1}.{}", stat.name()),
    };
    format!(
        "{calls} and reports {streams}, {not} here, as filetype unknown instead of character_device, so isatty() is false for {them}"
    )
}

fn correction_text(correction: Correction) -> String {
    const CORE: &str = "the WASM WASI Core";
    match correction {
        Correction::Rights { function, .. } => format!(
            "calls {PREVIEW1}.{function} and answers ENOTCAPABLE ({NOTCAPABLE}) where {CORE} answers EPERM for an fd without the right"
        ),
        Correction::PathOpen => format!(
            "calls {PREVIEW1}.path_open and answers ENOTDIR ({NOTDIR}) where {CORE} answers EPERM for a dirfd that is not a directory"
        ),
        Correction::Fstflags { function } => format!(
            "answers EINVAL ({INVAL}) for flags that set a time and \"now\" at once, before {CORE}'s ENOSYS for {function}"
        ),
        Correction::Close => format!(
            "answers success for an fd that was open, where {CORE} closes a second '.' and says EBADF ({BADF})"
        ),
        Correction::Renumber => format!(
            "answers EBADF ({BADF}) for an fd not open and closes an open target first, as preview1 says"
        ),
        Correction::SockShutdown => format!(
            "answers EBADF ({BADF}) for an fd not open and ENOTSOCK ({NOTSOCK}) for one not a socket before {CORE}'s ENOSYS"
        ),
    }
}

fn producers(module: &ModuleInfo<'_>) -> String {
    let tools: Vec<String> = module
        .producers
        .iter()
        .filter(|field| field.name == "language" || field.name == "processed-by")
        .flat_map(|field| &field.values)
        .map(|(name, version)| match *version {
            "" => name.to_string(),
            version => format!("{name} {version}"),
        })
        .collect();
    if tools.is_empty() {
        String::new()
    } else {
        format!(", from {}", tools.join(", "))
    }
}

fn memory_line(module: &ModuleInfo<'_>, runnable: &Result<Runnable, Message>) -> String {
    let Some((import, memory)) = module.memory_import() else {
        return match runnable {
            // Watched for its traps (adapt/watch.rs): the memory is rw's to create.
            Ok(Runnable {
                memory: Some(given),
                ..
            }) => format!(
                "memory: its own, exported as 'memory'; rw gives it as a shared memory it \
                 watches for traps, initial {}, maximum {}",
                given.initial,
                given.maximum.map_or("none".into(), |m| m.to_string()),
            ),
            _ => "memory: its own, exported as 'memory'".into(),
        };
    };
    let limits = format!(
        "{}{} pages{}",
        memory.initial,
        memory.maximum.map(|m| format!("..{m}")).unwrap_or_default(),
        if memory.shared { ", shared" } else { "" }
    );
    let given = match runnable {
        Ok(Runnable {
            memory: Some(given),
            ..
        }) => format!(
            "; rw gives initial {}, maximum {}, shared {}",
            given.initial,
            given.maximum.map_or("none".into(), |m| m.to_string()),
            given.shared
        ),
        _ => String::new(),
    };
    format!(
        "memory: imports {}.{} ({limits}){given}",
        import.module, import.name
    )
}

/// Whether the program's writes to stdout and stderr gather in rw's buffer (`adapt/output.rs`).
fn output_line(run: &Runnable) -> String {
    match run.watch.as_ref().and_then(|w| w.output.as_ref()) {
        Some(buffer) => format!(
            "output: writes to stdout and stderr gather in a {} KiB buffer at the top of the \
             program's stack, which rw empties every 16 ms and before anything else is shown",
            (buffer.capacity + buffer.data) / 1024
        ),
        None => "output: each write is a round trip to the WASM WASI Core (rw buffers the \
                 output of a program it watches with one word that names its __stack_pointer \
                 and has room on its stack)"
            .into(),
    }
}

/// Whether the program's reads of stdin take from rw's ring (`adapt/input.rs`).
fn input_line(run: &Runnable) -> String {
    match run.watch.as_ref().and_then(|w| w.input.as_ref()) {
        Some(ring) => format!(
            "input: reads of stdin take what crw sent ahead from a {} KiB ring below the \
             output buffer, which rw fills while the program waits in a read",
            ring.size / 1024
        ),
        None => "input: each read is a round trip to the WASM WASI Core (rw fills a ring for \
                 a program with an output buffer, an fd_read and room on its stack)"
            .into(),
    }
}

fn traps_line(runnable: &Result<Runnable, Message>) -> String {
    let Ok(run) = runnable else {
        return "traps: -".into();
    };
    let mut caught = Vec::new();
    let mut uncaught = Vec::new();
    match &run.traps {
        Ok(()) => caught.push("`unreachable` (a panic, abort(), a failed assert)".to_owned()),
        Err(TrapsUncaught::NoUnreachable) => {}
        Err(_) => uncaught.push("`unreachable`".to_owned()),
    }
    const CHECKED: &str = "division by zero and overflow, float-to-integer conversion and \
                           indirect calls";
    match run.caught.checks {
        None => caught.push(format!("{CHECKED} (checked before they run)")),
        Some(Unchecked::NoWasiExit) => uncaught.push(format!(
            "{CHECKED} (the module does not import preview1 fd_write and proc_exit)"
        )),
    }
    const WATCHED: &str = "out-of-bounds memory access and a call stack exhausted";
    let unwatched = match run.caught.watch {
        None => {
            caught.push(format!(
                "{WATCHED} (seen by rw's watch of the program's memory, which rw shares; \
                 its first 256 bytes are rw's)"
            ));
            None
        }
        Some(Unwatched::NoPlainMemory) => {
            Some("the module has no single 32-bit memory of at least a page")
        }
        Some(Unwatched::ImportedMemory) => Some("the module imports its memory"),
        Some(Unwatched::DataAtWord) => Some("the module has data in its first 256 bytes"),
        Some(Unwatched::WasiInTable) => Some("a table holds a WASI function"),
        Some(Unwatched::Instrumented) => Some("rw instrumented the module before"),
    };
    if let Some(why) = unwatched {
        uncaught.push(format!("{WATCHED} ({why})"));
    }
    let mut parts = Vec::new();
    if !caught.is_empty() {
        parts.push(format!(
            "{}: each prints its reason and exits with 134",
            caught.join("; ")
        ));
    }
    if !uncaught.is_empty() {
        parts.push(format!(
            "not caught: {}: they leave the WASM WASI Core 1.0.2 waiting, and Ctrl-C stops \
             the program (130)",
            uncaught.join("; ")
        ));
    }
    format!("traps: {}", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isatty_names_the_streams() {
        let isatty = |not_terminals| Isatty {
            stat: Stat::Fdstat,
            not_terminals,
        };
        assert_eq!(
            isatty_text(isatty(0b110)),
            "calls wasi_snapshot_preview1.fd_fdstat_get and reports stdout and stderr, not \
             terminals here, as filetype unknown instead of character_device, so isatty() is \
             false for them"
        );
        assert!(isatty_text(isatty(0b111))
            .contains("reports stdin, stdout and stderr, not terminals here"));
        assert!(isatty_text(isatty(0b001))
            .contains("reports stdin, not a terminal here, as filetype unknown"));
    }

    #[test]
    fn the_stub_line_quotes_what_the_stub_prints() {
        let change = Change {
            module: "env".into(),
            name: "f".into(),
            action: Action::Stub,
        };
        assert_eq!(
            action_text(&change),
            "stub: if called, prints 'rw: FILE called unsupported import env.f' and exits with 134"
        );
    }
}
