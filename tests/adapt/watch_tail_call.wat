;; rw f.wasm
;; A tail call to a WASI function is marked WAITING as a call is (it may block for ever). A tail call is marked though the word says CALLING already (at the entry of a function only calls reach): a tail call takes no stack, so it may loop for ever, and a running program must write the word.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (memory (export "memory") 1)
  (func $spin (param $n i32) (result i32)
    (return_call $spin (i32.add (local.get $n) (i32.const 1))))
  (func $yield (result i32)
    (return_call $sched_yield))
  (func (export "_start")
    (drop (call $yield))
    (drop (call $spin (i32.const 0)))))
