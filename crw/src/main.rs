//! `crw [OPTIONS] [--] FILE [ARGS]...`: runs a WASI program through the rw extension from
//! any terminal, as `wasmtime run` would. Thin on purpose: the extension parses the
//! command line with the same core as the Web Shell's `rw`; this client only connects,
//! sends the request and pumps bytes both ways, then exits with the program's code.

mod connect;
mod frame;
mod session;

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use frame::{Frame, Terminals, PROTOCOL_VERSION};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let code = match run(argv) {
        Ok(code) => code,
        Err(line) => {
            eprintln!("crw: {line}");
            1
        }
    };
    // Exit codes outside 0..=255 wrap as a POSIX shell would see them.
    ExitCode::from(code as u8)
}

fn run(argv: Vec<String>) -> Result<i32, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("cannot read the current directory ({e})"))?
        .to_string_lossy()
        .into_owned();
    let stream = connect::to_extension()?;
    let hello = Frame::Hello {
        version: PROTOCOL_VERSION,
        token: connect::token(),
    };
    let request = Frame::Request {
        version: PROTOCOL_VERSION,
        terminals: Terminals {
            stdin: io::stdin().is_terminal(),
            stdout: io::stdout().is_terminal(),
            stderr: io::stderr().is_terminal(),
        },
        cwd,
        argv,
    };
    session::run(stream, &[hello, request])
}
