#!/usr/bin/env bash
# Held-out batch 1 for the failure analyzer: real failing commands, run on this machine, one
# JSON per case in this directory (same fields as tests/data/failures/v2, see README.md).
# Uses the shared runner (tests/data/failures/runner.sh): loopback-only traffic, stable output.
# The commands here are deliberately different programs/errors from the training corpus.
#
# Usage: sudo ./collect.sh     (deletes and rewrites only ./*.json)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE"
. "$HERE/../../data/failures/runner.sh"
sw_start_http
HAVE_PG=0; sw_start_pg && HAVE_PG=1
HAVE_MY=0; sw_start_mysql && HAVE_MY=1
HAVE_REDIS=0; sw_start_redis && HAVE_REDIS=1
sw_start_sshd
PG="PGPASSWORD=right-password psql -h 127.0.0.1 -p $PORT_PG -U postgres"
MY="mysql --no-defaults -h 127.0.0.1 -P $PORT_MY"
SSHO="-o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -p $PORT_SSH"
jv() { prep "$1"; printf '%s\n' "$3" >"$CASE/$2.java"; (cd "$CASE" && javac "$2.java"); }
gomod() { prep "$1"; printf 'module example.com/svc\n\ngo 1.19\n' >"$CASE/go.mod"; printf '%s\n' "$2" >"$CASE/main.go"; }
put() { prep "$1"; mkdir -p "$(dirname "$CASE/$2")"; printf '%b' "$3" >"$CASE/$2"; }

# ---------------------------------------------------------------- jvm
jv h1_jvm_classcast Cast 'public class Cast { public static void main(String[] a) { Object o = "42"; Integer n = (Integer) o; } }'
c h1_jvm_classcast runtime_error jvm 'java Cast'
jv h1_jvm_array_limit Big 'public class Big { public static void main(String[] a) { long[] x = new long[Integer.MAX_VALUE]; } }'
c h1_jvm_array_limit out_of_memory jvm 'java -Xmx64m Big'
jv h1_jvm_no_main Lib 'public class Lib { static int f() { return 1; } }'
c h1_jvm_no_main usage_error jvm 'java Lib'
jv h1_jvm_cme Iter 'import java.util.*; public class Iter { public static void main(String[] a) { List<Integer> l = new ArrayList<>(List.of(1,2,3)); for (Integer i : l) l.remove(i); } }'
c h1_jvm_cme runtime_error jvm 'java Iter'
jv h1_jvm_unknown_host Dns 'import java.net.*; public class Dns { public static void main(String[] a) throws Exception { InetAddress.getByName("db.internal.example"); } }'
c h1_jvm_unknown_host network jvm 'java Dns'
jv h1_jvm_read_timeout Rd "import java.net.*; public class Rd { public static void main(String[] a) throws Exception { Socket s = new Socket(\"127.0.0.1\", $PORT_SILENT); s.setSoTimeout(1000); s.getInputStream().read(); } }"
c h1_jvm_read_timeout network jvm 'java Rd'
put h1_jvm_missing_return Calc.java 'public class Calc {\n  static int sign(int x) {\n    if (x > 0) return 1;\n  }\n}\n'
c h1_jvm_missing_return compile_error jvm 'javac -d classes Calc.java'
put h1_jvm_release8_var V.java 'public class V { public static void main(String[] a) { var x = 1; } }\n'
c h1_jvm_release8_var compile_error jvm 'javac --release 8 V.java'
c h1_jvm_source_launcher_missing file_not_found jvm 'java src/main/java/Tool.java'
jv h1_jvm_exit_silent Quit 'public class Quit { public static void main(String[] a) { System.exit(3); } }'
c h1_jvm_exit_silent unknown jvm 'java Quit'
jv h1_jvm_init_error Boot 'public class Boot { static final int N = Integer.parseInt(System.getenv().getOrDefault("WORKERS", "many")); public static void main(String[] a) { System.out.println(N); } }'
c h1_jvm_init_error runtime_error jvm 'java Boot'
put h1_jvm_mvn_unknown_phase pom.xml '<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>svc</artifactId><version>1</version></project>\n'
c h1_jvm_mvn_unknown_phase usage_error jvm 'mvn -o -B pakage'
jv h1_jvm_sigterm_outside Wait 'public class Wait { public static void main(String[] a) throws Exception { Thread.sleep(30000); } }'
c h1_jvm_sigterm_outside killed jvm '(sleep 1.5; kill -TERM $$) & exec java Wait'

