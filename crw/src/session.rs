//! One run: send the hello and the request, then pump stdin to the extension (within the credit it
//! grants) and its stdout/stderr frames to ours until the exit code arrives.

use std::io::{self, BufReader, Read, Write};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread;

use interprocess::local_socket::Stream;

use crate::frame::{Frame, STDIN_WINDOW};

/// What shells report for a program that died of SIGPIPE (128 + 13): `crw … | head` ends
/// quietly once head stops reading.
const EXIT_BROKEN_PIPE: i32 = 141;
/// What shells report for a program stopped by Ctrl-C (128 + SIGINT).
const EXIT_INTERRUPTED: i32 = 130;
/// Largest stdin chunk per frame.
const STDIN_CHUNK: usize = 64 * 1024;

pub fn run(stream: Stream, first: &[Frame]) -> Result<i32, String> {
    let link = Arc::new(Link {
        stream,
        writing: Mutex::new(()),
        credit: Mutex::new(u64::from(STDIN_WINDOW)),
        credit_granted: Condvar::new(),
    });
    if let Err(error) = first.iter().try_for_each(|frame| link.send(frame)) {
        // The extension may have refused it already and said why: read that first.
        return receive(&link)
            .map_err(|_| format!("cannot send the request to the rw extension ({error})"));
    }
    watch_ctrl_c(Arc::clone(&link));
    let stdin_link = Arc::clone(&link);
    thread::spawn(move || pump_stdin(&stdin_link));
    receive(&link)
}

/// The socket, shared by the threads that write frames to it and the one that reads.
struct Link {
    stream: Stream,
    /// Frames from the stdin pump and the Ctrl-C handler must not interleave.
    writing: Mutex<()>,
    /// Stdin bytes the extension is ready to take.
    credit: Mutex<u64>,
    credit_granted: Condvar,
}

impl Link {
    fn send(&self, frame: &Frame) -> io::Result<()> {
        let _turn = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        frame.write(&mut &self.stream)
    }

    /// Blocks until some credit is granted; takes up to `most` of it.
    fn take_credit(&self, most: usize) -> usize {
        let mut credit = self.credit.lock().unwrap_or_else(PoisonError::into_inner);
        while *credit == 0 {
            credit = self
                .credit_granted
                .wait(credit)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let taken = (*credit).min(most as u64);
        *credit -= taken;
        taken as usize
    }

    fn grant(&self, bytes: u32) {
        *self.credit.lock().unwrap_or_else(PoisonError::into_inner) += u64::from(bytes);
        self.credit_granted.notify_one();
    }
}

/// First Ctrl-C asks the extension to stop the program (its exit code, 130, then comes
/// back as usual); a second one gives up waiting.
fn watch_ctrl_c(link: Arc<Link>) {
    let mut pressed = false;
    let installed = ctrlc::set_handler(move || {
        if pressed || link.send(&Frame::Interrupt).is_err() {
            std::process::exit(EXIT_INTERRUPTED);
        }
        pressed = true;
    });
    // Without a handler Ctrl-C kills crw, which closes the socket: the extension then
    // stops the program all the same.
    drop(installed);
}

/// Our stdin to the program. At its end (Ctrl-D, end of a pipe or file) the program's
/// every further read is end-of-file.
fn pump_stdin(link: &Link) {
    let mut stdin = io::stdin().lock();
    let mut buffer = vec![0u8; STDIN_CHUNK];
    loop {
        let allowed = link.take_credit(buffer.len());
        let read = match stdin.read(&mut buffer[..allowed]) {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        if read < allowed {
            link.grant((allowed - read) as u32);
        }
        if link.send(&Frame::Stdin(buffer[..read].to_vec())).is_err() {
            return;
        }
    }
    let _ = link.send(&Frame::StdinEnd);
}

/// The program's output to ours until its exit code arrives.
fn receive(link: &Link) -> Result<i32, String> {
    let mut frames = BufReader::with_capacity(256 * 1024, &link.stream);
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    loop {
        let frame = Frame::read(&mut frames)
            .map_err(|e| format!("lost the rw extension ({e})"))?
            .ok_or(
                "the rw extension closed the connection before the program ended; \
                    was its VS Code window closed or reloaded?",
            )?;
        let written = match frame {
            Frame::Stdout(bytes) => stdout.write_all(&bytes),
            Frame::Stderr(bytes) => stderr.write_all(&bytes),
            Frame::StdinCredit(bytes) => {
                link.grant(bytes);
                Ok(())
            }
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
            if frames.buffer().is_empty() {
                stdout.flush()
            } else {
                Ok(())
            }
        });
        match written {
            Ok(()) => {}
            // Closing the socket (on return) makes the extension stop the program.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_BROKEN_PIPE),
            Err(e) => return Err(format!("cannot write the program's output ({e})")),
        }
    }
}
