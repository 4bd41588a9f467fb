//! The command line of `rw` (in the Web Shell) and `crw` (in any terminal):
//! `[OPTIONS] [--] FILE [ARGS...]`, one parser for both.
//!
//! Flags follow the prior art (`--memory-initial=20` and `--memory-initial 20` both
//! work) and wasmtime (`--env NAME=VAL`); everything after FILE reaches the program
//! untouched, so `rw prog.wasm --help` asks prog for help, not rw.

use clap::{CommandFactory, FromArgMatches, Parser};
use serde::Serialize;

use crate::message::Message;
use crate::request::{
    AdaptOptions, DirMount, HostOptions, MemoryFlags, Mode, Program, RunRequest, Target, Terminals,
};
use crate::{path, words};

#[derive(Parser, Debug, Clone, PartialEq, Eq)]
#[command(
    name = "rw",
    version,
    about = "Run a WASI preview1 program (.wasm) in VS Code",
    override_usage = "rw [OPTIONS] [--] FILE [ARGS]...",
    after_help = "Words are split with POSIX shell quoting: rw prog.wasm \"two words\" 'and more'.\n\
                  A threads program (wasm32-wasip1-threads) gets the memory it imports without flags."
)]
pub struct RunOpts {
    /// Initial pages (64 KiB each) of the memory given to a module that imports one.
    #[arg(long, value_name = "PAGES")]
    pub memory_initial: Option<u32>,

    /// Maximum pages of the memory given to a module that imports one.
    #[arg(long, value_name = "PAGES")]
    pub memory_maximum: Option<u32>,

    /// Whether that memory is shared (threads need true).
    #[arg(long, value_name = "true|false")]
    pub memory_shared: Option<bool>,

    /// Print the run's wall time in milliseconds after the program ends.
    #[arg(long)]
    pub print_elapsed_time: bool,

    /// Print the module's imports and exports instead of running it.
    #[arg(long)]
    pub print_imports_exports: bool,

    /// Set an environment variable for the program (repeatable).
    #[arg(long = "env", value_name = "NAME=VAL", value_parser = parse_env_var)]
    pub env: Vec<(String, String)>,

    /// Mount the directory HOST (a shell path, or on desktop a local one) at GUEST in the
    /// program's file system (repeatable); GUEST defaults to HOST.
    #[arg(long = "dir", value_name = "HOST[::GUEST]", value_parser = parse_dir)]
    pub dirs: Vec<(String, Option<String>)>,

    /// Link imports no WASI host provides to stubs that end the program with 134 if called.
    #[arg(long)]
    pub stub_unknown_imports: bool,

    /// Say how rw would run the module (memory, adaptations, refusals) instead of running it.
    #[arg(long)]
    pub explain: bool,

    /// The .wasm file, then the arguments passed to the program.
    #[arg(
        value_name = "FILE",
        required = true,
        num_args = 1..,
        trailing_var_arg = true
    )]
    pub file_and_args: Vec<String>,
}

fn parse_env_var(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some(("", _)) => Err(format!("'{value}' has no NAME before '='")),
        Some((name, val)) => Ok((name.to_owned(), val.to_owned())),
        None => Err(format!("'{value}' has no '='; write --env {value}=VALUE")),
    }
}

fn parse_dir(value: &str) -> Result<(String, Option<String>), String> {
    let (host, guest) = match value.split_once("::") {
        Some((host, guest)) => (host, Some(guest)),
        None => (value, None),
    };
    if host.is_empty() || guest == Some("") {
        return Err(format!("'{value}' needs a directory on each side of '::'"));
    }
    Ok((host.to_owned(), guest.map(str::to_owned)))
}

/// What the extension does with a command line.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Command {
    /// Print and return, nothing to run (help, version, usage errors).
    Exit {
        code: i32,
        stdout: String,
        stderr: String,
    },
    Run(RunRequest),
}

