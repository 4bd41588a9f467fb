//! `rw-core-fuzz [SECONDS] [SEED] [TARGET]...`: throws inputs at the core and at crw's
//! wire for SECONDS (default 60), shared among the TARGETs (default all: `modules`,
//! `words`, `argv`, `frames`), and checks that nothing panics or hangs, every adapted
//! module validates, and every command line and frame comes to what it must.
//!
//! libFuzzer needs a nightly toolchain this project does not have, so this is a small
//! stable engine. Modules come from wasm-smith (valid modules, from random bytes via
//! `arbitrary`), from mutations of the project's fixture modules (bit flips, truncation,
//! splices, lying section sizes) and from raw random bytes; command lines from options,
//! quotes, paths and control characters; frames from every frame type with lying lengths.
//! A failing input is written to `crate/fuzz/crashes/` and reproduced by
//! `cargo test -p rw-core-fuzz` ever after. `scripts/fuzz.sh` builds it with overflow
//! checks on (the `fuzz` profile).

use std::process::ExitCode;
use std::time::Duration;

use rw_core_fuzz::engine::{self, Target};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let seed: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(engine::clock_seed);
    let mut targets = Vec::new();
    for name in args {
        match Target::named(&name) {
            Some(target) => targets.push(target),
            None => {
                eprintln!("fuzz: no target {name}; the targets: modules, words, argv, frames");
                return ExitCode::from(2);
            }
        }
    }
    if targets.is_empty() {
        targets = Target::ALL.to_vec();
    }
    let report = engine::run_targets(&targets, Duration::from_secs(seconds), seed);
    for ran in &report.targets {
        let secs = ran.elapsed.as_secs_f64().max(1e-9);
        let detail = if ran.detail.is_empty() {
            String::new()
        } else {
            format!(": {}", ran.detail)
        };
        println!(
            "fuzz {}: {} executions in {:.1} s ({:.0}/s), seed {seed}{detail}",
            ran.target.name(),
            ran.executions,
            ran.elapsed.as_secs_f64(),
            ran.executions as f64 / secs,
        );
    }
    match report.failure {
        None => ExitCode::SUCCESS,
        Some(path) => {
            eprintln!("fuzz: failing input saved to {}", path.display());
            ExitCode::FAILURE
        }
    }
}
