#!/usr/bin/env bash
# MB/s through crw beside the bare socket, and beside another build of crw and its server,
# in one run (extension/bench/crwThroughput.ts says what each row measures):
#   scripts/bench-crw.sh [MEGABYTES]          (100 by default)
# RW_CRW_BASELINE=REV is the build to compare with: by default where this branch left main
# (on main itself, the commit before). Its tree is built once in target/crw-baseline/REV
# (its crw and core; our fixtures, and our bench file, so both sides are measured alike).
# RW_CRW_BASELINE=none skips the comparison.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f extension/out/core/rw_core_bg.wasm ] || scripts/build-core.sh
[ -f tests/fixtures/wasm/cat.wasm ] || scripts/build-fixtures.sh >/dev/null
cargo build --quiet --release -p crw

bundle() { # DIR: bundles DIR/extension/bench/crwThroughput.ts against DIR's sources
  (cd "$1/extension" && npx esbuild bench/crwThroughput.ts --bundle --platform=node --format=cjs \
    --loader:.wasm=binary --target=node20 --log-override:empty-import-meta=silent \
    --external:vscode --log-level=warning --outfile=out/bench/crwThroughput.cjs)
}
bundle .

source scripts/baseline.sh
rev=$(baseline_rev RW_CRW_BASELINE)
if [ -n "$rev" ]; then
  dir=$(baseline_tree "$rev" crw)
  cp extension/bench/crwThroughput.ts "$dir/extension/bench/crwThroughput.ts"
  bundle "$dir"
  export RW_CRW_BASELINE_BENCH="$PWD/$dir/extension/out/bench/crwThroughput.cjs" RW_CRW_BASELINE_NAME="$rev"
fi
cd extension
node out/bench/crwThroughput.cjs "${1:-100}"
