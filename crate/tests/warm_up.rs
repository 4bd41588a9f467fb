//! The warm-up module (`warm_up.rs`) walks the run path it is planned to warm: it is a
//! valid WASI module that rw adapts, instruments for its traps and watches.

use rw_core::cli::{parse, Command};
use rw_core::plan::{plan, Decision};

#[test]
fn the_warm_up_module_is_valid_and_planned_through_the_whole_run_path() {
    let bytes = rw_core::warm_up::module();
    wasmparser::Validator::new()
        .validate_all(&bytes)
        .expect("the warm-up module is valid");
    let Command::Run(request) = parse(&["warm-up.wasm".to_owned()], "/") else {
        panic!("a plain command line is a run");
    };
    match plan(&request, &bytes) {
        Decision::Run {
            module: Some(adapted),
            watch: Some(_),
            memory: Some(_),
        } => {
            wasmparser::Validator::new()
                .validate_all(&adapted)
                .expect("what rw makes of it is valid");
        }
        Decision::Run {
            module,
            watch,
            memory,
        } => panic!(
            "not the whole path: rewritten {}, watched {}, memory {memory:?}",
            module.is_some(),
            watch.is_some()
        ),
        _ => panic!("the warm-up module is refused or reported"),
    }
}
