(module
  (type (;0;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;1;) (func (param i32) (result i32)))
  (type (;2;) (func (param i32 i32) (result i32)))
  (type (;3;) (func (param i32)))
  (type (;4;) (func))
  (type (;5;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;6;) (func (param i32 i32) (result i32)))
  (type (;7;) (func (param i32) (result i32)))
  (type (;8;) (func (param i64) (result i32)))
  (type (;9;) (func))
  (type (;10;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (;0;) (type 0) (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (;1;) (type 3) (param i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $wasi_snapshot_preview1.fd_read (;2;) (type 5) (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $wasi_snapshot_preview1.fd_fdstat_get (;3;) (type 6) (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $wasi_snapshot_preview1.fd_close (;4;) (type 7) (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $wasi_snapshot_preview1.fd_renumber (;5;) (type 6) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 4 65536 shared))
  (global $__stack_pointer (;0;) (mut i32) i32.const 197632)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i32) i32.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "_start" (func 17))
  (func (;6;) (type 4)
    i32.const 3
    i32.const 1
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_renumber
    drop
    i32.const 0
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_close
    drop
    i32.const 0
    i32.const 2048
    i32.const 1
    i32.const 2056
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_read
    drop
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
  (func $fd_read (;7;) (type 0) (param i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i64)
    block ;; label = @1
      global.get 3
      i32.eqz
      i32.const 16
      i32.atomic.load
      i32.const 1920401920
      i32.ne
      i32.or
      local.get 0
      i32.or
      local.get 2
      i32.const 16
      i32.gt_u
      i32.or
      br_if 0 (;@1;)
      i32.const 169968
      i32.atomic.load
      local.set 4
      i32.const 169972
      i32.atomic.load
      local.set 5
      local.get 4
      local.get 5
      i32.sub
      local.tee 6
      i32.eqz
      local.get 6
      i32.const 16384
      i32.gt_u
      i32.or
      br_if 0 (;@1;)
      memory.size
      i64.extend_i32_u
      i64.const 16
      i64.shl
      local.set 14
      local.get 1
      i64.extend_i32_u
      local.get 2
      i64.extend_i32_u
      i64.const 3
      i64.shl
      i64.add
      local.get 14
      i64.gt_u
      br_if 0 (;@1;)
      local.get 3
      i64.extend_i32_u
      i64.const 4
      i64.add
      local.get 14
      i64.gt_u
      br_if 0 (;@1;)
      block ;; label = @2
        loop ;; label = @3
          local.get 8
          local.get 2
          i32.ge_u
          br_if 1 (;@2;)
          local.get 1
          local.get 8
          i32.const 3
          i32.shl
          i32.add
          local.set 9
          block ;; label = @4
            local.get 9
            i32.load
            i64.extend_i32_u
            local.get 9
            i32.load offset=4
            i64.extend_i32_u
            i64.add
            local.get 14
            i64.gt_u
            br_if 3 (;@1;)
          end
          local.get 8
          i32.const 1
          i32.add
          local.set 8
          br 0 (;@3;)
        end
      end
      i32.const 0
      local.set 8
      block ;; label = @2
        loop ;; label = @3
          local.get 8
          local.get 2
          i32.ge_u
          br_if 1 (;@2;)
          local.get 1
          local.get 8
          i32.const 3
          i32.shl
          i32.add
          local.set 9
          block ;; label = @4
            local.get 6
            local.get 7
            i32.sub
            local.tee 10
            i32.eqz
            br_if 2 (;@2;)
            local.get 9
            i32.load offset=4
            local.set 13
            local.get 13
            local.get 10
            local.get 13
            local.get 10
            i32.lt_u
            select
            local.set 10
            local.get 5
            local.get 7
            i32.add
            i32.const 16383
            i32.and
            local.set 11
            i32.const 16384
            local.get 11
            i32.sub
            local.tee 12
            local.get 10
            local.get 12
            local.get 10
            i32.lt_u
            select
            local.set 12
            local.get 9
            i32.load
            i32.const 169984
            local.get 11
            i32.add
            local.get 12
            memory.copy
            local.get 9
            i32.load
            local.get 12
            i32.add
            i32.const 169984
            local.get 10
            local.get 12
            i32.sub
            memory.copy
            local.get 7
            local.get 10
            i32.add
            local.set 7
          end
          local.get 8
          i32.const 1
          i32.add
          local.set 8
          br 0 (;@3;)
        end
      end
      local.get 7
      i32.eqz
      br_if 0 (;@1;)
      i32.const 169972
      local.get 5
      local.get 7
      i32.add
      i32.atomic.store
      local.get 3
      local.get 7
      i32.store
      i32.const 0
      return
    end
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call 14
  )
  (func $fd_close (;8;) (type 1) (param i32) (result i32)
    local.get 0
    i32.const 3
    i32.lt_u
    if ;; label = @1
      i32.const 0
      global.set 3
    end
    local.get 0
    call 15
  )
  (func $fd_renumber (;9;) (type 2) (param i32 i32) (result i32)
    local.get 0
    i32.const 3
    i32.lt_u
    if ;; label = @1
      i32.const 0
      global.set 3
    end
    local.get 1
    i32.const 3
    i32.lt_u
    if ;; label = @1
      i32.const 0
      global.set 3
    end
    local.get 0
    local.get 1
    call 16
  )
  (func $rw.scratch (;10;) (type 8) (param i64) (result i32)
    (local i64 i32)
    local.get 0
    global.get 2
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
      global.set 1
      local.get 1
      i32.wrap_i64
      global.set 2
    end
    global.get 1
  )
  (func $rw.trapped (;11;) (type 4)
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
  (func $rw.fd_write_one_by_one (;12;) (type 0) (param i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i64)
    block ;; label = @1
      global.get 3
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
            i32.const 11256
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
      i32.const 186368
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
      i32.const 11256
      i32.gt_u
      br_if 0 (;@1;)
      i32.const 186376
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
      i32.const 186368
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
    call 13
  )
  (func (;13;) (type 0) (param i32 i32 i32 i32) (result i32)
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
  (func (;14;) (type 0) (param i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_read
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 4
    i32.const 63
    i32.eq
    if ;; label = @1
      i64.const 24
      i32.const 0
      i32.const 1920401410
      i32.store
      call $rw.scratch
      local.tee 5
      i32.const -1
      i32.eq
      if ;; label = @2
        i32.const 48
        return
      end
      local.get 0
      local.get 5
      i32.const 0
      i32.const 1920401412
      i32.store
      call $wasi_snapshot_preview1.fd_fdstat_get
      i32.const 0
      i32.const 1920401409
      i32.store
      i32.eqz
      local.get 5
      i64.load offset=8
      i64.const 2
      i64.and
      i64.const 2
      i64.ne
      i32.and
      if ;; label = @2
        i32.const 76
        local.set 4
      end
    end
    local.get 4
  )
  (func (;15;) (type 1) (param i32) (result i32)
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
  (func (;16;) (type 2) (param i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    i64.const 24
    call $rw.scratch
    local.tee 3
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 48
      return
    end
    local.get 0
    local.get 3
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_fdstat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    if ;; label = @1
      i32.const 8
      return
    end
    i64.const 24
    i32.const 0
    i32.const 1920401410
    i32.store
    call $rw.scratch
    local.tee 3
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 48
      return
    end
    local.get 1
    local.get 3
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_fdstat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    if ;; label = @1
      i32.const 8
      return
    end
    local.get 0
    local.get 1
    i32.eq
    if ;; label = @1
      i32.const 0
      return
    end
    local.get 0
    local.get 1
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_renumber
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 2
    i32.const 8
    i32.eq
    if ;; label = @1
      local.get 1
      i32.const 0
      i32.const 1920401412
      i32.store
      call $wasi_snapshot_preview1.fd_close
      i32.const 0
      i32.const 1920401409
      i32.store
      drop
      local.get 0
      local.get 1
      i32.const 0
      i32.const 1920401412
      i32.store
      call $wasi_snapshot_preview1.fd_renumber
      i32.const 0
      i32.const 1920401409
      i32.store
      local.set 2
    end
    local.get 2
  )
  (func (;17;) (type 9)
    global.get $__stack_pointer
    i32.const 197632
    i32.eq
    if ;; label = @1
      i32.const 169968
      global.set $__stack_pointer
      i32.const 169968
      i32.const 0
      i32.atomic.store
      i32.const 169972
      i32.const 0
      i32.atomic.store
      i32.const 20
      i32.const 169968
      i32.atomic.store
      i32.const 186368
      i32.const 0
      i32.atomic.store
      i32.const 1
      global.set 3
      i32.const 12
      i32.const 186368
      i32.atomic.store
    end
    call 6
  )
  (data (;0;) (i32.const 1024) "x")
  (@custom "rw.errnos" (after data) "")
  (@custom "rw.isatty" (after data) "\01")
  (@custom "rw.instrumented" (after data) "")
)
