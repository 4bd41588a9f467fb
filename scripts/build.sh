#!/usr/bin/env bash
# Builds rw: the Rust core to wasm (with its JS glue), the extension bundle, crw for the six
# desktop platforms (scripts/build-crw.sh), and one VSIX for every platform, rw-<version>.vsix at the repository root. Prints the VSIX's path last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/build-core.sh
scripts/build-crw.sh
(cd extension && node esbuild.mjs --minify)
version=$(node -p "require('./extension/package.json').version")
root=$PWD
vsix="$root/rw-$version.vsix"
# The bundle carries its dependencies, so vsce need not list node_modules. The Marketplace page
# is extension/README.md (the repository's README is for developers). vsce makes its relative
# links absolute from the repository's root, but the README and its images live in extension/.
repo=$(node -p "require('./extension/package.json').repository.url.replace(/\\.git\$/, '')")
(cd extension && npx vsce package --no-dependencies --out "$vsix" \
  --baseContentUrl "$repo/blob/HEAD/extension" --baseImagesUrl "$repo/raw/HEAD/extension")
echo "build: $vsix ($(stat -c %s "$vsix") bytes)"
