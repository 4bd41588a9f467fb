//! One run: send the hello and the request, then pump the extension's stdout/stderr frames
//! to ours until the exit code arrives, and stdin to the extension as the program reads it:
//! sent ahead where it can be looked at without being taken (`ahead.rs`), read by read
//! where it cannot.

use std::io::{self, BufReader, Write};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;

use interprocess::local_socket::Stream;

use crate::ahead::{Ahead, Step};
use crate::frame::{Frame, MAX_PAYLOAD};
use crate::peek::Peek;
use crate::{signals, stdin};

/// What shells report for a program that died of SIGPIPE (128 + 13): `crw … | head` ends
/// quietly once head stops reading.
const EXIT_BROKEN_PIPE: i32 = 141;

pub fn run(stream: Stream, first: &[Frame]) -> Result<i32, String> {
    let link = Arc::new(Link {
        stream,
        writing: Mutex::new(()),
        stdin: Mutex::new(Stdin::Idle),
        stdin_changed: Condvar::new(),
        ahead: Peek::stdin().map(|peek| Mutex::new(Ahead::new(peek))),
    });
    if let Err(error) = first.iter().try_for_each(|frame| link.send(frame)) {
        // The extension may have refused it already and said why: read that first.
        return receive(&link)
            .map_err(|_| format!("cannot send the request to the rw extension ({error})"));
    }
    let interrupting = Arc::clone(&link);
    signals::on_first(Box::new(move || interrupting.send(&Frame::Interrupt)));
    let stdin_link = Arc::clone(&link);
    thread::spawn(move || pump_stdin(&stdin_link));
    let code = receive(&link)?;
    let stdin = link.stdin();
    match &*stdin {
        Stdin::Failed(line) => Err(line.clone()),
        _ => Ok(code),
    }
}

/// The socket, shared by the threads that write frames to it and the one that reads.
struct Link {
    stream: Stream,
    /// Frames from the stdin pump and the signal watcher must not interleave.
    writing: Mutex<()>,
    stdin: Mutex<Stdin>,
    stdin_changed: Condvar,
    /// Our stdin as sent ahead, when it can be looked at without being taken; then the
    /// pump only waits for it, and `Stdin` only says whether a read waits or it failed.
    ahead: Option<Mutex<Ahead>>,
}

/// Where our stdin is: the program's read that the pump is to serve, if any.
enum Stdin {
    Idle,
    /// The program reads, asking for up to this many bytes.
    Wanted(usize),
    /// Reading it failed: this line is crw's last word, and the program was stopped.
    Failed(String),
    /// Its end was sent, or the connection is gone: nothing more is read.
    Done,
}

impl Link {
    fn send(&self, frame: &Frame) -> io::Result<()> {
        let _turn = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        frame.write(&mut &self.stream)
    }

    fn stdin(&self) -> std::sync::MutexGuard<'_, Stdin> {
        self.stdin.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn want(&self, bytes: u32) {
        let mut stdin = self.stdin();
        if matches!(*stdin, Stdin::Idle) {
            *stdin = Stdin::Wanted(bytes as usize);
        }
        self.stdin_changed.notify_one();
    }

    /// Reading stdin failed: `line` is crw's last word, and the program is stopped.
    fn fail(&self, line: String) {
        *self.stdin() = Stdin::Failed(line);
        // The program is stopped; its exit frame ends the run with our line.
        let _ = self.send(&Frame::Interrupt);
    }

