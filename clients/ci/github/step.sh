#!/usr/bin/env bash
# The action's run step: the user's script through `shellwise ci` in GitHub format. The script
# arrives in SHELLWISE_STEP (an environment variable, never spliced into shell text).
set -uo pipefail
name=()
[ -n "${SHELLWISE_STEP_NAME:-}" ] && name=(--name "$SHELLWISE_STEP_NAME")
[ -n "${SHELLWISE_SERVER:-}" ] || unset SHELLWISE_SERVER
exec "$SHELLWISE_CI_BIN" ci --format github "${name[@]}" -- bash -eo pipefail -c "$SHELLWISE_STEP"
