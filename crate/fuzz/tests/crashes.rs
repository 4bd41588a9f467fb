//! Every input the fuzzer ever found failing (crate/fuzz/crashes/crash-*: `.wasm` a module,
//! `.words`, `.argv` and `.frames` the other targets' bytes) stays a test.

use rw_core_fuzz::engine::{self, Target};

#[test]
fn saved_crashes_no_longer_fail() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crashes");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if let Some(outcome) = engine::check_saved(&path) {
            checked += 1;
            if let Err(reason) = outcome {
                panic!("{}: {reason}", path.display());
            }
        }
    }
    assert!(checked >= 3, "only {checked} saved crashes replayed");
}

#[test]
fn a_short_run_of_every_target_finds_nothing() {
    let report = engine::run(std::time::Duration::from_secs(4), 42);
    assert!(report.failure.is_none(), "{:?}", report.failure);
    let names: Vec<_> = report.targets.iter().map(|t| t.target.name()).collect();
    assert_eq!(names, ["modules", "words", "argv", "frames"]);
    for ran in &report.targets {
        assert!(
            ran.executions > 100,
            "{}: only {} executions",
            ran.target.name(),
            ran.executions
        );
    }
}

#[test]
fn known_command_lines_and_frames_pass_their_checks() {
    let pass = |target: Target, bytes: &[u8]| {
        if let Err(reason) = target.check(bytes) {
            panic!(
                "{}: {:?}: {reason}",
                target.name(),
                String::from_utf8_lossy(bytes)
            );
        }
    };
    pass(Target::Words, b"--env A=1 p.wasm \"b c\" 'd'");
    pass(Target::Words, b"p.wasm \"unclosed");
    pass(Target::Words, b"--memory-initial=lots p.wasm");
    pass(Target::Words, b"w s\xff--dir ../x::y --help");
    pass(Target::Argv, b"run\0p.wasm\0--help");
    pass(Target::Argv, b"--nope\0\n\0p.wasm");
    pass(Target::Argv, b"");
    // Hello (0x05, version 2, token "t"), then an Exit of 7, then a cut header.
    pass(
        Target::Frames,
        b"\x05\x07\0\0\0\x02\0\x01\0\0\0t\x83\x04\0\0\0\x07\0\0\0\x81\x09",
    );
    pass(Target::Frames, b"\x01\xff\xff\xff\xff");
}
