//! `--stub-unknown-imports` (wasmtime's `-W unknown-imports-trap`): a function import no
//! WASI host provides links to a local function. The program may never call it (many
//! import functions for features they do not use). If it does, the stub says so on
//! stderr through preview1 `fd_write` and exits with 134 through `proc_exit`; the
//! `unreachable` after it satisfies any result type and would trap if `proc_exit`
//! returned. The message lives in a passive data segment that `memory.init` copies into
//! scratch, so no program memory is written.

use wasm_encoder::{BlockType, Function, ValType};
use wasmparser::FuncType;

use super::emit::mem;
use super::layout::{Builder, MessageAt, Replaced, Targets};
use super::{sig, Action, Adaptation, Claim, Context, Done};
use crate::message::{Message, EXIT_ABORT};
use crate::module::Import;
use crate::wasi_core;

/// Where the stub puts the iovec (8 bytes) and `nwritten` (4) in its scratch; the
/// message follows at [`MESSAGE_AT`].
const MESSAGE_AT: i32 = 16;
const STDERR: i32 = 2;

pub struct UnknownStub;

impl Adaptation for UnknownStub {
    fn claim(&self, import: &Import, _ty: Option<&FuncType>, cx: &Context) -> Claim {
        let unknown = !wasi_core::provides_function(import.module, import.name);
        Ok((unknown && cx.options.adapt.stub_unknown_imports).then_some(Action::Stub))
    }

    fn replace<'a>(&self, replaced: &Replaced<'a>, cx: &Context, layout: &mut Builder<'a>) -> Done {
        let Import { module, name, .. } = replaced.import;
        layout.need_import("fd_write", sig::FD_WRITE);
        layout.need_import("proc_exit", sig::PROC_EXIT);
        layout.need_scratch();
        let said = Message::CalledUnsupported {
            file: cx.options.file.to_owned(),
            module: module.to_owned(),
            name: name.to_owned(),
        };
        let message = layout.add_message(&format!("{}\n", said.line()));
        let params = replaced.ty.params().len() as u32;
        layout.add_function(format!("{module}.{name}"), move |targets| {
            body(params, message, targets)
        });
        Ok(())
    }
}

/// Writes the message (if scratch can be had) and exits with 134. `params` is the
/// number of parameters of the import's type: the one local comes after them.
fn body(params: u32, message: MessageAt, targets: &Targets) -> Function {
    let base = params;
    let mut f = Function::new([(1, ValType::I32)]);
    f.instructions()
        .i64_const(i64::from(message.len) + i64::from(MESSAGE_AT))
        .call(targets.scratch)
        .local_tee(base)
        .i32_const(-1)
        .i32_ne()
        .if_(BlockType::Empty)
        // memory.init(segment): dst = base + 16, src = offset, len
        .local_get(base)
        .i32_const(MESSAGE_AT)
        .i32_add()
        .i32_const(message.offset as i32)
        .i32_const(message.len as i32)
        .memory_init(0, targets.message_segment)
        // iovec @0 = { buf: base + 16, len }
        .local_get(base)
        .local_get(base)
        .i32_const(MESSAGE_AT)
        .i32_add()
        .i32_store(mem(0, 2))
        .local_get(base)
        .i32_const(message.len as i32)
        .i32_store(mem(4, 2))
        // fd_write(2, iovs = base, 1, nwritten = base + 8); a failure changes nothing
        .i32_const(STDERR)
        .local_get(base)
        .i32_const(1)
        .local_get(base)
        .i32_const(8)
        .i32_add()
        .call(targets.preview1("fd_write"))
        .drop()
        .end()
        .i32_const(EXIT_ABORT)
        .call(targets.preview1("proc_exit"))
        .unreachable()
        .end();
    f
}
