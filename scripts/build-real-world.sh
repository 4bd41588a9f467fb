#!/usr/bin/env bash
# Builds real programs from the Rust package registry for wasm32-wasip1, as their users
# would (`cargo install --target wasm32-wasip1`), into target/real-world/: what the e2e runs
# beside our own fixtures. Pinned and --locked (the crate's own lock file), built once into
# ~/.cache/rw-real-world (a second checkout or CI on this machine copies it in a moment);
# never committed. About two minutes cold on two cores.
#   ripgrep 14.1.1: rg.wasm, a real command-line tool: argument parsing, a directory walk
#   (fd_readdir, path_open), reading files, and a lot of output.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

out=target/real-world
cache=${RW_REAL_WORLD_CACHE:-$HOME/.cache/rw-real-world}
mkdir -p "$out"

# name crate version binary
while read -r name crate version binary; do
  root="$cache/$crate-$version"
  if [ ! -f "$root/bin/$binary.wasm" ]; then
    echo "build-real-world: cargo install $crate $version for wasm32-wasip1 (once, into $root)" >&2
    cargo install --quiet --locked --target wasm32-wasip1 "$crate" --version "=$version" --root "$root"
  fi
  cp "$root/bin/$binary.wasm" "$out/$name.wasm"
done <<'EOF'
rg ripgrep 14.1.1 rg
EOF
echo "$out"
