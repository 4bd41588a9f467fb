;; rw f.wasm
;; A memory imported as foo.bar beside an import rw replaces (proc_raise, ENOSYS): the memory is imported as env.memory, the replaced import's slot filled as ever.
(module
  (import "foo" "bar" (memory 1))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (func (export "_start")
    (drop (call $proc_raise (i32.const 6)))))
