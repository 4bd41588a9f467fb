;; rw f.wasm
;; wasi_snapshot_preview1.proc_raise, which the WASM WASI Core lacks: a local function returning ENOSYS (52).
(module
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $proc_raise (i32.const 6)))))
