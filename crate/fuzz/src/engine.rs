//! The loop: for each target in turn (modules, then rw's words, crw's argv, crw's frames),
//! pick an input, run it through everything the extension would, check the properties,
//! stop at the first failure or when the target's share of the time is up.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rw_core::cli::{parse, Command};
use rw_core::message::ExitLine;
use rw_core::plan::{plan, Decision};
use rw_core::request::{RunRequest, Terminals};

use crate::inputs::{self, Rng};
use crate::targets;

/// What is fuzzed: how inputs are drawn, how one is checked, how a failing one is saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Modules through the inspector, planner and adapter (`check`).
    Modules,
    /// rw's Web Shell words through the quoting and the command-line parser.
    Words,
    /// crw's argv through the command-line parser.
    Argv,
    /// Bytes on crw's wire through its frame reader (crw/src/frame.rs).
    Frames,
}

impl Target {
    pub const ALL: [Target; 4] = [Target::Modules, Target::Words, Target::Argv, Target::Frames];

    pub fn name(self) -> &'static str {
        match self {
            Target::Modules => "modules",
            Target::Words => "words",
            Target::Argv => "argv",
            Target::Frames => "frames",
        }
    }

    pub fn named(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The extension of its saved crashes (a module's stays `.wasm`).
    fn extension(self) -> &'static str {
        match self {
            Target::Modules => "wasm",
            other => other.name(),
        }
    }

    /// Its share of the time: modules, whose code is the largest, get half of it.
    fn weight(self) -> u32 {
        match self {
            Target::Modules => 3,
            _ => 1,
        }
    }

    /// Checks one input; `Ok` carries how many adapted modules validated.
    pub fn check(self, bytes: &[u8]) -> Result<u64, String> {
        match self {
            Target::Modules => check_all(bytes),
            Target::Words => targets::check_words(bytes).map(|()| 0),
            Target::Argv => targets::check_argv(bytes).map(|()| 0),
            Target::Frames => targets::check_frames(bytes).map(|()| 0),
        }
    }
}

/// A saved crash (`crashes/crash-*.EXT`) checked again by the target its extension names;
/// `None` for other files.
pub fn check_saved(path: &Path) -> Option<Result<u64, String>> {
    let extension = path.extension()?.to_str()?;
    let target = Target::ALL
        .into_iter()
        .find(|t| t.extension() == extension)?;
    let bytes = std::fs::read(path).ok()?;
    Some(target.check(&bytes))
}

/// One target's run.
pub struct TargetReport {
    pub target: Target,
    pub executions: u64,
    pub elapsed: Duration,
    /// Where its inputs came from, and what else it counted.
    pub detail: String,
}

pub struct Report {
    pub executions: u64,
    pub elapsed: Duration,
    pub targets: Vec<TargetReport>,
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
            Command::Run(mut request) => {
                request.adapt.terminals = not_terminals.map(terminals);
                request
            }
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
        // What the extension gets: a report rendered, a refusal said.
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| match plan(request, bytes) {
            Decision::Refuse(message) => Outcome::Refuse(ExitLine::from(&message)),
            Decision::Print(report) => Outcome::Print(rw_core::explain::render(&report)),
            Decision::Run { module, .. } => Outcome::Run(module),
        }));
        match outcome {
            Err(_) => return Err(format!("panic planning with {:?}", request_flags(request))),
            Ok(Outcome::Run(Some(module))) => {
                if input_valid {
                    validates(&module)
                        .map_err(|e| format!("a valid module, adapted, does not validate: {e}"))?;
                    adapted += 1;
                }
            }
            Ok(Outcome::Refuse(said)) if said.line.lines().count() != 1 => {
                return Err(format!("refusal is not one line: {:?}", said.line))
            }
            Ok(_) => {}
        }
    }
    Ok(adapted)
}

