#!/usr/bin/env bash
# Contract stage: start a real `shellwise serve` on loopback with a throwaway admin token, run
# schemathesis against its /openapi.json (every check, positive and negative data, the
# examples, coverage and fuzzing phases), and fail on any finding that
# tests/contract/accepted.toml does not list with a reason.
#
#   tests/contract/schemathesis.sh [path/to/shellwise]     (default: the debug build)
#
# Bounded: SCHEMATHESIS_MAX_EXAMPLES (default 100) per operation and phase, and a hard
# SCHEMATHESIS_TIMEOUT (default 300 s) on the run (the one-time venv install under the target
# dir is not counted). SCHEMATHESIS_SEED (default 1) makes a run repeatable; set another to
# explore. Requests that reach /v1/exec really run commands, inside the server's sandbox,
# like any caller's. No shrinking: an accepted finding that fails every case (a streamed
# example command takes 3 s) would spend the budget on it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${1:-$target/debug/shellwise}"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
hard_timeout="${SCHEMATHESIS_TIMEOUT:-300}"
seed="${SCHEMATHESIS_SEED:-1}"

if [ ! -x "$bin" ]; then
  (cd "$root" && cargo build --locked --bin shellwise)
fi
bin="$(realpath "$bin")"

venv="$target/schemathesis-venv"
if ! "$venv/bin/python" -c 'import schemathesis' 2>/dev/null \
  || ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/shellwise-contract-XXXXXX")"
chmod 755 "$work"
mkdir -m 755 "$work/cwd"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="contract-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
base="http://127.0.0.1:$port"

# The server's cwd is the commands' default cwd: one every uid can reach. No rate quota, or
# the run would measure 429s. Commands get 1 s by default and at most 10 s: the fuzzer repeats
# the documented examples (a streamed one sleeps 3 s) and must stay within its budget.
(
  cd "$work/cwd"
  SHELLWISE_TOKEN="$token" \
  SHELLWISE__SERVER__BIND="127.0.0.1:$port" \
  SHELLWISE__STATE_DIR="$work/state" \
  SHELLWISE__TELEMETRY__LOG_LEVEL=warn \
  SHELLWISE__EXEC__MAX_PER_TOKEN_PER_MINUTE=0 \
  SHELLWISE__EXEC__DEFAULT_TIMEOUT_MS=1000 \
  SHELLWISE__EXEC__MAX_TIMEOUT_MS=10000 \
    exec "$bin" serve >"$work/server.log" 2>&1 </dev/null
) &
server=$!
stop() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT

healthy() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
    "$base/healthz" 2>/dev/null
}
for _ in $(seq 150); do
  healthy && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
healthy || { echo "the server did not answer /healthz" >&2; cat "$work/server.log"; exit 1; }

echo "== schemathesis $("$venv/bin/schemathesis" --version | awk '{print $NF}') against $base (seed $seed, $max_examples examples, report in $work)"
set +e
# From the work dir: schemathesis keeps its own state in ./.schemathesis.
cd "$work"
timeout --kill-after=10 "$hard_timeout" "$venv/bin/schemathesis" --no-color run "$base/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all --mode all --phases examples,coverage,fuzzing \
  --max-examples "$max_examples" --seed "$seed" --generation-database none \
  --continue-on-failure --no-shrink --workers 2 --request-timeout 40 \
  --report ndjson --report-ndjson-path "$work/events.ndjson" >"$work/schemathesis.txt" 2>&1
status=$?
set -e
sed -n '/=* ERRORS =*/,/=* SUMMARY =*/p' "$work/schemathesis.txt"
tail -n 25 "$work/schemathesis.txt"
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "schemathesis did not finish within ${hard_timeout}s" >&2
  exit 1
fi
if [ ! -s "$work/events.ndjson" ]; then
  echo "schemathesis wrote no report (exit $status); see $work/schemathesis.txt" >&2
  exit 1
fi
set +e
python3 "$here/findings.py" "$work/events.ndjson" "$here/accepted.toml"
verdict=$?
set -e
stop
trap - EXIT
if [ "$verdict" -eq 0 ]; then
  rm -rf "$work"
else
  echo "full output: $work/schemathesis.txt, server log: $work/server.log"
fi
exit "$verdict"
