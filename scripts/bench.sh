#!/usr/bin/env bash
# Speed ratios of rw, measured side by side in one run (never asserted in a timed test).
#   scripts/bench.sh [FILE.wasm...]
# Without arguments it also times npm's ruby.wasm (the module issue #5 measures the trap
# rewrite on), fetched once with `npm pack` into target/bench/; with arguments, those
# modules instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f extension/out/core/rw_core_bg.wasm ] || scripts/build-core.sh

RUBY_PACKAGE=@ruby/3.3-wasm-wasi@2.7.1
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  ruby=target/bench/package/dist/ruby.wasm
  if [ ! -f "$ruby" ]; then
    mkdir -p target/bench
    if tarball=$(cd target/bench && npm pack --silent "$RUBY_PACKAGE" 2>/dev/null); then
      tar -xzf "target/bench/$tarball" -C target/bench package/dist/ruby.wasm
    else
      echo "bench: could not fetch $RUBY_PACKAGE with npm pack; timing the synthetic modules only" >&2
    fi
  fi
  [ -f "$ruby" ] && modules=("$ruby")
fi
node scripts/bench.mjs "${modules[@]}"
