;; rw f.wasm
;; fd_seek: EPERM for an fd without the rights fd_seek (4) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_seek (i32.const 4) (i64.const 0) (i32.const 0) (i32.const 8)))))
