#!/usr/bin/env bash
# Builds the Rust core for wasm32-unknown-unknown and generates its JavaScript glue
# (wasm-bindgen --target web) into extension/out/core/, where the extension bundle
# picks it up. The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock
# exactly, or the glue and the module disagree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  echo "build-core: wasm-bindgen CLI ${have:-not found}, but Cargo.lock pins wasm-bindgen $want." >&2
  echo "build-core: fix: cargo install wasm-bindgen-cli --version =$want" >&2
  exit 1
fi
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

cargo build --quiet --release --target wasm32-unknown-unknown -p rw-core
# Names and producers sections only add bytes to what the extension ships. The reset
# function lets src/core.ts drop an instance a panic (a trap) left behind for a fresh one.
wasm-bindgen --target web --out-dir extension/out/core --out-name rw_core \
  --remove-name-section --remove-producers-section --experimental-reset-state-function \
  target/wasm32-unknown-unknown/release/rw_core.wasm
# Its typings describe the raw exports; the extension imports the file as bytes
# (src/wasm.d.ts), and this file would shadow that declaration.
rm -f extension/out/core/rw_core_bg.wasm.d.ts
# The glue is an ES module; say so, for Node scripts that import it directly (bench).
echo '{ "type": "module" }' > extension/out/core/package.json
echo "build-core: extension/out/core/rw_core_bg.wasm $(stat -c %s extension/out/core/rw_core_bg.wasm) bytes"
