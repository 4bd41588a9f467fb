#!/usr/bin/env bash
# Speed ratios of rw, measured side by side in one run (never asserted in a timed test).
# Arguments: real modules to time too, e.g. npm's ruby.wasm
# (`npm pack @ruby/3.3-wasm-wasi` has it in package/dist/ruby.wasm).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f extension/out/core/rw_core_bg.wasm ] || scripts/build-core.sh
node scripts/bench.mjs "$@"
