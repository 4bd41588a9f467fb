;; rw f.wasm
;; fd_filestat_set_times: EINVAL for fstflags that ask for a time and "now" at once, before the Core's ENOSYS.
(module
  (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func $fd_filestat_set_times (param i32 i64 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_filestat_set_times (i32.const 4) (i64.const 0) (i64.const 0) (i32.const 3)))))
