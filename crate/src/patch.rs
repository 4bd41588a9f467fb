//! Two patches to a program's code for bugs of the WASM WASI Core 1.0.2, applied in one
//! pass just before it runs.
//!
//! Traps become clean exits. The Core never settles `run()` when a program traps (its
//! worker logs the trap and reports nothing), so a Rust panic or a C `abort()` would
//! hang the shell. Both end in the `unreachable` instruction: rw puts a call before each
//! one to a function it adds, which writes `rw: FILE trapped: unreachable executed` to
//! stderr and ends the process with `proc_exit(134)`, which the Core does handle
//! (wasmtime also exits with 134 on a trap). The `unreachable` stays after the call, so
//! the code still validates.
//!
//! Output stays whole. The Core joins the buffers of an `fd_write` with three or more
//! iovecs wrongly (`"AAAA","BBBB","CCCC\n"` arrives as `AAAACCCC\n` and NUL bytes, with
//! no error). Every call of the `fd_write` import goes to an added function instead,
//! which hands the Core one iovec at a time and reports the sum.
//!
//! Function indices do not move: the added function comes last, and it calls the
//! module's own `fd_write` and `proc_exit` imports, which every WASI program built by a
//! standard toolchain has. A module without them keeps its traps (and `--explain` says
//! so). This file says what the patch adds and where ([`Added`], [`Redirect`]); the
//! adapter's one pass over the code applies it, with or without an adaptation
//! ([`crate::adapt::apply_patched`], from an [`Outline`] of the module it writes):
//! bodies without `unreachable` or a call of `fd_write` are copied as they are, the
//! others spliced.

use wasm_encoder::{Function, MemArg, MemArgTarget, ValType};
use wasmparser::FuncType;

use crate::adapt::PREVIEW1;
#[cfg(test)]
use crate::adapt::{self, AdaptOptions};

/// The exit code of a trapped program, as wasmtime reports it.
pub const TRAP_EXIT_CODE: i32 = 134;

/// Why a module's traps stay as they are (it still runs; Ctrl-C frees the shell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uncaught {
    /// No `unreachable` anywhere: nothing to do.
    NoUnreachable,
    /// Not importing `fd_write` and `proc_exit` from preview1 with their types.
    NoWasiExit,
    /// No 32-bit memory 0 to write the message from.
    NoMemory,
    /// The module could not be read or spliced (the engine will say more when compiling).
    Unreadable(String),
}

/// The message a trapped program prints.
pub fn trap_message(file: &str) -> String {
    format!("rw: {file} trapped: unreachable executed\n")
}

/// What [`patch`] changed.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patched {
    pub bytes: Vec<u8>,
    /// Some `unreachable` now exits cleanly.
    pub traps_caught: bool,
}

/// The functions the patch adds (after every other, so no index moves) and the calls
/// it puts in, for a module that allows it.
pub struct Added {
    pub redirect: Redirect,
    /// Type index and body of [`Redirect::trap`], then of [`Redirect::write`].
    pub functions: [(u32, Function); 2],
}

/// The calls the patch changes and puts in, by function index.
pub struct Redirect {
    /// Calls of the `fd_write` import...
    pub fd_write: u32,
    /// ...go to this function, and this one is called before each `unreachable`.
    pub write: u32,
    pub trap: u32,
}

impl Added {
    /// What the patch adds to the module `outline` describes; `Err` says why it
    /// cannot.
    pub fn new(outline: &Outline, file: &str) -> Result<Added, Uncaught> {
        let (Some((fd_write, fd_write_type)), Some(proc_exit)) =
            (outline.fd_write, outline.proc_exit)
        else {
            return Err(Uncaught::NoWasiExit);
        };
        if !outline.memory32 {
            return Err(Uncaught::NoMemory);
        }
        let (Some(unit_type), true) = (outline.unit_type, outline.defines_functions) else {
            return Err(Uncaught::NoUnreachable);
        };
        let trap = outline.function_count;
        Ok(Added {
            redirect: Redirect {
                fd_write,
                write: trap + 1,
                trap,
            },
            functions: [
                (unit_type, exit_function(file, fd_write, proc_exit)),
                (fd_write_type, split_write_function(fd_write)),
            ],
        })
    }
}

