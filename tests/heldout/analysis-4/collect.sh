#!/usr/bin/env bash
# Held-out batch 4 for the failure analyzer: real failing commands, run on this machine, one
# JSON per case in this directory (same fields as analysis-3, see README.md).
# Uses the shared runner (tests/data/failures/runner.sh): loopback-only traffic, stable output.
# Written blind: the analyzer's rules, catalog, tests and scores were not read, nor the corpus
# cases or another held-out batch's cases. No command string equals one in batches 1-3 or the
# corpus tests/data/failures (checked by collisions.py, also with port numbers ignored), and
# none appears twice here.
#
# Needs what analysis-3 needs (see its collect.sh header) plus, installed for this batch:
#   Debian: tox gfortran clang nginx-light haproxy protobuf-compiler yamllint zsh fish ksh
#     expect busybox ocaml-nox r-base-core graphviz composer phpunit luarocks cpanminus ghc
#     ansible bundler nftables iptables cron logrotate python3-mypy flake8 black nasm guile-3.0
#     sbcl swi-prolog-nox tcc gnat fpc mono-mcs
#   PyPI (pyenv python): rust-just ruff uv nox poetry pre-commit
#   npm (global): yarn@1.22.22 pnpm@10.34.9 typescript@5 eslint@9
#
# Usage: sudo ./collect.sh     (deletes and rewrites only ./*.json)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE"
export SW_PORT_BASE=${SW_PORT_BASE:-48300}
. "$HERE/../../data/failures/runner.sh"
sw_start_http
HAVE_PG=0; sw_start_pg && HAVE_PG=1
HAVE_MY=0; sw_start_mysql && HAVE_MY=1
HAVE_REDIS=0; sw_start_redis && HAVE_REDIS=1
sw_start_sshd
PG="PGPASSWORD=right-password psql -X -h 127.0.0.1 -p $PORT_PG -U postgres"
MY="mysql --no-defaults -h 127.0.0.1 -P $PORT_MY"
SSHO="-o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -i $WORK/svc/id_good"
RA="redis-cli -p $PORT_REDIS -a s3cret-redis --no-auth-warning"

# A second small HTTP server (this batch only): 503 and 429 answers, a 200 answer, a path that
# never answers.
PORT_EXTRA=$((B+12))
cat >"$WORK/svc/extra.py" <<'PY'
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        p = self.path
        if p.startswith("/slow"):
            time.sleep(30)
            return
        for code in (500, 503, 429):
            if p.startswith("/status/%d" % code):
                body = {500: b'{"error":"internal"}\n', 503: b"service unavailable\n", 429: b'{"error":"too many requests"}\n'}[code]
                self.send_response(code)
                if code != 500:
                    self.send_header("Retry-After", "60")
                self.send_header("Content-Length", str(len(body))); self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                return
        body = b"ok\n" if p.startswith("/ok") else b"not found\n"
        self.send_response(200 if p.startswith("/ok") else 404)
        self.send_header("Content-Length", str(len(body))); self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    do_GET = do_HEAD = do_POST = do_PUT = answer
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
srv.daemon_threads = True
srv.serve_forever()
PY
/usr/bin/python3 "$WORK/svc/extra.py" $PORT_EXTRA 2>"$WORK/svc/extra.log" &
BG_PIDS+=($!)
sleep 0.5

