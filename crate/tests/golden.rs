//! Golden tests of the adaptations: every `tests/adapt/NAME.wat` is run through the plan
//! and the module it would run, printed as text by wasmprinter, must be
//! `tests/adapt/NAME.adapted.wat` line for line (and validate).
//!
//! The first line of each input is its rw command line, as a comment:
//!
//! ```text
//! ;; rw [OPTIONS] f.wasm
//! ;; crw [--not-terminal=STREAM]... [OPTIONS] f.wasm
//! ```
//!
//! - `rw` words are parsed as the Web Shell's (`rw_core::cli::parse`), `crw` words as crw's
//!   (`rw_core::cli::parse_crw`), both in `/workspace`.
//! - `--not-terminal=stdin|stdout|stderr` (crw only, repeatable) is this harness's own
//!   word, taken out before parsing: it says what crw's client would report, so the
//!   request's `terminals` has that stream `false` (the others `true`).
//! - Name the file `f.wasm`: the stubs' and the trap's messages embed it.
//!
//! A module the plan runs as it is (no adaptation, nothing to patch) is expected as the
//! one line [`UNCHANGED`]. `BLESS=1 cargo test -p rw-core --test golden` (re)writes every
//! expected file from what the core does now.

use std::fs;
use std::path::{Path, PathBuf};

use wasmparser::{Validator, WasmFeatures};

/// The expected output of a module the plan passes through unchanged.
const UNCHANGED: &str = ";; unchanged: rw runs the module as it is\n";
const BLESS: &str = "BLESS=1 cargo test -p rw-core --test golden";

/// The command line of one input.
#[derive(Debug)]
struct Header {
    /// `crw` rather than `rw`.
    crw: bool,
    /// The words after the program's name, without the harness's own.
    words: Vec<String>,
    /// Which of stdin, stdout and stderr are terminals, when `--not-terminal` said some
    /// are not; `None`: no `terminals` in the request.
    terminals: Option<[bool; 3]>,
}

impl Header {
    fn read(wat: &str) -> Result<Header, String> {
        let first = wat.lines().next().unwrap_or_default();
        let line = first
            .strip_prefix(";;")
            .ok_or("the first line is not a ';; rw ...' or ';; crw ...' comment")?;
        let mut words = line.split_whitespace();
        let crw = match words.next() {
            Some("rw") => false,
            Some("crw") => true,
            _ => return Err(format!("the first line names neither rw nor crw: {first}")),
        };
        let mut terminals = None;
        let mut rest = Vec::new();
        for word in words {
            let Some(stream) = word.strip_prefix("--not-terminal=") else {
                rest.push(word.to_owned());
                continue;
            };
            let fd = ["stdin", "stdout", "stderr"]
                .iter()
                .position(|s| *s == stream)
                .ok_or_else(|| format!("--not-terminal={stream}: not stdin, stdout or stderr"))?;
            if !crw {
                return Err("--not-terminal is crw's: only crw's client reports terminals".into());
            }
            terminals.get_or_insert([true; 3])[fd] = false;
        }
        Ok(Header {
            crw,
            words: rest,
            terminals,
        })
    }
}

/// The module rw would run for `bytes` under `header`'s command line: `None` when the
/// bytes run as read. The only use of `rw_core::cli` and `rw_core::plan` here, so a change
/// of the request or the plan changes only this function.
fn adapted(header: &Header, bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    use rw_core::cli::{parse, parse_crw, Command};
    use rw_core::plan::{plan, Decision};
    use rw_core::request::Terminals;

    let [stdin, stdout, stderr] = header.terminals.unwrap_or([true; 3]);
    let command = match header.crw {
        false => parse(&header.words, "/workspace"),
        true => parse_crw(
            &header.words,
            "/workspace",
            Terminals {
                stdin,
                stdout,
                stderr,
            },
        ),
    };
    let Command::Run(request) = command else {
        return Err(format!("the command line is not a run: {command:?}"));
    };
    match plan(&request, bytes) {
        Decision::Run { module, .. } => Ok(module),
        other => Err(format!("the plan does not run it: {other:?}")),
    }
}

