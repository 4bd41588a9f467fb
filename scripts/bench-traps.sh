#!/usr/bin/env bash
# What rw's adaptation (the trap rewrite and its checks) costs a running program: CPU-bound
# fixtures run unadapted and adapted, side by side in one run, and the ratios printed
# (never asserted in a timed test). Goal (issue 13): median <= 1.10, worst <= 1.25.
#   scripts/bench-traps.sh [--rounds N] [--warmup N] [FILE.wasm...]
# RW_CORE=DIR times another build of the core (default extension/out/core).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -n "${RW_CORE:-}" ] || [ -f extension/out/core/rw_core_bg.wasm ] || scripts/build-core.sh
scripts/build-fixtures.sh >/dev/null
node scripts/bench-traps.mjs "$@"
