;; rw f.wasm
;; A wasi_unstable program's fd_write and proc_exit: re-pointed to preview1 in the same pass as the patch, so the re-pointed fd_write gets the one-iovec-at-a-time wrapper and the unreachable the trap call.
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 3) (i32.const 8)))
    unreachable))