# ---------------------------------------------------------------- perl
c h1_perl_missing_csv missing_dependency perl "perl -MText::CSV_XS -e 'Text::CSV_XS->new'"
put h1_perl_unmatched_brace app.pl 'sub run {\n  my $n = shift;\n  if ($n) { print "x" }\n}\n}\nrun(1);\n'
c h1_perl_unmatched_brace syntax_error perl 'perl app.pl'
c h1_perl_not_array_ref runtime_error perl "perl -Mstrict -e 'my \$r = {a => 1}; print scalar(@\$r)'"
c h1_perl_script_missing file_not_found perl 'perl bin/rotate-logs.pl'
c h1_perl_exit_silent unknown perl "perl -e 'exit 9'"
AS=nobody c h1_perl_shadow_denied permission_denied perl "perl -e 'open(my \$f, \"<\", \"/etc/shadow\") or die \"Cannot open /etc/shadow: \$!\\n\"'"
put h1_perl_test_dies t/load.t 'use Test::More;\nok(1, "start");\ndie "fixture db not reachable\\n";\ndone_testing();\n'
c h1_perl_test_dies test_failure perl 'prove -v t/load.t'

# ---------------------------------------------------------------- ruby
c h1_ruby_key_error runtime_error ruby "ruby -e 'ENV.fetch(\"DATABASE_URL\")'"
c h1_ruby_argument_error runtime_error ruby "ruby -e 'def send_mail(to, subject) end; send_mail(\"a@example.com\")'"
c h1_ruby_script_missing file_not_found ruby 'ruby bin/setup.rb'
c h1_ruby_json_parse syntax_error ruby "ruby -rjson -e 'JSON.parse(\"{\\\"a\\\": }\")'"
put h1_ruby_check_syntax lib.rb 'module Billing\n  def self.charge(x)\n    if x > 0\n      :ok\n  end\nend\n'
c h1_ruby_check_syntax syntax_error ruby 'ruby -c lib.rb'
c h1_ruby_timeout timeout ruby "ruby -rtimeout -e 'Timeout.timeout(0.5) { sleep 5 }'"
c h1_ruby_no_memory out_of_memory ruby "ulimit -v 300000; ruby -e 's = \"x\" * (2 ** 31)'"
c h1_ruby_tcpsocket_refused network ruby "ruby -rsocket -e 'TCPSocket.new(\"127.0.0.1\", $PORT_FREE)'"

# ---------------------------------------------------------------- php
c h1_php_member_on_null runtime_error php "php -r '\$user = null; echo \$user->getName();'"
put h1_php_lint_fail routes.php '<?php\n$routes = [\n  "/" => "home",\n  "/about" => "about"\n\nreturn $routes;\n'
c h1_php_lint_fail syntax_error php 'php -l routes.php'
c h1_php_input_missing file_not_found php 'php artisan migrate'
c h1_php_json_exception syntax_error php "php -r 'json_decode(\"{\\\"id\\\": 1,\", false, 512, JSON_THROW_ON_ERROR);'"
c h1_php_pdo_driver missing_dependency php "php -r 'new PDO(\"mysql:host=127.0.0.1;dbname=app\", \"u\", \"p\");'"
c h1_php_argument_count runtime_error php "php -r 'function area(\$w, \$h) { return \$w * \$h; } echo area(3);'"
c h1_php_socket_server_busy port_in_use php "php -r 'if (!stream_socket_server(\"tcp://127.0.0.1:$PORT_BUSY\", \$no, \$err)) { fwrite(STDERR, \"listen failed: \$err\\n\"); exit(1); }'"

# ---------------------------------------------------------------- go
gomod h1_go_missing_return 'package main

func parse(s string) int {
	if s == "" {
		return 0
	}
}

func main() { parse("1") }'
c h1_go_missing_return compile_error go 'go build -o svc .'
gomod h1_go_test_panic 'package main

func first(xs []int) int { return xs[0] }

func main() {}'
printf 'package main\n\nimport "testing"\n\nfunc TestFirst(t *testing.T) { first(nil) }\n' >"$CASE/first_test.go"
c h1_go_test_panic test_failure go 'go test -count=1 .'
gomod h1_go_type_assert 'package main

func main() {
	var v interface{} = "8080"
	port := v.(int)
	_ = port
}'
c h1_go_type_assert runtime_error go 'go run -trimpath .'
gomod h1_go_mod_download 'package main

func main() {}'
c h1_go_mod_download missing_dependency go 'go mod download github.com/lib/pq@v1.10.9'
gomod h1_go_cgo_header 'package main

// #include <zstd.h>
import "C"

func main() {}'
c h1_go_cgo_header missing_dependency go 'CGO_ENABLED=1 go build .'
gomod h1_go_unused_var 'package main

func main() {
	count := 3
}'
c h1_go_unused_var compile_error go 'go vet ./...'
gomod h1_go_ctx_deadline 'package main

