//! Finding the rw extension: the socket (a Windows named pipe) it named in the
//! environment of VS Code's integrated terminals, beside the token it expects first.

use interprocess::local_socket::{prelude::*, GenericFilePath, Stream};

/// Set by the extension in every integrated terminal of a window where it runs.
pub const SOCKET_ENV: &str = "RW_CRW_SOCKET";
/// Set beside it: the secret the extension checks before it runs anything.
pub const TOKEN_ENV: &str = "RW_CRW_TOKEN";

/// The token to send first; none is sent as empty, which the extension refuses in one line.
pub fn token() -> String {
    std::env::var_os(TOKEN_ENV)
        .map(|token| token.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn to_extension() -> Result<Stream, String> {
    let Some(address) = std::env::var_os(SOCKET_ENV) else {
        return Err(format!(
            "{SOCKET_ENV} is not set; run crw in a VS Code integrated terminal \
             (desktop, Remote or code-server) with the rw extension installed"
        ));
    };
    let shown = address.to_string_lossy().into_owned();
    let unreachable = |e: std::io::Error| {
        format!(
            "cannot reach the rw extension at {shown} ({e}); the VS Code window that opened \
             this terminal may be closed or reloaded: open a new integrated terminal"
        )
    };
    check_private(&address).map_err(|refusal| match refusal {
        Refusal::Unreachable(e) => unreachable(e),
        Refusal::NotPrivate(why) => format!(
            "refusing {SOCKET_ENV}={shown}: {why}, so it may not be the rw extension's; \
             open a new integrated terminal"
        ),
    })?;
    let name = address
        .to_fs_name::<GenericFilePath>()
        .map_err(|e| format!("{SOCKET_ENV}={shown} is not a socket path ({e})"))?;
    Stream::connect(name).map_err(unreachable)
}

enum Refusal {
    /// Not there at all (unix: its directory is gone).
    #[cfg_attr(windows, allow(dead_code))]
    Unreachable(std::io::Error),
    NotPrivate(String),
}

/// A terminal restored after a reload keeps an old `RW_CRW_SOCKET`, and another local user
/// could have put a socket there since: only one in a directory of ours that nobody else
/// can enter is the extension's (it makes the directory 0700 under a random name).
#[cfg(unix)]
fn check_private(address: &std::ffi::OsStr) -> Result<(), Refusal> {
    use std::os::unix::fs::MetadataExt;
    let dir = std::path::Path::new(address)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .ok_or_else(|| Refusal::NotPrivate("it is not in a directory".to_owned()))?;
    // Not followed: a symbolic link another user made could be pointed elsewhere later.
    let meta = std::fs::symlink_metadata(dir).map_err(Refusal::Unreachable)?;
    private_dir(
        meta.is_dir(),
        meta.uid(),
        meta.mode(),
        nix::unistd::geteuid().as_raw(),
    )
    .map_err(Refusal::NotPrivate)
}

/// Why a directory of `owner` and `mode` is not one only `user` can enter, if it is not.
#[cfg(unix)]
fn private_dir(is_dir: bool, owner: u32, mode: u32, user: u32) -> Result<(), String> {
    if !is_dir {
        Err("its directory is not a directory".to_owned())
    } else if owner != user {
        Err(format!(
            "its directory belongs to another user (uid {owner})"
        ))
    } else if mode & 0o077 != 0 {
        Err(format!(
            "its directory is open to other users (mode {:o}, not 700)",
            mode & 0o777
        ))
    } else {
        Ok(())
    }
}

/// The pipe's name is random and the token goes first; what is left is never to send the
/// token to another machine (`\\host\pipe\…`).
#[cfg(windows)]
fn check_private(address: &std::ffi::OsStr) -> Result<(), Refusal> {
    if local_pipe(&address.to_string_lossy()) {
        Ok(())
    } else {
        Err(Refusal::NotPrivate(
            r"it is not a named pipe of this machine (\\.\pipe\…)".to_owned(),
        ))
    }
}

#[cfg(any(windows, test))]
fn local_pipe(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with(r"\\.\pipe\") || lower.starts_with(r"\\?\pipe\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pipes_of_this_machine_are_local() {
        assert!(local_pipe(r"\\.\pipe\rw-crw-1f0e"));
        assert!(local_pipe(r"\\?\PIPE\rw-crw-1f0e"));
        assert!(!local_pipe(r"\\otherhost\pipe\rw-crw-1f0e"));
        assert!(!local_pipe(r"\\.\c:\rw-crw"));
        assert!(!local_pipe("/tmp/rw-crw-x/socket"));
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_must_be_ours_and_closed_to_group_and_others() {
        assert!(private_dir(true, 1000, 0o40700, 1000).is_ok());
        assert!(private_dir(true, 0, 0o40700, 0).is_ok());
        let other = private_dir(true, 1001, 0o40700, 1000).unwrap_err();
        assert!(other.contains("another user (uid 1001)"), "{other}");
        for mode in [0o40755, 0o40770, 0o40701, 0o41777] {
            let open = private_dir(true, 1000, mode, 1000).unwrap_err();
            assert!(open.contains("open to other users"), "{open}");
        }
        assert!(private_dir(false, 1000, 0o100600, 1000).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_real_directory_is_checked_by_its_mode_and_a_link_to_one_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let base = std::env::temp_dir().join(format!("crw-connect-test-{}", std::process::id()));
        let dir = base.join("d");
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("socket");
        let check = |path: &std::path::Path| check_private(path.as_os_str());
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        assert!(check(&socket).is_ok());
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(
            matches!(check(&socket), Err(Refusal::NotPrivate(why)) if why.contains("mode 755"))
        );
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let link = base.join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(matches!(
            check(&link.join("socket")),
            Err(Refusal::NotPrivate(_))
        ));
        assert!(matches!(
            check(&base.join("gone").join("socket")),
            Err(Refusal::Unreachable(_))
        ));
        std::fs::remove_dir_all(&base).unwrap();
    }
}
