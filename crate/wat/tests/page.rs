//! "Show as WAT": pages of the module's text (`page.rs`).

use rw_wat::page::{function_start, page};

/// The fixtures rw-core's tests use too.
#[path = "../../tests/common/mod.rs"]
mod common;

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

#[test]
fn a_page_opens_at_any_function_also_past_the_first() {
    let bytes = common::program("hello");
    let first = page(&bytes, 0, 20_000).unwrap();
    assert!(first.more, "hello's text is longer than a page");
    let on_first: Vec<u32> = first.functions.iter().map(|&(f, _)| f).collect();
    let functions = (0..)
        .take_while(|&i| function_start(&bytes, i).is_some())
        .count() as u32;
    let past = (0..functions)
        .filter(|i| !on_first.contains(i))
        .collect::<Vec<_>>();
    assert!(!past.is_empty(), "some function is past the first page");
    for index in [past[0], past[past.len() / 2], functions - 1] {
        let start = function_start(&bytes, index).unwrap();
        let at = page(&bytes, start, 20_000).unwrap();
        assert_eq!(at.functions.first(), Some(&(index, 0)), "function {index}");
        assert!(
            at.text.trim_start().starts_with("(func"),
            "{}",
            &at.text[..60]
        );
    }
    assert_eq!(function_start(&bytes, functions), None);
}
