#!/usr/bin/env bash
# Fuzzes for SECONDS (default 60) with the stable engine in crate/fuzz, one process per
# core, each running every target for its share of the time: modules (inspector, planner,
# adapter; half the time), rw's Web Shell words, crw's argv and crw's frames. Built with
# overflow checks on (Cargo.toml's `fuzz` profile). A failing input lands in
# crate/fuzz/crashes/, which `cargo test` replays from then on.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
[ -f tests/fixtures/wasm/hello.wasm ] || scripts/build-fixtures.sh >/dev/null
cargo build --quiet --profile fuzz -p rw-core-fuzz
pids=()
for core in $(seq 1 "$(nproc)"); do
  target/fuzz/rw-core-fuzz "$seconds" "$((RANDOM * 65536 + RANDOM + core))" &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
