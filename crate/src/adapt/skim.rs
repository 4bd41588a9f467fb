//! A fast path for [`super::code::Scanner`]: finds the sites of code by the lengths
//! of its instructions alone, for the instructions compilers emit for WASI programs
//! (MVP, sign extension, saturating conversions, bulk memory, threads' atomics).
//!
//! Why: wasmparser decodes every instruction into its immediates and calls a visitor
//! method for it; the shipped core does that at some 150 MB/s under Node, while V8
//! compiles lazily at about 1 GB/s, and the trap rewrite must read every body.
//! Skimming only steps over immediates, about five times as fast.
//!
//! What bounds it is the processor mispredicting which kind of instruction comes next
//! (about 3 ns an instruction in the core under Node, 17 ms for ruby.wasm's 5.7
//! million). Measured slower, so not done: a branch-free step through a table of
//! lengths by opcode (each step then waits on the last one's table lookup), the same
//! by opcode and next byte (64 KiB, out of the first-level cache), two bodies
//! skimmed in turn, and more kinds of instruction in the first table.
//!
//! Anything else (SIMD, exceptions, GC, typed `select`, `ref.null`, an opcode no
//! proposal has, code that does not end where its outermost block does) makes
//! [`sites`] give up, and the scanner decodes that body with wasmparser, which knows
//! every instruction and says what is wrong with malformed code. So on code it
//! accepts, skimming must find exactly what wasmparser finds (a test compares them).

use super::code::{Kind, Site, Wanted};
use super::trap_sites::Site as Found;

/// Appends the sites of `code` (a body's operators, or a constant expression, up to
/// the `end` that closes it at its last byte) to `sites`, with offsets from `offset`,
/// the module offset of `code[0]`; only those `wanted`. `None`: not skimmable, and
/// `sites` holds junk.
pub fn sites(code: &[u8], offset: usize, wanted: &Wanted, sites: &mut Vec<Site>) -> Option<()> {
    skim::<false>(code, |start, end, found| {
        let (kind, index) = match found {
            Found::Unreachable if wanted.unreachable => (Kind::Unreachable, 0),
            Found::Call { function, tail } if wanted.function(function) => match tail {
                false => (Kind::Call, function),
                true => (Kind::ReturnCall, function),
            },
            Found::RefFunc { function } if wanted.function(function) => (Kind::RefFunc, function),
            _ => return,
        };
        sites.push(site(offset, start, end, kind, index));
    })
}

/// Calls `on(start, end, site)` for each instruction the trap instrumentation writes
/// around (`trap_sites.rs` says which), `start..end` in `code`. `None`: not skimmable.
pub fn trap_sites(code: &[u8], on: impl FnMut(usize, usize, Found)) -> Option<()> {
    skim::<true>(code, on)
}

