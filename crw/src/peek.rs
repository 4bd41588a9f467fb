//! crw's own stdin looked at without taking from it, so that it can be sent to the program
//! ahead of its reads (protocol 4) and still lose only what the program read:
//! - a pipe (Linux): tee(2) copies what the pipe holds into a private pipe and leaves it in
//!   stdin; splice(2) to /dev/null then takes exactly what the program consumed. Only what
//!   the pipe holds can be seen, so crw grows it to 256 KiB (F_SETPIPE_SZ) if it is smaller;
//! - a regular file (any Unix): pread(2) reads ahead of the shared offset without moving it;
//!   lseek(2) then moves it past exactly what the program consumed.
//!
//! Anything else (a terminal, a socket, a pipe on macOS, Windows) is read read by read
//! (`stdin.rs`). The bytes sent ahead and not yet consumed are always the first of stdin,
//! so `next` is told how many to skip, and `take` always takes from the front.

/// What lies beyond the bytes already sent ahead. (On Windows nothing is looked at.)
#[derive(Debug, PartialEq, Eq)]
#[cfg_attr(windows, allow(dead_code))]
pub enum Ahead {
    /// This many new bytes, at the start of the buffer.
    Bytes(usize),
    /// None yet (a pipe whose writer has not written more), or no room for more.
    #[cfg_attr(not(any(target_os = "linux", target_os = "android")), allow(dead_code))]
    Nothing,
    /// The end of stdin: nothing follows what was sent.
    End,
}

pub use imp::Peek;

#[cfg(unix)]
mod imp {
    use std::fs::File;
    use std::io::{self, Seek, SeekFrom};
    use std::os::unix::fs::FileExt;

    use super::Ahead;
    use crate::frame::PEEK_WINDOW;

    pub struct Peek {
        kind: Kind,
    }

    enum Kind {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Pipe(super::pipe::PipePeek),
        /// A dup of stdin: it shares stdin's offset, which `take` moves.
        File {
            file: File,
            /// Where stdin's offset was plus what the program consumed since.
            at: u64,
        },
    }

    impl Peek {
        /// Our stdin, if it can be looked at without taking from it; `None` otherwise
        /// (also when it cannot be told, e.g. no stdin at all).
        pub fn stdin() -> Option<Peek> {
            use std::os::fd::AsFd;
            Peek::of(io::stdin().as_fd().try_clone_to_owned().ok()?)
        }

        /// `fd` (a pipe or a regular file), looked at from where it is now.
        pub fn of(fd: std::os::fd::OwnedFd) -> Option<Peek> {
            let file = File::from(fd);
            let kind = file.metadata().ok()?.file_type();
            if kind.is_file() {
                let at = (&file).stream_position().ok()?;
                return Some(Peek {
                    kind: Kind::File { file, at },
                });
            }
            #[cfg(any(target_os = "linux", target_os = "android"))]
            {
                use std::os::unix::fs::FileTypeExt;
                if kind.is_fifo() {
                    return super::pipe::PipePeek::new(file.into())
                        .ok()
                        .map(|pipe| Peek {
                            kind: Kind::Pipe(pipe),
                        });
                }
            }
            None
        }

        /// The most that may be sent ahead and not yet consumed: a pipe shows no more
        /// than it holds; the server holds no more than `PEEK_WINDOW`.
        pub fn capacity(&self) -> usize {
            match &self.kind {
                #[cfg(any(target_os = "linux", target_os = "android"))]
                Kind::Pipe(pipe) => pipe.capacity(),
                Kind::File { .. } => PEEK_WINDOW as usize,
            }
        }

        /// The bytes of stdin after the first `ahead` (sent, not yet consumed), as many as
        /// fit in `buffer`, taking none and never waiting.
        pub fn next(&mut self, ahead: usize, buffer: &mut [u8]) -> io::Result<Ahead> {
            match &mut self.kind {
                #[cfg(any(target_os = "linux", target_os = "android"))]
                Kind::Pipe(pipe) => pipe.next(ahead, buffer),
                Kind::File { file, at } => loop {
                    match file.read_at(buffer, *at + ahead as u64) {
                        Ok(0) => return Ok(Ahead::End),
                        Ok(read) => return Ok(Ahead::Bytes(read)),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                },
            }
        }

        /// Takes `bytes` from the front of stdin: the program read them.
        pub fn take(&mut self, bytes: usize) -> io::Result<()> {
            match &mut self.kind {
                #[cfg(any(target_os = "linux", target_os = "android"))]
                Kind::Pipe(pipe) => pipe.take(bytes),
                Kind::File { file, at } => {
                    *at += bytes as u64;
                    file.seek(SeekFrom::Start(*at)).map(|_| ())
                }
            }
        }
    }
}

/// Windows: stdin is read read by read.
#[cfg(not(unix))]
mod imp {
    use super::Ahead;
    use std::io;

    pub enum Peek {}