    fn ahead(&self) -> Option<std::sync::MutexGuard<'_, Ahead>> {
        let ahead = self.ahead.as_ref()?;
        Some(ahead.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Does what a step of stdin sent ahead says (the `Ahead` still held, so frames go in
    /// order); whether it sent something the program's read can take (bytes, the end).
    fn take_step(&self, step: Step) -> bool {
        match step {
            Step::Send(frame) => {
                // A connection gone is noticed by `receive`.
                let _ = self.send(&frame);
                true
            }
            Step::Wait => false,
            Step::Fail(line) => {
                self.fail(line);
                true
            }
        }
    }

    /// Nothing more is read from stdin (a failure's line is kept).
    fn done(&self) {
        let mut stdin = self.stdin();
        if !matches!(*stdin, Stdin::Failed(_)) {
            *stdin = Stdin::Done;
        }
    }

    /// Blocks until the program reads; the most it asked for.
    fn wanted(&self) -> usize {
        let mut stdin = self.stdin();
        loop {
            if let Stdin::Wanted(bytes) = *stdin {
                *stdin = Stdin::Idle;
                return bytes;
            }
            stdin = self
                .stdin_changed
                .wait(stdin)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Our stdin to the program, one read() per read of the program's and never more than it
/// asked for: what it does not read stays for the next command. At the end of our stdin
/// (Ctrl-D, the end of a pipe or file) every further read of the program's is end of file.
/// This thread serves the reads that would wait; `receive` serves those that need not.
fn pump_stdin(link: &Link) {
    if link.ahead.is_some() {
        return pump_ahead(link);
    }
    let mut buffer = Vec::new();
    while serve_read(link, link.wanted(), &mut buffer) {}
    link.done();
}

/// Our stdin sent ahead: this thread waits for stdin only when the program waits for it
/// and nothing of it is ahead; `receive` sends what is there without waiting.
fn pump_ahead(link: &Link) {
    loop {
        link.wanted();
        loop {
            let waited = stdin::wait();
            let Some(mut ahead) = link.ahead() else {
                return;
            };
            if ahead.over() {
                return;
            }
            if let Err(error) = waited {
                link.take_step(ahead.fail(format!("cannot read stdin ({error})")));
                return;
            }
            // Something is ahead (sent meanwhile) or was just sent: the program's read
            // is served. Otherwise nothing came yet: wait again.
            if ahead.sent() > 0 {
                break;
            }
            let step = ahead.next();
            if link.take_step(step) {
                break;
            }
        }
    }
}

/// One read of at most `wanted` bytes, sent; false once no read may follow (the end of
/// stdin, an error, the connection gone).
fn serve_read(link: &Link, wanted: usize, buffer: &mut Vec<u8>) -> bool {
    let wanted = wanted.min(MAX_PAYLOAD as usize);
    if buffer.len() < wanted {
        buffer.resize(wanted, 0);
    }
    let (frame, more) = match stdin::read(&mut buffer[..wanted]) {
        Ok(0) => (Frame::StdinEnd, false),
        Ok(read) => (Frame::Stdin(buffer[..read].to_vec()), true),
        Err(error) => {
            *link.stdin() = Stdin::Failed(format!("cannot read stdin ({error})"));
            // The program is stopped; its exit frame ends the run with our line.
            (Frame::Interrupt, false)
        }
    };
    link.send(&frame).is_ok() && more
}

/// The program's output to ours until its exit code arrives.
fn receive(link: &Link) -> Result<i32, String> {
    let mut frames = BufReader::with_capacity(256 * 1024, &link.stream);
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    let mut stdin_buffer = Vec::new();
    // Our reader is gone: the program is being stopped, its output dropped.
    let mut unread = false;
    loop {
        let frame = Frame::read(&mut frames)
            .map_err(|e| format!("lost the rw extension ({e})"))?
            .ok_or(
                "the rw extension closed the connection before the program ended; \
                    was its VS Code window closed or reloaded?",
            )?;
        let written = match frame {
            Frame::Stdout(_) if unread => Ok(()),
            Frame::Stdout(bytes) => stdout.write_all(&bytes),
            Frame::Stderr(bytes) => stderr.write_all(&bytes),
            Frame::ReadStdin(bytes) if link.ahead.is_some() => {
                // All that was sent ahead is consumed (its `Consumed` frames came first):
                // send what is there now, or have the pump wait for it.
                if let Some(mut ahead) = link.ahead() {
                    if ahead.sent() == 0 {
                        let step = ahead.next();
                        if !link.take_step(step) {
                            link.want(bytes);
                        }
                    }
                }
                Ok(())
            }
            Frame::Consumed(bytes) if link.ahead.is_some() => {
                if let Some(mut ahead) = link.ahead() {
                    let step = ahead.consumed(bytes as usize);
                    link.take_step(step);
                }
                Ok(())
            }
            Frame::ReadStdin(bytes) => {
                // Data already waiting is read here, a thread's wake-up sooner: the program
                // waits for every read's round trip. A read that would wait goes to the pump,
                // so output is never held up behind stdin.
                if matches!(*link.stdin(), Stdin::Idle) && stdin::ready() {
                    if !serve_read(link, bytes as usize, &mut stdin_buffer) {
                        link.done();
                    }
                } else {
                    link.want(bytes);
                }
                Ok(())
            }
            Frame::Exit(_) if unread => return Ok(EXIT_BROKEN_PIPE),
            Frame::Exit(code) => {
                let _ = stdout.flush();
                return Ok(code);
            }
            Frame::Error { code, line } => {
                let _ = stdout.flush();
                let _ = writeln!(stderr, "{line}");
                return Ok(code);
            }
            other => return Err(format!("the rw extension sent an unexpected {other:?}")),
        };
        // Flush when no further frame is already here: whole bursts go out in one write.
        let written = written.and_then(|()| {
            if frames.buffer().is_empty() && !unread {
                stdout.flush()
            } else {
                Ok(())
            }
        });
        match written {
            Ok(()) => {}
            // With stdin sent ahead, the program is stopped and its last `Consumed` frames
            // awaited, so that stdin loses exactly what it read.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe && link.ahead.is_some() => {
                unread = true;
                let _ = link.send(&Frame::Interrupt);
            }
            // Closing the socket (on return) makes the extension stop the program.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_BROKEN_PIPE),
            Err(e) => return Err(format!("cannot write the program's output ({e})")),
        }
    }
}
