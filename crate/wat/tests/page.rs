//! "Show as WAT": pages of the module's text (`page.rs`).

use std::path::PathBuf;

use rw_wat::page::page;

/// The fixtures rw-core's tests use too (tests/fixtures at the repository root).
mod common {
    use super::PathBuf;

    fn fixtures_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
    }

    /// A built fixture program (scripts/build-fixtures.sh).
    pub fn program(name: &str) -> Vec<u8> {
        let path = fixtures_dir().join("wasm").join(format!("{name}.wasm"));
        std::fs::read(&path).unwrap_or_else(|err| {
            panic!(
                "{}: {err}; build the fixtures first: scripts/build-fixtures.sh",
                path.display()
            )
        })
    }

    /// A hand-written fixture, assembled here.
    pub fn wat(name: &str) -> Vec<u8> {
        let path = fixtures_dir().join("wat").join(format!("{name}.wat"));
        wat::parse_file(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    }
}

#[test]
fn pages_join_into_the_whole_text() {
    let bytes = common::program("hello");
    let whole = wasmprinter::print_bytes(&bytes).unwrap();
    let first = page(&bytes, 0, usize::MAX).unwrap();
    assert!(!first.more);
    assert_eq!(first.text, whole);
    let mut joined = String::new();
    let mut start = 0;
    loop {
        let p = page(&bytes, start, 50_000).unwrap();
        start += p.text.len();
        joined.push_str(&p.text);
        if !p.more {
            break;
        }
    }
    assert_eq!(joined, whole);
}

#[test]
fn functions_are_found_at_their_lines() {
    let bytes = common::wat("trap");
    let p = page(&bytes, 0, usize::MAX).unwrap();
    assert!(!p.functions.is_empty());
    let lines: Vec<&str> = p.text.lines().collect();
    for (_, line) in &p.functions {
        assert!(
            lines[*line as usize].trim_start().starts_with("(func"),
            "{}",
            lines[*line as usize]
        );
    }
}

#[test]
fn not_wasm_is_an_error() {
    assert!(page(b"hello", 0, 100).is_err());
}
