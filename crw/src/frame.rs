//! The wire between `crw` and the rw extension (mirrored in extension/src/crw/frames.ts;
//! both sides check tests/fixtures/frames.json).
//!
//! A frame is a type byte, a little-endian u32 payload length, then the payload. Data
//! frames carry raw bytes: no JSON, no base64. The header never changes, and neither does
//! the client's first frame, `Hello` (the version, then the token), so a client and a
//! server of different protocol versions can always tell each other so.

use std::io::{self, Read, Write};

/// Bumped whenever a frame's meaning changes. 2: `Hello` (with the token) comes first.
/// 3: stdin flows only as the program reads (`ReadStdin`); there is no window up front.
/// 4: a client that can look at its stdin without taking from it sends it ahead (`Peek`),
/// and takes from its stdin only what the server says the program consumed (`Consumed`).
pub const PROTOCOL_VERSION: u16 = 4;

/// Largest payload either side sends or accepts; data is cut into chunks below it.
pub const MAX_PAYLOAD: u32 = 1024 * 1024;

/// Largest request: an argument list can be megabytes (Linux takes up to a quarter of the
/// stack limit), so the one frame that carries it may be bigger than a data frame.
pub const MAX_REQUEST: u32 = 64 * 1024 * 1024;

/// The most peeked stdin the server holds for a run: sent, not yet consumed. A client
/// sends ahead no further than this. (crw on Windows never sends ahead.)
#[cfg_attr(windows, allow(dead_code))]
pub const PEEK_WINDOW: u32 = 1024 * 1024;

/// Which of the client's stdin, stdout and stderr are terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Terminals {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    // client → server
    /// The first frame: the client's protocol version and the token from its environment
    /// (`RW_CRW_TOKEN`), which the server checks before it reads anything else.
    Hello {
        version: u16,
        token: String,
    },
    Request {
        version: u16,
        terminals: Terminals,
        cwd: String,
        argv: Vec<String>,
    },
    Stdin(Vec<u8>),
    StdinEnd,
    Interrupt,
    /// The next bytes of the client's stdin, still there: the client looked (tee(2) of a
    /// pipe, pread(2) of a file) without taking them. Sent unasked, in order, while what
    /// was peeked and not yet consumed stays within `PEEK_WINDOW`. The server serves the
    /// program's reads from them and says, for each read, how many it took (`Consumed`).
    Peek(Vec<u8>),
    // server → client
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
    Exit(i32),
    /// The program reads stdin and asks for up to this many bytes: the client does one
    /// read() of at most that many, and answers with one `Stdin` (what it got, however
    /// little) or `StdinEnd`. Only then may the server ask again. So crw never takes from
    /// its stdin what the program did not ask for: the rest stays for the next command.
    ReadStdin(u32),
    /// A read of the program's took this many of the peeked bytes: the client now takes
    /// exactly that many from its stdin, so what the program did not read stays there.
    Consumed(u32),
    /// A one-line refusal from the server itself (version mismatch, untrusted workspace).
    Error {
        code: i32,
        line: String,
    },
}

const REQUEST: u8 = 0x01;
const STDIN: u8 = 0x02;
const STDIN_END: u8 = 0x03;
const INTERRUPT: u8 = 0x04;
const HELLO: u8 = 0x05;
const PEEK: u8 = 0x06;
const STDOUT: u8 = 0x81;
const STDERR: u8 = 0x82;
const EXIT: u8 = 0x83;
const READ_STDIN: u8 = 0x84;
const ERROR: u8 = 0x85;
const CONSUMED: u8 = 0x86;

