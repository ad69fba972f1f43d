#!/usr/bin/env bash
# Regenerates shellwise_client/_generated from ../../openapi/openapi.json with the pinned
# openapi-python-client (config: openapi-python-client.yaml). Nothing in _generated is edited
# by hand: the hand-written layer lives beside it.
#
#   ./generate.sh           rewrite shellwise_client/_generated
#   ./generate.sh --check   regenerate into a temp dir; exit 1 with a diff summary if the
#                           committed code is stale
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spec="$here/../../openapi/openapi.json"
target="$here/shellwise_client/_generated"
check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

. "$here/tools/venv.sh"
venv="$(ensure_venv generator "$SW_PYTHON" "$here/requirements/generator.txt")"

work="$(mktemp -d "${TMPDIR:-/tmp}/shellwise-pygen-XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Always generate into an empty temp dir, so --check and a rewrite produce the same bytes.
if ! (cd "$work" && PATH="$venv/bin:$PATH" openapi-python-client generate \
      --path "$spec" --meta none --config "$here/openapi-python-client.yaml" \
      --output-path "$work/_generated") >"$work/log" 2>&1; then
  cat "$work/log" >&2
  exit 1
fi
# The generator skips what it cannot parse with a warning. The only skips expected are the
# three SSE bodies that openapi-python-client.yaml tells it to leave alone; anything else means
# the spec changed in a way that silently drops part of the client.
skipped="$(grep -o '^WARNING parsing [A-Z]* [^ ]*' "$work/log" | sort | tr '\n' ';' || true)"
expected="WARNING parsing GET /v1/jobs/{id}/events;WARNING parsing POST /v1/chat/stream;WARNING parsing POST /v1/exec/stream;"
if [ "$skipped" != "$expected" ]; then
  cat "$work/log" >&2
  echo "generate.sh: unexpected generator warnings (expected only the SSE bodies): $skipped" >&2
  exit 1
fi

if $check; then
  if ! diff -r -q -x __pycache__ "$work/_generated" "$target" >"$work/diff" 2>&1; then
    echo "python: shellwise_client/_generated is stale; run clients/python/generate.sh" >&2
    sed -e "s|$work/_generated|generated|g" -e "s|$target|committed|g" "$work/diff" | head -n 40 >&2
    diff -r -u -x __pycache__ "$work/_generated" "$target" | head -n 60 >&2 || true
    exit 1
  fi
  echo "python: shellwise_client/_generated is up to date"
else
  rm -rf "$target"
  cp -R "$work/_generated" "$target"
  echo "python: wrote $(find "$target" -name '*.py' | wc -l) files to shellwise_client/_generated"
fi
