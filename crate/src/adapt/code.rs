//! Finding the instructions that name a function in a function body, fast.
//!
//! When the function index space moves, every `call`, `return_call` and `ref.func`
//! must be rewritten, and code is most of a module. wasmparser's `OperatorsReader`
//! decodes every operator into an enum and tracks control frames: about 160 MB/s,
//! slower than V8 compiles the same module. This scanner only steps over immediates
//! (several times faster), and knows the instruction set rw's programs use: the core
//! set, sign extension, saturating truncation, bulk memory, reference types, tail
//! calls, SIMD (with relaxed SIMD), threads' atomics and exception handling.
//!
//! Anything else (GC, stack switching, a future prefix) makes it give up, and the
//! adaptation fails with a one-line reason rather than guess. So does code that does
//! not end with the `end` closing its outermost block exactly at its last byte, which
//! catches a scanner that lost its way. (Falling back to wasmparser's decoder instead
//! would add some 30 KB to the shipped core, for modules rw has not met.)

/// One instruction that names a function: its opcode, the index, and where it is in
/// the body (`start..end` covers opcode and index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    pub start: usize,
    pub end: usize,
    pub opcode: u8,
    pub index: u32,
}

pub const CALL: u8 = 0x10;
pub const RETURN_CALL: u8 = 0x12;
pub const REF_FUNC: u8 = 0xd2;

