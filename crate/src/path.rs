//! Shell paths: what FILE means relative to the Web Shell's current directory.

/// `file` made absolute against `cwd` and normalised (`.`, `..`, repeated `/`),
/// as a POSIX shell would resolve it. `..` above the root stays at the root.
pub fn resolve(cwd: &str, file: &str) -> String {
    let joined = if file.starts_with('/') {
        file.to_owned()
    } else {
        format!("{cwd}/{file}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The last path segment: what the program sees as argv[0], like wasmtime does,
/// so no host path leaks into the guest.
pub fn basename(file: &str) -> &str {
    file.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|name| !name.is_empty())
        .unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_the_cwd() {
        assert_eq!(resolve("/workspace", "p.wasm"), "/workspace/p.wasm");
        assert_eq!(
            resolve("/workspace/", "./bin/p.wasm"),
            "/workspace/bin/p.wasm"
        );
    }

    #[test]
    fn absolute_paths_ignore_the_cwd() {
        assert_eq!(resolve("/workspace", "/tmp/p.wasm"), "/tmp/p.wasm");
    }

    #[test]
    fn dot_dot_and_double_slashes_are_normalised() {
        assert_eq!(
            resolve("/workspace/a", "../b//p.wasm"),
            "/workspace/b/p.wasm"
        );
        assert_eq!(resolve("/", "../../p.wasm"), "/p.wasm");
    }

    #[test]
    fn basename_is_the_last_segment() {
        assert_eq!(basename("bin/p.wasm"), "p.wasm");
        assert_eq!(basename("p.wasm"), "p.wasm");
        assert_eq!(basename("/a/b/"), "b");
    }
}
