//! WASI preview1's errno numbers the adapter's added functions return (the same numbers in
//! `wasi_unstable`).

pub const BADF: i32 = 8;
pub const EXIST: i32 = 20;
pub const INVAL: i32 = 28;
pub const ISDIR: i32 = 31;
pub const NAMETOOLONG: i32 = 37;
pub const NOMEM: i32 = 48;
pub const NOSYS: i32 = 52;
pub const NOTDIR: i32 = 54;
pub const NOTEMPTY: i32 = 55;
pub const NOTSOCK: i32 = 57;
pub const NOTSUP: i32 = 58;
pub const PERM: i32 = 63;
pub const NOTCAPABLE: i32 = 76;
