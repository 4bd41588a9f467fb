//! Where fuzz inputs come from: wasm-smith, mutated fixtures, random bytes.

use std::sync::OnceLock;

use arbitrary::Unstructured;

/// The engine's seedable random source.
pub struct Rng(fastrand::Rng);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(fastrand::Rng::with_seed(seed))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.u64(..)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.0.usize(..n)
        }
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut bytes = vec![0; len];
        self.0.fill(&mut bytes);
        bytes
    }
}

/// A valid module from wasm-smith, with imports like a WASI program's sometimes.
pub fn smith(rng: &mut Rng) -> Option<Vec<u8>> {
    let len = 64 + rng.below(4096);
    let seed = rng.bytes(len);
    let mut u = Unstructured::new(&seed);
    let mut config: wasm_smith::Config = u.arbitrary().ok()?;
    config.max_memories = 1;
    config.memory64_enabled = false;
    config.gc_enabled = false;
    config.available_imports = Some(import_menu().to_vec());
    let module = wasm_smith::Module::new(config, &mut u).ok()?;
    Some(module.to_bytes())
}

/// Imports wasm-smith may choose from: preview1 (with the functions the `isatty()`
/// correction wraps), wasi_unstable (the adapter's shims), functions the Core lacks,
/// unknown ones, and the threads memory.
fn import_menu() -> &'static [u8] {
    static MENU: OnceLock<Vec<u8>> = OnceLock::new();
    MENU.get_or_init(|| {
        wat::parse_str(
            r#"(module
                (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
                (import "wasi_snapshot_preview1" "proc_raise" (func (param i32) (result i32)))
                (import "wasi_snapshot_preview1" "fd_fdstat_get" (func (param i32 i32) (result i32)))
                (import "wasi_snapshot_preview1" "fd_filestat_get" (func (param i32 i32) (result i32)))
                (import "wasi_unstable" "fd_fdstat_get" (func (param i32 i32) (result i32)))
                (import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                (import "wasi_unstable" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
                (import "wasi_unstable" "fd_filestat_get" (func (param i32 i32) (result i32)))
                (import "wasi_unstable" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32)))
                (import "env" "callback" (func (param i32) (result i32)))
                (import "env" "memory" (memory 1 100)))"#,
        )
        .expect("the import menu is valid WAT")
    })
}

/// A fixture with random damage: flipped bytes, a cut, a splice of random bytes, or a
/// section size that lies.
pub fn mutate(rng: &mut Rng, fixture: &[u8]) -> Vec<u8> {
    let mut bytes = fixture.to_vec();
    for _ in 0..1 + rng.below(4) {
        if bytes.is_empty() {
            break;
        }
        match rng.below(5) {
            0 => {
                let at = rng.below(bytes.len());
                bytes[at] ^= 1 << rng.below(8);
            }
            1 => {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next_u64() as u8;
            }
            2 => bytes.truncate(rng.below(bytes.len())),
            3 => {
                let at = rng.below(bytes.len());
                let len = 1 + rng.below(16);
                let junk = rng.bytes(len);
                bytes.splice(at..at, junk);
            }
            _ => {
                // A huge LEB128 where a size or count may be.
                let at = 8 + rng.below(bytes.len().saturating_sub(8).max(1));
                if at + 5 <= bytes.len() {
                    bytes[at..at + 5].copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
                }
            }
        }
    }
    bytes
}
