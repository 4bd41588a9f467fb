;; crw --not-terminal=stdin --not-terminal=stderr f.wasm
;; fd_filestat_get while stdin and stderr are not terminals: a wrapper reports fds 0 and 2 as filetype unknown (filetype at 16).
(module
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_filestat_get (i32.const 2) (i32.const 16)))))
