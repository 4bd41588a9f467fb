//! Finding the rw extension: the socket (a Windows named pipe) it named in the
//! environment of VS Code's integrated terminals.

use interprocess::local_socket::{prelude::*, GenericFilePath, Stream};

/// Set by the extension in every integrated terminal of a window where it runs.
pub const SOCKET_ENV: &str = "RW_CRW_SOCKET";

pub fn to_extension() -> Result<Stream, String> {
    let Some(address) = std::env::var_os(SOCKET_ENV) else {
        return Err(format!(
            "{SOCKET_ENV} is not set; run crw in a VS Code integrated terminal \
             (desktop, Remote or code-server) with the rw extension installed"
        ));
    };
    let shown = address.to_string_lossy().into_owned();
    let name = address
        .to_fs_name::<GenericFilePath>()
        .map_err(|e| format!("{SOCKET_ENV}={shown} is not a socket path ({e})"))?;
    Stream::connect(name).map_err(|e| {
        format!(
            "cannot reach the rw extension at {shown} ({e}); the VS Code window that opened \
             this terminal may be closed or reloaded: open a new integrated terminal"
        )
    })
}
