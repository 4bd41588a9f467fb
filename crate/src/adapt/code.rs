//! Finding the instructions that name a function in code: `call`, `return_call` and
//! `ref.func`, the only ones with a function index.
//!
//! Code is first skimmed (`skim.rs`): instruction lengths only, for the instructions
//! compilers emit for WASI programs, about five times as fast as decoding. Code
//! skimming gives up on is decoded by wasmparser, every instruction set it knows (SIMD
//! and relaxed SIMD with its `simd` feature, and all the rest: threads, exceptions,
//! tail calls, GC…); code it cannot decode is not rewritten, and the adaptation fails.
//!
//! wasmparser decodes through a visitor (`trap_sites.rs`, which the trap instrumentation
//! shares) that ignores all but a few, rather than `OperatorsReader::read`, which builds
//! an `Operator` for each instruction.
//! Measured on a 16 MB module where every function calls a replaced import, the
//! visitor is faster (natively 96 ms instead of 154 ms; 255 ms instead of 395 ms in
//! the release wasm32 core under Node), and that core is 150 KB smaller with it (the
//! adapter costs 33 KB more than with the hand-written scanner this replaced,
//! instead of 182 KB).

use wasm_encoder::InstructionSink;

use super::skim;
use super::trap_sites::{self, Finder};
use wasmparser::{BinaryReader, BinaryReaderError, OperatorsReader, OperatorsReaderAllocations};

/// One instruction that names a function, and where it is in the module
/// (`start..end` covers opcode and index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Site {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub index: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Call,
    ReturnCall,
    RefFunc,
    /// Only from [`Scanner::with_unreachable`] (the trap rewrite); its index is 0.
    Unreachable,
}

impl Kind {
    /// Appends this instruction, naming function `index`, to `out`.
    pub fn encode(self, index: u32, out: &mut Vec<u8>) {
        let mut sink = InstructionSink::new(out);
        match self {
            Kind::Call => sink.call(index),
            Kind::ReturnCall => sink.return_call(index),
            Kind::RefFunc => sink.ref_func(index),
            Kind::Unreachable => sink.unreachable(),
        };
    }
}

/// Which sites a rewrite wants: `unreachable` or not, and the instructions naming
/// which functions. Most calls name a function no rewrite touches; not noting them
/// saves a tenth of the trap rewrite of a large module.
#[derive(Default, Clone)]
pub struct Wanted {
    /// Note each `unreachable` (for the trap rewrite).
    pub unreachable: bool,
    /// By function index, whether its sites are wanted; `None`: every function's.
    /// Indices past its end are wanted, so that a rewrite sees them and refuses them.
    pub functions: Option<Vec<bool>>,
}

impl Wanted {
    /// Whether sites naming function `index` are wanted.
    #[inline(always)]
    pub fn function(&self, index: u32) -> bool {
        match &self.functions {
            Some(wanted) => match wanted.get(index as usize) {
                Some(&wanted) => wanted,
                None => true,
            },
            None => true,
        }
    }
}

/// Finds the sites of code; one serves every body, to save allocations.
#[derive(Default)]
pub struct Scanner {
    allocations: OperatorsReaderAllocations,
    sites: Vec<Site>,
    wanted: Wanted,
}

impl Scanner {
    /// A scanner of the sites `wanted`.
    pub fn new(wanted: Wanted) -> Self {
        Scanner {
            wanted,
            ..Scanner::default()
        }
    }

    /// A scanner of every site, `unreachable` too.
    #[cfg(test)]
    pub fn with_unreachable() -> Self {
        Scanner::new(Wanted {
            unreachable: true,
            functions: None,
        })
    }

    /// The sites of the code `code` is positioned at: a body's operators after its
    /// locals, or a constant expression. The code must end with the `end` that closes
    /// it, exactly at its last byte.
    pub fn scan(&mut self, code: BinaryReader<'_>) -> Result<&[Site], BinaryReaderError> {
        self.sites.clear();
        let offset = code.original_position() as usize;
        let bytes = code.clone().read_bytes(code.bytes_remaining())?;
        if skim::sites(bytes, offset, &self.wanted, &mut self.sites).is_some() {
            return Ok(&self.sites);
        }
        self.sites.clear();
        self.decode(code)?;
        Ok(&self.sites)
    }