import (
	"context"
	"fmt"
	"os"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	select {
	case <-time.After(5 * time.Second):
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "sync orders:", ctx.Err())
		os.Exit(1)
	}
}'
c h1_go_ctx_deadline timeout go 'go run . sync'
gomod h1_go_write_denied 'package main

import (
	"log"
	"os"
)

func main() {
	if err := os.WriteFile("/etc/svc.lock", []byte("1"), 0644); err != nil {
		log.Fatalf("acquire lock: %v", err)
	}
}'
(cd "$CASE" && go build -o svc . 2>/dev/null)
AS=nobody c h1_go_write_denied permission_denied go './svc'

# ---------------------------------------------------------------- node / npm
c h1_node_not_a_function runtime_error node "node -e \"const cfg = {}; cfg.load()\""
c h1_node_reference_error runtime_error node "node -e 'console.log(dbClient.query)'"
c h1_node_unexpected_export syntax_error node "printf 'export const a = 1;\nexport default {\n' > lib.mjs && node lib.mjs"
put h1_node_test_tap_fail math.test.js "const test = require('node:test');\nconst assert = require('node:assert');\ntest('rounds', () => { assert.equal(Math.round(2.5), 2); });\n"
c h1_node_test_tap_fail test_failure node 'node --test --test-reporter=tap'
c h1_node_invalid_arg runtime_error node "node -e \"require('fs').writeFileSync('out.txt', 42)\""
AS=nobody c h1_node_listen_80 permission_denied node "node -e \"require('http').createServer().listen(80, '127.0.0.1')\""
c h1_node_buffer_oom out_of_memory node "node -e \"const b = []; for (;;) b.push(Buffer.alloc(256 * 1024 * 1024))\" --max-old-space-size=64"
c h1_node_spawn_enoent command_not_found node "node -e \"require('child_process').spawn('ffmpeg', ['-i', 'in.mp4']).on('error', e => { console.error(e.message); process.exit(1) })\""
c h1_node_dns_lookup network node "node -e \"require('dns').promises.lookup('cache.internal.example').catch(e => { console.error(e); process.exit(1) })\""
c h1_node_socket_hang_up network node "node -e \"require('http').get('http://127.0.0.1:$PORT_CLOSE/').on('error', e => { console.error(e); process.exit(1) })\""
put h1_npm_nested_py_syntax package.json '{"name":"x","version":"1.0.0","scripts":{"gen":"python3 tools/gen.py"}}\n'
mkdir -p "$CASE/tools"; printf 'def main()\n    print("gen")\n' >"$CASE/tools/gen.py"
c h1_npm_nested_py_syntax syntax_error npm 'npm run gen'
put h1_npm_nested_missing_mod package.json '{"name":"x","version":"1.0.0","scripts":{"serve":"node server.js"}}\n'
printf "const fastify = require('fastify');\nfastify().listen({port: 3000});\n" >"$CASE/server.js"
c h1_npm_nested_missing_mod missing_dependency npm 'npm run serve'
put h1_npm_publish_needauth package.json '{"name":"@acme/widgets","version":"1.0.0"}\n'
c h1_npm_publish_needauth auth_failure npm "npm publish --registry http://127.0.0.1:$PORT_HTTP/npm-private/"
put h1_npm_engine_strict package.json '{"name":"x","version":"1.0.0","engines":{"node":">=99"}}\n'
c h1_npm_engine_strict missing_dependency npm 'npm install --engine-strict --offline'
put h1_npm_file_dep_missing package.json '{"name":"x","version":"1.0.0","dependencies":{"shared":"file:../shared-lib-2.1.0.tgz"}}\n'
c h1_npm_file_dep_missing file_not_found npm 'npm install --offline'

