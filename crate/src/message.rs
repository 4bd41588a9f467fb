//! Every line rw says to the user, and the exit code that goes with it.
//!
//! Each message is one line that names the file and says what to do about it. The
//! extension asks for the host-side ones (file not found, compile failed, …) by
//! `kind`, so all the wording lives here.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::request::Program;

/// Exit code of a failure outside the program (crw and the extension disagree).
pub const EXIT_FAILURE: i32 = 1;
/// Exit code of a command line rw cannot parse (as POSIX utilities do).
pub const EXIT_USAGE: i32 = 2;
/// Exit code of a file that exists but cannot be executed (as POSIX shells do).
pub const EXIT_CANNOT_EXECUTE: i32 = 126;
/// Exit code of a file that is not there (as POSIX shells do).
pub const EXIT_NOT_FOUND: i32 = 127;
/// Exit code of a program that trapped or called a stubbed import: 128 + SIGABRT, as an
/// `abort()` ends a native program, and as wasmtime reports a trap.
pub const EXIT_ABORT: i32 = 134;

/// Why a program trapped: each trap the WebAssembly spec defines that rw tells apart.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "camelCase")]
pub enum TrapReason {
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    IndirectCallToNull,
    IndirectCallType,
    /// A trap at an indirect call into a table the program changes as it runs, which rw
    /// cannot check ahead: the callee's type, or the stack.
    IndirectCallTypeOrStack,
    DivideByZero,
    IntegerOverflow,
    BadConversion,
    StackExhausted,
    /// An atomic wait at an address not a multiple of its size.
    Misaligned,
}

impl TrapReason {
    /// wasmtime's words for the trap (`TrapCode`'s `Display` in wasmtime-environ), so
    /// that a line reads as `wasmtime run` would say it.
    pub fn words(self) -> &'static str {
        match self {
            TrapReason::Unreachable => "wasm `unreachable` instruction executed",
            TrapReason::MemoryOutOfBounds => "out of bounds memory access",
            TrapReason::TableOutOfBounds => "undefined element: out of bounds table access",
            TrapReason::IndirectCallToNull => "uninitialized element",
            TrapReason::IndirectCallType => "indirect call type mismatch",
            TrapReason::IndirectCallTypeOrStack => {
                "indirect call to a null or mistyped element, or call stack exhausted"
            }
            TrapReason::DivideByZero => "integer divide by zero",
            TrapReason::IntegerOverflow => "integer overflow",
            TrapReason::BadConversion => "invalid conversion to integer",
            TrapReason::StackExhausted => "call stack exhausted",
            TrapReason::Misaligned => "misaligned memory access",
        }
    }
}

/// The most import names listed for one module before "+N more".
const NAMES_SHOWN: usize = 6;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Message {
    Usage {
        program: Program,
        detail: String,
    },
    UnclosedQuote {
        line: String,
    },
    NotFound {
        file: String,
        cwd: String,
    },
    IsDirectory {
        file: String,
    },
    Unreadable {
        file: String,
        reason: String,
    },
    /// FILE is a FIFO, a socket or a device: never read, it may never end.
    NotAFile {
        file: String,
        what: Special,
    },
    /// FILE is bigger than any engine compiles (`limits::MAX_MODULE_BYTES`): never read.
    TooLarge {
        file: String,
        size: u64,
    },
    Empty {
        file: String,
    },
    NotWasm {
        file: String,
    },
    Malformed {
        file: String,
        offset: u64,
        reason: String,
    },
    Component {
        file: String,
    },
    NoStart {
        file: String,
    },
    NoMemory {
        file: String,
    },
    Memory64 {
        file: String,
    },
    UnsupportedImports {
        file: String,
        modules: Vec<ImportGroup>,
        /// All are functions, which `--stub-unknown-imports` can stand in for.
        stubbable: bool,
    },
    CannotAdapt {
        file: String,
        why: CannotAdapt,
    },
    DirNotFound {
        dir: String,
    },
    MemoryConflict {
        file: String,
        conflict: MemoryConflict,
    },
    CompileFailed {
        file: String,
        reason: String,
    },
    StartFailed {
        file: String,
        reason: String,
    },
    /// crw in a workspace not trusted (Restricted Mode): nothing runs.
    Untrusted,
    /// rw in Restricted Mode with a `--dir` outside the workspace.
    UntrustedDir {
        dir: String,
    },
    /// crw run in `/` or the home directory without `--dir HOST::/`: the program would get
    /// all of it.
    WholeGrant {
        dir: String,
        grant: Grant,
    },
    /// crw and the extension speak different versions of their protocol.
    ProtocolMismatch {
        client: u16,
        server: u16,
        extension: String,
    },
    /// crw sent what the extension cannot read.
    BadFrame {
        reason: String,
    },
    /// crw's RW_CRW_TOKEN is missing or not the window's: nothing runs.
    BadToken,
    /// As many crw runs as the extension takes at once are running already.
    TooManyRuns {
        limit: u32,
    },
    /// What a program rw adapted prints when it traps (`adapt/traps.rs`, `adapt/checks.rs`),
    /// or what rw prints when its watch sees the program stop (`adapt/watch.rs`).
    Trapped {
        file: String,
        reason: TrapReason,
    },
    /// What a program prints when it calls an import rw stubbed (`adapt/unknown_stub.rs`).
    CalledUnsupported {
        file: String,
        module: String,
        name: String,
    },
    /// Something in rw itself failed (a bug): said by the command the user typed.
    Internal {
        program: Program,
        reason: String,
    },
}

