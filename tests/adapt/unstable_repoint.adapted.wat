(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (;0;) (type 0) (param i32 i32) (result i32)))
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 0
    i32.const 8
    call $random_get
    drop
  )
  (@custom "rw.errnos" (after code) "")
)
