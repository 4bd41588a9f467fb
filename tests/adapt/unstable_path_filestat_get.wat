;; rw f.wasm
;; wasi_unstable.path_filestat_get: the same conversion as fd_filestat_get, for a path.
(module
  (import "wasi_unstable" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $path_filestat_get (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 4) (i32.const 16)))))