/// Why the adapter cannot make a module link.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum CannotAdapt {
    /// A function the adapter must shim, imported with a type its ABI does not have.
    ImportType {
        module: String,
        name: String,
        found: String,
        expected: String,
    },
    /// Code the adapter must rewrite does not decode.
    Instructions { offset: u64 },
    /// The adapter cannot read the module.
    Malformed { offset: u64, reason: String },
}

/// How the memory flags and the memory a module imports disagree (pages of 64 KiB).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum MemoryConflict {
    InitialBelowModule {
        module: u64,
        flag: u64,
    },
    MaximumAboveModule {
        module: u64,
        flag: u64,
    },
    /// The flag asks for the other sharing than the module's `shared`.
    Shared {
        module: bool,
    },
    MaximumBelowInitial {
        maximum: u64,
        initial: u64,
    },
    TooManyPages {
        pages: u64,
    },
}

/// What running in a directory would hand a program.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Grant {
    Disk,
    Home,
}

/// What a FILE that is not a regular file is.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Special {
    Fifo,
    Socket,
    Device,
    Other,
}

/// The names one module provides that the WASM WASI Core does not.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ImportGroup {
    pub module: String,
    pub names: Vec<String>,
}

impl Message {
    pub fn exit_code(&self) -> i32 {
        match self {
            Message::Usage { .. } | Message::UnclosedQuote { .. } => EXIT_USAGE,
            Message::MemoryConflict { .. } | Message::DirNotFound { .. } => EXIT_USAGE,
            Message::UntrustedDir { .. } | Message::WholeGrant { .. } => EXIT_USAGE,
            Message::NotFound { .. } => EXIT_NOT_FOUND,
            Message::ProtocolMismatch { .. } | Message::BadFrame { .. } => EXIT_FAILURE,
            Message::BadToken | Message::TooManyRuns { .. } => EXIT_FAILURE,
            Message::Internal { .. } => EXIT_FAILURE,
            Message::Trapped { .. } | Message::CalledUnsupported { .. } => EXIT_ABORT,
            _ => EXIT_CANNOT_EXECUTE,
        }
    }

