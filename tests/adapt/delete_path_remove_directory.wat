;; rw f.wasm
;; path_remove_directory: a wrapper renames the path to a \0rw-rmdir-- marker that rw's file system deletes.
(module
  (import "wasi_snapshot_preview1" "path_remove_directory" (func $path_remove_directory (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $path_remove_directory (i32.const 3) (i32.const 100) (i32.const 4)))))
