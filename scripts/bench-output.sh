#!/usr/bin/env bash
# Issue 14's benchmark: Enter → prompt back, timed side by side in one run, for the WASM
# WASI Core's own terminal path (extension/bench/coreRig: a bare createProcess on the Web
# Shell's terminal), rw before (another revision) and rw now, in VS Code for the Web and in
# code-server (the Web Shell, and crw in a bash terminal); then the medians against the
# goals, and where a first run's time goes (tests/e2e/bench/output.mjs says what each row is).
#   scripts/bench-output.sh [--rounds N] [--first-rounds N] [--hosts web,node] [--cat-mb MB]
# RW_OUTPUT_BASELINE=REV is rw before: by default where this branch left main (on main
# itself, the commit before); `none` leaves it out. Built once in target/output-baseline/REV
# (its core, its extension bundles, its crw); our fixtures and rig serve both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# This checkout as it is now: each step is quick when nothing changed.
scripts/build-core.sh >/dev/null
(cd extension && node esbuild.mjs)
scripts/build-fixtures.sh >/dev/null
cargo build --quiet --release -p crw
# The rig, one bundle for both hosts (it imports no Node built-in).
(cd extension && npx esbuild bench/coreRig/extension.ts --bundle --format=cjs --platform=neutral \
  --main-fields=module,main --target=es2022 --external:vscode --log-level=warning \
  --outfile=out/bench/coreRig/extension.js)

source scripts/baseline.sh
rev=$(baseline_rev RW_OUTPUT_BASELINE)
if [ -n "$rev" ]; then
  dir=$(baseline_tree "$rev" output)
  export RW_OUTPUT_BASELINE_DIR="$PWD/$dir" RW_OUTPUT_BASELINE_NAME="$rev"
fi
exec node tests/e2e/bench/output.mjs "$@"
