;; rw f.wasm
;; fd_filestat_set_size: EPERM for an fd without the rights fd_filestat_set_size (4194304) is ENOTCAPABLE (asked of fd_fdstat_get, only on EPERM).
(module
  (import "wasi_snapshot_preview1" "fd_filestat_set_size" (func $fd_filestat_set_size (param i32 i64) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_filestat_set_size (i32.const 4) (i64.const 0)))))
