#!/usr/bin/env bash
# The main job: set up, build rw-<version>.vsix, and serve a local VS Code for the Web
# with it installed, to try it in a browser. RW_TRY_PORT picks the port (default 3000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/build-fixtures.sh >/dev/null
vsix=$(scripts/build.sh | tee /dev/stderr | sed -n 's/^build: \(.*\.vsix\) (.*/\1/p')
exec node scripts/try.mjs "$vsix" --port "${RW_TRY_PORT:-3000}"