    /// [`Scanner::scan`] with wasmparser, for code skimming gives up on.
    fn decode(&mut self, code: BinaryReader<'_>) -> Result<(), BinaryReaderError> {
        let mut ops = OperatorsReader::new_with_allocs(code, std::mem::take(&mut self.allocations));
        let mut finder = Finder::default();
        while !ops.eof() {
            let start = ops.original_position() as usize;
            ops.visit_operator(&mut finder)?;
            let (kind, index) = match finder.0.take() {
                Some(trap_sites::Site::Call {
                    function,
                    tail: false,
                }) => (Kind::Call, function),
                Some(trap_sites::Site::Call {
                    function,
                    tail: true,
                }) => (Kind::ReturnCall, function),
                Some(trap_sites::Site::RefFunc { function }) => (Kind::RefFunc, function),
                Some(trap_sites::Site::Unreachable) if self.wanted.unreachable => {
                    (Kind::Unreachable, 0)
                }
                _ => continue,
            };
            {
                if kind != Kind::Unreachable && !self.wanted.function(index) {
                    continue;
                }
                self.sites.push(Site {
                    start,
                    end: ops.original_position() as usize,
                    kind,
                    index,
                });
            }
        }
        ops.finish()?;
        self.allocations = ops.into_allocations();
        Ok(())
    }
}

/// A quick check of whether a body may need a change, so that only those bodies are
/// decoded: decoding runs at about 100-200 MB/s natively in the size-optimized build,
/// this check at 1-4 GB/s. On a 16 MB module with a few callers of the replaced imports,
/// adapting takes about 25 ms natively with it and 90 ms without (`cargo test --release
/// --test adapt big -- --nocapture` prints it).
pub struct Filter {
    /// The first byte of each instruction that names a function.
    opcodes: [u8; 3],
    /// Per byte value: whether the LEB128 of a wanted index can start with it.
    first: [bool; 256],
    /// Whether any index is wanted.
    any: bool,
    /// Whether any index moved or one is redirected (else only `call`s are wanted).
    moved: bool,
    /// Whether every `unreachable` is wanted.
    unreachable: bool,
}

impl Filter {
    /// For the function indices `map` moves (`map[old] != old`), calls of `redirected`
    /// (an index the move leaves where it is), and, when `unreachable`, each
    /// `unreachable`.
    pub fn new(map: &[u32], redirected: Option<u32>, unreachable: bool) -> Self {
        let mut first = [false; 256];
        let mut want = |index: usize| {
            // A LEB128 may be padded (linkers pad relocated indices to five bytes), so
            // its first byte is the low seven bits with the continuation bit, or, when
            // the index fits in one byte, without.
            let low = index & 0x7f;
            first[low | 0x80] = true;
            if index < 0x80 {
                first[low] = true;
            }
        };
        let mut moved = false;
        for (old, &new) in map.iter().enumerate() {
            if old as u32 != new {
                want(old);
                moved = true;
            }
        }
        if let Some(index) = redirected {
            want(index as usize);
            // Named by return_call and ref.func too.
            moved = true;
        }
        // wasm-encoder knows the opcodes.
        let opcodes = [Kind::Call, Kind::ReturnCall, Kind::RefFunc].map(|kind| {
            let mut bytes = Vec::new();
            kind.encode(0, &mut bytes);
            bytes[0]
        });
        Filter {
            opcodes,
            first,
            any: first.contains(&true),
            moved,
            unreachable,
        }
    }