put() { prep "$1"; mkdir -p "$(dirname "$CASE/$2")"; printf '%b' "$3" >"$CASE/$2"; }
add() { mkdir -p "$(dirname "$CASE/$1")"; printf '%b' "$2" >"$CASE/$1"; }
cc_build() { (cd "$CASE" && gcc "$@" 2>/dev/null); }
small_fs() { mkdir -p "$CASE/mnt"; mount -t tmpfs -o "$1" tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt"); }
gitrepo() { prep "$1"; (cd "$CASE" && git init -q -b main && git config user.email dev@example.com && git config user.name dev && echo base >f.txt && git add f.txt && git commit -qm base); }
gobuild() { (cd "$CASE" && go build -o "$1" . 2>/dev/null); }
failing_unittest() { add tests/test_totals.py 'import unittest\n\nclass TotalsTest(unittest.TestCase):\n    def test_sum(self):\n        self.assertEqual(sum([0.5, 0.25]), 0.8)\n'; add tests/__init__.py ''; }

# ---------------------------------------------------------------- coreutils
prep h4_cu_accented_path; mkdir -p "$CASE/données"
c h4_cu_accented_path file_not_found coreutils "cut -d';' -f2 'données/relevé_2026-11.csv'"
prep h4_cu_inodes_full; small_fs size=4m,nr_inodes=24
c h4_cu_inodes_full disk_full coreutils 'mkdir -p mnt/cache && seq 1 60 | xargs -I{} touch mnt/cache/session-{}.lock'
prep h4_cu_sort_tmp_full; seq 1 400000 | sed 's/$/ order-line padding padding padding/' >"$CASE/orders.txt"; small_fs size=512k
c h4_cu_sort_tmp_full disk_full coreutils 'sort -T mnt -S 1M -k1,1nr orders.txt -o sorted.txt'
prep h4_cu_ln_exists; mkdir -p "$CASE/releases/41" "$CASE/releases/42"; ln -s releases/41 "$CASE/current"
c h4_cu_ln_exists runtime_error coreutils 'ln -sT releases/42 current'
prep h4_cu_install_src_missing
c h4_cu_install_src_missing file_not_found coreutils 'install -D -m 644 dist/app.min.js public/js/app.min.js'
put h4_cu_sha256_mismatch app-1.4.2.tar.gz 'not really a tarball\n'
printf '%064d  app-1.4.2.tar.gz\n' 0 >"$CASE/SHA256SUMS"
c h4_cu_sha256_mismatch runtime_error coreutils 'sha256sum -c SHA256SUMS'
put h4_cu_head_bad_count access.log 'GET /\n'
c h4_cu_head_bad_count usage_error coreutils 'head -n 10x access.log'
c h4_cu_date_invalid usage_error coreutils 'date -u -d "2026-13-45 10:00" +%s'
c h4_cu_timeout_curl_silent timeout coreutils "timeout 2 curl -s http://127.0.0.1:$PORT_SILENT/healthz"
AS=nobody c h4_cu_chmod_www permission_denied coreutils 'chmod -R g+w /var/www/html'
c h4_cu_mktemp_dir_missing file_not_found coreutils 'mktemp -p /srv/scratch build.XXXXXX'
c h4_cu_env_deno command_not_found coreutils 'env -i PATH=/usr/bin:/bin deno run --allow-net main.ts'
AS=nobody c h4_cu_renice permission_denied coreutils 'renice -n -10 -u nobody'
put h4_cu_pipefail_grep app.log 'INFO started\nINFO ready\n'
c h4_cu_pipefail_grep unknown coreutils 'set -o pipefail; grep -c ERROR app.log | tee error-count.txt'
prep h4_cu_gzip_fsize; head -c 2000000 /dev/urandom >"$CASE/core.dump"
LIMIT=file_size:16384 c h4_cu_gzip_fsize resource_limit coreutils 'gzip -c core.dump > core.dump.gz'

# ---------------------------------------------------------------- shells (zsh / fish / ksh / dash / busybox / bash)
prep h4_zsh_nomatch; mkdir -p "$CASE/logs"
c h4_zsh_nomatch file_not_found zsh "zsh -c 'rm -v logs/*.gz'"
put h4_zsh_parse deploy.zsh 'if [[ -f .env ]]; then\n  source .env\necho "deploying $APP"\n'
c h4_zsh_parse syntax_error zsh 'zsh deploy.zsh'
c h4_zsh_cmd_missing command_not_found zsh "zsh -c 'kubectx staging-eu && kubectl get pods'"
c h4_fish_unknown_cmd command_not_found fish "fish -c 'nvm use 20; and npm ci'"
put h4_fish_syntax config.fish 'if test -d $HOME/.cargo/bin\n    set -gx PATH $HOME/.cargo/bin $PATH\n'
c h4_fish_syntax syntax_error fish 'fish config.fish'
put h4_ksh_syntax backup.ksh 'case "$1" in\n  full) tar cf /tmp/full.tar /etc ;;\n  incr) echo incremental ;;\n'
c h4_ksh_syntax syntax_error ksh 'ksh backup.ksh full'
c h4_sh_dash_dotenv file_not_found shell "sh -c '. ./.env.production && echo \$DATABASE_URL'"
c h4_sh_bash_nounset usage_error shell "bash -u -c 'echo \"deploying to \$TARGET_ENV\"; rsync -a dist/ \"deploy@\$TARGET_ENV:/srv/www/\"'"
c h4_busybox_wget_refused network busybox "busybox wget -q -O - http://127.0.0.1:$PORT_FREE/api/v2/status"
c h4_busybox_helm command_not_found busybox "busybox sh -c 'helm upgrade --install web ./chart'"
c h4_busybox_tar_missing file_not_found busybox 'busybox tar xzf artifacts/build-1842.tgz'
put h4_sh_venv_moved x ''
(cd "$CASE" && /usr/bin/python3 -m venv --without-pip old/.venv && printf '#!%s/old/.venv/bin/python3\nprint(1)\n' "$CASE" >old/.venv/bin/serve && chmod +x old/.venv/bin/serve && mv old new)
c h4_sh_venv_moved command_not_found shell 'new/.venv/bin/serve --port 8000'

# ---------------------------------------------------------------- expect
put h4_expect_prompt_timeout login.exp 'set timeout 1\nspawn sh -c "sleep 10"\nexpect {\n  "password:" { send "secret\\r" }\n  timeout { puts stderr "timed out waiting for the password prompt"; exit 3 }\n}\n'
c h4_expect_prompt_timeout timeout expect 'expect -f login.exp'
put h4_expect_spawn_missing console.exp 'spawn telnet-ssl 127.0.0.1 2323\nexpect "login:"\n'
c h4_expect_spawn_missing command_not_found expect 'expect console.exp'

# ---------------------------------------------------------------- python
prep h4_py_japanese_path; mkdir -p "$CASE/データ"
c h4_py_japanese_path file_not_found python "python3 -c \"import json; json.load(open('データ/設定.json', encoding='utf-8'))\""
put h4_py_asyncio_wait_for sync.py 'import asyncio\n\nasync def fetch_inventory():\n    await asyncio.sleep(5)\n\nasync def main():\n    await asyncio.wait_for(fetch_inventory(), timeout=0.5)\n\nasyncio.run(main())\n'
c h4_py_asyncio_wait_for timeout python 'python3 sync.py'
put h4_py_sqlite_locked jobs.py 'import sqlite3, subprocess, sys, time\nholder = subprocess.Popen([sys.executable, "-c", "import sqlite3, time; c = sqlite3.connect(\\"queue.db\\", isolation_level=None); c.execute(\\"create table if not exists q(x)\\"); c.execute(\\"begin exclusive\\"); time.sleep(3)"])\ntime.sleep(1)\ndb = sqlite3.connect("queue.db", timeout=0.2)\ndb.execute("insert into q values (1)")\n'
c h4_py_sqlite_locked runtime_error python 'python3 jobs.py'
put h4_py_settings_json settings.json '{\n  "db": {"host": "127.0.0.1", "port": 5432,},\n  "debug": false\n}\n'
add app.py 'import json\n\ndef load():\n    with open("settings.json") as f:\n        return json.load(f)\n\nprint(load()["db"])\n'
c h4_py_settings_json syntax_error python 'python3 app.py --check-config'
put h4_py_warnings_then_perm worker.py 'import logging, warnings\nfor mod in ("imp", "distutils", "pkg_resources"):\n    warnings.warn(f"{mod} is deprecated and slated for removal", DeprecationWarning, stacklevel=1)\nwarnings.warn("datetime.utcnow() is deprecated", DeprecationWarning)\nlogging.basicConfig(filename="/var/log/worker.log", level=logging.INFO)\nlogging.info("worker started")\n'
AS=nobody c h4_py_warnings_then_perm permission_denied python 'python3 -W default worker.py'
put h4_py_emfile data.txt 'x\n'
c h4_py_emfile resource_limit python "ulimit -n 32; python3 -c \"handles = [open('data.txt') for _ in range(100)]\""
c h4_py_bytearray_oom out_of_memory python "ulimit -v 400000; python3 -c 'frame = bytearray(2 * 1024 ** 3)'"
c h4_py_tls_ip_mismatch network python "python3 -c \"import ssl, urllib.request; ctx = ssl.create_default_context(cafile='$WORK/svc/self.crt'); urllib.request.urlopen('https://127.0.0.1:$PORT_TLS_SELF/', context=ctx)\""
c h4_py_requests_429 resource_limit python "python3 -c \"import requests; r = requests.get('http://127.0.0.1:$PORT_EXTRA/status/429/search?q=x'); r.raise_for_status()\""
c h4_py_smtp_refused network python "python3 -c \"import smtplib; smtplib.SMTP('127.0.0.1', $PORT_FREE, timeout=3).sendmail('a@example.com', ['b@example.com'], 'hi')\""
put h4_py_etl_assert etl.py 'import csv\nrows = list(csv.DictReader(open("export.csv")))\nassert rows, "no rows loaded from export.csv"\n'
add export.csv 'id,total\n'
c h4_py_etl_assert runtime_error python 'python3 etl.py --source export.csv'
c h4_py_collections_mapping runtime_error python "python3 -c 'import collections; print(issubclass(dict, collections.Mapping))'"
put h4_py_badzip bundle.zip 'PK\003\004 truncated'
c h4_py_badzip runtime_error python "python3 -c \"import zipfile; zipfile.ZipFile('bundle.zip').extractall('out')\""
put h4_py_pytest_warn_fail test_pricing.py 'import warnings\nimport pytest\n\ndef net(x):\n    warnings.warn("float prices are deprecated, use Decimal", DeprecationWarning)\n    return round(x / 1.19, 2)\n\n@pytest.mark.parametrize("gross", [100, 250, 357])\ndef test_net(gross):\n    assert net(gross) == gross / 1.19\n\ndef test_zero():\n    assert net(0) == 0\n'
COLOR=1 c h4_py_pytest_warn_fail test_failure python 'python3 -m pytest -p no:cacheprovider --color=yes -rA test_pricing.py'
put h4_py_pytest_collect_syntax tests/test_orders.py 'def test_total():\n    items = [1, 2\n    assert sum(items) == 3\n'
add tests/test_users.py 'def test_ok():\n    assert True\n'
c h4_py_pytest_collect_syntax syntax_error python 'python3 -m pytest -p no:cacheprovider -q tests'
put h4_py_devfull report.py 'import sys\nwith open("/dev/full", "w") as out:\n    for i in range(2000):\n        out.write(f"row {i}\\n")\n'
c h4_py_devfull disk_full python 'python3 report.py'

# ---------------------------------------------------------------- pip
prep h4_pip_req_missing
c h4_pip_req_missing file_not_found pip 'python3 -m pip install -r requirements/prod.txt'
put h4_pip_requires_python legacy/setup.py 'from setuptools import setup\nsetup(name="legacy-tool", version="0.1", py_modules=["legacy_tool"], python_requires=">=3.13")\n'
add legacy/legacy_tool.py 'X = 1\n'
(cd "$CASE" && python3 -m pip wheel -q --no-deps --no-build-isolation --ignore-requires-python -w wheels ./legacy >/dev/null 2>&1; rm -rf legacy)
c h4_pip_requires_python missing_dependency pip 'python3 -m pip install --no-deps wheels/legacy_tool-0.1-py3-none-any.whl'
put h4_pip_cext_compile fastcsv/setup.py 'from setuptools import setup, Extension\nsetup(name="fastcsv", version="0.2", ext_modules=[Extension("fastcsv", ["fastcsv.c"])])\n'
add fastcsv/fastcsv.c '#include <Python.h>\nstatic PyObject *parse(PyObject *self, PyObject *args) {\n    return PyLong_FromLong(count_fields(args));\n}\nstatic PyMethodDef M[] = {{"parse", parse, METH_VARARGS, ""}, {0}};\nstatic struct PyModuleDef D = {PyModuleDef_HEAD_INIT, "fastcsv", 0, -1, M};\nPyMODINIT_FUNC PyInit_fastcsv(void) { return PyModule_Create(&D) }\n'
c h4_pip_cext_compile compile_error pip 'python3 -m pip install --no-build-isolation --no-deps ./fastcsv'
put h4_pip_hash_mismatch util/setup.py 'from setuptools import setup\nsetup(name="acme-util", version="1.0", py_modules=["acme_util"])\n'
add util/acme_util.py 'X = 1\n'
(cd "$CASE" && SOURCE_DATE_EPOCH=946684800 python3 -m pip wheel -q --no-deps --no-build-isolation -w wheels ./util >/dev/null 2>&1; rm -rf util)
printf 'acme-util @ file://%s/wheels/acme_util-1.0-py3-none-any.whl --hash=sha256:%064d\n' "$CASE" 0 >"$CASE/requirements.lock"
c h4_pip_hash_mismatch runtime_error pip 'python3 -m pip install --no-deps --require-hashes -r requirements.lock'
prep h4_pip_editable_empty; mkdir -p "$CASE/libs/billing"
c h4_pip_editable_empty file_not_found pip 'python3 -m pip install -e ./libs/billing'

# ---------------------------------------------------------------- python linters / type checkers
put h4_mypy_type_error billing.py 'def total(prices: list[float]) -> float:\n    return sum(prices)\n\ntotal(["9.99", "5"])\n'
c h4_mypy_type_error compile_error mypy '/usr/bin/python3 -m mypy --no-incremental --no-error-summary billing.py'
put h4_mypy_missing_module storage.py 'import boto3\n\ns3 = boto3.client("s3")\n'
c h4_mypy_missing_module missing_dependency mypy '/usr/bin/python3 -m mypy --no-incremental storage.py'
put h4_ruff_unused handlers.py 'import os\nimport sys\n\ndef handle(event):\n    return undefined_helper(event)\n'
c h4_ruff_unused compile_error ruff 'ruff check --no-cache --output-format concise handlers.py'
put h4_ruff_syntax models.py 'class User:\n    def __init__(self, name)\n        self.name = name\n'
c h4_ruff_syntax syntax_error ruff 'ruff check --no-cache models.py'
put h4_black_cannot_parse views.py 'def index(request):\n    return render(request, "index.html", {"items": items)\n'
c h4_black_cannot_parse syntax_error black 'black --check --quiet views.py'
put h4_flake8_undefined tasks.py 'import json\n\n\ndef run(payload):\n    return jsonn.dumps(payload)\n'
COLOR=1 c h4_flake8_undefined compile_error flake8 'flake8 --color=always --select=F tasks.py'

# ---------------------------------------------------------------- tox / nox / just / poetry / uv / pre-commit
put h4_tox_unittest_fail tox.ini '[tox]\nskipsdist = true\nenvlist = py311\n\n[testenv]\ncommands = python -m unittest discover -s tests -v\n'
failing_unittest
c h4_tox_unittest_fail test_failure tox 'tox -e py311'
put h4_tox_deps_offline tox.ini '[tox]\nskipsdist = true\n\n[testenv:lint]\ndeps = flake8-bugbear==24.2.6\ncommands = flake8 src\n'
c h4_tox_deps_offline network tox 'tox -e lint'
prep h4_tox_no_config
c h4_tox_no_config file_not_found tox 'tox -c ci/tox.ini -e py311'
put h4_tox_cmd_missing tox.ini '[tox]\nskipsdist = true\n\n[testenv:docs]\ncommands = sphinx-build -W -b html docs docs/_build\n'
c h4_tox_cmd_missing command_not_found tox 'tox -e docs'
put h4_nox_session_fail noxfile.py 'import nox\n\n@nox.session(python=False)\ndef tests(session):\n    session.run("python3", "-m", "unittest", "discover", "-s", "tests")\n'
failing_unittest
c h4_nox_session_fail test_failure nox 'nox --no-color -s tests'
put h4_nox_no_session noxfile.py 'import nox\n\n@nox.session(python=False)\ndef lint(session):\n    session.run("true")\n'
c h4_nox_no_session usage_error nox 'nox --no-color -s typecheck'
put h4_just_pytest justfile 'test:\n    python3 -m pytest -q -p no:cacheprovider tests/\n'
add tests/test_slug.py 'def test_slug():\n    assert "Hello World".lower().replace(" ", "_") == "hello-world"\n'
c h4_just_pytest test_failure just 'just test'
put h4_just_unknown justfile 'build:\n    echo build\n\ndeploy-staging:\n    echo deploy\n'
c h4_just_unknown usage_error just 'just deploy-stg'
put h4_just_syntax justfile 'build:\n    cargo build --release\n\nrelease version:\n  echo {{version}\n'
c h4_just_syntax syntax_error just 'just build'
prep h4_just_no_justfile
c h4_just_no_justfile file_not_found just 'just lint'
put h4_just_silent justfile 'check-env:\n    @test -f .env.local\n'
c h4_just_silent unknown just 'just check-env'
put h4_just_cargo_compile justfile 'ci:\n    cargo build --quiet --offline\n'
mkdir -p "$CASE/src"; printf '[package]\nname = "shipper"\nversion = "0.1.0"\nedition = "2021"\n' >"$CASE/Cargo.toml"
printf 'fn main() {\n    let count: u32 = "3";\n    println!("{}", count);\n}\n' >"$CASE/src/main.rs"
c h4_just_cargo_compile compile_error just 'just ci'
put h4_poetry_no_pyproject README.md '# svc\n'
c h4_poetry_no_pyproject file_not_found poetry 'poetry install --no-interaction --no-ansi'
put h4_poetry_bad_toml pyproject.toml '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\ndescription = ""\nauthors = ["dev <dev@example.com>"]\n\n[tool.poetry.dependencies]\npython = "^3.11\nfastapi = "^0.110"\n'
c h4_poetry_bad_toml syntax_error poetry 'poetry check --no-ansi'
put h4_poetry_lock_offline pyproject.toml '[tool.poetry]\nname = "svc"\nversion = "0.1.0"\ndescription = ""\nauthors = ["dev <dev@example.com>"]\n\n[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "^0.27"\n\n[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
c h4_poetry_lock_offline network poetry 'poetry lock --no-interaction --no-ansi'
c h4_uv_install_offline network uv 'uv venv -q .venv && uv pip install --python .venv/bin/python pydantic==2.7.1'
c h4_uv_python_missing missing_dependency uv 'uv run --no-python-downloads --python 3.8 python -c "print(1)"'
gitrepo h4_precommit_remote_offline
printf 'repos:\n  - repo: https://github.com/psf/black\n    rev: 24.3.0\n    hooks:\n      - id: black\n' >"$CASE/.pre-commit-config.yaml"
c h4_precommit_remote_offline network pre-commit 'PRE_COMMIT_HOME=$PWD/.pc-cache pre-commit run black --all-files --color never'
gitrepo h4_precommit_local_json
printf 'repos:\n  - repo: local\n    hooks:\n      - id: json-valid\n        name: validate json\n        entry: python3 -m json.tool\n        language: system\n        files: \\.json$\n' >"$CASE/.pre-commit-config.yaml"
printf '{"name": "web", "scripts": {"build": "vite build"},}\n' >"$CASE/package.json"
(cd "$CASE" && git add -A && git commit -qm config)
c h4_precommit_local_json syntax_error pre-commit 'PRE_COMMIT_HOME=$PWD/.pc-cache pre-commit run json-valid --all-files --color never'

# ---------------------------------------------------------------- node
c h4_node_fetch_refused network node "node -e \"fetch('http://127.0.0.1:$PORT_FREE/graphql', { method: 'POST' }).then(r => r.json())\""
c h4_node_listen_busy port_in_use node "node -e \"require('net').createServer().listen($PORT_BUSY, '127.0.0.1', () => console.log('listening'))\""
c h4_node_bad_flag usage_error node 'node --experimental-fetchh server.js'
put h4_node_emfile open.js "const fs = require('fs');\nconst fds = [];\nfor (let i = 0; i < 200; i++) fds.push(fs.openSync(__filename, 'r'));\n"
c h4_node_emfile resource_limit node 'ulimit -n 40; node open.js'
put h4_node_config_json config/app.json '{\n  "port": 8080\n  "logLevel": "info"\n}\n'
add index.js "const cfg = JSON.parse(require('fs').readFileSync('config/app.json', 'utf8'));\nconsole.log(cfg.port);\n"
c h4_node_config_json syntax_error node 'node index.js'
put h4_node_esm_missing main.mjs "import { routes } from './routes/index.js';\nconsole.log(routes);\n"
c h4_node_esm_missing file_not_found node 'node main.mjs'
put h4_node_unhandled_rejection job.js "async function charge() { throw new Error('card declined: insufficient funds'); }\ncharge();\n"
c h4_node_unhandled_rejection runtime_error node 'node job.js'
put h4_node_assert_test cart-discount.test.js "const test = require('node:test');\nconst assert = require('node:assert/strict');\ntest('applies discount', () => { assert.equal(Math.round(100 * 0.85), 86); });\ntest('empty cart', () => { assert.deepEqual([], []); });\n"
COLOR=1 c h4_node_assert_test test_failure node 'FORCE_COLOR=1 node --test --test-reporter=spec cart-discount.test.js'

# ---------------------------------------------------------------- npm (wrapping tsc / eslint / node)
put h4_npm_run_tsc package.json '{"name":"api","version":"1.0.0","scripts":{"build:server":"tsc -p tsconfig.json"}}\n'
add tsconfig.json '{"compilerOptions":{"strict":true,"outDir":"dist","target":"es2020","module":"commonjs"},"include":["src"]}\n'
add src/server.ts 'interface User { id: number; name: string }\nconst u: User = { id: "7", name: "ada" };\nexport default u;\n'
c h4_npm_run_tsc compile_error npm 'npm run build:server'
put h4_npm_run_eslint package.json '{"name":"web","version":"1.0.0","type":"module","scripts":{"lint:js":"eslint src"}}\n'
add eslint.config.js 'export default [{ rules: { "no-unused-vars": "error", "no-undef": "error" }, languageOptions: { sourceType: "module", globals: { console: "readonly" } } }];\n'
add src/app.js 'const unused = 1;\nexport function main() {\n  console.log(windowSize);\n}\n'
c h4_npm_run_eslint compile_error npm 'npm run lint:js'
put h4_npm_missing_script package.json '{"name":"web","version":"1.0.0","scripts":{"start":"node index.js","build":"echo build"}}\n'
c h4_npm_missing_script usage_error npm 'npm run start:prod'
put h4_npm_install_refused package.json '{"name":"svc","version":"1.0.0","dependencies":{"express":"^4.19.2"}}\n'
c h4_npm_install_refused network npm 'npm install --no-audit --fetch-retries=0'
put h4_npm_engine_strict package.json '{"name":"svc","version":"1.0.0","engines":{"node":">=22.0.0"}}\n'
c h4_npm_engine_strict missing_dependency npm 'npm install --engine-strict'
put h4_npm_test_wall package.json '{"name":"svc","version":"1.0.0","scripts":{"test:integration":"node test/integration.js"}}\n'
add test/integration.js "const http = require('http');\nhttp.createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', () => console.log('waiting for the api to become ready...'));\n"
LIMIT=wall_time:3 c h4_npm_test_wall timeout npm 'npm run test:integration'

# ---------------------------------------------------------------- yarn / pnpm
put h4_yarn_test_fail package.json '{"name":"lib","version":"1.0.0","scripts":{"test":"node --test"}}\n'
add test/parse.test.js "const test = require('node:test');\nconst assert = require('node:assert');\ntest('parses port', () => { assert.strictEqual(Number('80a'), 80); });\n"
c h4_yarn_test_fail test_failure yarn 'yarn --silent --no-progress test'
put h4_yarn_unknown_cmd package.json '{"name":"lib","version":"1.0.0","scripts":{"build":"echo build"}}\n'
c h4_yarn_unknown_cmd usage_error yarn 'yarn --no-progress biuld'
put h4_pnpm_script_missing_bin package.json '{"name":"client","version":"1.0.0","scripts":{"gen":"openapi-generator-cli generate -i api.yaml -g typescript-axios -o src/api"}}\n'
c h4_pnpm_script_missing_bin command_not_found pnpm 'pnpm run gen'
put h4_pnpm_frozen_no_lock package.json '{"name":"client","version":"1.0.0","dependencies":{"zod":"^3.23.0"}}\n'
c h4_pnpm_frozen_no_lock file_not_found pnpm 'pnpm install --frozen-lockfile --reporter=append-only'

# ---------------------------------------------------------------- typescript / eslint direct
put h4_tsc_strict_null src/user.ts 'function greet(name?: string): string {\n  return name.toUpperCase();\n}\ngreet();\n'
c h4_tsc_strict_null compile_error tsc 'tsc --strict --noEmit src/user.ts'
put h4_tsc_tsconfig_bad tsconfig.json '{\n  "compilerOptions": {\n    "target": "es2022",\n    "strict": true,,\n  }\n'
add src/a.ts 'export const a = 1;\n'
c h4_tsc_tsconfig_bad syntax_error tsc 'tsc -p tsconfig.json --noEmit'
put h4_tsc_missing_types src/http.ts "import express from 'express';\nconst app = express();\napp.listen(3000);\n"
c h4_tsc_missing_types missing_dependency tsc 'tsc --noEmit --esModuleInterop src/http.ts'
c h4_tsc_unknown_option usage_error tsc 'tsc --strictt --noEmit index.ts'
COLOR=1 c h4_tsc_pretty_color compile_error tsc "mkdir -p lib && printf 'const raw: string | undefined = undefined;\nexport const port: number = raw ?? \"3000\";\n' > lib/env.ts && tsc --pretty --noEmit lib/env.ts"
put h4_eslint_parse eslint.config.js 'export default [{ rules: { semi: "error" } }];\n'
add src/router.js 'export function route(path) {\n  if (path === "/" {\n    return "home";\n  }\n}\n'
c h4_eslint_parse syntax_error eslint 'eslint --no-color src/router.js'
put h4_eslint_no_config src/index.js 'console.log(1);\n'
c h4_eslint_no_config file_not_found eslint 'eslint src/index.js'

# ---------------------------------------------------------------- c / clang / fortran / asm / ada / pascal
put h4_c_sigfpe avg.c '#include <stdio.h>\n#include <stdlib.h>\nint main(int argc, char **argv) { int n = argc - 2; int total = 120; printf("%d\\n", total / n); return 0; }\n'
cc_build -O0 -o avg avg.c
c h4_c_sigfpe runtime_error c './avg --per-day'
put h4_c_sigbus mapread.c '#include <fcntl.h>\n#include <stdio.h>\n#include <sys/mman.h>\n#include <unistd.h>\nint main(void) { int fd = open("index.bin", O_RDWR | O_CREAT, 0644); ftruncate(fd, 8192); char *p = mmap(0, 8192, PROT_READ, MAP_SHARED, fd, 0); ftruncate(fd, 0); printf("%d\\n", p[4096]); return 0; }\n'
cc_build -O0 -o mapread mapread.c
c h4_c_sigbus runtime_error c './mapread index.bin'
put h4_c_sigill guard.c 'int main(void) { __builtin_trap(); }\n'
cc_build -O0 -o guard guard.c
c h4_c_sigill runtime_error c './guard --verify'
put h4_c_asan_overflow parse.c '#include <stdlib.h>\n#include <string.h>\nint main(void) { char *h = malloc(8); strcpy(h, "Content-Type"); return h[0] == 0; }\n'
cc_build -g -fsanitize=address -o parse parse.c
c h4_c_asan_overflow runtime_error c 'ASAN_OPTIONS=detect_leaks=0 ./parse'
COLOR=1 c h4_clang_color_error compile_error clang "printf 'int main(void) {\n  const char *s = 42;\n  return undeclared_count;\n}\n' > main.c && clang -fcolor-diagnostics -c main.c"
put h4_clang_missing_lib fetch.c 'int curl_easy_init(void);\nint main(void) { return curl_easy_init(); }\n'
c h4_clang_missing_lib missing_dependency clang 'clang -o fetch fetch.c -lcurlx'
put h4_clang_header_missing codec.c '#include <opus/opus.h>\nint main(void) { return 0; }\n'
c h4_clang_header_missing missing_dependency clang 'clang -Wall -c codec.c'
put h4_fortran_compile solver.f90 'program solver\n  implicit none\n  real :: x\n  x = 1.0\n  y = x * 2\n  print *, y\nend program solver\n'
c h4_fortran_compile compile_error fortran 'gfortran -o solver solver.f90'
put h4_fortran_bounds grid.f90 'program grid\n  implicit none\n  integer :: a(10), i\n  do i = 1, 11\n    a(i) = i\n  end do\n  print *, a(1)\nend program grid\n'
(cd "$CASE" && gfortran -fcheck=bounds -o grid grid.f90 2>/dev/null)
c h4_fortran_bounds runtime_error fortran './grid'
put h4_fortran_open_missing readmesh.f90 'program readmesh\n  integer :: n\n  open(unit=10, file="mesh/input.dat", status="old", action="read")\n  read(10, *) n\n  print *, n\nend program readmesh\n'
(cd "$CASE" && gfortran -o readmesh readmesh.f90 2>/dev/null)
c h4_fortran_open_missing file_not_found fortran './readmesh'
put h4_nasm_syntax start.asm 'section .text\nglobal _start\n_start:\n    mov eax, 60\n    movv rdi, 0\n    syscall\n'
c h4_nasm_syntax compile_error nasm 'nasm -f elf64 -o start.o start.asm'
put h4_tcc_run_error calc.c '#include <stdio.h>\nint main(void) {\n  int x = 3\n  printf("%d\\n", x);\n  return 0;\n}\n'
c h4_tcc_run_error compile_error tcc 'tcc -run calc.c'
put h4_ada_compile hello.adb 'with Ada.Text_IO;\nprocedure Hello is\n   Count : Integer := "three";\nbegin\n   Ada.Text_IO.Put_Line (Integer'"'"'Image (Count));\nend Hello;\n'
c h4_ada_compile compile_error ada 'gnatmake -q hello.adb'
put h4_ada_constraint ranges.adb 'with Ada.Text_IO;\nprocedure Ranges is\n   subtype Percent is Integer range 0 .. 100;\n   P : Percent := 90;\nbegin\n   P := P + 20;\n   Ada.Text_IO.Put_Line (Integer'"'"'Image (P));\nend Ranges;\n'
(cd "$CASE" && gnatmake -q ranges.adb >/dev/null 2>&1)
c h4_ada_constraint runtime_error ada './ranges'
put h4_pascal_compile report.pas 'program Report;\nvar total: integer;\nbegin\n  total := 10\n  writeln(totl);\nend.\n'
c h4_pascal_compile compile_error pascal 'fpc -v0 report.pas'
put h4_csharp_compile Program.cs 'using System;\nclass Program {\n  static void Main() {\n    int retries = "3";\n    Console.WriteLine(retries);\n  }\n}\n'
c h4_csharp_compile compile_error csharp 'mcs -out:app.exe Program.cs'
put h4_csharp_nullref Svc.cs 'using System;\nclass Svc {\n  static string Lookup(string k) { return null; }\n  static void Main() { Console.WriteLine(Lookup("db").Length); }\n}\n'
(cd "$CASE" && mcs -out:svc.exe Svc.cs >/dev/null 2>&1)
c h4_csharp_nullref runtime_error csharp 'mono svc.exe'
put h4_csharp_missing_ref Json.cs 'using Newtonsoft.Json;\nclass J { static void Main() { System.Console.WriteLine(JsonConvert.SerializeObject(1)); } }\n'
c h4_csharp_missing_ref missing_dependency csharp 'mcs -r:Newtonsoft.Json.dll Json.cs'

# ---------------------------------------------------------------- haskell / ocaml / lisp / scheme / prolog
put h4_hs_type_error Main.hs 'main :: IO ()\nmain = do\n  let port = "8080" :: String\n  print (port + 1)\n'
COLOR=1 c h4_hs_type_error compile_error haskell 'ghc -fdiagnostics-color=always -outputdir build -o app Main.hs'
put h4_hs_missing_module Main.hs '{-# LANGUAGE OverloadedStrings #-}\nimport Data.Aeson (encode)\nmain :: IO ()\nmain = print (encode [1 :: Int])\n'
c h4_hs_missing_module missing_dependency haskell 'ghc -outputdir build -o app Main.hs'
put h4_hs_head_empty Queue.hs 'main :: IO ()\nmain = do\n  let jobs = [] :: [Int]\n  print (head jobs)\n'
c h4_hs_head_empty runtime_error haskell 'runghc Queue.hs'
put h4_ocaml_type_error config.ml 'let port : int = "8080"\nlet () = print_int port\n'
c h4_ocaml_type_error compile_error ocaml 'ocamlc -c config.ml'
put h4_ocaml_not_found lookup.ml 'let () =\n  let tbl = Hashtbl.create 8 in\n  Hashtbl.add tbl "web" 80;\n  print_int (Hashtbl.find tbl "db")\n'
c h4_ocaml_not_found runtime_error ocaml 'ocaml lookup.ml'
put h4_ocaml_unbound_module api.ml 'let () = print_string (Yojson.Safe.to_string (`Int 1))\n'
c h4_ocaml_unbound_module missing_dependency ocaml 'ocamlopt -c api.ml'
put h4_sbcl_undefined report.lisp '(defun main ()\n  (format t "~a~%" (summarize-orders (list 1 2 3))))\n(main)\n'
c h4_sbcl_undefined runtime_error lisp 'sbcl --script report.lisp'
put h4_sbcl_read_eof parse.lisp '(defun parse (s)\n  (let ((n (parse-integer s)))\n    (* n 2))\n(print (parse "21"))\n'
c h4_sbcl_read_eof syntax_error lisp 'sbcl --script parse.lisp'
put h4_guile_unbound tasks.scm '(define (run) (display (process-queue (list 1 2))))\n(run)\n'
c h4_guile_unbound runtime_error scheme 'guile --no-auto-compile tasks.scm'
c h4_guile_file_missing file_not_found scheme 'guile --no-auto-compile -s scripts/migrate.scm'
put h4_prolog_syntax rules.pl 'parent(tom, bob).\nparent(bob, ann)\nancestor(X, Y) :- parent(X, Y).\n'
c h4_prolog_syntax syntax_error prolog 'swipl --on-error=status -q -g halt rules.pl'
c h4_prolog_library_missing missing_dependency prolog "swipl -q -g 'use_module(library(redis_streams_client))' -t halt"

# ---------------------------------------------------------------- R
c h4_r_library_missing missing_dependency r "Rscript -e 'library(ggplot2); ggplot(mtcars) + geom_point(aes(wt, mpg))'"
put h4_r_stop clean.R 'df <- data.frame(qty = c(1, 2))\nif (!"price" %in% names(df)) stop("column price not found in input")\n'
c h4_r_stop runtime_error r 'Rscript clean.R'
put h4_r_syntax model.R 'fit <- function(x) {\n  lm(y ~ x, data = x\n}\n'
c h4_r_syntax syntax_error r 'Rscript model.R'
put h4_r_csv_missing load.R 'sales <- read.csv("data/sales-2026.csv")\nprint(summary(sales))\n'
c h4_r_csv_missing file_not_found r 'Rscript load.R'
c h4_r_quit_status unknown r "Rscript -e 'quit(status = 4)'"

# ---------------------------------------------------------------- go
gomod h4_go_deadlock 'package main

import "fmt"

func main() {
	results := make(chan int)
	results <- 1
	fmt.Println(<-results)
}'
gobuild worker
c h4_go_deadlock runtime_error go './worker -concurrency 4'
gomod h4_go_test_timeout 'package main

func main() {}'
printf 'package main\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestSyncLoop(t *testing.T) { time.Sleep(10 * time.Second) }\n' >"$CASE/sync_test.go"
c h4_go_test_timeout timeout go 'go test -count=1 -timeout 1s -run TestSyncLoop .'
gomod h4_go_mod_offline 'package main

import "github.com/google/uuid"

func main() { println(uuid.NewString()) }'
c h4_go_mod_offline missing_dependency go 'go build -o bin/uuidgen .'
gomod h4_go_cgo_header 'package main

// #include <librdkafka/rdkafka.h>
import "C"

func main() {}'
c h4_go_cgo_header missing_dependency go 'CGO_ENABLED=1 go build -o store .'
gomod h4_go_test_subtests 'package main

func slug(s string) string { return s }

func main() {}'
printf 'package main\n\nimport "testing"\n\nfunc TestSlug(t *testing.T) {\n\tfor _, c := range []struct{ in, want string }{{"a b", "a-b"}, {"x", "x"}} {\n\t\tt.Run(c.in, func(t *testing.T) {\n\t\t\tif got := slug(c.in); got != c.want {\n\t\t\t\tt.Errorf("slug(%%q) = %%q, want %%q", c.in, got, c.want)\n\t\t\t}\n\t\t})\n\t}\n}\n' >"$CASE/slug_test.go"
c h4_go_test_subtests test_failure go 'go test -count=1 -v -run TestSlug ./...'
gomod h4_go_nil_map 'package main

func main() {
	var cache map[string]int
	cache["hits"]++
}'
gobuild cachesvc
c h4_go_nil_map runtime_error go './cachesvc'
gomod h4_go_dial_refused "package main

import (
	\"log\"
	\"net\"
)

func main() {
	if _, err := net.Dial(\"tcp\", \"127.0.0.1:$PORT_FREE\"); err != nil {
		log.Fatalf(\"connect to nats: %v\", err)
	}
}"
gobuild consumer
c h4_go_dial_refused network go './consumer --topic orders'

# ---------------------------------------------------------------- rust
crate h4_rs_borrow 'fn main() {
    let mut names = vec![String::from("a")];
    let first = &names[0];
    names.push(String::from("b"));
    println!("{}", first);
}'
COLOR=1 c h4_rs_borrow compile_error rust 'cargo build --offline --color always --bin demo'
crate h4_rs_index_backtrace 'fn pick(v: &[u32], i: usize) -> u32 { v[i] }
fn main() { let v = vec![1, 2, 3]; println!("{}", pick(&v, 7)); }'
(cd "$CASE" && cargo build --offline -q 2>/dev/null)
c h4_rs_index_backtrace runtime_error rust 'RUST_BACKTRACE=1 ./target/debug/demo --top 7'
crate h4_rs_stack_overflow 'fn depth(n: u64) -> u64 { let pad = [n; 64]; if n == u64::MAX { return 0 } depth(n + 1) + pad[3] }
fn main() { println!("{}", depth(0)); }'
(cd "$CASE" && cargo build --offline -q 2>/dev/null)
c h4_rs_stack_overflow runtime_error rust './target/debug/demo'
crate h4_rs_dep_offline 'fn main() {}'
printf 'pulsar = "6.3.0"\n' >>"$CASE/Cargo.toml"
c h4_rs_dep_offline missing_dependency rust 'cargo check --offline --all-targets --message-format short'
crate h4_rs_test_fail 'fn main() {}
pub fn cents(x: f64) -> u64 { (x * 100.0) as u64 }
#[cfg(test)]
mod tests { #[test] fn rounds() { assert_eq!(super::cents(1.15), 115); } }'
c h4_rs_test_fail test_failure rust 'cargo test --offline -q'

# ---------------------------------------------------------------- jvm
jv() { prep "$1"; printf '%s\n' "$3" >"$CASE/$2.java"; (cd "$CASE" && javac "$2.java" 2>/dev/null); }
jv h4_jvm_npe_helpful Orders 'public class Orders { static String region() { return null; } public static void main(String[] a) { System.out.println(region().toUpperCase()); } }'
c h4_jvm_npe_helpful runtime_error jvm 'java Orders --since 2026-01-01'
prep h4_jvm_noclassdef; mkdir -p "$CASE/src"
printf 'package lib; public class Gson { public String toJson(Object o) { return "{}"; } }\n' >"$CASE/src/Gson.java"
printf 'public class Export { public static void main(String[] a) { System.out.println(new lib.Gson().toJson(a)); } }\n' >"$CASE/Export.java"
(cd "$CASE" && javac -d libclasses src/Gson.java && javac -cp libclasses Export.java 2>/dev/null)
c h4_jvm_noclassdef missing_dependency jvm 'java -cp .:lib/gson-2.10.1.jar Export'
jv h4_jvm_heap Cache 'import java.util.*; public class Cache { public static void main(String[] a) { List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1 << 16]); } }'
c h4_jvm_heap out_of_memory jvm 'java -Xmx24m -XX:-UsePerfData Cache'
put h4_mvn_plugins_offline pom.xml '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>com.example</groupId><artifactId>billing</artifactId><version>1.0.0</version><packaging>jar</packaging></project>\n'
c h4_mvn_plugins_offline network maven 'mvn -B -ntp -q package'
put h4_mvn_bad_pom pom.xml '<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n  <artifactId>billing</artifactId>\n  <version>1.0.0</version>\n  <dependencies>\n    <dependency>\n      <groupId>junit</groupId>\n  </dependencies>\n</project>\n'
c h4_mvn_bad_pom syntax_error maven 'mvn -B -ntp -o validate'

# ---------------------------------------------------------------- php / composer / phpunit
c h4_php_memory_limit out_of_memory php "php -d memory_limit=16M -r '\$rows = []; while (true) { \$rows[] = str_repeat(\"x\", 1024); }'"
c h4_php_max_exec timeout php "php -d max_execution_time=1 -r 'while (true) { \$x = md5(\"y\"); }'"
c h4_php_pdo_driver missing_dependency php "php -r 'new PDO(\"mysql:host=127.0.0.1;port=$PORT_MY;dbname=inventory\", \"root\", \"root-pass\");'"
c h4_php_redis_class missing_dependency php "php -r '\$r = new Redis(); \$r->connect(\"127.0.0.1\", $PORT_REDIS);'"
put h4_php_uncaught_exception Invoice.php '<?php\nfunction due(array $inv): string {\n    if (!isset($inv["due"])) {\n        throw new InvalidArgumentException("invoice 1042 has no due date");\n    }\n    return $inv["due"];\n}\necho due(["id" => 1042]);\n'
c h4_php_uncaught_exception runtime_error php 'php Invoice.php'
put h4_composer_install_offline composer.json '{\n  "name": "acme/shop",\n  "require": {"monolog/monolog": "^3.5"}\n}\n'
c h4_composer_install_offline network composer 'COMPOSER_HOME=$PWD/.composer composer install --no-interaction --no-ansi --no-progress'
put h4_composer_bad_json composer.json '{\n  "name": "acme/shop",\n  "require": {\n    "php": ">=8.1",\n  }\n}\n'
c h4_composer_bad_json syntax_error composer 'COMPOSER_HOME=$PWD/.composer composer validate --no-ansi'
put h4_composer_ext_missing composer.json '{\n  "name": "acme/events",\n  "repositories": [{"packagist.org": false}],\n  "require": {"ext-mongodb": "*"}\n}\n'
c h4_composer_ext_missing missing_dependency composer 'COMPOSER_HOME=$PWD/.composer composer install --no-interaction --no-ansi'
put h4_phpunit_fail tests/CartTest.php '<?php\nuse PHPUnit\\Framework\\TestCase;\nfinal class CartTest extends TestCase {\n    public function testTotal(): void { $this->assertSame(30, 10 + 21); }\n    public function testEmpty(): void { $this->assertSame([], []); }\n}\n'
c h4_phpunit_fail test_failure phpunit 'phpunit --colors=never tests'

# ---------------------------------------------------------------- ruby / bundler / rake / gem
put h4_bundle_install_offline Gemfile 'source "https://rubygems.org"\ngem "sinatra", "~> 4.0"\n'
c h4_bundle_install_offline network bundler 'BUNDLE_PATH=vendor/bundle bundle install --retry 0'
put h4_bundle_exec_missing_gem Gemfile 'source "https://rubygems.org"\ngem "puma", "~> 6.4"\n'
add Gemfile.lock 'GEM\n  remote: https://rubygems.org/\n  specs:\n    nio4r (2.7.1)\n    puma (6.4.2)\n      nio4r (~> 2.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  puma (~> 6.4)\n\nBUNDLED WITH\n   2.3.15\n'
c h4_bundle_exec_missing_gem missing_dependency bundler 'bundle exec puma -p 9292'
put h4_rake_task_raises Rakefile 'namespace :db do\n  task :migrate do\n    raise "migration 20260101_add_index failed: relation orders does not exist"\n  end\nend\n'
c h4_rake_task_raises runtime_error rake 'rake db:migrate'
put h4_rake_unknown_task Rakefile 'task :build do\n  puts "build"\nend\n'
c h4_rake_unknown_task usage_error rake 'rake deploy:production'
prep h4_gem_build_missing
c h4_gem_build_missing file_not_found gem 'gem build acme-client.gemspec'
c h4_ruby_tls_selfsigned network ruby "ruby -rnet/http -e 'Net::HTTP.get(URI(\"https://127.0.0.1:$PORT_TLS_SELF/status\"))'"
c h4_ruby_eaddrinuse port_in_use ruby "ruby -rsocket -e 'server = TCPServer.new(\"127.0.0.1\", $PORT_BUSY); loop { server.accept.close }'"
put h4_ruby_frozen_string tag.rb '# frozen_string_literal: true\nname = "release"\nname << "-candidate"\nputs name\n'
c h4_ruby_frozen_string runtime_error ruby 'ruby tag.rb'

# ---------------------------------------------------------------- perl / cpanm / lua / luarocks
c h4_perl_http_tiny_refused network perl "perl -MHTTP::Tiny -e '\$r = HTTP::Tiny->new(timeout => 3)->get(\"http://127.0.0.1:$PORT_FREE/v1/metrics\"); die \"\$r->{status} \$r->{content}\" unless \$r->{success}'"
put h4_prove_missing_module t/api.t 'use strict;\nuse Test::More;\nuse Test::Mojo;\nok(1);\ndone_testing;\n'
c h4_prove_missing_module missing_dependency perl 'prove -l t/api.t'
put h4_perl_die_utf8 import.pl 'use strict;\nuse utf8;\nbinmode STDERR, ":utf8";\nmy $f = "Straße_Übersicht.csv";\nopen(my $fh, "<", $f) or die "cannot open $f: $!\\n";\n'
c h4_perl_die_utf8 file_not_found perl 'perl import.pl'
c h4_luarocks_offline network lua "luarocks --tree=./rocks --only-server=http://127.0.0.1:$PORT_FREE install lpeg"
put h4_lua_cjson_missing app.lua 'local cjson = require("cjson")\nprint(cjson.encode({ok = true}))\n'
c h4_lua_cjson_missing missing_dependency lua 'lua5.4 app.lua'
put h4_lua_nil_index handler.lua 'local req = { headers = {} }\nprint(req.body.user_id)\n'
c h4_lua_nil_index runtime_error lua 'lua5.4 handler.lua'

# ---------------------------------------------------------------- databases
if [ $HAVE_PG = 1 ]; then
c h4_pg_unique_violation runtime_error postgres "$PG -d shop -v ON_ERROR_STOP=1 -c 'insert into orders values (1, 12.0)'"
c h4_pg_include_missing file_not_found postgres "$PG -d shop -v ON_ERROR_STOP=1 -f migrations/0007_add_customers.sql"
c h4_pg_statement_timeout timeout postgres "$PG -d shop -c 'set statement_timeout = 500' -c 'select pg_sleep(5)'"
c h4_pg_readonly_insert auth_failure postgres "PGPASSWORD=ro-pass psql -X -h 127.0.0.1 -p $PORT_PG -U readonly -d shop -c 'insert into orders values (5, 1.0)'"
prep h4_pg_migration_middle
{ echo 'BEGIN;'; for i in $(seq 1 14); do echo "CREATE TABLE IF NOT EXISTS audit_$i (id int);"; echo "COMMENT ON TABLE audit_$i IS 'audit partition $i';"; done
  echo 'ALTER TABLE orders ADD COLUMN note text DEFAULT;'; for i in $(seq 15 24); do echo "CREATE TABLE IF NOT EXISTS audit_$i (id int);"; done; echo 'COMMIT;'; } >"$CASE/0042_audit.sql"
c h4_pg_migration_middle syntax_error postgres "$PG -d shop -v ON_ERROR_STOP=1 -f 0042_audit.sql"
c h4_pg_lock_timeout timeout postgres "($PG -d shop -c 'begin; lock table orders in access exclusive mode; select pg_sleep(4); commit;' >/dev/null 2>&1 &); sleep 1; $PG -d shop -c 'set lock_timeout = 300' -c 'update orders set total = 10 where id = 1'"
c h4_pg_dump_missing_db file_not_found postgres "PGPASSWORD=right-password pg_dump -h 127.0.0.1 -p $PORT_PG -U postgres -d analytics -f analytics.sql"
fi
if [ $HAVE_MY = 1 ]; then
c h4_my_syntax syntax_error mysql "$MY -uroot -proot-pass inventory -e 'SELEC sku FROM items WHERE id = 1'"
c h4_my_insert_denied auth_failure mysql "$MY -ureport -preport-pass inventory -e \"INSERT INTO items VALUES (2, 'B-2')\""
c h4_my_duplicate runtime_error mysql "$MY -uroot -proot-pass inventory -e \"INSERT INTO items VALUES (3, 'A-1')\""
c h4_my_unknown_db file_not_found mysql "$MY -uroot -proot-pass billing_archive -e 'SELECT 1'"
fi
if [ $HAVE_REDIS = 1 ]; then
c h4_redis_wrongtype runtime_error redis "$RA set session:42 active >/dev/null && $RA -e hget session:42 user"
c h4_redis_port_busy port_in_use redis "redis-server --port $PORT_BUSY --bind 127.0.0.1 --save '' --appendonly no"
c h4_redis_maxmemory out_of_memory redis "$RA config set maxmemory 1mb >/dev/null && head -c 2000000 /dev/zero | tr '\\0' x | $RA -e -x set blob:1; rc=\${PIPESTATUS[2]}; $RA config set maxmemory 0 >/dev/null; exit \$rc"
fi
put h4_sqlite_readonly x ''
(cd "$CASE" && sqlite3 app.db 'create table events(id integer)' && chmod 444 app.db && chmod 755 .)
AS=nobody c h4_sqlite_readonly permission_denied sqlite "sqlite3 app.db 'insert into events values (1)'"
prep h4_sqlite_full; small_fs size=64k
c h4_sqlite_full disk_full sqlite "sqlite3 mnt/cache.db 'create table t(b blob); insert into t values (zeroblob(500000));'"

# ---------------------------------------------------------------- ssh / scp / sftp
c h4_scp_remote_dir_missing file_not_found ssh "echo build > app.tar && scp -q $SSHO -P $PORT_SSH app.tar root@127.0.0.1:/srv/releases/2026-11/"
c h4_ssh_remote_cmd_missing command_not_found ssh "ssh $SSHO -p $PORT_SSH root@127.0.0.1 'pm2 restart api'"
c h4_sftp_get_missing file_not_found ssh "printf 'get /var/backups/db-latest.sql.gz\n' | sftp -q $SSHO -P $PORT_SSH -b - root@127.0.0.1"
c h4_ssh_wrong_key auth_failure ssh "ssh -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o IdentitiesOnly=yes -i $WORK/svc/id_wrong -p $PORT_SSH deploy@127.0.0.1 uptime"

# ---------------------------------------------------------------- git
prep h4_git_push_nonff; git init -q --bare "$CASE/origin.git"
(cd "$CASE" && git clone -q origin.git a 2>/dev/null && cd a && git config user.email a@example.com && git config user.name a && echo 1 >v && git add v && git commit -qm one && git push -q origin HEAD:main 2>/dev/null)
(cd "$CASE" && git clone -q -b main origin.git b 2>/dev/null && cd a && echo 2 >v && git commit -qam two && git push -q origin HEAD:main 2>/dev/null)
(cd "$CASE/b" && git config user.email b@example.com && git config user.name b && echo 3 >w && git add w && git commit -qm three)
c h4_git_push_nonff runtime_error git 'cd b && git push origin main'
c h4_git_ls_remote_401 auth_failure git "git ls-remote http://127.0.0.1:$PORT_HTTP/private/infra-modules.git"
gitrepo h4_git_submodule_missing
(cd "$CASE" && printf '[submodule "vendor/theme"]\n\tpath = vendor/theme\n\turl = ../theme.git\n' >.gitmodules && git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),vendor/theme && git add .gitmodules && git commit -qm "add theme submodule")
c h4_git_submodule_missing file_not_found git 'git -c protocol.file.allow=always submodule update --init --recursive'
gitrepo h4_git_apply_fails
printf -- '--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-original line\n+patched line\n' >"$CASE/fix.patch"
c h4_git_apply_fails runtime_error git 'git apply --check fix.patch'
gitrepo h4_git_gpg_sign
c h4_git_gpg_sign file_not_found git 'echo change >> f.txt && GNUPGHOME=$PWD/.gnupg git -c commit.gpgsign=true commit -qam "signed release commit"'
gitrepo h4_git_hook_eslint
printf '#!/bin/sh\nexec eslint --no-color src\n' >"$CASE/.git/hooks/pre-commit"; chmod +x "$CASE/.git/hooks/pre-commit"
printf 'export default [{ rules: { "no-undef": "error" } }];\n' >"$CASE/eslint.config.js"
mkdir -p "$CASE/src"; printf 'export const total = items.length;\n' >"$CASE/src/cart.js"
c h4_git_hook_eslint compile_error git 'git add -A && git commit -qm "cart total"'
gitrepo h4_git_clone_full; small_fs size=256k
(cd "$CASE" && python3 -c "import random, sys; random.seed(4); sys.stdout.buffer.write(random.randbytes(1500000))" >blob.bin && git add blob.bin && git commit -qm blob)
c h4_git_clone_full disk_full git 'git clone -q --no-hardlinks . mnt/mirror'

# ---------------------------------------------------------------- curl / wget
c h4_curl_basic_401 auth_failure curl "curl -sS --fail -u deploy:wrong-token http://127.0.0.1:$PORT_HTTP/secure/artifacts/app-1.2.tgz -o app.tgz"
c h4_curl_500_retry runtime_error curl "curl -sS --fail-with-body --retry 1 --retry-delay 1 http://127.0.0.1:$PORT_EXTRA/status/500/api/orders"
c h4_wget_refused network curl "wget -q --tries=1 http://127.0.0.1:$PORT_FREE/releases/latest.tar.gz"
c h4_curl_cacert_missing file_not_found curl "curl -sS --cacert certs/internal-root-ca.pem https://127.0.0.1:$PORT_TLS_SELF/api/v1/ping"

# ---------------------------------------------------------------- nginx / haproxy
put h4_nginx_syntax nginx.conf "events {}\nhttp {\n  server {\n    listen 127.0.0.1:$PORT_FREE;\n    location / {\n      proxy_pass http://127.0.0.1:3000\n    }\n  }\n}\n"
c h4_nginx_syntax syntax_error nginx 'nginx -t -q -p $PWD -c $PWD/nginx.conf -g "error_log stderr; pid nginx.pid;"'
put h4_nginx_include_missing conf/nginx.conf "events {}\nhttp {\n  include sites-enabled/api.conf;\n}\n"
c h4_nginx_include_missing file_not_found nginx 'nginx -t -q -p $PWD -c $PWD/conf/nginx.conf -g "error_log stderr; pid nginx.pid;"'
put h4_nginx_port_busy nginx.conf "events {}\nhttp {\n  access_log off;\n  server {\n    listen 127.0.0.1:$PORT_BUSY;\n  }\n}\n"
c h4_nginx_port_busy port_in_use nginx 'nginx -p $PWD -c $PWD/nginx.conf -g "daemon off; error_log stderr; pid nginx.pid;"'
AS=nobody c h4_nginx_default_nobody permission_denied nginx '/usr/sbin/nginx -t'
put h4_nginx_unknown_directive nginx.conf "events {}\nhttp {\n  server {\n    listen 127.0.0.1:$PORT_FREE;\n    gzip_typess text/css;\n  }\n}\n"
c h4_nginx_unknown_directive syntax_error nginx 'nginx -t -p $PWD -c $PWD/nginx.conf -g "error_log stderr; pid nginx.pid;"'
put h4_haproxy_syntax haproxy.cfg "global\n  log stdout local0\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\nfrontend web\n  bind 127.0.0.1:$PORT_FREE\n  default_backendd app\nbackend app\n  server a1 127.0.0.1:3000\n"
c h4_haproxy_syntax syntax_error haproxy 'haproxy -c -f haproxy.cfg'
put h4_haproxy_port_busy haproxy.cfg "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\nfrontend pg\n  bind 127.0.0.1:$PORT_BUSY\n  default_backend db\nbackend db\n  server p1 127.0.0.1:$PORT_PG\n"
c h4_haproxy_port_busy port_in_use haproxy 'haproxy -db -f haproxy.cfg'

# ---------------------------------------------------------------- protoc / yamllint / graphviz
put h4_protoc_syntax api.proto 'syntax = "proto3";\npackage shop;\nmessage Order {\n  int64 id = 1\n  string sku = 2;\n}\n'
c h4_protoc_syntax compile_error protoc 'protoc --python_out=gen api.proto'
put h4_protoc_import_missing api.proto 'syntax = "proto3";\npackage shop;\nimport "google/api/annotations.proto";\nmessage Ping {}\n'
c h4_protoc_import_missing missing_dependency protoc 'mkdir -p gen && protoc -I . --python_out=gen api.proto'
put h4_protoc_plugin_missing api.proto 'syntax = "proto3";\npackage shop;\noption go_package = "example.com/shop";\nmessage Ping {}\n'
c h4_protoc_plugin_missing command_not_found protoc 'mkdir -p gen && protoc --go_out=gen api.proto'
put h4_yamllint_syntax .github/workflows/ci.yml 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n        env:\n       CI: true\n'
c h4_yamllint_syntax syntax_error yamllint 'yamllint -f parsable .github/workflows/ci.yml'
put h4_dot_syntax deps.dot 'digraph deps {\n  api -> db\n  api -> cache [label="redis"\n  worker -> db\n}\n'
c h4_dot_syntax syntax_error graphviz 'dot -Tsvg deps.dot -o deps.svg'
put h4_dot_bad_format deps.dot 'digraph { a -> b }\n'
c h4_dot_bad_format usage_error graphviz 'dot -Twebp2 deps.dot -o deps.webp'

# ---------------------------------------------------------------- ansible
ANS='ANSIBLE_LOCAL_TEMP=$PWD/.ans ANSIBLE_REMOTE_TEMP=$PWD/.ans ANSIBLE_NOCOLOR=1 ANSIBLE_STDOUT_CALLBACK=default ansible-playbook -i localhost, -c local'
put h4_ansible_yaml site.yml '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: install packages\n      debug:\n        msg: "installing {{ item }}"\n       loop: [nginx, redis]\n'
c h4_ansible_yaml syntax_error ansible "$ANS site.yml"
put h4_ansible_cmd_missing deploy.yml '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: run migrations\n      command: /opt/shop/bin/migrate --to latest\n'
c h4_ansible_cmd_missing command_not_found ansible "$ANS deploy.yml"
put h4_ansible_role_missing web.yml '- hosts: all\n  gather_facts: false\n  roles:\n    - geerlingguy.docker\n'
c h4_ansible_role_missing missing_dependency ansible "$ANS web.yml"
put h4_ansible_uri_refused health.yml "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: wait for api health\n      uri:\n        url: http://127.0.0.1:$PORT_FREE/healthz\n        timeout: 2\n"
c h4_ansible_uri_refused network ansible "$ANS health.yml"

# ---------------------------------------------------------------- system tools (refused before anything changes)
AS=nobody c h4_nft_nobody permission_denied nftables '/usr/sbin/nft list ruleset'
put h4_nft_syntax rules.nft 'table inet filter {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    tcp dport { 22, 443 accept\n  }\n}\n'
c h4_nft_syntax syntax_error nftables 'nft -c -f rules.nft'
AS=nobody c h4_iptables_nobody permission_denied iptables '/usr/sbin/iptables -S INPUT'
put h4_crontab_bad_minute jobs.cron '61 * * * * /usr/local/bin/rotate-logs\n'
AS=nobody c h4_crontab_bad_minute syntax_error cron 'crontab jobs.cron'
prep h4_logrotate_bad; mkdir -p "$CASE/logs"; echo x >"$CASE/logs/app.log"; printf '%s/logs/*.log {\n    daily\n    rotate seven\n    compress\n}\n' "$CASE" >"$CASE/logrotate.conf"
c h4_logrotate_bad syntax_error logrotate 'logrotate -d -s state logrotate.conf'
prep h4_losetup_nobody; truncate -s 4M "$CASE/disk.img"; chmod 666 "$CASE/disk.img"
AS=nobody c h4_losetup_nobody permission_denied util-linux '/usr/sbin/losetup -f --show disk.img'
c h4_gdb_batch_missing file_not_found gdb 'gdb -q -batch -ex run ./build/bin/server'

# ---------------------------------------------------------------- archives
prep h4_tar_extract_full; head -c 1200000 /dev/urandom >"$CASE/assets.bin"; (cd "$CASE" && tar czf assets.tgz assets.bin && rm assets.bin); small_fs size=512k
c h4_tar_extract_full disk_full archive 'tar xzf assets.tgz -C mnt'
prep h4_xz_memlimit; head -c 3000000 /dev/urandom | xz -9e -T1 >"$CASE/dataset.xz" 2>/dev/null
c h4_xz_memlimit out_of_memory archive 'xz -d -k --memlimit-decompress=2MiB dataset.xz'
put h4_gzip_corrupt logs.gz 'not gzip data at all\n'
c h4_gzip_corrupt runtime_error archive 'gzip -t logs.gz'
c h4_unzip_missing file_not_found archive 'unzip -q dist/site-2026.11.zip -d public'

# ---------------------------------------------------------------- kubectl / terraform
put h4_kubectl_apply_missing x ''
c h4_kubectl_apply_missing file_not_found kubectl "kubectl --server=http://127.0.0.1:$PORT_FREE apply -f k8s/overlays/prod/deployment.yaml"
put h4_kubectl_yaml_bad deploy.yaml 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n   selector:\n    matchLabels: {app: web}\n'
c h4_kubectl_yaml_bad syntax_error kubectl "kubectl --server=http://127.0.0.1:$PORT_FREE apply --dry-run=client --validate=false -f deploy.yaml"
c h4_kubectl_refused network kubectl "kubectl --server=http://127.0.0.1:$PORT_FREE get nodes -o wide"
put h4_tf_provider_offline main.tf 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.0"\n    }\n  }\n}\n'
c h4_tf_provider_offline network terraform 'terraform init -input=false -no-color -upgrade'
put h4_tf_undeclared_var infra/main.tf 'resource "terraform_data" "app" {\n  input = var.image_tag\n}\n'
(cd "$CASE/infra" && terraform init -input=false >/dev/null 2>&1)
c h4_tf_undeclared_var compile_error terraform 'terraform -chdir=infra validate -no-color'

# ---------------------------------------------------------------- make as a wrapper
put h4_make_pytest_color Makefile 'PY ?= python3\n\n.PHONY: test-py\ntest-py:\n\t$(PY) -m pytest -p no:cacheprovider --color=yes -q tests\n'
add tests/test_dates.py 'import datetime\n\ndef test_iso_week():\n    assert datetime.date(2026, 12, 31).isocalendar().week == 52\n'
COLOR=1 c h4_make_pytest_color test_failure make 'make test-py'
put h4_make_go_build Makefile 'build-api:\n\tgo vet ./... >/dev/null 2>&1 || true\n\tgo build -o bin/api .\n'
printf 'module example.com/api\n\ngo 1.19\n' >"$CASE/go.mod"
printf 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar n int = "eight"\n\tfmt.Println(n)\n}\n' >"$CASE/main.go"
c h4_make_go_build compile_error make 'make build-api'
prep h4_make_long_k
{ printf 'OBJS := $(patsubst %%,obj/m%%.o,$(shell seq 1 40))\n\nall: $(OBJS)\n\nobj/%%.o: src/%%.c\n\t@mkdir -p obj\n\t@echo "  CC      $@"\n\t@gcc -Wall -c $< -o $@\n'; } >"$CASE/Makefile"
mkdir -p "$CASE/src"; for i in $(seq 1 40); do printf 'int m%d(int x) { return x + %d; }\n' $i $i >"$CASE/src/m$i.c"; done
printf 'int m23(int x) {\n  int y = x * 2\n  return y;\n}\n' >"$CASE/src/m23.c"
printf 'int m7(int x) { int unused; return x; }\n' >"$CASE/src/m7.c"
c h4_make_long_k compile_error make 'make -k -j1 all'
put h4_make_recipe_killed Makefile 'bench:\n\t./scripts/bench.sh\n'
add scripts/bench.sh '#!/bin/sh\necho "running benchmark suite (3 rounds)"\nkill -KILL $$\n'
chmod +x "$CASE/scripts/bench.sh"
c h4_make_recipe_killed killed make 'make bench'
put h4_make_protoc Makefile 'GEN := gen/api.pb.go\n\ngenerate: $(GEN)\n\n$(GEN): api.proto\n\t@mkdir -p gen\n\tprotoc --go_out=gen --go_opt=paths=source_relative api.proto\n'
add api.proto 'syntax = "proto3";\npackage api;\noption go_package = "example.com/api";\nmessage Health { bool ok = 1; }\n'
c h4_make_protoc command_not_found make 'make generate'
put h4_make_docker_daemon Makefile 'BASE ?= debian:12\nIMAGE ?= shop/api:dev\n\nimage:\n\t@echo "building $(IMAGE) from $(BASE)"\n\tdocker pull -q $(BASE)\n\tdocker build -t $(IMAGE) .\n'
add Dockerfile 'FROM debian:12\n'
c h4_make_docker_daemon network make "DOCKER_HOST=unix://$WORK/svc/absent-docker.sock make image"
put h4_make_silent_diff Makefile 'verify:\n\t@./gen.sh > /tmp/gen-$$$$.out; diff -q expected.out /tmp/gen-$$$$.out >/dev/null; s=$$?; rm -f /tmp/gen-$$$$.out; exit $$s\n'
add gen.sh '#!/bin/sh\necho v2\n'; chmod +x "$CASE/gen.sh"; add expected.out 'v1\n'
c h4_make_silent_diff unknown make 'make verify'
put h4_make_npm_ci Makefile 'node_modules: package.json\n\tnpm ci --no-audit\n\nfrontend: node_modules\n\tnpx vite build\n'
add package.json '{"name":"front","version":"1.0.0","devDependencies":{"vite":"^5.2.0"}}\n'
c h4_make_npm_ci file_not_found make 'make frontend'
put h4_make_tox Makefile 'check-tox:\n\ttox -q -e py311\n'
add tox.ini '[tox]\nskipsdist = true\n\n[testenv]\ncommands = python -c "import sys; import yaml; sys.exit(0)"\n'
c h4_make_tox missing_dependency make 'make check-tox'

