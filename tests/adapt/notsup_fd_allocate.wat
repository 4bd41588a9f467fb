;; rw f.wasm
;; fd_allocate, which the WASM WASI Core gets wrong: EBADF for an fd not open, ENOTCAPABLE without the right, else ENOTSUP (58), as wasmtime.
(module
  (import "wasi_snapshot_preview1" "fd_allocate" (func $fd_allocate (param i32 i64 i64) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_allocate (i32.const 3) (i64.const 0) (i64.const 4096)))))
