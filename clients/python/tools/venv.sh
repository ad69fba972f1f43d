# Sourced by generate.sh and test.sh: cached virtualenvs for the generator and the tests.
#
#   ensure_venv NAME PYTHON REQUIREMENTS_FILE...   prints the venv's path
#
# A venv lives in ${CARGO_TARGET_DIR:-<repo>/target}/clients-cache/python/NAME-pyX.Y and is
# rebuilt only when the interpreter or a requirements file changes, so CI reruns install
# nothing. SW_PYTHON is /usr/bin/python3 (Debian's, as in CI; not a pyenv shim); the tests
# may run on another one, $SHELLWISE_PYTHON.

_sw_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
_sw_target="${CARGO_TARGET_DIR:-$_sw_repo/target}"
case "$_sw_target" in /*) ;; *) _sw_target="$_sw_repo/$_sw_target" ;; esac
SW_CACHE="$_sw_target/clients-cache/python"
SW_PYTHON=/usr/bin/python3
SW_TEST_PYTHON="${SHELLWISE_PYTHON:-$SW_PYTHON}"

ensure_venv() {
  local name="$1" python="$2"
  shift 2
  local pyver stamp venv
  # Callers run this in $(...), where `set -e` does not apply: every step says `|| return 1`.
  pyver="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" || return 1
  venv="$SW_CACHE/$name-py$pyver"
  stamp="$({ "$python" -VV; readlink -f "$python"; cat "$@"; } | sha256sum | cut -c1-16)"
  if [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "python: installing $name into $venv" >&2
    rm -rf "$venv"
    mkdir -p "$SW_CACHE" || return 1
    "$python" -m venv "$venv" >&2 || return 1
    local req
    for req in "$@"; do
      # --no-deps: the files list every package, so nothing unpinned sneaks in; pip check
      # below fails if one is missing.
      PIP_CACHE_DIR="$SW_CACHE/pip" "$venv/bin/pip" install --disable-pip-version-check \
        --no-input --quiet --no-deps -r "$req" >&2 || return 1
    done
    "$venv/bin/pip" check --disable-pip-version-check >&2 || return 1
    echo "$stamp" >"$venv/.stamp" || return 1
  fi
  echo "$venv"
}
