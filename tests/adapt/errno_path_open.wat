;; rw f.wasm
;; path_open: EPERM for an absolute path or a climb out; EPERM of a dirfd that is not a directory is ENOTDIR; O_DIRECTORY with write is EISDIR; a file as "name/" is ENOTDIR.
(module
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 4) (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 16)))))