# ---------------------------------------------------------------- signals / runner limits
put h4_sig_make_term Makefile 'serve:\n\tsleep 30\n'
c h4_sig_make_term killed signal '(sleep 1; kill -TERM $$) & exec make serve'
jv h4_sig_kill_java Server 'public class Server { public static void main(String[] a) throws Exception { System.out.println("listening on :8080"); Thread.sleep(60000); } }'
c h4_sig_kill_java killed signal '(sleep 2; kill -KILL $$) & exec java -XX:-UsePerfData Server'
c h4_sig_usr1_sleep killed signal '(sleep 1; kill -USR1 $$) & exec sleep 30'
c h4_sig_quit_python killed signal '(sleep 1; kill -QUIT $$) & exec /usr/bin/python3 -c "import time; time.sleep(30)"'
c h4_sig_int_node killed signal "(sleep 1; kill -INT \$\$) & exec node -e \"setInterval(() => {}, 1000)\""
c h4_sig_term_gunicorn_like killed signal "(sleep 1; kill -TERM \$\$) & exec /usr/bin/python3 -c \"import signal, sys, time; signal.signal(signal.SIGTERM, lambda s, f: (print('worker exiting on SIGTERM', file=sys.stderr), sys.exit(143))); time.sleep(30)\""
LIMIT=cpu_time:1 c h4_lim_cpu_python resource_limit signal "python3 -c 'while True: pass'"
put h4_lim_wall_tail app.log 'started\n'
LIMIT=wall_time:2 c h4_lim_wall_tail timeout signal 'tail -n 0 -f app.log'

