;; rw f.wasm
;; The watch word written only where it would change what it says (instrument/flow.rs): a call at entry unmarked, a load after a call or where paths meet marked.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $far (param $n i32) (result i32)
    (i32.sub (i32.const 0xfffffff0) (local.get $n)))
  (func $after_call
    (drop (i32.load (call $far (i32.const 0)))))
  (func $after_branch (param $skip i32)
    (local $at i32)
    (block $skipped
      (local.set $at (call $far (i32.const 0)))
      (br_if $skipped (local.get $skip))
      (drop (i32.load (i32.const 1024))))
    (drop (i32.load (local.get $at))))
  (func (export "_start")
    ;; argc (at 1024): 2 or more means an argument was given.
    (drop (call $args_sizes_get (i32.const 1024) (i32.const 1028)))
    (if (i32.ge_u (i32.load (i32.const 1024)) (i32.const 2))
      (then (call $after_branch (i32.const 1)))
      (else (call $after_call)))
    (call $proc_exit (i32.const 0))))
