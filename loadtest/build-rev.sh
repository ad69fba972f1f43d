#!/usr/bin/env bash
# Build git revision REV of this repository as a release binary for bench.py, without touching
# the work tree, the index or ./target (someone may be editing and compiling there meanwhile).
#
#   loadtest/build-rev.sh main          # prints the path of the binary, e.g.
#   # /work/lt-target/bin/shellwise-64628a5e1f2b
#   loadtest/bench.py --a "$(loadtest/build-rev.sh main)" --b target/release/shellwise
#
# The source comes from `git archive` into /tmp (no worktree entry is left in .git), and the
# build goes to CARGO_TARGET_DIR (default /work/lt-target), shared by all revisions so
# dependencies compile once. Binaries are cached by commit: a second call is instant.
set -euo pipefail
rev=${1:?usage: loadtest/build-rev.sh REV}
repo=$(cd "$(dirname "$0")/.." && pwd)
sha=$(git -C "$repo" rev-parse --verify "$rev^{commit}")
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/lt-target}
out="$CARGO_TARGET_DIR/bin/shellwise-${sha:0:12}"
if [ -x "$out" ]; then echo "$out"; exit 0; fi

src=$(mktemp -d "/tmp/shellwise-rev-${sha:0:12}-XXXX")
trap 'rm -rf "$src"' EXIT
git -C "$repo" archive "$sha" | tar -x -C "$src"
# nice: a benchmark build should not starve whoever is working on this machine.
(cd "$src" && nice -n 10 cargo build --release --locked --quiet --bin shellwise) >&2
mkdir -p "$(dirname "$out")"
cp "$CARGO_TARGET_DIR/release/shellwise" "$out.tmp" && mv "$out.tmp" "$out"
echo "$out"
