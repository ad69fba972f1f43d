#!/usr/bin/env bash
# Regenerate src/generated/ from ../../openapi/openapi.json with the pinned @hey-api/openapi-ts
# (settings in openapi-ts.config.mjs). Nothing in src/generated/ is edited by hand; the
# hand-written layer lives beside it in src/.
#
#   ./generate.sh          rewrite src/generated/
#   ./generate.sh --check  generate into a temp dir and fail, with a diff summary, if the
#                          committed src/generated/ differs (the spec changed, or someone edited it)
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  "") check=false ;;
  --check) check=true ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
[ -x node_modules/.bin/openapi-ts ] || npm ci --no-audit --no-fund --loglevel=error

gen() { SHELLWISE_GENERATED_DIR="$1" node_modules/.bin/openapi-ts -f openapi-ts.config.mjs --silent --no-log-file; }

if ! $check; then
  rm -rf src/generated
  gen src/generated
  echo "regenerated src/generated/ ($(find src/generated -type f | wc -l) files)"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gen "$tmp/generated"
if diff -r src/generated "$tmp/generated" >"$tmp/diff" 2>&1; then
  echo "src/generated/ is up to date with ../../openapi/openapi.json"
  exit 0
fi
echo "src/generated/ is stale: run clients/typescript/generate.sh and commit the result." >&2
diff -rq src/generated "$tmp/generated" | sed "s|$tmp/generated|<fresh>|g" >&2 || true
echo "first lines of the difference (< committed, > fresh):" >&2
head -n 40 "$tmp/diff" | sed "s|$tmp/generated|<fresh>|g" >&2
exit 1
