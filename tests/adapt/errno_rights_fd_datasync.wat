;; rw f.wasm
;; fd_datasync: EPERM for an fd without the rights fd_datasync (1) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_datasync" (func $fd_datasync (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_datasync (i32.const 4)))))
