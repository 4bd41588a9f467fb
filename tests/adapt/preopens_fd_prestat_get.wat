;; rw f.wasm
;; fd_prestat_get: a wrapper answers by fd (fd 3 asks fd 4 too, ending the Core's start-up; any other fd's EINVAL is EBADF).
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_prestat_get (i32.const 3) (i32.const 16)))))
