;; rw f.wasm
;; wasi_unstable.fd_filestat_get: a shim asks preview1 for its 64-byte filestat in scratch and writes snapshot 0's 56 bytes (u32 nlink).
(module
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_filestat_get (i32.const 3) (i32.const 16)))))
