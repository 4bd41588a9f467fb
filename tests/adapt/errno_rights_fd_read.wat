;; rw f.wasm
;; fd_read: EPERM for an fd without the rights fd_read (2) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_read (i32.const 4) (i32.const 16) (i32.const 1) (i32.const 8)))))
