//! `rw hello.wasm`: a greeting, and where the program runs.
fn main() {
    println!("Hello from WebAssembly, running in VS Code through rw!");
    println!("My working directory is the shell's: try `rw cat.wasm notes.txt`.");
}
