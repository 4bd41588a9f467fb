//! `fd_close` or `fd_renumber` of fd 0, 1 or 2 ends the output buffer and the input ring
//! for the rest of the run.
//!
//! The buffered write (`output.rs`) and the ring's read (`input.rs`) stand for the
//! program's stdio as rw gave it: bytes buffered for fd 1 go to crw's or the terminal's
//! stdout, bytes in the ring are stdin's. Once the program closes one of those fds, or
//! renumbers another fd onto one (a shell's redirection), that no longer holds: so the
//! adapter's wrappers of both functions (`errnos.rs`) get a wrapper of their own that
//! clears the global both check before anything goes to the Core. From then on every
//! write and read goes through the Core, as without them; what the buffer held is the
//! old stdout's, and the host still drains it there before any later write is passed on.

use wasm_encoder::Function;

/// The custom sections in which the adapter notes its `fd_close` and `fd_renumber`
/// wrappers (`notes.rs`).
pub const CLOSE_WRAPPER_SECTION: &str = "rw.fd_close";
pub const RENUMBER_WRAPPER_SECTION: &str = "rw.fd_renumber";

/// A wrapper of `params` i32 fds (and nothing else) returning an errno: if any is 0, 1
/// or 2, global `made` becomes 0; then `through` (the adapter's wrapper, moved).
pub fn releasing(made: u32, params: u32, through: u32) -> Function {
    let mut f = Function::new([]);
    let mut ins = f.instructions();
    for fd in 0..params {
        ins.local_get(fd)
            .i32_const(3)
            .i32_lt_u()
            .if_(wasm_encoder::BlockType::Empty)
            .i32_const(0)
            .global_set(made)
            .end();
    }
    super::output::pass_on(&mut ins, params, through);
    f
}
