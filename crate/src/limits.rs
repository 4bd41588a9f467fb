//! The JS API's implementation limits (WebAssembly JS embedding spec, "Limits"), which V8
//! and every browser engine enforce. A module whose sections claim more can never compile;
//! reading such claims early keeps a lying count from sizing our own tables (a function
//! section that says 4 294 967 295 functions must be an error, not an overflow or 16 GB).

/// Functions, imported and defined.
pub const MAX_FUNCTIONS: u32 = 1_000_000;
/// Globals, imported and defined.
pub const MAX_GLOBALS: u32 = 1_000_000;
/// Data segments.
pub const MAX_DATA_SEGMENTS: u32 = 100_000;
/// Bytes of a module: the JS API's 1 GiB, V8's `kV8MaxWasmModuleSize`. rw reads no bigger
/// file (the extension checks its size first), so a huge file never fills the host's memory.
pub const MAX_MODULE_BYTES: u64 = 1 << 30;

/// `count` of `what`, if the engines allow that many; else why not, in a message's words.
pub fn within(count: u32, limit: u32, what: &str) -> Result<u32, String> {
    if count > limit {
        Err(format!(
            "declares {count} {what}; engines allow at most {limit}"
        ))
    } else {
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_up_to_the_limit_pass_and_above_it_say_why() {
        assert_eq!(
            within(MAX_FUNCTIONS, MAX_FUNCTIONS, "functions"),
            Ok(MAX_FUNCTIONS)
        );
        assert_eq!(
            within(u32::MAX, MAX_FUNCTIONS, "functions"),
            Err("declares 4294967295 functions; engines allow at most 1000000".to_owned())
        );
    }
}
