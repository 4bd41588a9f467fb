//! crw's own stdin, read unbuffered and only when the program reads: one read() of at most
//! what the program asked for. A buffered reader would take up to 8 KiB for a 1-byte read,
//! and whatever it held when the program ended would be lost to the next command
//! (`while read f; do crw tool.wasm "$f"; done`, input typed ahead).

use std::io;

/// One read of at most `buffer.len()` bytes; 0 is the end of stdin. Interrupted reads are
/// retried and a non-blocking stdin is waited on, so only a real error is an error.
#[cfg(unix)]
pub fn read(buffer: &mut [u8]) -> io::Result<usize> {
    use nix::errno::Errno;
    use std::os::fd::AsFd;

    let stdin = io::stdin();
    let fd = stdin.as_fd();
    loop {
        match nix::unistd::read(fd, buffer) {
            Ok(read) => return Ok(read),
            Err(Errno::EINTR) => {}
            // Another program sharing this pipe or terminal may have made it non-blocking.
            Err(Errno::EAGAIN) => readable(fd)?,
            // No stdin at all (`crw … <&-`) is an empty one, as Rust's own stdin has it.
            Err(Errno::EBADF) => return Ok(0),
            Err(error) => return Err(error.into()),
        }
    }
}

/// Whether a read would return at once (data, the end or an error), without waiting.
#[cfg(unix)]
pub fn ready() -> bool {
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
    use std::os::fd::AsFd;

    let stdin = io::stdin();
    let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::POLLIN)];
    matches!(poll(&mut fds, PollTimeout::ZERO), Ok(n) if n > 0)
}

/// Until stdin has data, an end or an error to report.
#[cfg(unix)]
pub fn wait() -> io::Result<()> {
    use std::os::fd::AsFd;
    readable(io::stdin().as_fd())
}

/// Until `fd` has data, an end or an error to report (the next read says which).
#[cfg(unix)]
fn readable(fd: std::os::fd::BorrowedFd<'_>) -> io::Result<()> {
    use nix::errno::Errno;
    use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

    let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
    loop {
        match poll(&mut fds, PollTimeout::NONE) {
            Ok(_) => return Ok(()),
            Err(Errno::EINTR) => {}
            Err(error) => return Err(error.into()),
        }
    }
}

/// Stdin is never sent ahead on Windows (`peek.rs`), so never waited for apart from a read.
#[cfg(windows)]
pub fn wait() -> io::Result<()> {
    Ok(())
}

/// Windows has no poll() for a console or pipe: every read goes to the pump thread.
#[cfg(windows)]
pub fn ready() -> bool {
    false
}

/// On Windows a console is read through Rust's stdin, which turns the console's UTF-16 into
/// UTF-8 (a console hands out whole lines anyway: what a short read leaves of a line is kept
/// for the program's next read). A pipe or file is read as it is, unbuffered.
#[cfg(windows)]
pub fn read(buffer: &mut [u8]) -> io::Result<usize> {
    use std::io::{IsTerminal, Read};
    use std::os::windows::io::AsHandle;

    let stdin = io::stdin();
    let result = if stdin.is_terminal() {
        stdin.lock().read(buffer)
    } else {
        stdin
            .as_handle()
            .try_clone_to_owned()
            .and_then(|handle| std::fs::File::from(handle).read(buffer))
    };
    match result {
        Err(e) if e.kind() == io::ErrorKind::Interrupted => read(buffer),
        // A closed pipe's writer is the end of the input, as Rust's stdin has it.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(0),
        other => other,
    }
}
