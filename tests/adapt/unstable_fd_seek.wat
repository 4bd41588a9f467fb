;; rw f.wasm
;; wasi_unstable.fd_seek: a shim renumbers whence (snapshot 0 CUR=0, END=1, SET=2) and calls preview1 fd_seek, imported in the freed slot.
(module
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_seek (i32.const 3) (i64.const 5) (i32.const 2) (i32.const 16)))))
