;; crw --not-terminal=stdout f.wasm
;; wasi_unstable.fd_filestat_get while stdout is not a terminal: the snapshot 0 shim, with the filetype correction at its end.
(module
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_filestat_get (i32.const 1) (i32.const 16)))))
