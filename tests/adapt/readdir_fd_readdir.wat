;; rw f.wasm
;; fd_readdir: a wrapper lists . and .. first (cookies 0 and 1), then the Core's entries with cookies moved by 2.
(module
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fd_readdir (i32.const 3) (i32.const 1024) (i32.const 512) (i64.const 0) (i32.const 16)))))
