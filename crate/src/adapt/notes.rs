//! The adapter's notes of its wrappers, for the trap instrumentation: a custom section
//! per wrapper, holding its function index (LEB128). The instrumentation puts its own
//! functions in their places (`output.rs`, `input.rs`, `release.rs`) and drops the
//! notes; a module adapted again drops the earlier adaptation's (its indices no longer
//! hold) and gets this one's.

use super::layout::Layout;
use super::{errnos, fd_write, input, output, release};

/// Each note's section and the name the adapter gives the wrapper it notes, in the order
/// the notes are written.
fn notes() -> [(&'static str, String); 4] {
    [
        (
            output::WRITE_WRAPPER_SECTION,
            fd_write::WRAPPER_NAME.to_owned(),
        ),
        (input::READ_WRAPPER_SECTION, errnos::wrapper_name("fd_read")),
        (
            release::CLOSE_WRAPPER_SECTION,
            errnos::wrapper_name("fd_close"),
        ),
        (
            release::RENUMBER_WRAPPER_SECTION,
            errnos::wrapper_name("fd_renumber"),
        ),
    ]
}

/// Whether a custom section is one of the notes.
pub fn is_note(name: &str) -> bool {
    notes().iter().any(|(section, _)| *section == name)
}

/// Notes each of the wrappers the adapter made.
pub fn note_wrappers(layout: &mut Layout) {
    for (section, name) in notes() {
        let Some(at) = layout.functions.iter().position(|f| f.name == name) else {
            continue;
        };
        let mut index = Vec::new();
        wasm_encoder::Encode::encode(&(layout.first_new_function + at as u32), &mut index);
        layout.custom.push((section, index));
    }
}
