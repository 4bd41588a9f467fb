#!/usr/bin/env bash
# Build the test fixture programs (tests/fixtures/programs/src/bin/*.rs) to
# WASI preview1 modules and copy them to tests/fixtures/wasm/NAME.wasm.
#   - every program except the threads ones -> wasm32-wasip1
#   - the threads ones (THREADS_BINS)       -> wasm32-wasip1-threads
# Then the hand-written .wat modules and those made by code (tests/fixtures/generated).
# Works from any directory; incremental (cargo) so a no-op run is fast.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MANIFEST="tests/fixtures/Cargo.toml"
TARGET_DIR="target/fixtures"
OUT_DIR="tests/fixtures/wasm"
THREADS_BINS=(threads abort_thread trap_thread thread_exits thread_sleeps)

# Make sure the wasm targets are installed (only if rustup manages the toolchain).
if command -v rustup >/dev/null 2>&1; then
  installed="$(rustup target list --installed)"
  for t in wasm32-wasip1 wasm32-wasip1-threads; do
    if ! grep -qx "$t" <<<"$installed"; then
      echo "build-fixtures: installing missing rust target $t" >&2
      rustup target add "$t"
    fi
  done
fi

# Split the bins by target.
plain_args=()
threads_args=()
for src in tests/fixtures/programs/src/bin/*.rs; do
  name="$(basename "$src" .rs)"
  if [[ " ${THREADS_BINS[*]} " == *" $name "* ]]; then
    threads_args+=(--bin "$name")
  else
    plain_args+=(--bin "$name")
  fi
done

build() { # build TARGET BIN-ARGS...
  local target="$1"; shift
  cargo build --quiet --release \
    --manifest-path "$MANIFEST" --target-dir "$TARGET_DIR" \
    --target "$target" "$@"
}

build wasm32-wasip1 "${plain_args[@]}"
build wasm32-wasip1-threads "${threads_args[@]}"

mkdir -p "$OUT_DIR"
copy() { # copy TARGET NAME
  local src="$TARGET_DIR/$1/release/$2.wasm" dst="$OUT_DIR/$2.wasm"
  # Only replace when changed, so unchanged fixtures keep their mtime.
  if ! cmp -s "$src" "$dst"; then
    cp "$src" "$dst"
  fi
  printf '%-40s %8d bytes  (%s)\n' "$dst" "$(wc -c <"$dst")" "$1"
}
for ((i = 1; i < ${#plain_args[@]}; i += 2)); do copy wasm32-wasip1 "${plain_args[i]}"; done
for ((i = 1; i < ${#threads_args[@]}; i += 2)); do copy wasm32-wasip1-threads "${threads_args[i]}"; done

# Hand-written modules (tests/fixtures/wat/*.wat): cases no Rust toolchain emits,
# such as wasi_unstable imports, a component or a missing _start.
cargo build --quiet --release --manifest-path "$MANIFEST" --target-dir "$TARGET_DIR" -p wat2wasm
"$TARGET_DIR/release/wat2wasm" "$OUT_DIR" tests/fixtures/wat/*.wat
for wat in tests/fixtures/wat/*.wat; do
  dst="$OUT_DIR/$(basename "$wat" .wat).wasm"
  printf '%-40s %8d bytes  (%s)\n' "$dst" "$(wc -c <"$dst")" "wat"
done

# Modules made by code (tests/fixtures/generated): too big to write as .wat, such as
# code nested 100 000 deep.
cargo build --quiet --release --manifest-path "$MANIFEST" --target-dir "$TARGET_DIR" -p generated
generated=$("$TARGET_DIR/release/generated" "$OUT_DIR") # its own line: set -e sees a failure
for dst in $generated; do
  printf '%-40s %8d bytes  (%s)\n' "$dst" "$(wc -c <"$dst")" "generated"
done