/// The Web Shell's words for `rw`, and its current directory, into a [`Command`].
/// The shell split the line on spaces only, so quotes are ours to handle.
pub fn parse(shell_words: &[String], cwd: &str) -> Command {
    match words::shell_argv(shell_words) {
        Ok(argv) => parse_argv(Program::Rw, argv, cwd, None),
        Err(line) => usage_error(Message::UnclosedQuote { line }),
    }
}

/// `crw`'s arguments, already split by the user's own shell, into a [`Command`].
/// A leading `run` is dropped, so the prior art's `crw run FILE` keeps working
/// (a program file named `run` is still reachable as `./run`).
///
/// `terminals` says which of the program's stdio streams (the client's own) are
/// terminals.
pub fn parse_crw(argv: &[String], cwd: &str, terminals: Terminals) -> Command {
    let argv = match argv.split_first() {
        Some((first, rest)) if first == "run" => rest,
        _ => argv,
    };
    parse_argv(Program::Crw, argv.to_vec(), cwd, Some(terminals))
}

fn parse_argv(
    program: Program,
    argv: Vec<String>,
    cwd: &str,
    terminals: Option<Terminals>,
) -> Command {
    let command = RunOpts::command()
        .name(program.name())
        .bin_name(program.name())
        .override_usage(program.usage());
    let parsed = command
        .try_get_matches_from(std::iter::once(program.name().to_owned()).chain(argv))
        .and_then(|matches| RunOpts::from_arg_matches(&matches));
    match parsed {
        Ok(opts) => Command::Run(opts.into_request(cwd, terminals)),
        Err(err) => from_clap_error(program, err),
    }
}

impl RunOpts {
    fn into_request(self, cwd: &str, terminals: Option<Terminals>) -> RunRequest {
        let mut file_and_args = self.file_and_args.into_iter();
        let file = file_and_args.next().unwrap_or_default(); // clap requires it
                                                             // --print-imports-exports wins over --explain: it prints less.
        let mode = match (self.print_imports_exports, self.explain) {
            (true, _) => Mode::ListImportsExports,
            (false, true) => Mode::Explain,
            (false, false) => Mode::Run,
        };
        RunRequest {
            target: Target {
                path: path::resolve(cwd, &file),
                program_name: path::basename(&file).to_owned(),
                file,
                args: file_and_args.collect(),
            },
            host: HostOptions {
                env: self.env.into_iter().collect(),
                dirs: self
                    .dirs
                    .into_iter()
                    .map(|(typed, guest)| {
                        let host = path::resolve(cwd, &typed);
                        let guest = guest.map(|g| path::resolve("/", &g));
                        DirMount { typed, host, guest }
                    })
                    .collect(),
            },
            adapt: AdaptOptions {
                stub_unknown_imports: self.stub_unknown_imports,
                terminals,
            },
            memory: MemoryFlags {
                initial: self.memory_initial,
                maximum: self.memory_maximum,
                shared: self.memory_shared,
            },
            mode,
            print_elapsed_time: self.print_elapsed_time,
        }
    }
}

fn from_clap_error(program: Program, err: clap::Error) -> Command {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Command::Exit {
            code: 0,
            stdout: err.render().to_string(),
            stderr: String::new(),
        },
        _ => {
            // clap's first paragraph says what is wrong; the rest (tips, usage) would
            // make the error several lines long, and our usage hint replaces it.
            let rendered = err.render().to_string();
            let first_paragraph: Vec<&str> = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let detail = first_paragraph.join(" ");
            let detail = detail.strip_prefix("error: ").unwrap_or(&detail).to_owned();
            usage_error(Message::Usage { program, detail })
        }
    }
}

