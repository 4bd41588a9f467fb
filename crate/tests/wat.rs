//! "Show as WAT": pages of the module's text (`wat.rs`).

mod common;

use rw_core::wat::page;

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
