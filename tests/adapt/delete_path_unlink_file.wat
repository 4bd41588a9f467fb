;; rw f.wasm
;; path_unlink_file: a wrapper renames the path to a \0rw-unlink- marker that rw's file system deletes (\0rw-unlinks for "name/").
(module
  (import "wasi_snapshot_preview1" "path_unlink_file" (func $path_unlink_file (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $path_unlink_file (i32.const 3) (i32.const 100) (i32.const 4)))))
