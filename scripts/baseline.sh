# Sourced by the benchmark scripts that time this checkout beside another revision of rw.
#   baseline_rev VAR        the revision VAR names, by default where this branch left main
#                           (on main itself, the commit before); prints nothing for `none`
#   baseline_tree REV KIND  the tree of REV, checked out and built once (its core, extension
#                           bundles and crw; our npm packages and fixtures serve it) into
#                           target/KIND-baseline/REV; prints its path

baseline_rev() {
  local base=${!1:-}
  if [ -z "$base" ]; then
    base=$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD)
    [ "$base" = "$(git rev-parse HEAD)" ] && base=HEAD~1
  fi
  [ "$base" = none ] || git rev-parse --short "$base"
}

baseline_tree() {
  local rev=$1 dir=target/$2-baseline/$1
  if [ ! -f "$dir/.built" ]; then
    echo "$2 baseline: building rw $rev (once) in $dir" >&2
    rm -rf "$dir" && mkdir -p "$dir"
    git archive "$rev" | tar -x -C "$dir"
    ln -s "$PWD/extension/node_modules" "$dir/extension/node_modules"
    ln -s "$PWD/tests/fixtures/wasm" "$dir/tests/fixtures/wasm"
    (cd "$dir" && scripts/build-core.sh && (cd extension && node esbuild.mjs) &&
      cargo build --quiet --release -p crw) >/dev/null
    touch "$dir/.built"
  fi
  echo "$dir"
}
