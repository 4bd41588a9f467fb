#!/usr/bin/env bash
# Builds the sample programs scripts/try.sh serves (samples/) into target/samples/wasm/, with
# samples/notes.txt beside them. Cargo is incremental, so a second run takes a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=target/samples/wasm
build=(cargo build --quiet --offline --release --manifest-path samples/Cargo.toml --target-dir target/samples)
"${build[@]}" --target wasm32-wasip1 --bin hello --bin args --bin cat --bin guess
"${build[@]}" --target wasm32-wasip1-threads --bin threads
mkdir -p "$out"
for bin in hello args cat guess; do cp "target/samples/wasm32-wasip1/release/$bin.wasm" "$out/"; done
cp target/samples/wasm32-wasip1-threads/release/threads.wasm "$out/"
cp samples/notes.txt "$out/"
echo "$out"
