;; rw f.wasm
;; wasi_unstable.random_get, whose ABI preview1 kept: imported from wasi_snapshot_preview1 instead, nothing else changes.
(module
  (import "wasi_unstable" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $random_get (i32.const 0) (i32.const 8)))))