# ---------------------------------------------------------------- python / pip
put h1_py_unittest_error test_api.py 'import unittest\nclass TestApi(unittest.TestCase):\n    def test_get(self):\n        resp = {"status": 500}\n        self.assertEqual(resp["status"], 200, "GET /users")\n    def test_headers(self):\n        raise RuntimeError("fixture missing")\n'
c h1_py_unittest_error test_failure python 'python3 -m unittest test_api'
put h1_py_pytest_param test_fmt.py 'import pytest\n\n@pytest.mark.parametrize("n,s", [(1, "1"), (1000, "1,000"), (10**6, "1,000,000")])\ndef test_fmt(n, s):\n    assert f"{n:_}" == s\n'
c h1_py_pytest_param test_failure python 'python3 -m pytest -q -p no:cacheprovider --tb=short'
c h1_py_index_error runtime_error python "python3 -c \"import sys; print(sys.argv[1])\""
c h1_py_overflow runtime_error python "python3 -c 'import math; math.exp(1000)'"
c h1_py_recv_timeout network python "python3 -c \"import socket; s = socket.create_connection(('127.0.0.1', $PORT_SILENT)); s.settimeout(1); s.recv(10)\""
c h1_py_conn_reset network python "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT_CLOSE/')\""
c h1_py_file_exists runtime_error python "python3 -c \"import os; os.mkdir('build'); os.mkdir('build')\""
c h1_py_lxml_missing missing_dependency python "python3 -c 'from lxml import etree'"
c h1_py2_print syntax_error python "python3 -c 'print \"hello\"'"
prep h1_py_tiny_fs; mkdir -p "$CASE/mnt"; mount -t tmpfs -o size=32k tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt")
c h1_py_tiny_fs disk_full python "python3 -c \"import shutil; shutil.copyfile('/usr/bin/python3', 'mnt/python3')\""
AS=nobody c h1_py_fork_limit resource_limit python "ulimit -u 1; python3 -c 'import os; os.fork()'"
put h1_py_rich_usage cli.py 'from rich.console import Console\nfrom rich.panel import Panel\nimport sys\nc = Console(stderr=True, force_terminal=True, width=70)\nc.print("Usage: cli.py [OPTIONS] COMMAND [ARGS]...")\nc.print(Panel("Missing option \\"--name\\" / \\"-n\\".", title="Error", title_align="left", border_style="red"))\nsys.exit(2)\n'
c h1_py_rich_usage usage_error python 'python3 cli.py greet'
c h1_py_warning_error runtime_error python "python3 -W error -c \"import warnings; warnings.warn('datetime.utcnow() is deprecated', DeprecationWarning)\""
c h1_pip_wheel_missing file_not_found pip 'python3 -m pip install dist/app-1.0-py3-none-any.whl'
c h1_pip_editable_not_project file_not_found pip 'python3 -m pip install -e .'
put h1_pip_setup_syntax pkg/setup.py 'from setuptools import setup\nsetup(name="pkg", version="0.1",\n      packages=["pkg"]\n      install_requires=[])\n'
c h1_pip_setup_syntax syntax_error pip 'python3 -m pip install --no-build-isolation --no-deps ./pkg'
put h1_pip_python_requires newer/setup.py 'from setuptools import setup\nsetup(name="newer", version="0.1", python_requires=">=3.99")\n'
c h1_pip_python_requires missing_dependency pip 'python3 -m pip install --no-build-isolation --no-deps ./newer'

# ---------------------------------------------------------------- rust
crate h1_rs_use_after_move 'fn consume(v: Vec<u8>) -> usize { v.len() }
fn main() { let v = vec![1u8]; consume(v); println!("{}", v.len()); }'
c h1_rs_use_after_move compile_error rust 'cargo build --offline --release'
crate h1_rs_trait_bound 'struct Point { x: i32 }
fn main() { let p = Point { x: 1 }; println!("{}", p); }'
c h1_rs_trait_bound compile_error rust 'cargo check --offline --message-format short'
crate h1_rs_test_index 'fn main() {}
#[cfg(test)]
mod tests {
    #[test]
    fn third_item() { let items = vec![1, 2]; assert_eq!(items[2], 3); }
}'
c h1_rs_test_index test_failure rust 'cargo test --offline --no-fail-fast'
crate h1_rs_backtrace_panic 'fn main() { let r: Result<u32, String> = Err("bad header".into()); r.unwrap(); }'
c h1_rs_backtrace_panic runtime_error rust 'RUST_BACKTRACE=1 cargo run --offline -q'
crate h1_rs_exit_silent 'fn main() { std::process::exit(2) }'
c h1_rs_exit_silent unknown rust 'cargo run --offline -q --release'
crate h1_rs_workspace_member 'fn main() {}'
printf '\n[workspace]\nmembers = ["crates/core"]\n' >>"$CASE/Cargo.toml"
c h1_rs_workspace_member file_not_found rust 'cargo metadata --offline --format-version 1'
crate h1_rs_target_missing 'fn main() {}'
c h1_rs_target_missing missing_dependency rust 'cargo build --offline --target wasm32-unknown-unknown'

