//! The checks that go before the instructions whose traps are cheap to foresee:
//! integer division and remainder, float-to-integer truncation, and indirect calls.
//! Each is written in line, keeping its operands in scratch locals (a call of a check
//! function instead cost 5x on an indirect call in V8, which does not inline it); on a
//! value that would trap it calls the exit function of that trap (`traps.rs`
//! `exit_function`: the line in wasmtime's words on stderr, then `proc_exit(134)`),
//! so the program ends as `wasmtime run` ends it, in any thread.

use wasm_encoder::{BlockType, InstructionSink, ValType};

use crate::message::TrapReason;

/// An instruction the checks stand in for or go before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Checked {
    /// `i32.div_s` … `i64.rem_u`: the check performs the operation too.
    Division(Division),
    /// A non-saturating truncation: the check performs it too, once the float fits.
    Truncation(Truncation),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Division {
    pub wide: bool,
    pub signed: bool,
    pub remainder: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Truncation {
    /// f64 (else f32) …
    pub from_f64: bool,
    /// … to i64 (else i32) …
    pub to_i64: bool,
    pub signed: bool,
}

impl Truncation {
    /// The open interval of floats whose truncation fits: the bounds are the first
    /// floats past the ends (so -2^31 - 1 for f64 to i32, which f64 holds exactly, and
    /// the next f32 below -2^31 for f32 to i32).
    fn bounds(self) -> (f64, f64) {
        let bits = if self.to_i64 { 64 } else { 32 };
        if !self.signed {
            return (-1.0, 2f64.powi(bits));
        }
        let min = -(2f64.powi(bits - 1));
        let below = match self.from_f64 {
            // The f64 below -2^(bits-1): -2^31 - 1 is exact; below -2^63 the step is 2^11.
            true if bits == 32 => min - 1.0,
            true => min - 2048.0,
            // f32 has 24 bits: the step below -2^(bits-1) is 2^(bits-24).
            false => min - 2f64.powi(bits - 24),
        };
        (below, -min)
    }
}

/// The exit function of each trap, added on first use after the module's functions.
pub struct Exits {
    first: u32,
    pub used: Vec<TrapReason>,
}

impl Exits {
    pub fn new(first: u32) -> Self {
        Exits {
            first,
            used: Vec::new(),
        }
    }

    pub fn index(&mut self, reason: TrapReason) -> u32 {
        let at = match self.used.iter().position(|&r| r == reason) {
            Some(at) => at,
            None => {
                self.used.push(reason);
                self.used.len() - 1
            }
        };
        self.first + at as u32
    }
}

/// The locals a body's checks keep operands in, appended after its own: at most two
/// of each type, declared in the order first used.
pub struct Scratch {
    first: u32,
    pub declared: Vec<ValType>,
    taken: Vec<(ValType, u8, u32)>,
}

impl Scratch {
    pub fn new(first: u32) -> Self {
        Scratch {
            first,
            declared: Vec::new(),
            taken: Vec::new(),
        }
    }

    /// Local `nth` (0 or 1) of type `ty`.
    fn local(&mut self, ty: ValType, nth: u8) -> u32 {
        if let Some(&(_, _, index)) = self.taken.iter().find(|(t, n, _)| *t == ty && *n == nth) {
            return index;
        }
        let index = self.first + self.declared.len() as u32;
        self.declared.push(ty);
        self.taken.push((ty, nth, index));
        index
    }
}

/// Emits `checked`, checked: the division, or the check then the truncation.
pub fn emit(
    ins: &mut InstructionSink<'_>,
    checked: Checked,
    scratch: &mut Scratch,
    exits: &mut Exits,
) {
    match checked {
        Checked::Division(d) => division(ins, d, scratch, exits),
        Checked::Truncation(t) => truncation(ins, t, scratch, exits),
    }
}

/// `call exit` if the i32 on the stack is not zero.
fn exit_if(ins: &mut InstructionSink<'_>, exit: u32) {
    ins.if_(BlockType::Empty).call(exit).end();
}

fn division(ins: &mut InstructionSink<'_>, d: Division, scratch: &mut Scratch, exits: &mut Exits) {
    let ty = if d.wide { ValType::I64 } else { ValType::I32 };
    let divisor = scratch.local(ty, 1);
    if d.signed && !d.remainder {
        // The one quotient that does not fit: MIN / -1.
        let dividend = scratch.local(ty, 0);
        ins.local_set(divisor).local_tee(dividend);
        if d.wide {
            ins.i64_const(i64::MIN)
                .i64_eq()
                .local_get(divisor)
                .i64_const(-1)
                .i64_eq();
        } else {
            ins.i32_const(i32::MIN)
                .i32_eq()
                .local_get(divisor)
                .i32_const(-1)
                .i32_eq();
        }
        ins.i32_and();
        exit_if(ins, exits.index(TrapReason::IntegerOverflow));
        ins.local_get(divisor);
        if d.wide {
            ins.i64_eqz()
        } else {
            ins.i32_eqz()
        };
        exit_if(ins, exits.index(TrapReason::DivideByZero));
        ins.local_get(dividend).local_get(divisor);
    } else {
        ins.local_tee(divisor);
        if d.wide {
            ins.i64_eqz()
        } else {
            ins.i32_eqz()
        };
        exit_if(ins, exits.index(TrapReason::DivideByZero));
        ins.local_get(divisor);
    }
    match (d.wide, d.signed, d.remainder) {
        (false, true, false) => ins.i32_div_s(),
        (false, false, false) => ins.i32_div_u(),
        (false, true, true) => ins.i32_rem_s(),
        (false, false, true) => ins.i32_rem_u(),
        (true, true, false) => ins.i64_div_s(),
        (true, false, false) => ins.i64_div_u(),
        (true, true, true) => ins.i64_rem_s(),
        (true, false, true) => ins.i64_rem_u(),
    };
}

fn truncation(
    ins: &mut InstructionSink<'_>,
    t: Truncation,
    scratch: &mut Scratch,
    exits: &mut Exits,
) {
    let (below, above) = t.bounds();
    let x = scratch.local(
        if t.from_f64 {
            ValType::F64
        } else {
            ValType::F32
        },
        0,
    );
    // NaN is the one value not equal to itself.
    ins.local_tee(x).local_get(x);
    if t.from_f64 {
        ins.f64_ne()
    } else {
        ins.f32_ne()
    };
    exit_if(ins, exits.index(TrapReason::BadConversion));
    // below < x < above, or it overflows (both bounds are exact in the float type).
    ins.local_get(x);
    if t.from_f64 {
        ins.f64_const(below.into())
            .f64_gt()
            .local_get(x)
            .f64_const(above.into())
            .f64_lt();
    } else {
        ins.f32_const((below as f32).into())
            .f32_gt()
            .local_get(x)
            .f32_const((above as f32).into())
            .f32_lt();
    }
    ins.i32_and().i32_eqz();
    exit_if(ins, exits.index(TrapReason::IntegerOverflow));
    ins.local_get(x);
    match (t.to_i64, t.from_f64, t.signed) {
        (false, false, true) => ins.i32_trunc_f32_s(),
        (false, false, false) => ins.i32_trunc_f32_u(),
        (false, true, true) => ins.i32_trunc_f64_s(),
        (false, true, false) => ins.i32_trunc_f64_u(),
        (true, false, true) => ins.i64_trunc_f32_s(),
        (true, false, false) => ins.i64_trunc_f32_u(),
        (true, true, true) => ins.i64_trunc_f64_s(),
        (true, true, false) => ins.i64_trunc_f64_u(),
    };
}

/// How the element index of an indirect call is checked before the `call_indirect`.
pub enum IndirectCheck {
    /// Watched: what can fail (an index past the end, a null or mistyped element, the
    /// stack) is told apart once the program is gone, from the site's mark and the index,
    /// both written to the watch words; past the end is checked here only when the
    /// table's size is not known (`sized`: it is).
    Marked { mark: i32, sized: bool },
    /// Not watched: each checked here, the callee's type when `same_type`, a table of
    /// the original's functions of the call's type only (null elsewhere), is known.
    Checked { same_type: Option<u32> },
}

/// Emits the check of the index on the stack, leaving it there.
pub fn indirect(
    ins: &mut InstructionSink<'_>,
    table: u32,
    check: &IndirectCheck,
    words: super::instrument::Words,
    scratch: &mut Scratch,
    exits: &mut Exits,
) {
    let index = scratch.local(ValType::I32, 0);
    if matches!(check, IndirectCheck::Marked { sized: true, .. }) {
        ins.local_set(index);
    } else {
        ins.local_tee(index).table_size(table).i32_ge_u();
        exit_if(ins, exits.index(TrapReason::TableOutOfBounds));
    }
    match *check {
        IndirectCheck::Marked { mark, .. } => {
            words.base(ins);
            ins.local_get(index).i32_store(super::emit::mem(
                u64::from(super::watch::INDEX_WORD - super::watch::WORD),
                2,
            ));
            words.mark(ins, mark);
        }
        IndirectCheck::Checked { same_type } => {
            ins.local_get(index).table_get(table).ref_is_null();
            exit_if(ins, exits.index(TrapReason::IndirectCallToNull));
            if let Some(same_type) = same_type {
                ins.local_get(index).table_get(same_type).ref_is_null();
                exit_if(ins, exits.index(TrapReason::IndirectCallType));
            }
        }
    }
    ins.local_get(index);
}

/// Before `memory.atomic.wait32` (`wide`: `wait64`) at `offset`, with the address,
/// the expected value and the timeout on the stack: an address out of bounds or not a
/// multiple of the size traps (in that order, as the spec has it). Waits are rare and
/// slow, so this costs nothing that shows; unchecked, such a trap would happen in a
/// wait, which the watch rightly never takes for gone.
pub fn atomic_wait(
    ins: &mut InstructionSink<'_>,
    wide: bool,
    offset: u64,
    scratch: &mut Scratch,
    exits: &mut Exits,
) {
    let size: u64 = if wide { 8 } else { 4 };
    let timeout = scratch.local(ValType::I64, 0);
    let (expected, address) = match wide {
        true => (
            scratch.local(ValType::I64, 1),
            scratch.local(ValType::I32, 0),
        ),
        false => (
            scratch.local(ValType::I32, 0),
            scratch.local(ValType::I32, 1),
        ),
    };
    ins.local_set(timeout)
        .local_set(expected)
        .local_tee(address);
    // address + offset + size > the memory's bytes, in 64 bits (neither can overflow).
    ins.i64_extend_i32_u()
        .i64_const(offset.saturating_add(size) as i64)
        .i64_add()
        .memory_size(0)
        .i64_extend_i32_u()
        .i64_const(16)
        .i64_shl()
        .i64_gt_u();
    exit_if(ins, exits.index(TrapReason::MemoryOutOfBounds));
    // Only the low bits of address + offset matter.
    ins.local_get(address);
    if offset != 0 {
        ins.i32_const(offset as i32).i32_add();
    }
    ins.i32_const(size as i32 - 1).i32_and();
    exit_if(ins, exits.index(TrapReason::Misaligned));
    ins.local_get(address)
        .local_get(expected)
        .local_get(timeout);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_bounds_are_the_first_floats_that_do_not_fit() {
        let t = |from_f64, to_i64, signed| Truncation {
            from_f64,
            to_i64,
            signed,
        };
        assert_eq!(t(true, false, true).bounds(), (-2147483649.0, 2147483648.0));
        assert_eq!(
            t(false, false, true).bounds(),
            (-2147483904.0, 2147483648.0)
        );
        assert_eq!(t(true, false, false).bounds(), (-1.0, 4294967296.0));
        assert_eq!(
            t(true, true, true).bounds(),
            (-9223372036854777856.0, 9223372036854775808.0)
        );
        // Each lower bound is the next float below the minimum, in its own type.
        let (below, _) = t(false, true, true).bounds();
        assert_eq!(
            below as f32,
            f32::from_bits((i64::MIN as f32).to_bits() + 1)
        );
        let (below, _) = t(false, false, true).bounds();
        assert_eq!(
            below as f32,
            f32::from_bits((i32::MIN as f32).to_bits() + 1)
        );
        let (below, _) = t(true, true, true).bounds();
        assert_eq!(below, f64::from_bits((i64::MIN as f64).to_bits() + 1));
    }
}
