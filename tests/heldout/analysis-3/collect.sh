#!/usr/bin/env bash
# Held-out batch 3 for the failure analyzer: real failing commands, run on this machine, one
# JSON per case in this directory (same fields as analysis-2, see README.md).
# Uses the shared runner (tests/data/failures/runner.sh): loopback-only traffic, stable output.
# Written blind: the analyzer's rules, catalog, tests and scores were not read. No command string
# equals one in batch 1, batch 2 or the corpus tests/data/failures (checked by script), and none
# appears twice here.
#
# Needs (Debian 12 packages unless noted): openjdk-17 + maven, perl, ruby (minitest/test-unit),
# php-cli php-sqlite3, golang-go, node/npm, python3 (+ pytest, rich, setuptools, wheel),
# cargo + clippy (rustup), gcc/g++, binutils, valgrind, strace, make, cmake, meson, ninja-build,
# git, postgresql, mariadb-server mariadb-client, redis-server redis-tools, openssh-server
# openssh-client, sudo, passwd (useradd/groupadd), iproute2, netcat-openbsd, socat, lua5.4, tcl,
# sqlite3, gawk, mawk, bc, jq, yq (PyPI), libxml2-utils, zip unzip xz-utils bzip2 zstd lz4
# p7zip-full, gnupg, openssl, rsync, curl, wget, patch, erlang-nox elixir, kubectl,
# terraform, docker CLI (no compose plugin), systemd (systemctl/systemd-analyze, no running systemd).
#
# Usage: sudo ./collect.sh     (deletes and rewrites only ./*.json)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE"
export SW_PORT_BASE=${SW_PORT_BASE:-48100}
. "$HERE/../../data/failures/runner.sh"
sw_start_http
HAVE_PG=0; sw_start_pg && HAVE_PG=1
HAVE_MY=0; sw_start_mysql && HAVE_MY=1
HAVE_REDIS=0; sw_start_redis && HAVE_REDIS=1
sw_start_sshd
PG="PGPASSWORD=right-password psql -h 127.0.0.1 -p $PORT_PG -U postgres"
MY="mysql --no-defaults -h 127.0.0.1 -P $PORT_MY"
SSHO="-o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -p $PORT_SSH"
RA="redis-cli -e -p $PORT_REDIS -a s3cret-redis --no-auth-warning"

# A second small HTTP server (this batch only): 5xx and 429 answers, a 200 answer, and a path
# that accepts the request and never answers.
PORT_EXTRA=$((B+12))
cat >"$WORK/svc/extra.py" <<'PY'
import http.server, sys, threading, time
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        p = self.path
        if p.startswith("/slow"):
            time.sleep(30)
            return
        if p.startswith("/close"):
            self.close_connection = True  # request read, connection closed without an answer
            return
        for code in (500, 502, 503, 429):
            if p.startswith("/status/%d" % code):
                body = {500: b'{"error":"internal server error"}\n', 502: b"<html><body><h1>502 Bad Gateway</h1></body></html>\n",
                        503: b"upstream unavailable, try later\n", 429: b'{"error":"rate limit exceeded","retry_after":30}\n'}[code]
                self.send_response(code)
                if code in (429, 503):
                    self.send_header("Retry-After", "30")
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

