#!/usr/bin/env bash
# Installs what building and testing rw need and a fresh machine lacks; quick when all
# is there. Used by try.sh and test.sh (and so by .ci/run).
#   - Rust targets: wasm32-unknown-unknown (the core), wasm32-wasip1(-threads) (fixtures),
#     x86_64-apple-darwin and x86_64-pc-windows-msvc (crw is checked for macOS and Windows),
#     and the six targets crw ships for (scripts/build-crw.sh)
#   - zig and cargo-zigbuild from PyPI, pinned, in a venv (~/.cache/rw-cross): crw's cross linker
#   - wasm-bindgen-cli at exactly the version Cargo.lock pins
#   - npm packages of extension/ and tests/e2e/ (npm ci, from the lock files)
#   - Debian's chromium and code-server (a Node extension host) for the e2e
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "setup: $*"; }

installed=$(rustup target list --installed)
for target in wasm32-unknown-unknown wasm32-wasip1 wasm32-wasip1-threads x86_64-apple-darwin x86_64-pc-windows-msvc \
  x86_64-unknown-linux-musl aarch64-unknown-linux-musl aarch64-apple-darwin x86_64-pc-windows-gnu aarch64-pc-windows-gnullvm; do
  if ! grep -qx "$target" <<<"$installed"; then
    say "adding Rust target $target"
    rustup target add "$target"
  fi
done

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  # No --locked: the CLI's own lock names a crate version the registry lacks.
  say "installing wasm-bindgen-cli $want (was: ${have:-none}); this takes about 2 minutes"
  cargo install --quiet wasm-bindgen-cli --version "=$want"
fi

# crw's cross-builds link with zig through cargo-zigbuild; both pinned, both on PyPI.
venv=${RW_CROSS_VENV:-$HOME/.cache/rw-cross}
cross_pins="ziglang==0.15.2 cargo-zigbuild==0.24.1"
if [ "$(cat "$venv/pins" 2>/dev/null)" != "$cross_pins" ]; then
  say "installing $cross_pins in $venv"
  python3 -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install --quiet --disable-pip-version-check $cross_pins
  echo "$cross_pins" >"$venv/pins"
fi

# npm ci only when the lock is newer than the last install (npm records that one).
npm_ci() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci extension
npm_ci tests/e2e

missing=()
command -v chromium >/dev/null || [ -x "${RW_E2E_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# code-server needs its install scripts (native modules) and a ripgrep cache; its own script.
bash tests/e2e/install-code-server.sh
