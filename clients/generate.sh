#!/usr/bin/env bash
# Regenerate both SDKs' generated code from the committed openapi/openapi.json (zero hand
# edits), or with --check fail when either is stale. Each SDK's own generate.sh pins its
# generator and installs it on first use.
#
#   clients/generate.sh [--check]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/typescript/generate.sh" "$@"
"$here/python/generate.sh" "$@"