# Extra normalisation the shared runner does not do (applied to this batch's files only): the
# same as analysis-3 (klog, Rust thread ids, rustc/pip temp names, TAP durations, prove's CPU
# line, curl's milliseconds, Erlang/ExUnit tokens, node GC traces, OpenSSL thread ids, test
# rates, goroutine ids other than 1), plus the ones listed in EXTRA (see README.md).
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, re, sys
SUBS = [
    (r"(?m)^([EWIF])\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ ", r"\g<1>0101 00:00:00.000000 4242 "),
    (r"(thread '[^']*') \(\d+\)", r"\1 (4242)"),
    (r"\brustc[A-Za-z0-9]{6}\b", "rustcXXXXXX"),
    (r"duration_ms: [\d.]+", "duration_ms: 0"),
    (r"Files=(\d+), Tests=(\d+), .*? CPU\)", r"Files=\1, Tests=\2,  0 wallclock secs ( 0.00 usr  0.00 sys +  0.00 cusr  0.00 csys =  0.00 CPU)"),
    (r"(/tmp/pip-[a-z-]+?-xxxxxxxx)-[a-z0-9_]{8}\b", r"\1-xxxxxxxx"),
    (r"after \d+ milliseconds", "after 0 milliseconds"),
    (r"(?i)\bseed:? \d+", "seed 0"),
    (r"(?m)^\[\d+:0x0000\].*$", "[4242:0x0000] <gc trace>"),
    (r"(?m)^[0-9A-F]{16}:error:", "0000000000000000:error:"),
    (r"[\d.]+ (tests|assertions|runs|pass%)/s", r"0.0 \1/s"),
    (r"\bgoroutine (?!1 \[)\d+ \[", "goroutine 99 ["),
]
EXTRA = [
    (r"/sort[A-Za-z0-9]{6}\b", "/sortXXXXXX"),                      # sort's temporary file
    (r"/tmp/ccache-\w+|/tmp/cc[A-Za-z0-9]{6}\.(?:s|res|ld|le)\b", "/tmp/ccXXXXXX"),  # gcc/clang temp files
    (r"/tmp/(?:main|[a-z]+)-[0-9a-f]{6}\.o\b", "/tmp/obj-XXXXXX.o"), # clang's temp objects
    (r"\b(?:\d+(?:\.\d+)?) ?(?:µs|us|ns|m\d+s)\b", "0s"),          # sub-second durations in runners
    (r"(?m)^(\s*(?:real|user|sys|Elapsed|Total time|Time):?\s+)[\d.:ms]+\s*$", r"\g<1>0"),
    (r"\btmp[a-z0-9_]{8}\b", "tmpxxxxxxxx"),                        # tempfile names without /tmp prefix
    (r"(?m)^\[(NOTICE|ALERT|WARNING)\]( +)\(\d+\)", r"[\1]\2(4242)"),  # haproxy's pid
    (r"\[(emerg|alert|crit|error|warn|notice|info)\] \d+#\d+:", r"[\1] 4242#4242:"),  # nginx pid#tid
    (r"PYTHONHASHSEED='\d+'", "PYTHONHASHSEED='0'"),               # tox's random hash seed
    (r"(bash: line \d+:) +4242 ", r"\1 4242 "),                     # bash pads the PID to its width
    (r"#<directory \(([\w -]+)\) [0-9a-f]+>", r"#<directory (\1) 0>"),  # guile's module addresses
    (r"Time: \d\d:\d\d\.\d+, Memory", "Time: 00:00.000, Memory"),      # PHPUnit's clock
    (r"\{[0-9A-F]{8,16}\}", "{0}"),                                  # SBCL object addresses
    (r"127\.0\.0\.1:\d+->127\.0\.0\.1:53\b", "127.0.0.1:0->127.0.0.1:53"),  # Go resolver's source port
    (r"(Got +)[0-9a-f]{64}\b", r"\1" + "f" * 64),                     # pip: hash of a locally built wheel
    (r"(Creating virtualenv [a-z][\w-]*?)-[A-Za-z0-9_-]{8}-py", r"\1-XXXXXXXX-py"),  # poetry's venv name
]
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    d = json.load(open(f, encoding="utf-8"))
    for k in ("stdout", "stderr"):
        for pat, rep in SUBS + EXTRA:
            d[k] = re.sub(pat, rep, d[k])
    with open(f, "w", encoding="utf-8") as fh:
        json.dump(d, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
PY
echo "held-out batch written to $OUT ($(ls "$OUT"/*.json | wc -l) cases)"
