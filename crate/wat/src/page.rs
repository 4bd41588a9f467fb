//! The module as text, printed by wasmprinter a page at a time. A page is the text from
//! character `start` on, at most `limit` characters; printing stops there, so the first
//! page of a 16 MB module costs what its first functions cost, not the whole module.

use std::io;

use serde::Serialize;

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WatPage {
    pub text: String,
    /// Whether the text goes on after this page.
    pub more: bool,
    /// Where the next page starts (`start` plus this page's length in bytes).
    pub next: usize,
    /// For each function body that starts on this page: its index among defined functions
    /// and the line of the page it starts on (0-based).
    pub functions: Vec<(u32, u32)>,
}

/// Why the text cannot be printed: the one line the view shows.
pub fn page(bytes: &[u8], start: usize, limit: usize) -> Result<WatPage, String> {
    let bodies = body_offsets(bytes);
    let mut out = Paged {
        start,
        limit,
        seen: 0,
        text: String::new(),
        more: false,
        bodies,
        functions: Vec::new(),
        lines: 0,
    };
    match config().print(bytes, &mut out) {
        Ok(()) => {}
        Err(_) if out.more => {}
        Err(err) => {
            if out.text.is_empty() {
                return Err(format!("{err:#}"));
            }
            out.text
                .push_str(&format!("\n;; rw: the text stops here: {err:#}\n"));
        }
    }
    Ok(WatPage {
        next: start + out.text.len(),
        text: out.text,
        more: out.more,
        functions: out.functions,
    })
}

/// Where the text of defined function `index` starts (the first byte of its line), for a
/// page that opens at it; `None` past the last function, or where the text cannot be printed
/// that far. Printing stops there: a function early in a big module costs little.
pub fn function_start(bytes: &[u8], index: u32) -> Option<usize> {
    let body = *body_offsets(bytes).get(index as usize)?;
    let mut finder = Finder {
        body,
        seen: 0,
        found: None,
    };
    let _ = config().print(bytes, &mut finder);
    finder.found
}

/// How both [`page`] and [`function_start`] print, so that their places agree.
fn config() -> wasmprinter::Config {
    let mut config = wasmprinter::Config::new();
    config.name_unnamed(false);
    config
}

/// Counts what is printed until the line of the function whose body starts at `body`.
struct Finder {
    body: u64,
    seen: usize,
    found: Option<usize>,
}

impl wasmprinter::Print for Finder {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        if self.found.is_some() {
            return Err(io::Error::other("found"));
        }
        self.seen += s.len();
        Ok(())
    }

    fn start_line(&mut self, binary_offset: Option<u64>) {
        if self.found.is_none() && binary_offset == Some(self.body) {
            self.found = Some(self.seen);
        }
    }
}

/// Where each defined function's body starts, in order.
fn body_offsets(bytes: &[u8]) -> Vec<u64> {
    let mut offsets = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload {
            Ok(wasmparser::Payload::CodeSectionEntry(body)) => offsets.push(body.range().start),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    offsets
}

struct Paged {
    start: usize,
    limit: usize,
    /// Characters printed so far (kept or skipped).
    seen: usize,
    text: String,
    more: bool,
    bodies: Vec<u64>,
    functions: Vec<(u32, u32)>,
    lines: u32,
}

impl wasmprinter::Print for Paged {
    fn write_str(&mut self, s: &str) -> io::Result<()> {
        let end = self.seen + s.len();
        if end > self.start {
            let from = self.start.saturating_sub(self.seen);
            let room = self.limit - self.text.len();
            let piece = s.get(from..).unwrap_or("");
            if piece.len() > room {
                let mut cut = room;
                while !piece.is_char_boundary(cut) {
                    cut -= 1;
                }
                self.text.push_str(&piece[..cut]);
                self.more = true;
                return Err(io::Error::other("page full"));
            }
            self.lines += piece.matches('\n').count() as u32;
            self.text.push_str(piece);
        }
        self.seen = end;
        Ok(())
    }

    fn start_line(&mut self, binary_offset: Option<u64>) {
        if let Some(offset) = binary_offset {
            if self.seen >= self.start {
                if let Ok(index) = self.bodies.binary_search(&offset) {
                    self.functions.push((index as u32, self.lines));
                }
            }
        }
    }
}
