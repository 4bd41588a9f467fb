#!/usr/bin/env bash
# Fuzzes the core (inspector, planner, adapter) for SECONDS (default 60) with the
# stable engine in crate/fuzz, one process per core. A failing input lands in
# crate/fuzz/crashes/, which `cargo test` replays from then on.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
[ -f tests/fixtures/wasm/hello.wasm ] || scripts/build-fixtures.sh >/dev/null
cargo build --quiet --release -p rw-core-fuzz
pids=()
for core in $(seq 1 "$(nproc)"); do
  target/release/rw-core-fuzz "$seconds" "$((RANDOM * 65536 + RANDOM + core))" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
