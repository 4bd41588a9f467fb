;; rw f.wasm
;; wasi_snapshot_preview1.fd_fdstat_set_rights, which the WASM WASI Core lacks: a local function returning ENOSYS (52).
(module
  (import "wasi_snapshot_preview1" "fd_fdstat_set_rights" (func $fd_fdstat_set_rights (param i32 i64 i64) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_fdstat_set_rights (i32.const 3) (i64.const 0) (i64.const 0)))))
