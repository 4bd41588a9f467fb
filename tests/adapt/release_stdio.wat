;; crw --not-terminal=stdin f.wasm
;; With an output buffer and an input ring (`output_buffer.wat`, `input_ring.wat`), the adapter's `fd_close` and `fd_renumber` wrappers get a wrapper each that clears the global the buffered write and the ring's read check (global 3 here) when an fd is 0, 1 or 2, then calls the wrapper's own body (moved to the added functions after the fd_write and fd_read ones): a closed or replaced stdio fd is the Core's to answer from then on (`adapt/release.rs`).
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber" (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 4)
  (global $__stack_pointer (mut i32) (i32.const 197632))
  (data (i32.const 1024) "x")
  (func (export "_start")
    (drop (call $fd_renumber (i32.const 3) (i32.const 1)))
    (drop (call $fd_close (i32.const 0)))
    (drop (call $fd_read (i32.const 0) (i32.const 2048) (i32.const 1) (i32.const 2056)))
    (drop (call $fd_write (i32.const 1) (i32.const 2048) (i32.const 1) (i32.const 2056)))))
