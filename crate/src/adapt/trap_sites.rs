//! The instructions the trap instrumentation (`instrument.rs`) writes around, and those
//! `code.rs` looks for when skimming gives up, found by one wasmparser visitor that notes
//! those and ignores the rest: decoding every body into `Operator`s instead took about
//! half as long again, and each decoder, or visitor, links some 100 KB more into the core.

use wasmparser::{
    for_each_visit_operator, for_each_visit_simd_operator, VisitOperator, VisitSimdOperator,
};

use super::checks::{Checked, Division, Truncation};

/// An instruction the instrumentation cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Unreachable,
    Loop,
    Call {
        function: u32,
        tail: bool,
    },
    CallIndirect {
        ty: u32,
        table: u32,
    },
    /// `memory.atomic.wait32` or `wait64` (`wide`) with its memory argument's offset,
    /// in memory 0.
    AtomicWait {
        wide: bool,
        offset: u64,
        memory0: bool,
    },
    RefFunc {
        function: u32,
    },
    /// An instruction that changes a table: its elements are then known only as the
    /// program runs.
    TableChange {
        table: u32,
    },
    Checked(Checked),
    /// Reads or writes memory, or reads a table: may trap out of bounds.
    Access,
    /// `call_ref`, `return_call_ref`.
    CallRef {
        tail: bool,
    },
    /// Control, which the analysis of what the watch word holds follows (`flow.rs`).
    Block,
    If,
    Else,
    End,
    Br {
        depth: u32,
    },
    BrIf {
        depth: u32,
    },
    /// `br_table`: to any of its labels, never on.
    BrTable,
    /// `br_on_*`: to a label, or on.
    BrOn,
    /// Never goes on: `return`, `throw`, `rethrow`, `throw_ref`.
    Stop,
    /// The legacy exceptions' `try`, `catch` and `catch_all` (`delegate` ends a `try`
    /// as `end` does), and `try_table`, whose catches go to labels from anywhere in it.
    Try,
    Catch,
    TryTable,
}

/// Notes the last instruction visited, if it is a [`Site`].
#[derive(Default)]
pub struct Finder(pub Option<Site>);

const fn division(wide: bool, signed: bool, remainder: bool) -> Site {
    Site::Checked(Checked::Division(Division {
        wide,
        signed,
        remainder,
    }))
}

const fn truncation(from_f64: bool, to_i64: bool, signed: bool) -> Site {
    Site::Checked(Checked::Truncation(Truncation {
        from_f64,
        to_i64,
        signed,
    }))
}

/// The check a numeric instruction needs, by its opcode: division and remainder,
/// non-saturating truncation (for the skimming in `skim.rs`).
pub const fn checked_op(op: u8) -> Option<Checked> {
    let site = match op {
        0x6d => division(false, true, false),
        0x6e => division(false, false, false),
        0x6f => division(false, true, true),
        0x70 => division(false, false, true),
        0x7f => division(true, true, false),
        0x80 => division(true, false, false),
        0x81 => division(true, true, true),
        0x82 => division(true, false, true),
        0xa8 => truncation(false, false, true),
        0xa9 => truncation(false, false, false),
        0xaa => truncation(true, false, true),
        0xab => truncation(true, false, false),
        0xae => truncation(false, true, true),
        0xaf => truncation(false, true, false),
        0xb0 => truncation(true, true, true),
        0xb1 => truncation(true, true, false),
        _ => return None,
    };
    match site {
        Site::Checked(c) => Some(c),
        _ => None,
    }
}