# ---------------------------------------------------------------- c / c++
put h1_c_conflicting_types main.c 'int area(int w, int h);\ndouble area(int w, int h) { return w * h; }\nint main(void) { return 0; }\n'
c h1_c_conflicting_types compile_error c 'cc -c main.c'
put h1_cpp_no_matching main.cpp '#include <string>\nvoid log_line(const std::string &s, int level);\nint main() { log_line(3); }\n'
c h1_cpp_no_matching compile_error c 'g++ -std=c++20 -c main.cpp'
put h1_c_stack_smash s.c '#include <string.h>\nint main(int c, char **v) { char b[8]; strcpy(b, "this string is far too long for the buffer"); return b[0]; }\n'
(cd "$CASE" && gcc -fstack-protector-all -O0 -o s s.c 2>/dev/null)
c h1_c_stack_smash runtime_error c './s'
put h1_c_heap_corrupt h.c '#include <stdlib.h>\n#include <string.h>\nint main(void) { char *p = malloc(16); memset(p, 65, 64); char *q = malloc(16); free(q); free(p); return 0; }\n'
(cd "$CASE" && gcc -O0 -o h h.c 2>/dev/null)
c h1_c_heap_corrupt runtime_error c './h'
put h1_c_lsan_leak l.c '#include <stdlib.h>\nint main(void) { void *p = malloc(100); p = 0; return 0; }\n'
(cd "$CASE" && gcc -fsanitize=address -g -o l l.c 2>/dev/null)
c h1_c_lsan_leak runtime_error c './l'
put h1_c_raise_kill k.c '#include <signal.h>\nint main(void) { raise(SIGKILL); return 0; }\n'
(cd "$CASE" && gcc -o k k.c)
c h1_c_raise_kill killed c './k'
put h1_c_calloc_fail m.c '#include <stdio.h>\n#include <stdlib.h>\nint main(void) { double *m = calloc(40000, 40000 * sizeof(double)); if (!m) { perror("calloc matrix"); return 1; } return 0; }\n'
(cd "$CASE" && gcc -o m m.c)
c h1_c_calloc_fail out_of_memory c 'ulimit -v 100000; ./m'
put h1_c_write_enospc w.c '#include <stdio.h>\n#include <string.h>\n#include <errno.h>\nint main(void) { FILE *f = fopen("/dev/full", "w"); fputs("checkpoint", f); if (fflush(f) != 0) { fprintf(stderr, "save state: %s\\n", strerror(errno)); return 1; } return 0; }\n'
(cd "$CASE" && gcc -o w w.c)
c h1_c_write_enospc disk_full c './w'
c h1_clang_missing command_not_found c 'clang -O2 -c main.c'
put h1_make_yaml_header Makefile 'parser: parser.c\n\tcc -o parser parser.c\n'
printf '#include <zmq.h>\nint main(void) { void *c = zmq_ctx_new(); return c == 0; }\n' >"$CASE/parser.c"
c h1_make_yaml_header missing_dependency make 'make parser'

# ---------------------------------------------------------------- make / cmake
put h1_make_commands_before_target Makefile '\techo start\nall:\n\techo ok\n'
c h1_make_commands_before_target syntax_error make 'make -n'
put h1_make_pattern_src_missing Makefile '%.html: %.md\n\tpandoc -o $@ $<\n'
c h1_make_pattern_src_missing file_not_found make 'make index.html'
c h1_make_dir_missing file_not_found make 'make -C services/billing'
put h1_make_go_test Makefile 'check:\n\tcd gosrc && go test ./...\n'
mkdir -p "$CASE/gosrc"; printf 'module example.com/m\n\ngo 1.19\n' >"$CASE/gosrc/go.mod"
printf 'package m\n\nimport "testing"\n\nfunc TestDiv(t *testing.T) { if 7/2 != 3.5 { t.Fatal("7/2 should be 3.5") } }\n' >"$CASE/gosrc/m_test.go"
c h1_make_go_test test_failure make 'make check'
put h1_cmake_min_version CMakeLists.txt 'cmake_minimum_required(VERSION 3.99)\nproject(x C)\n'
c h1_cmake_min_version missing_dependency cmake 'cmake -S . -B out'
put h1_cmake_unknown_command CMakeLists.txt 'cmake_minimum_required(VERSION 3.10)\nproject(x NONE)\nadd_exectuable(app main.c)\n'
c h1_cmake_unknown_command syntax_error cmake 'cmake -S . -B out -Wno-dev'
c h1_cmake_build_unconfigured usage_error cmake 'cmake --build out'
put h1_ctest_timeout CMakeLists.txt 'cmake_minimum_required(VERSION 3.10)\nproject(x NONE)\nenable_testing()\nadd_test(NAME slow_sync COMMAND sleep 20)\nset_tests_properties(slow_sync PROPERTIES TIMEOUT 1)\n'
(cd "$CASE" && cmake -S . -B out >/dev/null 2>&1)
c h1_ctest_timeout timeout cmake 'ctest --test-dir out'

