;; rw f.wasm
;; fd_sync: EPERM for an fd without the rights fd_sync (16) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_sync" (func $fd_sync (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_sync (i32.const 4)))))
