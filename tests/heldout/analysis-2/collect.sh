#!/usr/bin/env bash
# Held-out batch 2 for the failure analyzer: real failing commands, run on this machine, one
# JSON per case in this directory (same fields as tests/data/failures/v2, see README.md).
# Uses the shared runner (tests/data/failures/runner.sh): loopback-only traffic, stable output.
# Written blind: the analyzer's rules, catalog and tests were not read. The commands are other
# programs and other error situations than batch 1 (tests/heldout/analysis-1), and no command
# string equals one in batch 1 or in the corpus tests/data/failures (checked by script).
#
# Needs (Debian 12 packages unless noted): openjdk-17 + maven, perl, ruby, php-cli php-sqlite3,
# golang-go, node/npm, python3 (+ pytest, rich, wheel from PyPI), cargo (rustup), gcc/g++, valgrind,
# make, cmake, meson, ninja-build, git, postgresql, mariadb-server mariadb-client,
# redis-server redis-tools, openssh-server openssh-client, sudo, lua5.4, tcl, sqlite3,
# gawk, jq, yq (PyPI), libxml2-utils, shellcheck, zip unzip xz-utils gnupg, erlang-nox elixir,
# kubectl, terraform, docker CLI, systemd (systemctl/journalctl, no running systemd needed).
#
# Usage: sudo ./collect.sh     (deletes and rewrites only ./*.json)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE"
export SW_PORT_BASE=${SW_PORT_BASE:-47900}
. "$HERE/../../data/failures/runner.sh"
sw_start_http
HAVE_PG=0; sw_start_pg && HAVE_PG=1
HAVE_MY=0; sw_start_mysql && HAVE_MY=1
HAVE_REDIS=0; sw_start_redis && HAVE_REDIS=1
sw_start_sshd
PG="PGPASSWORD=right-password psql -h 127.0.0.1 -p $PORT_PG -U postgres"
MY="mysql --no-defaults -h 127.0.0.1 -P $PORT_MY"
SSHO="-o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -p $PORT_SSH"
RC="redis-cli -e -p $PORT_REDIS"
# A root-only unix socket standing in for a Docker daemon socket (for the permission case).
/usr/bin/python3 -c "import socket, os, sys, time; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o600); s.listen(4); time.sleep(3600)" "$WORK/svc/docker.sock" &
BG_PIDS+=($!)
jv() { prep "$1"; printf '%s\n' "$3" >"$CASE/$2.java"; (cd "$CASE" && javac "$2.java" 2>/dev/null); }
put() { prep "$1"; mkdir -p "$(dirname "$CASE/$2")"; printf '%b' "$3" >"$CASE/$2"; }
cc_build() { (cd "$CASE" && gcc "$@" 2>/dev/null); }
small_fs() { mkdir -p "$CASE/mnt"; mount -t tmpfs -o "$1" tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt"); }
gitrepo() { prep "$1"; (cd "$CASE" && git init -q -b main && git config user.email dev@example.com && git config user.name dev && echo base >f.txt && git add f.txt && git commit -qm base); }

# ---------------------------------------------------------------- coreutils / timeout(1)
c h2_cu_timeout_kill_signal timeout coreutils 'timeout -s KILL 1 sleep 10'
c h2_cu_timeout_kill_after timeout coreutils 'timeout -k 1 1 python3 -c "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(30)"'
c h2_cu_timeout_preserve timeout coreutils 'timeout --preserve-status 1 sleep 20'
c h2_cu_ln_missing_operand usage_error coreutils 'ln -s'
prep h2_cu_cp_omit_dir; mkdir -p "$CASE/assets/img"
c h2_cu_cp_omit_dir usage_error coreutils 'cp assets public/'
c h2_cu_head_bad_count usage_error coreutils 'head -n ten /etc/passwd'
c h2_cu_date_invalid usage_error coreutils 'date -d "next blursday" +%F'
c h2_cu_sleep_invalid usage_error coreutils 'sleep 5m30'
c h2_cu_tail_missing file_not_found coreutils 'tail -n 50 /var/log/app/worker.log'
AS=nobody c h2_cu_touch_denied permission_denied coreutils 'touch /usr/local/bin/deploy-tool'
prep h2_cu_dd_enospc; small_fs size=128k
c h2_cu_dd_enospc disk_full coreutils 'dd if=/dev/zero of=mnt/blob bs=64k count=8 status=none'
prep h2_cu_inodes_full; small_fs size=1m,nr_inodes=8
c h2_cu_inodes_full disk_full coreutils 'touch mnt/session-{1..20}'
c h2_cu_xargs_missing command_not_found coreutils "printf 'README.md\n' | xargs mdlint"

# ---------------------------------------------------------------- shell
c h2_sh_unbound_var runtime_error shell 'set -u; echo "deploying $RELEASE_TAG"'
c h2_sh_dash_bad_subst syntax_error shell "sh -c 'name=app; echo \${name^^}'"
c h2_sh_not_executable permission_denied shell "printf '#!/bin/sh\necho hi\n' > run.sh && ./run.sh"
c h2_sh_bad_interpreter command_not_found shell "printf '#!/usr/bin/python2\nprint 1\n' > legacy.py && chmod +x legacy.py && ./legacy.py"
c h2_sh_readonly_var runtime_error shell 'readonly STAGE=prod; STAGE=dev; echo $STAGE'
c h2_sh_arith_div0 runtime_error shell 'total=10; n=0; echo $(( total / n ))'
c h2_sh_cd_missing file_not_found shell 'cd deploy/staging && ./apply.sh'
put h2_sh_unterminated_quote deploy.sh 'echo "starting\nrsync -a build/ /srv/www/\n'
c h2_sh_unterminated_quote syntax_error shell 'bash deploy.sh'
c h2_sh_grep_silent unknown shell 'grep -q ENABLE_FEATURE_X /etc/os-release'
put h2_sh_shellcheck_parse ci.sh '#!/bin/bash\nfor f in *.log; do\n  gzip "$f"\n'
c h2_sh_shellcheck_parse syntax_error shell 'shellcheck ci.sh'

# ---------------------------------------------------------------- signals / runner limits
c h2_sig_kill_python killed signal '(sleep 1; kill -KILL $$) & exec python3 -c "import time; time.sleep(30)"'
c h2_sig_bus_outside killed signal '(sleep 1; kill -BUS $$) & exec python3 -c "import time; time.sleep(30)"'
LIMIT=wall_time:2 c h2_lim_wall_tail timeout signal 'tail -f /dev/null'
LIMIT=cpu_time:1 c h2_lim_cpu_perl resource_limit signal "perl -e '1 while 1'"
LIMIT=file_size:4096 c h2_lim_fsize_dd resource_limit signal 'dd if=/dev/zero of=out.bin bs=1k count=100'
LIMIT=output:20000 c h2_lim_output_yes resource_limit signal 'yes "compiling module"'

# ---------------------------------------------------------------- python
c h2_py_pandas_missing missing_dependency python "python3 -c \"import pandas as pd; print(pd.read_csv('sales.csv'))\""
put h2_py_relative_import app/main.py 'from .db import connect\nconnect()\n'
printf 'def connect():\n    pass\n' >"$CASE/app/db.py"; : >"$CASE/app/__init__.py"
c h2_py_relative_import usage_error python 'python3 app/main.py'
c h2_py_m_missing file_not_found python 'python3 -m app.server --port 8000'
put h2_py_argparse_required sync.py 'import argparse\np = argparse.ArgumentParser(prog="sync.py")\np.add_argument("--bucket", required=True)\np.add_argument("--dry-run", action="store_true")\np.parse_args()\n'
c h2_py_argparse_required usage_error python 'python3 sync.py --dry-run'
put h2_py_argparse_choice deploy.py 'import argparse\np = argparse.ArgumentParser(prog="deploy.py")\np.add_argument("--env", choices=["dev", "staging", "prod"])\np.parse_args()\n'
c h2_py_argparse_choice usage_error python 'python3 deploy.py --env qa'
c h2_py_unknown_option usage_error python 'python3 -Q new manage.py'
c h2_py_asyncio_timeout timeout python "python3 -c 'import asyncio; asyncio.run(asyncio.wait_for(asyncio.sleep(5), timeout=0.3))'"
c h2_py_subprocess_timeout timeout python "python3 -c \"import subprocess; subprocess.run(['sleep', '5'], timeout=0.5, check=True)\""
c h2_py_memoryerror out_of_memory python "ulimit -v 500000; python3 -c 'buf = bytearray(4 * 1024 ** 3)'"
c h2_py_emfile resource_limit python "ulimit -n 16; python3 -c 'import socket; socks = [socket.socket() for _ in range(100)]'"
put h2_py_indentation etl.py 'def load(rows):\n    for r in rows:\n        print(r)\n      return len(rows)\n'
c h2_py_indentation syntax_error python 'python3 etl.py'
put h2_py_json_config config.json '{"port": 8080, "workers": 4,}\n'
c h2_py_json_config syntax_error python "python3 -c \"import json; json.load(open('config.json'))\""
put h2_py_pytest_fixture test_orders.py 'def test_total(db_session):\n    assert db_session.query("select 1") == 1\n'
c h2_py_pytest_fixture test_failure python 'python3 -m pytest -q -p no:cacheprovider test_orders.py'
put h2_py_pytest_collect_missing test_clock.py 'from freezegun import freeze_time\n\n@freeze_time("2020-01-01")\ndef test_year():\n    import datetime\n    assert datetime.date.today().year == 2020\n'
c h2_py_pytest_collect_missing missing_dependency python 'python3 -m pytest -q -p no:cacheprovider test_clock.py'
c h2_py_pytest_no_dir file_not_found python 'python3 -m pytest -q -p no:cacheprovider tests/integration'
c h2_py_pytest_bad_arg usage_error python 'python3 -m pytest -p no:cacheprovider --maxfail'
put h2_py_pytest_color test_slug.py 'def slug(s):\n    return s.lower().replace(" ", "_")\n\ndef test_slug():\n    assert slug("Hello World") == "hello-world"\n'
COLOR=1 c h2_py_pytest_color test_failure python 'python3 -m pytest -q -p no:cacheprovider --color=yes test_slug.py'
c h2_py_ssl_verify network python "python3 -c \"import urllib.request; urllib.request.urlopen('https://127.0.0.1:$PORT_TLS_SELF/health')\""
c h2_py_http_401 auth_failure python "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT_HTTP/secure/report.json')\""
c h2_py_venv_missing command_not_found python '.venv/bin/python manage.py migrate'
c h2_py_ctypes_lib missing_dependency python "python3 -c \"import ctypes; ctypes.CDLL('libcudart.so.12')\""
AS=nobody c h2_py_write_denied permission_denied python "python3 -c \"open('/var/log/app-audit.log', 'a').write('start\\n')\""
c h2_py_port_in_use port_in_use python "python3 -m http.server $PORT_BUSY --bind 127.0.0.1"
c h2_py_faulthandler_segv runtime_error python "python3 -X faulthandler -c 'import ctypes; ctypes.string_at(0)'"
c h2_py_os_abort runtime_error python "python3 -c 'import os; os.abort()'"

# ---------------------------------------------------------------- pip
prep h2_pip_no_index; mkdir -p "$CASE/wheels"
c h2_pip_no_index missing_dependency pip 'python3 -m pip install --no-index --find-links ./wheels flask==3.0.0'
c h2_pip_req_file_missing file_not_found pip 'python3 -m pip install -r requirements/test.txt'
put h2_pip_req_invalid requirements.txt 'urllib3>=1.26\nrequests=2.31\n'
c h2_pip_req_invalid syntax_error pip 'python3 -m pip install --no-index -r requirements.txt'
c h2_pip_unknown_option usage_error pip 'python3 -m pip install --upgrade-all'
put h2_pip_ext_header fastcrc/setup.py 'from setuptools import setup, Extension\nsetup(name="fastcrc", version="0.1", ext_modules=[Extension("fastcrc", ["fastcrc.c"])])\n'
printf '#include <Python.h>\n#include <curl/curl.h>\nstatic struct PyModuleDef m = {PyModuleDef_HEAD_INIT, "fastcrc"};\nPyMODINIT_FUNC PyInit_fastcrc(void) { return PyModule_Create(&m); }\n' >"$CASE/fastcrc/fastcrc.c"
c h2_pip_ext_header missing_dependency pip 'python3 -m pip install --no-build-isolation --no-deps ./fastcrc'

# ---------------------------------------------------------------- node
c h2_node_esm_missing missing_dependency node "node --input-type=module -e \"import express from 'express'; express().listen(3000)\""
c h2_node_bad_option usage_error node 'node --experimental-frobnicate server.js'
c h2_node_unhandled_rejection runtime_error node "node -e \"Promise.reject(new Error('payment provider returned 502'))\""
put h2_node_json_config settings.json '{\n  "port": 3000\n  "debug": true\n}\n'
c h2_node_json_config syntax_error node "node -e \"JSON.parse(require('fs').readFileSync('settings.json', 'utf8'))\""
c h2_node_eaddrinuse port_in_use node "node -e \"require('net').createServer().listen($PORT_BUSY, '127.0.0.1')\""
c h2_node_fetch_refused network node "node -e \"fetch('http://127.0.0.1:$PORT_FREE/api/health').catch(e => { console.error(e); process.exit(1) })\""
put h2_node_test_timeout sync.test.js "const test = require('node:test');\ntest('syncs inventory', { timeout: 300 }, async () => { await new Promise(r => setTimeout(r, 2000)); });\n"
c h2_node_test_timeout timeout node 'node --test --test-reporter=spec sync.test.js'
c h2_node_entry_missing file_not_found node 'node dist/index.js'
AS=nobody c h2_node_write_denied permission_denied node "node -e \"require('fs').writeFileSync('/etc/app.pid', String(process.pid))\""
c h2_node_exitcode_silent unknown node "node -e 'process.exitCode = 4'"
put h2_node_test_color cart.test.js "const test = require('node:test');\nconst assert = require('node:assert');\ntest('applies discount', () => { assert.strictEqual(100 * 0.9, 91); });\n"
COLOR=1 c h2_node_test_color test_failure node 'FORCE_COLOR=1 node --test --test-reporter=spec cart.test.js'
c h2_node_emfile resource_limit node "ulimit -n 40; node -e \"const fs = require('fs'); const fds = []; for (let i = 0; i < 200; i++) fds.push(fs.openSync('/dev/null', 'r'))\""

# ---------------------------------------------------------------- npm
put h2_npm_missing_script package.json '{"name":"web","version":"1.0.0","scripts":{"build":"echo build"}}\n'
c h2_npm_missing_script usage_error npm 'npm run lint:fix'
c h2_npm_no_package_json file_not_found npm 'npm run dev'
put h2_npm_nested_test package.json '{"name":"calc","version":"1.0.0","scripts":{"test:unit":"node --test --test-reporter=tap"}}\n'
printf "const test = require('node:test');\nconst assert = require('node:assert');\ntest('adds tax', () => { assert.equal(Math.round(19.99 * 1.2 * 100) / 100, 23.98); });\n" >"$CASE/tax.test.js"
c h2_npm_nested_test test_failure npm 'npm run test:unit'
c h2_npm_view_refused network npm "npm view react version --fetch-retries=0 --registry http://127.0.0.1:$PORT_FREE/"
c h2_npm_view_404 file_not_found npm "npm view @acme/ui-kit version --fetch-retries=0 --registry http://127.0.0.1:$PORT_HTTP/npm/"
put h2_npm_ejsonparse package.json '{\n  "name": "api",\n  "version": "1.0.0",\n  "scripts": { "start": "node ." },\n}\n'
c h2_npm_ejsonparse syntax_error npm 'npm run start'
c h2_npm_unknown_command usage_error npm 'npm frobnicate lodash'
put h2_npm_ls_missing package.json '{"name":"svc","version":"1.0.0","dependencies":{"lodash":"^4.17.21"}}\n'
c h2_npm_ls_missing missing_dependency npm 'npm ls --all'
put h2_npm_nested_tsc package.json '{"name":"lib","version":"1.0.0","scripts":{"compile":"tsc -p tsconfig.json"}}\n'
c h2_npm_nested_tsc command_not_found npm 'npm run compile'
put h2_npm_term_outside package.json '{"name":"srv","version":"1.0.0","scripts":{"serve":"node -e \\"setInterval(() => {}, 1000)\\""}}\n'
c h2_npm_term_outside killed npm '(sleep 2; kill -TERM -- -$$) & exec npm run serve'

# ---------------------------------------------------------------- jvm
prep h2_jvm_noclassdef
printf 'public class App { public static void main(String[] a) { System.out.println(new Helper().name()); } }\nclass Helper { String name() { return "h"; } }\n' >"$CASE/App.java"
(cd "$CASE" && javac App.java && rm Helper.class)
c h2_jvm_noclassdef missing_dependency jvm 'java App'
c h2_jvm_jar_missing file_not_found jvm 'java -jar build/libs/app-all.jar'
jv h2_jvm_stackoverflow Deep 'public class Deep { static int depth(int n) { return depth(n + 1) + 1; } public static void main(String[] a) { depth(0); } }'
c h2_jvm_stackoverflow runtime_error jvm 'java -Xss512k Deep'
jv h2_jvm_heap_oom Grow 'import java.util.*; public class Grow { public static void main(String[] a) { List<byte[]> l = new ArrayList<>(); while (true) l.add(new byte[1 << 20]); } }'
c h2_jvm_heap_oom out_of_memory jvm 'java -Xmx32m Grow'
c h2_jvm_xmx_invalid usage_error jvm 'java -Xmx64q -version'
c h2_jvm_unrecognized_option usage_error jvm 'java --enable-preveiw -cp out com.acme.Main'
put h2_jvm_cannot_find_symbol Report.java 'public class Report {\n  public static void main(String[] a) {\n    System.out.println(formatTotal(3));\n  }\n}\n'
c h2_jvm_cannot_find_symbol compile_error jvm 'javac -d out Report.java'
put h2_jvm_package_missing ParserTest.java 'import org.junit.jupiter.api.Test;\npublic class ParserTest {\n  @Test void parses() {}\n}\n'
c h2_jvm_package_missing missing_dependency jvm 'javac ParserTest.java'
put h2_jvm_invalid_release Job.java 'public class Job {}\n'
c h2_jvm_invalid_release usage_error jvm 'javac -source 99 Job.java'
jv h2_jvm_future_timeout Fut 'import java.util.concurrent.*; public class Fut { public static void main(String[] a) throws Exception { ExecutorService ex = Executors.newSingleThreadExecutor(); Future<?> f = ex.submit(() -> { try { Thread.sleep(5000); } catch (InterruptedException e) {} }); try { f.get(500, TimeUnit.MILLISECONDS); } finally { ex.shutdownNow(); } } }'
c h2_jvm_future_timeout timeout jvm 'java Fut'
jv h2_jvm_bind Listener "import java.net.*; public class Listener { public static void main(String[] a) throws Exception { new ServerSocket($PORT_BUSY, 50, InetAddress.getByName(\"127.0.0.1\")); } }"
c h2_jvm_bind port_in_use jvm 'java -Dapp.env=dev Listener'
jv h2_jvm_unsatisfied_link Infer 'public class Infer { public static void main(String[] a) { System.loadLibrary("tensorflow_jni"); } }'
c h2_jvm_unsatisfied_link missing_dependency jvm 'java Infer'
prep h2_jvm_keytool_password
(cd "$CASE" && keytool -genkeypair -alias app -keyalg RSA -keysize 2048 -keystore ks.p12 -storetype PKCS12 -storepass right-pass -dname CN=app -validity 30 >/dev/null 2>&1)
c h2_jvm_keytool_password auth_failure jvm 'keytool -list -keystore ks.p12 -storepass wrong-pass'
prep h2_jvm_mvn_no_pom
c h2_jvm_mvn_no_pom file_not_found jvm 'mvn -o -B -q package'
put h2_jvm_mvn_bad_pom pom.xml '<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.acme</groupId>\n  <artifactId>billing</artifactId>\n  <version>1.0</version>\n  <dependencies>\n</project>\n'
c h2_jvm_mvn_bad_pom syntax_error jvm 'mvn -o -B validate'
put h2_jvm_mvn_offline_plugin pom.xml '<project><modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>ledger</artifactId><version>1.0</version></project>\n'
mkdir -p "$CASE/src/main/java"; printf 'public class Ledger {}\n' >"$CASE/src/main/java/Ledger.java"
c h2_jvm_mvn_offline_plugin missing_dependency jvm 'mvn -o -B -ntp compile -DskipTests'
c h2_jvm_mvn_bad_option usage_error jvm 'mvn -B --frobnicate clean'

# ---------------------------------------------------------------- perl
put h2_perl_missing_module export.pl 'use strict;\nuse JSON::XS;\nprint encode_json({ok => 1}), "\\n";\n'
c h2_perl_missing_module missing_dependency perl 'perl export.pl'
put h2_perl_syntax report.pl 'my %totals = (a => 1)\nprint join(",", keys %totals), "\\n";\n'
c h2_perl_syntax syntax_error perl 'perl -w report.pl'
c h2_perl_unknown_switch usage_error perl 'perl -Q report.pl'
c h2_perl_getopt_unknown usage_error perl "perl -MGetopt::Long -e 'GetOptions(\"verbose\" => \\my \$v) or die \"usage: sync.pl [--verbose]\\n\"' -- --dry-run"
c h2_perl_alarm timeout perl "perl -e 'alarm 1; 1 while 1'"
put h2_perl_prove_is t/price.t 'use Test::More tests => 2;\nis(sprintf("%.2f", 2.675), "2.68", "rounds half up");\nok(1, "loads");\n'
c h2_perl_prove_is test_failure perl 'prove -l t/'
c h2_perl_socket_refused network perl "perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => \"127.0.0.1:$PORT_FREE\", Timeout => 2) or die \"cannot connect to metrics relay: \$@\\n\"'"
c h2_perl_oom out_of_memory perl "ulimit -v 200000; perl -e '\$x = \"x\" x (1 << 31)'"
c h2_perl_die_config runtime_error perl "perl -e 'my %c = (host => \"db\"); defined \$c{port} or die \"config key db.port missing\\n\"'"
c h2_perl_usr1_outside killed perl "(sleep 1; kill -USR1 \$\$) & exec perl -e 'sleep 30'"

# ---------------------------------------------------------------- ruby
c h2_ruby_load_error missing_dependency ruby "ruby -e 'require \"pg\"; PG.connect(dbname: \"app\")'"
c h2_ruby_bundle_missing command_not_found ruby 'bundle exec rake test'
c h2_ruby_nomethod_nil runtime_error ruby "ruby -e 'orders = nil; orders.each { |o| puts o }'"
c h2_ruby_syntax syntax_error ruby "ruby -e 'puts [1, 2'"
c h2_ruby_invalid_option usage_error ruby 'ruby --jit-bogus -e 1'
c h2_ruby_optparse_missing_arg usage_error ruby "ruby -roptparse -e 'OptionParser.new { |o| o.on(\"--env ENV\") }.parse!(ARGV)' -- --env"
AS=nobody c h2_ruby_eacces permission_denied ruby "ruby -e 'File.write(\"/etc/app-release\", \"1.2.3\")'"
c h2_ruby_term_outside killed ruby "(sleep 1; kill -TERM \$\$) & exec ruby -e 'sleep 30'"
put h2_ruby_minitest test_cart.rb 'require "minitest/autorun"\nclass CartTest < Minitest::Test\n  def test_total\n    assert_equal 30, 10 + 15\n  end\nend\n'
c h2_ruby_minitest test_failure ruby 'ruby test_cart.rb'
c h2_ruby_stack runtime_error ruby "ruby -e 'def walk(n) = walk(n + 1); walk(0)'"
put h2_ruby_yaml config.yml 'database:\n  host: db\n   port: 5432\n'
c h2_ruby_yaml syntax_error ruby "ruby -ryaml -e 'YAML.load_file(\"config.yml\")'"
c h2_ruby_port_busy port_in_use ruby "ruby -rsocket -e 'TCPServer.new(\"127.0.0.1\", $PORT_BUSY)'"
c h2_ruby_cpu_ulimit resource_limit ruby "ulimit -t 1; ruby -e 'loop { }'"

# ---------------------------------------------------------------- php
c h2_php_mbstring_missing missing_dependency php "php -r 'echo mb_strlen(\"héllo\"), PHP_EOL;'"
c h2_php_class_missing missing_dependency php "php -r '\$c = new GuzzleHttp\\Client(); \$c->get(\"/\");'"
put h2_php_vendor_missing public/index.php '<?php\nrequire __DIR__ . "/../vendor/autoload.php";\necho "ok\\n";\n'
c h2_php_vendor_missing missing_dependency php 'php public/index.php'
put h2_php_parse_run cron.php '<?php\nfunction run($jobs) {\n  foreach ($jobs as $j) {\n    echo $j\n  }\n}\n'
c h2_php_parse_run syntax_error php 'php cron.php'
c h2_php_memory_limit out_of_memory php "php -d memory_limit=16M -r '\$a = str_repeat(\"x\", 64 * 1024 * 1024);'"
c h2_php_time_limit timeout php "php -r 'set_time_limit(1); while (true) {}'"
c h2_php_type_error runtime_error php "php -r 'declare(strict_types=1); function cents(int \$v): int { return \$v * 100; } echo cents(\"12\");'"
c h2_php_pdo_no_table file_not_found php "php -r '\$db = new PDO(\"sqlite:app.db\"); \$db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION); \$db->query(\"select * from users\");'"
c h2_php_unknown_option usage_error php 'php --frobnicate index.php'
c h2_php_composer_missing command_not_found php 'composer install --no-dev'
c h2_php_stream_refused network php "php -r 'if (file_get_contents(\"http://127.0.0.1:$PORT_FREE/status\") === false) exit(1);'"

# ---------------------------------------------------------------- go
gomod h2_go_missing_module 'package main

import "github.com/google/uuid"

func main() { println(uuid.NewString()) }'
c h2_go_missing_module missing_dependency go 'go build -o idgen .'
gomod h2_go_undefined 'package main

import "fmt"

func main() { fmt.Println(loadConfig("app.toml")) }'
c h2_go_undefined compile_error go 'go build -o bin/ ./...'
gomod h2_go_test_timeout 'package main

func main() {}'
printf 'package main\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestSlowSync(t *testing.T) { time.Sleep(5 * time.Second) }\n' >"$CASE/sync_test.go"
c h2_go_test_timeout timeout go 'go test -count=1 -timeout 1s .'
gomod h2_go_test_fail 'package main

func clamp(v, lo, hi int) int { if v < lo { return lo }; return v }

func main() {}'
printf 'package main\n\nimport "testing"\n\nfunc TestClamp(t *testing.T) {\n\tif got := clamp(15, 0, 10); got != 10 {\n\t\tt.Errorf("clamp(15, 0, 10) = %%d, want 10", got)\n\t}\n}\n' >"$CASE/clamp_test.go"
c h2_go_test_fail test_failure go 'go test -count=1 -v ./...'
gomod h2_go_nil_map 'package main

func main() {
	var seen map[string]bool
	seen["a"] = true
}'
c h2_go_nil_map runtime_error go 'go run -trimpath main.go'
gomod h2_go_deadlock 'package main

func main() {
	ch := make(chan int)
	ch <- 1
}'
c h2_go_deadlock runtime_error go 'go run -trimpath . --workers 2'
gomod h2_go_flag_usage 'package main

import (
	"flag"
	"fmt"
)

func main() {
	port := flag.Int("port", 8080, "listen port")
	flag.Parse()
	fmt.Println(*port)
}'
(cd "$CASE" && go build -o svc . 2>/dev/null)
c h2_go_flag_usage usage_error go './svc -prot 9090'
gomod h2_go_mod_tidy_args 'package main

func main() {}'
c h2_go_mod_tidy_args usage_error go 'go mod tidy ./...'
gomod h2_go_build_missing_dir 'package main

func main() {}'
c h2_go_build_missing_dir file_not_found go 'go build -o server ./cmd/server'
gomod h2_go_cgo_lib 'package main

// #cgo LDFLAGS: -lsnappy
// int answer(void) { return 42; }
import "C"

func main() { println(C.answer()) }'
c h2_go_cgo_lib missing_dependency go 'go build -o app .'
gomod h2_go_http_refused "package main

import (
	\"log\"
	\"net/http\"
)

func main() {
	if _, err := http.Get(\"http://127.0.0.1:$PORT_FREE/v1/config\"); err != nil {
		log.Fatalf(\"fetch config: %v\", err)
	}
}"
c h2_go_http_refused network go 'go run .'
gomod h2_go_generate_missing 'package main

//go:generate stringer -type=Color

type Color int

func main() {}'
c h2_go_generate_missing command_not_found go 'go generate ./...'
gomod h2_go_kill_outside 'package main

import "time"

func main() { time.Sleep(30 * time.Second) }'
(cd "$CASE" && go build -o worker . 2>/dev/null)
c h2_go_kill_outside killed go '(sleep 1; kill -KILL $$) & exec ./worker'

# ---------------------------------------------------------------- rust
crate h2_rs_diesel_offline 'fn main() {}'
printf 'diesel = { version = "2", features = ["postgres"] }\n' >>"$CASE/Cargo.toml"
c h2_rs_diesel_offline missing_dependency rust 'cargo generate-lockfile --offline'
crate h2_rs_undeclared_crate 'use rand::Rng;
fn main() { let n: u8 = rand::thread_rng().gen(); println!("{}", n); }'
c h2_rs_undeclared_crate missing_dependency rust 'cargo build --offline -q --all-targets'
crate h2_rs_mismatched_types 'fn port() -> u16 { "8080" }
fn main() { println!("{}", port()); }'
c h2_rs_mismatched_types compile_error rust 'cargo check --offline --bin demo'
crate h2_rs_borrow 'fn main() { let mut v = vec![1, 2]; let first = &v[0]; v.push(3); println!("{}", first); }'
c h2_rs_borrow compile_error rust 'cargo build --offline --message-format short --bins'
prep h2_rs_manifest_parse; mkdir -p "$CASE/src"; printf 'fn main() {}\n' >"$CASE/src/main.rs"
printf '[package]\nname = "demo"\nversion = 0.1.0\nedition = "2021"\n' >"$CASE/Cargo.toml"
c h2_rs_manifest_parse syntax_error rust 'cargo check --offline --all-targets'
c h2_rs_no_manifest file_not_found rust 'cargo run --offline'
crate h2_rs_unknown_subcommand 'fn main() {}'
c h2_rs_unknown_subcommand usage_error rust 'cargo biuld --release'
crate h2_rs_unknown_flag 'fn main() {}'
c h2_rs_unknown_flag usage_error rust 'cargo test --offline --releas'
crate h2_rs_test_color 'fn area(w: u32, h: u32) -> u32 { w + h }
fn main() { println!("{}", area(2, 3)); }
#[cfg(test)]
mod tests {
    #[test]
    fn area_multiplies() { assert_eq!(super::area(2, 3), 6); }
}'
COLOR=1 c h2_rs_test_color test_failure rust 'cargo test --offline --color always -- --color always'
crate h2_rs_overflow_panic 'fn main() { let items: Vec<u8> = vec![200, 100]; let mut total: u8 = 0; for i in &items { total += *i; } println!("{}", total); }'
c h2_rs_overflow_panic runtime_error rust 'cargo run --offline -q -- totals.csv'
crate h2_rs_stack_overflow 'fn depth(n: u64) -> u64 { let pad = [n; 512]; if n == 0 { return pad[0]; } depth(n - 1) + pad[(n % 512) as usize] }
fn main() { println!("{}", depth(10_000_000)); }'
c h2_rs_stack_overflow runtime_error rust 'cargo run --offline --quiet'
crate h2_rs_link_lib '#[link(name = "onnxruntime")]
extern "C" { fn OrtGetApiBase() -> *const u8; }
fn main() { unsafe { OrtGetApiBase(); } }'
c h2_rs_link_lib missing_dependency rust 'cargo build --offline -q --release'
crate h2_rs_build_script 'fn main() {}'
printf 'fn main() {\n    let out = std::process::Command::new("pkg-config").args(["--libs", "libsodium"]).output().expect("run pkg-config");\n    if !out.status.success() {\n        panic!("libsodium not found via pkg-config: {}", String::from_utf8_lossy(&out.stderr));\n    }\n}\n' >"$CASE/build.rs"
c h2_rs_build_script missing_dependency rust 'cargo build --offline --jobs 1'
crate h2_rs_alloc_fail 'fn main() { let v: Vec<u8> = Vec::with_capacity(1 << 31); println!("{}", v.capacity()); }'
(cd "$CASE" && cargo build --offline -q 2>/dev/null)
c h2_rs_alloc_fail out_of_memory rust 'ulimit -v 250000; ./target/debug/demo --load-index'

# ---------------------------------------------------------------- c / c++
put h2_c_missing_header fetch.c '#include <stdio.h>\n#include <curl/curl.h>\nint main(void) { CURL *c = curl_easy_init(); return c == NULL; }\n'
c h2_c_missing_header missing_dependency c 'gcc -O2 -o fetch fetch.c'
put h2_c_link_lib_missing cfg.c 'void *cJSON_Parse(const char *s);\nint main(void) { return cJSON_Parse("{}") == 0; }\n'
c h2_c_link_lib_missing missing_dependency c 'gcc -o cfg cfg.c -lcjson'
put h2_c_shared_lib_runtime metrics.c 'int metric(void) { return 7; }\n'
printf 'int metric(void);\nint main(void) { return metric() == 7 ? 0 : 1; }\n' >"$CASE/report.c"
cc_build -shared -fPIC -o libmetrics.so metrics.c; cc_build -o report report.c -L. -lmetrics; rm -f "$CASE/libmetrics.so"
c h2_c_shared_lib_runtime missing_dependency c './report'
put h2_c_undefined_reference main.c 'unsigned compute_crc(const char *s);\nint main(void) { return (int) compute_crc("abc"); }\n'
c h2_c_undefined_reference compile_error c 'gcc -o crc main.c'
put h2_c_color_error parse.c 'int parse(const char *s) {\n  int n = 0\n  return n;\n}\n'
COLOR=1 c h2_c_color_error compile_error c 'gcc -fdiagnostics-color=always -c parse.c'
put h2_c_unknown_option x.c 'int main(void) { return 0; }\n'
c h2_c_unknown_option usage_error c 'gcc -Wal -c x.c'
c h2_c_no_input usage_error c 'gcc -O2 -o app'
c h2_c_missing_source file_not_found c 'gcc -c src/server.c -o server.o'
put h2_c_segv_bash null.c '#include <stddef.h>\nint main(void) { volatile int *p = NULL; return *p; }\n'
cc_build -O0 -o null null.c
c h2_c_segv_bash runtime_error c './null && echo finished'
put h2_c_sigbus bus.c '#include <sys/mman.h>\n#include <fcntl.h>\nint main(void) { int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644); volatile char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0); return p[0]; }\n'
cc_build -O0 -o bus bus.c
c h2_c_sigbus runtime_error c './bus'
put h2_c_sigfpe avg.c 'int main(int argc, char **argv) { volatile int sum = 10; return sum / (argc - 1); }\n'
cc_build -O0 -o avg avg.c
c h2_c_sigfpe runtime_error c './avg'
put h2_c_sigill trap.c 'int main(void) { __builtin_trap(); }\n'
cc_build -O0 -o trap trap.c
c h2_c_sigill runtime_error c './trap'
put h2_c_assert conv.c '#include <assert.h>\nint main(int argc, char **argv) { assert(argc > 1 && "need an input file"); return 0; }\n'
cc_build -O0 -o conv conv.c
c h2_c_assert runtime_error c './conv'
put h2_c_asan_uaf uaf.c '#include <stdlib.h>\n#include <string.h>\nint main(void) { char *s = malloc(8); strcpy(s, "abc"); free(s); return s[1]; }\n'
cc_build -fsanitize=address -g -O0 -o uaf uaf.c
c h2_c_asan_uaf runtime_error c './uaf'
put h2_c_ubsan ovf.c '#include <limits.h>\n#include <stdio.h>\nint main(int argc, char **argv) { int x = INT_MAX - 1 + argc; x += argc; printf("%d\\n", x); return 0; }\n'
cc_build -fsanitize=undefined -fno-sanitize-recover=all -g -O0 -o ovf ovf.c
c h2_c_ubsan runtime_error c './ovf'
put h2_c_valgrind oob.c '#include <stdlib.h>\nint main(void) { int *a = malloc(4 * sizeof(int)); int s = 0; for (int i = 0; i <= 4; i++) s += a[i]; free(a); return s & 0; }\n'
cc_build -g -O0 -o oob oob.c
c h2_c_valgrind runtime_error c 'valgrind -q --error-exitcode=3 ./oob'
put h2_cpp_uncaught loader.cpp '#include <stdexcept>\nint main() { throw std::runtime_error("config file /etc/loader.conf is empty"); }\n'
(cd "$CASE" && g++ -o loader loader.cpp 2>/dev/null)
c h2_cpp_uncaught runtime_error c './loader'
put h2_cpp_bad_alloc buf.cpp '#include <cstdio>\nint main() { char *b = new char[1UL << 30]; b[0] = 1; std::printf("%d\\n", b[0]); }\n'
(cd "$CASE" && g++ -O0 -o buf buf.cpp 2>/dev/null)
c h2_cpp_bad_alloc out_of_memory c 'ulimit -v 200000; ./buf'

# ---------------------------------------------------------------- make / cmake / meson / ninja
put h2_make_no_rule Makefile 'build:\n\t@echo building\n'
c h2_make_no_rule usage_error make 'make deploy-staging'
put h2_make_missing_separator Makefile 'bundle-assets:\n    echo "spaces, not a tab"\n'
c h2_make_missing_separator syntax_error make 'make bundle-assets'
put h2_make_nested_gcc Makefile 'app: app.c\n\tgcc -Wall -o app app.c\n'
printf 'int main(void) {\n  return undeclared_counter;\n}\n' >"$CASE/app.c"
c h2_make_nested_gcc compile_error make 'make -k app'
put h2_make_nested_pytest Makefile 'test-unit:\n\tpython3 -m pytest -q -p no:cacheprovider tests\n'
mkdir -p "$CASE/tests"; printf 'def test_split():\n    assert "a,b".split(",") == ["a", "b", ""]\n' >"$CASE/tests/test_split.py"
c h2_make_nested_pytest test_failure make 'make test-unit'
put h2_make_protoc_missing Makefile 'gen:\n\tprotoc --go_out=. api.proto\n'
c h2_make_protoc_missing command_not_found make 'make gen'
put h2_make_bad_jobs Makefile 'all:\n\t@true\n'
c h2_make_bad_jobs usage_error make 'make --jobs=foo all'
put h2_cmake_find_package CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(indexer CXX)\nfind_package(Boost 1.80 REQUIRED COMPONENTS filesystem)\n'
c h2_cmake_find_package missing_dependency cmake 'cmake -S . -B build-indexer'
c h2_cmake_source_missing file_not_found cmake 'cmake -S firmware -B out'
put h2_cmake_bad_generator CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(x NONE)\n'
c h2_cmake_bad_generator usage_error cmake 'cmake -G "Unix Makefile" -S . -B out'
put h2_cmake_cxx_missing CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(engine CXX)\n'
c h2_cmake_cxx_missing missing_dependency cmake 'cmake -S . -B out -DCMAKE_CXX_COMPILER=clang++'
put h2_cmake_build_color CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(tool C)\nadd_executable(tool main.c)\n'
printf 'int main(void) {\n  return missing_symbol + 1;\n}\n' >"$CASE/main.c"
(cd "$CASE" && cmake -S . -B out >/dev/null 2>&1)
COLOR=1 c h2_cmake_build_color compile_error cmake 'CLICOLOR_FORCE=1 cmake --build out'
put h2_cmake_fatal_message CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(fw NONE)\nif(NOT DEFINED TARGET_BOARD)\n  message(FATAL_ERROR "TARGET_BOARD is not set; configure with -DTARGET_BOARD=<board>")\nendif()\n'
c h2_cmake_fatal_message usage_error cmake 'cmake -S . -B build-fw -DCMAKE_BUILD_TYPE=Release'
put h2_ctest_fail CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(x NONE)\nenable_testing()\nadd_test(NAME unit_parse COMMAND sh -c "echo parse: expected 3 fields, got 2; exit 1")\nadd_test(NAME unit_ok COMMAND true)\n'
(cd "$CASE" && cmake -S . -B out >/dev/null 2>&1)
c h2_ctest_fail test_failure cmake 'ctest --test-dir out --output-on-failure'
put h2_cmake_parse_error CMakeLists.txt 'cmake_minimum_required(VERSION 3.16)\nproject(x C)\nadd_executable(app main.c\n'
c h2_cmake_parse_error syntax_error cmake 'cmake -S . -B out-app'
put h2_meson_dependency meson.build "project('viewer', 'c')\ngtk = dependency('gtk4')\n"
c h2_meson_dependency missing_dependency meson 'meson setup builddir'
prep h2_ninja_no_build_file
c h2_ninja_no_build_file file_not_found ninja 'ninja'
put h2_ninja_unknown_target out/build.ninja 'rule touch\n  command = touch $out\nbuild app.bin: touch\n'
c h2_ninja_unknown_target usage_error ninja 'ninja -C out flash'

# ---------------------------------------------------------------- git
prep h2_git_not_repo
c h2_git_not_repo usage_error git 'git status --short'
gitrepo h2_git_add_pathspec
c h2_git_add_pathspec file_not_found git 'git add src/missing.c'
gitrepo h2_git_checkout_missing
c h2_git_checkout_missing file_not_found git 'git checkout release/2.0'
gitrepo h2_git_push_rejected
(cd "$CASE" && git init -q --bare -b main up.git && git remote add origin ./up.git && git push -q origin main 2>/dev/null &&
 git clone -q up.git other && cd other && git -c user.email=b@example.com -c user.name=b commit -q --allow-empty -m remote-change && git push -q origin main 2>/dev/null &&
 cd .. && echo local >g.txt && git add g.txt && git commit -qm local-change)
c h2_git_push_rejected runtime_error git 'git push -u origin main'
gitrepo h2_git_pull_ff_only
(cd "$CASE" && git init -q --bare -b main up.git && git remote add origin ./up.git && git push -q origin main 2>/dev/null &&
 git clone -q up.git other && cd other && git -c user.email=b@example.com -c user.name=b commit -q --allow-empty -m upstream && git push -q origin main 2>/dev/null &&
 cd .. && echo mine >m.txt && git add m.txt && git commit -qm mine && git fetch -q origin && git branch -q --set-upstream-to=origin/main)
c h2_git_pull_ff_only runtime_error git 'git pull --ff-only'
c h2_git_clone_missing file_not_found git 'git clone /srv/git/billing.git'
c h2_git_ssh_auth auth_failure git "GIT_SSH_COMMAND='ssh -i $WORK/svc/id_wrong $SSHO' git clone root@127.0.0.1:/srv/git/app.git"
gitrepo h2_git_unknown_option
c h2_git_unknown_option usage_error git 'git log --onelin'
gitrepo h2_git_unknown_command
c h2_git_unknown_command usage_error git 'git comit -m "fix typo"'
gitrepo h2_git_hook_pytest
printf '#!/bin/sh\nexec python3 -m pytest -q -p no:cacheprovider\n' >"$CASE/.git/hooks/pre-commit"; chmod +x "$CASE/.git/hooks/pre-commit"
printf 'def test_round():\n    assert round(0.125, 2) == 0.13\n' >"$CASE/test_money.py"
c h2_git_hook_pytest test_failure git 'git add test_money.py && git commit -m "add rounding test"'
c h2_git_http_404 file_not_found git "git clone http://127.0.0.1:$PORT_HTTP/mirrors/tools.git"
gitrepo h2_git_index_lock
(cd "$CASE" && echo changed >f.txt && touch .git/index.lock)
c h2_git_index_lock runtime_error git 'git add f.txt'
gitrepo h2_git_apply_fail
printf -- '--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-release 1.0\n+release 1.1\n' >"$CASE/bump.patch"
c h2_git_apply_fail runtime_error git 'git apply bump.patch'

# ---------------------------------------------------------------- docker / kubectl / terraform
c h2_docker_tcp_refused network docker "docker -H tcp://127.0.0.1:$PORT_FREE ps"
c h2_docker_unknown_flag usage_error docker 'docker run --rmm -it alpine:3.19 sh'
AS=nobody c h2_docker_socket_denied permission_denied docker "DOCKER_HOST=unix://$WORK/svc/docker.sock docker ps"
c h2_docker_context_missing file_not_found docker 'docker --context staging ps'
c h2_docker_run_no_image usage_error docker 'docker run'
c h2_kubectl_refused network kubectl "kubectl --server=https://127.0.0.1:$PORT_FREE --token=t get nodes"
prep h2_kubectl_403
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:%s/k8s403"}\nusers:\n- name: u\n  user: {token: limited}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n' $PORT_HTTP >"$CASE/kc.yaml"
c h2_kubectl_403 auth_failure kubectl 'kubectl --kubeconfig kc.yaml get namespaces'
c h2_kubectl_unknown_flag usage_error kubectl 'kubectl get pods --namspace prod'
c h2_kubectl_apply_missing file_not_found kubectl 'kubectl apply -f k8s/deploy.yaml'
put h2_kubectl_kustomize_yaml overlays/prod/kustomization.yaml 'resources:\n  - deploy.yaml\n - svc.yaml\n'
c h2_kubectl_kustomize_yaml syntax_error kubectl 'kubectl kustomize overlays/prod'
c h2_kubectl_tls network kubectl "kubectl --server=https://127.0.0.1:$PORT_TLS_SELF --token=t get pods"
put h2_tf_provider_missing main.tf 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\nprovider "aws" {}\n'
c h2_tf_provider_missing missing_dependency terraform 'terraform validate -no-color -no-tests'
put h2_tf_var_missing main.tf 'variable "region" {\n  type = string\n}\noutput "r" {\n  value = var.region\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c h2_tf_var_missing usage_error terraform 'terraform plan -input=false -no-color -lock=false'
c h2_tf_unknown_command usage_error terraform 'terraform aply -auto-approve'
put h2_tf_undeclared_ref main.tf 'output "id" {\n  value = terraform_data.cluster.id\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
COLOR=1 c h2_tf_undeclared_ref compile_error terraform 'terraform validate -no-tests'
c h2_tf_chdir_missing file_not_found terraform 'terraform -chdir=infra/prod plan -no-color'
put h2_tf_file_missing main.tf 'output "ca" {\n  value = file("certs/ca.pem")\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c h2_tf_file_missing file_not_found terraform 'terraform plan -input=false -no-color -out=ca.tfplan'

# ---------------------------------------------------------------- databases
if [ $HAVE_PG = 1 ]; then
    c h2_pg_statement_timeout timeout postgres "$PG -d shop -c \"set statement_timeout = '500ms'\" -c 'select pg_sleep(5)'"
    LIMIT=wall_time:2 c h2_pg_wall_limit timeout postgres "$PG -d shop -c 'select pg_sleep(60)'"
    c h2_pg_timeout1 timeout postgres "PGPASSWORD=right-password timeout 1 psql -h 127.0.0.1 -p $PORT_PG -U postgres -d shop -c 'select pg_sleep(10)'"
    c h2_pg_wrong_password auth_failure postgres "PGPASSWORD=hunter2 psql -h 127.0.0.1 -p $PORT_PG -U postgres -d shop -c 'select 1'"
    c h2_pg_db_missing file_not_found postgres "$PG -d analytics -c 'select 1'"
    c h2_pg_relation_missing file_not_found postgres "$PG -d shop -c 'select * from customers'"
    c h2_pg_syntax syntax_error postgres "$PG -d shop -c 'selct id from orders'"
    c h2_pg_unique runtime_error postgres "$PG -d shop -c 'insert into orders values (1, 12.0)'"
    c h2_pg_table_privilege auth_failure postgres "PGPASSWORD=ro-pass psql -h 127.0.0.1 -p $PORT_PG -U readonly -d shop -c 'select * from orders'"
    c h2_pg_file_missing file_not_found postgres "$PG -d shop -f migrations/004_add_index.sql"
    put h2_pg_on_error_stop fix.sql 'update orders set total = total / 0;\n'
    c h2_pg_on_error_stop runtime_error postgres "$PG -d shop -v ON_ERROR_STOP=1 -f fix.sql"
    c h2_pg_unknown_option usage_error postgres 'psql --frobnicate -d shop'
    c h2_pg_extension missing_dependency postgres "$PG -d shop -c 'create extension postgis'"
fi
if [ $HAVE_MY = 1 ]; then
    c h2_my_syntax syntax_error mysql "$MY -uroot -proot-pass inventory -e 'select * form items'"
    c h2_my_table_missing file_not_found mysql "$MY -uroot -proot-pass inventory -e 'select * from orders'"
    c h2_my_duplicate runtime_error mysql "$MY -uroot -proot-pass inventory -e \"insert into items values (2, 'A-1')\""
    c h2_my_wrong_password auth_failure mysql "$MY -uroot -pnot-the-password -e 'select 1'"
    c h2_my_insert_denied auth_failure mysql "$MY -ureport -preport-pass inventory -e \"insert into items values (5, 'B-5')\""
    c h2_my_statement_time timeout mysql "$MY -uroot -proot-pass inventory -e \"SET STATEMENT max_statement_time=1 FOR SELECT SUM(seq % 7) FROM seq_1_to_100000000000\""
    c h2_my_unknown_option usage_error mysql 'mysql --no-defaults --frobnicate'
    c h2_my_socket_missing network mysql 'mysql --no-defaults -S /run/mysqld/app.sock -uroot -e "select 1"'
    c h2_my_lock_wait timeout mysql "($MY -uroot -proot-pass inventory -e 'begin; select * from items where id = 1 for update; select sleep(3);' >/dev/null 2>&1 &); sleep 1; $MY -uroot -proot-pass inventory -e \"set innodb_lock_wait_timeout = 1; update items set sku = 'A-2' where id = 1\""
fi
prep h2_sqlite_readonly_nobody; sqlite3 "$CASE/metrics.db" 'create table samples(v)'; chmod 644 "$CASE/metrics.db"
AS=nobody c h2_sqlite_readonly_nobody permission_denied sqlite "sqlite3 metrics.db 'insert into samples values (42)'"
prep h2_sqlite_locked; sqlite3 "$CASE/q.db" 'create table jobs(id integer)'
c h2_sqlite_locked runtime_error sqlite "(python3 -c \"import sqlite3, time; c = sqlite3.connect('q.db', isolation_level=None); c.execute('begin exclusive'); time.sleep(3)\" &) ; sleep 1; sqlite3 -cmd '.timeout 200' q.db 'insert into jobs values (1)'"
c h2_sqlite_unique runtime_error sqlite "sqlite3 u.db 'create table users(email text unique); insert into users values (\"a@example.com\"); insert into users values (\"a@example.com\");'"
c h2_sqlite_no_table file_not_found sqlite "sqlite3 s.db 'delete from sessions where expires < 0'"
c h2_sqlite_bad_option usage_error sqlite 'sqlite3 -frobnicate app.db'
c h2_sqlite_cannot_open file_not_found sqlite "sqlite3 data/2024/app.db 'create table t(x)'"
if [ $HAVE_REDIS = 1 ]; then
    c h2_redis_noauth auth_failure redis "$RC ping"
    c h2_redis_wrongtype runtime_error redis "$RC -a s3cret-redis --no-auth-warning set queue:jobs x >/dev/null && $RC -a s3cret-redis --no-auth-warning lpush queue:jobs 1"
    c h2_redis_unknown_command usage_error redis "$RC -a s3cret-redis --no-auth-warning flusheverything"
    c h2_redis_wrong_args usage_error redis "$RC -a s3cret-redis --no-auth-warning set onlykey"
    c h2_redis_script_syntax syntax_error redis "$RC -a s3cret-redis --no-auth-warning eval 'return redis.call(\"get\", KEYS[1]' 1 k"
fi
c h2_redis_refused network redis "redis-cli -e -p $PORT_FREE get session:1"

# ---------------------------------------------------------------- ssh / sudo / su
c h2_ssh_host_key_changed auth_failure ssh "ssh -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts_bad -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -i $WORK/svc/id_good -p $PORT_SSH root@127.0.0.1 true"
c h2_ssh_refused network ssh "ssh -o BatchMode=yes -o ConnectTimeout=2 -p $PORT_FREE deploy@127.0.0.1 uptime"
c h2_ssh_remote_cmd_missing command_not_found ssh "ssh $SSHO -i $WORK/svc/id_good root@127.0.0.1 pm2 restart api"
c h2_ssh_bad_option usage_error ssh 'ssh -o StrictHostKeyCheck=no root@127.0.0.1 true'
c h2_ssh_banner_timeout network ssh "ssh -o BatchMode=yes -o ConnectTimeout=1 -p $PORT_SILENT root@127.0.0.1 true"
c h2_scp_remote_missing file_not_found ssh "scp -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o IdentitiesOnly=yes -i $WORK/svc/id_good -P $PORT_SSH root@127.0.0.1:/var/backups/db-latest.tar.gz ."
c h2_sudo_unknown_option usage_error sudo 'sudo --frobnicate true'
c h2_sudo_command_missing command_not_found sudo 'sudo -n deploy-app --restart'
c h2_sudo_unknown_user usage_error sudo 'sudo -n -u svc-build true'
AS=nobody c h2_su_auth auth_failure sudo 'su -c true root'

# ---------------------------------------------------------------- curl / wget
c h2_curl_404 file_not_found curl "curl -fsS -o v2.tar.gz http://127.0.0.1:$PORT_HTTP/releases/v2.tar.gz"
c h2_curl_401 auth_failure curl "curl -fsS http://127.0.0.1:$PORT_HTTP/secure/metrics"
c h2_curl_bad_url usage_error curl 'curl -sS "http://[::1/health"'
c h2_curl_unknown_option usage_error curl "curl --retyr 3 http://127.0.0.1:$PORT_HTTP/"
c h2_curl_socks_refused network curl "curl -sS --socks5-hostname 127.0.0.1:$PORT_FREE http://intranet.example/wiki"
c h2_curl_cacert_missing file_not_found curl "curl -sS --cacert certs/internal-ca.pem https://127.0.0.1:$PORT_TLS_SELF/"
c h2_wget_404 file_not_found curl "wget -q http://127.0.0.1:$PORT_HTTP/downloads/agent.deb"
c h2_wget_refused network curl "wget -t 1 http://127.0.0.1:$PORT_FREE/index.html"
c h2_wget_bad_option usage_error curl 'wget --frobnicate http://127.0.0.1/'
c h2_wget_401 auth_failure curl "wget -nv http://127.0.0.1:$PORT_HTTP/secure/export.csv"

# ---------------------------------------------------------------- archives / gpg
prep h2_tar_empty_create
c h2_tar_empty_create usage_error archive 'tar czf backup.tar.gz'
prep h2_tar_not_in_archive; (cd "$CASE" && mkdir -p etc && echo x >etc/app.conf && tar cf conf.tar etc && rm -rf etc)
c h2_tar_not_in_archive file_not_found archive 'tar xf conf.tar etc/nginx.conf'
prep h2_tar_enospc; (cd "$CASE" && mkdir -p data && head -c 1048576 /dev/zero >data/blob.bin && tar cf data.tar data && rm -rf data); small_fs size=256k
c h2_tar_enospc disk_full archive 'tar xf data.tar -C mnt'
c h2_tar_fsize_ulimit resource_limit archive 'ulimit -f 16; tar cf licenses.tar /usr/share/common-licenses'
prep h2_xz_memlimit; (cd "$CASE" && head -c 100000 /dev/zero | xz --lzma2=preset=9,dict=64MiB >big.xz)
c h2_xz_memlimit out_of_memory archive 'xz -d -k --memlimit-decompress=1MiB big.xz'
c h2_unzip_missing file_not_found archive 'unzip -q build-artifacts.zip'
prep h2_unzip_password; (cd "$CASE" && echo 'id,salary' >payroll.csv && zip -q -P right-pass payroll.zip payroll.csv && rm payroll.csv)
c h2_unzip_password auth_failure archive 'unzip -P wrong-pass payroll.zip'
put h2_gzip_suffix notes.txt 'hello\n'
c h2_gzip_suffix usage_error archive 'gzip -d notes.txt'
prep h2_gpg_passphrase; mkdir -p "$CASE/gh"; chmod 700 "$CASE/gh"
(cd "$CASE" && echo 'db_password=x' >secrets.env && gpg --homedir gh --batch -q --no-symkey-cache --pinentry-mode loopback --passphrase right-pass -c secrets.env 2>/dev/null && rm secrets.env)
c h2_gpg_passphrase auth_failure gpg 'gpg --homedir gh --batch --no-symkey-cache --pinentry-mode loopback --passphrase wrong-pass -o secrets.env -d secrets.env.gpg'

# ---------------------------------------------------------------- systemd / apt
c h2_systemctl_bad_verb usage_error systemd 'systemctl frobnicate nginx.service'
prep h2_systemctl_root_missing_unit; mkdir -p "$CASE/root/etc/systemd/system"
c h2_systemctl_root_missing_unit file_not_found systemd 'systemctl --root=root enable app-worker.service'
c h2_journalctl_bad_since usage_error systemd 'journalctl --since "yesterday at noon" -u app.service'
c h2_apt_bad_operation usage_error apt 'apt-get frobnicate'

# ---------------------------------------------------------------- jq / yq / xmllint / gawk
c h2_jq_compile_error syntax_error jq "echo '{}' | jq '.items[] | select(.ok ==)'"
c h2_jq_cannot_index runtime_error jq "echo '[1, 2]' | jq '.name'"
c h2_jq_exit_status unknown jq "echo '{\"enabled\": null}' | jq -e .enabled"
c h2_jq_unknown_option usage_error jq "jq --frobnicate . <<< '{}'"
put h2_yq_scanner deploy.yaml 'spec:\n  replicas: 3\n   image: api:1.2\n'
c h2_yq_scanner syntax_error yq 'yq .spec.replicas deploy.yaml'
put h2_xmllint_mismatch pom.xml '<project>\n  <version>1.0</verison>\n</project>\n'
c h2_xmllint_mismatch syntax_error xml 'xmllint --noout pom.xml'
c h2_gawk_syntax syntax_error awk "printf 'a 1\n' | gawk '{ print \$1 '"
c h2_gawk_div0 runtime_error awk "gawk 'BEGIN { n = 0; print 10 / n }'"

# ---------------------------------------------------------------- lua / tcl / erlang / elixir
c h2_lua_not_enough_memory out_of_memory lua "ulimit -v 100000; lua5.4 -e 'local s = string.rep(\"x\", 512 * 1024 * 1024)'"
c h2_lua_script_missing file_not_found lua 'lua5.4 scripts/build.lua'
c h2_lua_exit_silent unknown lua "lua5.4 -e 'os.exit(3)'"
put h2_tcl_missing_brace gen.tcl 'proc gen {n} {\n  for {set i 0} {$i < $n} {incr i} {\n    puts $i\n}\ngen 3\n'
c h2_tcl_missing_brace syntax_error tcl 'tclsh gen.tcl'
put h2_tcl_env_missing token.tcl 'puts "token: $env(API_TOKEN)"\n'
c h2_tcl_env_missing runtime_error tcl 'tclsh token.tcl'
put h2_erlc_syntax cache.erl '-module(cache).\n-export([get/1]).\nget(K) ->\n    case K of\n        a -> 1\n        b -> 2\n    end.\n'
c h2_erlc_syntax compile_error erlang 'erlc cache.erl'
c h2_erl_badarg runtime_error erlang "erl -noshell -eval 'list_to_integer(\"ten\"), halt().'"
prep h2_mix_no_project
c h2_mix_no_project file_not_found elixir 'mix test'
c h2_elixir_undefined_module missing_dependency elixir "elixir -e 'Jason.decode!(\"{}\")'"
c h2_elixir_syntax syntax_error elixir "elixir -e 'defmodule Billing do def total(x), do: x'"

# Extra normalisation the shared runner does not do (applied to this batch's files only):
# klog timestamps/PIDs (kubectl), Rust thread ids in panic messages, rustc and pip temp names,
# node's TAP durations and prove's CPU-time summary.
/usr/bin/python3 - "$OUT" <<'PY'
import glob, json, os, re, sys
SUBS = [
    (r"(?m)^([EWIF])\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ ", r"\g<1>0101 00:00:00.000000 4242 "),
    (r"(thread '[^']*') \(\d+\)", r"\1 (4242)"),
    (r"\brustc[A-Za-z0-9]{6}\b", "rustcXXXXXX"),
    (r"duration_ms: [\d.]+", "duration_ms: 0"),
    (r"Files=(\d+), Tests=(\d+), .*? CPU\)", r"Files=\1, Tests=\2,  0 wallclock secs ( 0.00 usr  0.00 sys +  0.00 cusr  0.00 csys =  0.00 CPU)"),
    (r"(/tmp/pip-[a-z-]+?-xxxxxxxx)-[a-z0-9_]{8}\b", r"\1-xxxxxxxx"),
]
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    d = json.load(open(f, encoding="utf-8"))
    for k in ("stdout", "stderr"):
        for pat, rep in SUBS:
            d[k] = re.sub(pat, rep, d[k])
    with open(f, "w", encoding="utf-8") as fh:
        json.dump(d, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
PY
echo "held-out batch written to $OUT ($(ls "$OUT"/*.json | wc -l) cases)"
