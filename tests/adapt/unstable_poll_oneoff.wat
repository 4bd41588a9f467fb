;; rw f.wasm
;; wasi_unstable.poll_oneoff: a shim copies the 56-byte snapshot 0 subscriptions into preview1's 48 bytes in scratch (events need no translation).
(module
  (import "wasi_unstable" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $poll_oneoff (i32.const 16) (i32.const 200) (i32.const 1) (i32.const 8)))))
