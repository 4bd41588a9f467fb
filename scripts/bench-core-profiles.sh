#!/usr/bin/env bash
# The core built with each size/speed choice, side by side: its size, the time to compile
# and instantiate it and its first preflight (scripts/bench-core-load.mjs), and how fast
# its preflight adapts npm's ruby.wasm (scripts/bench.sh, against the shipped build).
# The shipped choice is Cargo.toml's [profile.release]; the others are that profile
# changed with `cargo --config`, built into target/profiles/ (a target dir of their own,
# so the shipped build is never disturbed). Slow: one LTO build of the core per choice.
#   scripts/bench-core-profiles.sh [NAME...]       default: every choice below
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# name → cargo --config overrides of the release profile ("" = as shipped).
declare -A choices=(
  [shipped]=""
  [all-3]='profile.release.opt-level=3 profile.release.package.wasmparser.opt-level=3 profile.release.package.rw-core.opt-level=3'
  [all-s]='profile.release.opt-level="s" profile.release.package.wasmparser.opt-level="s" profile.release.package.rw-core.opt-level="s"'
  [all-z]='profile.release.opt-level="z" profile.release.package.wasmparser.opt-level="z" profile.release.package.rw-core.opt-level="z"'
  [thin-lto]='profile.release.lto="thin"'
  [no-lto]='profile.release.lto=false'
  [cgu-16]='profile.release.codegen-units=16'
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(shipped all-3 all-s all-z thin-lto no-lto cgu-16)

out=target/profiles
dirs=()
for name in "${names[@]}"; do
  args=()
  for c in ${choices[$name]}; do args+=(--config "$c"); done
  CARGO_TARGET_DIR=$out/cargo cargo build --quiet --release --target wasm32-unknown-unknown -p rw-core "${args[@]}"
  wasm-bindgen --target web --out-dir "$out/$name" --out-name rw_core \
    --remove-name-section --remove-producers-section --experimental-reset-state-function \
    "$out/cargo/wasm32-unknown-unknown/release/rw_core.wasm"
  rm -f "$out/$name/rw_core_bg.wasm.d.ts"
  echo '{ "type": "module" }' > "$out/$name/package.json"
  dirs+=("$out/$name")
done

# wasm-opt over the shipped build, when WASM_OPT names one (npm's binaryen has it:
# `npm install --prefix DIR binaryen@132.0.0`, then WASM_OPT=DIR/node_modules/.bin/wasm-opt).
wasm_opt=${WASM_OPT:-}
if [ -n "$wasm_opt" ] && [ -d "$out/shipped" ]; then
  for level in O3 Os Oz; do
    mkdir -p "$out/wasm-opt-$level"
    cp "$out/shipped/rw_core.js" "$out/shipped/package.json" "$out/wasm-opt-$level/"
    # Features as the target_features section says (rustc's defaults for the target).
    "$wasm_opt" "-$level" "$out/shipped/rw_core_bg.wasm" -o "$out/wasm-opt-$level/rw_core_bg.wasm"
    dirs+=("$out/wasm-opt-$level")
  done
fi

node scripts/bench-core-load.mjs "${dirs[@]}"
for dir in "${dirs[@]}"; do
  echo "== preflight speed of $dir (baseline: the shipped choice)"
  RW_CORE="$dir" RW_CORE_BASELINE="$out/shipped" scripts/bench.sh
done