    /// False only when `code` (a body's operators) cannot hold a wanted site: no zero
    /// byte (`unreachable`'s opcode) when those are wanted, and no opcode byte of an
    /// instruction naming a function followed by a byte a wanted index can start with.
    /// (memchr searches a word at a time, or with SIMD where the target has it.) Each
    /// byte is searched once where it can be: with the code patches, zero bytes and
    /// `call`s together, which most bodies answer at once (they hold a zero byte).
    pub fn may_change(&self, code: &[u8]) -> bool {
        let [call, return_call, ref_func] = self.opcodes;
        let wanted_next = |at: usize| {
            code.get(at + 1)
                .is_some_and(|&next| self.first[usize::from(next)])
        };
        if self.unreachable {
            if memchr::memchr2_iter(0, call, code).any(|at| code[at] == 0 || wanted_next(at)) {
                return true;
            }
            // A moved or redirected index may also follow return_call and ref.func.
            return self.moved
                && memchr::memchr2_iter(return_call, ref_func, code).any(wanted_next);
        }
        self.any && memchr::memchr3_iter(call, return_call, ref_func, code).any(wanted_next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_passes_padded_and_multi_byte_indices() {
        // Indices 3 and 200 moved.
        let mut map: Vec<u32> = (0..300).collect();
        map[3] = 400;
        map[200] = 401;
        let filter = Filter::new(&map, None, false);
        // call 3, minimal and padded to five bytes.
        assert!(filter.may_change(&[0x10, 0x03, 0x0b]));
        assert!(filter.may_change(&[0x10, 0x83, 0x80, 0x80, 0x80, 0x00, 0x0b]));
        // return_call 200, ref.func 200.
        assert!(filter.may_change(&[0x12, 0xc8, 0x01, 0x0b]));
        assert!(filter.may_change(&[0xd2, 0xc8, 0x01, 0x0b]));
        // call 4, and a 3 that follows no call.
        assert!(!filter.may_change(&[0x10, 0x04, 0x0b]));
        assert!(!filter.may_change(&[0x41, 0x03, 0x1a, 0x0b]));
    }

    #[test]
    fn the_filter_passes_zero_bytes_and_calls_of_a_redirected_function() {
        let map: Vec<u32> = (0..1000).collect();
        let may_change = |code: &[u8], redirected, unreachable| {
            Filter::new(&map, Some(redirected), unreachable).may_change(code)
        };
        // i32.const 1, drop; call 4; end: nothing to change.
        assert!(!may_change(&[0x41, 0x01, 0x1a, 0x0b], 3, true));
        assert!(!may_change(&[0x10, 0x04, 0x0b], 3, true));
        // call 3, plain, padded, and with two bytes.
        assert!(may_change(&[0x10, 0x03, 0x0b], 3, true));
        assert!(may_change(
            &[0x10, 0x83, 0x80, 0x80, 0x80, 0x00, 0x0b],
            3,
            false
        ));
        assert!(may_change(&[0x10, 0x83, 0x01, 0x0b], 131, false));
        assert!(!may_change(&[0x10, 0x03, 0x0b], 131, false));
        // unreachable, or any zero byte (i32.const 0), when those are wanted.
        assert!(may_change(&[0x00, 0x0b], 3, true));
        assert!(may_change(&[0x41, 0x00, 0x1a, 0x0b], 3, true));
        assert!(!may_change(&[0x41, 0x00, 0x1a, 0x0b], 3, false));
    }

    #[test]
    fn scanning_finds_every_site_and_where_it_is() {
        // call 1; return_call 130 (two bytes); ref.func 2 padded; end.
        let code = [
            0x10, 0x01, 0x12, 0x82, 0x01, 0xd2, 0x82, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b,
        ];
        let mut scanner = Scanner::default();
        let sites = scanner.scan(BinaryReader::new(&code, 100)).unwrap();
        let found: Vec<_> = sites
            .iter()
            .map(|s| (s.kind, s.index, s.start, s.end))
            .collect();
        assert_eq!(
            found,
            [
                (Kind::Call, 1, 100, 102),
                (Kind::ReturnCall, 130, 102, 105),
                (Kind::RefFunc, 2, 105, 111)
            ]
        );
        // Code that does not end where its outermost block does is refused.
        assert!(scanner.scan(BinaryReader::new(&[0x10, 0x00], 0)).is_err());
        assert!(scanner.scan(BinaryReader::new(&[0x0b, 0x01], 0)).is_err());
        // So is what wasmparser does not know (0xff is no opcode).
        assert!(scanner.scan(BinaryReader::new(&[0xff, 0x0b], 0)).is_err());
    }

    /// The sites skimming finds in `code`, if it accepts it, and those wasmparser
    /// finds, if it decodes it; only those `wanted`.
    fn both(code: &[u8], wanted: &Wanted) -> (Option<Vec<Site>>, Option<Vec<Site>>) {
        let mut skimmed = Vec::new();
        let skimmed = skim::sites(code, 7, wanted, &mut skimmed).map(|()| skimmed);
        let mut scanner = Scanner::new(wanted.clone());
        let decoded = scanner
            .decode(BinaryReader::new(code, 7))
            .ok()
            .map(|()| scanner.sites.clone());
        (skimmed, decoded)
    }

    /// Every one-byte opcode, then each of `prefixes` with the sub-opcodes below `subs`.
    fn opcodes(prefixes: &[u8], subs: u32) -> Vec<Vec<u8>> {
        let mut opcodes: Vec<Vec<u8>> = (0..=255u8).map(|op| vec![op]).collect();
        for &prefix in prefixes {
            for sub in 0..subs {
                let mut op = vec![prefix];
                leb128fmt::encode_u32(sub)
                    .map(|(bytes, len)| op.extend_from_slice(&bytes[..len]))
                    .unwrap();
                opcodes.push(op);
            }
        }
        opcodes
    }

    /// Immediates to try after each opcode: LEB128s short, long and padded, block
    /// and value types, memory arguments with their flags, constants' bytes.
    const IMMEDIATES: &[&[u8]] = &[
        &[],
        &[0x00],
        &[0x01],
        &[0x10],
        &[0x0b],
        &[0x3f],
        &[0x40],
        &[0x6f],
        &[0x70],
        &[0x7b],
        &[0x7f],
        &[0x63, 0x70],
        &[0x63, 0x00],
        &[0x64, 0x00],
        &[0xc0, 0x00],
        &[0x80, 0x01],
        &[0xff, 0x7f],
        &[0x80, 0x80, 0x80, 0x80, 0x00],
        &[0x80, 0x80, 0x80, 0x80, 0x10],
        &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00],
        &[0x02, 0x00],
        &[0x02, 0x80, 0x01],
        &[0x42, 0x01, 0x00],
        &[0x12, 0x00],
        &[0x22, 0x00, 0x00],
        &[0x02, 0x00, 0x00, 0x00],
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
        &[0x10; 16],
        &[0x00; 17],
        &[0x01, 0x10, 0x00],
        &[0x01, 0x00, 0x00, 0x01, 0x00],
    ];

    /// Each opcode (and each prefixed one up to 0x150) with each of [`IMMEDIATES`],
    /// then `unreachable`, `call 1` and one or two `end`s: wherever wasmparser decodes
    /// the result and skimming accepts it, they agree, so skimming steps over each
    /// immediate exactly as wasmparser reads it. Both when every site is wanted, and
    /// when neither `unreachable` nor function 1 is (functions 0 and 2.. are).
    #[test]
    fn skimming_finds_what_wasmparser_finds() {
        let opcodes = opcodes(&[0xfb, 0xfc, 0xfd, 0xfe], 0x150);
        let every = Wanted {
            unreachable: true,
            functions: None,
        };
        let some = Wanted {
            unreachable: false,
            functions: Some(vec![true, false]),
        };
        let (mut agreed, mut skimmed, mut unwanted) = (0, 0, 0);
        for op in &opcodes {
            for immediates in IMMEDIATES {
                for ends in [&[0x0b][..], &[0x0b, 0x0b]] {
                    let code = [op, *immediates, &[0x00, 0x10, 0x01], ends].concat();
                    for wanted in [&every, &some] {
                        match both(&code, wanted) {
                            (Some(skim), Some(decoded)) => {
                                assert_eq!(skim, decoded, "{code:02x?}");
                                agreed += 1;
                                if wanted.functions.is_some() {
                                    assert!(skim.iter().all(|site| site.index != 1));
                                    unwanted += 1;
                                }
                            }
                            (Some(_), None) => skimmed += 1,
                            _ => {}
                        }
                    }
                }
            }
        }
        assert!(unwanted > 2000, "{unwanted}");
        // Enough of both to mean something: the instructions skimming knows, and
        // malformed code it lets through for the engine to refuse.
        assert!(agreed > 4000 && skimmed < agreed, "{agreed} {skimmed}");
    }

    type TrapSites = Vec<(usize, usize, trap_sites::Site)>;

    /// What the trap instrumentation sees of `code`: skimmed, and decoded by the visitor.
    fn trap_both(code: &[u8]) -> (Option<TrapSites>, Option<TrapSites>) {
        let mut skimmed = Vec::new();
        let skimmed =
            skim::trap_sites(code, |s, e, site| skimmed.push((s, e, site))).map(|()| skimmed);
        let mut ops = OperatorsReader::new(BinaryReader::new(code, 0));
        let mut finder = Finder::default();
        let mut decoded = Vec::new();
        let mut ok = true;
        while !ops.eof() {
            let start = ops.original_position() as usize;
            if ops.visit_operator(&mut finder).is_err() {
                ok = false;
                break;
            }
            if let Some(site) = finder.0.take() {
                decoded.push((start, ops.original_position() as usize, site));
            }
        }
        let decoded = (ok && ops.finish().is_ok()).then_some(decoded);
        (skimmed, decoded)
    }

    /// Skimming for the trap instrumentation finds what its visitor finds, on every
    /// opcode with every immediate, and on every body of the fixtures.
    #[test]
    fn trap_skimming_finds_what_the_visitor_finds() {
        let opcodes = opcodes(&[0xfc, 0xfe], 0x50);
        let mut agreed = 0;
        for op in &opcodes {
            for immediates in IMMEDIATES {
                let code = [op, *immediates, &[0x00, 0x10, 0x01, 0x0b]].concat();
                if let (Some(skim), Some(decoded)) = trap_both(&code) {
                    assert_eq!(skim, decoded, "{code:02x?}");
                    agreed += 1;
                }
            }
        }
        assert!(agreed > 2000, "{agreed}");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm");
        let mut bodies = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
                let Ok(wasmparser::Payload::CodeSectionEntry(body)) = payload else {
                    continue;
                };
                let start = body
                    .get_binary_reader_for_operators()
                    .unwrap()
                    .original_position();
                let code = &bytes[start as usize..body.range().end as usize];
                if let (Some(skim), Some(decoded)) = trap_both(code) {
                    assert_eq!(skim, decoded);
                    bodies += 1;
                }
            }
        }
        assert!(bodies > 1000, "{bodies} bodies: build the fixtures first");
    }

    /// Every body of the fixtures skims, as wasmparser decodes it; skimming gives up
    /// only on a body wasmparser refuses too (deep_unclosed.wasm never closes its blocks).
    #[test]
    fn skimming_reads_every_body_wasmparser_reads() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/wasm");
        let every = Scanner::with_unreachable().wanted;
        let mut bodies = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
                let Ok(wasmparser::Payload::CodeSectionEntry(body)) = payload else {
                    continue;
                };
                let code = body.get_binary_reader_for_operators().unwrap();
                let mut skimmed = Vec::new();
                let offset = code.original_position() as usize;
                let operators = &bytes[offset..body.range().end as usize];
                let skim = skim::sites(operators, offset, &every, &mut skimmed);
                let mut scanner = Scanner::with_unreachable();
                let decode = scanner.decode(code);
                if skim.is_none() {
                    assert!(
                        decode.is_err(),
                        "{}: a body wasmparser reads did not skim",
                        path.display()
                    );
                    continue;
                }
                decode.unwrap();
                assert_eq!(skimmed, scanner.sites);
                bodies += 1;
            }
        }
        assert!(bodies > 1000, "{bodies} bodies: build the fixtures first");
    }
}
