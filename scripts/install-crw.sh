#!/usr/bin/env bash
# Installs the crw client (crw/) on this machine's PATH with cargo: `crw FILE ARGS…` then runs
# WASI programs from VS Code's integrated terminals through the rw extension.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo install --locked --path crw
