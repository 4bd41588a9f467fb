;; rw f.wasm
;; fd_pwrite: EPERM for an fd without the rights fd_write and fd_seek (68) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $fd_pwrite (param i32 i32 i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_pwrite (i32.const 4) (i32.const 16) (i32.const 1) (i64.const 0) (i32.const 8)))))
