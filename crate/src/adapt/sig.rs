//! The function types the adapter writes and checks imports against: WASI's ABI has
//! only i32 and i64 parameters and an i32 errno result.

use wasm_encoder::ValType;
use wasmparser::FuncType;

use ValType::{I32, I64};

/// A function type the adapter writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sig {
    pub params: &'static [ValType],
    pub results: &'static [ValType],
}

const ERRNO: &[ValType] = &[I32];

/// `(params) -> errno`, as every preview1 function but `proc_exit` is.
pub const fn errno(params: &'static [ValType]) -> Sig {
    Sig {
        params,
        results: ERRNO,
    }
}

pub const FD_WRITE: Sig = errno(&[I32, I32, I32, I32]);
pub const PROC_EXIT: Sig = Sig {
    params: &[I32],
    results: &[],
};
/// `() -> ()`: the trap exit.
pub const UNIT: Sig = Sig {
    params: &[],
    results: &[],
};
/// `fd_fdstat_get`, `fd_filestat_get`, `fd_prestat_get`: `(fd, buf) -> errno`.
pub const STAT: Sig = errno(&[I32, I32]);
/// `path_unlink_file`, `path_remove_directory`, `fd_prestat_dir_name`:
/// `(fd, path, len) -> errno`.
pub const FD_PATH: Sig = errno(&[I32, I32, I32]);
/// `path_filestat_get`: `(fd, flags, path, len, buf) -> errno`.
pub const PATH_FILESTAT: Sig = errno(&[I32; 5]);
/// `fd_readdir`: `(fd, buf, buf_len, cookie, bufused) -> errno`.
pub const READDIR: Sig = errno(&[I32, I32, I32, I64, I32]);
/// `fd_close`: `(fd) -> errno`.
pub const CLOSE: Sig = errno(&[I32]);
/// `fd_allocate`: `(fd, offset, len) -> errno`.
pub const ALLOCATE: Sig = errno(&[I32, I64, I64]);
/// `path_rename`: `(fd, old, old_len, new_fd, new, new_len) -> errno`.
pub const RENAME: Sig = errno(&[I32; 6]);
/// The scratch helper: `(need) -> address`.
pub const SCRATCH: Sig = Sig {
    params: &[I64],
    results: &[I32],
};

impl Sig {
    /// Whether a type the module declares is this one.
    pub fn matches(self, ty: &FuncType) -> bool {
        let same = |theirs: &[wasmparser::ValType], ours: &[ValType]| {
            theirs.len() == ours.len()
                && theirs.iter().zip(ours).all(|(t, o)| {
                    matches!(
                        (t, o),
                        (wasmparser::ValType::I32, I32) | (wasmparser::ValType::I64, I64)
                    )
                })
        };
        same(ty.params(), self.params) && same(ty.results(), self.results)
    }

    /// Whether `ty`, if there is one, is this type.
    pub fn is(self, ty: Option<&FuncType>) -> bool {
        ty.is_some_and(|ty| self.matches(ty))
    }

    /// How many parameters and results it has, when all are i32 (as in most of WASI).
    pub fn i32_shape(self) -> Option<(usize, usize)> {
        let all_i32 = self.params.iter().chain(self.results).all(|t| *t == I32);
        all_i32.then_some((self.params.len(), self.results.len()))
    }
}

/// As [`crate::module::signature_text`] writes a module's types: `(i32, i64) -> (i32)`.
impl std::fmt::Display for Sig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |types: &[ValType]| {
            types
                .iter()
                .map(|t| if *t == I64 { "i64" } else { "i32" })
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "({}) -> ({})", list(self.params), list(self.results))
    }
}

/// A function type from its text, `(i32, i64) -> (i32)`, for tests.
#[cfg(test)]
pub fn func_type(text: &str) -> FuncType {
    let list = |part: &str| -> Vec<wasmparser::ValType> {
        part.trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| match t {
                "i32" => wasmparser::ValType::I32,
                "i64" => wasmparser::ValType::I64,
                other => panic!("no test type {other}"),
            })
            .collect()
    };
    let (params, results) = text.split_once("->").expect("params -> results");
    FuncType::new(list(params), list(results))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sig_reads_as_a_module_type_is_written() {
        let ty = FuncType::new(
            [wasmparser::ValType::I32, wasmparser::ValType::I64],
            [wasmparser::ValType::I32],
        );
        let sig = errno(&[I32, I64]);
        assert!(sig.matches(&ty));
        assert!(!STAT.matches(&ty));
        assert_eq!(sig.to_string(), crate::module::signature_text(&ty));
    }
}
