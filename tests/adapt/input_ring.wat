;; crw --not-terminal=stdin f.wasm
;; A program that names its stack pointer and reads stdin gets an input ring below its output buffer: `_start`'s wrapper moves the stack pointer down by both (here 192 KiB above the data's end: an 11 KiB buffer, then a ring of 16 KiB, a power of two no more than an eighth of what is left) and says where each is; the fd_read wrapper's place is taken by the ring's read, which takes what the host put in the ring for fd 0 once the host has said it fills it, and calls the wrapper's own body (moved to the second added function) for anything else (`adapt/input.rs`).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 4)
  (global $__stack_pointer (mut i32) (i32.const 197632))
  (data (i32.const 1024) "x")
  (func (export "_start")
    (i32.store (i32.const 2048) (i32.const 4096))
    (i32.store (i32.const 2052) (i32.const 100))
    (drop (call $fd_read (i32.const 0) (i32.const 2048) (i32.const 1) (i32.const 2056)))
    (i32.store (i32.const 2052) (i32.load (i32.const 2056)))
    (drop (call $fd_write (i32.const 1) (i32.const 2048) (i32.const 1) (i32.const 2056)))))
