//! Traps become clean exits. The WASM WASI Core 1.0.2 never settles `run()` when a
//! program traps (its worker logs the trap and reports nothing), so a Rust panic or a C
//! `abort()` would hang the shell. Both end in the `unreachable` instruction: rw puts a
//! call before each one to a function it adds, which writes
//! `rw: FILE trapped: unreachable executed` to stderr and ends the process with
//! `proc_exit(134)`, which the Core does handle (wasmtime also exits with 134 on a trap).
//! The `unreachable` stays after the call, so the code still validates.
//!
//! Function indices do not move: the added function comes last, and it calls the
//! module's own `fd_write` and `proc_exit` imports, which every WASI program built by a
//! standard toolchain has. A module without them keeps its traps (and `--explain` says
//! so). Bodies without `unreachable` are copied as they are; the others are spliced:
//! wasmparser finds the instructions, wasm-encoder encodes the calls.

use wasm_encoder::{
    CodeSection, Encode, Function, FunctionSection, Instruction, MemArg, MemArgTarget, Module,
    RawSection, ValType,
};
use wasmparser::{FuncType, Parser, Payload, TypeRef};

use crate::adapt::code::{Kind, Scanner};
use crate::adapt::PREVIEW1;

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

/// `bytes` with every `unreachable` turned into a clean exit, or why not.
pub fn catch_traps(bytes: &[u8], file: &str) -> Result<Vec<u8>, Uncaught> {
    let unreadable =
        |e: wasmparser::BinaryReaderError| Uncaught::Unreadable(e.message().to_owned());
    let outline = Outline::read(bytes).map_err(unreadable)?;
    let (Some(fd_write), Some(proc_exit)) = (outline.fd_write, outline.proc_exit) else {
        return Err(Uncaught::NoWasiExit);
    };
    if !outline.memory32 {
        return Err(Uncaught::NoMemory);
    }
    let (Some(unit_type), true) = (
        outline.unit_type,
        outline.function_count > outline.imported_functions,
    ) else {
        return Err(Uncaught::NoUnreachable);
    };
    // The added function comes after every other, so no index moves.
    let trap_fn = outline.function_count;
    let mut call = Vec::new();
    Instruction::Call(trap_fn).encode(&mut call);

    let mut scanner = Scanner::with_unreachable();
    let mut module = Module::new();
    let mut code = CodeSection::new();
    let mut bodies_left = 0;
    let mut found = false;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(unreadable)? {
            Payload::FunctionSection(reader) => {
                let mut functions = FunctionSection::new();
                for ty in reader {
                    functions.function(ty.map_err(unreadable)?);
                }
                functions.function(unit_type);
                module.section(&functions);
            }
            Payload::CodeSectionStart { count, .. } => bodies_left = count,
            Payload::CodeSectionEntry(body) => {
                let spliced = splice(bytes, &body, &call, &mut scanner).map_err(unreadable)?;
                found |= spliced.is_some();
                let range = body.range();
                code.raw(
                    spliced
                        .as_deref()
                        .unwrap_or(&bytes[range.start as usize..range.end as usize]),
                );
                bodies_left -= 1;
                if bodies_left == 0 {
                    code.function(&exit_function(file, fd_write, proc_exit));
                    module.section(&code);
                }
            }
            // Code offsets change: debug info and linking data would lie.
            Payload::CustomSection(custom) if stale(custom.name()) => {}
            other => {
                if let Some((id, range)) = other.as_section() {
                    let data = &bytes[range.start as usize..range.end as usize];
                    module.section(&RawSection { id, data });
                }
            }
        }
    }
    if !found {
        return Err(Uncaught::NoUnreachable);
    }
    Ok(module.finish())
}

