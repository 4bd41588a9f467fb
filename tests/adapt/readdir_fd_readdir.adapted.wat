(module
  (type (;0;) (func (param i32 i32 i32 i64 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32 i32 i64 i32) (result i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i64) (result i32)))
  (type (;5;) (func))
  (type (;6;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $wasi_snapshot_preview1.fd_readdir (;0;) (type 2) (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $wasi_snapshot_preview1.fd_filestat_get (;1;) (type 3) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "_start" (func 2))
  (func (;2;) (type 1)
    i32.const 3
    i32.const 1024
    i32.const 512
    i64.const 0
    i32.const 16
    i32.const 0
    i32.const 1920401410
    i32.store
    call $fd_readdir
    drop
  )
  (func $fd_readdir (;3;) (type 0) (param i32 i32 i32 i64 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    local.get 3
    i64.const 2
    i64.ge_u
    if ;; label = @1
      local.get 0
      local.get 1
      local.get 2
      local.get 3
      i64.const 2
      i64.sub
      local.get 4
      i32.const 0
      i32.const 1920401412
      i32.store
      call $wasi_snapshot_preview1.fd_readdir
      i32.const 0
      i32.const 1920401409
      i32.store
      local.tee 8
      if ;; label = @2
        local.get 8
        return
      end
      local.get 1
      local.set 9
      local.get 1
      local.get 4
      i32.load
      i32.add
      local.set 10
      block ;; label = @2
        loop ;; label = @3
          i32.const 0
          i32.const 1920401409
          i32.store
          local.get 9
          i32.const 24
          i32.add
          local.get 10
          i32.gt_u
          br_if 1 (;@2;)
          local.get 9
          local.get 9
          i64.load align=1
          i64.const 2
          i64.add
          i64.store align=1
          local.get 9
          local.get 9
          i32.load offset=16 align=1
          i32.const 24
          i32.add
          i32.add
          local.set 9
          br 0 (;@3;)
        end
      end
      i32.const 0
      return
    end
    i64.const 115
    call $rw.scratch
    local.tee 5
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 48
      return
    end
    local.get 0
    local.get 5
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_filestat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 8
    if ;; label = @1
      local.get 8
      return
    end
    local.get 5
    i64.const 1
    i64.store offset=64 align=1
    local.get 5
    local.get 5
    i64.load offset=8 align=1
    i64.store offset=72 align=1
    local.get 5
    i32.const 1
    i32.store offset=80 align=1
    local.get 5
    i32.const 3
    i32.store8 offset=84
    local.get 5
    i32.const 46
    i32.store8 offset=88
    local.get 5
    i64.const 2
    i64.store offset=89 align=1
    local.get 5
    i64.const 0
    i64.store offset=97 align=1
    local.get 5
    i32.const 2
    i32.store offset=105 align=1
    local.get 5
    i32.const 3
    i32.store8 offset=109
    local.get 5
    i32.const 46
    i32.store8 offset=113
    local.get 5
    i32.const 46
    i32.store8 offset=114
    i32.const 25
    i32.const 0
    local.get 3
    i64.const 1
    i64.eq
    select
    local.set 6
    i32.const 51
    local.get 6
    i32.sub
    local.set 7
    local.get 2
    local.get 7
    i32.le_u
    if ;; label = @1
      local.get 1
      local.get 5
      i32.const 64
      i32.add
      local.get 6
      i32.add
      local.get 2
      memory.copy
      local.get 4
      local.get 2
      i32.store
      i32.const 0
      return
    end
    local.get 1
    local.get 5
    i32.const 64
    i32.add
    local.get 6
    i32.add
    local.get 7
    memory.copy
    local.get 0
    local.get 1
    local.get 7
    i32.add
    local.get 2
    local.get 7
    i32.sub
    i64.const 0
    local.get 4
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.fd_readdir
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 8
    if ;; label = @1
      local.get 8
      return
    end
    local.get 1
    local.get 7
    i32.add
    local.tee 9
    local.get 4
    i32.load
    i32.add
    local.set 10
    block ;; label = @1
      loop ;; label = @2
        i32.const 0
        i32.const 1920401409
        i32.store
        local.get 9
        i32.const 24
        i32.add
        local.get 10
        i32.gt_u
        br_if 1 (;@1;)
        local.get 9
        local.get 9
        i64.load align=1
        i64.const 2
        i64.add
        i64.store align=1
        local.get 9
        local.get 9
        i32.load offset=16 align=1
        i32.const 24
        i32.add
        i32.add
        local.set 9
        br 0 (;@2;)
      end
    end
    local.get 4
    local.get 4
    i32.load
    local.get 7
    i32.add
    i32.store
    i32.const 0
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
