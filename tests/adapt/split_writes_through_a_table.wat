;; rw f.wasm
;; fd_write reached through a table, `ref.func`, a global, an export and a tail call, not only `call`: each goes to the one-iovec-at-a-time wrapper (the element segment, the global and the export name the wrapper), so no write reaches the Core with 3 iovecs.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (type $write (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) $fd_write)
  (global $g funcref (ref.func $fd_write))
  (export "write" (func $fd_write))
  (func $tail (param i32 i32 i32 i32) (result i32)
    (return_call $fd_write (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "_start")
    (drop (call_indirect (type $write) (i32.const 1) (i32.const 1024) (i32.const 3) (i32.const 1100) (i32.const 0)))
    (drop (call_ref $write (i32.const 1) (i32.const 1024) (i32.const 3) (i32.const 1100) (ref.func $fd_write)))
    (drop (call $tail (i32.const 1) (i32.const 1024) (i32.const 3) (i32.const 1100)))))
