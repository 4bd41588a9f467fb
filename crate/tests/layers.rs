//! The core's top-level modules import each other one way only: each imports only those
//! before it in `lib.rs`'s order, so each can be read knowing only those.

use std::collections::BTreeSet;
use std::path::Path;

/// `lib.rs`'s order (its doc says why).
const ORDER: &[&str] = &[
    "words",
    "path",
    "limits",
    "wasi_core",
    "request",
    "message",
    "cli",
    "tree",
    "module",
    "adapt",
    "plan",
    "explain",
    // The module view's model (its words are --explain's); its WAT text is crate/wat.
    "view",
    // The module planned once when the extension starts (it imports no other).
    "warm_up",
];

/// The top-level modules a source file's code (not its comments or tests) names.
fn named(source: &str) -> BTreeSet<String> {
    let code = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or(source);
    let mut names = BTreeSet::new();
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (at, _) in line.match_indices("crate::") {
            let rest = &line[at + "crate::".len()..];
            let group = rest
                .strip_prefix('{')
                .map(|g| g.split('}').next().unwrap_or(""));
            let items: Vec<&str> = match group {
                Some(group) => group.split(',').collect(),
                None => vec![rest],
            };
            for item in items {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                names.insert(name);
            }
        }
    }
    names
}

#[test]
fn each_module_imports_only_those_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (rank, module) in ORDER.iter().enumerate() {
        let file = src.join(format!("{module}.rs"));
        let mut sources = vec![file.clone()];
        // A module's folder, and the folders in it (adapt/instrument/).
        let mut dirs = vec![src.join(module)];
        while let Some(dir) = dirs.pop() {
            if !dir.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    sources.push(path);
                }
            }
        }
        for path in sources.iter().filter(|p| p.exists()) {
            let source = std::fs::read_to_string(path).unwrap();
            for name in named(&source) {
                let Some(at) = ORDER.iter().position(|m| *m == name) else {
                    continue;
                };
                assert!(
                    at < rank || name == *module,
                    "{} imports crate::{name}, which comes after {module}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn every_module_is_in_the_order() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let declared: BTreeSet<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("pub mod "))
        .map(|l| l.trim_end_matches(';'))
        .collect();
    assert_eq!(declared, ORDER.iter().copied().collect());
}
