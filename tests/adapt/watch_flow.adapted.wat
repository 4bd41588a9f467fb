(module
  (type (;0;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32 i32) (result i32)))
  (type (;3;) (func (param i32) (result i32)))
  (type (;4;) (func))
  (type (;5;) (func))
  (type (;6;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (;0;) (type 0) (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (;1;) (type 1) (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (;2;) (type 2) (param i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 6))
  (func $far (;3;) (type 3) (param $n i32) (result i32)
    i32.const -16
    local.get $n
    i32.sub
  )
  (func $after_call (;4;) (type 4)
    i32.const 0
    call $far
    i32.const 0
    i32.const 1920401409
    i32.store
    i32.load
    drop
  )
  (func $after_branch (;5;) (type 1) (param $skip i32)
    (local $at i32)
    block $skipped
      i32.const 0
      call $far
      local.set $at
      local.get $skip
      br_if $skipped
      i32.const 1024
      i32.const 0
      i32.const 1920401409
      i32.store
      i32.load
      drop
    end
    local.get $at
    i32.const 0
    i32.const 1920401409
    i32.store
    i32.load
    drop
  )
  (func (;6;) (type 4)
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
    i32.const 1024
    i32.load
    i32.const 2
    i32.ge_u
    if ;; label = @1
      i32.const 1
      i32.const 0
      i32.const 1920401410
      i32.store
      call $after_branch
    else
      i32.const 0
      i32.const 1920401410
      i32.store
      call $after_call
    end
    i32.const 0
    i32.const 0
    i32.const 1920401412
    i32.store
    call $proc_exit
    i32.const 0
    i32.const 1920401409
    i32.store
  )
  (@custom "rw.instrumented" (after code) "")
)
