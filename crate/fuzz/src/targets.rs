//! The fuzz targets beside the module one (`engine.rs`): rw's Web Shell words, crw's argv,
//! and the frames of crw's wire. Each turns raw bytes into its input the same way every
//! time, so a saved crash (the bytes) replays exactly.

use std::io::{self, Cursor};
use std::panic::{self, AssertUnwindSafe};

use rw_core::cli::{parse, parse_crw, Command};
use rw_core::request::{RunRequest, Terminals};

use crate::frame::Frame;
use crate::inputs::Rng;

/// Pieces command lines are made of: every option, their values good and bad, quotes,
/// escapes, paths that climb, control characters and non-ASCII.
const TOKENS: &[&str] = &[
    "p.wasm",
    "run",
    "--",
    "-",
    "-h",
    "--help",
    "-V",
    "--version",
    "--env",
    "--env=",
    "A=1",
    "=",
    "NAME",
    "--dir",
    "--dir=",
    "::",
    "data::/data",
    "/srv::",
    "..",
    ".",
    "/",
    "//x/../..",
    "~",
    "C:\\x",
    "--stub-unknown-imports",
    "--explain",
    "--print-elapsed-time",
    "--print-imports-exports",
    "--memory-initial",
    "--memory-initial=",
    "--memory-maximum",
    "--memory-maximum=65536",
    "--memory-shared",
    "--memory-shared=true",
    "false",
    "0",
    "1",
    "-1",
    "65536",
    "4294967295",
    "4294967296",
    "99999999999999999999",
    "lots",
    "\"",
    "'",
    "\\",
    "\\ ",
    "\"a b\"",
    "'c d'",
    "$HOME",
    "*",
    "#",
    ";",
    "|",
    "\n",
    "\r",
    "\t",
    "\u{0}",
    "\u{1b}[31m",
    "\u{7f}",
    "é",
    "\u{202e}",
    "\u{fffd}",
    "--no-such",
    "-x",
    "--env\nB=2",
];

/// An input of the `words` target: a line as typed in the Web Shell.
pub fn words_input(rng: &mut Rng) -> Vec<u8> {
    let line = command_line(rng, b' ');
    with_cwd(rng, line)
}

/// An input of the `argv` target: crw's arguments, NUL between them.
pub fn argv_input(rng: &mut Rng) -> Vec<u8> {
    let argv = command_line(rng, 0);
    with_cwd(rng, argv)
}

/// A command line: tokens, random bytes and separators (a space, or `sep`) in a row.
fn command_line(rng: &mut Rng, sep: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(12) {
        match rng.below(8) {
            0 => {
                let len = 1 + rng.below(6);
                out.extend(rng.bytes(len));
            }
            1 => out.push(b' '),
            2 => out.push(sep),
            _ => out.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes()),
        }
        if rng.below(3) != 0 {
            out.push(sep);
        }
    }
    out
}

/// The shell's current directory: the first line of the input when it has two or more,
/// else `/workspace`.
fn cwd_and_rest(bytes: &[u8]) -> (String, &[u8]) {
    match bytes.iter().position(|&b| b == 0xff) {
        Some(at) => (
            format!("/{}", String::from_utf8_lossy(&bytes[..at])),
            &bytes[at + 1..],
        ),
        None => ("/workspace".to_owned(), bytes),
    }
}

/// What `cwd` becomes when drawn: mostly none (`/workspace`), else a few odd ones.
fn with_cwd(rng: &mut Rng, line: Vec<u8>) -> Vec<u8> {
    const CWDS: &[&[u8]] = &[b"", b"w s", b"a/../..", b"\xc3\xa9/x", b"a//b/./c"];
    if rng.below(4) != 0 {
        return line;
    }
    let mut out = CWDS[rng.below(CWDS.len())].to_vec();
    out.push(0xff);
    out.extend(line);
    out
}

fn caught<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|_| format!("panic in {what}"))
}

/// rw in the Web Shell: the line as the shell hands it over (split on spaces, empty words
/// dropped), parsed.
pub fn check_words(bytes: &[u8]) -> Result<(), String> {
    let (cwd, line) = cwd_and_rest(bytes);
    let line = String::from_utf8_lossy(line);
    let words: Vec<String> = line
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let argv = caught("words::shell_argv", || rw_core::words::shell_argv(&words))?;
    let command = caught("cli::parse", || parse(&words, &cwd))?;
    check_command(&command, "rw")?;
    match (&argv, &command) {
        (
            Err(_),
            Command::Exit {
                code: 2, stderr, ..
            },
        ) if stderr.starts_with("rw: unclosed quote") => Ok(()),
        (Err(_), other) => Err(format!("an open quote, yet {other:?}")),
        (Ok(argv), Command::Run(request)) if request.target.args.len() >= argv.len() => Err(
            format!("{} arguments from {argv:?}", request.target.args.len()),
        ),
        _ => Ok(()),
    }
}

/// crw's argv, as the user's shell split it: arguments separated by NUL.
pub fn check_argv(bytes: &[u8]) -> Result<(), String> {
    let (cwd, rest) = cwd_and_rest(bytes);
    let argv: Vec<String> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split(|&b| b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect()
    };
    let command = caught("cli::parse_crw", || parse_crw(&argv, &cwd, TERMINALS))?;
    check_command(&command, "crw")?;
    // The prior art's `crw run FILE`: one leading `run` is dropped, nothing else changes.
    let with_run: Vec<String> = std::iter::once("run".to_owned())
        .chain(argv.iter().cloned())
        .collect();
    let again = caught("cli::parse_crw", || parse_crw(&with_run, &cwd, TERMINALS))?;
    if argv.first().is_none_or(|a| a != "run") && again != command {
        return Err(format!(
            "`run` first changes the command: {command:?} vs {again:?}"
        ));
    }
    Ok(())
}

