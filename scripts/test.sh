#!/usr/bin/env bash
# Runs every test of rw, installing what a fresh machine lacks first (.ci/run calls
# exactly this): formatting and lints, the core's Rust tests, the extension's type
# check and unit tests (built core + a test double of the WASI Core), and the e2e in a
# real VS Code for the Web and a real Node extension host (code-server).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { echo; echo "== $* ($(date +%T))"; }

step setup
scripts/setup.sh

step "format and lints"
cargo fmt --all --check
cargo fmt --all --check --manifest-path tests/fixtures/Cargo.toml
cargo fmt --all --check --manifest-path tests/fixtures/cargo-runner/Cargo.toml
cargo fmt --all --check --manifest-path samples/Cargo.toml
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p rw-core -p rw-wat -- -D warnings
# crw's local sockets differ per OS: it must at least build for macOS and Windows.
cargo clippy --quiet --target x86_64-apple-darwin -p crw -- -D warnings
cargo clippy --quiet --target x86_64-pc-windows-msvc -p crw -- -D warnings

step "fixtures, samples and real programs from the registry"
scripts/build-fixtures.sh
scripts/build-samples.sh >/dev/null
scripts/build-real-world.sh >/dev/null

step "core: cargo test"
cargo test --quiet

step "core: 60 s of fuzzing (scripts/fuzz.sh SECONDS runs longer)"
scripts/fuzz.sh 60

step "build: core to wasm, extension bundle, crw for six platforms (headers checked), VSIX"
scripts/build.sh

step "extension: type check and unit tests (crw's against the real client)"
cargo build --quiet -p crw
(cd extension && npx tsc --noEmit && npm test --silent)

step "e2e: VS Code for the Web and code-server"
scripts/fetch-ruby-wasm.sh # the module view opens it (skipped without)
(cd tests/e2e && node --test --test-concurrency=1 ./)
echo; echo "== done ($(date +%T))"
