//! `rw guess.wasm`: guess a number from 1 to 100 (interactive: reads lines from stdin).
use std::io::{stdin, stdout, BufRead, Write};

fn main() {
    // No dependencies: the clock is the seed.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(42);
    let secret = nanos % 100 + 1;
    println!("I picked a number from 1 to 100. Your guess?");
    let mut tries = 0;
    for line in stdin().lock().lines() {
        let Ok(line) = line else { break };
        let Ok(guess) = line.trim().parse::<u32>() else {
            println!("a number, please");
            continue;
        };
        tries += 1;
        match guess.cmp(&secret) {
            std::cmp::Ordering::Less => println!("higher"),
            std::cmp::Ordering::Greater => println!("lower"),
            std::cmp::Ordering::Equal => {
                println!("yes, {secret}! ({tries} tries)");
                return;
            }
        }
        stdout().flush().unwrap();
    }
}
