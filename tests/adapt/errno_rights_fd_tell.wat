;; rw f.wasm
;; fd_tell: EPERM for an fd without the rights fd_tell (32) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_tell" (func $fd_tell (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_tell (i32.const 4) (i32.const 8)))))
