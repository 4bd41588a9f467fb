(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param i32 i32)))
  (type (;2;) (func))
  (type (;3;) (func))
  (type (;4;) (func (param i32 i32)))
  (import "wasi" "thread-spawn" (func $spawn (;0;) (type 0) (param i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 2 shared))
  (global (;0;) (mut i32) i32.const 248)
  (export "wasi_thread_start" (func 4))
  (export "_start" (func 3))
  (func (;1;) (type 1) (param i32 i32))
  (func (;2;) (type 2)
    i32.const 0
    global.get 0
    i32.const 1920401412
    i32.store
    call $spawn
    global.get 0
    i32.const 1920401409
    i32.store
    drop
  )
  (func (;3;) (type 3)
    i32.const 0
    global.set 0
    call 2
  )
  (func (;4;) (type 4) (param i32 i32)
    local.get 0
    i32.const 30
    i32.rem_u
    i32.const 1
    i32.add
    i32.const 8
    i32.mul
    global.set 0
    local.get 0
    local.get 1
    call 1
    global.get 0
    i32.const 1920401413
    i32.store
  )
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
