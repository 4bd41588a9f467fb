;; rw f.wasm
;; The trap patch: before each unreachable (two here) a call of the added rw.trapped, which writes "rw: f.wasm trapped: wasm `unreachable` instruction executed" to stderr and calls proc_exit(134).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $abort
    unreachable)
  (func (export "_start")
    (if (i32.eqz (i32.load (i32.const 0)))
      (then (call $abort)))
    unreachable))