/// What any command line must come to: a usage error is one `rw:` line with code 2 that
/// points to `--help`; help and version print to stdout and succeed; a run names an
/// absolute, normalised path.
fn check_command(command: &Command, program: &str) -> Result<(), String> {
    match command {
        Command::Exit {
            code: 0,
            stdout,
            stderr,
        } => {
            if stdout.is_empty() || !stderr.is_empty() {
                return Err(format!("success without output: {command:?}"));
            }
        }
        Command::Exit { code, stderr, .. } => {
            if *code != 2 {
                return Err(format!("exit code {code}: {command:?}"));
            }
            if !stderr.starts_with("rw: ") || stderr.lines().count() != 1 || stderr.contains('\r') {
                return Err(format!("not one rw: line: {stderr:?}"));
            }
            if !stderr.starts_with("rw: unclosed quote")
                && !stderr.ends_with(&format!("see '{program} --help'"))
            {
                return Err(format!("no pointer to {program} --help: {stderr:?}"));
            }
        }
        Command::Run(request) => check_request(request)?,
    }
    Ok(())
}

fn normalised(path: &str) -> bool {
    path.starts_with('/')
        && (path == "/"
            || path[1..]
                .split('/')
                .all(|part| !matches!(part, "" | "." | "..")))
}

/// What crw's client reports of its stdio: which does not matter to the parser.
const TERMINALS: Terminals = Terminals {
    stdin: true,
    stdout: false,
    stderr: true,
};

fn check_request(request: &RunRequest) -> Result<(), String> {
    if !normalised(&request.target.path) {
        return Err(format!(
            "FILE's path is not absolute and normal: {request:?}"
        ));
    }
    // argv[0] is FILE's last segment: no host path leaks into the program.
    if request.target.program_name.contains('/')
        && request.target.program_name != request.target.file
    {
        return Err(format!("argv[0] is more than FILE's name: {request:?}"));
    }
    for dir in &request.host.dirs {
        if !normalised(&dir.host) {
            return Err(format!(
                "a --dir HOST is not absolute and normal: {request:?}"
            ));
        }
    }
    Ok(())
}

/// Frame types: every one the wire knows (client 0x01.., server 0x81..) and their neighbours.
const FRAME_TYPES: &[u8] = &[
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86,
    0x87, 0xff,
];

/// A stream of frames, some well formed, some with lying lengths, strings, counts.
pub fn frames(rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..rng.below(6) {
        let kind = match rng.below(8) {
            0 => rng.next_u64() as u8,
            _ => FRAME_TYPES[rng.below(FRAME_TYPES.len())],
        };
        let mut payload = Vec::new();
        for _ in 0..rng.below(6) {
            match rng.below(5) {
                // A length-prefixed string, its length sometimes a lie.
                0 => {
                    let text = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    let len = match rng.below(6) {
                        0 => rng.next_u64() as u32,
                        _ => text.len() as u32,
                    };
                    payload.extend_from_slice(&len.to_le_bytes());
                    payload.extend_from_slice(text);
                }
                1 => payload.extend_from_slice(&(rng.below(4) as u32).to_le_bytes()),
                2 => payload.extend_from_slice(&(rng.next_u64() as u16).to_le_bytes()),
                3 => payload.push(rng.below(8) as u8),
                _ => {
                    let len = rng.below(8);
                    payload.extend(rng.bytes(len));
                }
            }
        }
        let len = match rng.below(10) {
            0 => rng.next_u64() as u32,
            1 => payload.len() as u32 + 1,
            2 => (payload.len() as u32).saturating_sub(1),
            _ => payload.len() as u32,
        };
        out.push(kind);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend(payload);
    }
    if rng.below(4) == 0 && !out.is_empty() {
        out.truncate(rng.below(out.len()));
    }
    out
}

/// Reads frames from `bytes` until the end or an error: never a panic, and each frame read
/// encodes to bytes that read back as the same frame, and nothing more.
pub fn check_frames(bytes: &[u8]) -> Result<(), String> {
    let mut stream = Cursor::new(bytes);
    loop {
        match caught("Frame::read", || Frame::read(&mut stream))? {
            Ok(None) => return Ok(()),
            // crw prints it as its one line.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                let text = e.to_string();
                if text.is_empty() || text.chars().any(char::is_control) {
                    return Err(format!("an error that is not one printable line: {text:?}"));
                }
                return Ok(());
            }
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(format!("an error of kind {:?}: {e}", e.kind())),
            Ok(Some(frame)) => {
                let encoded = caught("Frame::encode", || frame.encode())?;
                let mut again = Cursor::new(&encoded[..]);
                match Frame::read(&mut again) {
                    Ok(Some(back))
                        if back == frame && again.position() as usize == encoded.len() => {}
                    other => {
                        return Err(format!(
                            "{frame:?} encodes to {encoded:?}, which reads as {other:?}"
                        ))
                    }
                }
            }
        }
    }
}
