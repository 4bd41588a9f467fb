(module
  (type $write (;0;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func))
  (type (;3;) (func))
  (type (;4;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (;0;) (type $write) (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (;1;) (type 1) (param i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (table (;0;) 1 funcref)
  (global $g (;0;) funcref ref.func $rw.fd_write_one_by_one)
  (export "memory" (memory 0))
  (export "write" (func $rw.fd_write_one_by_one))
  (export "_start" (func 3))
  (elem (;0;) (i32.const 0) func $rw.fd_write_one_by_one)
  (func $tail (;2;) (type $write) (param i32 i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    i32.const 0
    i32.const 1920401410
    i32.store
    return_call $rw.fd_write_one_by_one
  )
  (func (;3;) (type 2)
    (local i32)
    i32.const 1
    i32.const 1024
    i32.const 3
    i32.const 1100
    i32.const 0
    local.set 0
    i32.const 0
    local.get 0
    i32.store offset=4
    i32.const 0
    i32.const 1920466944
    i32.store
    local.get 0
    call_indirect (type $write)
    drop
    i32.const 1
    i32.const 1024
    i32.const 3
    i32.const 1100
    ref.func $rw.fd_write_one_by_one
    i32.const 0
    i32.const 1920401410
    i32.store
    call_ref $write
    drop
    i32.const 1
    i32.const 1024
    i32.const 3
    i32.const 1100
    i32.const 0
    i32.const 1920401410
    i32.store
    call $tail
    drop
  )
  (func $rw.trapped (;4;) (type 2)
    (local i32)
    i32.const 1
    memory.grow
    local.tee 0
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 134
      i32.const 0
      i32.const 1920401412
      i32.store
      call $proc_exit
      i32.const 0
      i32.const 1920401409
      i32.store
    end
    local.get 0
    i32.const 16
    i32.shl
    local.set 0
    local.get 0
    i64.const 7023133160069822322
    i32.const 0
    i32.const 1920401409
    i32.store
    i64.store offset=16
    local.get 0
    i64.const 8102082873841970547
    i64.store offset=24
    local.get 0
    i64.const 7886754536725570661
    i64.store offset=32
    local.get 0
    i64.const 7161116424649662496
    i64.store offset=40
    local.get 0
    i64.const 7575160561963524456
    i64.store offset=48
    local.get 0
    i64.const 7598807827363427182
    i64.store offset=56
    local.get 0
    i64.const 8458716092899028591
    i64.store offset=64
    local.get 0
    i64.const 174351732
    i64.store offset=72
    local.get 0
    local.get 0
    i32.const 16
    i32.add
    i32.store
    local.get 0
    i32.const 60
    i32.store offset=4
    i32.const 2
    local.get 0
    i32.const 1
    local.get 0
    i32.const 8
    i32.add
    i32.const 0
    i32.const 1920401412
    i32.store
    call $fd_write
    i32.const 0
    i32.const 1920401409
    i32.store
    drop
    i32.const 134
    i32.const 0
    i32.const 1920401412
    i32.store
    call $proc_exit
    i32.const 0
    i32.const 1920401409
    i32.store
    unreachable
  )
  (func $rw.fd_write_one_by_one (;5;) (type $write) (param i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32)
    local.get 2
    i32.const 2
    i32.le_u
    if ;; label = @1
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      i32.const 0
      i32.const 1920401412
      i32.store
      call $fd_write
      i32.const 0
      i32.const 1920401409
      i32.store
      local.set 6
      local.get 6
      i32.const 63
      i32.eq
      if ;; label = @2
        i32.const 76
        local.set 6
      end
      local.get 6
      return
    end
    block ;; label = @1
      loop ;; label = @2
        i32.const 0
        i32.const 1920401409
        i32.store
        local.get 4
        local.get 2
        i32.ge_u
        br_if 1 (;@1;)
        local.get 1
        local.get 4
        i32.const 3
        i32.shl
        i32.add
        local.set 7
        local.get 0
        local.get 7
        i32.const 1
        local.get 3
        i32.const 0
        i32.const 1920401412
        i32.store
        call $fd_write
        i32.const 0
        i32.const 1920401409
        i32.store
        local.tee 6
        br_if 1 (;@1;)
        local.get 5
        local.get 3
        i32.load
        i32.add
        local.set 5
        local.get 3
        i32.load
        local.get 7
        i32.load offset=4
        i32.ne
        br_if 1 (;@1;)
        local.get 4
        i32.const 1
        i32.add
        local.set 4
        br 0 (;@2;)
      end
    end
    local.get 3
    local.get 5
    i32.store
    local.get 6
    i32.const 63
    i32.eq
    if ;; label = @1
      i32.const 76
      local.set 6
    end
    local.get 6
    i32.const 0
    local.get 5
    i32.eqz
    select
  )
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
