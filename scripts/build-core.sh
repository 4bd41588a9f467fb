#!/usr/bin/env bash
# Builds the Rust core for wasm32-unknown-unknown and generates its JavaScript glue
# (wasm-bindgen --target web) into extension/out/core/, where the extension bundle
# picks it up; likewise the module view's WAT printer (crate/wat) into extension/out/wat/,
# whose .wasm ships beside the bundles and is loaded only when text is asked for. The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock
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

cargo build --quiet --release --target wasm32-unknown-unknown -p rw-core -p rw-wat
for name in core wat; do
  out=extension/out/$name
  # Names and producers sections only add bytes to what the extension ships. The reset
  # function lets src/coreGuard.ts drop an instance a panic (a trap) left behind for a
  # fresh one.
  wasm-bindgen --target web --out-dir "$out" --out-name "rw_$name" \
    --remove-name-section --remove-producers-section --experimental-reset-state-function \
    "target/wasm32-unknown-unknown/release/rw_$name.wasm"
  # Its typings describe the raw exports; the extension imports the core's file as bytes
  # (src/wasm.d.ts), and this file would shadow that declaration.
  rm -f "$out/rw_${name}_bg.wasm.d.ts"
  # The glue is an ES module; say so, for Node scripts that import it directly (bench).
  echo '{ "type": "module" }' > "$out/package.json"
  echo "build-core: $out/rw_${name}_bg.wasm $(stat -c %s "$out/rw_${name}_bg.wasm") bytes"
done
