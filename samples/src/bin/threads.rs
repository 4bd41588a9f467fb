//! `rw threads.wasm` (built for wasm32-wasip1-threads): four threads count primes at once.
fn main() {
    let workers: Vec<_> = (0..4u32)
        .map(|t| {
            std::thread::spawn(move || {
                let (from, to) = (t * 25_000 + 2, (t + 1) * 25_000 + 2);
                (from..to)
                    .filter(|&n| (2..).take_while(|d| d * d <= n).all(|d| n % d != 0))
                    .count()
            })
        })
        .collect();
    let mut total = 0;
    for (t, w) in workers.into_iter().enumerate() {
        let n = w.join().unwrap();
        println!("thread {t}: {n} primes");
        total += n;
    }
    println!("{total} primes below 100002, counted by 4 threads");
}
