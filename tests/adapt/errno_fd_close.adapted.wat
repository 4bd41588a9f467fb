(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32) (result i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i64) (result i32)))
  (type (;5;) (func))
  (type (;6;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $wasi_snapshot_preview1.fd_close (;0;) (type 2) (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $wasi_snapshot_preview1.fd_fdstat_get (;1;) (type 3) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "_start" (func 2))
  (func (;2;) (type 1)
    i32.const 4
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_close
    drop
  )
  (func $fd_close (;3;) (type 0) (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    i64.const 24
    call $rw.scratch
    local.tee 2
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 48
      return
    end
    local.get 0
    local.get 2
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_fdstat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    local.set 1
    local.get 0
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_close
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 2
    i32.const 8
    i32.eq
    local.get 2
    i32.const 52
    i32.eq
    i32.or
    local.get 1
    i32.eqz
    i32.and
    if ;; label = @1
      i32.const 0
      local.set 2
    end
    local.get 2
  )
  (func $rw.scratch (;4;) (type 4) (param i64) (result i32)
    (local i64 i32)
    local.get 0
    global.get 1
    i64.extend_i32_u
    i64.const 16
    i64.shl
    i64.gt_u
    if ;; label = @1
      local.get 0
      i64.const 65535
      i64.add
      i64.const 16
      i64.shr_u
      local.tee 1
      i64.const 65536
      i64.gt_u
      if ;; label = @2
        i32.const -1
        return
      end
      local.get 1
      i32.wrap_i64
      memory.grow
      local.tee 2
      i32.const -1
      i32.eq
      if ;; label = @2
        i32.const -1
        return
      end
      local.get 2
      i32.const 16
      i32.shl
      global.set 0
      local.get 1
      i32.wrap_i64
      global.set 1
    end
    global.get 0
  )
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