impl Frame {
    pub fn encode(&self) -> Vec<u8> {
        let (kind, payload) = match self {
            Frame::Hello { version, token } => {
                let mut p = version.to_le_bytes().to_vec();
                put_str(&mut p, token);
                (HELLO, p)
            }
            Frame::Request {
                version,
                terminals,
                cwd,
                argv,
            } => {
                let mut p = version.to_le_bytes().to_vec();
                p.push(
                    u8::from(terminals.stdin)
                        | u8::from(terminals.stdout) << 1
                        | u8::from(terminals.stderr) << 2,
                );
                put_str(&mut p, cwd);
                p.extend_from_slice(&(argv.len() as u32).to_le_bytes());
                for arg in argv {
                    put_str(&mut p, arg);
                }
                (REQUEST, p)
            }
            Frame::Stdin(bytes) => (STDIN, bytes.clone()),
            Frame::StdinEnd => (STDIN_END, Vec::new()),
            Frame::Interrupt => (INTERRUPT, Vec::new()),
            Frame::Peek(bytes) => (PEEK, bytes.clone()),
            Frame::Stdout(bytes) => (STDOUT, bytes.clone()),
            Frame::Stderr(bytes) => (STDERR, bytes.clone()),
            Frame::Exit(code) => (EXIT, code.to_le_bytes().to_vec()),
            Frame::ReadStdin(bytes) => (READ_STDIN, bytes.to_le_bytes().to_vec()),
            Frame::Consumed(bytes) => (CONSUMED, bytes.to_le_bytes().to_vec()),
            Frame::Error { code, line } => {
                let mut p = code.to_le_bytes().to_vec();
                p.extend_from_slice(line.as_bytes());
                (ERROR, p)
            }
        };
        let mut frame = Vec::with_capacity(5 + payload.len());
        frame.push(kind);
        frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        frame.extend_from_slice(&payload);
        frame
    }

    /// The next frame, or `None` at a clean end of stream (between frames).
    pub fn read(from: &mut impl Read) -> io::Result<Option<Frame>> {
        let mut header = [0u8; 5];
        match from.read_exact(&mut header[..1]) {
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            other => other?,
        }
        from.read_exact(&mut header[1..])?;
        let length = u32::from_le_bytes([header[1], header[2], header[3], header[4]]);
        let limit = if header[0] == REQUEST {
            MAX_REQUEST
        } else {
            MAX_PAYLOAD
        };
        if length > limit {
            return Err(invalid(format!("a frame of {length} bytes")));
        }
        let mut payload = vec![0u8; length as usize];
        from.read_exact(&mut payload)?;
        Frame::decode(header[0], payload).map(Some)
    }

    fn decode(kind: u8, payload: Vec<u8>) -> io::Result<Frame> {
        let mut p = Payload(&payload);
        let frame = match kind {
            HELLO => {
                let version = u16::from_le_bytes(p.take::<2>()?);
                let token = p.string()?;
                Frame::Hello { version, token }
            }
            REQUEST => {
                let version = u16::from_le_bytes(p.take::<2>()?);
                let [flags] = p.take::<1>()?;
                let terminals = Terminals {
                    stdin: flags & 1 != 0,
                    stdout: flags & 2 != 0,
                    stderr: flags & 4 != 0,
                };
                let cwd = p.string()?;
                let argc = u32::from_le_bytes(p.take::<4>()?);
                let argv = (0..argc).map(|_| p.string()).collect::<io::Result<_>>()?;
                Frame::Request {
                    version,
                    terminals,
                    cwd,
                    argv,
                }
            }
            STDIN => Frame::Stdin(payload),
            STDIN_END => Frame::StdinEnd,
            INTERRUPT => Frame::Interrupt,
            PEEK => Frame::Peek(payload),
            STDOUT => Frame::Stdout(payload),
            STDERR => Frame::Stderr(payload),
            EXIT => Frame::Exit(i32::from_le_bytes(p.take::<4>()?)),
            READ_STDIN => Frame::ReadStdin(u32::from_le_bytes(p.take::<4>()?)),
            CONSUMED => Frame::Consumed(u32::from_le_bytes(p.take::<4>()?)),
            ERROR => {
                let code = i32::from_le_bytes(p.take::<4>()?);
                let line = String::from_utf8_lossy(p.0).into_owned();
                Frame::Error { code, line }
            }
            other => return Err(invalid(format!("unknown frame type {other:#04x}"))),
        };
        Ok(frame)
    }

    pub fn write(&self, to: &mut impl Write) -> io::Result<()> {
        to.write_all(&self.encode())?;
        to.flush()
    }
}

fn put_str(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
}

struct Payload<'a>(&'a [u8]);

impl Payload<'_> {
    fn take<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or_else(|| invalid("a truncated frame".to_owned()))?;
        self.0 = rest;
        Ok(*head)
    }

    fn string(&mut self) -> io::Result<String> {
        let length = u32::from_le_bytes(self.take::<4>()?) as usize;
        if length > self.0.len() {
            return Err(invalid("a truncated string".to_owned()));
        }
        let (text, rest) = self.0.split_at(length);
        self.0 = rest;
        String::from_utf8(text.to_vec())
            .map_err(|_| invalid("a string that is not UTF-8".to_owned()))
    }
}

