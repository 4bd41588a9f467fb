;; rw f.wasm
;; fd_close: success for an fd that was open, where the Core closes a second "." and says EBADF.
(module
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_close (i32.const 4)))))
