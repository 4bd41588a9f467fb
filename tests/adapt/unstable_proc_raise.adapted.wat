(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func))
  (type (;3;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $wasi_snapshot_preview1.sched_yield (;0;) (type 0) (param i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 6
    i32.const 0
    i32.const 1920401410
    i32.store
    call $proc_raise
    drop
  )
  (func $proc_raise (;2;) (type 0) (param i32) (result i32)
    i32.const 52
  )
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
