;; rw f.wasm
;; path_rename: a wrapper replaces an existing target of the source's kind, as POSIX does, where the Core answers EEXIST.
(module
  (import "wasi_snapshot_preview1" "path_rename" (func $path_rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $path_rename (i32.const 3) (i32.const 100) (i32.const 4) (i32.const 3) (i32.const 200) (i32.const 4)))))