impl Redirect {
    /// False only when `code` (a body's operators) holds neither `unreachable` nor
    /// a call of `fd_write`: no byte of it is 0 (`unreachable`'s opcode), and no `call`
    /// opcode (0x10) is followed by a byte that `fd_write`'s index can start with
    /// (padded or not). A check at memchr's speed, so only the bodies that may need a
    /// splice are decoded.
    pub fn may_need(&self, code: &[u8]) -> bool {
        let low = (self.fd_write & 0x7f) as u8;
        memchr::memchr2_iter(0, 0x10, code).any(|at| {
            code[at] == 0
                || code.get(at + 1).is_some_and(|&next| {
                    next == low | 0x80 || (self.fd_write < 0x80 && next == low)
                })
        })
    }
}

/// `bytes` with every `unreachable` turned into a clean exit and every `fd_write` call
/// split into single-iovec writes; `Err` says why nothing was changed. The adapter's
/// pass with nothing to adapt ([`crate::adapt::apply_patched`]), as the tests see the
/// patch alone.
#[cfg(test)]
pub fn patch(bytes: &[u8], file: &str) -> Result<Patched, Uncaught> {
    let options = AdaptOptions {
        file: file.to_owned(),
        ..AdaptOptions::default()
    };
    let patched = adapt::apply_patched(bytes, &[], &options)
        .map_err(|err| Uncaught::Unreadable(err.to_string()))?;
    match patched.bytes {
        Some(bytes) => Ok(Patched {
            bytes,
            traps_caught: patched.traps.is_ok(),
        }),
        None => Err(patched.traps.err().unwrap_or(Uncaught::NoUnreachable)),
    }
}