/// Steps over `code`'s instructions by their lengths, calling `on` at those that name
/// a function, `unreachable`, and, with `TRAPS`, the others the trap instrumentation
/// wants (with their own table of immediates, so that without it nothing is slower).
#[inline(always)]
fn skim<const TRAPS: bool>(code: &[u8], mut on: impl FnMut(usize, usize, Found)) -> Option<()> {
    let mut r = Reader { code, at: 0 };
    let mut depth = 1u32;
    let table = if TRAPS { &TRAP_IMMEDIATES } else { &IMMEDIATES };
    loop {
        let start = r.at;
        let op = r.byte()?;
        // Most instructions have no immediate or one LEB128: a table lookup and no
        // branch on the opcode itself.
        match table[usize::from(op)] {
            NONE => continue,
            LEB => {
                r.leb()?;
                continue;
            }
            _ => {}
        }
        match op {
            // unreachable
            0x00 => on(start, r.at, Found::Unreachable),
            // loop
            0x03 => {
                r.block_type()?;
                depth += 1;
                on(start, r.at, Found::Loop);
            }
            // block, if
            0x02 | 0x04 => {
                r.block_type()?;
                depth += 1;
                if TRAPS {
                    on(
                        start,
                        r.at,
                        if op == 0x02 { Found::Block } else { Found::If },
                    );
                }
            }
            // end
            0x0b => {
                depth -= 1;
                if TRAPS {
                    on(start, r.at, Found::End);
                }
                if depth == 0 {
                    return (r.at == code.len()).then_some(());
                }
            }
            // br_table: the count, then that many labels and the default
            0x0e => {
                let labels = r.u32()?;
                for _ in 0..=labels {
                    r.leb()?;
                }
                if TRAPS {
                    on(start, r.at, Found::BrTable);
                }
            }
            // Only with TRAPS (else no immediate or a LEB in the table): else, br,
            // br_if, return, table.get.
            0x05 => on(start, r.at, Found::Else),
            0x0c | 0x0d => {
                let depth = r.u32()?;
                let found = match op {
                    0x0c => Found::Br { depth },
                    _ => Found::BrIf { depth },
                };
                on(start, r.at, found);
            }
            0x0f => on(start, r.at, Found::Stop),
            0x25 => {
                r.leb()?;
                on(start, r.at, Found::Access);
            }
            // call, return_call, ref.func
            0x10 | 0x12 | 0xd2 => {
                let function = r.u32()?;
                let found = match op {
                    0x10 => Found::Call {
                        function,
                        tail: false,
                    },
                    0x12 => Found::Call {
                        function,
                        tail: true,
                    },
                    _ => Found::RefFunc { function },
                };
                on(start, r.at, found);
            }
            // call_indirect, return_call_indirect: type and table
            0x11 | 0x13 => {
                let ty = r.u32()?;
                let table = r.u32()?;
                on(start, r.at, Found::CallIndirect { ty, table });
            }
            // table.set (only with TRAPS: else a LEB in the table)
            0x26 => {
                let table = r.u32()?;
                on(start, r.at, Found::TableChange { table });
            }
            // loads and stores
            0x28..=0x3e => {
                r.memarg()?;
                if TRAPS {
                    on(start, r.at, Found::Access);
                }
            }
            // f32.const, f64.const
            0x43 => r.skip(4)?,
            0x44 => r.skip(8)?,
            0xfc => match r.u32()? {
                // saturating truncations
                0..=7 => {}
                // memory.init, memory.copy
                8 | 10 => {
                    r.leb()?;
                    r.leb()?;
                    if TRAPS {
                        on(start, r.at, Found::Access);
                    }
                }
                // memory.fill
                11 => {
                    r.leb()?;
                    if TRAPS {
                        on(start, r.at, Found::Access);
                    }
                }
                // table.init (element, table)
                12 => {
                    r.leb()?;
                    let table = r.u32()?;
                    on(start, r.at, Found::TableChange { table });
                }
                // table.copy (to, from)
                14 => {
                    let table = r.u32()?;
                    r.leb()?;
                    on(start, r.at, Found::TableChange { table });
                }
                // data.drop, elem.drop, table.size
                9 | 13 | 16 => r.leb()?,
                // table.grow, table.fill
                15 | 17 => {
                    let table = r.u32()?;
                    on(start, r.at, Found::TableChange { table });
                }
                _ => return None,
            },
            0xfe => match r.u32()? {
                // memory.atomic.wait32/wait64
                sub @ (1 | 2) => {
                    let (memory0, offset) = r.memarg_offset()?;
                    let wide = sub == 2;
                    on(
                        start,
                        r.at,
                        Found::AtomicWait {
                            wide,
                            offset,
                            memory0,
                        },
                    );
                }
                // memory.atomic.notify; atomic loads, stores, rmw
                0 | 0x10..=0x4e => {
                    r.memarg()?;
                    if TRAPS {
                        on(start, r.at, Found::Access);
                    }
                }
                // atomic.fence, sequentially consistent
                3 => {
                    if r.byte()? != 0 {
                        return None;
                    }
                }
                _ => return None,
            },
            // A division or truncation (only with TRAPS: else no immediate in the table).
            _ if TRAPS => match checked(op) {
                Some(c) => on(start, r.at, Found::Checked(c)),
                None => return None,
            },
            _ => return None,
        }
    }
}

/// Immediates of an opcode: none, one LEB128, or see [`sites`].
const NONE: u8 = 0;
const LEB: u8 = 1;
const OTHER: u8 = 2;

static IMMEDIATES: [u8; 256] = immediates();

