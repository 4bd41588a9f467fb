//! The tree of directories a program sees, decided once for `rw` and `crw` alike.
//!
//! Its `/` is the shell's current directory, so a relative path means what it means in
//! the shell: wasi-libc resolves `notes.txt` against its cwd, `/`, and then looks for
//! the preopen with the longest matching prefix, so a tree whose `/` is the cwd is what
//! `wasmtime --dir .` gives. Each `--dir HOST[::GUEST]` appears at GUEST inside it
//! (GUEST defaults to HOST as typed, seen from `/`, as wasmtime names a preopen), and
//! `--dir HOST::/` puts HOST itself at `/`. In the Web Shell `/workspace` is mounted
//! too, so absolute workspace paths keep working from any directory.
//!
//! The extension serves the tree through one file system of its own (`confinedFs.ts`),
//! which confines every path to the directory it lands in.

use serde::Serialize;

use crate::message::{Grant, Message};
use crate::path;
use crate::request::{HostOptions, Program};

/// The one preopen a program gets, at fd 3: the tree's `/`, which the extension mounts
/// as the WASM WASI Core's only mount (the adapter's `preopens.rs` relies on it).
pub const PREOPEN: &str = "/";

/// Where the Web Shell shows the workspace folder.
pub const WEB_SHELL_WORKSPACE: &str = "/workspace";

/// The shell a command was typed in.
#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Shell {
    pub program: Program,
    /// The shell's current directory (a shell path for rw, this machine's for crw).
    pub cwd: String,
    /// The user's home directory, where crw runs.
    #[serde(default)]
    pub home: Option<String>,
}