    impl Peek {
        pub fn stdin() -> Option<Peek> {
            None
        }
        pub fn capacity(&self) -> usize {
            match *self {}
        }
        pub fn next(&mut self, _ahead: usize, _buffer: &mut [u8]) -> io::Result<Ahead> {
            match *self {}
        }
        pub fn take(&mut self, _bytes: usize) -> io::Result<()> {
            match *self {}
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
mod pipe {
    use std::fs::File;
    use std::io::{self, Read};
    use std::os::fd::{AsFd, OwnedFd};

    use nix::errno::Errno;
    use nix::fcntl::{fcntl, splice, tee, FcntlArg, OFlag, SpliceFFlags};

    use super::Ahead;
    use crate::frame::PEEK_WINDOW;

    /// What a stdin pipe is grown to hold.
    const GROWN: i32 = 256 * 1024;

    /// stdin, a pipe, and a private pipe its bytes are copied into to be read.
    pub struct PipePeek {
        stdin: File,
        copy_out: File,
        copy_in: OwnedFd,
        /// Where taken and skipped bytes go.
        null: File,
        capacity: usize,
    }

    impl PipePeek {
        pub fn new(stdin: OwnedFd) -> io::Result<PipePeek> {
            let (copy_out, copy_in) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
            // The copy must take all that stdin can hold (tee copies buffer by buffer and
            // stops where the copy is full); we ask for as much, and keep to what we got.
            // A bigger stdin lets its writer run further ahead of the program's reads, as
            // far as crw read ahead before protocol 4 (never smaller: that could fail, or
            // hold up a writer that counted on it). Refused (a user's pipe quota), it stays.
            let mut held = fcntl(stdin.as_fd(), FcntlArg::F_GETPIPE_SZ)?;
            if held < GROWN {
                held = fcntl(stdin.as_fd(), FcntlArg::F_SETPIPE_SZ(GROWN)).unwrap_or(held);
            }
            let _ = fcntl(copy_in.as_fd(), FcntlArg::F_SETPIPE_SZ(held));
            let copy = fcntl(copy_in.as_fd(), FcntlArg::F_GETPIPE_SZ)?;
            let capacity = (held.min(copy) as usize).min(PEEK_WINDOW as usize);
            Ok(PipePeek {
                stdin: File::from(stdin),
                copy_out: File::from(copy_out),
                copy_in,
                null: File::options().write(true).open("/dev/null")?,
                capacity,
            })
        }

        pub fn capacity(&self) -> usize {
            self.capacity
        }

        pub fn next(&mut self, ahead: usize, buffer: &mut [u8]) -> io::Result<Ahead> {
            let want = (ahead + buffer.len()).min(self.capacity);
            if want <= ahead {
                return Ok(Ahead::Nothing);
            }
            let copied = loop {
                match tee(
                    &self.stdin,
                    &self.copy_in,
                    want,
                    SpliceFFlags::SPLICE_F_NONBLOCK,
                ) {
                    Ok(copied) => break copied,
                    Err(Errno::EINTR) => {}
                    // Empty, its writer still there (or our copy full, which it never is).
                    Err(Errno::EAGAIN) => return Ok(Ahead::Nothing),
                    Err(error) => return Err(error.into()),
                }
            };
            // Nothing copied: the end, if all sent has been consumed and poll agrees (tee
            // also copies nothing when it lost a race with the writer). Had another process
            // taken what we sent, `take` says so.
            if copied == 0 {
                return Ok(if ahead == 0 && ended(&self.stdin) {
                    Ahead::End
                } else {
                    Ahead::Nothing
                });
            }
            // tee copies from the front: what was already sent comes again first.
            let skip = copied.min(ahead);
            drain(&self.copy_out, &self.null, skip, buffer)?;
            let new = copied - skip;
            (&self.copy_out).read_exact(&mut buffer[..new])?;
            Ok(if new == 0 {
                Ahead::Nothing
            } else {
                Ahead::Bytes(new)
            })
        }

        pub fn take(&mut self, bytes: usize) -> io::Result<()> {
            let mut scratch = [0u8; 8192];
            drain(&self.stdin, &self.null, bytes, &mut scratch)
                .map_err(|e| match e.kind() {
                    io::ErrorKind::WouldBlock | io::ErrorKind::UnexpectedEof => io::Error::other(
                        "the bytes the program read are no longer in stdin; did another process read it?",
                    ),
                    _ => e,
                })
        }
    }

    /// Whether pipe `fd` is at its end: empty, and no writer left.
    fn ended(fd: &File) -> bool {
        use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
        let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::ZERO) {
            Ok(_) => fds[0]
                .revents()
                .is_some_and(|r| r.contains(PollFlags::POLLHUP) && !r.contains(PollFlags::POLLIN)),
            Err(_) => false,
        }
    }

    /// Takes `bytes` from the front of pipe `from`, which holds them: spliced to /dev/null,
    /// or read into `scratch` where /dev/null takes no splice.
    fn drain(from: &File, null: &File, mut bytes: usize, scratch: &mut [u8]) -> io::Result<()> {
        let mut splicing = true;
        while bytes > 0 {
            let taken = if splicing {
                match splice(
                    from,
                    None,
                    null,
                    None,
                    bytes,
                    SpliceFFlags::SPLICE_F_NONBLOCK,
                ) {
                    Ok(taken) => taken,
                    Err(Errno::EINTR) => continue,
                    Err(Errno::EINVAL) => {
                        splicing = false;
                        continue;
                    }
                    Err(error) => return Err(error.into()),
                }
            } else {
                let most = bytes.min(scratch.len());
                match nix::unistd::read(from.as_fd(), &mut scratch[..most]) {
                    Ok(taken) => taken,
                    Err(Errno::EINTR) => continue,
                    Err(error) => return Err(error.into()),
                }
            };
            if taken == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            bytes -= taken;
        }
        Ok(())
    }
}
