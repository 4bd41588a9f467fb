(module
  (type (;0;) (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i32) (result i32)))
  (type (;5;) (func (param i64) (result i32)))
  (type (;6;) (func))
  (type (;7;) (func (param i32 i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $wasi_snapshot_preview1.path_open (;0;) (type 2) (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $wasi_snapshot_preview1.fd_fdstat_get (;1;) (type 3) (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $wasi_snapshot_preview1.fd_close (;2;) (type 4) (param i32) (result i32)))
  (import "env" "memory" (memory (;0;) 1 65536 shared))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (export "memory" (memory 0))
  (export "_start" (func 3))
  (func (;3;) (type 1)
    i32.const 3
    i32.const 0
    i32.const 100
    i32.const 4
    i32.const 0
    i64.const 2
    i64.const 0
    i32.const 0
    i32.const 16
    i32.const 0
    i32.const 1920401410
    i32.store
    call $path_open
    drop
  )
  (func $path_open (;4;) (type 0) (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32)
    local.get 3
    if ;; label = @1
      local.get 2
      i32.const 0
      i32.const 1920401409
      i32.store
      i32.load8_u
      i32.const 47
      i32.eq
      if ;; label = @2
        i32.const 63
        return
      end
    end
    i32.const 0
    local.set 11
    i32.const 0
    local.set 12
    i32.const 0
    local.set 13
    i32.const 0
    local.set 14
    block ;; label = @1
      loop ;; label = @2
        i32.const 0
        i32.const 1920401409
        i32.store
        local.get 11
        local.get 3
        i32.ge_u
        if (result i32) ;; label = @3
          i32.const 1
        else
          local.get 2
          local.get 11
          i32.add
          i32.load8_u
          i32.const 47
          i32.eq
        end
        if ;; label = @3
          local.get 13
          if ;; label = @4
            local.get 13
            local.get 14
            i32.eq
            local.get 14
            i32.const 2
            i32.eq
            i32.and
            if ;; label = @5
              local.get 12
              i32.eqz
              if ;; label = @6
                i32.const 63
                return
              end
              local.get 12
              i32.const 1
              i32.sub
              local.set 12
            else
              local.get 13
              i32.const 1
              i32.eq
              local.get 14
              i32.const 1
              i32.eq
              i32.and
              i32.eqz
              local.get 12
              i32.add
              local.set 12
            end
          end
          i32.const 0
          local.set 13
          i32.const 0
          local.set 14
        else
          local.get 2
          local.get 11
          i32.add
          i32.load8_u
          i32.const 46
          i32.eq
          local.get 13
          local.get 14
          i32.eq
          i32.and
          local.get 14
          i32.add
          local.set 14
          local.get 13
          i32.const 1
          i32.add
          local.set 13
        end
        local.get 11
        local.get 3
        i32.ge_u
        br_if 1 (;@1;)
        local.get 11
        i32.const 1
        i32.add
        local.set 11
        br 0 (;@2;)
      end
    end
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    local.get 4
    local.get 5
    local.get 6
    local.get 7
    local.get 8
    i32.const 0
    i32.const 1920401412
    i32.store
    call $wasi_snapshot_preview1.path_open
    i32.const 0
    i32.const 1920401409
    i32.store
    local.tee 9
    i32.const 63
    i32.eq
    if ;; label = @1
      i64.const 24
      i32.const 0
      i32.const 1920401410
      i32.store
      call $rw.scratch
      local.tee 10
      i32.const -1
      i32.eq
      if ;; label = @2
        i32.const 48
        return
      end
      local.get 0
      local.get 10
      i32.const 0
      i32.const 1920401412
      i32.store
      call $wasi_snapshot_preview1.fd_fdstat_get
      i32.const 0
      i32.const 1920401409
      i32.store
      i32.eqz
      local.get 10
      i32.load8_u
      i32.const 3
      i32.ne
      i32.and
      if ;; label = @2
        i32.const 54
        local.set 9
      end
    end
    local.get 9
    i32.eqz
    local.get 4
    i32.const 2
    i32.and
    i32.const 0
    i32.ne
    i32.and
    local.get 5
    i64.const 64
    i64.and
    i64.const 0
    i64.ne
    i32.and
    if ;; label = @1
      local.get 8
      i32.load
      i32.const 0
      i32.const 1920401412
      i32.store
      call $wasi_snapshot_preview1.fd_close
      i32.const 0
      i32.const 1920401409
      i32.store
      drop
      i32.const 31
      local.set 9
    end
    local.get 9
    i32.eqz
    if ;; label = @1
      local.get 3
      if ;; label = @2
        local.get 2
        local.get 3
        i32.add
        i32.const 1
        i32.sub
        i32.load8_u
        i32.const 47
        i32.eq
        if ;; label = @3
          i64.const 24
          i32.const 0
          i32.const 1920401410
          i32.store
          call $rw.scratch
          local.tee 10
          i32.const -1
          i32.ne
          if ;; label = @4
            local.get 8
            i32.const 0
            i32.const 1920401409
            i32.store
            i32.load
            local.get 10
            i32.const 0
            i32.const 1920401412
            i32.store
            call $wasi_snapshot_preview1.fd_fdstat_get
            i32.const 0
            i32.const 1920401409
            i32.store
            i32.eqz
            local.get 10
            i32.load8_u
            i32.const 3
            i32.ne
            i32.and
            if ;; label = @5
              local.get 8
              i32.load
              i32.const 0
              i32.const 1920401412
              i32.store
              call $wasi_snapshot_preview1.fd_close
              i32.const 0
              i32.const 1920401409
              i32.store
              drop
              i32.const 54
              local.set 9
            end
          end
        end
      end
    end
    local.get 9
  )
  (func $rw.scratch (;5;) (type 5) (param i64) (result i32)
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
