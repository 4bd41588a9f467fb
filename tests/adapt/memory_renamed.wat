;; rw f.wasm
;; A shared memory imported as foo.bar (wasi-threads fixes no name): imported as env.memory, the only name the WASM WASI Core links; nothing else changes.
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "foo" "bar" (memory 1 2 shared))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")
    (drop (call $spawn (i32.const 0)))))
