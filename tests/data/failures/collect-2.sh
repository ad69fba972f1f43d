#!/usr/bin/env bash
# Second batch of the real-failure corpus (tests/data/failures/v2/), wider than collect.sh:
# JVM, Perl, Ruby, PHP, Go, database clients, redis, ssh/sudo/su, terraform, kubectl, cmake,
# plus signals, coloured and box-drawn output and errors nested in build tools.
#
# Every case RUNS a real failing command here and stores what it printed, one JSON per case:
#   {"name","command","exitCode","signal","timedOut","limit","stdout","stderr",
#    "expectedCategory","toolchain"}
# The category is a human judgement of the real cause, written with the command, before the
# analyzer saw the output. Only loopback traffic (see runner.sh). Needs root.
#
# Usage: sudo ./collect-2.sh     (writes v2/*.json next to this script; deletes only v2/*.json)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/v2"
export SW_PORT_BASE=${SW_PORT_BASE:-47800}
. "$HERE/runner.sh"
sw_start_http
HAVE_PG=0; sw_start_pg && HAVE_PG=1
HAVE_MY=0; sw_start_mysql && HAVE_MY=1
HAVE_REDIS=0; sw_start_redis && HAVE_REDIS=1
sw_start_sshd
PG="PGPASSWORD=right-password psql -h 127.0.0.1 -p $PORT_PG -U postgres"
MY="mysql --no-defaults -h 127.0.0.1 -P $PORT_MY"
SSHO="-o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -p $PORT_SSH"

