#!/usr/bin/env bash
# Builds rw: the Rust core to wasm (with its JS glue), the extension bundle, and the
# VSIX, rw-<version>.vsix at the repository root. Prints the VSIX's path last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/build-core.sh
(cd extension && node esbuild.mjs --minify)
version=$(node -p "require('./extension/package.json').version")
root=$PWD
vsix="$root/rw-$version.vsix"
# The Marketplace page is the repository's README (vsce reads it from the extension folder).
cp README.md extension/README.md
# The bundle carries its dependencies, so vsce need not list node_modules.
(cd extension && npx vsce package --no-dependencies --allow-missing-repository --out "$vsix" >/dev/null)
echo "build: $vsix ($(stat -c %s "$vsix") bytes)"