# ---------------------------------------------------------------- shell / coreutils
put h1_sh_missing_fi check.sh 'if [ -d /tmp ]; then\n  echo ok\n'
c h1_sh_missing_fi syntax_error shell 'bash -n check.sh'
c h1_sh_zsh_missing command_not_found shell 'zsh -c "print -l *"'
c h1_sh_local_outside usage_error shell 'local retries=3'
c h1_sh_eval_syntax syntax_error shell 'eval "for i in 1 2; do echo \$i"'
c h1_sh_dash_bashism command_not_found shell "sh -c '[[ -n \"\$HOME\" ]] && echo yes'"
c h1_sh_kill_no_job usage_error shell 'kill %1'
c h1_sh_exit_1_silent unknown shell 'exit 1'
prep h1_cu_ro_mkdir; mkdir -p "$CASE/ro"; mount -t tmpfs -o ro,size=64k tmpfs "$CASE/ro" && MOUNTS+=("$CASE/ro")
c h1_cu_ro_mkdir permission_denied coreutils 'mkdir ro/cache'
c h1_cu_dd_bad_operand usage_error coreutils 'dd if=/dev/zero of=x bs=1Q count=1'
prep h1_cu_fallocate_full; mkdir -p "$CASE/mnt"; mount -t tmpfs -o size=64k tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt")
c h1_cu_fallocate_full disk_full coreutils 'fallocate -l 10M mnt/swapfile'
AS=nobody c h1_cu_find_denied permission_denied coreutils 'find /root -name "*.pem"'
c h1_cu_sort_missing file_not_found coreutils 'sort -u hosts.txt'
c h1_cu_wc_directory usage_error coreutils 'wc -l /etc'
c h1_cu_base64_invalid syntax_error coreutils 'echo "not*base64" | base64 -d'
c h1_cu_env_missing command_not_found coreutils 'env -i PATH=/usr/bin gunicorn app:app'
c h1_cu_timeout_int timeout coreutils 'timeout -s INT 1 python3 -c "import time; time.sleep(30)"'
c h1_cu_timeout_node timeout coreutils "timeout 1 node -e 'setInterval(() => {}, 1000)'"
c h1_cu_numfmt usage_error coreutils 'numfmt --from=iec 12XB'

# ---------------------------------------------------------------- signals / limits
c h1_sig_int_outside killed signal '(sleep 1; kill -INT $$) & exec sleep 30'
c h1_sig_segv_outside killed signal '(sleep 1; kill -SEGV $$) & exec sleep 30'
c h1_sig_abrt_outside killed signal '(sleep 1; kill -ABRT $$) & exec sleep 30'
c h1_sig_node_term killed signal "(sleep 1; kill -TERM \$\$) & exec node -e 'setInterval(() => {}, 1000)'"
c h1_sig_hup_python killed signal '(sleep 1; kill -HUP $$) & exec python3 -c "import time; time.sleep(30)"'
c h1_sig_py_self_kill killed signal "python3 -c 'import os, signal; os.kill(os.getpid(), signal.SIGKILL)'"
LIMIT=wall_time:2 c h1_lim_wall_make timeout signal "printf 'all:\n\tsleep 60\n' > Makefile && make"
LIMIT=cpu_time:1 c h1_lim_cpu_node resource_limit signal 'node -e "for (;;) {}"'
LIMIT=file_size:8192 c h1_lim_fsize_python resource_limit signal "python3 -c \"open('dump.bin', 'wb').write(b'0' * 100000)\""
LIMIT=output:30000 c h1_lim_output_node resource_limit signal "node -e \"setInterval(() => console.log('tick '.repeat(50)), 1)\""

# ---------------------------------------------------------------- curl / wget / rsync
c h1_curl_6_proxy_dns network curl 'curl -sS -x http://proxy.corp.example:3128 http://127.0.0.1:1/'
c h1_curl_7_localhost_port network curl "curl -sS http://localhost:$PORT_FREE/graphql"
c h1_curl_22_403 auth_failure curl "curl -sSf http://127.0.0.1:$PORT_HTTP/forbidden/export.csv"
c h1_curl_35_plain network curl "curl -sS https://127.0.0.1:$PORT_TLS_PLAIN/health"
c h1_curl_28_total network curl "curl -sS --connect-timeout 1 --max-time 2 http://127.0.0.1:$PORT_SILENT/stream"
c h1_wget_timeout network curl "wget -T 1 -t 1 http://127.0.0.1:$PORT_SILENT/file.iso"
c h1_wget_tls_self network curl "wget -q https://127.0.0.1:$PORT_TLS_SELF/cert-check"
c h1_rsync_ssh_denied auth_failure rsync "rsync -a -e 'ssh -i $WORK/svc/id_wrong $SSHO' ./ root@127.0.0.1:/tmp/swfail-upload/"
c h1_rsync_dest_missing_parent file_not_found rsync 'mkdir -p s && touch s/a && rsync -a s/ no/such/dir/'

