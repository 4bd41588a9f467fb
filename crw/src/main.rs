//! `crw [OPTIONS] [--] FILE [ARGS]...`: runs a WASI program through the rw extension from
//! any terminal, as `wasmtime run` would. Thin on purpose: the extension parses the
//! command line with the same core as the Web Shell's `rw`; this client only connects,
//! sends the request and pumps bytes both ways, then exits with the program's code.

mod ahead;
mod connect;
mod frame;
mod peek;
mod session;
mod signals;
mod stdin;

use std::ffi::OsString;
use std::io::{self, IsTerminal};
use std::process::ExitCode;

use frame::{Frame, Terminals, PROTOCOL_VERSION};

/// The exit code of a command line crw cannot take (as POSIX utilities do, and as the
/// extension answers a usage error).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    // Before any other thread starts, so that only the watcher takes these signals.
    signals::watch();
    let (argv, cwd) = match utf8(std::env::args_os().skip(1)).and_then(|argv| Ok((argv, cwd()?))) {
        Ok(both) => both,
        Err(line) => {
            eprintln!("crw: {line}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let ran = run(argv, cwd);
    // Stopped by Ctrl-C (or SIGTERM, SIGHUP): then crw dies by that signal, as the shell
    // expects, whatever the program's code.
    signals::die_if_stopped();
    let code = match ran {
        Ok(code) => code,
        Err(line) => {
            eprintln!("crw: {line}");
            1
        }
    };
    // Exit codes outside 0..=255 wrap as a POSIX shell would see them.
    ExitCode::from(code as u8)
}

/// The arguments as the program gets them. WASI passes UTF-8 only, and a name made
/// valid by replacing bytes could name another file: what is not UTF-8 is refused.
fn utf8(args: impl Iterator<Item = OsString>) -> Result<Vec<String>, String> {
    args.enumerate()
        .map(|(i, arg)| {
            arg.into_string().map_err(|arg| {
                format!(
                    "argument {} ({}) is not UTF-8, which WASI programs take; rename the file or pass the text another way",
                    i + 1,
                    arg.to_string_lossy()
                )
            })
        })
        .collect()
}

/// The current directory, which the program sees as its `/`: UTF-8, for the same reason.
fn cwd() -> Result<String, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory ({e})"))?;
    cwd.into_os_string().into_string().map_err(|cwd| {
        format!(
            "the current directory ({}) is not UTF-8, which WASI programs take; cd to one whose path is",
            cwd.to_string_lossy()
        )
    })
}

fn run(argv: Vec<String>, cwd: String) -> Result<i32, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_utf8_is_refused_never_replaced() {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![
            OsString::from("cat.wasm"),
            OsString::from_vec(b"f\xffo".to_vec()),
        ];
        let line = utf8(args.into_iter()).unwrap_err();
        assert!(
            line.starts_with("argument 2 (f\u{fffd}o) is not UTF-8"),
            "{line}"
        );
        let ok = utf8([OsString::from("caf\u{e9}.wasm")].into_iter()).unwrap();
        assert_eq!(ok, ["caf\u{e9}.wasm"]);
    }
}
