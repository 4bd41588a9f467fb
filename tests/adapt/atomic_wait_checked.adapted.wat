(module
  (type (;0;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32 i32) (result i32)))
  (type (;3;) (func))
  (type (;4;) (func))
  (type (;5;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (;0;) (type 0) (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (;1;) (type 1) (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (;2;) (type 2) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 2 shared))
  (export "memory" (memory 0))
  (export "_start" (func 3))
  (func (;3;) (type 3)
    (local i64 i32 i32)
    i32.const 1024
    i32.const 1028
    i32.const 0
    i32.const 1920401412
    i32.store
    call $args_sizes_get
    i32.const 0
    i32.const 1920401409
    i32.store
    drop
    i32.const 1026
    i32.const -16
    i32.const 1024
    i32.load
    i32.const 2
    i32.ge_u
    select
    i32.const 0
    i64.const 1000000
    local.set 0
    local.set 1
    local.tee 2
    i64.extend_i32_u
    i64.const 4
    i64.add
    memory.size
    i64.extend_i32_u
    i64.const 16
    i64.shl
    i64.gt_u
    if ;; label = @1
      call 4
    end
    local.get 2
    i32.const 3
    i32.and
    if ;; label = @1
      call 5
    end
    local.get 2
    local.get 1
    local.get 0
    i32.const 0
    i32.const 1920401412
    i32.store
    memory.atomic.wait32
    i32.const 0
    i32.const 1920401409
    i32.store
    drop
    i32.const 0
    i32.const 0
    i32.const 1920401412
    i32.store
    call $proc_exit
    i32.const 0
    i32.const 1920401409
    i32.store
  )
  (func (;4;) (type 4)
    (local i32)
    i32.const 1
    memory.grow
    local.tee 0
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 134
      call $proc_exit
    end
    local.get 0
    i32.const 16
    i32.shl
    local.set 0
    local.get 0
    i64.const 7023133160069822322
    i64.store offset=16
    local.get 0
    i64.const 8102082873841970547
    i64.store offset=24
    local.get 0
    i64.const 2338623226654647397
    i64.store offset=32
    local.get 0
    i64.const 7236850772479075951
    i64.store offset=40
    local.get 0
    i64.const 8751179541578063987
    i64.store offset=48
    local.get 0
    i64.const 753072441997353248
    i64.store offset=56
    local.get 0
    local.get 0
    i32.const 16
    i32.add
    i32.store
    local.get 0
    i32.const 48
    i32.store offset=4
    i32.const 2
    local.get 0
    i32.const 1
    local.get 0
    i32.const 8
    i32.add
    call $fd_write
    drop
    i32.const 134
    call $proc_exit
    unreachable
  )
  (func (;5;) (type 4)
    (local i32)
    i32.const 1
    memory.grow
    local.tee 0
    i32.const -1
    i32.eq
    if ;; label = @1
      i32.const 134
      call $proc_exit
    end
    local.get 0
    i32.const 16
    i32.shl
    local.set 0
    local.get 0
    i64.const 7023133160069822322
    i64.store offset=16
    local.get 0
    i64.const 8102082873841970547
    i64.store offset=24
    local.get 0
    i64.const 7022072161413784677
    i64.store offset=32
    local.get 0
    i64.const 7863395336195631468
    i64.store offset=40
    local.get 0
    i64.const 7161040588478836069
    i64.store offset=48
    local.get 0
    i64.const 44886615395
    i64.store offset=56
    local.get 0
    local.get 0
    i32.const 16
    i32.add
    i32.store
    local.get 0
    i32.const 45
    i32.store offset=4
    i32.const 2
    local.get 0
    i32.const 1
    local.get 0
    i32.const 8
    i32.add
    call $fd_write
    drop
    i32.const 134
    call $proc_exit
    unreachable
  )
  (@custom "rw.instrumented" (after code) "")
)
