#!/usr/bin/env bash
# MB/s through crw beside the bare socket, in one run (extension/bench/crwThroughput.ts says
# what each row measures):  scripts/bench-crw.sh [MEGABYTES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f extension/out/core/rw_core_bg.wasm ] || scripts/build-core.sh
[ -f tests/fixtures/wasm/cat.wasm ] || scripts/build-fixtures.sh >/dev/null
cargo build --quiet --release -p crw
cd extension
npx esbuild bench/crwThroughput.ts --bundle --platform=node --format=cjs --loader:.wasm=binary \
  --target=node20 --log-override:empty-import-meta=silent --external:vscode --log-level=warning \
  --outfile=out/bench/crwThroughput.cjs
node out/bench/crwThroughput.cjs "${1:-200}"