/// [`IMMEDIATES`], but the instructions the trap instrumentation checks or watches
/// (division, truncation, `table.set`) or follows (control, `table.get`) go to the
/// `match` of [`skim`].
static TRAP_IMMEDIATES: [u8; 256] = {
    let mut table = immediates();
    let mut op = 0;
    while op < 256 {
        // (else, br, br_if, return, table.get and table.set, for the watch word's flow.)
        if checked(op as u8).is_some() || matches!(op, 0x05 | 0x0c | 0x0d | 0x0f | 0x25 | 0x26) {
            table[op] = OTHER;
        }
        op += 1;
    }
    table
};

use super::trap_sites::checked_op as checked;

const fn immediates() -> [u8; 256] {
    let mut table = [OTHER; 256];
    let mut op = 0;
    while op < 256 {
        table[op] = match op as u8 {
            // nop, else, return, drop, select; numeric instructions, sign extension;
            // ref.is_null
            0x01 | 0x05 | 0x0f | 0x1a | 0x1b | 0x45..=0xc4 | 0xd1 => NONE,
            // br, br_if; local.get/set/tee, global.get/set, table.get/set;
            // memory.size/grow (a memory index); i32.const, i64.const
            0x0c | 0x0d | 0x20..=0x26 | 0x3f..=0x42 => LEB,
            _ => OTHER,
        };
        op += 1;
    }
    table
}

fn site(offset: usize, start: usize, end: usize, kind: Kind, index: u32) -> Site {
    Site {
        start: offset + start,
        end: offset + end,
        kind,
        index,
    }
}

struct Reader<'a> {
    code: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    #[inline(always)]
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.code.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn skip(&mut self, bytes: usize) -> Option<()> {
        self.at += bytes;
        (self.at <= self.code.len()).then_some(())
    }

    /// Steps over a LEB128 (its length is not checked: only malformed code has one
    /// too long, and the engine will refuse that).
    #[inline(always)]
    fn leb(&mut self) -> Option<()> {
        while self.byte()? & 0x80 != 0 {}
        Some(())
    }

    /// A LEB128 u32, refused (as wasmparser refuses it) when it does not fit.
    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        let byte = self.byte()?;
        if byte & 0x80 == 0 {
            return Some(u32::from(byte));
        }
        self.u32_rest(byte)
    }

    /// The rest of a LEB128 u32 of two bytes or more, after its first `byte`.
    fn u32_rest(&mut self, byte: u8) -> Option<u32> {
        let mut value = u32::from(byte & 0x7f);
        for shift in [7, 14, 21, 28] {
            let byte = self.byte()?;
            if shift == 28 && byte >> 4 != 0 {
                return None;
            }
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A block type: empty, a number type, `funcref`, `externref` (one byte each), or
    /// a function type index (a non-negative s33).
    fn block_type(&mut self) -> Option<()> {
        match self.byte()? {
            0x40 | 0x7b..=0x7f | 0x70 | 0x6f => Some(()),
            byte if byte & 0xc0 == 0 => Some(()),
            byte if byte & 0x80 != 0 => {
                // Four more bytes at most; the last one's sign bit must be clear.
                for _ in 0..4 {
                    let byte = self.byte()?;
                    if byte & 0x80 == 0 {
                        return (byte & 0x40 == 0).then_some(());
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// A memory argument: whether it is memory 0's, and its offset.
    fn memarg_offset(&mut self) -> Option<(bool, u64)> {
        let flags = self.u32()?;
        let mut memory0 = true;
        if flags & !0x0f != 0 {
            if flags & !0x4f != 0 {
                return None;
            }
            memory0 = self.u32()? == 0;
        }
        Some((memory0, self.u64()?))
    }

    /// A LEB128 u64, refused when it does not fit.
    fn u64(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            if shift == 63 && byte >> 1 != 0 {
                return None;
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    /// A memory argument: alignment, with bit 6 a memory index after it (other flag
    /// bits are for proposals skimming leaves to wasmparser), then the offset (64-bit
    /// with memory64).
    #[inline(always)]
    fn memarg(&mut self) -> Option<()> {
        let flags = self.u32()?;
        if flags & !0x0f != 0 {
            if flags & !0x4f != 0 {
                return None;
            }
            self.leb()?;
        }
        self.leb()
    }
}
