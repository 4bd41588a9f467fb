//! The JavaScript face of the WAT printer: one thin wasm-bindgen wrapper.
//! `extension/src/coreTypes.ts` (`WatAnswer`) mirrors its answer.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::page;

#[wasm_bindgen(start)]
pub fn start() {
    // A panic shows its message in the extension host's console, not just "unreachable".
    console_error_panic_hook::set_once();
}

/// A page of the module's text (`page.rs`): `{text, more, next, functions}`, or `{error}`.
#[wasm_bindgen(js_name = watPage)]
pub fn wat_page(bytes: &[u8], start: usize, limit: usize) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Answer {
        Page(page::WatPage),
        Error { error: String },
    }
    let answer = match page::page(bytes, start, limit) {
        Ok(page) => Answer::Page(page),
        Err(error) => Answer::Error { error },
    };
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    Ok(answer.serialize(&serializer)?)
}

/// Where defined function `index`'s text starts (`page::function_start`), or `undefined`.
#[wasm_bindgen(js_name = watFunctionStart)]
pub fn wat_function_start(bytes: &[u8], index: u32) -> Option<usize> {
    page::function_start(bytes, index)
}
