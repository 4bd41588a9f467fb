//! The loop: pick an input, run it through everything the extension would, check the
//! properties, stop at the first failure or when time is up.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rw_core::cli::{parse, Command, RunRequest, Terminals};
use rw_core::plan::{plan, Plan};

use crate::inputs::{self, Rng};

pub struct Report {
    pub executions: u64,
    pub elapsed: Duration,
    pub smith: u64,
    pub mutated: u64,
    pub random: u64,
    pub adapted: u64,
    pub failure: Option<PathBuf>,
}

pub fn clock_seed() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture modules, built by scripts/build-fixtures.sh (none if not built).
pub fn fixtures() -> Vec<Vec<u8>> {
    let dir = crate_dir().join("../../tests/fixtures/wasm");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// The command lines every input is planned with: plain, stubbing, listing, explaining;
/// the last ones as crw's server makes them, with some stdio stream not a terminal
/// (the `isatty()` correction; [`run`] draws the last one's streams anew each time).
fn requests() -> Vec<RunRequest> {
    [
        ("p.wasm", None),
        ("--stub-unknown-imports p.wasm", None),
        ("--print-imports-exports p.wasm", None),
        ("--explain --stub-unknown-imports p.wasm", None),
        ("--memory-initial=1 --memory-maximum=2 p.wasm", None),
        ("--print-imports-exports p.wasm", Some(0b111)),
        ("--explain p.wasm", Some(0b010)),
        ("--stub-unknown-imports p.wasm", Some(0b110)),
    ]
    .iter()
    .map(|&(line, not_terminals)| {
        let words: Vec<String> = line.split(' ').map(String::from).collect();
        match parse(&words, "/workspace") {
            Command::Run(request) => RunRequest {
                terminals: not_terminals.map(terminals),
                ..request
            },
            other => unreachable!("{line}: {other:?}"),
        }
    })
    .collect()
}

/// Stdio whose streams are terminals but those whose bit (1 << fd) is set.
fn terminals(not_terminals: u8) -> Terminals {
    Terminals {
        stdin: not_terminals & 1 == 0,
        stdout: not_terminals & 2 == 0,
        stderr: not_terminals & 4 == 0,
    }
}

fn validates(bytes: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Runs one input through every request; `Err` says which property broke: a panic, a
/// refusal of more than one line, or a valid module adapted into an invalid one. (An
/// invalid input may stay invalid: the engine's compile error then says so in one line.)
pub fn check(bytes: &[u8], requests: &[RunRequest]) -> Result<u64, String> {
    let input_valid = validates(bytes).is_ok();
    let mut adapted = 0;
    for request in requests {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| plan(request, bytes)));
        match outcome {
            Err(_) => return Err(format!("panic planning with {:?}", request_flags(request))),
            Ok(Plan::Run {
                module: Some(module),
                ..
            }) => {
                if input_valid {
                    validates(&module)
                        .map_err(|e| format!("a valid module, adapted, does not validate: {e}"))?;
                    adapted += 1;
                }
            }
            Ok(Plan::Refuse(said)) if said.line.lines().count() != 1 => {
                return Err(format!("refusal is not one line: {:?}", said.line))
            }
            Ok(_) => {}
        }
    }
    Ok(adapted)
}

/// [`check`] with every request the engine uses.
pub fn check_all(bytes: &[u8]) -> Result<u64, String> {
    check(bytes, &requests())
}

fn request_flags(request: &RunRequest) -> String {
    format!(
        "stub={} list={} explain={} terminals={:?}",
        request.stub_unknown_imports,
        request.print_imports_exports,
        request.explain,
        request.terminals
    )
}

pub fn run(budget: Duration, seed: u64) -> Report {
    // Panics are expected to be caught and reported, not printed mid-run.
    panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let fixtures = fixtures();
    let mut requests = requests();
    let mut rng = Rng::new(seed);
    let mut report = Report {
        executions: 0,
        elapsed: Duration::ZERO,
        smith: 0,
        mutated: 0,
        random: 0,
        adapted: 0,
        failure: None,
    };
    while started.elapsed() < budget {
        let input = match rng.below(3) {
            0 => match inputs::smith(&mut rng) {
                Some(module) => {
                    report.smith += 1;
                    module
                }
                None => continue,
            },
            1 if !fixtures.is_empty() => {
                report.mutated += 1;
                let fixture = &fixtures[rng.below(fixtures.len())];
                inputs::mutate(&mut rng, fixture)
            }
            _ => {
                report.random += 1;
                let mut bytes = b"\0asm\x01\0\0\0".to_vec();
                let len = rng.below(256);
                bytes.extend(rng.bytes(len));
                bytes.truncate(rng.below(bytes.len() + 1).max(rng.below(9)));
                bytes
            }
        };
        report.executions += 1;
        if let Some(last) = requests.last_mut() {
            last.terminals = Some(terminals(rng.below(8) as u8));
        }
        match check(&input, &requests) {
            Ok(adapted) => report.adapted += adapted,
            Err(reason) => {
                report.failure = Some(save_crash(&input, &reason));
                break;
            }
        }
    }
    report.elapsed = started.elapsed();
    let _ = panic::take_hook();
    report
}

fn save_crash(input: &[u8], reason: &str) -> PathBuf {
    let dir = crate_dir().join("crashes");
    let _ = std::fs::create_dir_all(&dir);
    let name = format!("crash-{:016x}", fnv(input));
    let path = dir.join(format!("{name}.wasm"));
    let _ = std::fs::write(&path, input);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), format!("{reason}\n"));
    eprintln!("fuzz: {reason}");
    path
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
