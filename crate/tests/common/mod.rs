//! Fixtures shared by the integration tests: our real programs, built by
//! scripts/build-fixtures.sh, and the hand-written .wat modules.

use std::path::PathBuf;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// A built fixture program, `tests/fixtures/wasm/NAME.wasm`.
pub fn program(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join("wasm").join(format!("{name}.wasm"));
    std::fs::read(&path).unwrap_or_else(|err| {
        panic!(
            "{}: {err}; build the fixtures first: scripts/build-fixtures.sh",
            path.display()
        )
    })
}

/// A hand-written fixture, `tests/fixtures/wat/NAME.wat`, assembled here.
pub fn wat(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join("wat").join(format!("{name}.wat"));
    wat::parse_file(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}
