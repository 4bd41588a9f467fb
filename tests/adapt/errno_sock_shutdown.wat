;; rw f.wasm
;; sock_shutdown: EBADF for an fd not open and ENOTSOCK for one not a socket, before the Core's ENOSYS.
(module
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $sock_shutdown (i32.const 4) (i32.const 2)))))
