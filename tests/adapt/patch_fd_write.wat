;; rw f.wasm
;; The write patch: the call of fd_write goes to the added rw.fd_write_one_by_one, which hands the Core one iovec at a time and reports the sum.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 3) (i32.const 8)))))