/// A directory of the host behind a place in the tree.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HostDir {
    /// As the user typed it, for messages.
    pub typed: String,
    /// Made absolute against the shell's cwd (POSIX).
    pub host: String,
    /// rw chose it, the user did not ask for it: where it does not exist, the tree shows
    /// an empty directory (or leaves the mount out) instead of refusing the run.
    pub implied: bool,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Mount {
    /// Absolute, normalised, never `/`.
    pub guest: String,
    pub dir: HostDir,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Tree {
    /// What the program sees at `/`.
    pub root: HostDir,
    /// The most specific mount a path lies in serves it; one guest path, one mount.
    pub mounts: Vec<Mount>,
}

/// The program's tree, or why it may not run with the one it would get.
pub fn tree(host: &HostOptions, shell: &Shell) -> Result<Tree, Message> {
    let mut root = None;
    let mut mounts: Vec<Mount> = Vec::new();
    if shell.program == Program::Rw {
        mounts.push(Mount {
            guest: WEB_SHELL_WORKSPACE.to_owned(),
            dir: implied(WEB_SHELL_WORKSPACE),
        });
    }
    for dir in &host.dirs {
        let guest = dir
            .guest
            .clone()
            .unwrap_or_else(|| path::resolve("/", &dir.typed));
        let host = HostDir {
            typed: dir.typed.clone(),
            host: dir.host.clone(),
            implied: false,
        };
        if guest == "/" {
            root = Some(host);
            continue;
        }
        // A later --dir for the same GUEST replaces the earlier one, as in wasmtime.
        mounts.retain(|m| m.guest != guest);
        mounts.push(Mount { guest, dir: host });
    }
    let root = match root {
        Some(root) => root,
        None => {
            refuse_a_whole_grant(shell)?;
            implied(&shell.cwd)
        }
    };
    Ok(Tree { root, mounts })
}

fn implied(dir: &str) -> HostDir {
    HostDir {
        typed: dir.to_owned(),
        host: dir.to_owned(),
        implied: true,
    }
}

/// crw gives the program the directory the shell is in; in `/` or the home directory
/// that would be the whole disk or every file of the user, which only `--dir` may grant.
fn refuse_a_whole_grant(shell: &Shell) -> Result<(), Message> {
    if shell.program != Program::Crw {
        return Ok(());
    }
    let cwd = trim(&shell.cwd);
    let grant = if is_root(cwd) {
        Grant::Disk
    } else if shell.home.as_deref().map(trim) == Some(cwd) {
        Grant::Home
    } else {
        return Ok(());
    };
    Err(Message::WholeGrant {
        dir: shell.cwd.clone(),
        grant,
    })
}

/// `/a/b/` → `/a/b`; `/` → ``, `C:\` → `C:`.
fn trim(dir: &str) -> &str {
    dir.trim_end_matches(['/', '\\'])
}

/// A trimmed `/`, or a drive's root on Windows.
fn is_root(trimmed: &str) -> bool {
    let bytes = trimmed.as_bytes();
    bytes.is_empty() || (bytes.len() == 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{parse, parse_crw, Command};
    use crate::request::Terminals;

    fn rw(line: &str, cwd: &str) -> Result<Tree, Message> {
        let words: Vec<String> = line.split(' ').map(str::to_owned).collect();
        let Command::Run(request) = parse(&words, cwd) else {
            panic!("not a run: {line}")
        };
        let shell = Shell {
            program: Program::Rw,
            cwd: cwd.into(),
            home: None,
        };
        tree(&request.host, &shell)
    }

    const ALL_TERMINALS: Terminals = Terminals {
        stdin: true,
        stdout: true,
        stderr: true,
    };

    fn crw(line: &str, cwd: &str, home: &str) -> Result<Tree, Message> {
        let argv: Vec<String> = line.split(' ').map(str::to_owned).collect();
        let Command::Run(request) = parse_crw(&argv, cwd, ALL_TERMINALS) else {
            panic!("not a run: {line}")
        };
        let shell = Shell {
            program: Program::Crw,
            cwd: cwd.into(),
            home: Some(home.into()),
        };
        tree(&request.host, &shell)
    }

    fn guests(tree: &Tree) -> Vec<(&str, &str)> {
        tree.mounts
            .iter()
            .map(|m| (m.guest.as_str(), m.dir.host.as_str()))
            .collect()
    }

    #[test]
    fn the_web_shells_cwd_is_the_root_and_the_workspace_stays_reachable() {
        let tree = rw("p.wasm", "/workspace/sub").unwrap();
        assert_eq!(tree.root, implied("/workspace/sub"));
        assert_eq!(guests(&tree), [("/workspace", "/workspace")]);
        assert!(tree.mounts[0].dir.implied);
    }

    #[test]
    fn a_dir_defaults_its_guest_to_host_as_typed_seen_from_the_root() {
        let tree = rw("--dir data --dir ../up --dir /srv/x p.wasm", "/workspace/a").unwrap();
        assert_eq!(
            guests(&tree),
            [
                ("/workspace", "/workspace"),
                ("/data", "/workspace/a/data"),
                ("/up", "/workspace/up"),
                ("/srv/x", "/srv/x"),
            ]
        );
    }

    #[test]
    fn a_dir_at_the_root_replaces_the_cwd() {
        let tree = rw("--dir fs-tests.dir::/ p.wasm", "/workspace/t").unwrap();
        assert_eq!(tree.root.host, "/workspace/t/fs-tests.dir");
        assert!(!tree.root.implied);
        let tree = crw("--dir=d::// p.wasm", "/", "/root").unwrap();
        assert_eq!(tree.root.host, "/d");
        assert!(tree.mounts.is_empty());
    }

    #[test]
    fn the_last_dir_for_a_guest_wins() {
        let tree = crw("--dir a::/m --dir b::/m/ p.wasm", "/p", "/home/u").unwrap();
        assert_eq!(guests(&tree), [("/m", "/p/b")]);
    }

    #[test]
    fn crw_refuses_to_grant_the_whole_disk_or_home_implicitly() {
        for (cwd, grant) in [
            ("/", Grant::Disk),
            ("/home/u", Grant::Home),
            ("/home/u/", Grant::Home),
            ("C:\\", Grant::Disk),
        ] {
            let refused = crw("p.wasm", cwd, "/home/u").unwrap_err();
            assert_eq!(
                refused,
                Message::WholeGrant {
                    dir: cwd.into(),
                    grant
                },
                "{cwd}"
            );
        }
        assert!(crw("p.wasm", "/home/u/project", "/home/u").is_ok());
        assert!(crw("--dir .::/ p.wasm", "/home/u", "/home/u").is_ok());
        assert!(rw("p.wasm", "/").is_ok());
    }
}