fn usage_error(message: Message) -> Command {
    Command::Exit {
        code: message.exit_code(),
        stdout: String::new(),
        stderr: message.line(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn run(line: &str) -> RunRequest {
        match parse_line(line) {
            Command::Run(request) => request,
            other => panic!("expected a run for {line:?}, got {other:?}"),
        }
    }

    fn parse_line(line: &str) -> Command {
        let words: Vec<String> = line.split(' ').map(String::from).collect();
        parse(&words, "/workspace")
    }

    fn exit(line: &str) -> (i32, String, String) {
        match parse_line(line) {
            Command::Exit {
                code,
                stdout,
                stderr,
            } => (code, stdout, stderr),
            other => panic!("expected an exit for {line:?}, got {other:?}"),
        }
    }

    #[test]
    fn rw_leaves_terminals_unsaid_and_crw_passes_its_clients_on() {
        assert_eq!(run("p.wasm").adapt.terminals, None);
        let terminals = Terminals {
            stdin: true,
            stdout: false,
            stderr: true,
        };
        let Command::Run(r) = parse_crw(&["p.wasm".to_owned()], "/", terminals) else {
            panic!("expected a run")
        };
        assert_eq!(r.adapt.terminals, Some(terminals));
    }

    #[test]
    fn explain_and_listing_are_modes_and_listing_wins() {
        assert_eq!(run("p.wasm").mode, Mode::Run);
        assert_eq!(run("--explain p.wasm").mode, Mode::Explain);
        assert_eq!(
            run("--explain --print-imports-exports p.wasm").mode,
            Mode::ListImportsExports
        );
    }

    #[test]
    fn clap_definition_is_consistent() {
        RunOpts::command().debug_assert();
    }

    #[test]
    fn file_and_args_after_it_go_to_the_program() {
        let r = run("bin/p.wasm a --help -x");
        assert_eq!(r.target.file, "bin/p.wasm");
        assert_eq!(r.target.path, "/workspace/bin/p.wasm");
        assert_eq!(r.target.program_name, "p.wasm");
        assert_eq!(r.target.args, ["a", "--help", "-x"]);
    }

    #[test]
    fn double_dash_ends_options() {
        let r = run("--print-elapsed-time -- --weird.wasm x");
        assert!(r.print_elapsed_time);
        assert_eq!(r.target.file, "--weird.wasm");
        assert_eq!(r.target.args, ["x"]);
    }

    #[test]
    fn quoted_arguments_reach_the_program_whole() {
        let r = run(r#"p.wasm a "b c" 'd e'"#);
        assert_eq!(r.target.args, ["a", "b c", "d e"]);
    }

    #[test]
    fn memory_flags_take_both_spellings() {
        let r = run("--memory-initial=20 --memory-maximum 160 --memory-shared=false p.wasm");
        assert_eq!(
            r.memory,
            MemoryFlags {
                initial: Some(20),
                maximum: Some(160),
                shared: Some(false)
            }
        );
        let r = run("--memory-shared true p.wasm");
        assert_eq!(r.memory.shared, Some(true));
    }

    #[test]
    fn env_is_repeatable_and_keeps_equals_in_values() {
        let r = run("--env A=1 --env=B=x=y --env A=2 p.wasm");
        let env: Vec<_> = r.host.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(env, ["A=2", "B=x=y"]);
    }

    #[test]
    fn dirs_resolve_against_cwd_and_keep_whether_a_guest_was_given() {
        let r = run("--dir data --dir /srv/x::/mnt/x --dir=../up::y p.wasm");
        let dirs: Vec<_> = r
            .host
            .dirs
            .iter()
            .map(|d| (d.typed.as_str(), d.host.as_str(), d.guest.as_deref()))
            .collect();
        assert_eq!(
            dirs,
            [
                ("data", "/workspace/data", None),
                ("/srv/x", "/srv/x", Some("/mnt/x")),
                ("../up", "/up", Some("/y")),
            ]
        );
    }

    #[test]
    fn dir_with_an_empty_side_is_a_usage_error() {
        for line in ["--dir ::/g p.wasm", "--dir /h:: p.wasm"] {
            let (code, _, stderr) = exit(line);
            assert_eq!(code, 2, "{line}");
            assert!(stderr.contains("each side of '::'"), "{stderr}");
        }
    }

    #[test]
    fn env_without_equals_is_a_usage_error() {
        let (code, _, stderr) = exit("--env A p.wasm");
        assert_eq!(code, 2);
        assert!(stderr.contains("--env A=VALUE"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }

    #[test]
    fn unknown_option_is_a_one_line_usage_error() {
        let (code, stdout, stderr) = exit("--frobnicate p.wasm");
        assert_eq!(code, 2);
        assert!(stdout.is_empty());
        assert!(stderr.starts_with("rw: "), "{stderr}");
        assert!(stderr.contains("--frobnicate"), "{stderr}");
        assert!(stderr.contains("rw --help"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }

    #[test]
    fn missing_file_is_a_usage_error() {
        let (code, _, stderr) = exit("--print-elapsed-time");
        assert_eq!(code, 2);
        assert!(stderr.contains("not provided: <FILE>"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }

    #[test]
    fn non_numeric_memory_is_a_usage_error() {
        let (code, _, stderr) = exit("--memory-initial=lots p.wasm");
        assert_eq!(code, 2);
        assert!(stderr.contains("lots"), "{stderr}");
    }

    #[test]
    fn unclosed_quote_is_a_usage_error() {
        let (code, _, stderr) = exit(r#"p.wasm "a b"#);
        assert_eq!(code, 2);
        assert!(stderr.contains("quote"), "{stderr}");
    }

    #[test]
    fn help_and_version_print_to_stdout_and_succeed() {
        for flag in ["-h", "--help"] {
            let (code, stdout, stderr) = exit(flag);
            assert_eq!(code, 0);
            assert!(
                stdout.contains(&format!("Usage: {}", Program::Rw.usage())),
                "{stdout}"
            );
            assert!(stdout.contains("--memory-initial"), "{stdout}");
            assert!(stderr.is_empty());
        }
        for flag in ["-V", "--version"] {
            let (code, stdout, _) = exit(flag);
            assert_eq!(code, 0);
            assert_eq!(stdout.trim(), format!("rw {}", env!("CARGO_PKG_VERSION")));
        }
    }

    fn crw(args: &[&str]) -> Command {
        let argv: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let terminals = Terminals {
            stdin: true,
            stdout: true,
            stderr: true,
        };
        parse_crw(&argv, "/home/me/project", terminals)
    }

    #[test]
    fn crw_takes_words_as_its_shell_split_them() {
        // No second splitting: a word with spaces or quotes reaches the program as is.
        let Command::Run(r) = crw(&["p.wasm", "two words", "'quoted'"]) else {
            panic!("expected a run")
        };
        assert_eq!(r.target.args, ["two words", "'quoted'"]);
        assert_eq!(r.target.path, "/home/me/project/p.wasm");
    }

    #[test]
    fn crw_run_is_an_alias_and_dot_slash_reaches_a_file_named_run() {
        assert_eq!(
            crw(&["run", "--env", "A=1", "p.wasm"]),
            crw(&["--env", "A=1", "p.wasm"])
        );
        let Command::Run(r) = crw(&["./run", "x"]) else {
            panic!("expected a run")
        };
        assert_eq!(
            (r.target.file.as_str(), r.target.args.as_slice()),
            ("./run", ["x".to_owned()].as_slice())
        );
    }

    #[test]
    fn crw_names_itself_in_help_version_and_usage_errors() {
        let Command::Exit { stdout, .. } = crw(&["--help"]) else {
            panic!("expected help")
        };
        assert!(stdout.contains("Usage: crw [OPTIONS]"), "{stdout}");
        let Command::Exit { stdout, .. } = crw(&["--version"]) else {
            panic!("expected a version")
        };
        assert_eq!(stdout.trim(), format!("crw {}", env!("CARGO_PKG_VERSION")));
        let Command::Exit { code, stderr, .. } = crw(&["--frobnicate", "p.wasm"]) else {
            panic!("expected a usage error")
        };
        assert_eq!(code, 2);
        assert!(
            stderr.contains("usage: crw [OPTIONS]") && stderr.contains("'crw --help'"),
            "{stderr}"
        );
        let Command::Exit { stderr, .. } = crw(&["run"]) else {
            panic!("expected a usage error")
        };
        assert!(stderr.contains("<FILE>"), "{stderr}");
    }
}
