//! What the WASM WASI Core (ms-vscode.wasm-wasi-core 1.0.2) links a module against.
//!
//! Its worker instantiates with `{ wasi_snapshot_preview1: host, wasi: host, env: { memory } }`,
//! one host object under both names, so every function below resolves from either
//! module. Anything else is a LinkError, and a LinkError inside the Core's worker never
//! settles `run()`: the shell hangs. So rw checks imports before the Core sees them.

/// Every function of WASI preview1 (`wasi_snapshot_preview1.witx`).
pub const PREVIEW1_FUNCTIONS: &[&str] = &[
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

/// The preview1 functions Core 1.0.2's host object lacks (read from its worker).
pub const MISSING_FUNCTIONS: &[&str] = &["proc_raise", "fd_fdstat_set_rights"];

/// What the host object has beyond preview1: wasi-threads.
pub const THREAD_FUNCTIONS: &[&str] = &["thread-spawn", "thread_exit"];

/// Whether Core 1.0.2's host object has this function (under either module name).
pub fn core_has(name: &str) -> bool {
    (PREVIEW1_FUNCTIONS.contains(&name) && !MISSING_FUNCTIONS.contains(&name))
        || THREAD_FUNCTIONS.contains(&name)
}

/// The modules the host object is bound to.
pub const HOST_MODULES: &[&str] = &["wasi_snapshot_preview1", "wasi"];

/// Where the Core puts the memory it creates from a descriptor.
pub const MEMORY_MODULE: &str = "env";
pub const MEMORY_NAME: &str = "memory";

/// WebAssembly's limit for a 32-bit memory: 4 GiB in 64 KiB pages.
pub const MAX_PAGES: u64 = 65536;

/// Whether the Core can satisfy this function import.
pub fn provides_function(module: &str, name: &str) -> bool {
    HOST_MODULES.contains(&module) && core_has(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_and_preview1_resolve_but_the_missing_ones_do_not() {
        assert!(provides_function("wasi_snapshot_preview1", "fd_write"));
        assert!(provides_function("wasi", "thread-spawn"));
        assert!(!provides_function("wasi_snapshot_preview1", "proc_raise"));
        assert!(!provides_function(
            "wasi_snapshot_preview1",
            "fd_fdstat_set_rights"
        ));
        assert!(!provides_function("wasi_unstable", "fd_write"));
        assert!(!provides_function("env", "fd_write"));
    }
}
