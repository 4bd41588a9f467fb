//! `rw cat.wasm notes.txt`, or `echo hi | crw cat.wasm`: files (or stdin) to stdout.
use std::io::{copy, stdin, stdout};

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut out = stdout().lock();
    if files.is_empty() {
        copy(&mut stdin().lock(), &mut out).expect("reading stdin");
    }
    for name in files {
        match std::fs::File::open(&name) {
            Ok(mut file) => {
                copy(&mut file, &mut out).expect("writing stdout");
            }
            Err(e) => {
                eprintln!("cat: {name}: {e}");
                std::process::exit(1);
            }
        }
    }
}
