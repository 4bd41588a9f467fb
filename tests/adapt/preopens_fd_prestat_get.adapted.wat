(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32) (result i32)))
  (type (;3;) (func))
  (type (;4;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $wasi_snapshot_preview1.fd_prestat_get (;0;) (type 2) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 3
    i32.const 16
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_prestat_get
    drop
  )
  (func $fd_prestat_get (;2;) (type 0) (param i32 i32) (result i32)
    (local i32 i64)
    local.get 0
    local.get 1
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_prestat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    local.set 2
    local.get 0
    i32.const 3
    i32.ne
    if ;; label = @1
      i32.const 8
      local.get 2
      local.get 2
      i32.const 28
      i32.eq
      select
      return
    end
    local.get 1
    i64.load align=1
    local.set 3
    i32.const 4
    local.get 1
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_prestat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    drop
    local.get 1
    local.get 3
    i64.store align=1
    local.get 2
    i32.const 28
    i32.eq
    if ;; label = @1
      local.get 1
      i32.const 0
      i32.store8
      local.get 1
      i32.const 1
      i32.store offset=4 align=1
      i32.const 0
      local.set 2
    end
    local.get 2
  )
  (@custom "rw.preopens" (after code) "")
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
