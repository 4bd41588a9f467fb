(module
  (type (;0;) (func (param i32 i64 i64 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i64 i64 i32) (result i32)))
  (type (;3;) (func))
  (type (;4;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_set_times" (func $wasi_snapshot_preview1.fd_filestat_set_times (;0;) (type 2) (param i32 i64 i64 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 4
    i64.const 0
    i64.const 0
    i32.const 3
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_filestat_set_times
    drop
  )
  (func $fd_filestat_set_times (;2;) (type 0) (param i32 i64 i64 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    local.get 3
    i32.const 3
    i32.and
    i32.const 3
    i32.eq
    if ;; label = @1
      i32.const 28
      return
    end
    local.get 3
    i32.const 12
    i32.and
    i32.const 12
    i32.eq
    if ;; label = @1
      i32.const 28
      return
    end
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_filestat_set_times
    i32.const 0
    i32.const 1920401409
    i32.store
  )
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
