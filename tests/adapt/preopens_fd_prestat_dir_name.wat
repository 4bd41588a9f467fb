;; rw f.wasm
;; fd_prestat_dir_name: ENAMETOOLONG for fd 3 and a buffer shorter than its name, where the Core writes past it.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_prestat_dir_name (i32.const 3) (i32.const 16) (i32.const 1)))))
