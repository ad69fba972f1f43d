#!/usr/bin/env bash
# The action's install step: find or build `shellwise` and tell the next step where it is
# (SHELLWISE_CI_BIN in $GITHUB_ENV). In order: the `shellwise` input, a `shellwise` on PATH,
# the cached build, else `cargo install` of the action's own revision (SHELLWISE_SRC).
set -euo pipefail
root="${SHELLWISE_CACHE:-$HOME/.cache/shellwise-action}"
if [ -n "${SHELLWISE_BIN:-}" ]; then
  bin="$SHELLWISE_BIN"
elif command -v shellwise >/dev/null; then
  bin="$(command -v shellwise)"
elif [ -x "$root/bin/shellwise" ]; then
  bin="$root/bin/shellwise"
else
  command -v cargo >/dev/null || { echo "::error title=shellwise ci::cargo is needed to build shellwise (or give the action a 'shellwise' binary)"; exit 1; }
  cargo install --locked --quiet --root "$root" --path "$SHELLWISE_SRC" --bin shellwise
  bin="$root/bin/shellwise"
fi
"$bin" --version
echo "SHELLWISE_CI_BIN=$bin" >>"$GITHUB_ENV"
