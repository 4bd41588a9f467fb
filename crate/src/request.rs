//! A run the user asked for, grouped as wasmtime groups its options: the program and its
//! arguments, what the host lends it (environment, directories), how its module is
//! adapted, the memory it is given, and what to do (run it, explain it, list it).
//!
//! `cli.rs` makes one from a command line; everything after it reads only this.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which command the user typed: the same options, its own name in help and usage.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Program {
    Rw,
    Crw,
}

impl Program {
    pub fn name(self) -> &'static str {
        match self {
            Program::Rw => "rw",
            Program::Crw => "crw",
        }
    }

    /// The synopsis, in the words `--help` and every usage error use.
    pub fn usage(self) -> &'static str {
        match self {
            Program::Rw => "rw [OPTIONS] [--] FILE [ARGS]...",
            Program::Crw => "crw [OPTIONS] [--] FILE [ARGS]...",
        }
    }
}

/// A run, with FILE resolved against the shell's cwd.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RunRequest {
    pub target: Target,
    pub host: HostOptions,
    pub adapt: AdaptOptions,
    pub memory: MemoryFlags,
    pub mode: Mode,
    pub print_elapsed_time: bool,
}

/// The module and what the program is called with.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// FILE as typed, for messages.
    pub file: String,
    /// FILE made absolute, for reading it.
    pub path: String,
    /// argv[0] of the program.
    pub program_name: String,
    /// argv[1..] of the program.
    pub args: Vec<String>,
}

/// What the host lends the program (wasmtime's `-S` and `--dir`).
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HostOptions {
    pub env: BTreeMap<String, String>,
    pub dirs: Vec<DirMount>,
}

/// A `--dir`: the host directory as a shell path, and where the program sees it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DirMount {
    /// HOST as typed, for messages.
    pub typed: String,
    /// HOST made absolute against the shell's cwd.
    pub host: String,
    /// GUEST as given, normalised to an absolute path; `None` where the user gave none
    /// (the program's tree then decides where HOST appears: `tree.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest: Option<String>,
}

/// How the module is made to link and to tell the truth (the adapter's options).
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AdaptOptions {
    /// Turn unknown function imports into stubs that exit with a message if called
    /// (`--stub-unknown-imports`); without it such imports are refused.
    pub stub_unknown_imports: bool,
    /// Which stdio streams are terminals, where some may not be (crw fills it in from its
    /// client); the adapter makes `isatty()` false for those that are not. `None` (the Web
    /// Shell, where all three are the terminal): nothing to correct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminals: Option<Terminals>,
}

/// Which of the program's stdin, stdout and stderr are terminals (crw: its own streams,
/// as the client reports them).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Terminals {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
}

impl Terminals {
    /// Bit `fd` set for each of fds 0-2 that is not a terminal; 0 when all are.
    pub fn not_terminals(terminals: Option<Terminals>) -> u8 {
        let Some(t) = terminals else { return 0 };
        [t.stdin, t.stdout, t.stderr]
            .iter()
            .enumerate()
            .filter(|(_, is_terminal)| !**is_terminal)
            .fold(0, |mask, (fd, _)| mask | 1 << fd)
    }
}

/// What the memory flags asked for; unset fields come from the module.
#[derive(Serialize, Deserialize, Debug, Clone, Default, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MemoryFlags {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
}

/// What to do with the module.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    Run,
    /// `--explain`: say how rw would run it.
    Explain,
    /// `--print-imports-exports`.
    ListImportsExports,
}

impl RunRequest {
    /// What the compiled module and its memory depend on besides the module's bytes: the
    /// file (named in the trap and stub messages), the adapter's options as they change
    /// the module, and the memory flags. Two runs with the same bytes and key may share
    /// one compiled module (the extension's cache).
    pub fn module_key(&self) -> String {
        let not_terminals = Terminals::not_terminals(self.adapt.terminals);
        format!(
            "{:?} stub={} not-terminals={not_terminals} memory={:?}",
            self.target.file, self.adapt.stub_unknown_imports, self.memory
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> RunRequest {
        RunRequest {
            target: Target {
                file: "p.wasm".into(),
                path: "/w/p.wasm".into(),
                program_name: "p.wasm".into(),
                args: vec!["a".into()],
            },
            host: HostOptions::default(),
            adapt: AdaptOptions::default(),
            memory: MemoryFlags::default(),
            mode: Mode::Run,
            print_elapsed_time: false,
        }
    }

    #[test]
    fn the_module_key_changes_with_what_changes_the_module_only() {
        let base = request();
        let mut other = base.clone();
        other.target.args.push("b".into());
        other.host.env.insert("A".into(), "1".into());
        other.print_elapsed_time = true;
        assert_eq!(base.module_key(), other.module_key());
        // All three streams terminals: adapted as with nothing said of them.
        other.adapt.terminals = Some(Terminals {
            stdin: true,
            stdout: true,
            stderr: true,
        });
        assert_eq!(base.module_key(), other.module_key());
        let changed = [
            |r: &mut RunRequest| r.target.file = "q.wasm".into(),
            |r: &mut RunRequest| r.adapt.stub_unknown_imports = true,
            |r: &mut RunRequest| r.memory.initial = Some(20),
            |r: &mut RunRequest| {
                r.adapt.terminals = Some(Terminals {
                    stdin: true,
                    stdout: false,
                    stderr: true,
                })
            },
        ];
        for change in changed {
            let mut other = base.clone();
            change(&mut other);
            assert_ne!(base.module_key(), other.module_key(), "{other:?}");
        }
    }

    #[test]
    fn terminals_cross_as_an_optional_object() {
        let mut r = request();
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["adapt"].get("terminals").is_none(), "{json}");
        r.adapt.terminals = Some(Terminals {
            stdin: true,
            stdout: false,
            stderr: true,
        });
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["adapt"]["terminals"],
            serde_json::json!({"stdin": true, "stdout": false, "stderr": true})
        );
        assert_eq!(serde_json::from_value::<RunRequest>(json).unwrap(), r);
    }

    #[test]
    fn not_terminals_is_a_mask_by_fd() {
        let t = |stdin, stdout, stderr| {
            Terminals::not_terminals(Some(Terminals {
                stdin,
                stdout,
                stderr,
            }))
        };
        assert_eq!(Terminals::not_terminals(None), 0);
        assert_eq!(t(true, true, true), 0);
        assert_eq!(t(false, true, true), 0b001);
        assert_eq!(t(true, false, false), 0b110);
    }
}
