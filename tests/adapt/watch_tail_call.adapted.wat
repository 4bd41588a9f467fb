(module
  (type (;0;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (result i32)))
  (type (;3;) (func (param i32) (result i32)))
  (type (;4;) (func))
  (type (;5;) (func))
  (type (;6;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (;0;) (type 0) (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (;1;) (type 1) (param i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (;2;) (type 2) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 5))
  (func $spin (;3;) (type 3) (param $n i32) (result i32)
    local.get $n
    i32.const 1
    i32.add
    i32.const 0
    i32.const 1920401410
    i32.store
    return_call $spin
  )
  (func $yield (;4;) (type 2) (result i32)
    i32.const 0
    i32.const 1920401412
    i32.store
    return_call $sched_yield
  )
  (func (;5;) (type 4)
    i32.const 0
    i32.const 1920401410
    i32.store
    call $yield
    drop
    i32.const 0
    i32.const 0
    i32.const 1920401410
    i32.store
    call $spin
    drop
  )
  (@custom "rw.instrumented" (after code) "")
)
