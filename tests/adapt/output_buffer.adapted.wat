(module
  (type (;0;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func))
  (type (;3;) (func))
  (type (;4;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (;0;) (type 0) (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (;1;) (type 1) (param i32)))
  (import "env" "memory" (memory (;0;) 2 65536 shared))
  (global $__stack_pointer (;0;) (mut i32) i32.const 69632)
  (global (;1;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "_start" (func 6))
  (func (;2;) (type 2)
    i32.const 2048
    i32.const 1024
    i32.const 0
    i32.const 1920401409
    i32.store
    i32.store
    i32.const 2052
    i32.const 6
    i32.store
    i32.const 1
    i32.const 2048
    i32.const 1
    i32.const 2056
    i32.const 0
    i32.const 1920401410
    i32.store
    call $rw.fd_write_one_by_one
    drop
  )
  (func $rw.trapped (;3;) (type 2)
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
  (func $rw.fd_write_one_by_one (;4;) (type 0) (param i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i64)
    block ;; label = @1
      global.get 1
      i32.eqz
      i32.const 8
      i32.atomic.load
      i32.const 1920401664
      i32.ne
      i32.or
      local.get 0
      i32.const 1
      i32.sub
      i32.const 1
      i32.gt_u
      i32.or
      local.get 2
      i32.const 16
      i32.gt_u
      i32.or
      br_if 0 (;@1;)
      memory.size
      i64.extend_i32_u
      i64.const 16
      i64.shl
      local.set 10
      local.get 1
      i64.extend_i32_u
      local.get 2
      i64.extend_i32_u
      i64.const 3
      i64.shl
      i64.add
      local.get 10
      i64.gt_u
      br_if 0 (;@1;)
      local.get 3
      i64.extend_i32_u
      i64.const 4
      i64.add
      local.get 10
      i64.gt_u
      br_if 0 (;@1;)
      block ;; label = @2
        loop ;; label = @3
          local.get 5
          local.get 2
          i32.ge_u
          br_if 1 (;@2;)
          local.get 1
          local.get 5
          i32.const 3
          i32.shl
          i32.add
          local.set 6
          block ;; label = @4
            local.get 6
            i32.load offset=4
            local.tee 9
            i32.const 4088
            i32.gt_u
            br_if 3 (;@1;)
            local.get 6
            i32.load
            i64.extend_i32_u
            local.get 9
            i64.extend_i32_u
            i64.add
            local.get 10
            i64.gt_u
            br_if 3 (;@1;)
            local.get 4
            local.get 9
            i32.add
            local.set 4
          end
          local.get 5
          i32.const 1
          i32.add
          local.set 5
          br 0 (;@3;)
        end
      end
      local.get 4
      i32.eqz
      br_if 0 (;@1;)
      i32.const 65536
      i32.atomic.load
      local.tee 7
      i32.const 0
      i32.ne
      local.get 7
      i32.const 28
      i32.shr_u
      local.get 0
      i32.ne
      i32.and
      br_if 0 (;@1;)
      local.get 7
      i32.const 268435455
      i32.and
      local.get 4
      i32.add
      i32.const 4088
      i32.gt_u
      br_if 0 (;@1;)
      i32.const 65544
      local.get 7
      i32.const 268435455
      i32.and
      i32.add
      local.set 8
      i32.const 0
      local.set 5
      block ;; label = @2
        loop ;; label = @3
          local.get 5
          local.get 2
          i32.ge_u
          br_if 1 (;@2;)
          local.get 1
          local.get 5
          i32.const 3
          i32.shl
          i32.add
          local.set 6
          block ;; label = @4
            local.get 8
            local.get 6
            i32.load
            local.get 6
            i32.load offset=4
            local.tee 9
            memory.copy
            local.get 8
            local.get 9
            i32.add
            local.set 8
          end
          local.get 5
          i32.const 1
          i32.add
          local.set 5
          br 0 (;@3;)
        end
      end
      i32.const 65536
      local.get 7
      local.get 0
      i32.const 28
      i32.shl
      local.get 7
      i32.const 268435455
      i32.and
      local.get 4
      i32.add
      i32.or
      i32.atomic.rmw.cmpxchg
      local.get 7
      i32.ne
      br_if 0 (;@1;)
      local.get 3
      local.get 4
      i32.store
      i32.const 0
      return
    end
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call 5
  )
  (func (;5;) (type 0) (param i32 i32 i32 i32) (result i32)
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
  (func (;6;) (type 3)
    global.get $__stack_pointer
    i32.const 69632
    i32.eq
    if ;; label = @1
      i32.const 65536
      global.set $__stack_pointer
      i32.const 65536
      i32.const 0
      i32.atomic.store
      i32.const 1
      global.set 1
      i32.const 12
      i32.const 65536
      i32.atomic.store
    end
    call 2
  )
  (data (;0;) (i32.const 1024) "hello\0a")
  (@custom "rw.errnos" (after data) "")
  (@custom "rw.instrumented" (after data) "")
)
