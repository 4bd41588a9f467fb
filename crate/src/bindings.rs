//! The JavaScript face of the core: thin wasm-bindgen wrappers, no logic.
//! Values cross as plain objects (serde-wasm-bindgen); `extension/src/coreTypes.ts`
//! mirrors their shapes.

use std::cell::RefCell;

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

use crate::{cli, explain, message, plan, request, tree, view, warm_up};

#[wasm_bindgen(start)]
pub fn start() {
    // A panic shows its message in the extension host's console, not just "unreachable".
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    Ok(value.serialize(&serializer)?)
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    Ok(serde_wasm_bindgen::from_value(value)?)
}

/// The Web Shell's words and cwd → `{kind: "exit", …}` or `{kind: "run", …}`.
#[wasm_bindgen(js_name = parseCommandLine)]
pub fn parse_command_line(words: Vec<String>, cwd: &str) -> Result<JsValue, JsError> {
    to_js(&cli::parse(&words, cwd))
}

/// `crw`'s argv (split by the user's shell) and cwd → the same shapes as `parseCommandLine`.
#[wasm_bindgen(js_name = parseCrwCommandLine)]
pub fn parse_crw_command_line(
    argv: Vec<String>,
    cwd: &str,
    terminals: JsValue,
) -> Result<JsValue, JsError> {
    to_js(&cli::parse_crw(&argv, cwd, from_js(terminals)?))
}

/// What a compiled module depends on besides its bytes: runs with the same bytes and
/// key may share it (the extension's module cache).
#[wasm_bindgen(js_name = moduleKey)]
pub fn module_key(request: JsValue) -> Result<String, JsError> {
    let request: request::RunRequest = from_js(request)?;
    Ok(request.module_key())
}

thread_local! {
    /// The last adapted module, which `planRun` hands out as a view: kept here until the
    /// next plan replaces it.
    static HANDED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// A run request and the file's bytes → `{kind: "refuse", code, line}`,
/// `{kind: "print", text}` or `{kind: "run", memory?, module?}`.
///
/// An adapted `module` is a view of the core's memory, not a copy: valid until the
/// next call into the core, so the caller compiles it at once (`WebAssembly.compile`
/// copies its bytes before it returns). Why: a module can be tens of MB, and a copy
/// into a new `Uint8Array` is about a tenth of the whole rewrite (`scripts/bench.sh`).
#[wasm_bindgen(js_name = planRun)]
// The core's one `unsafe`: the view (see SAFETY below).
#[allow(unsafe_code)]
pub fn plan_run(request: JsValue, bytes: &[u8]) -> Result<JsValue, JsError> {
    let request: request::RunRequest = from_js(request)?;
    #[derive(serde::Serialize)]
    #[serde(tag = "kind", rename_all = "camelCase")]
    enum Answer {
        Refuse(message::ExitLine),
        Print {
            text: String,
        },
        Run {
            #[serde(skip_serializing_if = "Option::is_none")]
            memory: Option<plan::MemoryDescriptor>,
            #[serde(skip_serializing_if = "Option::is_none")]
            watch: Option<Box<crate::adapt::watch::Watch>>,
        },
    }
    let (answer, module) = match plan::plan(&request, bytes) {
        plan::Decision::Refuse(message) => {
            (Answer::Refuse(message::ExitLine::from(&message)), None)
        }
        plan::Decision::Print(report) => (
            Answer::Print {
                text: explain::render(&report),
            },
            None,
        ),
        plan::Decision::Run {
            memory,
            module,
            watch,
        } => (Answer::Run { memory, watch }, module),
    };
    let value = to_js(&answer)?;
    if let Some(module) = module {
        let key = JsValue::from_str("module");
        HANDED
            .with_borrow_mut(|handed| {
                *handed = module;
                // SAFETY: the view is valid while the core's memory does not grow and
                // `handed` lives; nothing allocates before the caller compiles it.
                let view = unsafe { js_sys::Uint8Array::view(handed) };
                js_sys::Reflect::set(&value, &key, &view)
            })
            .map_err(|_| JsError::new("cannot hand the adapted module out"))?;
    }
    Ok(value)
}

/// A run request and the shell it was typed in → the program's directory tree
/// (`{kind: "tree", root, mounts}`) or `{kind: "refuse", code, line}`.
#[wasm_bindgen(js_name = programTree)]
pub fn program_tree(request: JsValue, shell: JsValue) -> Result<JsValue, JsError> {
    let request: request::RunRequest = from_js(request)?;
    let shell: tree::Shell = from_js(shell)?;
    #[derive(serde::Serialize)]
    #[serde(tag = "kind", rename_all = "camelCase")]
    enum Answer {
        Tree(tree::Tree),
        Refuse(message::ExitLine),
    }
    to_js(&match tree::tree(&request.host, &shell) {
        Ok(tree) => Answer::Tree(tree),
        Err(refusal) => Answer::Refuse(message::ExitLine::from(&refusal)),
    })
}

/// A host-side failure (`{kind: "notFound", file, cwd}`, …) → `{code, line}`.
#[wasm_bindgen(js_name = describe)]
pub fn describe(failure: JsValue) -> Result<JsValue, JsError> {
    let failure: message::Message = from_js(failure)?;
    to_js(&message::ExitLine::from(&failure))
}

/// A `.wasm` file's bytes → what the module view shows (`view.rs` `ModuleView`).
#[wasm_bindgen(js_name = describeModule)]
pub fn describe_module(file: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
    to_js(&view::describe(file, bytes))
}

/// The module the extension plans once when it starts (`warm_up.rs`), to have V8
/// compile the core's run path before a user's first run needs it.
#[wasm_bindgen(js_name = warmUpModule)]
pub fn warm_up_module() -> Vec<u8> {
    warm_up::module()
}

/// The core's version, which is rw's.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
