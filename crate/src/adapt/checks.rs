//! The checks that go before the instructions whose traps are cheap to foresee:
//! integer division and remainder, float-to-integer truncation, and indirect calls.
//! Each is a small function the instruction's site calls (`instrument.rs`); on a
//! value that would trap it calls the exit function of that trap (`traps.rs`
//! `exit_function`: the line in wasmtime's words on stderr, then `proc_exit(134)`),
//! so the program ends as `wasmtime run` ends it, in any thread.

use wasm_encoder::{BlockType, Function, Instruction, ValType};

use crate::message::TrapReason;

/// An instruction the checks stand in for or go before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Checked {
    /// `i32.div_s` … `i64.rem_u`: the check performs the operation too.
    Division(Division),
    /// A non-saturating truncation: the check takes the float and gives it back.
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

/// The reasons a checked instruction can trap with, so that only their exit
/// functions are added.
pub fn reasons(checked: Checked) -> &'static [TrapReason] {
    match checked {
        Checked::Division(d) if d.signed && !d.remainder => {
            &[TrapReason::DivideByZero, TrapReason::IntegerOverflow]
        }
        Checked::Division(_) => &[TrapReason::DivideByZero],
        Checked::Truncation(_) => &[TrapReason::BadConversion, TrapReason::IntegerOverflow],
    }
}

/// The value types of the check's function: (params, results).
pub fn signature(checked: Checked) -> (Vec<ValType>, Vec<ValType>) {
    match checked {
        Checked::Division(d) => {
            let t = if d.wide { ValType::I64 } else { ValType::I32 };
            (vec![t, t], vec![t])
        }
        Checked::Truncation(t) => {
            let f = if t.from_f64 {
                ValType::F64
            } else {
                ValType::F32
            };
            (vec![f], vec![f])
        }
    }
}

/// The check's body; `exit(reason)` is the function index of that trap's exit.
pub fn body(checked: Checked, exit: &dyn Fn(TrapReason) -> u32) -> Function {
    let mut f = Function::new([]);
    match checked {
        Checked::Division(d) => division(&mut f, d, exit),
        Checked::Truncation(t) => truncation(&mut f, t, exit),
    }
    f.instruction(&Instruction::End);
    f
}

fn division(f: &mut Function, d: Division, exit: &dyn Fn(TrapReason) -> u32) {
    let mut ins = f.instructions();
    // The divisor is zero.
    ins.local_get(1);
    if d.wide {
        ins.i64_eqz()
    } else {
        ins.i32_eqz()
    };
    ins.if_(BlockType::Empty)
        .call(exit(TrapReason::DivideByZero))
        .end();
    if d.signed && !d.remainder {
        // The one quotient that does not fit: MIN / -1.
        ins.local_get(0);
        if d.wide {
            ins.i64_const(i64::MIN)
                .i64_eq()
                .local_get(1)
                .i64_const(-1)
                .i64_eq()
        } else {
            ins.i32_const(i32::MIN)
                .i32_eq()
                .local_get(1)
                .i32_const(-1)
                .i32_eq()
        };
        ins.i32_and()
            .if_(BlockType::Empty)
            .call(exit(TrapReason::IntegerOverflow))
            .end();
    }
    ins.local_get(0).local_get(1);
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

fn truncation(f: &mut Function, t: Truncation, exit: &dyn Fn(TrapReason) -> u32) {
    let (below, above) = t.bounds();
    let mut ins = f.instructions();
    // NaN is the one value not equal to itself.
    ins.local_get(0).local_get(0);
    if t.from_f64 {
        ins.f64_ne()
    } else {
        ins.f32_ne()
    };
    ins.if_(BlockType::Empty)
        .call(exit(TrapReason::BadConversion))
        .end();
    // below < x < above, or it overflows (both bounds are exact in the float type).
    ins.local_get(0);
    if t.from_f64 {
        ins.f64_const(below.into())
            .f64_gt()
            .local_get(0)
            .f64_const(above.into())
            .f64_lt()
    } else {
        ins.f32_const((below as f32).into())
            .f32_gt()
            .local_get(0)
            .f32_const((above as f32).into())
            .f32_lt()
    };
    ins.i32_and()
        .i32_eqz()
        .if_(BlockType::Empty)
        .call(exit(TrapReason::IntegerOverflow))
        .end()
        .local_get(0);
}

/// How an indirect call through one table is checked: `(i32) -> i32`, taking the
/// element index and giving it back for the `call_indirect` that follows.
pub struct IndirectCheck {
    pub table: u32,
    /// A table of the original's functions of the call's type only (null elsewhere),
    /// when the original never changes after instantiation: then a null there means the
    /// wrong type.
    pub same_type: Option<u32>,
    /// What to write to the watch word before the call, if watched.
    pub mark: Option<i32>,
}

pub fn indirect_body(check: &IndirectCheck, exit: &dyn Fn(TrapReason) -> u32) -> Function {
    let mut f = Function::new([]);
    let mut ins = f.instructions();
    ins.local_get(0)
        .table_size(check.table)
        .i32_ge_u()
        .if_(BlockType::Empty)
        .call(exit(TrapReason::TableOutOfBounds))
        .end();
    ins.local_get(0)
        .table_get(check.table)
        .ref_is_null()
        .if_(BlockType::Empty)
        .call(exit(TrapReason::IndirectCallToNull))
        .end();
    if let Some(same_type) = check.same_type {
        ins.local_get(0)
            .table_get(same_type)
            .ref_is_null()
            .if_(BlockType::Empty)
            .call(exit(TrapReason::IndirectCallType))
            .end();
    }
    if let Some(mark) = check.mark {
        super::instrument::store_mark(&mut ins, mark);
    }
    ins.local_get(0).end();
    f
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
