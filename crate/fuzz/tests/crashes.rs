//! Every input the fuzzer ever found failing (crate/fuzz/crashes/*.wasm) stays a test.

use rw_core_fuzz::engine;

#[test]
fn saved_crashes_no_longer_fail() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crashes");
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let bytes = std::fs::read(&path).unwrap();
            if let Err(reason) = engine::check_all(&bytes) {
                panic!("{}: {reason}", path.display());
            }
        }
    }
}

#[test]
fn a_short_run_finds_nothing() {
    let report = engine::run(std::time::Duration::from_secs(3), 42);
    assert!(
        report.executions > 100,
        "only {} executions",
        report.executions
    );
    assert!(report.failure.is_none(), "{:?}", report.failure);
}
