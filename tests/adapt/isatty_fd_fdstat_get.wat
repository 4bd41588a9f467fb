;; crw --not-terminal=stdout f.wasm
;; fd_fdstat_get while stdout is not a terminal: a wrapper reports fd 1 as filetype unknown (0), so isatty(1) is false; marked rw.isatty.
(module
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_fdstat_get (i32.const 1) (i32.const 16)))))