# ================================================================ jvm
jv() { # jv NAME CLASS SOURCE  -> writes CLASS.java in case dir and compiles it
    prep "$1"; printf '%s\n' "$3" >"$CASE/$2.java"; (cd "$CASE" && javac "$2.java")
}
c jvm_main_class_missing file_not_found jvm 'java -cp . com.example.Server'
jv jvm_jdbc_driver_missing Db 'public class Db { public static void main(String[] a) throws Exception { Class.forName("org.postgresql.Driver"); } }'
c jvm_jdbc_driver_missing missing_dependency jvm 'java -cp . Db'
jv jvm_noclassdef_gson App 'public class App { public static void main(String[] a) { System.out.println(Json.encode(a)); } }
class Json { static String encode(Object o) { return o.toString(); } }'
rm -f "$CASE/Json.class"
c jvm_noclassdef_gson missing_dependency jvm 'java -cp . App'
jv jvm_oom_xmx Cache 'import java.util.*; public class Cache { public static void main(String[] a) { Map<Integer, byte[]> m = new HashMap<>(); for (int i = 0;; i++) m.put(i, new byte[1 << 20]); } }'
c jvm_oom_xmx out_of_memory jvm 'java -Xmx16m Cache'
jv jvm_oom_metaspace_gc Strs 'import java.util.*; public class Strs { public static void main(String[] a) { List<String> l = new ArrayList<>(); for (long i = 0;; i++) l.add(("k" + i).intern()); } }'
c jvm_oom_metaspace_gc out_of_memory jvm 'java -Xmx12m -XX:+UseSerialGC Strs'
jv jvm_stack_overflow Tree 'public class Tree { static int depth(Tree t, int n) { return depth(t, n + 1) + 1; } public static void main(String[] a) { depth(null, 0); } }'
c jvm_stack_overflow runtime_error jvm 'java -Xss256k Tree'
prep jvm_javac_missing_semicolon
printf 'public class Hello {\n  public static void main(String[] args) {\n    System.out.println("hi")\n  }\n}\n' >"$CASE/Hello.java"
c jvm_javac_missing_semicolon compile_error jvm 'javac Hello.java'
prep jvm_javac_incompatible_types
printf 'public class Price {\n  public static void main(String[] args) {\n    int cents = "100";\n  }\n}\n' >"$CASE/Price.java"
c jvm_javac_incompatible_types compile_error jvm 'javac -d out Price.java'
prep jvm_javac_class_name
printf 'public class Service { }\n' >"$CASE/Main.java"
c jvm_javac_class_name compile_error jvm 'javac -Xlint:all Main.java'
prep jvm_javac_unreported_exception
printf 'import java.io.*;\npublic class Read {\n  public static void main(String[] a) {\n    new FileReader("x.txt");\n  }\n}\n' >"$CASE/Read.java"
c jvm_javac_unreported_exception compile_error jvm 'javac Read.java'
jv jvm_array_index Args 'public class Args { public static void main(String[] a) { System.out.println("first=" + a[0]); } }'
c jvm_array_index runtime_error jvm 'java Args'
jv jvm_number_format Port 'public class Port { public static void main(String[] a) { int p = Integer.parseInt(System.getProperty("port", "eighty")); } }'
c jvm_number_format runtime_error jvm 'java Port'
jv jvm_file_not_found Conf 'import java.io.*; public class Conf { public static void main(String[] a) throws Exception { new FileInputStream("conf/app.properties").read(); } }'
c jvm_file_not_found file_not_found jvm 'java Conf'
jv jvm_nio_no_such_file Load 'import java.nio.file.*; public class Load { public static void main(String[] a) throws Exception { Files.readAllLines(Path.of("data/users.csv")); } }'
c jvm_nio_no_such_file file_not_found jvm 'java Load'
jv jvm_connect_refused Ping 'import java.net.*; public class Ping { public static void main(String[] a) throws Exception { new Socket("127.0.0.1", 1); } }'
c jvm_connect_refused network jvm 'java Ping'
jv jvm_bind_in_use Srv "import java.net.*; public class Srv { public static void main(String[] a) throws Exception { new ServerSocket($PORT_BUSY, 50, InetAddress.getByName(\"127.0.0.1\")); } }"
c jvm_bind_in_use port_in_use jvm 'java Srv'
jv jvm_access_denied Wr 'import java.nio.file.*; public class Wr { public static void main(String[] a) throws Exception { Files.writeString(Path.of("/etc/app.lock"), "1"); } }'
chmod 755 "$CASE"; chmod 644 "$CASE"/*.class
AS=nobody c jvm_access_denied permission_denied jvm 'java -Xshare:off Wr'
jv jvm_illegal_state Job 'public class Job { public static void main(String[] a) { throw new IllegalStateException("job queue is closed"); } }'
c jvm_illegal_state runtime_error jvm 'java Job'
c jvm_jar_missing file_not_found jvm 'java -jar build/libs/app-1.0.jar'
c jvm_bad_option usage_error jvm 'java --enable-previews -version'
c jvm_heap_too_large out_of_memory jvm 'ulimit -v 500000; java -Xmx4g -Xms4g -version'
prep jvm_mvn_no_pom
c jvm_mvn_no_pom file_not_found jvm 'mvn -o -B package'
prep jvm_mvn_offline_plugin
printf '<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>demo</artifactId><version>1</version></project>\n' >"$CASE/pom.xml"
mkdir -p "$CASE/src/main/java"; printf 'public class A {}\n' >"$CASE/src/main/java/A.java"
c jvm_mvn_offline_plugin missing_dependency jvm 'mvn -o -B compile'
prep jvm_mvn_bad_pom
printf '<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId>\n<artifactId>demo</artifactId><version>1</version>\n<dependencies><dependency></project>\n' >"$CASE/pom.xml"
c jvm_mvn_bad_pom syntax_error jvm 'mvn -o -B -Dstyle.color=always validate'
prep jvm_jar_no_manifest
printf 'public class T { public static void main(String[] a) {} }\n' >"$CASE/T.java"
(cd "$CASE" && javac T.java && jar cf t.jar T.class && rm T.class T.java)
c jvm_jar_no_manifest usage_error jvm 'java -jar t.jar'
c jvm_jar_corrupt_class runtime_error jvm 'printf "\xca\xfe\xba\xbe\x00" > Bad.class && java -cp . Bad'

# ================================================================ perl
c perl_syntax_missing_semicolon syntax_error perl "perl -e 'my \$x = 1 print \$x'"
prep perl_syntax_file
printf 'use strict;\nsub total {\n  my @n = @_;\n  return sum(@n;\n}\nprint total(1,2);\n' >"$CASE/report.pl"
c perl_syntax_file syntax_error perl 'perl report.pl'
c perl_missing_module missing_dependency perl "perl -MJSON::XS -e 'print encode_json([1])'"
prep perl_missing_module_use
printf 'use strict;\nuse Moose;\nhas name => (is => "rw");\n1;\n' >"$CASE/Person.pm"
c perl_missing_module_use missing_dependency perl 'perl -I. -e "use Person"'
c perl_die runtime_error perl "perl -e 'die \"cannot parse config: unexpected token at line 3\\n\"'"
c perl_open_missing file_not_found perl "perl -e 'open(my \$fh, \"<\", \"data/input.csv\") or die \"open data/input.csv: \$!\\n\"'"
c perl_strict_vars syntax_error perl "perl -Mstrict -e '\$count = 1; print \$count'"
c perl_div_zero runtime_error perl "perl -e 'my @a = (); print 10 / scalar(@a)'"
c perl_undef_sub runtime_error perl "perl -e 'main::process_batch(1)'"
c perl_connect_refused network perl "perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => \"127.0.0.1:1\") or die \"connect: \$@\\n\"'"
c perl_out_of_memory out_of_memory perl "ulimit -v 120000; perl -e '\$s = \"x\" x (400 * 1024 * 1024)'"
prep perl_prove_fail
mkdir -p "$CASE/t"
printf 'use Test::More tests => 2;\nok(1, "loads");\nis(2 + 2, 5, "adds");\n' >"$CASE/t/basic.t"
c perl_prove_fail test_failure perl 'prove t/'
c perl_bad_switch usage_error perl 'perl -Q script.pl'
c perl_self_kill_term killed perl "perl -e 'kill \"TERM\", \$\$; sleep 5'"

# ================================================================ ruby
c ruby_load_error missing_dependency ruby "ruby -e 'require \"nokogiri\"; puts Nokogiri::VERSION'"
prep ruby_require_relative
printf 'require_relative "lib/client"\nClient.new.run\n' >"$CASE/main.rb"
c ruby_require_relative file_not_found ruby 'ruby main.rb'
c ruby_no_method runtime_error ruby "ruby -e 'user = nil; puts user.email'"
c ruby_syntax_error syntax_error ruby "ruby -e 'def total(a) a.sum'"
prep ruby_syntax_file
printf 'class Cart\n  def add(item)\n    @items << item\n  end\n\n  def total\n    @items.sum { |i| i.price \n  end\nend\n' >"$CASE/cart.rb"
c ruby_syntax_file syntax_error ruby 'ruby cart.rb'
c ruby_zero_division runtime_error ruby "ruby -e 'puts 100 / 0'"
c ruby_enoent file_not_found ruby "ruby -e 'File.read(\"config/database.yml\")'"
c ruby_econnrefused network ruby "ruby -rnet/http -e 'Net::HTTP.get(URI(\"http://127.0.0.1:1/status\"))'"
c ruby_name_error runtime_error ruby "ruby -e 'puts Settings.timeout'"
c ruby_stack_too_deep runtime_error ruby "ruby -e 'def f(n) = f(n + 1); f(0)'"
prep ruby_minitest_fail
printf 'require "minitest/autorun"\nclass TestSlug < Minitest::Test\n  def test_slug\n    assert_equal "hello-world", "Hello World".downcase\n  end\nend\n' >"$CASE/test_slug.rb"
c ruby_minitest_fail test_failure ruby 'ruby test_slug.rb'
c ruby_gem_not_found missing_dependency ruby 'gem install --local rails-html-sanitizer-x'
c ruby_raise_custom runtime_error ruby "ruby -e 'class QuotaExceeded < StandardError; end; raise QuotaExceeded, \"monthly quota of 1000 requests used\"'"
AS=nobody c ruby_eacces permission_denied ruby "ruby -e 'File.write(\"/etc/app.pid\", Process.pid.to_s)'" 
c ruby_bad_option usage_error ruby 'ruby --jit-bogus app.rb'
prep ruby_rake_fail
printf 'task :default do\n  sh "ruby -e \\"exit 3\\""\nend\n' >"$CASE/Rakefile"
c ruby_rake_fail runtime_error ruby 'rake'
c ruby_eaddrinuse port_in_use ruby "ruby -rsocket -e 'TCPServer.new(\"127.0.0.1\", $PORT_BUSY)'"

# ================================================================ php
c php_parse_error syntax_error php "php -r 'echo \"total: \" . ;'"
prep php_parse_file
printf '<?php\nfunction render($items) {\n    foreach ($items as $i) {\n        echo $i\n    }\n}\n' >"$CASE/index.php"
c php_parse_file syntax_error php 'php index.php'
c php_undefined_function runtime_error php "php -r 'mb_str_pad_fancy(\"x\", 3);'"
c php_memory_exhausted out_of_memory php "php -d memory_limit=8M -r '\$a = []; while (true) { \$a[] = str_repeat(\"x\", 1024); }'"
c php_require_missing file_not_found php "php -r 'require \"vendor/autoload.php\";'"
c php_class_not_found missing_dependency php "php -r '\$r = new Redis(); \$r->connect(\"127.0.0.1\");'"
c php_type_error runtime_error php "php -r 'function add(int \$a, int \$b) { return \$a + \$b; } echo add(\"one\", 2);'"
c php_uncaught_exception runtime_error php "php -r 'throw new RuntimeException(\"payment gateway returned status 502\");'"
c php_division_by_zero runtime_error php "php -r 'echo intdiv(10, 0);'"
c php_max_execution_time timeout php "php -d max_execution_time=1 -r 'while (true) {}'"
c php_fsockopen_refused network php "php -r '\$f = fsockopen(\"127.0.0.1\", 1, \$no, \$err, 2); if (!\$f) { fwrite(STDERR, \"connect failed: \$err (\$no)\\n\"); exit(1); }'"
c php_file_get_contents_404 file_not_found php "php -r 'if (file_get_contents(\"http://127.0.0.1:$PORT_HTTP/releases/latest.json\") === false) exit(1);'"
c php_bad_option usage_error php 'php --bogus-flag'
AS=nobody c php_fopen_denied permission_denied php "php -r 'if (!fopen(\"/root/notes.txt\", \"w\")) exit(1);'"

# ================================================================ go
gomod go_undefined 'package main

import "fmt"

func main() {
	fmt.Println(totl)
}'
c go_undefined compile_error go 'go build ./...'
gomod go_unused_import 'package main

import (
	"fmt"
	"os"
)

func main() { fmt.Println("hi") }'
c go_unused_import compile_error go 'go vet . && go build -o app .'
gomod go_type_mismatch 'package main

func port() int { return "8080" }

func main() { _ = port() }'
c go_type_mismatch compile_error go 'go run main.go'
gomod go_panic_index 'package main

import "fmt"

func main() {
	args := []string{}
	fmt.Println(args[2])
}'
c go_panic_index runtime_error go 'go run . -v'
gomod go_nil_map 'package main

func main() {
	var counts map[string]int
	counts["a"]++
}'
(cd "$CASE" && go build -o wordcount . 2>/dev/null)
c go_nil_map runtime_error go './wordcount'
gomod go_deadlock 'package main

func main() {
	ch := make(chan int)
	ch <- 1
}'
(cd "$CASE" && go build -o queue . 2>/dev/null)
c go_deadlock runtime_error go './queue'
gomod go_missing_module 'package main

import "github.com/spf13/cobra"

func main() { _ = cobra.Command{} }'
c go_missing_module missing_dependency go 'go build -o cli .'
gomod go_test_fail 'package main

func Add(a, b int) int { return a - b }

func main() {}'
printf 'package main\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n\tif got := Add(2, 2); got != 4 {\n\t\tt.Errorf("Add(2, 2) = %%d, want 4", got)\n\t}\n}\n' >"$CASE/main_test.go"
c go_test_fail test_failure go 'go test ./...'
gomod go_test_timeout 'package main

func main() {}'
printf 'package main\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestSlow(t *testing.T) { time.Sleep(10 * time.Second) }\n' >"$CASE/slow_test.go"
c go_test_timeout timeout go 'go test -timeout 1s .'
gomod go_test_build_fail 'package main

func main() {}'
printf 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) { var n int = "x"; _ = n }\n' >"$CASE/x_test.go"
c go_test_build_fail compile_error go 'go test .'
gomod go_bad_gomod 'package main

func main() {}'
printf 'module example.com/demo\n\ngo 1.19\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n' >"$CASE/go.mod"
c go_bad_gomod syntax_error go 'go build .'
prep go_no_gomod
printf 'package main\nfunc main() {}\n' >"$CASE/main.go"
c go_no_gomod file_not_found go 'GO111MODULE=on go build -o app .'
c go_unknown_command usage_error go 'go biuld .'
c go_run_missing_file file_not_found go 'go run cmd/server/main.go'
gomod go_log_fatal_open 'package main

import (
	"log"
	"os"
)

func main() {
	if _, err := os.Open("settings.toml"); err != nil {
		log.Fatal(err)
	}
}'
(cd "$CASE" && go build -o loadcfg . 2>/dev/null)
c go_log_fatal_open file_not_found go './loadcfg'
gomod go_dial_refused 'package main

import (
	"fmt"
	"net/http"
	"os"
)

func main() {
	if _, err := http.Get("http://127.0.0.1:1/healthz"); err != nil {
		fmt.Fprintln(os.Stderr, "health check:", err)
		os.Exit(1)
	}
}'
(cd "$CASE" && go build -o healthcheck . 2>/dev/null)
c go_dial_refused network go './healthcheck'
gomod go_listen_busy "package main

import (
	\"log\"
	\"net/http\"
)

func main() { log.Fatal(http.ListenAndServe(\"127.0.0.1:$PORT_BUSY\", nil)) }"
(cd "$CASE" && go build -o apiserver . 2>/dev/null)
c go_listen_busy port_in_use go './apiserver'
gomod go_oom 'package main

func main() {
	var keep [][]byte
	for {
		keep = append(keep, make([]byte, 64<<20))
	}
}'
(cd "$CASE" && go build -o app . 2>/dev/null)
c go_oom out_of_memory go 'ulimit -v 400000; ./app'
gomod go_custom_panic 'package main

import "errors"

func main() { panic(errors.New("migrate: dirty database version 12, fix and force version")) }'
c go_custom_panic runtime_error go 'go run example.com/demo'

# ================================================================ node / npm
npmpkg() { # npmpkg NAME SCRIPTS_JSON
    prep "$1"; printf '{"name":"demo","version":"1.0.0","private":true,"scripts":%s}\n' "$2" >"$CASE/package.json"
}
npmpkg npm_run_nested_throw '{"build":"node scripts/build.js"}'
mkdir -p "$CASE/scripts"; printf "const fs = require('fs');\nconst cfg = JSON.parse(fs.readFileSync('build.config.json', 'utf8'));\n" >"$CASE/scripts/build.js"
c npm_run_nested_throw file_not_found npm 'npm run build'
npmpkg npm_run_nested_syntax '{"start":"node src/index.js"}'
mkdir -p "$CASE/src"; printf 'const routes = [\n  "/a",\n  "/b"\n;\nmodule.exports = routes;\n' >"$CASE/src/index.js"
c npm_run_nested_syntax syntax_error npm 'npm start'
npmpkg npm_test_nested_fail '{"test":"node --test"}'
printf "const test = require('node:test');\nconst assert = require('node:assert');\ntest('formats price', () => { assert.strictEqual((1.005).toFixed(2), '1.01'); });\n" >"$CASE/price.test.js"
c npm_test_nested_fail test_failure npm 'npm test'
npmpkg npm_test_color_fail '{"test":"node --test"}'
printf "const test = require('node:test');\nconst assert = require('node:assert');\ntest('parses date', () => { assert.deepStrictEqual({y: 2024, m: 1}, {y: 2024, m: 2}); });\n" >"$CASE/date.test.js"
COLOR=1 c npm_test_color_fail test_failure npm 'FORCE_COLOR=1 npm test --color=always'
npmpkg npm_missing_script '{"build":"echo ok"}'
c npm_missing_script usage_error npm 'npm run deploy'
prep npm_bad_package_json
printf '{\n  "name": "demo",\n  "version": "1.0.0",\n  "scripts": { "build": "tsc" },\n}\n' >"$CASE/package.json"
c npm_bad_package_json syntax_error npm 'npm run build --if-present'
npmpkg npm_offline_missing '{}'
c npm_offline_missing missing_dependency npm 'npm install --offline left-pad-extra@1.3.0'
npmpkg npm_registry_404 '{}'
c npm_registry_404 missing_dependency npm "npm install --registry http://127.0.0.1:$PORT_HTTP/npm/ expresss"
npmpkg npm_registry_401 '{}'
c npm_registry_401 auth_failure npm "npm install --registry http://127.0.0.1:$PORT_HTTP/npm-private/ @acme/ui-kit"
npmpkg npm_registry_refused '{}'
c npm_registry_refused network npm 'npm install --fetch-retries=0 --registry http://127.0.0.1:1/ react'
npmpkg npm_run_missing_bin '{"lint":"eslint src/"}'
c npm_run_missing_bin command_not_found npm 'npm run lint'
npmpkg npm_run_exit_code '{"check":"node -e \"process.exitCode = 4\""}'
c npm_run_exit_code unknown npm 'npm run check --silent'
npmpkg npm_ci_no_lock '{}'
c npm_ci_no_lock file_not_found npm 'npm ci'
c npx_no_install network npm 'npx --no-install prettier --check .'
c node_err_module_not_found missing_dependency node "node --input-type=module -e \"import chalk from 'chalk'; console.log(chalk.red('x'))\""
c node_stack_overflow runtime_error node "node -e 'function walk(n) { return walk(n + 1) } walk(0)'"
c node_unhandled_rejection runtime_error node "node -e \"Promise.reject(new Error('token refresh failed: invalid_grant'))\""
c node_econnrefused_http network node "node -e \"require('http').get('http://127.0.0.1:1/metrics')\""
c node_enotfound network node "node -e \"require('https').get('https://registry.example.invalid/pkg')\""
c node_eaddrinuse_net port_in_use node "node -e \"require('net').createServer().listen($PORT_BUSY, '127.0.0.1')\""
c node_eisdir usage_error node "node -e \"require('fs').readFileSync('/tmp')\""
c node_enoent_readfile file_not_found node "node -e \"require('fs').readFileSync('.env.production')\""
c node_abort runtime_error node "node -e 'process.abort()'"
c node_assert runtime_error node "node -e \"require('assert').ok(process.env.API_KEY, 'API_KEY must be set')\""
c node_heap_oom_color out_of_memory node "node --max-old-space-size=24 -e \"let s = []; for (;;) s.push({a: Math.random(), b: 'x'.repeat(64)})\""
c node_bad_flag usage_error node 'node --no-such-flag index.js'
c node_range_error runtime_error node "node -e \"new Array(-1)\""
c node_json_syntax_file syntax_error node "echo '{\"port\": 80,}' > cfg.json && node -e \"require('./cfg.json')\""
c node_emfile resource_limit node "ulimit -n 20; node -e \"const fs = require('fs'); for (let i = 0; i < 200; i++) fs.openSync('/dev/null', 'r')\""
c node_timeout_signal timeout node "node -e \"fetch('http://127.0.0.1:$PORT_SILENT/', {signal: AbortSignal.timeout(500)}).catch(e => { console.error(e); process.exit(1) })\""
c node_tls_self_signed network node "node -e \"require('https').get('https://127.0.0.1:$PORT_TLS_SELF/').on('error', e => { console.error(e); process.exit(1) })\""

# ================================================================ python / pip
pyf() { prep "$1"; printf '%s\n' "$2" >"$CASE/$3"; }
pyf py_pytest_color 'def inc(x):
    return x + 1

def test_inc():
    assert inc(3) == 5

def test_ok():
    assert inc(1) == 2' test_inc.py
COLOR=1 c py_pytest_color test_failure python 'python3 -m pytest --color=yes -q'
pyf py_pytest_error_collect 'from hypothesis import given, strategies as st

@given(st.integers())
def test_abs(n):
    assert abs(n) >= 0' test_cfg.py
c py_pytest_error_collect missing_dependency python 'python3 -m pytest -q -p no:cacheprovider'
pyf py_pytest_fixture_error 'def test_db(database):
    assert database.ping()' test_db.py
c py_pytest_fixture_error test_failure python 'python3 -m pytest -q -p no:cacheprovider test_db.py'
c py_pytest_no_tests unknown python 'python3 -m pytest -p no:cacheprovider'
c py_pytest_missing_file file_not_found python 'python3 -m pytest tests/test_api.py'
pyf py_rich_traceback 'from rich.traceback import install
install(width=100)
def load(path):
    with open(path) as f:
        return f.read()
load("settings/local.toml")' app.py
COLOR=1 c py_rich_traceback file_not_found python 'FORCE_COLOR=1 python3 app.py'
pyf py_rich_zero 'from rich.console import Console
c = Console(force_terminal=True, width=90)
try:
    ratio = 1 / 0
except Exception:
    c.print_exception()
    raise SystemExit(1)' calc.py
c py_rich_zero runtime_error python 'python3 calc.py'
c py_attribute_error runtime_error python "python3 -c \"import os; os.getcwdu()\""
c py_type_error runtime_error python "python3 -c \"print('total: ' + 3)\""
c py_recursion runtime_error python "python3 -c 'def f(n): return f(n+1)
f(0)'"
c py_module_not_found_polars missing_dependency python "python3 -c 'import polars as pl; pl.read_csv(\"x.csv\")'"
c py_import_error_name missing_dependency python "python3 -c 'from collections import Mapping'"
c py_file_not_found_csv file_not_found python "python3 -c \"import csv; list(csv.reader(open('exports/2024-01.csv')))\""
c py_is_a_directory usage_error python "python3 -c \"open('/etc').read()\""
c py_connection_refused_requests network python "python3 -c \"import requests; requests.get('http://127.0.0.1:1/api/v2/items', timeout=2)\""
c py_requests_timeout network python "python3 -c \"import requests; requests.get('http://127.0.0.1:$PORT_SILENT/slow', timeout=1)\""
c py_ssl_verify network python "python3 -c \"import urllib.request; urllib.request.urlopen('https://127.0.0.1:$PORT_TLS_SELF/')\""
c py_http_403 auth_failure python "python3 -c \"import requests; r = requests.get('http://127.0.0.1:$PORT_HTTP/admin/config'); r.raise_for_status()\""
c py_memory_error_list out_of_memory python "ulimit -v 250000; python3 -c 'x = [0] * (10**9)'"
c py_os_error_emfile resource_limit python "ulimit -n 10; python3 -c \"import socket; s = [socket.socket() for _ in range(50)]\""
c py_unicode_decode runtime_error python "printf '\xff\xfe\x00bad' > data.txt && python3 -c \"open('data.txt', encoding='utf-8').read()\""
c py_assertion runtime_error python "python3 -c \"assert 2 + 2 == 5, 'checksum mismatch'\""
c py_sys_exit_2 unknown python "python3 -c 'import sys; sys.exit(2)'"
c py_keyboard_interrupt killed python "python3 -c 'raise KeyboardInterrupt'"
c py_tabs_error syntax_error python "printf 'if True:\n\tx = 1\n        y = 2\n' > t.py && python3 t.py"
c py_f_string_syntax syntax_error python "python3 -c 'print(f\"{x!}\")'"
c py_bad_option usage_error python 'python3 -X importtime_bogus -Q app.py'
c py_venv_missing_python command_not_found python './.venv/bin/python -m app'
c py_click_missing_option usage_error python "python3 -c \"import argparse; p = argparse.ArgumentParser(prog='etl'); p.add_argument('source'); p.add_argument('--date', type=int); p.parse_args(['--date', 'today'])\""
c py_sqlite_operational file_not_found python "python3 -c \"import sqlite3; sqlite3.connect(':memory:').execute('select * from users')\""
c py_asyncio_timeout timeout python "python3 -c \"import asyncio; asyncio.run(asyncio.wait_for(asyncio.sleep(10), 0.5))\""
c py_subprocess_called_process runtime_error python "python3 -c \"import subprocess; subprocess.run(['git', 'rev-parse', 'HEAD'], check=True)\""
c py_json_decode syntax_error python "echo '{\"users\": [1, 2,]}' > users.json && python3 -c \"import json; json.load(open('users.json'))\""
c py_port_in_use_flaskish port_in_use python "python3 -c \"from wsgiref.simple_server import make_server; make_server('127.0.0.1', $PORT_BUSY, None)\""
AS=nobody c py_permission_error_write permission_denied python "python3 -c \"open('/etc/passwd', 'a').write('x')\""
AS=nobody c py_permission_error_mkdir permission_denied python "python3 -c \"import os; os.makedirs('/var/cache/myapp/thumbs')\""
c pip_requirements_missing file_not_found pip 'python3 -m pip install -r requirements-dev.txt'
c pip_no_matching_local_index missing_dependency pip "python3 -m pip install --index-url http://127.0.0.1:$PORT_HTTP/simple/ djangoo==4.2"
c pip_index_refused network pip 'python3 -m pip install --index-url http://127.0.0.1:1/simple/ --retries 0 --timeout 2 httpx'
c pip_invalid_requirement syntax_error pip "python3 -m pip install 'requests=>2.0'"
prep pip_build_c_ext_error
mkdir -p "$CASE/fastsum"
printf 'from setuptools import setup, Extension\nsetup(name="fastsum", version="0.1", ext_modules=[Extension("fastsum", ["fastsum.c"])])\n' >"$CASE/fastsum/setup.py"
printf '#include <Python.h>\nstatic PyObject *s(PyObject *self, PyObject *args) { return PyLong_FromLong(undeclared_total); }\n' >"$CASE/fastsum/fastsum.c"
c pip_build_c_ext_error compile_error pip 'python3 -m pip install --no-build-isolation --no-deps ./fastsum'
prep pip_build_missing_header
mkdir -p "$CASE/xmlfast"
printf 'from setuptools import setup, Extension\nsetup(name="xmlfast", version="0.1", ext_modules=[Extension("xmlfast", ["xmlfast.c"])])\n' >"$CASE/xmlfast/setup.py"
printf '#include <Python.h>\n#include <libxml/parser.h>\n' >"$CASE/xmlfast/xmlfast.c"
c pip_build_missing_header missing_dependency pip 'python3 -m pip install --no-build-isolation --no-deps ./xmlfast'
prep pip_setup_py_import
mkdir -p "$CASE/legacy"
printf 'import numpy\nfrom setuptools import setup\nsetup(name="legacy", version="0.1", include_dirs=[numpy.get_include()])\n' >"$CASE/legacy/setup.py"
c pip_setup_py_import missing_dependency pip 'python3 -m pip install --no-build-isolation --no-deps ./legacy'
c pip_no_such_path file_not_found pip 'python3 -m pip install ./packages/core'
c pip_bad_option usage_error pip 'python3 -m pip install --no-such-option flask'

# ================================================================ rust
crate rust_color_e0599 'struct Job;
fn main() { Job.run(); }'
COLOR=1 c rust_color_e0599 compile_error rust 'cargo build --offline --color always'
crate rust_e0433 'fn main() { let m = HashMap::<u8, u8>::new(); println!("{}", m.len()); }'
c rust_e0433 compile_error rust 'cargo check --offline'
crate rust_unresolved_import 'use crate::config::Settings;
fn main() {}'
c rust_unresolved_import compile_error rust 'cargo build --offline --message-format short'
crate rust_test_color 'fn slug(s: &str) -> String { s.to_lowercase() }
fn main() { println!("{}", slug("A B")); }
#[cfg(test)]
mod tests {
    #[test]
    fn slugs() { assert_eq!(super::slug("A B"), "a-b"); }
    #[test]
    fn keeps() { assert_eq!(super::slug("a"), "a"); }
}'
COLOR=1 c rust_test_color test_failure rust 'cargo test --offline --color always'
crate rust_test_should_panic 'fn main() {}
#[cfg(test)]
mod tests {
    #[test]
    #[should_panic(expected = "empty")]
    fn rejects_empty() { let _ = 1; }
}'
c rust_test_should_panic test_failure rust 'cargo test --offline -q -- --test-threads=1'
crate rust_unwrap_none 'fn main() {
    let port: Option<u16> = std::env::var("PORT").ok().and_then(|p| p.parse().ok());
    println!("{}", port.unwrap());
}'
(cd "$CASE" && cargo build --offline -q 2>/dev/null && cp target/debug/demo portcfg)
c rust_unwrap_none runtime_error rust './portcfg'
crate rust_expect_io 'fn main() {
    let s = std::fs::read_to_string("Config.local.toml").expect("failed to read config");
    println!("{s}");
}'
(cd "$CASE" && cargo build --offline -q 2>/dev/null)
c rust_expect_io file_not_found rust 'RUST_BACKTRACE=0 ./target/debug/demo'
crate rust_overflow 'fn main() {
    let n: u8 = std::env::args().count() as u8 + 254;
    let m = n + 1;
    println!("{m}");
}'
c rust_overflow runtime_error rust 'cargo run --offline -q -- a'
crate rust_stack_overflow 'fn depth(n: u64) -> u64 { let pad = [n; 64]; depth(n + pad[3]) + 1 }
fn main() { println!("{}", depth(1)); }'
(cd "$CASE" && cargo build --offline -q 2>/dev/null && cp target/debug/demo depth)
c rust_stack_overflow runtime_error rust './depth'
crate rust_alloc_fail 'fn main() {
    let v: Vec<u8> = Vec::with_capacity(1usize << 40);
    println!("{}", v.capacity());
}'
(cd "$CASE" && cargo build --offline -q 2>/dev/null)
c rust_alloc_fail out_of_memory rust 'ulimit -v 300000; ./target/debug/demo'
crate rust_process_abort 'fn main() { eprintln!("invariant broken: ledger out of balance"); std::process::abort(); }'
(cd "$CASE" && cargo build --offline -q 2>/dev/null && cp target/debug/demo ledger)
c rust_process_abort runtime_error rust './ledger'
crate rust_bind_in_use "fn main() { std::net::TcpListener::bind(\"127.0.0.1:$PORT_BUSY\").unwrap(); }"
(cd "$CASE" && cargo build --offline -q 2>/dev/null && cp target/debug/demo listener)
c rust_bind_in_use port_in_use rust './listener'
crate rust_connect_refused 'fn main() { std::net::TcpStream::connect("127.0.0.1:1").expect("connect to redis"); }'
(cd "$CASE" && cargo build --offline -q 2>/dev/null && cp target/debug/demo redis-probe)
c rust_connect_refused network rust './redis-probe'
crate rust_bad_manifest_key 'fn main() {}'
sed -i 's/edition = "2021"/edition = "2030"/' "$CASE/Cargo.toml"
c rust_bad_manifest_key syntax_error rust 'cargo build --offline -q'
crate rust_missing_bin 'fn main() {}'
c rust_missing_bin usage_error rust 'cargo run --offline --bin server'
crate rust_missing_feature 'fn main() {}'
c rust_missing_feature usage_error rust 'cargo build --offline --features tls'
crate rust_rustc_direct_error 'fn main() {}'
printf 'fn main() { let x: i32 = "5"; }\n' >"$CASE/single.rs"
c rust_rustc_direct_error compile_error rust 'rustc single.rs'
crate rust_clippy_deny 'fn main() { let v = vec![1, 2]; if v.len() == 0 { println!("empty"); } }'
c rust_clippy_deny compile_error rust 'cargo clippy --offline -q -- -D warnings'
crate rust_build_script_panic 'fn main() {}'
printf 'fn main() { let _ = std::env::var("PROTOC").expect("PROTOC must point to protoc"); }\n' >"$CASE/build.rs"
c rust_build_script_panic missing_dependency rust 'cargo build --offline --bins'

# ================================================================ c / c++
cc_bin() { # cc_bin NAME SRC [CFLAGS...]  -> ./app
    local n=$1 src=$2; shift 2
    prep "$n"; printf '%s\n' "$src" >"$CASE/app.c"; (cd "$CASE" && gcc "$@" -o "${BIN:-app}" app.c 2>/dev/null)
}
BIN=cfgdump cc_bin c_sigsegv_null_struct '#include <stdio.h>
struct cfg { const char *name; };
int main(void) { struct cfg *c = NULL; printf("%s\n", c->name); return 0; }' -O0
c c_sigsegv_null_struct runtime_error c './cfgdump'
BIN=walker cc_bin c_sigsegv_stack '#include <stdio.h>
int rec(int n) { volatile char buf[512]; buf[0] = n; return rec(n + 1) + buf[0]; }
int main(void) { return rec(0); }' -O0
c c_sigsegv_stack runtime_error c './walker'
BIN=mmapper cc_bin c_sigbus_mmap '#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    int fd = open("data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    ftruncate(fd, 65536);
    char *p = mmap(0, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ftruncate(fd, 0);
    p[8192] = 1;
    return 0;
}'
c c_sigbus_mmap runtime_error c './mmapper'
BIN=ratio cc_bin c_sigfpe '#include <stdlib.h>
int main(int argc, char **argv) { int d = argc - 1; return 100 / d; }' -O0
c c_sigfpe runtime_error c './ratio'
cc_bin c_malloc_fail_abort '#include <stdio.h>
#include <stdlib.h>
int main(void) {
    void *p = malloc((size_t)8 << 30);
    if (!p) { fprintf(stderr, "fatal: cannot allocate 8 GiB buffer\n"); abort(); }
    return 0;
}'
c c_malloc_fail_abort out_of_memory c 'ulimit -v 200000; ./app'
BIN=pool cc_bin c_double_free '#include <stdlib.h>
int main(void) { char *p = malloc(32); free(p); free(p); return 0; }' -O0
c c_double_free runtime_error c './pool'
BIN=asan_demo cc_bin c_asan_overflow '#include <stdlib.h>
int main(void) { int *a = malloc(4 * sizeof(int)); a[4] = 1; return a[0]; }' -fsanitize=address -g
c c_asan_overflow runtime_error c './asan_demo'
BIN=bits cc_bin c_ubsan_shift '#include <stdio.h>
int main(int argc, char **argv) { int s = 31 + argc; printf("%d\n", 1 << s); return 1; }' -fsanitize=undefined -fno-sanitize-recover=undefined
c c_ubsan_shift runtime_error c './bits'
BIN=storage cc_bin c_assert_abort '#include <assert.h>
#include <string.h>
int main(void) { const char *mode = "rw"; assert(strcmp(mode, "ro") == 0 && "storage must be read-only"); return 0; }'
c c_assert_abort runtime_error c './storage'
BIN=appd cc_bin c_perror_enoent '#include <stdio.h>
int main(void) { FILE *f = fopen("/etc/myapp/app.conf", "r"); if (!f) { perror("fopen /etc/myapp/app.conf"); return 2; } return 0; }'
c c_perror_enoent file_not_found c './appd'
BIN=exit42 cc_bin c_silent_exit '#include <stdlib.h>
int main(void) { exit(42); }'
c c_silent_exit unknown c './exit42'
prep c_gcc_implicit_decl
printf 'int main(void) { return compute_checksum(3); }\n' >"$CASE/main.c"
c c_gcc_implicit_decl compile_error c 'gcc -Werror=implicit-function-declaration -c main.c'
prep c_gcc_color
printf '#include <stdio.h>\nint main(void) {\n  printf("%%d\\n", missing);\n}\n' >"$CASE/main.c"
COLOR=1 c c_gcc_color compile_error c 'gcc -fdiagnostics-color=always -o main main.c'
prep cpp_template_error
printf '#include <vector>\n#include <string>\nint main() { std::vector<int> v; v.push_back(std::string("x")); }\n' >"$CASE/main.cpp"
c cpp_template_error compile_error c 'g++ -Wall -o main main.cpp'
prep cpp_missing_header_boost
printf '#include <boost/asio.hpp>\nint main() {}\n' >"$CASE/main.cpp"
c cpp_missing_header_boost missing_dependency c 'g++ -c main.cpp'
prep c_multiple_definition
printf 'int counter = 1;\n' >"$CASE/a.c"; printf 'int counter = 2;\nint main(void) { return counter; }\n' >"$CASE/b.c"
c c_multiple_definition compile_error c 'gcc -o app a.c b.c'
prep cpp_uncaught_exception
printf '#include <stdexcept>\nint main() { throw std::runtime_error("schema version 7 not supported"); }\n' >"$CASE/main.cpp"
(cd "$CASE" && g++ -o migrate main.cpp)
c cpp_uncaught_exception runtime_error c './migrate'
prep cpp_vector_at
printf '#include <vector>\nint main() { std::vector<int> v(3); return v.at(10); }\n' >"$CASE/main.cpp"
(cd "$CASE" && g++ -o lookup main.cpp)
c cpp_vector_at runtime_error c './lookup'
prep c_gcc_unknown_option; printf 'int x;\n' >"$CASE/x.c"
c c_gcc_unknown_option usage_error c 'gcc -fno-such-flag -c x.c'
prep c_ld_cannot_find
printf 'int main(void){return 0;}\n' >"$CASE/m.c"
c c_ld_cannot_find missing_dependency c 'gcc -o m m.c -lssl3xx'

# ================================================================ make
mk() { prep "$1"; printf '%b' "$2" >"$CASE/Makefile"; }
mk make_nested_gcc_subdir 'all:\n\t$(MAKE) -C lib\n'
mkdir -p "$CASE/lib"; printf 'libx.a: x.o\n\tar rcs $@ $^\nx.o: x.c\n\tcc -c x.c\n' >"$CASE/lib/Makefile"
printf 'int f(void) { return "s" * 2; }\n' >"$CASE/lib/x.c"
c make_nested_gcc_subdir compile_error make 'make all'
mk make_no_rule_prereq 'app: main.o util.o\n\tcc -o app $^\n'
printf 'int main(void){return 0;}\n' >"$CASE/main.c"
c make_no_rule_prereq file_not_found make 'make app'
mk make_include_missing 'include config.mk\nall:\n\t@echo $(CC)\n'
c make_include_missing file_not_found make 'make -s'
mk make_error_function 'ifndef VERSION\n$(error VERSION is not set; run make VERSION=x.y.z)\nendif\nrelease:\n\t@echo $(VERSION)\n'
c make_error_function usage_error make 'make release'
mk make_recursive_var 'CFLAGS = $(CFLAGS) -O2\nall:\n\t@echo $(CFLAGS)\n'
c make_recursive_var syntax_error make 'make -j2'
mk make_python_step_fails 'data:\n\tpython3 gen.py > data.json\n'
printf 'import json\nrows = {"a": 1}\nprint(json.dumps(rows["b"]))\n' >"$CASE/gen.py"
c make_python_step_fails runtime_error make 'make data'
mk make_j_test_fail 'test: unit lint\nunit:\n\t@python3 -m unittest -q test_x\nlint:\n\t@true\n'
printf 'import unittest\nclass T(unittest.TestCase):\n    def test_len(self):\n        self.assertEqual(len("abc"), 4)\n' >"$CASE/test_x.py"
c make_j_test_fail test_failure make 'make -j2 test'
mk make_missing_tool_nested 'docs:\n\tsphinx-build -b html docs build/html\n'
c make_missing_tool_nested command_not_found make 'make docs'
mk make_keep_going 'all: a b\na:\n\t@cat missing-a.txt\nb:\n\t@cat missing-b.txt\n'
c make_keep_going file_not_found make 'make -k'
mk make_unknown_option 'all:\n\t@true\n'
c make_unknown_option usage_error make 'make --jobs-max=4'
mk make_cargo_nested 'build:\n\tcargo build --offline --manifest-path rs/Cargo.toml\n'
mkdir -p "$CASE/rs/src"; printf '[package]\nname = "rs"\nversion = "0.1.0"\nedition = "2021"\n' >"$CASE/rs/Cargo.toml"
printf 'fn main() { let s: String = 5; }\n' >"$CASE/rs/src/main.rs"
c make_cargo_nested compile_error make 'make -s build'
mk make_interrupted_sigterm 'long:\n\tsleep 30\n'
c make_interrupted_sigterm killed make '(sleep 1; kill -TERM $$) & exec make long'

# ================================================================ cmake
cm() { prep "$1"; printf '%b' "$2" >"$CASE/CMakeLists.txt"; }
cm cmake_syntax 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(app main.c\n'
c cmake_syntax syntax_error cmake 'cmake -S . -B build'
cm cmake_find_package 'cmake_minimum_required(VERSION 3.10)\nproject(demo CXX)\nfind_package(Boost 1.70 REQUIRED COMPONENTS filesystem)\n'
c cmake_find_package missing_dependency cmake 'cmake -B build'
cm cmake_pkg_config 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nfind_package(PkgConfig REQUIRED)\npkg_check_modules(GLIB REQUIRED glib-2.0>=2.70)\n'
c cmake_pkg_config missing_dependency cmake 'cmake -S . -B build -G "Unix Makefiles"'
cm cmake_missing_source 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(app src/main.c)\n'
c cmake_missing_source file_not_found cmake 'cmake -S . -B _build'
prep cmake_no_lists
c cmake_no_lists file_not_found cmake 'cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release'
cm cmake_build_compile_error 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nadd_executable(app main.c)\n'
printf 'int main(void) { return nope(); }\nint x = ;\n' >"$CASE/main.c"
(cd "$CASE" && cmake -S . -B build >/dev/null 2>&1)
c cmake_build_compile_error compile_error cmake 'cmake --build build'
cm cmake_ctest_fail 'cmake_minimum_required(VERSION 3.10)\nproject(demo C)\nenable_testing()\nadd_executable(t t.c)\nadd_test(NAME parser_roundtrip COMMAND t)\n'
printf '#include <stdio.h>\nint main(void) { fprintf(stderr, "expected 3 tokens, got 2\\n"); return 1; }\n' >"$CASE/t.c"
(cd "$CASE" && cmake -S . -B build >/dev/null 2>&1 && cmake --build build >/dev/null 2>&1)
c cmake_ctest_fail test_failure cmake 'ctest --test-dir build --output-on-failure'
cm cmake_message_fatal 'cmake_minimum_required(VERSION 3.10)\nproject(demo NONE)\nif(NOT DEFINED TARGET_ARCH)\n  message(FATAL_ERROR "TARGET_ARCH must be given, e.g. -DTARGET_ARCH=x86_64")\nendif()\n'
c cmake_message_fatal usage_error cmake 'cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug'
cm cmake_no_compiler 'cmake_minimum_required(VERSION 3.10)\nproject(demo Fortran)\n'
c cmake_no_compiler missing_dependency cmake 'cmake -S . -B build/fortran'
c cmake_bad_generator usage_error cmake 'cmake -G "Ninja Multi" -S . -B build'

# ================================================================ shell
c sh_bad_substitution syntax_error shell 'name=app; echo "${name:-default"'
c sh_unexpected_eof syntax_error shell "sh -c 'if true; then echo x'"
c sh_case_syntax syntax_error shell "bash -c 'case \$1 in a) echo a;; esac esac'"
prep sh_crlf_shebang
printf '#!/bin/bash\r\necho deploy\r\n' >"$CASE/deploy-prod.sh"; chmod +x "$CASE/deploy-prod.sh"
c sh_crlf_shebang command_not_found shell './deploy-prod.sh'
c sh_source_missing file_not_found shell 'source ./env/production.sh && echo loaded'
c sh_exec_missing command_not_found shell 'exec uvicorn app:main'
c sh_pipefail_grep unknown shell 'set -o pipefail; printf "a\nb\n" | grep -q zzz'
c sh_arg_list_too_long resource_limit shell '/bin/echo $(seq 1 400000) > /dev/null'
c sh_readonly_var runtime_error shell 'readonly DB=prod; DB=dev'
c sh_errexit_custom runtime_error shell 'set -e; echo "error: migration 0042 failed: column exists" >&2; exit 1'
c sh_set_u_array runtime_error shell 'set -u; declare -a hosts; echo "${hosts[0]}"'
c sh_noclobber runtime_error shell 'set -o noclobber; echo a > out.txt; echo b > out.txt'
c sh_dir_not_executable usage_error shell 'mkdir -p bin/tool && ./bin/tool --help'
c sh_cd_file usage_error shell 'touch notes && cd notes'
c sh_no_such_builtin_opt usage_error shell 'read -Z var'
c sh_exit_255 unknown shell 'exit 255'
c sh_test_integer usage_error shell '[ "abc" -gt 3 ]'
c sh_ulimit_fsize resource_limit shell 'ulimit -f 8; head -c 100000 /dev/zero > out.bin'
AS=nobody c sh_fork_bomb_limited resource_limit shell 'ulimit -u 1; ( : ) ; echo done'

# ================================================================ coreutils
c cu_mv_missing file_not_found coreutils 'mv build/app.tar.gz dist/'
c cu_rm_dir usage_error coreutils 'mkdir -p cache && rm cache'
c cu_chmod_missing file_not_found coreutils 'chmod +x scripts/release.sh'
c cu_chown_invalid_user usage_error coreutils 'touch f && chown deployer:www f'
c cu_date_invalid usage_error coreutils 'date -d "next blursday"'
c cu_seq_bad usage_error coreutils 'seq 1 x'
c cu_sort_bad_key usage_error coreutils 'echo a | sort -k 0'
c cu_stat_missing file_not_found coreutils 'stat -c %s dist/bundle.js'
c cu_sha256_mismatch runtime_error coreutils 'echo hello > a.txt && echo "0000000000000000000000000000000000000000000000000000000000000000  a.txt" > a.sha256 && sha256sum -c a.sha256'
c cu_tee_dev_full disk_full coreutils 'echo log | tee /dev/full'
c cu_mktemp_dir file_not_found coreutils 'mktemp -p /nonexistent/tmp build.XXXXXX'
c cu_ln_exists runtime_error coreutils 'touch a b && ln -s a b'
c cu_mkdir_parent file_not_found coreutils 'mkdir releases/2024/q1'
c cu_diff_missing file_not_found coreutils 'diff expected.txt actual.txt'
c cu_diff_differs unknown coreutils 'printf "a\n" > x && printf "b\n" > y && diff x y'
c cu_grep_missing_file file_not_found coreutils 'grep -n TODO src/main.rs'
c cu_grep_bad_regex syntax_error coreutils 'echo abc | grep -E "a(b"'
c cu_cmp_differs unknown coreutils 'printf a > x && printf b > y && cmp x y'
c cu_cp_dev_full disk_full coreutils 'cp /etc/os-release /dev/full'
AS=nobody c cu_install_denied permission_denied coreutils 'install -m 755 /bin/true /usr/local/bin/swfail-tool'
prep cu_touch_ro; mkdir -p "$CASE/ro"; mount -t tmpfs -o ro,size=64k tmpfs "$CASE/ro" && MOUNTS+=("$CASE/ro")
c cu_touch_ro permission_denied coreutils 'touch ro/.stamp'
c cu_timeout_124 timeout coreutils 'timeout 1 bash -c "while :; do sleep 0.2; done"'
c cu_timeout_kill timeout coreutils 'timeout -s KILL 1 python3 -c "import time; time.sleep(30)"'
c cu_timeout_kill_after timeout coreutils "timeout -k 1 1 sh -c 'trap \"\" TERM; sleep 10'"
c cu_nohup_missing command_not_found coreutils 'nohup celery worker -A app'
c cu_realpath_missing file_not_found coreutils 'realpath -e ./vendor/bin/phpunit'
c cu_cut_usage usage_error coreutils 'cut -f 1 -c 2 /etc/os-release'
c cu_tr_usage usage_error coreutils 'echo a | tr'
c cu_du_missing file_not_found coreutils 'du -sh node_modules'
c cu_xargs_255 unknown coreutils 'printf "a\nb\n" | xargs -I{} sh -c "echo {}; exit 255"'
c rsync_missing_source file_not_found rsync 'rsync -a assets/ dst/'
prep rsync_partial_23; mkdir -p "$CASE/src" "$CASE/dst"; echo x >"$CASE/src/a"; echo y >"$CASE/src/b"; chmod 000 "$CASE/src/b"; chmod 777 "$CASE/dst"
AS=nobody c rsync_partial_23 permission_denied rsync 'rsync -a src/ dst/'
c rsync_remote_refused network rsync 'rsync -a rsync://127.0.0.1:1/backup/ restore/'
c rsync_bad_option usage_error rsync 'rsync --archiv src/ dst/'

# ================================================================ signals
c sig_kill_silent killed signal 'kill -KILL $$'
c sig_kill_from_outside killed signal '(sleep 1; kill -KILL $$) & exec sleep 30'
c sig_term_from_outside killed signal '(sleep 1; kill -TERM $$) & exec python3 -c "import time; time.sleep(30)"'
c sig_child_killed_137 killed signal 'python3 -c "import time; time.sleep(30)" & (sleep 0.5; kill -9 $!) ; wait $!'
c sig_child_term_143 killed signal 'sleep 30 & pid=$!; kill -TERM $pid; wait $pid'
c sig_usr1_default killed signal 'kill -USR1 $$'
c sig_quit_core killed signal "sh -c 'kill -QUIT \$\$'"
c sig_pipe_writer killed signal 'python3 -c "import signal, os; signal.signal(signal.SIGPIPE, signal.SIG_DFL); os.kill(os.getpid(), signal.SIGPIPE)"'
c sig_alarm timeout signal "perl -e 'alarm 1; sleep 10'"
c sig_xcpu_python resource_limit signal 'ulimit -t 1; exec python3 -c "while True: pass"'
c sig_xfsz_dd resource_limit signal 'ulimit -f 16; exec dd if=/dev/zero of=big.img bs=1k count=1000'
LIMIT=wall_time:2 c sig_wall_limit_node timeout signal 'node -e "setInterval(() => {}, 1000)"'
LIMIT=output:20000 c sig_output_limit_python resource_limit signal 'python3 -c "
while True: print(\"progress: still working\")"'
c sig_segv_python_ctypes runtime_error signal 'python3 -c "import ctypes; ctypes.string_at(0)"'
c sig_abort_python_faulthandler runtime_error signal 'python3 -X faulthandler -c "import os; os.abort()"'
c sig_ill_c runtime_error signal "printf 'int main(void){ __builtin_trap(); }' > t.c && gcc -o t t.c && ./t"
c sig_bus_python runtime_error signal "python3 -c \"
import mmap, os
fd = os.open('d.bin', os.O_RDWR | os.O_CREAT); os.ftruncate(fd, 8192)
m = mmap.mmap(fd, 8192); os.ftruncate(fd, 0); m[4096]\""
c sig_kill_sh_child killed signal "sh -c 'sleep 20 & kill -9 \$!; wait \$!; exit \$?'"

# ================================================================ curl / wget
c curl_6_dns network curl 'curl -sS https://artifacts.internal.example/builds/latest.zip -o latest.zip'
c curl_7_ipv6 network curl 'curl -sS "http://[::1]:1/"'
c curl_28_connect_timeout network curl "curl -sS -m 1 http://127.0.0.1:$PORT_SILENT/report.csv"
c curl_22_404 file_not_found curl "curl -fsSL http://127.0.0.1:$PORT_HTTP/dist/v2.3.1/tool-linux-amd64.tar.gz -o tool.tgz"
c curl_22_401_upload auth_failure curl "curl -fsS -T /etc/os-release http://127.0.0.1:$PORT_HTTP/private/upload/os-release"
c curl_52_empty_reply network curl "curl -sS http://127.0.0.1:$PORT_CLOSE/"
c curl_60_self_signed network curl "curl -sS https://localhost:$PORT_TLS_SELF/api"
c curl_6_malformed_url usage_error curl 'curl -sS "http//127.0.0.1/api"'
c curl_2_unknown_option usage_error curl 'curl --frobnicate http://127.0.0.1:1/'
c curl_26_upload_missing file_not_found curl "curl -sS -T dist/app.zip http://127.0.0.1:$PORT_HTTP/upload/"
c curl_47_redirect_loop network curl "curl -sSL --max-redirs 3 http://127.0.0.1:$PORT_HTTP/loop"
c curl_verbose_403 auth_failure curl "curl -v -f http://127.0.0.1:$PORT_HTTP/forbidden/metrics"
c wget_4_refused network curl 'wget -q http://127.0.0.1:1/archive.tgz'
c wget_6_auth auth_failure curl "wget --user=ci --password=wrong http://127.0.0.1:$PORT_HTTP/secure/artifact.jar"
c wget_8_404 file_not_found curl "wget -nv http://127.0.0.1:$PORT_HTTP/pub/keys/release.asc"
c wget_dns network curl 'wget -nv https://mirror.example.invalid/debian/dists/stable/Release'

# ================================================================ git
gitrepo() { prep "$1"; (cd "$CASE" && git init -q -b main && git config user.email t@example.com && git config user.name t && echo base >f.txt && git add f.txt && git commit -qm base); }
gitrepo git_push_rejected
(cd "$CASE" && git init -q --bare -b main ../git_push_rejected_remote.git && git remote add origin ../git_push_rejected_remote.git && git push -q origin main &&
    git clone -q ../git_push_rejected_remote.git ../gpr_other 2>/dev/null && (cd ../gpr_other && git config user.email o@example.com && git config user.name o && echo other >o.txt && git add o.txt && git commit -qm other && git push -q origin main) &&
    echo mine >m.txt && git add m.txt && git commit -qm mine)
c git_push_rejected runtime_error git 'git push origin main'
gitrepo git_rebase_conflict
(cd "$CASE" && git checkout -qb topic && echo topic >f.txt && git commit -qam topic && git checkout -q main && echo main >f.txt && git commit -qam main && git checkout -q topic)
c git_rebase_conflict runtime_error git 'git rebase main'
gitrepo git_checkout_overwrite
(cd "$CASE" && git checkout -qb other && echo other >f.txt && git commit -qam other && git checkout -q main && echo dirty >f.txt)
c git_checkout_overwrite runtime_error git 'git checkout other'
gitrepo git_apply_fails
printf 'diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-something else\n+new\n' >"$CASE/fix.patch"
c git_apply_fails runtime_error git 'git apply fix.patch'
gitrepo git_bad_config
printf '[core\n\tbare = false\n' >>"$CASE/.git/config"
c git_bad_config syntax_error git 'git status'
gitrepo git_no_upstream
(cd "$CASE" && git checkout -qb feature/x)
c git_no_upstream usage_error git 'git pull'
gitrepo git_unknown_revision
c git_unknown_revision usage_error git 'git log v9.9.9..HEAD'
c git_clone_missing_local file_not_found git 'git clone file:///srv/git/platform.git'
c git_clone_ssh_refused network git "GIT_SSH_COMMAND='ssh -o BatchMode=yes' git clone ssh://git@127.0.0.1:1/team/api.git"
c git_clone_ssh_denied auth_failure git "GIT_SSH_COMMAND='ssh -i $WORK/svc/id_wrong $SSHO' git clone ssh://root@127.0.0.1/srv/repo.git"
c git_clone_http_404 file_not_found git "git clone http://127.0.0.1:$PORT_HTTP/team/missing-service"
gitrepo git_hook_rejects
printf '#!/bin/sh\necho "pre-commit: 2 files are not formatted (run cargo fmt)" >&2\nexit 1\n' >"$CASE/.git/hooks/pre-commit"; chmod +x "$CASE/.git/hooks/pre-commit"
c git_hook_rejects runtime_error git 'echo x >> f.txt && git commit -qam "wip"'
c git_lfs_missing missing_dependency git 'git init -q . && git lfs install'
gitrepo git_dest_exists
c git_dest_exists usage_error git 'mkdir -p out && touch out/x && git clone -q . out'
gitrepo git_branch_exists
c git_branch_exists usage_error git 'git branch main'
gitrepo git_stash_pop_conflict
(cd "$CASE" && echo stash >f.txt && git stash -q && echo committed >f.txt && git commit -qam c)
c git_stash_pop_conflict runtime_error git 'git stash pop'
gitrepo git_index_lock
touch "$CASE/.git/index.lock"
c git_index_lock runtime_error git 'echo y >> f.txt && git add f.txt'
gitrepo git_detached_push
c git_detached_push usage_error git 'git push'
gitrepo git_fsck_corrupt
(cd "$CASE" && obj=$(git rev-parse HEAD:f.txt) && f=".git/objects/${obj:0:2}/${obj:2}" && chmod u+w "$f" && printf 'garbage' >"$f")
c git_fsck_corrupt runtime_error git 'git cat-file -p HEAD:f.txt'

# ================================================================ docker / kubectl / terraform / apt
c docker_bad_flag usage_error docker 'docker run --rmm -it alpine sh'
c docker_daemon_tcp_refused network docker 'DOCKER_HOST=tcp://127.0.0.1:1 docker info'
c docker_unknown_context file_not_found docker 'docker --context staging-eu ps'
prep kubeconfigs
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:%s/k8s401"}\nusers:\n- name: u\n  user: {token: expired-token}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n' $PORT_HTTP >"$CASE/unauth.yaml"
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:%s/k8s403"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n' $PORT_HTTP >"$CASE/forbid.yaml"
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {token: abc}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n' >"$CASE/refused.yaml"
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:%s"}\ncontexts:\n- name: x\n  context: {cluster: c}\ncurrent-context: x\n' $PORT_SILENT >"$CASE/silent.yaml"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n spec:\n  replicas: 2\n' >"$CASE/bad.yaml"
K="$CASE"
c kubectl_unauthorized auth_failure kubectl "kubectl --kubeconfig $K/unauth.yaml get pods"
c kubectl_forbidden auth_failure kubectl "kubectl --kubeconfig $K/forbid.yaml get namespaces"
c kubectl_refused network kubectl "kubectl --kubeconfig $K/refused.yaml get nodes"
c kubectl_timeout network kubectl "kubectl --kubeconfig $K/silent.yaml --request-timeout=2s get deploy"
c kubectl_default_localhost network kubectl 'KUBECONFIG=/nonexistent/config kubectl get svc'
c kubectl_file_missing file_not_found kubectl "kubectl --kubeconfig $K/refused.yaml apply -f k8s/deployment.yaml"
c kubectl_bad_yaml syntax_error kubectl "kubectl --kubeconfig $K/refused.yaml apply --dry-run=client --validate=false -f $K/bad.yaml"
c kubectl_unknown_command usage_error kubectl 'kubectl rollout restat deploy/web'
c kubectl_unknown_flag usage_error kubectl 'kubectl get pods --namespcae prod'
tf() { prep "$1"; printf '%b' "$2" >"$CASE/main.tf"; }
tf tf_box_syntax 'variable "region" {\n  default = "eu-west-1"\n\nresource "terraform_data" "x" {}\n'
c tf_box_syntax syntax_error terraform 'terraform validate'
tf tf_undeclared_var 'resource "terraform_data" "x" {\n  input = var.image_tag\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c tf_undeclared_var compile_error terraform 'terraform -chdir=. validate -no-color'
prep tf_no_config
c tf_no_config file_not_found terraform 'terraform plan -input=false -no-color'
tf tf_provider_dns 'terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 5.0" }\n  }\n}\n'
c tf_provider_dns network terraform 'terraform init -input=false'
tf tf_local_exec_fails 'resource "terraform_data" "migrate" {\n  provisioner "local-exec" {\n    command = "echo applying schema; echo ERROR: relation \\"users\\" already exists >&2; exit 1"\n  }\n}\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c tf_local_exec_fails runtime_error terraform 'terraform apply -auto-approve -input=false'
tf tf_var_file_missing 'variable "n" { default = 1 }\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c tf_var_file_missing file_not_found terraform 'terraform plan -input=false -var-file=prod.tfvars'
tf tf_needs_init 'terraform {\n  required_providers {\n    random = { source = "hashicorp/random" }\n  }\n}\n'
c tf_needs_init usage_error terraform 'terraform plan -input=false -no-color -out=tfplan'
c tf_unknown_subcommand usage_error terraform 'terraform aply'
tf tf_bad_var_type 'variable "replicas" { type = number }\noutput "r" { value = var.replicas }\n'
(cd "$CASE" && terraform init -input=false >/dev/null 2>&1)
c tf_bad_var_type usage_error terraform 'terraform plan -input=false -var replicas=three'
c apt_unable_to_locate missing_dependency apt 'apt-get install -s -y libfoo-nonexistent-dev'
c apt_cache_no_packages missing_dependency apt 'apt-cache show python3-imaginary-module'
c dpkg_missing_deb file_not_found apt 'dpkg -i ./dist/agent_1.4.2_amd64.deb'
prep apt_unmet_deps
mkdir -p "$CASE/pkg/DEBIAN"
printf 'Package: swfail-agent\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@example.com>\nDepends: libswfail-runtime9 (>= 2.0)\nDescription: test\n' >"$CASE/pkg/DEBIAN/control"
(cd "$CASE" && dpkg-deb -b pkg agent.deb >/dev/null 2>&1)
c apt_unmet_deps missing_dependency apt 'apt-get install -s -y ./agent.deb'
AS=nobody c apt_dpkg_not_root permission_denied apt 'dpkg -i /var/cache/apt/archives/none.deb'
c apt_bad_option usage_error apt 'apt-get install --yes-really curl'

# ================================================================ sudo / su / ssh
AS=nobody c sudo_n_password auth_failure sudo 'sudo -n systemctl restart nginx'
AS=nobody c sudo_askpass_missing auth_failure sudo 'sudo -A true'
AS=nobody c su_wrong_password auth_failure sudo "printf 'hunter2\n' | script -qec 'su -c id root' /dev/null"
c sudo_unknown_user usage_error sudo 'sudo -u deployer-x id'
c sudo_command_missing command_not_found sudo 'sudo -n terraformm plan'
c ssh_batch_no_key auth_failure ssh "ssh $SSHO -o PubkeyAuthentication=no root@127.0.0.1 uptime"
c ssh_wrong_key auth_failure ssh "ssh $SSHO -i $WORK/svc/id_wrong root@127.0.0.1 uptime"
c ssh_host_key_changed auth_failure ssh "ssh -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts_bad -o StrictHostKeyChecking=yes -i $WORK/svc/id_good -p $PORT_SSH root@127.0.0.1 true"
c ssh_unknown_host_batch auth_failure ssh "ssh -o BatchMode=yes -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -i $WORK/svc/id_good -p $PORT_SSH root@127.0.0.1 true"
c ssh_remote_cmd_missing command_not_found ssh "ssh $SSHO -i $WORK/svc/id_good root@127.0.0.1 'systemctl-x status app'"
c ssh_remote_file_missing file_not_found ssh "ssh $SSHO -i $WORK/svc/id_good root@127.0.0.1 'cat /srv/app/current/REVISION'"
c scp_remote_missing file_not_found ssh "scp -o BatchMode=yes -o UserKnownHostsFile=$WORK/svc/known_hosts -o IdentitiesOnly=yes -i $WORK/svc/id_good -P $PORT_SSH root@127.0.0.1:/var/backups/db.dump ."
c ssh_key_missing_file file_not_found ssh "ssh $SSHO -i ~/.ssh/deploy_ed25519 root@127.0.0.1 true"
prep ssh_key_perms; cp "$WORK/svc/id_good" "$CASE/key"; chmod 644 "$CASE/key"
c ssh_key_perms auth_failure ssh "ssh $SSHO -i key root@127.0.0.1 true"
c ssh_connect_timeout network ssh "ssh -o BatchMode=yes -o ConnectTimeout=2 -p $PORT_SILENT deploy@127.0.0.1 true"
c ssh_bad_option usage_error ssh 'ssh -o NoSuchOption=yes deploy@127.0.0.1'
c ssh_remote_exit_code unknown ssh "ssh $SSHO -i $WORK/svc/id_good root@127.0.0.1 'exit 7'"

# ================================================================ databases
if [ $HAVE_PG = 1 ]; then
    c pg_wrong_password_readonly auth_failure postgres "PGPASSWORD=nope psql -h 127.0.0.1 -p $PORT_PG -U readonly -d shop -c 'select 1'"
    c pg_db_missing file_not_found postgres "$PG -d billing -c 'select count(*) from invoices'"
    c pg_relation_missing file_not_found postgres "$PG -d shop -c 'select * from customers'"
    c pg_syntax_near syntax_error postgres "$PG -d shop -c 'select id total from orders wher id = 1'"
    c pg_on_error_stop syntax_error postgres "printf 'select 1;\nselec 2;\nselect 3;\n' > q.sql && $PG -d shop -v ON_ERROR_STOP=1 -f q.sql"
    c pg_unique_violation runtime_error postgres "$PG -d shop -c 'insert into orders values (1, 3.0)'"
    c pg_not_null runtime_error postgres "$PG -d shop -c 'insert into orders (id) values (2)'"
    c pg_permission_denied_table auth_failure postgres "PGPASSWORD=ro-pass psql -h 127.0.0.1 -p $PORT_PG -U readonly -d shop -c 'select * from orders'"
    c pg_refused_socket network postgres 'psql -h /tmp/swfail-nosock -U app -c "select 1"'
    c pg_file_missing file_not_found postgres "$PG -d shop -f migrations/0007_add_index.sql"
    c pg_division_by_zero runtime_error postgres "$PG -d shop -c 'select total / 0 from orders'"
    c pg_statement_timeout timeout postgres "$PG -d shop -c 'set statement_timeout = 500; select pg_sleep(5)'"
    c pg_dump_missing_db file_not_found postgres "PGPASSWORD=right-password pg_dump -h 127.0.0.1 -p $PORT_PG -U postgres warehouse"
    c pg_role_missing auth_failure postgres "PGPASSWORD=x psql -h 127.0.0.1 -p $PORT_PG -U etl_loader -d shop -c 'select 1'"
    c pg_bad_option usage_error postgres 'psql --hostt 127.0.0.1'
fi
if [ $HAVE_MY = 1 ]; then
    c my_access_denied auth_failure mysql "$MY -uroot -pwrong-pass -e 'select 1'"
    c my_access_denied_nopass auth_failure mysql "$MY -ureport -e 'show databases'"
    c my_unknown_database file_not_found mysql "$MY -uroot -proot-pass crm -e 'select 1'"
    c my_table_missing file_not_found mysql "$MY -uroot -proot-pass inventory -e 'select * from suppliers'"
    c my_syntax syntax_error mysql "$MY -uroot -proot-pass inventory -e 'selct * from items'"
    c my_duplicate runtime_error mysql "$MY -uroot -proot-pass inventory -e \"insert into items values (2, 'A-1')\""
    c my_command_denied auth_failure mysql "$MY -ureport -preport-pass inventory -e 'drop table items'"
    c my_refused network mysql "$MY -P 1 -uroot -proot-pass -e 'select 1'"
    c my_socket_missing network mysql 'mysql --no-defaults -S /run/mysqld/nonexistent.sock -uroot -e "select 1"'
    c my_unknown_column runtime_error mysql "$MY -uroot -proot-pass inventory -e 'select price from items'"
    c my_source_missing file_not_found mysql "$MY -uroot -proot-pass inventory -e 'source seed/fixtures.sql'"
    c mysqldump_denied auth_failure mysql "mysqldump --no-defaults -h 127.0.0.1 -P $PORT_MY -uadmin -padmin inventory"
fi
c sqlite_syntax syntax_error sqlite "sqlite3 app.db 'create tabel users(id integer)'"
c sqlite_no_such_table file_not_found sqlite "sqlite3 app.db 'select * from sessions'"
prep sqlite_locked_busy
/usr/bin/python3 -c "import sqlite3,time; c=sqlite3.connect('$CASE/jobs.db', isolation_level=None); c.execute('create table if not exists q(x)'); c.execute('begin exclusive'); time.sleep(900)" &
BG_PIDS+=($!)
sleep 0.5
c sqlite_locked_busy runtime_error sqlite "sqlite3 -cmd '.timeout 300' jobs.db 'delete from q'"
prep sqlite_readonly
sqlite3 "$CASE/ro.db" 'create table t(x)'; chmod 644 "$CASE/ro.db"
AS=nobody c sqlite_readonly permission_denied sqlite "sqlite3 ro.db 'insert into t values (1)'"
c sqlite_unique runtime_error sqlite "sqlite3 u.db 'create table if not exists u(e text unique); insert into u values (\"a\"); insert into u values (\"a\");'"
c sqlite_read_missing file_not_found sqlite "sqlite3 app.db '.read schema/001_init.sql'"
c sqlite_not_a_db runtime_error sqlite "echo 'not sqlite' > data.db && sqlite3 data.db 'select * from sqlite_master'"
c sqlite_bad_option usage_error sqlite 'sqlite3 -jsonn app.db'
c sqlite_bail syntax_error sqlite "printf 'create table a(x);\ninsert into a values(1;\n' > s.sql && sqlite3 -bail s.db < s.sql"
if [ $HAVE_REDIS = 1 ]; then
    c redis_noauth auth_failure redis "redis-cli -e -p $PORT_REDIS set session:42 active"
    c redis_wrongpass auth_failure redis "redis-cli -e -p $PORT_REDIS -a not-the-password --no-auth-warning get config:flags"
    c redis_wrongtype runtime_error redis "redis-cli -e -p $PORT_REDIS -a s3cret-redis --no-auth-warning set k v >/dev/null && redis-cli -e -p $PORT_REDIS -a s3cret-redis --no-auth-warning lpush k x"
    c redis_unknown_command usage_error redis "redis-cli -e -p $PORT_REDIS -a s3cret-redis --no-auth-warning HGETALLX user:1"
fi
c redis_refused network redis 'redis-cli -e -h 127.0.0.1 -p 1 ping'
c redis_server_port_busy port_in_use redis "redis-server --port $PORT_BUSY --bind 127.0.0.1 --save ''"

echo "corpus v2 written to $OUT ($(ls "$OUT"/*.json | wc -l) cases)"