    /// The whole line as printed, `rw: ` first (`crw: ` for what only crw meets).
    /// Control characters (a module may name an import "a\nb", and such names end up in
    /// messages) are escaped: it stays one line.
    pub fn line(&self) -> String {
        let program = match self {
            Message::Untrusted
            | Message::WholeGrant { .. }
            | Message::ProtocolMismatch { .. }
            | Message::BadFrame { .. }
            | Message::BadToken
            | Message::TooManyRuns { .. } => Program::Crw,
            Message::Internal { program, .. } => *program,
            _ => Program::Rw,
        };
        printable(&format!("{}: {self}", program.name()))
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const BUILD: &str = "build it for wasm32-wasip1 (or wasm32-wasip1-threads)";
        match self {
            Message::Usage { program, detail } => write!(
                f,
                "{detail}; usage: {}; see '{} --help'",
                program.usage(),
                program.name()
            ),
            Message::UnclosedQuote { line } => write!(
                f,
                "unclosed quote in `{line}`; close it, or escape it with a backslash"
            ),
            Message::NotFound { file, cwd } => write!(
                f,
                "{file}: no such file (looked in {cwd}); check the name with ls, or give a path from /"
            ),
            Message::IsDirectory { file } => write!(
                f,
                "{file}: is a directory; name the .wasm file inside it"
            ),
            Message::Unreadable { file, reason } => {
                write!(f, "{file}: cannot be read ({reason}); check that it is a readable file")
            }
            Message::NotAFile { file, what } => {
                let what = match what {
                    Special::Fifo => "a named pipe (FIFO)",
                    Special::Socket => "a socket",
                    Special::Device => "a device",
                    Special::Other => "something other than a file",
                };
                write!(
                    f,
                    "{file}: is {what}, not a regular file; rw reads a module only from a file: save it to one and name that"
                )
            }
            Message::TooLarge { file, size } => write!(
                f,
                "{file}: is {size} bytes, more than the {} (1 GiB) a WebAssembly engine compiles; build a smaller module (release mode, debug info stripped)",
                crate::limits::MAX_MODULE_BYTES
            ),
            Message::Empty { file } => write!(f, "{file}: is empty, not a WebAssembly module; {BUILD}"),
            Message::NotWasm { file } => write!(
                f,
                "{file}: is not a WebAssembly module (no \\0asm header); {BUILD}"
            ),
            Message::Malformed {
                file,
                offset,
                reason,
            } => write!(
                f,
                "{file}: is not a valid WebAssembly module ({reason} at byte {offset}); rebuild it, or check that the copy is complete"
            ),
            Message::Component { file } => write!(
                f,
                "{file}: is a WebAssembly component, but rw runs WASI preview1 core modules; {BUILD}, not wasm32-wasip2"
            ),
            Message::NoStart { file } => write!(
                f,
                "{file}: exports no _start, so it is a library rather than a program; build a binary (with a main function) for wasm32-wasip1"
            ),
            Message::NoMemory { file } => write!(
                f,
                "{file}: neither imports nor exports a memory named 'memory', which WASI needs; {BUILD}"
            ),
            Message::Memory64 { file } => write!(
                f,
                "{file}: uses 64-bit memory, which the WASM WASI Core does not support; {BUILD}"
            ),
            Message::UnsupportedImports {
                file,
                modules,
                stubbable,
            } => {
                write!(f, "{file}: imports what no WASI host provides: ")?;
                for (i, group) in modules.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write_group(f, group)?;
                }
                if *stubbable {
                    write!(f, "; run it with --stub-unknown-imports (a call to one ends the program with 134), or rebuild it for wasm32-wasip1 importing only WASI functions")
                } else {
                    write!(f, "; only functions can be stubbed: rebuild it for wasm32-wasip1 importing only WASI functions")
                }
            }
            Message::CannotAdapt { file, why } => {
                write!(f, "{file}: cannot be adapted to the WASM WASI Core: it ")?;
                match why {
                    CannotAdapt::ImportType {
                        module,
                        name,
                        found,
                        expected,
                    } => write!(
                        f,
                        "imports {module}.{name} with type {found}, but its ABI is {expected}"
                    )?,
                    CannotAdapt::Instructions { offset } => write!(
                        f,
                        "uses instructions the adapter cannot read (at byte {offset})"
                    )?,
                    CannotAdapt::Malformed { offset, reason } => {
                        write!(f, "cannot be read ({reason} at byte {offset})")?
                    }
                }
                write!(f, "; {BUILD}")
            }
            Message::DirNotFound { dir } => write!(
                f,
                "--dir {dir}: no such directory; give a directory of the workspace (or, on desktop, of this machine)"
            ),
            Message::MemoryConflict { file, conflict } => {
                write!(f, "{file}: ")?;
                match *conflict {
                    MemoryConflict::InitialBelowModule { module, flag } => write!(
                        f,
                        "imports a memory of at least {module} pages, but --memory-initial is {flag}; raise it or drop the flag"
                    ),
                    MemoryConflict::MaximumAboveModule { module, flag } => write!(
                        f,
                        "imports a memory of at most {module} pages, but --memory-maximum is {flag}; lower it or drop the flag"
                    ),
                    MemoryConflict::Shared { module } => {
                        let (is, flag) = match module {
                            true => ("a shared", "false"),
                            false => ("an unshared", "true"),
                        };
                        write!(
                            f,
                            "imports {is} memory, so --memory-shared={flag} cannot link; drop the flag"
                        )
                    }
                    MemoryConflict::MaximumBelowInitial { maximum, initial } => write!(
                        f,
                        "--memory-maximum {maximum} is below the initial {initial} pages; raise it or drop the flag"
                    ),
                    MemoryConflict::TooManyPages { pages } => write!(
                        f,
                        "{pages} pages exceed WebAssembly's {} (4 GiB); lower the --memory-* flags",
                        crate::wasi_core::MAX_PAGES
                    ),
                }
            }
            Message::CompileFailed { file, reason } => write!(
                f,
                "{file}: the WebAssembly engine rejected it ({reason}); rebuild it, or check that the copy is complete"
            ),
            Message::StartFailed { file, reason } => write!(
                f,
                "{file}: could not be started ({reason}); check that the WASM WASI Core extension is installed and enabled"
            ),
            Message::UntrustedDir { dir } => write!(
                f,
                "--dir {dir}: this workspace is in Restricted Mode, where programs reach only the workspace; trust it (Workspaces: Manage Workspace Trust) to mount other directories"
            ),
            Message::WholeGrant { dir, grant } => {
                let what = match grant {
                    Grant::Disk => "the whole disk",
                    Grant::Home => "your whole home directory",
                };
                write!(
                    f,
                    "the program would see {what} ({dir}); cd into the directory it needs, or grant this one explicitly with --dir .::/"
                )
            }
            Message::Untrusted => f.write_str(
                "this workspace is in Restricted Mode; trust it (Workspaces: Manage Workspace Trust) to run programs",
            ),
            Message::ProtocolMismatch {
                client,
                server,
                extension,
            } => write!(
                f,
                "this crw speaks protocol {client}, the rw extension {extension} speaks {server}; install the crw of the same rw version (cargo install --path crw)"
            ),
            Message::BadFrame { reason } => write!(
                f,
                "the rw extension received {reason}; install the crw of the same rw version (cargo install --path crw)"
            ),
            Message::BadToken => f.write_str(
                "the rw extension refused the connection: this terminal's RW_CRW_TOKEN is missing or not the VS Code window's; open a new integrated terminal",
            ),
            Message::Trapped { file, reason } => write!(f, "{file} trapped: {}", reason.words()),
            Message::CalledUnsupported { file, module, name } => {
                write!(f, "{file} called unsupported import {module}.{name}")
            }
            Message::Internal { reason, .. } => {
                write!(f, "internal error ({reason}); please report it")
            }
            Message::TooManyRuns { limit } => write!(
                f,
                "{limit} programs are already running through crw in this VS Code window; wait for one to end, or stop one (Ctrl-C)"
            ),
        }
    }
}

