;; rw f.wasm
;; fd_renumber: EBADF for either fd not open, and an open target closed first, as preview1 says.
(module
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_renumber (i32.const 4) (i32.const 5)))))
