#!/usr/bin/env bash
# Checks and tests the Python SDK against a real server:
#
#   clients/python/test.sh [path/to/shellwise]   (default: ${CARGO_TARGET_DIR:-target}/release/shellwise)
#
# 1. generate.sh --check: the committed generated code matches openapi/openapi.json;
# 2. installs the pinned tools and the package itself into a cached venv (see tools/venv.sh);
# 3. mypy --strict over the generated code, the hand-written layer, the tests and examples;
# 4. pytest through ../testserver.sh, which starts `shellwise serve` on 127.0.0.1.
# Needs only python3 (with venv) and network access to PyPI on the first run.
# SHELLWISE_PYTHON=/path/to/python3.9 runs steps 2 and 4 with another interpreter (mypy is
# skipped there: it is pinned for the CI interpreter).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$repo/target}/release/shellwise}"
[ -x "$bin" ] || { echo "test.sh: no shellwise binary at $bin" >&2; exit 2; }
bin="$(realpath "$bin")"
start=$(date +%s)

"$here/generate.sh" --check

. "$here/tools/venv.sh"
typecheck=true
[ -z "${SHELLWISE_PYTHON:-}" ] || typecheck=false
if $typecheck; then
  venv="$(ensure_venv test "$SW_TEST_PYTHON" "$here/requirements/test.txt" "$here/requirements/typecheck.txt")"
else
  venv="$(ensure_venv test "$SW_TEST_PYTHON" "$here/requirements/test.txt")"
fi

# Install the package as users get it (a wheel built from this directory, not an editable
# link), so the suite also checks what the package ships. Everything it needs is in the venv.
"$venv/bin/pip" install --disable-pip-version-check --quiet --no-deps --no-build-isolation \
  --force-reinstall "$here"

cd "$here"
if $typecheck; then
  "$venv/bin/mypy" --cache-dir "$SW_CACHE/mypy-cache" --no-error-summary
  echo "python: mypy --strict clean"
fi

report="$(mktemp "${TMPDIR:-/tmp}/shellwise-pytest-XXXXXX.xml")"
trap 'rm -f "$report"' EXIT
# The `pytest` script (not `python -m pytest`) keeps this directory off sys.path: the tests
# import the installed package.
set +e
PYTHONDONTWRITEBYTECODE=1 "$repo/clients/testserver.sh" "$bin" -- "$venv/bin/pytest" -q --junit-xml="$report"
status=$?
set -e
"$venv/bin/python" - "$report" "$start" 2>/dev/null <<'PY' || true
import sys, time, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot()
suite = suite if suite.tag == "testsuite" else suite[0]
tests, failed = int(suite.get("tests")), int(suite.get("failures")) + int(suite.get("errors"))
print(f"python sdk: {tests} tests, {failed} failed, {suite.get('skipped')} skipped "
      f"({sys.version.split()[0]}; {int(time.time()) - int(sys.argv[2])} s in all)")
PY
exit "$status"