# ---------------------------------------------------------------- git / docker / kubectl / terraform / apt
gitrepo() { prep "$1"; (cd "$CASE" && git init -q -b main && git config user.email t@example.com && git config user.name t && echo base >f.txt && git add f.txt && git commit -qm base); }
gitrepo h1_git_unrelated
(cd "$CASE" && git checkout -q --orphan other && git rm -qrf . && echo o >o.txt && git add o.txt && git commit -qm other && git checkout -q main)
c h1_git_unrelated runtime_error git 'git merge other'
gitrepo h1_git_cherry_pick_conflict
(cd "$CASE" && git checkout -qb fix && echo fix >f.txt && git commit -qam fix && git checkout -q main && echo main2 >f.txt && git commit -qam main2)
c h1_git_cherry_pick_conflict runtime_error git 'git cherry-pick fix'
gitrepo h1_git_tag_exists
(cd "$CASE" && git tag v1.0.0)
c h1_git_tag_exists usage_error git 'git tag v1.0.0'
gitrepo h1_git_push_http_401
c h1_git_push_http_401 auth_failure git "git push http://127.0.0.1:$PORT_HTTP/private/app.git main"
c h1_git_ls_remote_dns network git 'git ls-remote https://gitlab.corp.example/platform/infra.git'
gitrepo h1_git_show_missing_path
c h1_git_show_missing_path file_not_found git 'git show HEAD:docs/CHANGELOG.md'
c h1_docker_pull_no_daemon network docker 'DOCKER_HOST=unix:///run/swfail-docker.sock docker pull alpine:3.19'
c h1_docker_compose_missing missing_dependency docker 'docker compose up -d'
prep h1_kubectl_exec_plugin
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws-iam-authenticator\n      args: ["token", "-i", "prod"]\n      interactiveMode: Never\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n' >"$CASE/kc.yaml"
c h1_kubectl_exec_plugin missing_dependency kubectl 'kubectl --kubeconfig kc.yaml get pods'
prep h1_kubectl_401_logs
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:%s/k8s401"}\nusers:\n- name: u\n  user: {token: revoked}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n' $PORT_HTTP >"$CASE/kc.yaml"
c h1_kubectl_401_logs auth_failure kubectl 'kubectl --kubeconfig kc.yaml -n prod logs deploy/api'
put h1_tf_unsupported_arg main.tf 'resource "terraform_data" "x" {\n  inputs = "a"\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c h1_tf_unsupported_arg compile_error terraform 'terraform -chdir=. validate'
put h1_tf_module_missing main.tf 'module "network" {\n  source = "./modules/network"\n}\n'
c h1_tf_module_missing file_not_found terraform 'terraform init -input=false -no-color'
put h1_tf_tfvars_syntax main.tf 'variable "env" {}\n'
printf 'env = "prod\n' >"$CASE/prod.tfvars"
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c h1_tf_tfvars_syntax syntax_error terraform 'terraform plan -input=false -var-file=prod.tfvars -no-color'
c h1_dpkg_query_missing missing_dependency apt 'dpkg -s libpq-dev-nonexistent'
AS=nobody c h1_apt_check_nobody permission_denied apt 'apt-get check'

# ---------------------------------------------------------------- databases
if [ $HAVE_PG = 1 ]; then
    c h1_pg_invalid_int runtime_error postgres "$PG -d shop -c \"select * from orders where id = 'abc'\""
    c h1_pg_refused_other_port network postgres "psql -h 127.0.0.1 -p $PORT_FREE -U postgres -d shop -c 'select 1'"
    c h1_pg_createdb_exists runtime_error postgres "PGPASSWORD=right-password createdb -h 127.0.0.1 -p $PORT_PG -U postgres shop"
    c h1_pg_createdb_denied auth_failure postgres "PGPASSWORD=ro-pass createdb -h 127.0.0.1 -p $PORT_PG -U readonly reports"
    c h1_pg_restore_missing file_not_found postgres "PGPASSWORD=right-password pg_restore -h 127.0.0.1 -p $PORT_PG -U postgres -d shop backups/shop.dump"
    c h1_pg_ssl_required network postgres "psql 'host=127.0.0.1 port=$PORT_PG user=postgres password=right-password sslmode=require' -c 'select 1'"