macro_rules! visit {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $( visit!(@one $visit $($($arg: $argty),*)?); )*
    };
    (@one visit_unreachable) => {
        fn visit_unreachable(&mut self) { self.0 = Some(Site::Unreachable); }
    };
    (@one visit_loop $($arg:ident: $argty:ty),*) => {
        fn visit_loop(&mut self $(, _: $argty)*) { self.0 = Some(Site::Loop); }
    };
    (@one visit_call $function:ident: $ty:ty) => {
        fn visit_call(&mut self, function: $ty) {
            self.0 = Some(Site::Call { function, tail: false });
        }
    };
    (@one visit_return_call $function:ident: $ty:ty) => {
        fn visit_return_call(&mut self, function: $ty) {
            self.0 = Some(Site::Call { function, tail: true });
        }
    };
    (@one visit_call_indirect $ty:ident: $t1:ty, $table:ident: $t2:ty) => {
        fn visit_call_indirect(&mut self, ty: $t1, table: $t2) {
            self.0 = Some(Site::CallIndirect { ty, table });
        }
    };
    (@one visit_return_call_indirect $ty:ident: $t1:ty, $table:ident: $t2:ty) => {
        fn visit_return_call_indirect(&mut self, ty: $t1, table: $t2) {
            self.0 = Some(Site::CallIndirect { ty, table });
        }
    };
    (@one visit_memory_atomic_wait32 $($arg:ident: $argty:ty),*) => {
        fn visit_memory_atomic_wait32(&mut self, memarg: wasmparser::MemArg) {
            self.0 = Some(Site::AtomicWait { wide: false, offset: memarg.offset, memory0: matches!(memarg.target, wasmparser::MemArgTarget::Memory(0)) });
        }
    };
    (@one visit_memory_atomic_wait64 $($arg:ident: $argty:ty),*) => {
        fn visit_memory_atomic_wait64(&mut self, memarg: wasmparser::MemArg) {
            self.0 = Some(Site::AtomicWait { wide: true, offset: memarg.offset, memory0: matches!(memarg.target, wasmparser::MemArgTarget::Memory(0)) });
        }
    };
    (@one visit_ref_func $function:ident: $ty:ty) => {
        fn visit_ref_func(&mut self, function: $ty) { self.0 = Some(Site::RefFunc { function }); }
    };
    (@one visit_table_set $table:ident: $ty:ty) => {
        fn visit_table_set(&mut self, table: $ty) { self.0 = Some(Site::TableChange { table }); }
    };
    (@one visit_table_grow $table:ident: $ty:ty) => {
        fn visit_table_grow(&mut self, table: $ty) { self.0 = Some(Site::TableChange { table }); }
    };
    (@one visit_table_fill $table:ident: $ty:ty) => {
        fn visit_table_fill(&mut self, table: $ty) { self.0 = Some(Site::TableChange { table }); }
    };
    (@one visit_table_init $elem:ident: $t1:ty, $table:ident: $t2:ty) => {
        fn visit_table_init(&mut self, _: $t1, table: $t2) {
            self.0 = Some(Site::TableChange { table });
        }
    };
    (@one visit_table_copy $dst:ident: $t1:ty, $src:ident: $t2:ty) => {
        fn visit_table_copy(&mut self, table: $t1, _: $t2) {
            self.0 = Some(Site::TableChange { table });
        }
    };
    (@one visit_block $($arg:ident: $argty:ty),*) => {
        fn visit_block(&mut self $(, _: $argty)*) { self.0 = Some(Site::Block); }
    };
    (@one visit_if $($arg:ident: $argty:ty),*) => {
        fn visit_if(&mut self $(, _: $argty)*) { self.0 = Some(Site::If); }
    };
    (@one visit_else) => { fn visit_else(&mut self) { self.0 = Some(Site::Else); } };
    (@one visit_end) => { fn visit_end(&mut self) { self.0 = Some(Site::End); } };
    (@one visit_delegate $($arg:ident: $argty:ty),*) => {
        fn visit_delegate(&mut self $(, _: $argty)*) { self.0 = Some(Site::End); }
    };
    (@one visit_br $depth:ident: $ty:ty) => {
        fn visit_br(&mut self, depth: $ty) { self.0 = Some(Site::Br { depth }); }
    };
    (@one visit_br_if $depth:ident: $ty:ty) => {
        fn visit_br_if(&mut self, depth: $ty) { self.0 = Some(Site::BrIf { depth }); }
    };
    (@one visit_br_table $($arg:ident: $argty:ty),*) => {
        fn visit_br_table(&mut self $(, _: $argty)*) { self.0 = Some(Site::BrTable); }
    };
    (@one visit_br_on_null $($arg:ident: $argty:ty),*) => {
        fn visit_br_on_null(&mut self $(, _: $argty)*) { self.0 = Some(Site::BrOn); }
    };
    (@one visit_br_on_non_null $($arg:ident: $argty:ty),*) => {
        fn visit_br_on_non_null(&mut self $(, _: $argty)*) { self.0 = Some(Site::BrOn); }
    };
    (@one visit_br_on_cast $($arg:ident: $argty:ty),*) => {
        fn visit_br_on_cast(&mut self $(, _: $argty)*) { self.0 = Some(Site::BrOn); }
    };
    (@one visit_br_on_cast_fail $($arg:ident: $argty:ty),*) => {
        fn visit_br_on_cast_fail(&mut self $(, _: $argty)*) { self.0 = Some(Site::BrOn); }
    };
    (@one visit_br_on_cast_desc_eq $($arg:ident: $argty:ty),*) => {
        fn visit_br_on_cast_desc_eq(&mut self $(, _: $argty)*) { self.0 = Some(Site::BrOn); }
    };
    (@one visit_br_on_cast_desc_eq_fail $($arg:ident: $argty:ty),*) => {
        fn visit_br_on_cast_desc_eq_fail(&mut self $(, _: $argty)*) { self.0 = Some(Site::BrOn); }
    };
    (@one visit_return) => { fn visit_return(&mut self) { self.0 = Some(Site::Stop); } };
    (@one visit_throw $($arg:ident: $argty:ty),*) => {
        fn visit_throw(&mut self $(, _: $argty)*) { self.0 = Some(Site::Stop); }
    };
    (@one visit_rethrow $($arg:ident: $argty:ty),*) => {
        fn visit_rethrow(&mut self $(, _: $argty)*) { self.0 = Some(Site::Stop); }
    };
    (@one visit_throw_ref) => { fn visit_throw_ref(&mut self) { self.0 = Some(Site::Stop); } };
    (@one visit_try $($arg:ident: $argty:ty),*) => {
        fn visit_try(&mut self $(, _: $argty)*) { self.0 = Some(Site::Try); }
    };
    (@one visit_catch $($arg:ident: $argty:ty),*) => {
        fn visit_catch(&mut self $(, _: $argty)*) { self.0 = Some(Site::Catch); }
    };
    (@one visit_catch_all) => { fn visit_catch_all(&mut self) { self.0 = Some(Site::Catch); } };
    (@one visit_try_table $($arg:ident: $argty:ty),*) => {
        fn visit_try_table(&mut self $(, _: $argty)*) { self.0 = Some(Site::TryTable); }
    };
    (@one visit_call_ref $($arg:ident: $argty:ty),*) => {
        fn visit_call_ref(&mut self $(, _: $argty)*) { self.0 = Some(Site::CallRef { tail: false }); }
    };
    (@one visit_return_call_ref $($arg:ident: $argty:ty),*) => {
        fn visit_return_call_ref(&mut self $(, _: $argty)*) { self.0 = Some(Site::CallRef { tail: true }); }
    };
    (@one visit_table_get $($arg:ident: $argty:ty),*) => {
        fn visit_table_get(&mut self $(, _: $argty)*) { self.0 = Some(Site::Access); }
    };
    (@one visit_memory_init $($arg:ident: $argty:ty),*) => {
        fn visit_memory_init(&mut self $(, _: $argty)*) { self.0 = Some(Site::Access); }
    };
    (@one visit_memory_copy $($arg:ident: $argty:ty),*) => {
        fn visit_memory_copy(&mut self $(, _: $argty)*) { self.0 = Some(Site::Access); }
    };
    (@one visit_memory_fill $($arg:ident: $argty:ty),*) => {
        fn visit_memory_fill(&mut self $(, _: $argty)*) { self.0 = Some(Site::Access); }
    };
    (@one visit_i32_div_s) => { fn visit_i32_div_s(&mut self) { self.0 = Some(division(false, true, false)); } };
    (@one visit_i32_div_u) => { fn visit_i32_div_u(&mut self) { self.0 = Some(division(false, false, false)); } };
    (@one visit_i32_rem_s) => { fn visit_i32_rem_s(&mut self) { self.0 = Some(division(false, true, true)); } };
    (@one visit_i32_rem_u) => { fn visit_i32_rem_u(&mut self) { self.0 = Some(division(false, false, true)); } };
    (@one visit_i64_div_s) => { fn visit_i64_div_s(&mut self) { self.0 = Some(division(true, true, false)); } };
    (@one visit_i64_div_u) => { fn visit_i64_div_u(&mut self) { self.0 = Some(division(true, false, false)); } };
    (@one visit_i64_rem_s) => { fn visit_i64_rem_s(&mut self) { self.0 = Some(division(true, true, true)); } };
    (@one visit_i64_rem_u) => { fn visit_i64_rem_u(&mut self) { self.0 = Some(division(true, false, true)); } };
    (@one visit_i32_trunc_f32_s) => { fn visit_i32_trunc_f32_s(&mut self) { self.0 = Some(truncation(false, false, true)); } };
    (@one visit_i32_trunc_f32_u) => { fn visit_i32_trunc_f32_u(&mut self) { self.0 = Some(truncation(false, false, false)); } };
    (@one visit_i32_trunc_f64_s) => { fn visit_i32_trunc_f64_s(&mut self) { self.0 = Some(truncation(true, false, true)); } };
    (@one visit_i32_trunc_f64_u) => { fn visit_i32_trunc_f64_u(&mut self) { self.0 = Some(truncation(true, false, false)); } };
    (@one visit_i64_trunc_f32_s) => { fn visit_i64_trunc_f32_s(&mut self) { self.0 = Some(truncation(false, true, true)); } };
    (@one visit_i64_trunc_f32_u) => { fn visit_i64_trunc_f32_u(&mut self) { self.0 = Some(truncation(false, true, false)); } };
    (@one visit_i64_trunc_f64_s) => { fn visit_i64_trunc_f64_s(&mut self) { self.0 = Some(truncation(true, true, true)); } };
    (@one visit_i64_trunc_f64_u) => { fn visit_i64_trunc_f64_u(&mut self) { self.0 = Some(truncation(true, true, false)); } };
    // Every other instruction with a memory argument: loads, stores, atomics.
    (@one $visit:ident memarg: $memarg:ty $(, $arg:ident: $argty:ty)*) => {
        fn $visit(&mut self, _: $memarg $(, _: $argty)*) { self.0 = Some(Site::Access); }
    };
    (@one $visit:ident $($arg:ident: $argty:ty),*) => {
        #[inline(always)]
        fn $visit(&mut self $(, _: $argty)*) {}
    };
}

impl<'a> VisitOperator<'a> for Finder {
    type Output = ();

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = ()>> {
        Some(self)
    }

    for_each_visit_operator!(visit);
}

impl VisitSimdOperator<'_> for Finder {
    for_each_visit_simd_operator!(visit);
}