fn invalid(what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the rw extension sent {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The shared vectors' JSON description of a frame, as our type.
    fn from_json(v: &Value) -> Frame {
        let text = |key: &str| v[key].as_str().unwrap().to_owned();
        let code = || v["code"].as_i64().unwrap() as i32;
        match v["type"].as_str().unwrap() {
            "hello" => Frame::Hello {
                version: v["version"].as_u64().unwrap() as u16,
                token: text("token"),
            },
            "request" => Frame::Request {
                version: v["version"].as_u64().unwrap() as u16,
                terminals: Terminals {
                    stdin: v["terminals"]["stdin"].as_bool().unwrap(),
                    stdout: v["terminals"]["stdout"].as_bool().unwrap(),
                    stderr: v["terminals"]["stderr"].as_bool().unwrap(),
                },
                cwd: text("cwd"),
                argv: v["argv"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_owned())
                    .collect(),
            },
            "stdin" => Frame::Stdin(hex(&text("data"))),
            "stdinEnd" => Frame::StdinEnd,
            "interrupt" => Frame::Interrupt,
            "peek" => Frame::Peek(hex(&text("data"))),
            "stdout" => Frame::Stdout(hex(&text("data"))),
            "stderr" => Frame::Stderr(hex(&text("data"))),
            "exit" => Frame::Exit(code()),
            "readStdin" => Frame::ReadStdin(v["bytes"].as_u64().unwrap() as u32),
            "consumed" => Frame::Consumed(v["bytes"].as_u64().unwrap() as u32),
            "error" => Frame::Error {
                code: code(),
                line: text("line"),
            },
            other => panic!("unknown frame type {other} in frames.json"),
        }
    }

    fn vectors() -> Vec<(Frame, Vec<u8>)> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/frames.json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        doc["frames"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (from_json(&v["frame"]), hex(v["hex"].as_str().unwrap())))
            .collect()
    }

    #[test]
    fn encodes_and_decodes_the_shared_vectors_byte_for_byte() {
        let vectors = vectors();
        assert!(vectors.len() >= 10);
        for (frame, bytes) in vectors {
            assert_eq!(frame.encode(), bytes, "{frame:?}");
            assert_eq!(Frame::read(&mut bytes.as_slice()).unwrap(), Some(frame));
        }
    }

    #[test]
    fn a_request_may_carry_megabytes_of_arguments() {
        let request = Frame::Request {
            version: PROTOCOL_VERSION,
            terminals: Terminals::default(),
            cwd: "/".to_owned(),
            argv: vec!["x".repeat(1000); 3000],
        };
        let bytes = request.encode();
        assert!(bytes.len() > MAX_PAYLOAD as usize);
        assert_eq!(Frame::read(&mut bytes.as_slice()).unwrap(), Some(request));
    }

    #[test]
    fn a_stream_of_frames_reads_back_in_order_and_ends_cleanly() {
        let frames = [
            Frame::Stdout(b"a".to_vec()),
            Frame::ReadStdin(9),
            Frame::Exit(3),
        ];
        let bytes: Vec<u8> = frames.iter().flat_map(Frame::encode).collect();
        let mut reader = bytes.as_slice();
        for frame in frames {
            assert_eq!(Frame::read(&mut reader).unwrap(), Some(frame));
        }
        assert_eq!(Frame::read(&mut reader).unwrap(), None);
    }

    #[test]
    fn truncated_oversized_and_unknown_frames_are_errors_not_panics() {
        let exit = Frame::Exit(1).encode();
        for cut in 1..exit.len() {
            assert!(Frame::read(&mut &exit[..cut]).is_err(), "cut at {cut}");
        }
        let mut huge = vec![STDOUT];
        huge.extend_from_slice(&(MAX_PAYLOAD + 1).to_le_bytes());
        assert!(Frame::read(&mut huge.as_slice()).is_err());
        let mut huge_request = vec![REQUEST];
        huge_request.extend_from_slice(&(MAX_REQUEST + 1).to_le_bytes());
        assert!(Frame::read(&mut huge_request.as_slice()).is_err());
        assert!(Frame::read(&mut [0x7f, 0, 0, 0, 0].as_slice()).is_err());
        // A request whose string claims more bytes than the frame holds.
        let mut lying = vec![REQUEST, 11, 0, 0, 0, 1, 0, 0, 200, 0, 0, 0];
        lying.extend_from_slice(b"abcd");
        assert!(Frame::read(&mut lying.as_slice()).is_err());
    }
}
