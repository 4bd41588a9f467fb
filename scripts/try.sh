#!/usr/bin/env bash
# The main job: set up, build rw-<version>.vsix, and serve a local VS Code for the Web
# with it installed, to try it in a browser. RW_TRY_PORT picks the port (default 3000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/build-samples.sh >/dev/null
scripts/build.sh
version=$(node -p "require('./extension/package.json').version")
exec node scripts/try.mjs "rw-$version.vsix" --port "${RW_TRY_PORT:-3000}"
