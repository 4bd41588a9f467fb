//! The preview1 functions the WASM WASI Core 1.0.2 lacks (`proc_raise`,
//! `fd_fdstat_set_rights`; [`crate::wasi_core::MISSING_FUNCTIONS`]) link to local
//! functions that return ENOSYS, as a host without them would; programs handle that
//! (e.g. `raise()` fails with ENOSYS). A `wasi_unstable` import of one gets the same.

use wasm_encoder::Function;
use wasmparser::FuncType;

use super::layout::{Builder, Replaced};
use super::{wasi_unstable, Action, Adaptation, Claim, Context, Done, ENOSYS, UNSTABLE};
use crate::module::Import;
use crate::wasi_core::{self, PREVIEW1_FUNCTIONS};

pub struct Enosys;

impl Adaptation for Enosys {
    fn claim(&self, import: &Import, _ty: Option<&FuncType>, _cx: &Context) -> Claim {
        let wasi = match import.module {
            UNSTABLE => {
                wasi_unstable::in_snapshot0(import.name)
                    && wasi_unstable::Shim::named(import.name).is_none()
            }
            module => {
                wasi_core::HOST_MODULES.contains(&module)
                    && PREVIEW1_FUNCTIONS.contains(&import.name)
            }
        };
        Ok((wasi && !wasi_core::core_has(import.name)).then_some(Action::Enosys))
    }

    fn replace<'a>(
        &self,
        replaced: &Replaced<'a>,
        _cx: &Context,
        layout: &mut Builder<'a>,
    ) -> Done {
        let ty = replaced.ty;
        let Import { module, name, .. } = replaced.import;
        layout.add_function(format!("{module}.{name}"), move |_| returning(ty, ENOSYS));
        Ok(())
    }
}

/// A function of type `ty` that returns `errno` when its first i32 result is an errno,
/// as for every preview1 function; an odd signature gets zeros for its other results,
/// or a trap when it returns a type without a zero.
pub fn returning(ty: &FuncType, errno: i32) -> Function {
    let mut f = Function::new([]);
    let mut sink = f.instructions();
    let mut errno_given = false;
    for result in ty.results() {
        match result {
            wasmparser::ValType::I32 if !errno_given => {
                errno_given = true;
                sink.i32_const(errno);
            }
            wasmparser::ValType::I32 => {
                sink.i32_const(0);
            }
            wasmparser::ValType::I64 => {
                sink.i64_const(0);
            }
            wasmparser::ValType::F32 => {
                sink.f32_const(0.0.into());
            }
            wasmparser::ValType::F64 => {
                sink.f64_const(0.0.into());
            }
            _ => {
                sink.unreachable();
                break;
            }
        }
    }
    sink.end();
    f
}
