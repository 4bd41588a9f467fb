(module
  (type (;0;) (func (param i32 i32 i32 i32 i32 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32 i32 i32 i32 i32) (result i32)))
  (type (;3;) (func (param i32 i32 i32 i32 i32) (result i32)))
  (type (;4;) (func (param i64) (result i32)))
  (type (;5;) (func))
  (type (;6;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "path_rename" (func $wasi_snapshot_preview1.path_rename (;0;) (type 2) (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get" (func $wasi_snapshot_preview1.path_filestat_get (;1;) (type 3) (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "_start" (func 2))
  (func (;2;) (type 1)
    i32.const 3
    i32.const 100
    i32.const 4
    i32.const 3
    i32.const 200
    i32.const 4
    i32.const 0
    i32.const 1920401410
    i32.store
    call $path_rename
    drop
  )
  (func $path_rename (;3;) (type 0) (param i32 i32 i32 i32 i32 i32) (result i32)
    (local i32 i32 i32 i32)
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    local.get 4
    local.get 5
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.path_rename
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 6
    i32.const 20
    i32.ne
    if ;; label = @1
      local.get 6
      return
    end
    i64.const 131072
    i32.const 0
    i32.const 1920401410
    i32.store
    call $rw.scratch
    local.tee 7
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 48
      return
    end
    local.get 3
    i32.const 0
    local.get 4
    local.get 5
    local.get 7
    i32.const 64
    i32.add
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.path_filestat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 6
    if ;; label = @1
      local.get 6
      return
    end
    local.get 0
    i32.const 0
    local.get 1
    local.get 2
    local.get 7
    i32.const 128
    i32.add
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.path_filestat_get
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 6
    if ;; label = @1
      local.get 6
      return
    end
    local.get 7
    i64.load offset=64
    local.get 7
    i64.load offset=128
    i64.eq
    local.get 7
    i64.load offset=72
    local.get 7
    i64.load offset=136
    i64.eq
    i32.and
    if ;; label = @1
      i32.const 0
      return
    end
    local.get 7
    i32.load8_u offset=80
    i32.const 3
    i32.eq
    local.tee 9
    local.get 7
    i32.load8_u offset=144
    i32.const 3
    i32.eq
    i32.ne
    if ;; label = @1
      i32.const 31
      i32.const 54
      local.get 9
      select
      return
    end
    local.get 9
    if ;; label = @1
      local.get 7
      local.get 7
      i32.load offset=131068
      i32.const 1
      i32.add
      local.tee 8
      i32.store offset=131068
      local.get 7
      i32.const 0
      i32.store8
      local.get 7
      i32.const 114
      i32.store8 offset=1
      local.get 7
      i32.const 119
      i32.store8 offset=2
      local.get 7
      i32.const 45
      i32.store8 offset=3
      local.get 7
      i32.const 114
      i32.store8 offset=4
      local.get 7
      i32.const 109
      i32.store8 offset=5
      local.get 7
      i32.const 100
      i32.store8 offset=6
      local.get 7
      i32.const 105
      i32.store8 offset=7
      local.get 7
      i32.const 114
      i32.store8 offset=8
      local.get 7
      i32.const 45
      i32.store8 offset=9
      local.get 7
      i32.const 45
      i32.store8 offset=10
      local.get 7
      local.get 7
      i32.const 28
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=11
      local.get 7
      local.get 7
      i32.const 24
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=12
      local.get 7
      local.get 7
      i32.const 20
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=13
      local.get 7
      local.get 7
      i32.const 16
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=14
      local.get 7
      local.get 7
      i32.const 12
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=15
      local.get 7
      local.get 7
      i32.const 8
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=16
      local.get 7
      local.get 7
      i32.const 4
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=17
      local.get 7
      local.get 7
      i32.const 0
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=18
      local.get 7
      local.get 8
      i32.const 28
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=19
      local.get 7
      local.get 8
      i32.const 24
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=20
      local.get 7
      local.get 8
      i32.const 20
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=21
      local.get 7
      local.get 8
      i32.const 16
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=22
      local.get 7
      local.get 8
      i32.const 12
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=23
      local.get 7
      local.get 8
      i32.const 8
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=24
      local.get 7
      local.get 8
      i32.const 4
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=25
      local.get 7
      local.get 8
      i32.const 0
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=26
    else
      local.get 7
      local.get 7
      i32.load offset=131068
      i32.const 1
      i32.add
      local.tee 8
      i32.store offset=131068
      local.get 7
      i32.const 0
      i32.store8
      local.get 7
      i32.const 114
      i32.store8 offset=1
      local.get 7
      i32.const 119
      i32.store8 offset=2
      local.get 7
      i32.const 45
      i32.store8 offset=3
      local.get 7
      i32.const 117
      i32.store8 offset=4
      local.get 7
      i32.const 110
      i32.store8 offset=5
      local.get 7
      i32.const 108
      i32.store8 offset=6
      local.get 7
      i32.const 105
      i32.store8 offset=7
      local.get 7
      i32.const 110
      i32.store8 offset=8
      local.get 7
      i32.const 107
      i32.store8 offset=9
      local.get 7
      i32.const 45
      i32.store8 offset=10
      local.get 7
      local.get 7
      i32.const 28
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=11
      local.get 7
      local.get 7
      i32.const 24
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=12
      local.get 7
      local.get 7
      i32.const 20
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=13
      local.get 7
      local.get 7
      i32.const 16
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=14
      local.get 7
      local.get 7
      i32.const 12
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=15
      local.get 7
      local.get 7
      i32.const 8
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=16
      local.get 7
      local.get 7
      i32.const 4
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=17
      local.get 7
      local.get 7
      i32.const 0
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=18
      local.get 7
      local.get 8
      i32.const 28
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=19
      local.get 7
      local.get 8
      i32.const 24
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=20
      local.get 7
      local.get 8
      i32.const 20
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=21
      local.get 7
      local.get 8
      i32.const 16
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=22
      local.get 7
      local.get 8
      i32.const 12
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=23
      local.get 7
      local.get 8
      i32.const 8
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=24
      local.get 7
      local.get 8
      i32.const 4
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=25
      local.get 7
      local.get 8
      i32.const 0
      i32.shr_u
      i32.const 15
      i32.and
      i32.const 97
      i32.add
      i32.store8 offset=26
    end
    local.get 3
    local.get 4
    local.get 5
    local.get 3
    local.get 7
    i32.const 27
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.path_rename
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 6
    if ;; label = @1
      i32.const 55
      local.get 6
      local.get 6
      i32.const 20
      i32.eq
      select
      return
    end
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    local.get 4
    local.get 5
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.path_rename
    i32.const 0
    i32.const 1920401409
    i32.store
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
  (@custom "rw.deletes" (after code) "")
  (@custom "rw.errnos" (after code) "")
  (@custom "rw.instrumented" (after code) "")
)
