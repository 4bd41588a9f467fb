//! `rw args.wasm "two words" 'and more'`: each argument as the program got it.
fn main() {
    for (i, arg) in std::env::args().enumerate() {
        println!("argv[{i}] = {arg:?}");
    }
}
