;; rw f.wasm
;; fd_advise: EPERM for an fd without the rights fd_advise (128) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_advise" (func $fd_advise (param i32 i64 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_advise (i32.const 4) (i64.const 0) (i64.const 0) (i32.const 0)))))