/// Appends the sites of `code` (a body's operators after its locals, or a constant
/// expression, with its final `end`) to `sites`;
/// `None` when the scanner does not know an instruction or the body is malformed.
pub fn scan(code: &[u8], sites: &mut Vec<Site>) -> Option<()> {
    let mut c = Cursor { bytes: code, at: 0 };
    // The body is a block of its own, closed by its last `end`.
    let mut depth: u32 = 1;
    while c.at < code.len() {
        let start = c.at;
        let opcode = c.byte()?;
        match opcode {
            // No immediates: unreachable, nop, else, throw_ref, return, drop, select,
            // catch_all, the numeric instructions, ref.is_null, ref.as_non_null, ref.eq.
            0x00
            | 0x01
            | 0x05
            | 0x0a
            | 0x0f
            | 0x1a
            | 0x1b
            | 0x19
            | 0x45..=0xc4
            | 0xd1
            | 0xd3
            | 0xd5 => {}
            // block, loop, if, try
            0x02..=0x04 | 0x06 => {
                c.block_type()?;
                depth += 1;
            }
            // try_table: a block type and catch clauses
            0x1f => {
                c.block_type()?;
                for _ in 0..c.u32()? {
                    match c.byte()? {
                        0 | 1 => {
                            c.leb()?;
                            c.leb()?;
                        }
                        2 | 3 => c.leb()?,
                        _ => return None,
                    }
                }
                depth += 1;
            }
            0x0b => {
                depth -= 1;
                if depth == 0 {
                    return (c.at == code.len()).then_some(());
                }
            }
            // delegate: a label, and it closes its try
            0x18 => {
                c.leb()?;
                depth = depth.checked_sub(1).filter(|d| *d > 0)?;
            }
            // One index: catch, throw, rethrow, br, br_if, call_ref, return_call_ref,
            // local.*, global.*, table.get/set, br_on_null, br_on_non_null,
            // memory.size/grow, i32.const, i64.const (LEBs all).
            0x07..=0x09
            | 0x0c
            | 0x0d
            | 0x14
            | 0x15
            | 0x20..=0x26
            | 0xd4
            | 0xd6
            | 0x3f
            | 0x40
            | 0x41
            | 0x42 => c.leb()?,
            0x0e => {
                // br_table: the labels and the default
                for _ in 0..=c.u32()? {
                    c.leb()?;
                }
            }
            CALL | RETURN_CALL | REF_FUNC => {
                let index = c.u32()?;
                sites.push(Site {
                    start,
                    end: c.at,
                    opcode,
                    index,
                });
            }
            // call_indirect, return_call_indirect: type and table
            0x11 | 0x13 => {
                c.leb()?;
                c.leb()?;
            }
            // select with types
            0x1c => {
                for _ in 0..c.u32()? {
                    c.val_type()?;
                }
            }
            0x28..=0x3e => c.mem_arg()?,
            0x43 => c.skip(4)?,
            0x44 => c.skip(8)?,
            // ref.null
            0xd0 => c.heap_type()?,
            0xfc => match c.u32()? {
                // saturating truncation
                0..=7 => {}
                // memory.init, memory.copy, table.init, table.copy: two indices
                8 | 10 | 12 | 14 => {
                    c.leb()?;
                    c.leb()?;
                }
                // data.drop, memory.fill, elem.drop, table.grow/size/fill
                9 | 11 | 13 | 15..=17 => c.leb()?,
                _ => return None,
            },
            0xfd => match c.u32()? {
                // loads and stores, load zero
                0..=11 | 92 | 93 => c.mem_arg()?,
                // v128.const, i8x16.shuffle
                12 | 13 => c.skip(16)?,
                // extract and replace lane
                21..=34 => c.skip(1)?,
                // load and store lane
                84..=91 => {
                    c.mem_arg()?;
                    c.skip(1)?;
                }
                // the rest of SIMD and relaxed SIMD: no immediates
                14..=20 | 35..=83 | 94..=0x113 => {}
                _ => return None,
            },
            0xfe => match c.u32()? {
                // notify, wait32, wait64, and the atomic loads, stores and RMW
                0..=2 | 0x10..=0x4e => c.mem_arg()?,
                // atomic.fence: a zero byte
                3 => c.skip(1)?,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    #[inline(always)]
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    #[inline(always)]
    fn skip(&mut self, n: usize) -> Option<()> {
        self.at = self
            .at
            .checked_add(n)
            .filter(|at| *at <= self.bytes.len())?;
        Some(())
    }

    /// Steps over a LEB128 number of any size.
    #[inline(always)]
    fn leb(&mut self) -> Option<()> {
        while self.byte()? & 0x80 != 0 {}
        Some(())
    }

    #[inline(always)]
    fn u32(&mut self) -> Option<u32> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return u32::try_from(value).ok();
            }
        }
        None
    }

    /// Alignment (with bit 6 meaning a memory index follows), then the offset.
    #[inline(always)]
    fn mem_arg(&mut self) -> Option<()> {
        if self.u32()? & 0x40 != 0 {
            self.leb()?;
        }
        self.leb()
    }

    /// 0x40 (no result), a value type, or a type index (a non-negative s33).
    fn block_type(&mut self) -> Option<()> {
        match self.peek()? {
            0x40 => self.skip(1),
            byte if byte & 0xc0 == 0x40 => self.val_type(),
            _ => self.leb(),
        }
    }

    fn val_type(&mut self) -> Option<()> {
        match self.byte()? {
            0x7b..=0x7f => Some(()),
            // (ref null ht), (ref ht)
            0x63 | 0x64 => self.heap_type(),
            byte if is_abstract_heap_type(byte) => Some(()),
            _ => None,
        }
    }

    /// An abstract heap type's byte, or a type index.
    fn heap_type(&mut self) -> Option<()> {
        let byte = self.peek()?;
        if byte & 0xc0 == 0x40 {
            // A one-byte negative s33: only the abstract heap types are known.
            is_abstract_heap_type(byte).then_some(())?;
            self.skip(1)
        } else {
            self.leb()
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }
}

/// exn, array, struct, i31, eq, any, extern, func, none, noextern, nofunc, noexn.
fn is_abstract_heap_type(byte: u8) -> bool {
    (0x69..=0x74).contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{Operator, OperatorsReader, Parser, Payload};

    /// The sites wasmparser finds in each body, and ours (`None`: fell back).
    fn both(bytes: &[u8]) -> Vec<(Vec<Site>, Option<Vec<Site>>)> {
        let mut result = Vec::new();
        for payload in Parser::new(0).parse_all(bytes) {
            let Payload::CodeSectionEntry(body) = payload.unwrap() else {
                continue;
            };
            let reader = body.get_binary_reader_for_operators().unwrap();
            let start = reader.original_position() as usize;
            let end = body.range().end as usize;
            let mut ops = OperatorsReader::new(reader);
            let mut theirs = Vec::new();
            while !ops.eof() {
                let at = ops.original_position() as usize - start;
                let (opcode, index) = match ops.read().unwrap() {
                    Operator::Call { function_index } => (CALL, function_index),
                    Operator::ReturnCall { function_index } => (RETURN_CALL, function_index),
                    Operator::RefFunc { function_index } => (REF_FUNC, function_index),
                    _ => continue,
                };
                theirs.push(Site {
                    start: at,
                    end: ops.original_position() as usize - start,
                    opcode,
                    index,
                });
            }
            let mut ours = Vec::new();
            let ours = scan(&bytes[start..end], &mut ours).map(|()| ours);
            result.push((theirs, ours));
        }
        result
    }

    #[test]
    fn finds_what_wasmparser_finds_in_every_feature_rw_programs_use() {
        let bytes = wat::parse_str(
            r#"(module
              (type $t (func (param i32) (result i32)))
              (import "env" "f" (func $f (param i32) (result i32)))
              (memory 1 1 shared)
              (table 2 funcref)
              (tag $e (param i32))
              (elem declare func $g)
              (data "x")
              (func $g (param i32) (result i32)
                (block $b (result i32)
                  (loop $l
                    (br_if $l (i32.eqz (call $f (local.get 0))))
                    (br_table $l $l $l (i32.const 300)))
                  (i32.const -1000000))
                (if (result i32) (i32.const 1)
                  (then (call $f (i32.const 2)))
                  (else (call_indirect (type $t) (i32.const 3) (i32.const 1))))
                drop
                (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))
                (drop (ref.func $g))
                (drop (ref.null func))
                (drop (i64.const -1))
                (drop (f32.const 1.5))
                (drop (f64.const 2.5))
                (drop (i32.load offset=70000 align=2 (i32.const 0)))
                (i64.store8 (i32.const 0) (i64.const 1))
                (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))
                (data.drop 0)
                (memory.copy (i32.const 0) (i32.const 1) (i32.const 1))
                (memory.fill (i32.const 0) (i32.const 1) (i32.const 1))
                (drop (memory.grow (i32.const 0)))
                (drop (i32.trunc_sat_f32_s (f32.const 1)))
                (drop (i32.extend8_s (i32.const 1)))
                (drop (i32x4.extract_lane 3 (v128.const i32x4 1 2 3 4)))
                (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
                  (v128.load offset=16 (i32.const 0)) (v128.load8_splat (i32.const 0))))
                (drop (v128.load32_lane 1 (i32.const 0) (v128.const i64x2 0 0)))
                (drop (i32x4.relaxed_trunc_f32x4_s (v128.const f32x4 0 0 0 0)))
                (drop (i32.atomic.rmw.add offset=8 (i32.const 0) (i32.const 1)))
                (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
                (atomic.fence)
                (try_table (catch $e 0) (catch_all 0) (call $f (i32.const 9)) drop)
                (return_call $g (i32.const 4)))
              (func $h (result funcref) (ref.func $g)))"#,
        )
        .unwrap();
        let bodies = both(&bytes);
        assert_eq!(bodies.len(), 2);
        for (theirs, ours) in bodies {
            assert!(!theirs.is_empty());
            assert_eq!(Some(theirs), ours);
        }
    }

    #[test]
    fn finds_what_wasmparser_finds_in_our_programs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            panic!("{}: run scripts/build-fixtures.sh", dir.display());
        };
        let mut scanned = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if wasmparser::Parser::is_component(&bytes) {
                continue;
            }
            for (theirs, ours) in both(&bytes) {
                assert_eq!(Some(theirs), ours, "{}", path.display());
                scanned += 1;
            }
        }
        assert!(scanned > 1000, "only {scanned} bodies: build the fixtures");
    }

    #[test]
    fn gives_up_on_what_it_does_not_know() {
        // GC's struct.new (0xfb 0x00).
        assert_eq!(scan(&[0xfb, 0x00, 0x00, 0x0b], &mut Vec::new()), None);
        // A body that ends early or late.
        assert_eq!(scan(&[0x10, 0x00], &mut Vec::new()), None);
        assert_eq!(scan(&[0x0b, 0x01], &mut Vec::new()), None);
        assert_eq!(scan(&[0x0b], &mut Vec::new()), Some(()));
    }
}