/// The text expected for one input, from what the core does with it.
fn golden(input: &Path) -> Result<String, String> {
    let wat = fs::read_to_string(input).map_err(|err| err.to_string())?;
    let header = Header::read(&wat)?;
    let bytes = wat::parse_str(&wat).map_err(|err| format!("does not parse: {err}"))?;
    let Some(module) = adapted(&header, &bytes)? else {
        return Ok(UNCHANGED.to_owned());
    };
    Validator::new_with_features(WasmFeatures::default())
        .validate_all(&module)
        .map_err(|err| format!("the adapted module does not validate: {err}"))?;
    let mut text = wasmprinter::print_bytes(&module)
        .map_err(|err| format!("wasmprinter cannot print the adapted module: {err}"))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Where `actual` first differs from `expected`, in words.
fn difference(expected: &str, actual: &str) -> String {
    let (mut want, mut got) = (expected.lines(), actual.lines());
    for number in 1.. {
        match (want.next(), got.next()) {
            (Some(w), Some(g)) if w == g => continue,
            (None, None) => break,
            (w, g) => {
                let show =
                    |line: Option<&str>| line.map_or("(end of file)".into(), |l| format!("{l:?}"));
                return format!(
                    "first difference at line {number}:\n  expected: {}\n  actual:   {}",
                    show(w),
                    show(g)
                );
            }
        }
    }
    "only in line endings".into()
}

fn adapt_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/adapt");
    dir.canonicalize().unwrap_or(dir)
}

/// `NAME.adapted.wat` beside `NAME.wat`.
fn expected_path(input: &Path) -> PathBuf {
    let name = input.file_stem().unwrap().to_string_lossy();
    input.with_file_name(format!("{name}.adapted.wat"))
}

#[test]
fn every_adaptation_prints_as_blessed() {
    let dir = adapt_dir();
    let bless = std::env::var_os("BLESS").is_some_and(|v| !v.is_empty() && v != "0");
    let mut inputs = Vec::new();
    let mut expected = Vec::new();
    for entry in fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display())) {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".adapted.wat") {
            expected.push(path);
        } else if name.ends_with(".wat") {
            inputs.push(path);
        }
    }
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());

    let mut failures = Vec::new();
    for input in &inputs {
        let name = input.file_name().unwrap().to_string_lossy();
        let want_path = expected_path(input);
        let actual = match golden(input) {
            Ok(text) => text,
            Err(why) => {
                failures.push(format!("{name}: {why}"));
                continue;
            }
        };
        if bless {
            fs::write(&want_path, &actual).unwrap();
            continue;
        }
        match fs::read_to_string(&want_path) {
            Ok(want) if want == actual => {}
            Ok(want) => failures.push(format!(
                "{name}: the adapted module is not {}; {}",
                want_path.file_name().unwrap().to_string_lossy(),
                difference(&want, &actual)
            )),
            Err(err) => failures.push(format!(
                "{name}: no expected output ({}: {err})",
                want_path.display()
            )),
        }
    }
    // An expected file without its input (renamed or deleted) would never be checked.
    for path in expected.iter().filter(|p| {
        let name = p.file_name().unwrap().to_string_lossy();
        let input = p.with_file_name(name.replace(".adapted.wat", ".wat"));
        !inputs.contains(&input)
    }) {
        failures.push(format!(
            "{}: no input beside it; delete it",
            path.file_name().unwrap().to_string_lossy()
        ));
    }
    assert!(
        failures.is_empty(),
        "{} failure(s) among the {} golden inputs in {}:\n\n{}\n\nIf the change is intended, re-bless with `{BLESS}` and review the diff.",
        failures.len(),
        inputs.len(),
        dir.display(),
        failures.join("\n\n")
    );
}