jv() { prep "$1"; printf '%s\n' "$3" >"$CASE/$2.java"; (cd "$CASE" && javac "$2.java" 2>/dev/null); }
put() { prep "$1"; mkdir -p "$(dirname "$CASE/$2")"; printf '%b' "$3" >"$CASE/$2"; }
cc_build() { (cd "$CASE" && gcc "$@" 2>/dev/null); }
small_fs() { mkdir -p "$CASE/mnt"; mount -t tmpfs -o "$1" tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt"); }
gitrepo() { prep "$1"; (cd "$CASE" && git init -q -b main && git config user.email dev@example.com && git config user.name dev && echo base >f.txt && git add f.txt && git commit -qm base); }
gobuild() { (cd "$CASE" && GOFLAGS=-mod=mod GOPROXY=off go build -o "$1" . 2>/dev/null); }

# ---------------------------------------------------------------- coreutils / timeout(1)
c h3_cu_timeout_int_python timeout coreutils 'timeout -s INT 2 /usr/bin/python3 -c "import time; time.sleep(20)"'
c h3_cu_timeout_kill_tail timeout coreutils 'timeout --signal=KILL 1 tail -f /dev/null'
c h3_cu_timeout_k_trap timeout coreutils "timeout -k 1 1 bash -c 'trap \"\" TERM; while :; do sleep 0.2; done'"
put h3_cu_mv_no_dest report.csv 'id,total\n'
c h3_cu_mv_no_dest usage_error coreutils 'mv report.csv'
put h3_cu_chmod_bad_mode run.sh '#!/bin/sh\n'
c h3_cu_chmod_bad_mode usage_error coreutils 'chmod 8755 run.sh'
c h3_cu_mkdir_no_parent file_not_found coreutils 'mkdir releases/2026/12'
prep h3_cu_rm_directory; mkdir -p "$CASE/build/obj"
c h3_cu_rm_directory usage_error coreutils 'rm build'
prep h3_cu_cp_enospc; head -c 600000 /dev/urandom >"$CASE/backup.img"; small_fs size=256k
c h3_cu_cp_enospc disk_full coreutils 'cp backup.img mnt/'
prep h3_cu_split_fsize; head -c 3000000 /dev/zero >"$CASE/dump.sql"
c h3_cu_split_fsize resource_limit coreutils 'ulimit -f 64; split -b 1M dump.sql part-'
c h3_cu_numfmt_suffix usage_error coreutils 'numfmt --from=auto 512KX'
prep h3_cu_readonly_mount; mkdir -p "$CASE/ro"; mount -t tmpfs -o size=64k,ro tmpfs "$CASE/ro" && MOUNTS+=("$CASE/ro")
c h3_cu_readonly_mount permission_denied coreutils 'touch ro/cache.db'
c h3_cu_find_missing_dir file_not_found coreutils "find src/legacy -name '*.orig' -delete"
c h3_cu_xargs_255 unknown coreutils "printf 'job-1\n' | xargs -I{} sh -c 'exit 255'"
AS=nobody c h3_cu_tee_denied permission_denied coreutils "echo 'net.core.somaxconn=1024' | tee /etc/sysctl.d/99-app.conf"
AS=nobody c h3_cu_chown_eperm permission_denied coreutils 'chown nobody /etc/hostname'
c h3_cu_dd_bad_bs usage_error coreutils 'dd if=/dev/zero of=disk.img bs=4X count=1'
c h3_cu_flock_busy runtime_error coreutils "(flock deploy.lock sleep 3 >/dev/null 2>&1 &); sleep 0.5; flock -n deploy.lock -c 'echo deploying'"
c h3_cu_find_exec_missing command_not_found coreutils "mkdir -p conf && echo '{}' > conf/a.json && find conf -name '*.json' -exec jsonlint -q {} +"

# ---------------------------------------------------------------- shell
put h3_sh_for_missing_do loop.sh 'for f in *.txt\n  echo "$f"\ndone\n'
c h3_sh_for_missing_do syntax_error shell 'bash loop.sh'
c h3_sh_typo_command command_not_found shell 'gti log --oneline -5'
c h3_sh_env_shebang command_not_found shell "printf '#!/usr/bin/env node18\nconsole.log(1)\n' > serve && chmod +x serve && ./serve"
c h3_sh_crlf_shebang command_not_found shell "printf '#!/bin/bash\r\necho ok\r\n' > build.sh && chmod +x build.sh && ./build.sh"
AS=nobody c h3_sh_cd_denied permission_denied shell 'cd /root && ls'
c h3_sh_arg_list_too_long resource_limit shell '/bin/ls $(seq -f "part-%g.log" 1 250000) > /dev/null'
c h3_sh_test_silent unknown shell '[ -n "$DEPLOY_KEY" ]'
c h3_sh_ambiguous_redirect runtime_error shell 'logfile=""; echo "build started" > $logfile'

# ---------------------------------------------------------------- signals / runner limits
c h3_sig_term_node killed signal '(sleep 1; kill -TERM $$) & exec node -e "setTimeout(() => {}, 30000)"'
c h3_sig_int_python killed signal '(sleep 2; kill -INT $$) & exec /usr/bin/python3 -c "import signal, time; signal.signal(signal.SIGINT, signal.default_int_handler); time.sleep(30)"'
c h3_sig_hup_sleep killed signal '(sleep 1; kill -HUP $$) & exec sleep 30'
c h3_sig_abrt_outside killed signal '(sleep 1; kill -ABRT $$) & exec sleep 40'
c h3_sig_segv_perl killed signal '(sleep 1; kill -SEGV $$) & exec perl -e "sleep 30"'
LIMIT=wall_time:2 c h3_lim_wall_ruby timeout signal "ruby -e 'sleep'"
LIMIT=cpu_time:1 c h3_lim_cpu_node resource_limit signal 'node -e "let n = 0; for (;;) n++"'
LIMIT=output:30000 c h3_lim_output_loop resource_limit signal 'while :; do echo "[worker] retrying job 17"; done'
LIMIT=file_size:8192 c h3_lim_fsize_python resource_limit signal "python3 -c \"open('export.csv', 'w').write('id,total\\n' * 20000)\""

# ---------------------------------------------------------------- python
COLOR=1 c h3_py_rich_keyerror runtime_error python "FORCE_COLOR=1 COLUMNS=100 python3 -c \"from rich.traceback import install; install(); import os; print(os.environ['STRIPE_API_KEY'])\""
c h3_py_recursion runtime_error python "python3 -c 'import sys; sys.setrecursionlimit(200); f = lambda n: f(n + 1); f(0)'"
put h3_py_fstring invoice.py 'total = 12.5\nprint(f"total: {total:.2f")\n'
c h3_py_fstring syntax_error python 'python3 invoice.py'
put h3_py_taberror worker.py 'def run():\n    x = 1\n\treturn x\n'
c h3_py_taberror syntax_error python 'python3 worker.py'
put h3_py_tomllib pyproject.toml '[project]\nname = "svc"\nversion = "0.1\n'
c h3_py_tomllib syntax_error python "python3 -c \"import tomllib; tomllib.load(open('pyproject.toml', 'rb'))\""
c h3_py_socket_read_timeout network python "python3 -c \"import socket; s = socket.create_connection(('127.0.0.1', $PORT_SILENT), timeout=1); s.recv(16)\""
c h3_py_conn_reset network python "python3 -c \"import socket; s = socket.create_connection(('127.0.0.1', $PORT_RESET)); s.sendall(b'PING'); import time; time.sleep(0.3); s.recv(16)\""
c h3_py_ssl_wrong_version network python "python3 -c \"import urllib.request; urllib.request.urlopen('https://127.0.0.1:$PORT_TLS_PLAIN/index.html')\""
c h3_py_dns network python "python3 -c \"import urllib.request; urllib.request.urlopen('http://pypi.internal.example/simple/')\""
c h3_py_http_403 auth_failure python "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT_HTTP/admin/users')\""
c h3_py_http_500 runtime_error python "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT_EXTRA/status/500/orders')\""
AS=nobody c h3_py_bind_privileged permission_denied python "python3 -c \"import socket; socket.socket().bind(('127.0.0.1', 80))\""
c h3_py_unicode_decode runtime_error python "python3 -c \"print(b'caf\\xe9'.decode('utf-8'))\""
put h3_py_fork_nproc spawn.py 'import os, time\nfor i in range(12):\n    if os.fork() == 0:\n        time.sleep(2)\n        os._exit(0)\n'
AS=nobody c h3_py_fork_nproc resource_limit python 'ulimit -u 4; python3 spawn.py'
c h3_py_list_oom out_of_memory python "ulimit -v 300000; python3 -c 'ids = [0] * (10 ** 9)'"
c h3_py_venv_without_pip missing_dependency python 'python3 -m venv --without-pip .venv && .venv/bin/python -m pip --version'
c h3_py_subprocess_enoent command_not_found python "python3 -c \"import subprocess; subprocess.run(['ffmpeg', '-i', 'in.mp4', 'out.webm'], check=True)\""
c h3_py_alarm timeout python "python3 -c 'import signal, time; signal.alarm(1); time.sleep(10)'"
put h3_py_pytest_param test_slugify.py 'import pytest\n\ndef slugify(s):\n    return s.strip().lower().replace(" ", "-")\n\n@pytest.mark.parametrize("raw, want", [("Hello World", "hello-world"), ("  Trim me ", "trim-me"), ("a_b", "a-b")])\ndef test_slugify(raw, want):\n    assert slugify(raw) == want\n'
COLOR=1 c h3_py_pytest_param test_failure python 'python3 -m pytest -p no:cacheprovider --color=yes -q test_slugify.py'
put h3_py_pytest_fixture_net conftest.py "import socket, pytest\n\n@pytest.fixture\ndef cache():\n    return socket.create_connection(('127.0.0.1', $PORT_FREE), timeout=2)\n"
printf 'def test_cache_roundtrip(cache):\n    cache.sendall(b"PING")\n' >"$CASE/test_cache.py"
c h3_py_pytest_fixture_net network python 'python3 -m pytest -p no:cacheprovider -q test_cache.py'
put h3_py_pytest_conftest_import conftest.py 'from testcontainers.postgres import PostgresContainer\n'
printf 'def test_ok():\n    assert True\n' >"$CASE/test_repo.py"
c h3_py_pytest_conftest_import missing_dependency python 'python3 -m pytest -p no:cacheprovider -q test_repo.py'
put h3_py_pytest_deselect_all test_api.py 'def test_list():\n    assert True\n'
c h3_py_pytest_deselect_all usage_error python 'python3 -m pytest -p no:cacheprovider -q -k smoke test_api.py'
put h3_py_unittest test_invoice.py 'import unittest\n\nclass InvoiceTest(unittest.TestCase):\n    def test_vat(self):\n        self.assertEqual(round(100 * 1.19, 2), 119.01)\n\nif __name__ == "__main__":\n    unittest.main()\n'
c h3_py_unittest test_failure python 'python3 -m unittest test_invoice'
put h3_py_doctest pricing.py 'def cents(x):\n    """\n    >>> cents(1.15)\n    115\n    """\n    return int(x * 100)\n'
c h3_py_doctest test_failure python 'python3 -m doctest pricing.py'

# ---------------------------------------------------------------- pip / venv
c h3_pip_venv_offline network pip 'python3 -m venv .venv && .venv/bin/pip install flask'
put h3_pip_cython_backend fastmath/setup.py 'from setuptools import setup\nfrom Cython.Build import cythonize\nsetup(name="fastmath", version="0.1", ext_modules=cythonize("fastmath.pyx"))\n'
printf 'def add(int a, int b):\n    return a + b\n' >"$CASE/fastmath/fastmath.pyx"
c h3_pip_cython_backend missing_dependency pip 'python3 -m pip install --no-build-isolation --no-deps ./fastmath'
put h3_pip_pyproject_toml pkg/pyproject.toml '[build-system]\nrequires = ["setuptools"\nbuild-backend = "setuptools.build_meta"\n'
c h3_pip_pyproject_toml syntax_error pip 'python3 -m pip install --no-build-isolation ./pkg'
put h3_pip_unresolvable acme/setup.py 'from setuptools import setup\nsetup(name="acme-client", version="0.1.0", py_modules=["acme_client"], install_requires=["requests-toolbelt>=9"])\n'
printf 'VERSION = "0.1.0"\n' >"$CASE/acme/acme_client.py"
(cd "$CASE" && python3 -m pip wheel -q --no-deps --no-build-isolation -w wheels ./acme >/dev/null 2>&1; rm -rf acme/build acme/*.egg-info)
c h3_pip_unresolvable missing_dependency pip 'python3 -m pip install --no-index --find-links wheels acme-client'
c h3_pip_externally_managed usage_error pip '/usr/bin/python3 -m pip install --user httpx'

# ---------------------------------------------------------------- node
put h3_node_esm_require worker.mjs "const fs = require('fs');\nconsole.log(fs.readdirSync('.'));\n"
c h3_node_esm_require runtime_error node 'node worker.mjs'
c h3_node_local_module file_not_found node "node -e \"const cfg = require('./lib/config'); console.log(cfg.port)\""
put h3_node_missing_pkg app.js "const dayjs = require('dayjs');\nconsole.log(dayjs().format());\n"
c h3_node_missing_pkg missing_dependency node 'node app.js'
c h3_node_heap_oom out_of_memory node "node --max-old-space-size=24 -e \"const rows = []; for (;;) rows.push(new Array(100000).fill(7))\""
c h3_node_range_stack runtime_error node "node -e \"function walk(n) { return walk(n + 1) + 1 } walk(0)\""
c h3_node_typeerror runtime_error node "node -e \"const cfg = undefined; console.log(cfg.port)\""
put h3_node_syntax server.js "const http = require('http');\nhttp.createServer((req, res) => {\n  res.end('ok');\n.listen(3000);\n"
c h3_node_syntax syntax_error node 'node server.js --port 3000'
c h3_node_econnreset network node "node -e \"require('http').get('http://127.0.0.1:$PORT_RESET/metrics', () => {}).on('error', e => { throw e })\""
c h3_node_fetch_timeout network node "node -e \"fetch('http://127.0.0.1:$PORT_SILENT/api', { signal: AbortSignal.timeout(800) }).catch(e => { console.error(e); process.exit(1) })\""
AS=nobody c h3_node_listen_eacces permission_denied node "node -e \"require('http').createServer().listen(443, '127.0.0.1')\""
put h3_node_test_dot money.test.js "const { describe, it } = require('node:test');\nconst assert = require('node:assert');\ndescribe('money', () => {\n  it('adds cents', () => { assert.strictEqual(0.1 + 0.2, 0.3); });\n  it('formats', () => { assert.ok(true); });\n});\n"
COLOR=1 c h3_node_test_dot test_failure node 'FORCE_COLOR=1 node --test --test-reporter=dot money.test.js'
c h3_node_r_no_arg usage_error node 'node -r'
c h3_node_process_abort runtime_error node "node -e 'if (!process.env.LICENSE_KEY) process.abort()'"
c h3_node_spawn_enoent command_not_found node "node -e \"require('child_process').execFileSync('pandoc', ['README.md', '-o', 'README.html'])\""

# ---------------------------------------------------------------- npm
put h3_npm_ci_no_lock package.json '{"name":"site","version":"1.0.0","dependencies":{"left-pad":"^1.3.0"}}\n'
c h3_npm_ci_no_lock usage_error npm 'npm ci --ignore-scripts'
prep h3_npm_install_refused
c h3_npm_install_refused network npm "npm install left-pad@1.3.0 --fetch-retries=0 --registry http://127.0.0.1:$PORT_FREE/"
prep h3_npm_private_401
c h3_npm_private_401 auth_failure npm "npm install @acme/private-sdk --fetch-retries=0 --registry http://127.0.0.1:$PORT_HTTP/npm-private/"
put h3_npm_nested_node package.json '{"name":"api","version":"1.0.0","scripts":{"migrate":"node migrate.js"}}\n'
printf "const steps = require('./steps.json');\nfor (const s of steps) console.log(s.name.toUpperCase());\n" >"$CASE/migrate.js"
printf '[{"name": "create_users"}, {"title": "add_index"}]\n' >"$CASE/steps.json"
c h3_npm_nested_node runtime_error npm 'npm run migrate'
put h3_npm_prebuild_missing package.json '{"name":"ui","version":"1.0.0","scripts":{"prebuild:prod":"rimraf dist","build:prod":"node build.js"}}\n'
c h3_npm_prebuild_missing command_not_found npm 'npm run build:prod'
put h3_npm_no_workspaces package.json '{"name":"mono","version":"1.0.0","scripts":{"build":"echo build"}}\n'
c h3_npm_no_workspaces usage_error npm 'npm run build --workspace=packages/ui'
prep h3_npm_exec_offline
c h3_npm_exec_offline missing_dependency npm 'npm exec --offline --yes -- prettier --check src'

# ---------------------------------------------------------------- jvm
c h3_jvm_main_class_missing file_not_found jvm 'java -cp build/classes com.acme.billing.Main'
jv h3_jvm_npe Orders 'import java.util.*; public class Orders { public static void main(String[] a) { Map<String, String> cfg = new HashMap<>(); System.out.println(cfg.get("region").toUpperCase()); } }'
c h3_jvm_npe runtime_error jvm 'java Orders'
put h3_jvm_semicolon Ledger.java 'public class Ledger {\n  public static void main(String[] a) {\n    int total = 0\n    System.out.println(total);\n  }\n}\n'
c h3_jvm_semicolon compile_error jvm 'javac -d classes Ledger.java'
put h3_jvm_incompatible Port.java 'public class Port {\n  public static void main(String[] a) {\n    int port = System.getenv("PORT");\n  }\n}\n'
c h3_jvm_incompatible compile_error jvm 'javac -Xlint:all Port.java'
prep h3_jvm_mvn_f_missing
c h3_jvm_mvn_f_missing file_not_found jvm 'mvn -o -B -q -f modules/api/pom.xml verify'
put h3_jvm_mvn_parent pom.xml '<project>\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>com.acme</groupId>\n    <artifactId>platform-parent</artifactId>\n    <version>3.1.0</version>\n  </parent>\n  <artifactId>payments</artifactId>\n</project>\n'
c h3_jvm_mvn_parent missing_dependency jvm 'mvn -o -B -ntp validate'
prep h3_jvm_jar_no_manifest; printf 'public class Util { public static int one() { return 1; } }\n' >"$CASE/Util.java"
(cd "$CASE" && javac Util.java && jar cf util.jar Util.class 2>/dev/null)
c h3_jvm_jar_no_manifest usage_error jvm 'java -jar util.jar'
jv h3_jvm_read_timeout Poll "import java.net.*; import java.io.*; public class Poll { public static void main(String[] a) throws Exception { Socket s = new Socket(); s.connect(new InetSocketAddress(\"127.0.0.1\", $PORT_SILENT), 1000); s.setSoTimeout(1000); s.getInputStream().read(); } }"
c h3_jvm_read_timeout network jvm 'java Poll'
jv h3_jvm_httpclient_refused Health "import java.net.URI; import java.net.http.*; public class Health { public static void main(String[] a) throws Exception { HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(\"http://127.0.0.1:$PORT_FREE/actuator/health\")).build(), HttpResponse.BodyHandlers.ofString()); } }"
c h3_jvm_httpclient_refused network jvm 'java Health'
jv h3_jvm_direct_oom Buffers 'import java.nio.ByteBuffer; public class Buffers { public static void main(String[] a) { ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024 * 1024); System.out.println(b.capacity()); } }'
c h3_jvm_direct_oom out_of_memory jvm 'java -XX:MaxDirectMemorySize=8m Buffers'
jv h3_jvm_assert Balance 'public class Balance { public static void main(String[] a) { int debit = 10, credit = 9; assert debit == credit : "ledger unbalanced: debit=" + debit + " credit=" + credit; } }'
c h3_jvm_assert runtime_error jvm 'java -ea Balance'
prep h3_jvm_keytool_alias
(cd "$CASE" && keytool -genkeypair -alias app -keyalg RSA -keysize 2048 -keystore ks.p12 -storetype PKCS12 -storepass right-pass -dname CN=app -validity 30 >/dev/null 2>&1)
c h3_jvm_keytool_alias file_not_found jvm 'keytool -exportcert -alias web -keystore ks.p12 -storepass right-pass -rfc'
jv h3_jvm_timeout_kill Idle 'public class Idle { public static void main(String[] a) throws Exception { Thread.sleep(60000); } }'
c h3_jvm_timeout_kill timeout jvm 'timeout -s KILL 2 java Idle'

# ---------------------------------------------------------------- perl
c h3_perl_m_missing missing_dependency perl "perl -MText::CSV_XS -e 'print Text::CSV_XS->new->version'"
c h3_perl_open_die file_not_found perl "perl -e 'open(my \$fh, \"<\", \"etc/app.ini\") or die \"cannot open etc/app.ini: \$!\\n\"'"
put h3_perl_missing_brace rotate.pl 'sub rotate {\n  my @logs = @_;\n  for my $l (@logs) {\n    print "$l\\n";\n}\nrotate("a.log");\n'
c h3_perl_missing_brace syntax_error perl 'perl rotate.pl'
put h3_perl_prove_deeply t/parse.t 'use Test::More tests => 1;\nis_deeply([split /,/, "a,b,,c"], ["a", "b", "", "c", ""], "keeps trailing field");\n'
c h3_perl_prove_deeply test_failure perl 'prove t/parse.t'
c h3_perl_div_zero runtime_error perl "perl -e 'my @r = (); print 100 / scalar(@r), \"\\n\"'"
c h3_perl_timeout1 timeout perl "timeout 1 perl -e 'sleep 10'"
c h3_perl_http_tiny network perl "perl -MHTTP::Tiny -e '\$r = HTTP::Tiny->new(timeout => 2)->get(\"http://127.0.0.1:$PORT_FREE/ping\"); \$r->{success} or die \"\$r->{status} \$r->{content}\"'"

# ---------------------------------------------------------------- ruby
c h3_ruby_require_nokogiri missing_dependency ruby "ruby -e 'require \"nokogiri\"; doc = Nokogiri::XML(\"<a/>\")'"
c h3_ruby_name_error runtime_error ruby "ruby -e 'subtotal = 5; puts subtotl * 2'"
c h3_ruby_enoent file_not_found ruby "ruby -e 'puts File.read(\"config/database.yml\")'"
c h3_ruby_script_missing file_not_found ruby 'ruby bin/setup'
put h3_ruby_test_unit test_tax.rb 'require "test/unit"\nclass TaxTest < Test::Unit::TestCase\n  def test_rate\n    assert_equal(0.2, 0.1 * 2 + 0.0000001)\n  end\nend\n'
c h3_ruby_test_unit test_failure ruby 'ruby test_tax.rb'
put h3_ruby_rake_no_task Rakefile 'task :build do\n  puts "build"\nend\n'
c h3_ruby_rake_no_task usage_error ruby 'rake deploy'
prep h3_ruby_no_rakefile
c h3_ruby_no_rakefile file_not_found ruby 'rake test:units'
c h3_ruby_timeout timeout ruby "ruby -rtimeout -e 'Timeout.timeout(0.5) { sleep 3 }'"
c h3_ruby_net_http_refused network ruby "ruby -rnet/http -e 'Net::HTTP.get(URI(\"http://127.0.0.1:$PORT_FREE/status\"))'"
c h3_ruby_gem_version missing_dependency ruby "ruby -e 'gem \"rails\", \"~> 7.1\"'"
c h3_ruby_nomemory out_of_memory ruby "ulimit -v 300000; ruby -e 's = \"x\" * (1 << 30)'"
c h3_ruby_emfile resource_limit ruby "ulimit -n 24; ruby -e 'files = 50.times.map { File.open(\"/dev/null\") }'"

# ---------------------------------------------------------------- php
c h3_php_curl_ext missing_dependency php "php -r '\$ch = curl_init(\"http://127.0.0.1/\"); curl_exec(\$ch);'"
c h3_php_pdo_mysql_driver missing_dependency php "php -r 'new PDO(\"mysql:host=127.0.0.1;port=$PORT_FREE;dbname=shop\", \"app\", \"secret\");'"
c h3_php_require_missing file_not_found php "php -r 'require \"config/app.php\";'"
put h3_php_lint Controller.php '<?php\nclass Controller {\n  public function index() {\n    return [1, 2, 3;\n  }\n}\n'
c h3_php_lint syntax_error php 'php -l Controller.php'
c h3_php_intdiv_zero runtime_error php "php -r 'echo intdiv(10, 0), PHP_EOL;'"
c h3_php_json_exception syntax_error php "php -r 'json_decode(\"{\\\"a\\\": 1,}\", false, 512, JSON_THROW_ON_ERROR);'"
mkdir -p "$WORK/cases/h3_php_server_port/public"
c h3_php_server_port port_in_use php "php -S 127.0.0.1:$PORT_BUSY -t public"
c h3_php_timeout_preserve timeout php "timeout --preserve-status 1 php -r 'sleep(10);'"

# ---------------------------------------------------------------- go
gomod h3_go_unused_import 'package main

import (
	"fmt"
	"os"
)

func main() { fmt.Println("hi") }'
c h3_go_unused_import compile_error go 'go build -o app ./...'
gomod h3_go_index_panic 'package main

import "fmt"

func main() {
	args := []string{"serve"}
	fmt.Println(args[2])
}'
c h3_go_index_panic runtime_error go 'go run -trimpath main.go serve'
gomod h3_go_test_panic 'package main

func parse(s string) map[string]int { return nil }

func main() {}'
printf 'package main\n\nimport "testing"\n\nfunc TestParse(t *testing.T) {\n\tm := parse("a=1")\n\tm["b"] = 2\n}\n' >"$CASE/parse_test.go"
c h3_go_test_panic test_failure go 'go test -count=1 -run TestParse .'
gomod h3_go_replace_missing 'package main

import "example.com/lib"

func main() { lib.Run() }'
printf 'require example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n' >>"$CASE/go.mod"
c h3_go_replace_missing missing_dependency go 'go vet -tags integration ./...'
gomod h3_go_not_main 'package demo

func Add(a, b int) int { return a + b }'
c h3_go_not_main usage_error go 'go run . -addr :8080'
gomod h3_go_syntax 'package main

func main() {
	for i := 0; i < 3; i++ {
		println(i)
	
}'
c h3_go_syntax compile_error go 'go build -trimpath .'
gomod h3_go_open_config 'package main

import (
	"log"
	"os"
)

func main() {
	if _, err := os.ReadFile("/etc/reader/config.yaml"); err != nil {
		log.Fatalf("load config: %v", err)
	}
}'
gobuild reader
c h3_go_open_config file_not_found go './reader --once'
gomod h3_go_client_timeout "package main

import (
	\"log\"
	\"net/http\"
	\"time\"
)

func main() {
	c := &http.Client{Timeout: time.Second}
	if _, err := c.Get(\"http://127.0.0.1:$PORT_SILENT/v1/jobs\"); err != nil {
		log.Fatal(err)
	}
}"
gobuild poller
c h3_go_client_timeout network go './poller'
gomod h3_go_listen_busy "package main

import (
	\"log\"
	\"net\"
)

func main() {
	if _, err := net.Listen(\"tcp\", \"127.0.0.1:$PORT_BUSY\"); err != nil {
		log.Fatal(err)
	}
}"
gobuild api
c h3_go_listen_busy port_in_use go './api -env dev'
c h3_go_unknown_cmd usage_error go 'go bulid ./...'
gomod h3_go_oom 'package main

import "fmt"

func main() {
	buf := make([]byte, 3<<30)
	buf[len(buf)-1] = 1
	fmt.Println(len(buf))
}'
gobuild bigalloc
c h3_go_oom out_of_memory go 'ulimit -v 1000000; ./bigalloc'
gomod h3_go_vet_printf 'package main

import "fmt"

func main() {
	name := "api"
	fmt.Printf("%d workers\n", name)
}'
c h3_go_vet_printf compile_error go 'go vet .'
gomod h3_go_ctx_deadline 'package main

import (
	"context"
	"log"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	select {
	case <-time.After(5 * time.Second):
	case <-ctx.Done():
		log.Fatalf("sync inventory: %v", ctx.Err())
	}
}'
gobuild syncer
c h3_go_ctx_deadline timeout go './syncer'
gomod h3_go_lookpath 'package main

import (
	"log"
	"os/exec"
)

func main() {
	if err := exec.Command("protoc", "--go_out=.", "api.proto").Run(); err != nil {
		log.Fatalf("generate: %v", err)
	}
}'
gobuild gen
c h3_go_lookpath command_not_found go './gen'

# ---------------------------------------------------------------- rust
crate h3_rs_env_unwrap 'fn main() { let key = std::env::var("API_KEY").unwrap(); println!("{}", key.len()); }'
c h3_rs_env_unwrap runtime_error rust 'cargo run --offline -q --bin demo'
crate h3_rs_expect_file 'fn main() { let s = std::fs::read_to_string("settings.toml").expect("read settings"); println!("{}", s); }'
c h3_rs_expect_file file_not_found rust 'cargo run --offline --quiet -- --config settings.toml'
crate h3_rs_deny_warnings '#![deny(warnings)]
fn main() { let retries = 3; println!("start"); }'
c h3_rs_deny_warnings compile_error rust 'cargo build --offline --bins -q'
crate h3_rs_clippy 'fn main() { let v: Vec<u8> = Vec::new(); if v.len() == 0 { println!("empty"); } }'
c h3_rs_clippy compile_error rust 'cargo clippy --offline --bins -q -- -D warnings'
crate h3_rs_should_panic 'fn parse_port(s: &str) -> u16 { s.parse().unwrap_or(0) }
fn main() { println!("{}", parse_port("80")); }
#[cfg(test)]
mod tests {
    #[test]
    #[should_panic]
    fn rejects_garbage() { super::parse_port("http"); }
}'
COLOR=1 c h3_rs_should_panic test_failure rust 'cargo test --offline --color always -q'
crate h3_rs_unknown_feature 'fn main() {}'
c h3_rs_unknown_feature usage_error rust 'cargo build --offline --features gpu'
crate h3_rs_no_bin 'fn main() {}'
c h3_rs_no_bin usage_error rust 'cargo run --offline --bin migrate'
crate h3_rs_panic_abort 'fn main() { let v: Vec<i32> = Vec::new(); println!("{}", v[0]); }'
printf '\n[profile.dev]\npanic = "abort"\n' >>"$CASE/Cargo.toml"
c h3_rs_panic_abort runtime_error rust 'cargo run --offline -- --first'
put h3_rs_rustc_lifetime parse.rs 'fn first(a: &str, b: &str) -> &str { if a.len() > 0 { a } else { b } }\nfn main() { println!("{}", first("x", "y")); }\n'
c h3_rs_rustc_lifetime compile_error rust 'rustc --edition 2021 parse.rs'

# ---------------------------------------------------------------- c / c++
put h3_c_werror util.c 'int main(void) {\n  int unused = 3;\n  return 0;\n}\n'
c h3_c_werror compile_error c 'gcc -Wall -Werror -c util.c'
put h3_cpp_template_color sort.cpp '#include <list>\n#include <algorithm>\nint main() {\n  std::list<int> l{3, 1, 2};\n  std::sort(l.begin(), l.end());\n}\n'
COLOR=1 c h3_cpp_template_color compile_error c 'g++ -fdiagnostics-color=always -c sort.cpp'
put h3_cpp_boost_missing net.cpp '#include <boost/asio.hpp>\nint main() { boost::asio::io_context io; io.run(); }\n'
c h3_cpp_boost_missing missing_dependency c 'g++ -std=c++17 -c net.cpp'
put h3_c_pkgconfig_missing bus.c '#include <zmq.h>\nint main(void) { void *c = zmq_ctx_new(); return c == 0; }\n'
c h3_c_pkgconfig_missing missing_dependency c 'gcc $(pkg-config --cflags --libs libzmq) -o bus bus.c'
put h3_c_multiple_definition a.c 'int config_load(void) { return 1; }\nint main(void) { return config_load(); }\n'
printf 'int config_load(void) { return 2; }\n' >"$CASE/b.c"
c h3_c_multiple_definition compile_error c 'gcc -o cfgtool a.c b.c'
put h3_c_as_error boot.s '.text\n.globl _start\n_start:\n  movq %rax, %rbx, %rcx\n'
c h3_c_as_error compile_error c 'as -o boot.o boot.s'
prep h3_c_ar_missing
c h3_c_ar_missing file_not_found c 'ar rcs libutil.a util.o hash.o'
put h3_c_stack_smash name.c '#include <string.h>\n#include <stdio.h>\nint main(void) { char buf[8]; const char *src = "this name is much too long for buf"; strcpy(buf, src); puts(buf); return 0; }\n'
cc_build -O0 -fstack-protector-all -o name name.c
c h3_c_stack_smash runtime_error c './name'
put h3_c_double_free pool.c '#include <stdlib.h>\nint main(void) { char *p = malloc(32); free(p); free(p); return 0; }\n'
cc_build -O0 -o pool pool.c
c h3_c_double_free runtime_error c './pool --size 32'
put h3_c_stack_ulimit walk.c 'int walk(int n) { volatile char pad[256]; pad[0] = (char) n; return walk(n + 1) + pad[0]; }\nint main(void) { return walk(0); }\n'
cc_build -O0 -o walk walk.c
c h3_c_stack_ulimit runtime_error c 'ulimit -s 1024; ./walk'
put h3_c_malloc_null bigbuf.c '#include <stdio.h>\n#include <stdlib.h>\nint main(void) { char *p = malloc(200UL << 20); if (!p) { perror("malloc"); return 2; } p[0] = 1; return 0; }\n'
cc_build -O0 -o bigbuf bigbuf.c
c h3_c_malloc_null out_of_memory c 'ulimit -v 60000; ./bigbuf'
put h3_c_silent_exit hc.c 'int main(void) { return 3; }\n'
cc_build -o healthcheck hc.c
c h3_c_silent_exit unknown c './healthcheck --quiet'
put h3_cpp_bad_std x.cpp 'int main() { return 0; }\n'
c h3_cpp_bad_std usage_error c 'g++ -std=c++30 -c x.cpp'
put h3_c_valgrind_leak leak.c '#include <stdlib.h>\n#include <string.h>\nint main(void) { char *s = malloc(64); strcpy(s, "leaked"); s = 0; return 0; }\n'
cc_build -g -O0 -o leak leak.c
c h3_c_valgrind_leak runtime_error c 'valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=42 ./leak'
c h3_c_strace_missing file_not_found c 'strace -f -o trace.log ./build/server'

# ---------------------------------------------------------------- make
put h3_make_nested_header Makefile 'notify: notify.c\n\tgcc -o notify notify.c\n'
printf '#include <libnotify/notify.h>\nint main(void) { return notify_init("x") ? 0 : 1; }\n' >"$CASE/notify.c"
c h3_make_nested_header missing_dependency make 'make notify'
prep h3_make_C_missing
c h3_make_C_missing file_not_found make 'make -C services/auth build'
prep h3_make_f_missing
c h3_make_f_missing file_not_found make 'make -f mk/release.mk package'
put h3_make_prereq_missing Makefile 'indexer: main.o util.o\n\tgcc -o indexer main.o util.o\n'
printf 'int main(void) { return 0; }\n' >"$CASE/main.c"
c h3_make_prereq_missing file_not_found make 'make indexer'
put h3_make_script_missing Makefile 'deploy-prod:\n\t./scripts/check-env.sh\n\t./scripts/deploy.sh\n'
c h3_make_script_missing command_not_found make 'make deploy-prod'
put h3_make_recipe_timeout Makefile 'smoke:\n\ttimeout 1 sh -c "while :; do sleep 0.2; done"\n'
c h3_make_recipe_timeout timeout make 'make smoke'
put h3_make_missing_endif Makefile 'ifeq ($(ENV),prod)\nFLAGS = -O2\n\nall:\n\t@echo $(FLAGS)\n'
c h3_make_missing_endif syntax_error make 'make all ENV=prod'
put h3_make_error_fn Makefile 'release:\n\t$(if $(VERSION),,$(error VERSION is not set; run make release VERSION=x.y.z))\n\t@echo releasing $(VERSION)\n'
c h3_make_error_fn usage_error make 'make release CHANNEL=stable'
put h3_make_install_denied Makefile 'install:\n\tinstall -m 755 tool /usr/local/bin/tool\n'
printf '#!/bin/sh\n' >"$CASE/tool"; chmod 644 "$CASE/tool"
AS=nobody c h3_make_install_denied permission_denied make 'make install'
put h3_make_nested_node_test Makefile 'check-unit:\n\tnode --test --test-reporter=tap\n'
printf "const test = require('node:test');\nconst assert = require('node:assert');\ntest('parses iso week', () => { assert.deepStrictEqual('2026-W49'.split('-W').map(Number), [2026, 50]); });\n" >"$CASE/week.test.js"
c h3_make_nested_node_test test_failure make 'make check-unit'

# ---------------------------------------------------------------- cmake / ctest / meson / ninja
put h3_cmake_find_library CMakeLists.txt 'cmake_minimum_required(VERSION 3.18)\nproject(sync C)\nfind_library(SSH2_LIB ssh2 REQUIRED)\n'
c h3_cmake_find_library missing_dependency cmake 'cmake -S . -B build-sync'
put h3_cmake_subdir_missing CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(app CXX)\nadd_subdirectory(third_party/fmt)\n'
c h3_cmake_subdir_missing file_not_found cmake 'cmake -S . -B build-app'
put h3_cmake_min_version CMakeLists.txt 'cmake_minimum_required(VERSION 3.30)\nproject(modern CXX)\n'
c h3_cmake_min_version missing_dependency cmake 'cmake -S . -B build-modern'
put h3_cmake_link_error CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(hasher C)\nadd_executable(hasher main.c)\n'
printf 'unsigned long fnv1a(const char *s);\nint main(void) { return (int) fnv1a("x"); }\n' >"$CASE/main.c"
(cd "$CASE" && cmake -S . -B out >/dev/null 2>&1)
c h3_cmake_link_error compile_error cmake 'cmake --build out --target hasher'
put h3_ctest_timeout CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(x NONE)\nenable_testing()\nadd_test(NAME integration_db COMMAND sleep 10)\nset_tests_properties(integration_db PROPERTIES TIMEOUT 1)\n'
(cd "$CASE" && cmake -S . -B out >/dev/null 2>&1)
c h3_ctest_timeout timeout cmake 'ctest --test-dir out -R integration'
put h3_cmake_unknown_arg CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(x NONE)\n'
c h3_cmake_unknown_arg usage_error cmake 'cmake --log-levl=debug -S . -B out'
put h3_meson_syntax meson.build "project('cli', 'c'\nexecutable('cli', 'main.c')\n"
c h3_meson_syntax syntax_error meson 'meson setup bld'
put h3_meson_compile meson.build "project('calc', 'c')\nexecutable('calc', 'calc.c')\n"
printf 'int main(void) {\n  int x = ;\n  return x;\n}\n' >"$CASE/calc.c"
(cd "$CASE" && meson setup bld >/dev/null 2>&1)
c h3_meson_compile compile_error meson 'meson compile -C bld'
put h3_ninja_missing_input build.ninja 'rule gen\n  command = python3 gen.py $in > $out\nbuild gen/schema.h: gen src/schema.json\n'
c h3_ninja_missing_input file_not_found ninja 'ninja gen/schema.h'
put h3_ninja_syntax build.ninja 'rule cc\n  command gcc -c $in -o $out\nbuild a.o: cc a.c\n'
c h3_ninja_syntax syntax_error ninja 'ninja -v'

# ---------------------------------------------------------------- git
gitrepo h3_git_merge_conflict
(cd "$CASE" && git checkout -q -b feature && echo feature >f.txt && git commit -qam feature && git checkout -q main && echo main >f.txt && git commit -qam main)
c h3_git_merge_conflict runtime_error git 'git merge --no-edit feature'
gitrepo h3_git_checkout_overwrite
(cd "$CASE" && git checkout -q -b hotfix && echo hotfix >f.txt && git commit -qam hotfix && git checkout -q main && echo dirty >f.txt)
c h3_git_checkout_overwrite runtime_error git 'git checkout hotfix'
gitrepo h3_git_hook_pycompile
printf '#!/bin/sh\nexec python3 -m py_compile app.py\n' >"$CASE/.git/hooks/pre-commit"; chmod +x "$CASE/.git/hooks/pre-commit"
printf 'def main(:\n    pass\n' >"$CASE/app.py"
c h3_git_hook_pycompile syntax_error git 'git add app.py && git commit -qm "add app entry point"'
c h3_git_http_401 auth_failure git "git ls-remote http://127.0.0.1:$PORT_HTTP/private/infra.git"
c h3_git_fetch_refused network git "git init -q scratch && cd scratch && git fetch http://127.0.0.1:$PORT_FREE/app.git main"
c h3_git_tls_self_signed network git "git ls-remote https://127.0.0.1:$PORT_TLS_SELF/repo.git"
gitrepo h3_git_bad_revision
c h3_git_bad_revision file_not_found git 'git show v9.9.9:README.md'
gitrepo h3_git_pre_receive
(cd "$CASE" && git init -q --bare -b main up.git && printf '#!/bin/sh\necho "error: direct pushes to main are blocked; open a merge request" >&2\nexit 1\n' >up.git/hooks/pre-receive && chmod +x up.git/hooks/pre-receive && git remote add origin ./up.git)
c h3_git_pre_receive auth_failure git 'git push origin HEAD:main'
AS=nobody c h3_git_init_denied permission_denied git 'git init --bare /opt/ledger.git'

# ---------------------------------------------------------------- databases
if [ $HAVE_PG = 1 ]; then
    PGPASSWORD=right-password psql -q -h 127.0.0.1 -p $PORT_PG -U postgres -d shop \
        -c "create role limited login password 'lim-pass' connection limit 0; grant connect on database shop to limited;" >/dev/null 2>&1
    c h3_pg_refused network postgres "PGPASSWORD=x psql -h 127.0.0.1 -p $PORT_FREE -U app -d shop -c 'select 1'"
    c h3_pg_role_missing auth_failure postgres "PGPASSWORD=deploy-pass psql -h 127.0.0.1 -p $PORT_PG -U deployer -d shop -c 'select now()'"
    c h3_pg_not_null runtime_error postgres "$PG -d shop -c 'insert into orders (id) values (3)'"
    c h3_pg_restore_missing file_not_found postgres "PGPASSWORD=right-password pg_restore -h 127.0.0.1 -p $PORT_PG -U postgres -d shop backups/shop-2026-12-01.dump"
    c h3_pg_conn_limit resource_limit postgres "PGPASSWORD=lim-pass psql -h 127.0.0.1 -p $PORT_PG -U limited -d shop -c 'select 1'"
    c h3_pg_schema_denied auth_failure postgres "PGPASSWORD=ro-pass psql -h 127.0.0.1 -p $PORT_PG -U readonly -d shop -c 'create table audit(id int)'"
    c h3_pg_copy_missing file_not_found postgres "$PG -d shop -c '\\copy orders from orders-2026.csv csv header'"
    c h3_pg_raise runtime_error postgres "$PG -d shop -c \"do \\\$\\\$ begin raise exception 'invoice % already paid', 42; end \\\$\\\$\""
    c h3_pg_sslmode network postgres "PGPASSWORD=right-password psql 'host=127.0.0.1 port=$PORT_PG user=postgres dbname=shop sslmode=require' -c 'select 1'"
    c h3_pg_lock_timeout timeout postgres "(PGPASSWORD=right-password psql -h 127.0.0.1 -p $PORT_PG -U postgres -d shop -c 'begin; lock table orders; select pg_sleep(3); commit;' >/dev/null 2>&1 &); sleep 1; $PG -d shop -c \"set lock_timeout = '500ms'\" -c 'update orders set total = total + 1'"
fi
if [ $HAVE_MY = 1 ]; then
    c h3_my_unknown_db file_not_found mysql "$MY -uroot -proot-pass billing -e 'select 1'"
    c h3_my_refused network mysql "mysql --no-defaults -h 127.0.0.1 -P $PORT_FREE -uroot -proot-pass -e 'select 1'"
    c h3_my_no_default runtime_error mysql "$MY -uroot -proot-pass inventory -e 'insert into items (id) values (9)'"
    c h3_my_db_denied auth_failure mysql "$MY -ureport -preport-pass mysql -e 'select user from user'"
    c h3_my_syntax_were syntax_error mysql "$MY -uroot -proot-pass inventory -e \"update items set sku = 'X-1' were id = 1\""
    c h3_my_dump_lock_denied auth_failure mysql "mysqldump --no-defaults -h 127.0.0.1 -P $PORT_MY -ureport -preport-pass inventory"
fi
if [ $HAVE_REDIS = 1 ]; then
    c h3_redis_wrongpass auth_failure redis "redis-cli -e -p $PORT_REDIS -a wrong-pass --no-auth-warning get session:42"
    c h3_redis_incr_not_int runtime_error redis "$RA set counter:visits abc >/dev/null && $RA incr counter:visits"
    c h3_redis_noscript file_not_found redis "$RA evalsha 2fa2b029f72572e803ff55a09b1282699aecae6a 0"
    c h3_redis_server_busy port_in_use redis "redis-server --port $PORT_BUSY --bind 127.0.0.1 --save '' --appendonly no --dir ."
    c h3_redis_maxmemory out_of_memory redis "$RA config set maxmemory 1 >/dev/null && $RA set cache:page:/home '<html>'"
fi
c h3_sqlite_syntax syntax_error sqlite "sqlite3 app.db 'selec count(*) from users'"
c h3_sqlite_fk runtime_error sqlite "sqlite3 fk.db 'pragma foreign_keys = on; create table customers(id integer primary key); create table orders(id integer, customer_id integer references customers(id)); insert into orders values (1, 99);'"
prep h3_sqlite_full; small_fs size=128k
c h3_sqlite_full disk_full sqlite "sqlite3 mnt/cache.db 'create table blobs(b); insert into blobs values (zeroblob(1000000));'"
c h3_sqlite_import_missing file_not_found sqlite "sqlite3 -csv users.db '.import data/users.csv users'"

# ---------------------------------------------------------------- ssh / sudo / users
c h3_ssh_wrong_key auth_failure ssh "ssh $SSHO -i $WORK/svc/id_wrong root@127.0.0.1 hostname -f"
c h3_ssh_remote_file_missing file_not_found ssh "ssh $SSHO -i $WORK/svc/id_good root@127.0.0.1 cat /etc/app/deploy-token"
: >"$WORK/svc/known_hosts_empty"
c h3_ssh_unknown_host_key auth_failure ssh "ssh -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts_empty -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -i $WORK/svc/id_good -p $PORT_SSH root@127.0.0.1 true"
c h3_ssh_keygen_type usage_error ssh 'ssh-keygen -q -t rsa5 -N "" -f deploy_key'
prep h3_ssh_key_too_open; cp "$WORK/svc/id_good" "$CASE/id_deploy"; chmod 644 "$CASE/id_deploy"
c h3_ssh_key_too_open permission_denied ssh "ssh $SSHO -i id_deploy root@127.0.0.1 true"
c h3_scp_local_missing file_not_found ssh "scp -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o IdentitiesOnly=yes -i $WORK/svc/id_good -P $PORT_SSH dist/site.tar.gz root@127.0.0.1:/tmp/"
AS=nobody c h3_sudo_password_required auth_failure sudo 'sudo -n systemctl reload haproxy'
put h3_sudo_visudo_syntax app.sudoers 'deploy ALL=(ALL) NOPASSWD /usr/bin/systemctl restart app\n'
c h3_sudo_visudo_syntax syntax_error sudo 'visudo -c -f app.sudoers'
c h3_users_useradd_exists runtime_error users 'useradd --no-create-home root'
c h3_users_groupadd_name usage_error users "groupadd 'Build Agents!'"
AS=nobody c h3_users_useradd_denied permission_denied users '/usr/sbin/useradd --system deploy-bot'

# ---------------------------------------------------------------- curl / wget
c h3_curl_max_time_silent network curl "curl -sS -m 1 http://127.0.0.1:$PORT_SILENT/readyz"
c h3_curl_500 runtime_error curl "curl -fsS -X POST http://127.0.0.1:$PORT_EXTRA/status/500/api/orders"
c h3_curl_429 resource_limit curl "curl -fsS http://127.0.0.1:$PORT_EXTRA/status/429/api/search?q=shoes"
c h3_curl_tls_plain network curl "curl -sS https://127.0.0.1:$PORT_TLS_PLAIN/healthz"
c h3_curl_empty_reply network curl "curl -sS http://127.0.0.1:$PORT_EXTRA/close/v2/_catalog"
c h3_curl_dns network curl 'curl -sS http://artifacts.corp.example/releases/latest.json'
c h3_curl_output_dir file_not_found curl "curl -sS -o reports/2026/q4.csv http://127.0.0.1:$PORT_EXTRA/ok/q4.csv"
c h3_curl_upload_missing file_not_found curl "curl -sS -T dist/app.tgz http://127.0.0.1:$PORT_EXTRA/ok/upload/"
c h3_wget_self_signed network curl "wget -q -O /dev/null https://127.0.0.1:$PORT_TLS_SELF/bundle.js"
c h3_wget_read_timeout network curl "wget -T 1 -t 1 -O /dev/null http://127.0.0.1:$PORT_EXTRA/slow/feed.xml"
c h3_wget_502 runtime_error curl "wget -nv -O status.json http://127.0.0.1:$PORT_EXTRA/status/502/status.json"

# ---------------------------------------------------------------- openssl / rsync
c h3_openssl_s_client_refused network openssl "openssl s_client -brief -connect 127.0.0.1:$PORT_FREE </dev/null"
prep h3_openssl_key_passphrase
(cd "$CASE" && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes-256-cbc -pass pass:right-pass -out server.key >/dev/null 2>&1)
c h3_openssl_key_passphrase auth_failure openssl 'openssl pkey -in server.key -passin pass:wrong-pass -noout'
c h3_openssl_x509_missing file_not_found openssl 'openssl x509 -in certs/server.crt -noout -enddate'
prep h3_openssl_bad_option; cp "$WORK/svc/self.crt" "$CASE/site.crt"
c h3_openssl_bad_option usage_error openssl 'openssl x509 -in site.crt -noout -checkend soon'
c h3_openssl_verify_self network openssl "openssl s_client -brief -verify_return_error -connect 127.0.0.1:$PORT_TLS_SELF </dev/null"
c h3_rsync_src_missing file_not_found rsync 'rsync -a build/ www/'
c h3_rsync_bad_option usage_error rsync 'rsync -a --delet src/ dst/'
prep h3_rsync_ssh_refused; mkdir -p "$CASE/site"
c h3_rsync_ssh_refused network rsync "rsync -a -e 'ssh -p $PORT_FREE -o BatchMode=yes' site/ root@127.0.0.1:/srv/www/"
prep h3_rsync_enospc; mkdir -p "$CASE/media"; head -c 700000 /dev/urandom >"$CASE/media/video.bin"; small_fs size=256k
c h3_rsync_enospc disk_full rsync 'rsync -a media/ mnt/media/'
c h3_rsync_daemon_refused network rsync "rsync rsync://127.0.0.1:$PORT_FREE/backups/"

# ---------------------------------------------------------------- archives / gpg
put h3_tar_filelist_missing files.txt 'src/main.c\nsrc/gen.c\n'
mkdir -p "$CASE/src"; echo 'int main(void){return 0;}' >"$CASE/src/main.c"
c h3_tar_filelist_missing file_not_found archive 'tar -cf src.tar -T files.txt'
c h3_zstd_missing file_not_found archive 'zstd -d logs-2026-12.tar.zst'
prep h3_7z_wrong_password; (cd "$CASE" && echo 'token=abc' >vault.txt && 7z a -bso0 -bsp0 -pright-pass -mhe=on vault.7z vault.txt >/dev/null 2>&1 && rm vault.txt)
c h3_7z_wrong_password auth_failure archive '7z x -bso0 -bsp0 -pwrong-pass vault.7z'
prep h3_bzip2_corrupt; (cd "$CASE" && seq 1 20000 | bzip2 >data.bz2 && printf 'XXXXXXXX' | dd of=data.bz2 bs=1 seek=400 conv=notrunc status=none)
c h3_bzip2_corrupt runtime_error archive 'bzip2 -t data.bz2'
c h3_zip_nothing file_not_found archive 'zip -r release.zip dist/'
put h3_lz4_bad_arg notes.txt 'x\n'
c h3_lz4_bad_arg usage_error archive 'lz4 --frobnicate notes.txt'
prep h3_gzip_enospc; head -c 800000 /dev/urandom >"$CASE/core.dump"; small_fs size=256k
c h3_gzip_enospc disk_full archive 'gzip -c core.dump > mnt/core.dump.gz'
prep h3_gpg_no_pubkey; mkdir -p "$CASE/gh"; chmod 700 "$CASE/gh"; echo 'secret' >"$CASE/db.env"
c h3_gpg_no_pubkey file_not_found gpg 'gpg --homedir gh --batch --auto-key-locate local --trust-model always -e -r ops@example.com db.env'

# ---------------------------------------------------------------- systemd / apt / net / misc
c h3_systemd_calendar usage_error systemd 'systemd-analyze calendar "Mon *-*-* 25:00"'
c h3_systemd_timespan usage_error systemd 'systemd-analyze timespan "90 fortnights"'
c h3_apt_dpkg_missing_deb file_not_found apt 'dpkg -i agent_1.2.0_amd64.deb'
c h3_apt_dpkg_status missing_dependency apt 'dpkg -s nginx-extras'
c h3_net_ip_bad_prefix usage_error net 'ip route add 10.20.0.0/33 dev lo'
AS=nobody c h3_net_ip_link_denied permission_denied net 'ip link set lo mtu 1400'
c h3_net_nc_refused network net "nc -zv -w 1 127.0.0.1 $PORT_FREE"
c h3_net_socat_busy port_in_use net "socat TCP-LISTEN:$PORT_BUSY,bind=127.0.0.1 STDOUT"
c h3_cu_iconv_illegal runtime_error coreutils "printf 'caf\\xc3\\xa9 cr\\xc3\\xa8me\\n' > menu.txt && iconv -f utf-8 -t ascii menu.txt"
put h3_patch_hunk_failed conf.ini 'port = 8080\nworkers = 4\n'
printf -- '--- a/conf.ini\n+++ b/conf.ini\n@@ -1,2 +1,2 @@\n port = 9090\n-workers = 2\n+workers = 8\n' >"$CASE/tune.patch"
c h3_patch_hunk_failed runtime_error patch 'patch --batch conf.ini tune.patch'
c h3_patch_file_missing file_not_found patch 'patch -p1 -i fixes/0001-null-check.patch'

# ---------------------------------------------------------------- jq / yq / xml / awk / sed / bc
c h3_jq_trailing_comma syntax_error jq "printf '{\"replicas\": 3,}' | jq .replicas"
c h3_jq_arg_missing usage_error jq 'jq -n --arg env'
c h3_jq_file_missing file_not_found jq 'jq -r .version package.json'
c h3_yq_file_missing file_not_found yq 'yq -r .image.tag values-prod.yaml'
put h3_xml_entity feed.xml '<?xml version="1.0"?>\n<feed><title>News&nbsp;Daily</title></feed>\n'
c h3_xml_entity syntax_error xml 'xmllint --noout feed.xml'
c h3_awk_mawk_syntax syntax_error awk "printf 'a b\n' | mawk '{ print \$2 '"
c h3_awk_gawk_oom out_of_memory awk "ulimit -v 50000; gawk 'BEGIN { while (1) rows[n++] = sprintf(\"%0100d\", n) }'"
c h3_awk_gawk_f_missing file_not_found awk 'gawk -f report.awk access.log'
put h3_sed_unterminated hosts.txt 'db1\n'
c h3_sed_unterminated syntax_error sed "sed 's/db1/db2' hosts.txt"
c h3_sed_inplace_missing file_not_found sed "sed -i 's/DEBUG=1/DEBUG=0/' config/app.env"
c h3_bc_file_missing file_not_found bc 'bc -q rates.bc'

# ---------------------------------------------------------------- lua / tcl / erlang / elixir
c h3_lua_require_cjson missing_dependency lua "lua5.4 -e 'local cjson = require(\"cjson\"); print(cjson.encode({}))'"
c h3_lua_index_nil runtime_error lua "lua5.4 -e 'local settings = nil; print(settings.listen_port)'"
put h3_lua_luac_syntax build.lua 'local function build(t)\n  for _, f in ipairs(t) do\n    print(f)\nend\nbuild({"a"})\n'
c h3_lua_luac_syntax syntax_error lua 'luac -p build.lua'
c h3_tcl_package_missing missing_dependency tcl "echo 'package require tls; puts ok' > fetch.tcl && tclsh fetch.tcl"
put h3_tcl_socket_refused probe.tcl "set s [socket 127.0.0.1 $PORT_FREE]\nputs \$s\n"
c h3_tcl_socket_refused network tcl 'tclsh probe.tcl'
c h3_erl_undef missing_dependency erlang "erl -noshell -eval 'jsx:decode(<<\"{}\">>), halt().'"
put h3_erl_escript_syntax migrate.escript '#!/usr/bin/env escript\nmain(_) ->\n    io:format("migrating~n")\n    ok.\n'
c h3_erl_escript_syntax syntax_error erlang 'escript migrate.escript'
c h3_elixir_mix_typo usage_error elixir 'mix tset --trace'
put h3_elixir_exunit test_cart.exs 'ExUnit.start()\ndefmodule CartTest do\n  use ExUnit.Case\n  test "sums line items" do\n    assert Enum.sum([1, 2, 3]) == 7\n  end\nend\n'
c h3_elixir_exunit test_failure elixir 'elixir test_cart.exs'
c h3_elixir_match_error runtime_error elixir "elixir -e '{:ok, conf} = File.read(\"config/runtime.exs\"); IO.puts(conf)'"
put h3_elixir_undefined_fn lib/billing.ex 'defmodule Billing do\n  def total(items), do: sum_items(items)\nend\n'
c h3_elixir_undefined_fn compile_error elixir 'elixirc -o ebin lib/billing.ex'
c h3_elixir_task_timeout timeout elixir "elixir -e 'Task.async(fn -> Process.sleep(5000) end) |> Task.await(200)'"

# ---------------------------------------------------------------- kubectl / terraform / docker
prep h3_kubectl_401
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:%s/k8s401"}\nusers:\n- name: u\n  user: {token: expired}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n' $PORT_HTTP >"$CASE/kc.yaml"
c h3_kubectl_401 auth_failure kubectl 'kubectl --kubeconfig kc.yaml get deployments -n prod'
c h3_kubectl_request_timeout network kubectl "kubectl --server=http://127.0.0.1:$PORT_SILENT --request-timeout=1s get pods -n web"
prep h3_kubectl_context_missing; cp "$WORK/cases/h3_kubectl_401/kc.yaml" "$CASE/kc.yaml"
c h3_kubectl_context_missing file_not_found kubectl 'kubectl --kubeconfig kc.yaml config use-context prod-eu'
c h3_kubectl_unknown_cmd usage_error kubectl 'kubectl lgos api-0 -f'
put h3_tf_fmt_syntax main.tf 'resource "terraform_data" "web" {\n  input = "x"\n\n'
c h3_tf_fmt_syntax syntax_error terraform 'terraform fmt -no-color main.tf'
put h3_tf_var_flag main.tf 'variable "replicas" {\n  type = number\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c h3_tf_var_flag usage_error terraform 'terraform plan -input=false -no-color -var replicas'
put h3_tf_validation main.tf 'variable "env" {\n  type = string\n  validation {\n    condition     = contains(["dev", "prod"], var.env)\n    error_message = "env must be dev or prod."\n  }\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c h3_tf_validation usage_error terraform 'terraform plan -input=false -var env=qa'
put h3_tf_required_version main.tf 'terraform {\n  required_version = ">= 9.0"\n}\n'
c h3_tf_required_version missing_dependency terraform 'terraform init -input=false -no-color -backend=false'
c h3_docker_daemon_missing network docker "DOCKER_HOST=unix://$WORK/svc/no-docker.sock docker info --format '{{.ServerVersion}}'"
put h3_docker_compose_plugin compose.yaml 'services:\n  web:\n    image: nginx:1.27\n'
c h3_docker_compose_plugin missing_dependency docker 'docker compose -f compose.yaml up -d web'
c h3_docker_bad_reference usage_error docker "docker -H tcp://127.0.0.1:$PORT_FREE pull Registry.example/Team/API:Latest"

# Extra normalisation the shared runner does not do (applied to this batch's files only):
# the same as batch 2 (klog, Rust thread ids, rustc/pip temp names, TAP durations, prove CPU
# line) plus curl's "after N milliseconds", PHP's built-in server clock, socat's PID, Erlang
# PIDs/references, ExUnit seeds, node's GC trace lines, OpenSSL's thread ids in error lines,
# test-unit's rates and Go goroutine ids other than 1; and for three cases only: a Go fatal
# error's other goroutines are dropped, the output-limit case is cut to 1000 whole lines, and
# kubectl's three wordings of the same client timeout are reduced to one.
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
    (r"\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\]", "[Sat Jan  1 00:00:00 2000]"),
    (r"\bsocat\[\d+\]", "socat[4242]"),
    (r"#PID<[\d.]+>", "#PID<0.0.0>"),
    (r"#Reference<[\d.]+>", "#Reference<0.0.0.0>"),
    (r"(?i)\bseed:? \d+", "seed 0"),
    (r"(?m)^\[\d+:0x0000\].*$", "[4242:0x0000] <gc trace>"),
    (r"(?m)^[0-9A-F]{16}:error:", "0000000000000000:error:"),
    (r"[\d.]+ (tests|assertions|runs|pass%)/s", r"0.0 \1/s"),
    (r"\bgoroutine (?!1 \[)\d+ \[", "goroutine 99 ["),
]
def go_other_goroutines(t):
    # a Go fatal error dumps every goroutine, and the state of the runtime's own ones varies
    return re.sub(r"\ngoroutine (?!1 \[)\d+ \[.*\Z", "\n", t, flags=re.S)
def whole_lines(t, n=1000):
    # the output-limit case: the runner stops at a chunk boundary; keep a fixed number of whole lines
    lines = t.split("\n")
    full = max(set(lines), key=lines.count)
    return "\n".join([l for l in lines if l == full][:n]) + "\n"
def one_timeout_wording(t):
    # kubectl's client timeout comes out in three wordings, depending on where it strikes
    return re.sub(r"(?:net/http: request canceled|context deadline exceeded) \(Client\.Timeout exceeded while awaiting headers\)", "context deadline exceeded", t)
PER_CASE = {"h3_go_oom": ("stderr", go_other_goroutines), "h3_lim_output_loop": ("stdout", whole_lines),
            "h3_kubectl_request_timeout": ("stderr", one_timeout_wording)}
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    d = json.load(open(f, encoding="utf-8"))
    for k in ("stdout", "stderr"):
        for pat, rep in SUBS:
            d[k] = re.sub(pat, rep, d[k])
    if d["name"] in PER_CASE:
        k, fn = PER_CASE[d["name"]]
        d[k] = fn(d[k])
    with open(f, "w", encoding="utf-8") as fh:
        json.dump(d, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
PY
echo "held-out batch written to $OUT ($(ls "$OUT"/*.json | wc -l) cases)"
