#!/usr/bin/env bash
# Cross-builds crw for every desktop platform VS Code runs on, into extension/bin/<platform>-<arch>/
# (Node's process.platform and process.arch, which extension/src/crwPath.ts picks by), then
# checks each binary's header (scripts/check-crw-binaries.mjs). cargo-zigbuild links with zig:
# Linux statically against musl, macOS against zig's own libSystem stubs (no SDK), Windows
# against mingw (x64) and llvm-mingw (arm64). Cargo rebuilds only what changed, so a second
# run takes seconds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# zig and cargo-zigbuild live in the venv scripts/setup.sh makes.
export PATH="${RW_CROSS_VENV:-$HOME/.cache/rw-cross}/bin:$PATH"

# rust target = VS Code platform (process.platform-process.arch), one per line.
targets="x86_64-unknown-linux-musl=linux-x64
aarch64-unknown-linux-musl=linux-arm64
x86_64-apple-darwin=darwin-x64
aarch64-apple-darwin=darwin-arm64
x86_64-pc-windows-gnu=win32-x64
aarch64-pc-windows-gnullvm=win32-arm64"

args=()
while IFS== read -r target _; do args+=(--target "$target"); done <<<"$targets"
# A darwin link without an SDK makes rustc warn (it asks xcrun for one); zig's stubs suffice.
cargo zigbuild --quiet --profile dist -p crw "${args[@]}" 2> >(grep -v -e 'xcrun' -e 'SDK' -e '^ *|$' -e '^ *= ' -e 'generated 1 warning' -e '^$' >&2)

rm -rf extension/bin
while IFS== read -r target platform; do
  exe=crw
  case $target in *windows*) exe=crw.exe ;; esac
  mkdir -p "extension/bin/$platform"
  cp "target/$target/dist/$exe" "extension/bin/$platform/$exe"
done <<<"$targets"
node scripts/check-crw-binaries.mjs extension/bin
