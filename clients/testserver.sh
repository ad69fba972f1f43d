#!/usr/bin/env bash
# Run a command against a real `shellwise serve` on loopback, then stop the server.
#
#   clients/testserver.sh path/to/shellwise -- command [args...]
#
# The command sees:
#   SHELLWISE_URL             http://127.0.0.1:<free port>
#   SHELLWISE_TOKEN           an admin token
#   SHELLWISE_OPERATOR_TOKEN  an operator token (runs commands and jobs, cannot reload policy)
#   SHELLWISE_VIEWER_TOKEN    a viewer token (reads only: exec answers 403)
#   SHELLWISE_SERVER_LOG      the server's log file
# The server's default cwd is a directory every uid can reach; no rate quota; commands get 5 s
# by default and at most 60 s. Exits with the command's status; the server log is printed
# when the command fails.
set -euo pipefail
[ $# -ge 3 ] && [ "$2" = "--" ] || { echo "usage: $0 path/to/shellwise -- command [args...]" >&2; exit 2; }
bin="$(realpath "$1")"
shift 2

work="$(mktemp -d "${TMPDIR:-/tmp}/shellwise-clients-XXXXXX")"
chmod 755 "$work"
mkdir -m 755 "$work/cwd"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
random() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
export SHELLWISE_TOKEN="admin-$(random)"
export SHELLWISE_OPERATOR_TOKEN="operator-$(random)"
export SHELLWISE_VIEWER_TOKEN="viewer-$(random)"
export SHELLWISE_URL="http://127.0.0.1:$port"
export SHELLWISE_SERVER_LOG="$work/server.log"
cat >"$work/shellwise.toml" <<'EOF'
[auth]
tokens = [
  { name = "sdk-operator", role = "operator", value_env = "SHELLWISE_OPERATOR_TOKEN" },
  { name = "sdk-viewer", role = "viewer", value_env = "SHELLWISE_VIEWER_TOKEN" },
]
EOF

(
  cd "$work/cwd"
  SHELLWISE__SERVER__BIND="127.0.0.1:$port" \
  SHELLWISE__STATE_DIR="$work/state" \
  SHELLWISE__TELEMETRY__LOG_LEVEL=warn \
  SHELLWISE__EXEC__MAX_PER_TOKEN_PER_MINUTE=0 \
  SHELLWISE__EXEC__DEFAULT_TIMEOUT_MS=5000 \
  SHELLWISE__EXEC__MAX_TIMEOUT_MS=60000 \
    exec "$bin" serve --config "$work/shellwise.toml" >"$work/server.log" 2>&1 </dev/null
) &
server=$!
stop() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT

healthy() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
    "$SHELLWISE_URL/readyz" 2>/dev/null
}
for _ in $(seq 150); do
  healthy && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
healthy || { echo "the server did not become ready" >&2; cat "$work/server.log"; exit 1; }

set +e
"$@"
status=$?
set -e
stop
trap - EXIT
if [ "$status" -eq 0 ]; then
  rm -rf "$work"
else
  echo "command failed ($status); server log: $work/server.log" >&2
  tail -n 40 "$work/server.log" >&2
fi
exit "$status"
