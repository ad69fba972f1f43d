# shellcheck shell=bash
# Helpers of the in-VM suite (sourced by main.sh). Bash; no `set -e`: every check reports.

BASE=${BASE:-http://127.0.0.1:8080}
OKS=0
FAILS=0
FAILED=()
RESP=$(mktemp /run/sw-resp.XXXXXX)

ok() { # NAME [detail]
  echo "ok $1${2:+ # $2}"
  OKS=$((OKS + 1))
}
fail() { # NAME why
  echo "FAIL $1: $2"
  FAILS=$((FAILS + 1))
  FAILED+=("$1")
}
info() { echo "# $*"; }
section() { echo; echo "=== $* (t=$(elapsed)s)"; }
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
# The response body, one line, cut to N characters (for failure messages).
body() { tr '\n' ' ' <"$RESP" | head -c "${1:-700}"; }

# api METHOD PATH [JSON]: the answer's body in $RESP, its status in $CODE (000: no answer).
api() {
  local m=$1 p=$2 d=${3-}
  local args=(-s -o "$RESP" -w '%{http_code}' --max-time "${CURL_MAX:-60}" -X "$m"
    -H "Authorization: Bearer $TOKEN")
  [ -n "$d" ] && args+=(-H 'Content-Type: application/json' --data-binary "$d")
  CODE=$(curl "${args[@]}" "$BASE$p" 2>/dev/null) || true
  [ -n "$CODE" ] || CODE=000
}
# run JSON: POST /v1/exec.
run() { api POST /v1/exec "$1"; }
# j JQ: a value of the last answer ("" when it is not JSON).
j() { jq -r "$1" "$RESP" 2>/dev/null; }
# jt [JQ-OPTIONS] JQ: the filter is true on the last answer.
jt() { jq -e "$@" "$RESP" >/dev/null 2>&1; }

wait_healthy() { # SECONDS
  local i=0 n=$(($1 * 10))
  while [ $i -lt $n ]; do
    curl -sf --max-time 1 "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# count_procs PATTERN: processes whose command line matches (pgrep -f), never this shell.
count_procs() { pgrep -fc -- "$1" 2>/dev/null || true; }
# wait_count SECONDS OP WANT CMD...: polls the number CMD prints until `[ n OP WANT ]` holds
# or the time is up; prints the last number.
wait_count() {
  local i=0 n=$(($1 * 10)) op=$2 want=$3 c=0
  shift 3
  while [ $i -lt $n ]; do
    c=$("$@")
    [ "${c:-0}" "$op" "$want" ] && break
    sleep 0.1
    i=$((i + 1))
  done
  echo "${c:-0}"
}
# wait_procs PATTERN MIN SECONDS: until at least MIN match; prints how many do at the end.
wait_procs() { wait_count "$3" -ge "$2" count_procs "$1"; }
# gone_within PATTERN SECONDS: 0 when no process matches within the time; prints the ms it took.
gone_within() {
  local t0 i=0 n=$(($2 * 20))
  t0=$(date +%s%N)
  while [ $i -le $n ]; do
    if [ "$(count_procs "$1")" = 0 ]; then
      echo $((($(date +%s%N) - t0) / 1000000))
      return 0
    fi
    sleep 0.05
    i=$((i + 1))
  done
  echo $((($(date +%s%N) - t0) / 1000000))
  return 1
}

# Directories below a cgroup (the groups the server made), and those that still hold processes.
cg_dirs() { find "$1" -mindepth 1 -type d 2>/dev/null | wc -l; }
cg_busy() { # CGDIR [EXCLUDE_LEAF]: "path:pids" of every non-empty group below, but EXCLUDE_LEAF
  local f
  find "$1" -mindepth 2 -name cgroup.procs 2>/dev/null | while read -r f; do
    [ -n "${2-}" ] && [ "$(dirname "$f")" = "$2" ] && continue
    [ -s "$f" ] && echo "$(dirname "$f"):$(tr '\n' ',' <"$f")"
  done
}
# wait_dirs CGDIR WANT SECONDS: until the number of groups below CGDIR is at most WANT.
wait_dirs() { wait_count "$3" -le "$2" cg_dirs "$1"; }

# cgroup facts of a process and of a cgroup directory, for the log.
cg_report() { # PID UNIT_CGDIR
  info "/proc/$1/cgroup: $(tr '\n' ' ' <"/proc/$1/cgroup" 2>/dev/null)"
  info "$2/cgroup.controllers: $(cat "$2/cgroup.controllers" 2>/dev/null)"
  info "$2/cgroup.subtree_control: $(cat "$2/cgroup.subtree_control" 2>/dev/null)"
  info "$2/cgroup.procs: $(tr '\n' ' ' <"$2/cgroup.procs" 2>/dev/null)"
  info "$2/cgroup.type: $(cat "$2/cgroup.type" 2>/dev/null)"
  local d
  find "$2" -mindepth 1 -maxdepth 2 -type d 2>/dev/null | sort | head -20 | while read -r d; do
    info "  ${d#"$2"/}: procs=$(tr '\n' ',' <"$d/cgroup.procs" 2>/dev/null) subtree_control=$(cat "$d/cgroup.subtree_control" 2>/dev/null)"
  done
}
