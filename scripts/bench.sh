#!/usr/bin/env bash
# Speed ratios of rw, measured side by side in one run (never asserted in a timed test).
#   scripts/bench.sh [FILE.wasm...]
# Without arguments it also times npm's ruby.wasm (the module issue #5 measures the trap
# rewrite on), fetched once by scripts/fetch-ruby-wasm.sh into target/bench/; with arguments, those
# modules instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f extension/out/core/rw_core_bg.wasm ] || scripts/build-core.sh

modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  scripts/fetch-ruby-wasm.sh
  ruby=target/bench/package/dist/ruby.wasm
  if [ -f "$ruby" ]; then modules=("$ruby"); else echo "bench: timing the synthetic modules only" >&2; fi
fi
node scripts/bench.mjs "${modules[@]}"