/// `fd_write`'s type: 0, 1 or 2 iovecs go to the Core as they are (it joins those
/// right); more go one by one, stopping at an error or a short write. `nwritten` gets
/// the sum; an error is returned only if nothing was written. The caller's own iovec
/// array and `nwritten` are all the memory it uses. The Core's EPERM, its answer for an
/// fd without the `fd_write` right, is preview1's ENOTCAPABLE (as in `adapt/errnos.rs`,
/// whose wrappers cannot reach `fd_write`: every call of it comes here).
fn split_write_function(fd_write: u32) -> Function {
    let (fd, iovs, count, nwritten) = (0, 1, 2, 3);
    let (i, total, errno, iov) = (4, 5, 6, 7);
    let mem = |offset: u64| MemArg {
        offset,
        align: 2,
        target: MemArgTarget::Memory(0),
        ordering: None,
    };
    let mut f = Function::new([(4, ValType::I32)]);
    let mut ins = f.instructions();
    ins.local_get(count).i32_const(2).i32_le_u();
    ins.if_(wasm_encoder::BlockType::Empty)
        .local_get(fd)
        .local_get(iovs)
        .local_get(count)
        .local_get(nwritten)
        .call(fd_write)
        .local_set(errno);
    perm_as_notcapable(&mut ins, errno);
    ins.local_get(errno).return_().end();
    ins.block(wasm_encoder::BlockType::Empty)
        .loop_(wasm_encoder::BlockType::Empty);
    ins.local_get(i).local_get(count).i32_ge_u().br_if(1);
    ins.local_get(iovs)
        .local_get(i)
        .i32_const(3)
        .i32_shl()
        .i32_add()
        .local_set(iov);
    ins.local_get(fd)
        .local_get(iov)
        .i32_const(1)
        .local_get(nwritten)
        .call(fd_write)
        .local_tee(errno)
        .br_if(1);
    ins.local_get(total)
        .local_get(nwritten)
        .i32_load(mem(0))
        .i32_add()
        .local_set(total);
    // A short write ends it, as it would end a writev.
    ins.local_get(nwritten)
        .i32_load(mem(0))
        .local_get(iov)
        .i32_load(mem(4))
        .i32_ne()
        .br_if(1);
    ins.local_get(i).i32_const(1).i32_add().local_set(i).br(0);
    ins.end().end();
    ins.local_get(nwritten).local_get(total).i32_store(mem(0));
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

/// errno `perm` (63) in local `errno` becomes `notcapable` (76).
fn perm_as_notcapable(ins: &mut wasm_encoder::InstructionSink<'_>, errno: u32) {
    ins.local_get(errno)
        .i32_const(63)
        .i32_eq()
        .if_(wasm_encoder::BlockType::Empty)
        .i32_const(76)
        .local_set(errno)
        .end();
}

/// `() -> ()`: grows a fresh page for the message (never program memory), writes it to
/// stderr and exits with 134. If memory cannot grow it exits without the message.
fn exit_function(file: &str, fd_write: u32, proc_exit: u32) -> Function {
    let message = trap_message(file).into_bytes();
    let base = 0; // local 0: the fresh page's address
    let mem = |offset: u64, align: u32| MemArg {
        offset,
        align,
        target: MemArgTarget::Memory(0),
        ordering: None,
    };
    let mut f = Function::new([(1, ValType::I32)]);
    let mut ins = f.instructions();
    ins.i32_const(1)
        .memory_grow(0)
        .local_tee(base)
        .i32_const(-1)
        .i32_eq();
    ins.if_(wasm_encoder::BlockType::Empty)
        .i32_const(TRAP_EXIT_CODE)
        .call(proc_exit)
        .end();
    ins.local_get(base).i32_const(16).i32_shl().local_set(base);
    // The message at base+16, eight bytes at a time.
    for (i, chunk) in message.chunks(8).enumerate() {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        ins.local_get(base)
            .i64_const(i64::from_le_bytes(word))
            .i64_store(mem(16 + 8 * i as u64, 3));
    }
    // One iovec at base: { buf: base+16, len }; nwritten at base+8.
    ins.local_get(base)
        .local_get(base)
        .i32_const(16)
        .i32_add()
        .i32_store(mem(0, 2));
    ins.local_get(base)
        .i32_const(message.len() as i32)
        .i32_store(mem(4, 2));
    ins.i32_const(2)
        .local_get(base)
        .i32_const(1)
        .local_get(base)
        .i32_const(8)
        .i32_add()
        .call(fd_write)
        .drop();
    ins.i32_const(TRAP_EXIT_CODE)
        .call(proc_exit)
        .unreachable()
        .end();
    f
}

/// What the patch needs to know of a module before it starts (of the module as the
/// adapter will write it, when it adapts it).
pub struct Outline {
    /// The preview1 `fd_write` import, and the type it is imported with (for the
    /// wrapper).
    pub fd_write: Option<(u32, u32)>,
    pub proc_exit: Option<u32>,
    /// A `() -> ()` type for the added function.
    pub unit_type: Option<u32>,
    pub memory32: bool,
    /// Whether the module has code of its own (else it has no `unreachable`).
    pub defines_functions: bool,
    pub function_count: u32,
}

impl Outline {
    /// Notes function import `index` if it is the `fd_write` or `proc_exit` the
    /// added functions call: from preview1, with the WASI ABI's type (see
    /// [`i32_shape`]).
    pub fn note_import(
        &mut self,
        module: &str,
        name: &str,
        index: u32,
        type_index: u32,
        shape: Option<(usize, usize)>,
    ) {
        if module != PREVIEW1 {
            return;
        }
        match (name, shape) {
            ("fd_write", Some((4, 1))) => self.fd_write = Some((index, type_index)),
            ("proc_exit", Some((1, 0))) => self.proc_exit = Some(index),
            _ => {}
        }
    }
}

/// The first `() -> ()` type of `types`.
pub fn unit_type(types: &[Option<FuncType>]) -> Option<u32> {
    types
        .iter()
        .position(|t| {
            t.as_ref()
                .is_some_and(|f| f.params().is_empty() && f.results().is_empty())
        })
        .map(|i| i as u32)
}

/// How many parameters and results `f` has, when all are i32 (as in the WASI ABI).
pub fn i32_shape(f: &FuncType) -> Option<(usize, usize)> {
    let all_i32 = f
        .params()
        .iter()
        .chain(f.results())
        .all(|t| *t == wasmparser::ValType::I32);
    all_i32.then_some((f.params().len(), f.results().len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::Encode;
    use wasmparser::{Operator, Parser, Payload};

    fn module(wat: &str) -> Vec<u8> {
        wat::parse_str(wat).unwrap()
    }

    const WASI: &str = r#"
        (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
        (memory (export "memory") 1)"#;

    #[test]
    fn every_unreachable_gets_a_call_first_and_the_module_validates() {
        let bytes = module(&format!(
            r#"(module {WASI}
                (func $a (export "_start") (call $b (i32.const 1)) unreachable)
                (func $b (param i32) (if (local.get 0) (then unreachable)) unreachable))"#
        ));
        let caught = patch(&bytes, "p.wasm").unwrap().bytes;
        wasmparser::Validator::new().validate_all(&caught).unwrap();
        let text = wasmprinter_like(&caught);
        assert_eq!(text.matches("call 4").count(), 3, "{text:?}");
        // The program's own call stays, and gets no trap call before it.
        assert!(
            text.starts_with("call 3\ncall 4\nunreachable\n"),
            "{text:?}"
        );
        assert_eq!(text.matches("unreachable").count(), 3 + 1, "{text:?}");
    }

    #[test]
    fn the_message_names_the_file() {
        let bytes = module(&format!(
            r#"(module {WASI} (func (export "_start") unreachable))"#
        ));
        let caught = patch(&bytes, "bin/p.wasm").unwrap().bytes;
        let message = trap_message("bin/p.wasm");
        // The message is stored eight bytes at a time as i64 constants.
        let first: [u8; 8] = message.as_bytes()[..8].try_into().unwrap();
        let mut encoded = Vec::new();
        i64::from_le_bytes(first).encode(&mut encoded);
        assert!(caught.windows(encoded.len()).any(|w| w == encoded));
    }

    #[test]
    fn modules_that_cannot_print_or_have_no_unreachable_are_left_alone() {
        let no_unreachable = module(&format!(r#"(module {WASI} (func (export "_start")))"#));
        assert_eq!(patch(&no_unreachable, "p"), Err(Uncaught::NoUnreachable));
        let no_exit = module(r#"(module (memory 1) (func (export "_start") unreachable))"#);
        assert_eq!(patch(&no_exit, "p"), Err(Uncaught::NoWasiExit));
    }

    #[test]
    fn only_bodies_with_a_zero_byte_or_a_call_of_fd_write_are_decoded() {
        let may_need = |code: &[u8], fd_write| {
            let outline = Outline {
                fd_write: Some((fd_write, 0)),
                proc_exit: Some(0),
                unit_type: Some(0),
                memory32: true,
                defines_functions: true,
                function_count: 1000,
            };
            Added::new(&outline, "p").unwrap().redirect.may_need(code)
        };
        // i32.const 1, drop; call 3; call 3 padded; end.
        assert!(!may_need(&[0x41, 0x01, 0x1a, 0x0b], 3));
        assert!(!may_need(&[0x10, 0x04, 0x0b], 3));
        assert!(may_need(&[0x10, 0x03, 0x0b], 3));
        assert!(may_need(&[0x10, 0x83, 0x80, 0x80, 0x80, 0x00, 0x0b], 3));
        assert!(may_need(&[0x10, 0x83, 0x01, 0x0b], 131));
        assert!(!may_need(&[0x10, 0x03, 0x0b], 131));
        // unreachable, or any zero byte (i32.const 0).
        assert!(may_need(&[0x00, 0x0b], 3));
        assert!(may_need(&[0x41, 0x00, 0x1a, 0x0b], 3));
    }

    /// The operators of every body, as text, to count them.
    fn wasmprinter_like(bytes: &[u8]) -> String {
        let mut text = String::new();
        for payload in Parser::new(0).parse_all(bytes) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    match ops.read().unwrap() {
                        Operator::Call { function_index } => {
                            text.push_str(&format!("call {function_index}\n"))
                        }
                        Operator::Unreachable => text.push_str("unreachable\n"),
                        _ => {}
                    }
                }
            }
        }
        text
    }
}