/// A decision as the extension receives it.
enum Outcome {
    Refuse(ExitLine),
    Print(#[allow(dead_code)] String),
    Run(Option<Vec<u8>>),
}

/// [`check`] with every request the engine uses.
pub fn check_all(bytes: &[u8]) -> Result<u64, String> {
    check(bytes, &requests())
}

fn request_flags(request: &RunRequest) -> String {
    format!(
        "stub={} mode={:?} terminals={:?}",
        request.adapt.stub_unknown_imports, request.mode, request.adapt.terminals
    )
}

/// Every target, the budget shared among them by weight.
pub fn run(budget: Duration, seed: u64) -> Report {
    run_targets(&Target::ALL, budget, seed)
}

/// `targets` one after another, each for its share of `budget`, until one fails.
pub fn run_targets(targets: &[Target], budget: Duration, seed: u64) -> Report {
    // Panics are expected to be caught and reported, not printed mid-run.
    panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let total: u32 = targets.iter().map(|t| t.weight()).sum();
    let mut rng = Rng::new(seed);
    let mut report = Report {
        executions: 0,
        elapsed: Duration::ZERO,
        targets: Vec::new(),
        failure: None,
    };
    for &target in targets {
        let share = budget * target.weight() / total.max(1);
        let (ran, failure) = run_target(target, share, &mut rng);
        report.executions += ran.executions;
        report.targets.push(ran);
        if failure.is_some() {
            report.failure = failure;
            break;
        }
    }
    report.elapsed = started.elapsed();
    let _ = panic::take_hook();
    report
}

fn run_target(target: Target, budget: Duration, rng: &mut Rng) -> (TargetReport, Option<PathBuf>) {
    let started = Instant::now();
    let mut executions = 0;
    let mut failure = None;
    let detail = match target {
        Target::Modules => {
            let (counts, failed) = run_modules(budget, rng);
            executions = counts.executions;
            failure = failed;
            format!(
                "{} wasm-smith, {} mutated, {} random; {} adapted and validated",
                counts.smith, counts.mutated, counts.random, counts.adapted
            )
        }
        _ => {
            while started.elapsed() < budget {
                let input = match target {
                    Target::Words => targets::words_input(rng),
                    Target::Argv => targets::argv_input(rng),
                    _ => targets::frames(rng),
                };
                executions += 1;
                if let Err(reason) = target.check(&input) {
                    failure = Some(save_crash(target, &input, &reason));
                    break;
                }
            }
            String::new()
        }
    };
    let report = TargetReport {
        target,
        executions,
        elapsed: started.elapsed(),
        detail,
    };
    (report, failure)
}

#[derive(Default)]
struct ModuleCounts {
    executions: u64,
    smith: u64,
    mutated: u64,
    random: u64,
    adapted: u64,
}

fn run_modules(budget: Duration, rng: &mut Rng) -> (ModuleCounts, Option<PathBuf>) {
    let started = Instant::now();
    let fixtures = fixtures();
    let mut requests = requests();
    let mut counts = ModuleCounts::default();
    while started.elapsed() < budget {
        let input = match rng.below(3) {
            0 => match inputs::smith(rng) {
                Some(module) => {
                    counts.smith += 1;
                    module
                }
                None => continue,
            },
            1 if !fixtures.is_empty() => {
                counts.mutated += 1;
                let fixture = &fixtures[rng.below(fixtures.len())];
                inputs::mutate(rng, fixture)
            }
            _ => {
                counts.random += 1;
                let mut bytes = b"\0asm\x01\0\0\0".to_vec();
                let len = rng.below(256);
                bytes.extend(rng.bytes(len));
                bytes.truncate(rng.below(bytes.len() + 1).max(rng.below(9)));
                bytes
            }
        };
        counts.executions += 1;
        if let Some(last) = requests.last_mut() {
            last.adapt.terminals = Some(terminals(rng.below(8) as u8));
        }
        match check(&input, &requests) {
            Ok(adapted) => counts.adapted += adapted,
            Err(reason) => return (counts, Some(save_crash(Target::Modules, &input, &reason))),
        }
    }
    (counts, None)
}

fn save_crash(target: Target, input: &[u8], reason: &str) -> PathBuf {
    let dir = crate_dir().join("crashes");
    let _ = std::fs::create_dir_all(&dir);
    let name = format!("crash-{:016x}", fnv(input));
    let path = dir.join(format!("{name}.{}", target.extension()));
    let _ = std::fs::write(&path, input);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), format!("{reason}\n"));
    eprintln!("fuzz: {}: {reason}", target.name());
    path
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