/// A function body with `call trap_fn` before each `unreachable`; `None` if it has none.
fn splice(
    bytes: &[u8],
    body: &wasmparser::FunctionBody<'_>,
    call: &[u8],
    scanner: &mut Scanner,
) -> wasmparser::Result<Option<Vec<u8>>> {
    let range = body.range();
    let mut sites = scanner
        .scan(body.get_binary_reader_for_operators()?)?
        .iter()
        .filter(|site| site.kind == Kind::Unreachable)
        .peekable();
    if sites.peek().is_none() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(range.end as usize - range.start as usize + call.len());
    let mut copied = range.start as usize;
    for site in sites {
        out.extend_from_slice(&bytes[copied..site.start]);
        out.extend_from_slice(call);
        copied = site.start;
    }
    out.extend_from_slice(&bytes[copied..range.end as usize]);
    Ok(Some(out))
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

fn stale(custom_section: &str) -> bool {
    custom_section.starts_with(".debug_")
        || custom_section.starts_with("reloc.")
        || custom_section == "linking"
        || custom_section.starts_with("metadata.code.")
}

/// What the rewrite needs to know before it starts.
struct Outline {
    fd_write: Option<u32>,
    proc_exit: Option<u32>,
    /// A `() -> ()` type for the added function.
    unit_type: Option<u32>,
    memory32: bool,
    imported_functions: u32,
    function_count: u32,
}

impl Outline {
    fn read(bytes: &[u8]) -> wasmparser::Result<Outline> {
        let mut outline = Outline {
            fd_write: None,
            proc_exit: None,
            unit_type: None,
            memory32: false,
            imported_functions: 0,
            function_count: 0,
        };
        let mut types: Vec<Option<FuncType>> = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::TypeSection(reader) => {
                    for group in reader {
                        for sub in group?.into_types() {
                            types.push(match sub.composite_type.inner {
                                wasmparser::CompositeInnerType::Func(f) => Some(f),
                                _ => None,
                            });
                        }
                    }
                    outline.unit_type = types
                        .iter()
                        .position(|t| {
                            t.as_ref()
                                .is_some_and(|f| f.params().is_empty() && f.results().is_empty())
                        })
                        .map(|i| i as u32);
                }
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        match import.ty {
                            TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                                let index = outline.imported_functions;
                                outline.imported_functions += 1;
                                if import.module == PREVIEW1 {
                                    let sig = types.get(ty as usize).cloned().flatten();
                                    match import.name {
                                        "fd_write" if is_sig(&sig, 4, 1) => {
                                            outline.fd_write = Some(index)
                                        }
                                        "proc_exit" if is_sig(&sig, 1, 0) => {
                                            outline.proc_exit = Some(index)
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            TypeRef::Memory(memory) => outline.memory32 |= !memory.memory64,
                            _ => {}
                        }
                    }
                }
                Payload::FunctionSection(reader) => outline.function_count = reader.count(),
                Payload::MemorySection(reader) => {
                    if let Some(memory) = reader.into_iter().next() {
                        outline.memory32 |= !memory?.memory64;
                    }
                }
                Payload::CodeSectionStart { .. } => break,
                _ => {}
            }
        }
        outline.function_count += outline.imported_functions;
        Ok(outline)
    }
}

/// An all-i32 signature with this many parameters and results (the WASI ABI's).
fn is_sig(sig: &Option<FuncType>, params: usize, results: usize) -> bool {
    sig.as_ref().is_some_and(|f| {
        f.params().len() == params
            && f.results().len() == results
            && f.params()
                .iter()
                .chain(f.results())
                .all(|t| *t == wasmparser::ValType::I32)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::Operator;

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
        let caught = catch_traps(&bytes, "p.wasm").unwrap();
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
        let caught = catch_traps(&bytes, "bin/p.wasm").unwrap();
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
        assert_eq!(
            catch_traps(&no_unreachable, "p"),
            Err(Uncaught::NoUnreachable)
        );
        let no_exit = module(r#"(module (memory 1) (func (export "_start") unreachable))"#);
        assert_eq!(catch_traps(&no_exit, "p"), Err(Uncaught::NoWasiExit));
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
