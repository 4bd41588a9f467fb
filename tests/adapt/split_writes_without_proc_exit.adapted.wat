(module
  (type (;0;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func))
  (type (;3;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (;0;) (type 0) (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (export "memory" (memory 0))
  (export "_start" (func 1))
  (func (;1;) (type 1)
    i32.const 1
    i32.const 1024
    i32.const 3
    i32.const 1100
    i32.const 0
    i32.const 1920401410
    i32.store
    call $rw.fd_write_one_by_one
    drop
  )
  (func $rw.fd_write_one_by_one (;2;) (type 0) (param i32 i32 i32 i32) (result i32)
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
