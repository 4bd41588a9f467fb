;; rw f.wasm
;; An atomic wait is checked before it is marked WAITING: an address out of bounds or misaligned traps in the wait, which the watch never takes for gone.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1 2 shared)
  (func (export "_start")
    ;; argc (at 1024): 2 or more means an argument was given.
    (drop (call $args_sizes_get (i32.const 1024) (i32.const 1028)))
    (drop (memory.atomic.wait32
      (select (i32.const 1026) (i32.const 0xfffffff0) (i32.ge_u (i32.load (i32.const 1024)) (i32.const 2)))
      (i32.const 0) (i64.const 1000000)))
    (call $proc_exit (i32.const 0))))
