#!/usr/bin/env bash
# Fetches npm's ruby.wasm (16 MB, a real big module: scripts/bench.sh times it, the module view's
# e2e opens it) once, with `npm pack`, into target/bench/package/dist/ruby.wasm. Without the
# registry it says so on stderr and exits 0: those who use it then go without.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUBY_PACKAGE=@ruby/3.3-wasm-wasi@2.7.1
ruby=target/bench/package/dist/ruby.wasm
if [ ! -f "$ruby" ]; then
  mkdir -p target/bench
  if tarball=$(cd target/bench && npm pack --silent "$RUBY_PACKAGE" 2>/dev/null); then
    tar -xzf "target/bench/$tarball" -C target/bench package/dist/ruby.wasm
  else
    echo "fetch-ruby-wasm: could not fetch $RUBY_PACKAGE with npm pack" >&2
  fi
fi