/// `text` with control characters escaped.
fn printable(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

fn write_group(f: &mut fmt::Formatter<'_>, group: &ImportGroup) -> fmt::Result {
    write!(f, "{} (", group.module)?;
    let shown = group.names.iter().take(NAMES_SHOWN);
    for (i, name) in shown.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        f.write_str(name)?;
    }
    if group.names.len() > NAMES_SHOWN {
        write!(f, ", +{} more", group.names.len() - NAMES_SHOWN)?;
    }
    f.write_str(")")
}

/// A message as printed, one line, and the exit code that goes with it: what the
/// extension receives.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct ExitLine {
    pub code: i32,
    pub line: String,
}

impl From<&Message> for ExitLine {
    fn from(message: &Message) -> Self {
        ExitLine {
            code: message.exit_code(),
            line: message.line(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> String {
        "bin/p.wasm".to_owned()
    }

    fn every_message() -> Vec<Message> {
        let reason = || "boom".to_owned();
        vec![
            Message::NotFound {
                file: file(),
                cwd: "/workspace".into(),
            },
            Message::IsDirectory { file: file() },
            Message::Unreadable {
                file: file(),
                reason: reason(),
            },
            Message::Empty { file: file() },
            Message::NotWasm { file: file() },
            Message::Malformed {
                file: file(),
                offset: 8,
                reason: reason(),
            },
            Message::Component { file: file() },
            Message::NoStart { file: file() },
            Message::NoMemory { file: file() },
            Message::Memory64 { file: file() },
            Message::UnsupportedImports {
                file: file(),
                modules: vec![ImportGroup {
                    module: "env".into(),
                    names: vec!["f".into()],
                }],
                stubbable: true,
            },
            Message::MemoryConflict {
                file: file(),
                conflict: MemoryConflict::Shared { module: true },
            },
            Message::CompileFailed {
                file: file(),
                reason: reason(),
            },
            Message::StartFailed {
                file: file(),
                reason: reason(),
            },
            Message::CannotAdapt {
                file: file(),
                why: CannotAdapt::Instructions { offset: 8 },
            },
            Message::NotAFile {
                file: file(),
                what: Special::Fifo,
            },
            Message::TooLarge {
                file: file(),
                size: 1 << 31,
            },
        ]
    }

    #[test]
    fn every_file_message_is_one_line_naming_the_file_with_a_fix() {
        for message in every_message() {
            let line = message.line();
            assert!(line.starts_with("rw: bin/p.wasm: "), "{line}");
            assert_eq!(line.lines().count(), 1, "{line}");
            assert!(line.contains("; "), "no fix after the problem: {line}");
            assert_ne!(message.exit_code(), 0, "{line}");
        }
    }

    #[test]
    fn exit_codes_follow_the_shell_conventions() {
        let codes: Vec<i32> = every_message().iter().map(Message::exit_code).collect();
        assert_eq!(codes[0], EXIT_NOT_FOUND);
        assert_eq!(codes[1], EXIT_CANNOT_EXECUTE);
        assert_eq!(codes[11], EXIT_USAGE);
    }

    #[test]
    fn long_import_lists_are_cut_with_a_count() {
        let names = (0..10).map(|i| format!("f{i}")).collect();
        let message = Message::UnsupportedImports {
            file: file(),
            modules: vec![
                ImportGroup {
                    module: "env".into(),
                    names,
                },
                ImportGroup {
                    module: "wasi_unstable".into(),
                    names: vec!["sock_bind".into()],
                },
            ],
            stubbable: true,
        };
        let line = message.line();
        assert!(
            line.contains("env (f0, f1, f2, f3, f4, f5, +4 more); wasi_unstable (sock_bind)"),
            "{line}"
        );
        assert!(line.contains("--stub-unknown-imports"), "{line}");
    }

    #[test]
    fn import_names_with_control_characters_stay_on_one_line() {
        let message = Message::UnsupportedImports {
            file: file(),
            modules: vec![ImportGroup {
                module: "wasi_sn\npshot".into(),
                names: vec!["a\rb\u{0}".into()],
            }],
            stubbable: true,
        };
        let line = message.line();
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(line.contains(r"wasi_sn\npshot (a\rb\u{0})"), "{line}");
    }

    #[test]
    fn imports_that_cannot_be_stubbed_get_no_stub_hint() {
        let message = Message::UnsupportedImports {
            file: file(),
            modules: vec![ImportGroup {
                module: "env".into(),
                names: vec!["table".into()],
            }],
            stubbable: false,
        };
        assert!(!message.line().contains("--stub-unknown-imports"));
        assert!(message.line().contains("only functions can be stubbed"));
    }

    #[test]
    fn what_the_adapter_cannot_do_is_said_with_its_cause() {
        let line = |why| Message::CannotAdapt { file: file(), why }.line();
        assert_eq!(
            line(CannotAdapt::ImportType {
                module: "wasi_unstable".into(),
                name: "fd_seek".into(),
                found: "(i32, i32, i32, i32) -> (i32)".into(),
                expected: "(i32, i64, i32, i32) -> (i32)".into(),
            }),
            "rw: bin/p.wasm: cannot be adapted to the WASM WASI Core: it imports wasi_unstable.fd_seek \
             with type (i32, i32, i32, i32) -> (i32), but its ABI is (i32, i64, i32, i32) -> (i32); \
             build it for wasm32-wasip1 (or wasm32-wasip1-threads)"
        );
        assert!(line(CannotAdapt::Instructions { offset: 9 })
            .contains(": it uses instructions the adapter cannot read (at byte 9); "));
        let conflict = |conflict| {
            Message::MemoryConflict {
                file: file(),
                conflict,
            }
            .line()
        };
        assert_eq!(
            conflict(MemoryConflict::InitialBelowModule { module: 17, flag: 2 }),
            "rw: bin/p.wasm: imports a memory of at least 17 pages, but --memory-initial is 2; raise it or drop the flag"
        );
        assert!(conflict(MemoryConflict::Shared { module: false })
            .contains("imports an unshared memory, so --memory-shared=true cannot link"));
    }

    #[test]
    fn a_missing_dir_names_the_flag() {
        let message = Message::DirNotFound { dir: "data".into() };
        assert_eq!(message.exit_code(), EXIT_USAGE);
        assert!(message
            .line()
            .starts_with("rw: --dir data: no such directory; "));
    }

    #[test]
    fn what_only_crw_meets_is_said_by_crw_with_a_fix() {
        let messages = [
            Message::Untrusted,
            Message::ProtocolMismatch {
                client: 9,
                server: 1,
                extension: "0.1.0".into(),
            },
            Message::BadFrame {
                reason: "a frame of type 0x7f".into(),
            },
            Message::BadToken,
            Message::TooManyRuns { limit: 32 },
        ];
        for message in messages {
            let line = message.line();
            assert!(line.starts_with("crw: "), "{line}");
            assert!(line.contains("; "), "no fix after the problem: {line}");
            assert_ne!(message.exit_code(), 0, "{line}");
        }
        let json = r#"{"kind":"protocolMismatch","client":9,"server":1,"extension":"0.1.0"}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert!(message
            .line()
            .starts_with("crw: this crw speaks protocol 9, the rw extension 0.1.0 speaks 1; "));
        let json = r#"{"kind":"untrusted"}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert_eq!(message.exit_code(), EXIT_CANNOT_EXECUTE);
        let json = r#"{"kind":"tooManyRuns","limit":32}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert!(message
            .line()
            .starts_with("crw: 32 programs are already running"));
        let json = r#"{"kind":"internal","program":"crw","reason":"boom"}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert_eq!(
            message.line(),
            "crw: internal error (boom); please report it"
        );
        assert_eq!(message.exit_code(), EXIT_FAILURE);
        let json = r#"{"kind":"badToken"}"#;
        assert_eq!(
            serde_json::from_str::<Message>(json).unwrap(),
            Message::BadToken
        );
    }

    #[test]
    fn what_is_not_a_file_or_too_big_is_never_read_and_says_so() {
        let json = r#"{"kind":"notAFile","file":"/dev/zero","what":"device"}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert_eq!(message.exit_code(), EXIT_CANNOT_EXECUTE);
        assert!(message
            .line()
            .starts_with("rw: /dev/zero: is a device, not a regular file; "));
        let json = r#"{"kind":"notAFile","file":"p","what":"fifo"}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert!(message.line().contains("is a named pipe (FIFO)"));
        let json = r#"{"kind":"tooLarge","file":"big.wasm","size":2147483648}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert_eq!(message.exit_code(), EXIT_CANNOT_EXECUTE);
        assert!(message
            .line()
            .starts_with("rw: big.wasm: is 2147483648 bytes, more than the 1073741824 (1 GiB) "));
    }

    #[test]
    fn host_messages_arrive_by_kind_from_the_extension() {
        let json = r#"{"kind":"notFound","file":"p.wasm","cwd":"/w"}"#;
        let message: Message = serde_json::from_str(json).unwrap();
        assert_eq!(
            message,
            Message::NotFound {
                file: "p.wasm".into(),
                cwd: "/w".into()
            }
        );
    }
}
