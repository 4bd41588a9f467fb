(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param i32 i32)))
  (type (;2;) (func))
  (import "wasi" "thread-spawn" (func $spawn (;0;) (type 0) (param i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 2 shared))
  (export "wasi_thread_start" (func 1))
  (export "_start" (func 2))
  (func (;1;) (type 1) (param i32 i32))
  (func (;2;) (type 2)
    i32.const 0
    call $spawn
    drop
  )
  (@custom "rw.errnos" (after code) "")
)
