//! `rw --explain FILE`: how rw would run a module, in a few lines a user can act on,
//! instead of running it.

use crate::adapt;
use crate::inspect::Inspection;
use crate::message::Message;
use crate::patch::Uncaught;
use crate::plan::Runnable;
use crate::request::RunRequest;

pub fn explain(
    request: &RunRequest,
    size: usize,
    inspection: &Inspection,
    runnable: &Result<Runnable, Message>,
) -> String {
    let mut lines = vec![format!(
        "module: {}, a core WebAssembly module of {size} bytes{}",
        request.target.file,
        producers(inspection)
    )];
    lines.push(memory_line(inspection, runnable));
    if inspection.imports_thread_spawn() {
        lines.push(
            "threads: imports wasi.thread-spawn; the WASM WASI Core runs each thread in a worker"
                .into(),
        );
    }
    match runnable {
        Ok(run) => {
            if !run.changes.iter().any(adapt::Change::for_linking) {
                lines.push("imports: all linked by the WASM WASI Core as they are".into());
            }
            for line in adapt::explain(&run.changes).lines() {
                lines.push(format!(
                    "adapt: {}",
                    line.replace("FILE", &request.target.file)
                ));
            }
            lines.push("run: yes".into());
        }
        Err(message) => lines.push(format!("run: no, {}", message.line())),
    }
    lines.push(traps_line(runnable));
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn producers(inspection: &Inspection) -> String {
    let tools: Vec<String> = inspection
        .producers
        .iter()
        .filter(|field| field.name == "language" || field.name == "processed-by")
        .flat_map(|field| &field.values)
        .map(|(name, version)| match version.as_str() {
            "" => name.clone(),
            version => format!("{name} {version}"),
        })
        .collect();
    if tools.is_empty() {
        String::new()
    } else {
        format!(", from {}", tools.join(", "))
    }
}

fn memory_line(inspection: &Inspection, runnable: &Result<Runnable, Message>) -> String {
    let Some((import, memory)) = inspection.memory_import() else {
        return "memory: its own, exported as 'memory'".into();
    };
    let limits = format!(
        "{}{} pages{}",
        memory.initial,
        memory.maximum.map(|m| format!("..{m}")).unwrap_or_default(),
        if memory.shared { ", shared" } else { "" }
    );
    let given = match runnable {
        Ok(Runnable {
            memory: Some(given),
            ..
        }) => format!(
            "; rw gives initial {}, maximum {}, shared {}",
            given.initial,
            given.maximum.map_or("none".into(), |m| m.to_string()),
            given.shared
        ),
        _ => String::new(),
    };
    format!(
        "memory: imports {}.{} ({limits}){given}",
        import.module, import.name
    )
}

fn traps_line(runnable: &Result<Runnable, Message>) -> String {
    const OTHER: &str = "other traps (out-of-bounds access, division by zero, stack overflow) \
                         leave the WASM WASI Core 1.0.2 waiting: Ctrl-C stops the program (130)";
    let caught = match runnable {
        Ok(Runnable { traps: Ok(()), .. }) => {
            "traps: `unreachable` (a panic, abort(), a failed assert) prints a line and exits with 134"
        }
        Ok(Runnable {
            traps: Err(Uncaught::NoUnreachable),
            ..
        }) => "traps: the module has no `unreachable`",
        Ok(Runnable {
            traps: Err(Uncaught::NoWasiExit),
            ..
        }) => "traps: not caught: the module does not import preview1 fd_write and proc_exit",
        Ok(Runnable { traps: Err(_), .. }) => "traps: not caught",
        Err(_) => "traps: -",
    };
    format!("{caught}; {OTHER}")
}
