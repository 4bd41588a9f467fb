(module
  (type (;0;) (func (param i32 i32 i32 i64 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32 i32 i64 i32) (result i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i64) (result i32)))
  (type (;5;) (func))
  (type (;6;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_pwrite" (func $wasi_snapshot_preview1.fd_pwrite (;0;) (type 2) (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $wasi_snapshot_preview1.fd_fdstat_get (;1;) (type 3) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "_start" (func 2))
  (func (;2;) (type 1)
    i32.const 4
    i32.const 16
    i32.const 1
    i64.const 0
    i32.const 8
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_pwrite
    drop
  )
  (func $fd_pwrite (;3;) (type 0) (param i32 i32 i32 i64 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    local.get 4
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_pwrite
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 5
    i32.const 63
    i32.eq
    if ;; label = @1
      i64.const 24
      i32.const 0
      i32.const 1920401410
      i32.store
      call $rw.scratch
      local.tee 6
      i32.const -1
      i32.eq
      if ;; label = @2
        i32.const 48
        return
      end
      local.get 0
      local.get 6
      i32.const 0
      i32.const 1920401412
      i32.store
      call $wasi_snapshot_preview1.fd_fdstat_get
      i32.const 0
      i32.const 1920401409
      i32.store
      i32.eqz
      local.get 6
      i64.load offset=8
      i64.const 68
      i64.and
      i64.const 68
      i64.ne
      i32.and
      if ;; label = @2
        i32.const 76
        local.set 5
      end
    end
    local.get 5
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
