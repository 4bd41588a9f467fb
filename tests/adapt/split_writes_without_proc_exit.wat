;; rw f.wasm
;; A module that imports no proc_exit (so no trap patch) still has its fd_write calls go through the one-iovec-at-a-time wrapper: the Core joins 3 or more iovecs wrongly whatever else the module imports.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 1024) (i32.const 3) (i32.const 1100)))))
