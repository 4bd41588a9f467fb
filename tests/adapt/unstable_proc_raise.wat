;; rw f.wasm
;; wasi_unstable.proc_raise, which the WASM WASI Core lacks under either name: an ENOSYS stub, as for preview1's.
(module
  (import "wasi_unstable" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $proc_raise (i32.const 6)))))
