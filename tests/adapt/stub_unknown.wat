;; rw --stub-unknown-imports f.wasm
;; An unknown import, env.f, beside preview1 fd_write and proc_exit: a stub that writes "rw: f.wasm called unsupported import env.f" and exits with 134; env.f's slot now imports sched_yield, so no other index moves.
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $f (i32.const 1)))))
