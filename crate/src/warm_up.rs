//! A small module for the extension to plan once when it starts, off any run's path
//! (extension/src/warmUp.ts). V8 compiles each of the core's functions the first time it
//! is called, and the core's first preflight of even a small program paid some 60 ms of
//! that (scripts/bench-core-load.mjs). This module has what a compiled program has (WASI
//! imports, a memory, a table, loops, calls direct and indirect, loads and stores, the
//! instructions the trap checks guard, data), so planning it walks the core's run path:
//! reading, adapting and the trap instrumentation. It is never run.

use std::borrow::Cow;

use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, DataSection, ElementSection, Elements, EntityType,
    ExportKind, ExportSection, Function, FunctionSection, GlobalSection, GlobalType, ImportSection,
    MemArg, MemArgTarget, MemorySection, MemoryType, Module, RefType, TableSection, TableType,
    TypeSection, ValType,
};

const PREVIEW1: &str = "wasi_snapshot_preview1";

/// The module's bytes.
pub fn module() -> Vec<u8> {
    use ValType::I32;
    let mut types = TypeSection::new();
    types.ty().function([I32; 4], [I32]); // 0: fd_write
    types.ty().function([I32], []); // 1: proc_exit
    types.ty().function([], []); // 2: _start
    types.ty().function([I32; 2], [I32]); // 3: args_sizes_get, and `add`
    let mut imports = ImportSection::new();
    imports.import(PREVIEW1, "fd_write", EntityType::Function(0)); // func 0
    imports.import(PREVIEW1, "args_sizes_get", EntityType::Function(3)); // func 1
    imports.import(PREVIEW1, "proc_exit", EntityType::Function(1)); // func 2
    let (start, add) = (3, 4);
    let mut functions = FunctionSection::new();
    functions.function(2).function(3);
    let mut tables = TableSection::new();
    tables.table(TableType {
        element_type: RefType::FUNCREF,
        table64: false,
        minimum: 2,
        maximum: Some(2),
        shared: false,
    });
    let mut memories = MemorySection::new();
    memories.memory(MemoryType {
        minimum: 2,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    let mut globals = GlobalSection::new();
    let stack = GlobalType {
        val_type: I32,
        mutable: true,
        shared: false,
    };
    globals.global(stack, &ConstExpr::i32_const(65536));
    let mut exports = ExportSection::new();
    exports
        .export("_start", ExportKind::Func, start)
        .export("memory", ExportKind::Memory, 0);
    let mut elements = ElementSection::new();
    let table = Elements::Functions(Cow::Borrowed(&[add]));
    elements.active(Some(0), &ConstExpr::i32_const(1), table);

    let word = MemArg {
        offset: 0,
        align: 2,
        target: MemArgTarget::Memory(0),
        ordering: None,
    };
    let mut code = CodeSection::new();
    let mut body = Function::new([(2, I32)]);
    body.instructions()
        // A counted loop, as every program has.
        .block(BlockType::Empty)
        .loop_(BlockType::Empty)
        .local_get(0)
        .i32_const(1)
        .i32_add()
        .local_tee(0)
        .i32_const(10)
        .i32_lt_u()
        .br_if(0)
        .end()
        .end()
        // Calls: direct, indirect, to WASI.
        .i32_const(1024)
        .i32_const(1028)
        .call(1)
        .local_get(0)
        .call(add)
        .i32_const(3)
        .i32_const(1)
        .call_indirect(0, 3)
        .local_set(1)
        // What the trap checks guard: division, float truncation, unreachable.
        .local_get(1)
        .local_get(0)
        .i32_div_s()
        .f64_const(1.5.into())
        .i32_trunc_f64_s()
        .i32_rem_u()
        .if_(BlockType::Empty)
        .unreachable()
        .end()
        // A store and a load in memory, then output and exit.
        .i32_const(1040)
        .i32_const(1024)
        .i32_store(word)
        .i32_const(1)
        .i32_const(1040)
        .i32_load(word)
        .i32_const(1)
        .i32_const(1048)
        .call(0)
        .call(2)
        .end();
    code.function(&body);
    let mut add_body = Function::new([]);
    add_body
        .instructions()
        .local_get(0)
        .local_get(1)
        .i32_add()
        .global_get(0)
        .i32_add()
        .end();
    code.function(&add_body);
    let mut data = DataSection::new();
    data.active(0, &ConstExpr::i32_const(1024), b"warm\n".iter().copied());

    let mut module = Module::new();
    module
        .section(&types)
        .section(&imports)
        .section(&functions)
        .section(&tables)
        .section(&memories)
        .section(&globals)
        .section(&exports)
        .section(&elements)
        .section(&code)
        .section(&data);
    module.finish()
}
