(module
  (type (;0;) (func (param i32 i64 i32 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i64 i32 i32) (result i32)))
  (type (;3;) (func))
  (type (;4;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $wasi_snapshot_preview1.fd_seek (;0;) (type 2) (param i32 i64 i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 3
    i64.const 5
    i32.const 2
    i32.const 16
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_seek
    drop
  )
  (func $fd_seek (;2;) (type 0) (param i32 i64 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    i32.const 1
    i32.add
    i32.const 3
    i32.rem_u
    local.get 2
    local.get 2
    i32.const 3
    i32.lt_u
    select
    local.get 3
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_seek
    i32.const 0
    i32.const 1920401409
    i32.store
  )
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
