//! Our stdin sent ahead of the program's reads (protocol 4), where it can be looked at
//! without being taken (`peek.rs`): the program's reads are served in the extension from
//! what was sent, with no round trip to crw, and crw takes from its stdin exactly what each
//! read consumed (`Consumed`). What was sent and not consumed stays in stdin, so at every
//! ending what the program read is gone from it and nothing more.
//!
//! No more than the peek's capacity is ever ahead; more is looked for only once half of it
//! is consumed, so that each look (a syscall or three) brings a useful amount.

use crate::frame::{Frame, MAX_PAYLOAD};
use crate::peek::{Ahead as Found, Peek};

pub struct Ahead {
    peek: Peek,
    /// Bytes sent and not yet consumed: the first `sent` bytes of stdin.
    sent: usize,
    /// The end was sent, or stdin failed: nothing more is sent.
    over: bool,
    buffer: Vec<u8>,
}

/// What to do after a step: the frame to send (while the `Ahead` is still held, so that
/// frames go out in stdin's order), nothing yet, or the line to fail with.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    Send(Frame),
    Wait,
    Fail(String),
}

impl Ahead {
    pub fn new(peek: Peek) -> Ahead {
        let most = peek.capacity().min(MAX_PAYLOAD as usize);
        Ahead {
            peek,
            sent: 0,
            over: false,
            buffer: vec![0; most],
        }
    }

    pub fn over(&self) -> bool {
        self.over
    }

    pub fn sent(&self) -> usize {
        self.sent
    }

    /// What lies beyond what was sent, without waiting: the next bytes, the end, or
    /// nothing (none yet, or enough is ahead already).
    pub fn next(&mut self) -> Step {
        let capacity = self.peek.capacity();
        if self.over || self.sent > capacity / 2 {
            return Step::Wait;
        }
        let room = (capacity - self.sent).min(self.buffer.len());
        match self.peek.next(self.sent, &mut self.buffer[..room]) {
            Ok(Found::Bytes(bytes)) => {
                self.sent += bytes;
                Step::Send(Frame::Peek(self.buffer[..bytes].to_vec()))
            }
            Ok(Found::Nothing) => Step::Wait,
            Ok(Found::End) => {
                self.over = true;
                Step::Send(Frame::StdinEnd)
            }
            Err(error) => self.fail(format!("cannot read stdin ({error})")),
        }
    }

    /// A read of the program's consumed `bytes` of what was sent: they are taken from
    /// stdin, and what now lies beyond is looked for.
    pub fn consumed(&mut self, bytes: usize) -> Step {
        if bytes > self.sent {
            return self.fail(format!(
                "the rw extension says the program read {bytes} bytes of stdin, but only {} were sent; install the crw of the same rw version",
                self.sent
            ));
        }
        if let Err(error) = self.peek.take(bytes) {
            return self.fail(format!(
                "cannot take from stdin what the program read ({error})"
            ));
        }
        self.sent -= bytes;
        self.next()
    }

    /// Stdin failed: nothing more is sent.
    pub fn fail(&mut self, line: String) -> Step {
        self.over = true;
        Step::Fail(line)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs::File;
    use std::io::{Read, Seek, SeekFrom, Write};
    use std::os::fd::OwnedFd;

    fn peeked(step: Step) -> Vec<u8> {
        match step {
            Step::Send(Frame::Peek(bytes)) => bytes,
            other => panic!("expected peeked bytes, got {other:?}"),
        }
    }

    /// A file of `text` at a path of its own, opened for reading.
    fn file_of(name: &str, text: &[u8]) -> File {
        let path = std::env::temp_dir().join(format!("crw-ahead-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let file = File::open(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        file
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn pipe() -> (File, File) {
        let (out, into) = nix::unistd::pipe().unwrap();
        (File::from(out), File::from(into))
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_pipe_loses_exactly_what_was_consumed_however_much_was_sent_ahead() {
        let (mut out, mut into) = pipe();
        into.write_all(b"hello world").unwrap();
        let mut ahead = Ahead::new(Peek::of(OwnedFd::from(out.try_clone().unwrap())).unwrap());
        assert_eq!(peeked(ahead.next()), b"hello world");
        // Nothing new: what tee sees first is what was sent.
        assert_eq!(ahead.next(), Step::Wait);
        assert_eq!(ahead.consumed(5), Step::Wait);
        into.write_all(b"!").unwrap();
        assert_eq!(
            peeked(ahead.next()),
            b"!",
            "only what follows what was sent"
        );
        drop(into);
        // The writer is gone, but 7 bytes sent are not consumed: no end yet.
        assert_eq!(ahead.next(), Step::Wait);
        assert_eq!(ahead.sent(), 7);
        drop(ahead);
        let mut rest = Vec::new();
        out.read_to_end(&mut rest).unwrap();
        assert_eq!(
            rest, b" world!",
            "the 5 bytes consumed are gone, and no more"
        );
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_pipe_ends_once_all_sent_was_consumed_and_its_writer_is_gone() {
        let (out, mut into) = pipe();
        into.write_all(b"abc").unwrap();
        drop(into);
        let mut ahead = Ahead::new(Peek::of(OwnedFd::from(out)).unwrap());
        assert_eq!(peeked(ahead.next()), b"abc");
        assert_eq!(ahead.consumed(2), Step::Wait);
        assert_eq!(ahead.consumed(1), Step::Send(Frame::StdinEnd));
        assert!(ahead.over());
        assert_eq!(ahead.next(), Step::Wait, "the end is sent once");
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn an_empty_pipe_with_its_writer_is_nothing_yet_not_the_end() {
        let (out, into) = pipe();
        let mut ahead = Ahead::new(Peek::of(OwnedFd::from(out)).unwrap());
        assert_eq!(ahead.next(), Step::Wait);
        assert!(!ahead.over());
        drop(into);
    }

    #[test]
    fn a_file_is_read_ahead_from_its_offset_which_moves_by_what_was_consumed() {
        let mut file = file_of("offset", b"0123456789");
        // An earlier reader of the same stdin took two bytes.
        file.seek(SeekFrom::Start(2)).unwrap();
        let mut ahead = Ahead::new(Peek::of(OwnedFd::from(file.try_clone().unwrap())).unwrap());
        assert_eq!(peeked(ahead.next()), b"23456789");
        assert_eq!(file.stream_position().unwrap(), 2, "looking moves nothing");
        assert_eq!(ahead.consumed(3), Step::Send(Frame::StdinEnd));
        drop(ahead);
        let mut rest = String::new();
        file.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "56789");
    }

    #[test]
    fn more_consumed_than_was_sent_fails_and_takes_nothing() {
        let mut file = file_of("lying", b"abc");
        let mut ahead = Ahead::new(Peek::of(OwnedFd::from(file.try_clone().unwrap())).unwrap());
        assert_eq!(peeked(ahead.next()), b"abc");
        assert!(
            matches!(ahead.consumed(4), Step::Fail(line) if line.contains("read 4 bytes of stdin, but only 3 were sent"))
        );
        assert!(ahead.over());
        assert_eq!(file.stream_position().unwrap(), 0);
    }

    #[test]
    fn neither_a_pipe_nor_a_file_is_read_read_by_read() {
        let device = File::open("/dev/null").unwrap();
        assert!(Peek::of(OwnedFd::from(device)).is_none());
    }
}
