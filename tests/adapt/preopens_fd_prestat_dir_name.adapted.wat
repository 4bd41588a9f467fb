(module
  (type (;0;) (func (param i32 i32 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32 i32) (result i32)))
  (type (;3;) (func))
  (type (;4;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $wasi_snapshot_preview1.fd_prestat_dir_name (;0;) (type 2) (param i32 i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 3
    i32.const 16
    i32.const 1
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_prestat_dir_name
    drop
  )
  (func $fd_prestat_dir_name (;2;) (type 0) (param i32 i32 i32) (result i32)
    local.get 0
    i32.const 3
    i32.eq
    local.get 2
    i32.const 1
    i32.lt_u
    i32.and
    if ;; label = @1
      i32.const 37
      return
    end
    local.get 0
    local.get 1
    local.get 2
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_prestat_dir_name
    i32.const 0
    i32.const 1920401409
    i32.store
  )
  (@custom "rw.preopens" (after code) "")
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