fi
if [ $HAVE_MY = 1 ]; then
    c h1_my_db_access_denied auth_failure mysql "$MY -ureport -preport-pass mysql -e 'select 1'"
    c h1_my_data_too_long runtime_error mysql "$MY -uroot -proot-pass inventory -e \"insert into items values (9, 'TOO-LONG-SKU-123')\""
    c h1_my_dns network mysql 'mysql --no-defaults -h db.internal.example -uroot -e "select 1"'
    c h1_my_create_exists runtime_error mysql "$MY -uroot -proot-pass -e 'create database inventory'"
    c h1_my_use_missing file_not_found mysql "$MY -uroot -proot-pass -e 'use analytics; select 1'"
fi
c h1_sqlite_syntax_from syntax_error sqlite "sqlite3 s.db 'select id, from users'"
c h1_sqlite_no_column runtime_error sqlite "sqlite3 c.db 'create table if not exists t(a); select b from t'"
AS=nobody c h1_sqlite_cannot_create permission_denied sqlite "sqlite3 /var/lib/app.db 'create table t(x)'"
c h1_sqlite_fk runtime_error sqlite "sqlite3 f.db 'pragma foreign_keys=on; create table if not exists p(id integer primary key); create table if not exists ch(pid references p(id)); insert into ch values (7);'"
c h1_sqlite_import_missing file_not_found sqlite "sqlite3 i.db '.import --csv exports/users.csv users'"
prep h1_sqlite_full; mkdir -p "$CASE/mnt"; mount -t tmpfs -o size=96k tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt")
c h1_sqlite_full disk_full sqlite "sqlite3 mnt/big.db 'create table t(x); insert into t select randomblob(4000) from generate_series(1, 200);' || sqlite3 mnt/big.db 'with recursive n(i) as (select 1 union all select i + 1 from n where i < 200) insert into t select randomblob(4000) from n'"
if [ $HAVE_REDIS = 1 ]; then
    redis-cli -p $PORT_REDIS -a s3cret-redis --no-auth-warning ACL SETUSER reader on '>reader-pass' '~cache:*' '+get' >/dev/null
    c h1_redis_noperm auth_failure redis "redis-cli -e -p $PORT_REDIS --user reader --pass reader-pass --no-auth-warning set cache:a 1"
    c h1_redis_not_integer runtime_error redis "redis-cli -e -p $PORT_REDIS -a s3cret-redis --no-auth-warning set counter ten >/dev/null && redis-cli -e -p $PORT_REDIS -a s3cret-redis --no-auth-warning incr counter"
    redis-cli -p $PORT_REDIS -a s3cret-redis --no-auth-warning config set maxmemory 2mb >/dev/null
    c h1_redis_oom out_of_memory redis "redis-cli -e -p $PORT_REDIS -a s3cret-redis --no-auth-warning eval \"for i = 1, 400 do redis.call('set', 'blob:' .. i, string.rep('x', 20000)) end\" 0"
fi
c h1_redis_timeout network redis "redis-cli -e -t 1 -p $PORT_SILENT ping"

# ---------------------------------------------------------------- ssh / sudo / su
c h1_ssh_user_no_key auth_failure ssh "ssh $SSHO -i $WORK/svc/id_good nobody@127.0.0.1 true"
c h1_ssh_forward_busy port_in_use ssh "ssh $SSHO -i $WORK/svc/id_good -o ExitOnForwardFailure=yes -N -L 127.0.0.1:$PORT_BUSY:127.0.0.1:22 root@127.0.0.1"
c h1_scp_local_missing file_not_found ssh "scp -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -i $WORK/svc/id_good -P $PORT_SSH release.tar.gz root@127.0.0.1:/tmp/"
AS=nobody c h1_sudo_list_nopass auth_failure sudo 'sudo -n -l'
AS=nobody c h1_sudo_stdin_wrong auth_failure sudo "printf 'wrong\nwrong\nwrong\n' | sudo -S -k true"
AS=nobody c h1_su_no_user usage_error sudo 'su - deploy-bot -c true'

# ---------------------------------------------------------------- lua / tcl
c h1_lua_syntax syntax_error lua "lua5.4 -e 'local t = {1, 2 print(t)'"
c h1_lua_nil_index runtime_error lua "lua5.4 -e 'local cfg = nil; print(cfg.port)'"
c h1_lua_require_missing missing_dependency lua "lua5.4 -e 'local socket = require(\"socket\")'"
put h1_tcl_invalid_command run.tcl 'set x 1\nputz $x\n'
c h1_tcl_invalid_command runtime_error tcl 'tclsh run.tcl'
c h1_tcl_package_missing missing_dependency tcl "echo 'package require tdom' | tclsh"

echo "held-out batch written to $OUT ($(ls "$OUT"/*.json | wc -l) cases)"
