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
