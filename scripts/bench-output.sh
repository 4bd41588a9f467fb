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

base=${RW_OUTPUT_BASELINE:-}
if [ -z "$base" ]; then
  base=$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD)
  [ "$base" = "$(git rev-parse HEAD)" ] && base=HEAD~1
fi
if [ "$base" != none ]; then
  rev=$(git rev-parse --short "$base")
  dir=target/output-baseline/$rev
  if [ ! -f "$dir/.built" ]; then
    echo "bench-output: building rw $rev (once) in $dir" >&2
    rm -rf "$dir" && mkdir -p "$dir"
    git archive "$rev" | tar -x -C "$dir"
    ln -s "$PWD/extension/node_modules" "$dir/extension/node_modules"
    (cd "$dir" && scripts/build-core.sh >/dev/null && (cd extension && node esbuild.mjs) &&
      cargo build --quiet --release -p crw)
    touch "$dir/.built"
  fi
  export RW_OUTPUT_BASELINE_DIR="$PWD/$dir" RW_OUTPUT_BASELINE_NAME="$rev"
fi
exec node tests/e2e/bench/output.mjs "$@"
