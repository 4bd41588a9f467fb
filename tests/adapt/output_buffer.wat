;; rw f.wasm
;; A program that names its stack pointer (wasm-ld's `__stack_pointer`, global 0) gets an output buffer at the top of its stack: `_start`'s wrapper moves the stack pointer down by a sixteenth of the stack (here 64 KiB above the data's end: 4 KiB) and says where the buffer is; the fd_write wrapper's place is taken by the buffered write, which copies a write to fd 1 or 2 there once the host has said it drains it, and calls the wrapper's own body (moved to the first added function) for anything else (`adapt/output.rs`).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 2)
  (global $__stack_pointer (mut i32) (i32.const 69632))
  (data (i32.const 1024) "hello\n")
  (func (export "_start")
    (i32.store (i32.const 2048) (i32.const 1024))
    (i32.store (i32.const 2052) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 2048) (i32.const 1) (i32.const 2056)))))
