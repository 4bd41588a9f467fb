(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func))
  (type (;3;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (;0;) (type 0) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 0
    i32.const 8
    i32.const 0
    i32.const 1920401412
    i32.store
    call $random_get
    i32.const 0
    i32.const 1920401409
    i32.store
    drop
  )
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
