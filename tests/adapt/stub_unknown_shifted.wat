;; rw --stub-unknown-imports f.wasm
;; The shifted layout: env.f is the only import, so its stub's fd_write and proc_exit are appended as imports and every function index moves (the call, the table, the start function and the export).
(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) func $twice $f)
  (start $init)
  (func $init)
  (func $twice (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func (export "_start")
    (drop (call $f (call $twice (i32.const 21))))))
