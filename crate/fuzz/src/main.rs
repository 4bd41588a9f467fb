//! `rw-core-fuzz [SECONDS] [SEED]`: throws bytes at the core for SECONDS (default 60) and
//! checks that nothing panics or hangs and every adapted module validates.
//!
//! libFuzzer needs a nightly toolchain this project does not have, so this is a small
//! stable engine: inputs come from wasm-smith (valid modules, from random bytes via
//! `arbitrary`), from mutations of the project's fixture modules (bit flips, truncation,
//! splices, lying section sizes) and from raw random bytes. A failing input is written to
//! `crate/fuzz/crashes/` and reproduced by `cargo test -p rw-core-fuzz` ever after.

use std::process::ExitCode;

use rw_core_fuzz::engine;
use std::time::Duration;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let seed: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(engine::clock_seed);
    let report = engine::run(Duration::from_secs(seconds), seed);
    println!(
        "fuzz: {} executions in {:.1} s ({:.0}/s), seed {seed}: {} wasm-smith, {} mutated, {} random; {} adapted and validated",
        report.executions,
        report.elapsed.as_secs_f64(),
        report.executions as f64 / report.elapsed.as_secs_f64(),
        report.smith,
        report.mutated,
        report.random,
        report.adapted,
    );
    match report.failure {
        None => ExitCode::SUCCESS,
        Some(path) => {
            eprintln!("fuzz: failing input saved to {}", path.display());
            ExitCode::FAILURE
        }
    }
}
