#!/usr/bin/env bash
# Everything the TypeScript SDK needs, from a fresh machine with only node 20 and python3:
# install the pinned tools, check the generated code, type check and build, then run the suite
# against a real `shellwise serve` on loopback (../testserver.sh).
#
#   clients/typescript/test.sh [path/to/shellwise]
#     default: $SHELLWISE_BIN, else <repo>/target/release/shellwise
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${1:-${SHELLWISE_BIN:-$repo/target/release/shellwise}}"
[ -x "$bin" ] || { echo "no shellwise binary at $bin (pass its path)" >&2; exit 2; }
bin="$(realpath "$bin")"
cd "$here"

# @hey-api/openapi-ts 0.95 needs Node >= 20.19 (its engines field); say so rather than fail oddly.
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  if (a < 20 || (a === 20 && b < 19)) { console.error(`node ${process.version}: need >= 20.19`); process.exit(1); }'

# npm's download cache lives with the other build caches, so CI reruns install offline-fast.
export npm_config_cache="${CARGO_TARGET_DIR:-$repo/target}/clients-cache/typescript/npm"
start=$SECONDS
npm ci --prefer-offline --no-audit --no-fund --loglevel=error
echo "installed in $((SECONDS - start)) s"

./generate.sh --check

echo "type checking and building"
rm -rf dist build
node_modules/.bin/tsc -p tsconfig.json        # the library: DOM + ES2022 only, no Node types
node_modules/.bin/tsc -p tsconfig.test.json   # tests and README examples

../testserver.sh "$bin" -- node --test --test-reporter=spec build/test/*.test.js
