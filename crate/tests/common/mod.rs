//! Fixtures shared by the integration tests: our real programs, built by
//! scripts/build-fixtures.sh, and the hand-written .wat modules.

use std::path::PathBuf;

/// `tests/fixtures` at the repository root, above whichever crate's tests use this
/// (rw-core's, and rw-wat's through a `#[path]`).
fn fixtures_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join("tests/fixtures"))
        .find(|dir| dir.join("wat").is_dir())
        .expect("tests/fixtures above the crate")
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
