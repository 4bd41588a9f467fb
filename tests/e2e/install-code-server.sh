#!/usr/bin/env bash
# Installs code-server (npm, VS Code 1.100.3: the Node extension host) into tests/e2e/code-server/
# for the e2e tests, without network beyond the package registries. Idempotent: a second run only
# checks a stamp and exits. Debian, root (apt-get). Force a reinstall with --force.
#
# Why not a plain `npm ci`:
# - code-server needs its install scripts (native modules: node-pty, spdlog, argon2, ...; and its
#   postinstall runs a nested `npm install` in lib/vscode). tests/e2e/.npmrc disables scripts, so
#   code-server lives in its own package (code-server/package.json + lock), installed with them.
# - @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable) unless its cache holds the
#   asset: $TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-<target>.tar.gz, which it
#   untars into its bin/ and expects `rg` at the top. We build that tarball from Debian's ripgrep.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="$HERE/code-server"
STAMP="$DIR/node_modules/.rw-install-stamp"
RG_PKG_VERSION=1.15.11      # @vscode/ripgrep in code-server 4.100.3's lib/vscode shrinkwrap
RG_ASSET_VERSION=v13.0.0-10 # its postinstall's VERSION
say() { echo "install-code-server: $*"; }

FORCE=
[[ "${1:-}" == --force ]] && FORCE=1

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  say "code-server 4.100.3 needs Node 20 (found $(node -v))" >&2
  exit 1
fi

# The stamp records what was installed: the lock and the Node ABI (native modules).
want="$(sha256sum "$DIR/package-lock.json" | cut -d' ' -f1) node-abi-$(node -p process.versions.modules)"
cs="$DIR/node_modules/code-server"
if [[ -z "$FORCE" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" \
      && -x "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" && -e "$cs/lib/vscode/node_modules.asar" ]]; then
  say "already installed ($cs), nothing to do"
  exit 0
fi

# Debian packages: ripgrep (see above) and what the native modules build with (kerberos needs
# gssapi headers: libkrb5-dev; code-server's docs/npm.md).
missing=()
for pkg in ripgrep libkrb5-dev pkg-config make g++; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
command -v python3 >/dev/null || missing+=(python3) # node-gyp; any python3 on PATH will do
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

case "$(uname -m)" in
  x86_64) target=x86_64-unknown-linux-musl ;;
  aarch64) target=aarch64-unknown-linux-musl ;;
  *) say "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
tmp="${TMPDIR:-/tmp}" # what os.tmpdir() gives the postinstall
cache="$tmp/vscode-ripgrep-cache-$RG_PKG_VERSION"
asset="$cache/ripgrep-$RG_ASSET_VERSION-$target.tar.gz"
if [[ ! -s "$asset" ]]; then
  say "ripgrep cache: $asset (from $(command -v rg), $(rg --version | head -1))"
  mkdir -p "$cache"
  stage="$(mktemp -d)"
  cp "$(command -v rg)" "$stage/rg"
  tar czf "$asset.tmp" -C "$stage" rg
  mv "$asset.tmp" "$asset"
  rm -rf "$stage"
fi

say "npm ci in $DIR with install scripts (native modules; a few minutes)"
rm -f "$STAMP"
cd "$DIR"
# unsafe-perm: code-server's postinstall refuses to run as root without it; nodedir: node-gyp
# builds against the local headers instead of downloading them.
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="${npm_config_nodedir:-/usr}"
export TMPDIR="$tmp"
npm ci --ignore-scripts=false --no-audit --no-fund --loglevel=error

"$cs/out/node/entry.js" --version >/dev/null # fails loudly if a native module is broken
[[ -x "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] || { say "ripgrep missing after install" >&2; exit 1; }
echo "$want" >"$STAMP"
say "installed code-server $(node -p "require('$cs/package.json').version") in $cs"
