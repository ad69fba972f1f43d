#!/usr/bin/env bash
# Held-out batch 6 for the failure analyzer: real failing commands, run on this machine, one
# JSON per case in this directory (same fields as analysis-5, see README.md).
# Uses the shared runner (tests/data/failures/runner.sh): loopback-only traffic, stable output.
# Written blind: the analyzer's rules, catalog, tests and scores were not read, nor the corpus
# cases or another held-out batch's cases. No command string equals one in batches 1-5 or the
# corpus tests/data/failures (checked by collisions.py, also with 4-5 digit numbers and the
# temporary directory ignored), and none appears twice here.
#
# Needs (Debian 12, as root; PostgreSQL 15 server, openjdk 17, gcc, git, node 20, pyenv's
# python 3.11 were already there), installed for this batch:
#   Debian (apt-get install --no-install-recommends): scala groovy clojure ldc gccgo haxe rakudo
#     newlisp luajit regina-rexx iverilog ghdl sdcc gcc-avr avr-libc yasm wabt glslang-tools
#     device-tree-compiler acpica-tools thrift-compiler capnproto flatbuffers-compiler swig re2c
#     ragel byacc m4 dc units ruby php-cli pandoc asciidoctor python3-docutils doxygen mandoc
#     texinfo hugo bind9-utils apache2 apache2-utils lighttpd caddy supervisor monit etcd-server
#     etcd-client nats-server mosquitto mosquitto-clients beanstalkd unbound dnsmasq-base restic
#     borgbackup rclone age minisign signify-openbsd shfmt codespell clang-format splint
#     flawfinder lua-check jsonnet darcs brz quilt sox libimage-exiftool-perl cpanminus rebar3
#     pipx ant lmdb-utils db-util bubblewrap shunit2 catch2 libgtest-dev vim-nox pari-gp
#     openssh-server lua5.4   (imagemagick was already there)
#   PyPI (pyenv python 3.11): duckdb==1.1.3 typer rich httpx paramiko pip-tools build nose2
#     pydocstyle pyflakes vulture radon xenon yapf autopep8 cpplint detect-secrets
#     check-jsonschema proselint mako markdown waitress hypercorn aiohttp sqlalchemy marshmallow
#     lxml pillow pyjwt bcrypt msgpack cerberus psycopg2-binary ruamel.yaml pytest pdm hatch
#     tabulate lmdb   (pydantic, requests, cryptography, PyYAML were already there)
#   npm (global): vitest@2 ava@6 tape@5 jasmine@5 qunit@2 rollup@4 @babel/cli@7 @babel/core@7
#     terser@5 uglify-js@3 svgo@3 postcss-cli@11 postcss@8 coffeescript@2 typescript@5
#     ts-node@10 tsx@4 jshint@2 jsonlint@1 @taplo/cli js-yaml@4 handlebars@4 pug-cli ejs@3
#     http-server@14 @commitlint/cli@19 @commitlint/config-conventional@19
#     editorconfig-checker@5 @apidevtools/swagger-cli@4 knex@3 sequelize-cli@6
#
# Usage: as root with root's usual PATH (not under sudo): ./collect.sh
#        (deletes and rewrites only ./*.json)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE"
export SW_PORT_BASE=${SW_PORT_BASE:-48700}
. "$HERE/../../data/failures/runner.sh"
# The block's ports lie in the kernel's ephemeral range, so another program's client socket can
# hold one for a moment and a listener then fails to bind: start the runner's servers again
# until the busy-port holder, the HTTP server and sshd listen, and stop if they never do (a run
# without them would record wrong cases: a "port in use" daemon would simply start).
listening() { ss -Hltn "sport = :$1" | grep -q .; }
for _ in 1 2 3 4 5 6; do
    listening $PORT_BUSY && listening $PORT_HTTP && listening $PORT_TLS_SELF && break
    sw_start_http; sleep 1
done
listening $PORT_BUSY && listening $PORT_HTTP && listening $PORT_TLS_SELF || { echo "FATAL: the runner's HTTP servers could not start" >&2; exit 1; }
HAVE_PG=0; sw_start_pg && HAVE_PG=1
for _ in 1 2 3 4 5 6; do
    listening $PORT_SSH && break
    rm -f "$WORK"/svc/host_key* "$WORK"/svc/id_good* "$WORK"/svc/id_wrong* "$WORK"/svc/other_host_key*
    sw_start_sshd; sleep 1
done
listening $PORT_SSH || { echo "FATAL: sshd could not start" >&2; exit 1; }
PG="PGPASSWORD=right-password psql -X -h 127.0.0.1 -p $PORT_PG -U postgres"

# This batch's own services, all on 127.0.0.1 in the block: an HTTP server (B+12) answering
# 401/403/500/503 and one path that never answers; a mosquitto broker with a password file
# (B+13); an etcd with authentication, a small request limit and a small backend quota
# (B+14 client, B+15 peer).
PORT_EXTRA=$((B+12)) PORT_MQTT=$((B+13)) PORT_ETCD=$((B+14)) PORT_ETCD_PEER=$((B+15))
cat >"$WORK/svc/extra.py" <<'PY'
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def answer(self):
        p = self.path
        if p.startswith("/slow"):
            time.sleep(30)
            return
        code, body, extra = 404, b"not found\n", []
        if p.startswith("/ok"):
            code, body = 200, b"ok\n"
        elif p.startswith("/private") or p.startswith("/simple-private"):
            code, body, extra = 401, b"unauthorized\n", [("WWW-Authenticate", 'Basic realm="internal"')]
        elif p.startswith("/forbidden"):
            code, body = 403, b'{"error":"forbidden"}\n'
        elif p.startswith("/status/500"):
            code, body = 500, b'{"error":"internal server error"}\n'
        elif p.startswith("/status/503"):
            code, body = 503, b"upstream unavailable\n"
        self.send_response(code)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body))); self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PROPFIND = answer
    def version_string(self): return "extra/1.0"
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
srv.daemon_threads = True
srv.serve_forever()
PY
# Start a background service and keep it only if it is still alive after a moment; ports in
# this block are inside the kernel's ephemeral range, so another program's client socket can
# hold one briefly: then try again (up to 8 times).
start_bg() { # start_bg LOG CMD...
    local log=$1; shift
    for _ in 1 2 3 4 5 6 7 8; do
        "$@" >"$log" 2>&1 &
        local pid=$!
        sleep 1
        if kill -0 $pid 2>/dev/null; then BG_PIDS+=($pid); return 0; fi
        sleep 1
    done
    return 1
}
start_bg "$WORK/svc/extra.log" /usr/bin/python3 "$WORK/svc/extra.py" $PORT_EXTRA || echo "WARNING: extra HTTP server could not start" >&2

HAVE_MQTT=0
mkdir -p "$WORK/svc/mqtt"
: >"$WORK/svc/mqtt/passwd"; mosquitto_passwd -b "$WORK/svc/mqtt/passwd" sensor right-mqtt-pass >/dev/null 2>&1
chown -R mosquitto "$WORK/svc/mqtt" 2>/dev/null; chmod 700 "$WORK/svc/mqtt"; chmod 600 "$WORK/svc/mqtt/passwd"
printf 'listener %s 127.0.0.1\nallow_anonymous false\npassword_file %s\npersistence false\nlog_dest none\n' $PORT_MQTT "$WORK/svc/mqtt/passwd" >"$WORK/svc/mqtt/mosquitto.conf"
start_bg "$WORK/svc/mqtt.log" mosquitto -c "$WORK/svc/mqtt/mosquitto.conf"
for _ in $(seq 20); do
    mosquitto_pub -h 127.0.0.1 -p $PORT_MQTT -u sensor -P right-mqtt-pass -t ping -m x >/dev/null 2>&1 && { HAVE_MQTT=1; break; }
    sleep 0.25
done

HAVE_ETCD=0
ETCD_EP="--endpoints=http://127.0.0.1:$PORT_ETCD"
start_bg "$WORK/svc/etcd.log" etcd --name a6 --data-dir "$WORK/svc/etcd" --listen-client-urls http://127.0.0.1:$PORT_ETCD \
    --advertise-client-urls http://127.0.0.1:$PORT_ETCD --listen-peer-urls http://127.0.0.1:$PORT_ETCD_PEER \
    --initial-advertise-peer-urls http://127.0.0.1:$PORT_ETCD_PEER --initial-cluster a6=http://127.0.0.1:$PORT_ETCD_PEER \
    --max-request-bytes=16384 --quota-backend-bytes=2097152 --log-level error
for _ in $(seq 10); do
    ETCDCTL_API=3 etcdctl $ETCD_EP --dial-timeout=1s endpoint health >/dev/null 2>&1 && { HAVE_ETCD=1; break; }
    sleep 0.25
done
if [ $HAVE_ETCD = 1 ]; then
    export ETCDCTL_API=3
    { etcdctl $ETCD_EP user add root:root-etcd-pass && etcdctl $ETCD_EP user grant-role root root &&
      etcdctl $ETCD_EP user add deployer:deploy-pass && etcdctl $ETCD_EP auth enable; } >/dev/null 2>&1 || HAVE_ETCD=0
fi
ETC="ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:$PORT_ETCD"
sleep 0.5

put() { prep "$1"; mkdir -p "$(dirname "$CASE/$2")"; printf '%b' "$3" >"$CASE/$2"; }
add() { mkdir -p "$(dirname "$CASE/$1")"; printf '%b' "$2" >"$CASE/$1"; }
small_fs() { mkdir -p "$CASE/mnt"; mount -t tmpfs -o "$1" tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt"); }
gitrepo() { prep "$1"; (cd "$CASE" && git init -q -b main && git config user.email dev@example.com && git config user.name dev && echo base >f.txt && git add f.txt && git commit -qm base); }
inc() { (cd "$CASE" && "$@" >/dev/null 2>&1); }   # a set-up step inside the case directory
NM=/usr/lib/node_modules

# ---------------------------------------------------------------- scala / groovy / clojure
put h6_scala_type Invoice.scala 'object Invoice {\n  def main(args: Array[String]): Unit = {\n    val lines: Int = "3"\n    println(lines)\n  }\n}\n'
c h6_scala_type compile_error scala 'mkdir -p out && scalac -d out Invoice.scala'
put h6_scala_missing_lib Actor.scala 'import akka.actor.ActorSystem\nobject Actor { def main(a: Array[String]): Unit = { val s = ActorSystem("jobs") } }\n'
c h6_scala_missing_lib missing_dependency scala 'mkdir -p classes && scalac -d classes Actor.scala'
put h6_scala_match report.scala 'val status: Any = 42\nstatus match {\n  case s: String => println("status " + s)\n}\n'
c h6_scala_match runtime_error scala 'scala -nc report.scala'
put h6_groovy_property build.groovy 'def cfg = [name: "api"]\nprintln "deploying ${cfg.name} to ${targetHost}"\n'
c h6_groovy_property runtime_error groovy 'groovy build.groovy'
put h6_groovy_syntax Release.groovy 'def bump(String v) {\n    def parts = v.split(/\\./)\n    return parts[0] + "." + (parts[1] as int + 1\n}\nprintln bump("1.4")\n'
c h6_groovy_syntax syntax_error groovy 'groovy Release.groovy'
put h6_groovy_npe notify.groovy 'def user = [profile: null]\nprintln user.profile.email.toLowerCase()\n'
c h6_groovy_npe runtime_error groovy 'groovy notify.groovy'
put h6_clojure_div stats.clj '(defn mean [xs] (/ (reduce + xs) (count xs)))\n(println (mean []))\n'
c h6_clojure_div runtime_error clojure 'clojure stats.clj'
put h6_clojure_eof cfg.clj '(def config {:port 8080\n             :hosts ["a" "b"]\n(println config)\n'
c h6_clojure_eof syntax_error clojure 'clojure cfg.clj'
put h6_clojure_ns app.clj '(ns app.core (:require [cheshire.core :as json]))\n(println (json/generate-string {:a 1}))\n'
c h6_clojure_ns missing_dependency clojure 'clojure app.clj'

# ---------------------------------------------------------------- haxe / raku / newlisp / luajit / rexx
put h6_haxe_type src/Main.hx 'class Main {\n  static function main() {\n    var port:Int = "8080";\n    trace(port);\n  }\n}\n'
c h6_haxe_type compile_error haxe 'haxe -cp src -main Main --interp'
put h6_haxe_lib src/Game.hx 'class Game { static function main() { trace("start"); } }\n'
c h6_haxe_lib missing_dependency haxe 'haxe -cp src -lib heaps -main Game -js game.js'
put h6_haxe_throw src/Parse.hx 'class Parse {\n  static function main() {\n    var n = Std.parseInt("abc");\n    if (n == null) throw "invalid record count: abc";\n  }\n}\n'
c h6_haxe_throw runtime_error haxe 'haxe -cp src -main Parse --interp'
put h6_raku_syntax tally.raku 'my %count;\nfor lines() -> $l {\n    %count{$l}++\n}\nsay "total: {%count.elems}\n'
c h6_raku_syntax syntax_error raku 'raku tally.raku < /dev/null'
put h6_raku_die fetch.raku 'sub load(Str $path) {\n    die "manifest $path is empty" unless $path.IO.s;\n}\nload("manifest.json");\n'
add manifest.json ''
c h6_raku_die runtime_error raku 'raku fetch.raku'
put h6_raku_module api.raku 'use Cro::HTTP::Router;\nsay "routes";\n'
c h6_raku_module missing_dependency raku 'raku api.raku'
put h6_newlisp_undefined report.lsp '(define (total lst) (apply + lst))\n(println (totl (list 1 2 3)))\n(exit)\n'
c h6_newlisp_undefined runtime_error newlisp 'newlisp report.lsp'
put h6_luajit_nil config.lua 'local cfg = {}\nlocal host = cfg.database.host\nprint(host)\n'
c h6_luajit_nil runtime_error luajit 'luajit config.lua'
put h6_luajit_require server.lua 'local json = require("cjson")\nprint(json.encode({ok = true}))\n'
c h6_luajit_require missing_dependency luajit 'luajit server.lua'
put h6_luajit_syntax rules.lua 'local rules = {\n  { name = "a", weight = 2 },\n  { name = "b" weight = 3 },\n}\nreturn rules\n'
c h6_luajit_syntax syntax_error luajit 'luajit -bl rules.lua /dev/null'
put h6_rexx_syntax payroll.rexx '/* payroll */\nparse arg hours rate\nif hours > 40 then do\n  say "overtime"\nsay hours * rate\n'
c h6_rexx_syntax syntax_error rexx 'rexx ./payroll.rexx 45 20'
put h6_rexx_arith avg.rexx '/* average */\ntotal = 120\ncount = "n/a"\nsay total / count\n'
c h6_rexx_arith runtime_error rexx 'rexx ./avg.rexx'

# ---------------------------------------------------------------- ldc (D) / gccgo
put h6_ldc_undefined app.d 'import std.stdio;\nvoid main() {\n    writeln(computeTotal(3));\n}\n'
c h6_ldc_undefined compile_error ldc 'ldc2 -of=app app.d'
put h6_ldc_import web.d 'import vibe.d;\nvoid main() { listenHTTP(new HTTPServerSettings, (req, res) {}); }\n'
c h6_ldc_import missing_dependency ldc 'ldc2 -of=web web.d'
put h6_ldc_unittest money.d 'int cents(double v) { return cast(int)(v * 100); }\nunittest {\n    assert(cents(0.29) == 29, "rounding");\n}\n'
c h6_ldc_unittest test_failure ldc 'ldc2 -unittest -main -run money.d'
put h6_gccgo_compile main.go 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar count int = "3"\n\tfmt.Println(count)\n}\n'
c h6_gccgo_compile compile_error gccgo 'gccgo -o app main.go'
put h6_gccgo_nil_map cache.go 'package main\n\nfunc main() {\n\tvar cache map[string]int\n\tcache["hits"]++\n}\n'
inc gccgo -o cache cache.go
c h6_gccgo_nil_map runtime_error gccgo './cache'

# ---------------------------------------------------------------- HDL / embedded / assemblers / wasm / shaders
put h6_iverilog_undeclared counter.v 'module counter(input clk, output reg [3:0] q);\n  always @(posedge clk) q <= q + step;\nendmodule\n'
c h6_iverilog_undeclared compile_error iverilog 'iverilog -o counter.vvp counter.v'
put h6_iverilog_tb_fail tb.v 'module tb;\n  reg [7:0] a = 8'"'"'d200, b = 8'"'"'d100;\n  wire [7:0] s = a + b;\n  initial begin\n    #1;\n    if (s !== 9'"'"'d300) begin $display("FAIL: sum=%0d expected 300", s); $fatal(1); end\n    $finish;\n  end\nendmodule\n'
inc iverilog -o tb.vvp tb.v
c h6_iverilog_tb_fail test_failure iverilog 'vvp -n tb.vvp'
put h6_iverilog_include top.v '`include "defs.vh"\nmodule top; endmodule\n'
c h6_iverilog_include file_not_found iverilog 'iverilog -o top.vvp top.v'
put h6_ghdl_syntax alu.vhd 'library ieee;\nuse ieee.std_logic_1164.all;\nentity alu is\n  port (a, b : in std_logic; y : out std_logic)\nend alu;\narchitecture rtl of alu is\nbegin\n  y <= a and b;\nend rtl;\n'
c h6_ghdl_syntax compile_error ghdl 'ghdl -a --std=08 alu.vhd'
put h6_ghdl_assert tb.vhd 'entity tb is end tb;\narchitecture sim of tb is\n  signal count : integer := 7;\nbegin\n  process begin\n    wait for 1 ns;\n    assert count = 8 report "counter should be 8 after reset" severity failure;\n    wait;\n  end process;\nend sim;\n'
inc ghdl -a --std=08 tb.vhd
inc ghdl -e --std=08 tb
c h6_ghdl_assert test_failure ghdl 'ghdl -r --std=08 tb'
put h6_ghdl_unit top.vhd 'entity top is end top;\narchitecture a of top is\nbegin\n  u0: entity work.uart_tx port map (clk => open);\nend a;\n'
c h6_ghdl_unit file_not_found ghdl 'ghdl -a --std=08 top.vhd'
put h6_sdcc_compile blink.c '#include <8051.h>\nvoid main(void) {\n  while (1) { P1 = ~P1 delay(100); }\n}\n'
c h6_sdcc_compile compile_error sdcc 'sdcc -mmcs51 blink.c'
put h6_sdcc_undefined main.c 'void uart_init(void);\nvoid main(void) { uart_init(); }\n'
c h6_sdcc_undefined compile_error sdcc 'sdcc -mmcs51 --out-fmt-ihx main.c'
put h6_avr_flash_overflow big.c '#include <avr/pgmspace.h>\nconst char table[4096] PROGMEM = {1};\nint main(void) { return pgm_read_byte(&table[100]); }\n'
c h6_avr_flash_overflow compile_error avr-gcc 'avr-gcc -mmcu=attiny13 -Os -o big.elf big.c'
put h6_avr_header sketch.c '#include <Arduino.h>\nint main(void) { pinMode(13, OUTPUT); }\n'
COLOR=1 c h6_avr_header missing_dependency avr-gcc 'avr-gcc -mmcu=atmega328p -fdiagnostics-color=always -c sketch.c'
c h6_avr_bad_mcu usage_error avr-gcc 'echo "int main(void){return 0;}" > m.c && avr-gcc -mmcu=atmega9999 -c m.c'
put h6_yasm_syntax boot.asm 'bits 64\nsection .text\nglobal _start\n_start:\n    mov rax, 60\n    movq rdi, [rel\n    syscall\n'
c h6_yasm_syntax compile_error yasm 'yasm -f elf64 -o boot.o boot.asm'
put h6_wat2wasm_parse add.wat '(module\n  (func $add (param $a i32) (param $b i32) (result i32)\n    local.get $a\n    local.get $c\n    i32.add)\n  (export "add" (func $add)))\n'
c h6_wat2wasm_parse compile_error wabt 'wat2wasm add.wat -o add.wasm'
inc wat2wasm trap.wat -o trap.wasm
put h6_wasm_not_module plugin.wasm '<html>404 Not Found</html>\n'
c h6_wasm_not_module runtime_error wabt 'wasm-validate plugin.wasm'
put h6_glslang_compile blur.frag '#version 450\nlayout(location = 0) out vec4 color;\nvoid main() {\n  vec3 c = texture(img, vec2(0.5)).rgb;\n  color = vec4(c, 1.0);\n}\n'
c h6_glslang_compile compile_error glslang 'glslangValidator -V blur.frag -o blur.spv'
put h6_dtc_syntax board.dts '/dts-v1/;\n/ {\n  model = "acme,board";\n  leds {\n    compatible = "gpio-leds"\n  };\n};\n'
c h6_dtc_syntax compile_error dtc 'dtc -I dts -O dtb -o board.dtb board.dts'
put h6_dtc_include overlay.dts '/dts-v1/;\n/include/ "sunxi-h3.dtsi"\n/ { model = "x"; };\n'
c h6_dtc_include file_not_found dtc 'dtc -I dts -O dtb -o overlay.dtb overlay.dts'
put h6_iasl_compile ssdt.asl 'DefinitionBlock ("", "SSDT", 2, "ACME", "FAN", 0x1)\n{\n    Method (_FAN, 0)\n    {\n        Return (Local9)\n    }\n}\n'
c h6_iasl_compile compile_error iasl 'iasl -p ssdt ssdt.asl'

# ---------------------------------------------------------------- IDL / parser generators / m4
put h6_thrift_parse idl/user.thrift 'namespace py users\nstruct User {\n  1: required string name\n  2: optional i32 age,\n  3: list<string> roles\n'
c h6_thrift_parse compile_error thrift 'mkdir -p gen && thrift --gen py -out gen idl/user.thrift'
put h6_thrift_include idl/order.thrift 'include "common/money.thrift"\nstruct Order { 1: money.Amount total }\n'
c h6_thrift_include file_not_found thrift 'mkdir -p gen && thrift --gen py -out gen idl/order.thrift'
put h6_capnp_no_id schema/addr.capnp 'struct Address {\n  street @0 :Text;\n  zip @1 :Text;\n}\n'
c h6_capnp_no_id compile_error capnp 'capnp compile -o- schema/addr.capnp'
put h6_capnp_type schema/p.capnp '@0xbf5147cbbecf40c1;\nstruct Person {\n  name @0 :Txt;\n}\n'
c h6_capnp_type compile_error capnp 'capnp compile -o- schema/p.capnp'
put h6_flatc_schema monster.fbs 'namespace Game;\ntable Monster {\n  hp: short = 100;\n  weapon: Weapon;\n}\nroot_type Monster;\n'
c h6_flatc_schema compile_error flatc 'flatc --cpp -o gen monster.fbs'
put h6_swig_syntax geom.i '%module geom\n%{\n#include "geom.h"\n%}\ndouble area(double w, double h\n'
c h6_swig_syntax compile_error swig 'swig -python geom.i'
put h6_swig_include img.i '%module img\n%include "imgcore.h"\n'
c h6_swig_include file_not_found swig 'swig -python -o img_wrap.c img.i'
put h6_re2c_syntax lex.re '/*!re2c\n  re2c:yyfill:enable = 0;\n  [0-9]+ { return 1; }\n  [a-z+ { return 2; }\n*/\n'
c h6_re2c_syntax compile_error re2c 're2c -o lex.c lex.re'
put h6_ragel_undefined scan.rl '%%{\n  machine scan;\n  main := ( digit+ | idnt )*;\n}%%\n'
c h6_ragel_undefined compile_error ragel 'ragel -C -o scan.c scan.rl'
put h6_byacc_syntax calc.y '%token NUMBER\n%%\nexpr : expr '"'"'+'"'"' term\n     | term\n     ;\nterm : NUMBER {\n%%\n'
c h6_byacc_syntax compile_error byacc 'byacc -d calc.y'
put h6_m4_include site.m4 'include(`macros/common.m4'"'"')dnl\ndefine(`TITLE'"'"', `Home'"'"')dnl\nTITLE\n'
c h6_m4_include file_not_found m4 'm4 site.m4 > site.html'
put h6_m4_eof page.m4 'define(`HEADER'"'"', `<h1>$1</h1>'"'"')dnl\nHEADER(`Welcome\n'
c h6_m4_eof syntax_error m4 'm4 page.m4'

# ---------------------------------------------------------------- documentation tools
put h6_pandoc_missing_input docs/intro.md '# Intro\n'
c h6_pandoc_missing_input file_not_found pandoc 'pandoc docs/intro.md docs/usage.md -s -o manual.html'
c h6_pandoc_bad_format usage_error pandoc 'echo "# x" | pandoc -f markdwn -t html'
put h6_pandoc_yaml report.md '---\ntitle: Quarterly report\nauthor: [Ada, Grace\ndate: 2026-12\n---\n\n# Summary\n'
c h6_pandoc_yaml syntax_error pandoc 'pandoc report.md -s -o report.html'
put h6_pandoc_pdf_engine handbook.md '# Handbook\n\nWelcome.\n'
c h6_pandoc_pdf_engine missing_dependency pandoc 'pandoc handbook.md -o handbook.pdf'
put h6_pandoc_full book.md '# Book\n\nText.\n'
small_fs size=64k
seq 1 6000 | sed 's/^/Paragraph line /' >>"$CASE/book.md"
c h6_pandoc_full disk_full pandoc 'pandoc book.md -s -o mnt/book.html'
put h6_asciidoctor_include guide.adoc '= Guide\n\ninclude::chapters/install.adoc[]\n'
c h6_asciidoctor_include file_not_found asciidoctor 'asciidoctor --failure-level=WARN -o guide.html guide.adoc'
put h6_asciidoctor_require arch.adoc '= Architecture\n'
c h6_asciidoctor_require missing_dependency asciidoctor 'asciidoctor -r asciidoctor-diagram arch.adoc'
put h6_rst_title README.rst 'Project\n===\n\nUsage\n-----\n\n.. code-blok:: python\n\n   print(1)\n'
c h6_rst_title syntax_error docutils 'python3 -m docutils --halt=warning README.rst README.html'
put h6_rst_missing_include index.rst 'Docs\n====\n\n.. include:: CHANGES.rst\n'
c h6_rst_missing_include file_not_found docutils 'python3 -m docutils --halt=error index.rst index.html'
put h6_doxygen_no_file README '.\n'
c h6_doxygen_no_file file_not_found doxygen 'doxygen docs/Doxyfile.release'
put h6_mandoc_lint man/tool.1 '.TH TOOL 1\n.SH NAME\ntool \\- does things\n.SH SYNOPSIS\n.B tool\n.SH OPTIONS\n.TP\n.BR\n.SH SEE ALSO\n.BR tool (8),\n'
c h6_mandoc_lint compile_error mandoc 'mandoc -T lint -W warning man/tool.1'
put h6_makeinfo_end manual.texi '\\input texinfo\n@setfilename manual.info\n@settitle Manual\n@node Top\n@top Manual\n@itemize @bullet\n@item one\n@end enumerate\n@bye\n'
c h6_makeinfo_end syntax_error texinfo 'makeinfo manual.texi'
put h6_makeinfo_xref guide.texi '\\input texinfo\n@setfilename guide.info\n@settitle Guide\n@node Top\n@top Guide\nSee @ref{Installation}.\n@bye\n'
c h6_makeinfo_xref file_not_found texinfo 'makeinfo --no-split guide.texi'
prep h6_hugo_no_config; mkdir -p "$CASE/content"
c h6_hugo_no_config file_not_found hugo 'hugo --minify'
mkdir -p "$CASE/layouts/_default"; printf '<html>{{ .Title </html>\n' >"$CASE/layouts/_default/baseof.html"; printf '{{ define "main" }}{{ .Content }}{{ end }}\n' >"$CASE/layouts/_default/single.html"
prep h6_hugo_port_busy; inc hugo new site . --force
c h6_hugo_port_busy port_in_use hugo "hugo server --bind 127.0.0.1 --port $PORT_BUSY --disableLiveReload --renderToMemory"

# ---------------------------------------------------------------- server configuration checks
put h6_named_checkconf named.conf 'options {\n  directory ".";\n  recursion no\n};\n'
c h6_named_checkconf syntax_error bind 'named-checkconf named.conf'
put h6_named_checkzone db.example.com '$TTL 3600\n@ IN SOA ns1.example.com. admin.example.com. ( 2026120801 3600 600 86400 3600 )\n@ IN NS ns1.example.com.\nns1 IN A 192.0.2.300\nwww IN CNAME web\nwww IN A 192.0.2.10\n'
c h6_named_checkzone syntax_error bind 'named-checkzone example.com db.example.com'
put h6_apache_configtest httpd.conf 'ServerRoot "/etc/apache2"\nListen 127.0.0.1:PORT\nInclude /etc/apache2/mods-available/mpm_event.load\nPidFile CASE/httpd.pid\nErrorLog /dev/stderr\n<VirtualHost *:PORT>\n  DocumentRoot CASE/www\n  <Directory CASE/www>\n    Require all granted\n  </Directory\n</VirtualHost>\n'
sed -i "s|PORT|$PORT_FREE|g; s|CASE|$CASE|g" "$CASE/httpd.conf"; mkdir -p "$CASE/www"
c h6_apache_configtest syntax_error apache "apache2 -t -f $CASE/httpd.conf"
put h6_apache_module httpd.conf 'ServerRoot "/etc/apache2"\nListen 127.0.0.1:PORT\nInclude /etc/apache2/mods-available/mpm_event.load\nPidFile CASE/httpd.pid\nErrorLog /dev/stderr\nRewriteEngine On\nRewriteRule ^/old$ /new [R=301,L]\n'
sed -i "s|PORT|$PORT_FREE|g; s|CASE|$CASE|g" "$CASE/httpd.conf"
c h6_apache_module missing_dependency apache "apache2 -t -f $CASE/httpd.conf"
put h6_apache_port_busy httpd.conf 'ServerRoot "/etc/apache2"\nServerName localhost\nListen 127.0.0.1:PORT\nInclude /etc/apache2/mods-available/mpm_event.load\nInclude /etc/apache2/mods-available/authz_core.load\nPidFile CASE/httpd.pid\nErrorLog /dev/stderr\nUser www-data\nGroup www-data\n'
sed -i "s|PORT|$PORT_BUSY|g; s|CASE|$CASE|g" "$CASE/httpd.conf"
c h6_apache_port_busy port_in_use apache "apache2 -X -f $CASE/httpd.conf"
put h6_htpasswd_verify conf/users.htpasswd ''
inc htpasswd -bB conf/users.htpasswd alice correct-horse
c h6_htpasswd_verify auth_failure apache-utils 'htpasswd -vb conf/users.htpasswd alice battery-staple'
c h6_htpasswd_missing_file file_not_found apache-utils 'htpasswd -b /etc/nginx/.htpasswd-staging deploy s3cret'
c h6_ab_refused network apache-utils "ab -n 20 -c 2 http://127.0.0.1:$PORT_FREE/health"
c h6_ab_timeout network apache-utils "ab -n 1 -s 1 http://127.0.0.1:$PORT_SILENT/"
put h6_lighttpd_syntax lighttpd.conf 'server.document-root = "/srv/www"\nserver.port = 8080\nserver.modules += ( "mod_rewrite"\n'
c h6_lighttpd_syntax syntax_error lighttpd 'lighttpd -tt -f lighttpd.conf'
put h6_lighttpd_port_busy lighttpd.conf "server.document-root = \"CASE\"\nserver.bind = \"127.0.0.1\"\nserver.port = $PORT_BUSY\nserver.pid-file = \"CASE/l.pid\"\n"
sed -i "s|CASE|$CASE|g" "$CASE/lighttpd.conf"
c h6_lighttpd_port_busy port_in_use lighttpd 'lighttpd -D -f lighttpd.conf'
put h6_caddy_validate Caddyfile 'localhost:8443 {\n    reverse_proxy 127.0.0.1:9000\n    encode gzipp\n}\n'
c h6_caddy_validate syntax_error caddy 'XDG_DATA_HOME=$PWD/d XDG_CONFIG_HOME=$PWD/c caddy validate --config Caddyfile --adapter caddyfile'
prep h6_caddy_port_busy
c h6_caddy_port_busy port_in_use caddy "XDG_DATA_HOME=\$PWD/d XDG_CONFIG_HOME=\$PWD/c CADDY_ADMIN=127.0.0.1:$((B+20)) caddy file-server --listen 127.0.0.1:$PORT_BUSY --root ."
AS=nobody c h6_caddy_port_80_nobody permission_denied caddy "cd /tmp && XDG_DATA_HOME=/tmp/caddy-nobody-d XDG_CONFIG_HOME=/tmp/caddy-nobody-c CADDY_ADMIN=127.0.0.1:$((B+21)) caddy file-server --listen 127.0.0.1:80 --root /usr/share/doc; rc=\$?; rm -rf /tmp/caddy-nobody-d /tmp/caddy-nobody-c; exit \$rc"
put h6_supervisord_syntax supervisord.conf '[supervisord]\nnodaemon=true\n[program:web]\ncommand=/usr/bin/python3 -m http.server\nautorestart=maybe\n'
c h6_supervisord_syntax syntax_error supervisor 'supervisord -c supervisord.conf'
put h6_supervisorctl_down supervisord.conf "[unix_http_server]\nfile=CASE/supervisor.sock\n[supervisorctl]\nserverurl=unix://CASE/supervisor.sock\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n"
sed -i "s|CASE|$CASE|g" "$CASE/supervisord.conf"
c h6_supervisorctl_down network supervisor 'supervisorctl -c supervisord.conf restart web'
put h6_unbound_checkconf unbound.conf 'server:\n    interface: 127.0.0.1\n    access-control: 10.0.0.0/8 allow\n    num-threads 2\n'
c h6_unbound_checkconf syntax_error unbound 'unbound-checkconf unbound.conf'
put h6_dnsmasq_test dnsmasq.conf 'domain-needed\nbogus-priv\ndhcp-range=192.168.1.50,192.168.1.150,12x\nlisten-addres=127.0.0.1\n'
c h6_dnsmasq_test syntax_error dnsmasq 'dnsmasq --test -C dnsmasq.conf'
c h6_dnsmasq_port_busy port_in_use dnsmasq "dnsmasq -k -C /dev/null --port=$PORT_BUSY --listen-address=127.0.0.1 --bind-interfaces --no-resolv --pid-file=\$PWD/dnsmasq.pid"
put h6_sshd_test sshd_config 'Port 2222\nPermitRootLogin no\nPasswordAuthentication no\nAllowUser deploy\n'
c h6_sshd_test syntax_error sshd "/usr/sbin/sshd -t -f sshd_config -h $WORK/svc/host_key"
put h6_sshd_hostkey sshd_config 'Port 2222\nHostKey /etc/ssh/keys/ssh_host_ecdsa_staging\n'
c h6_sshd_hostkey file_not_found sshd '/usr/sbin/sshd -t -f sshd_config'
put h6_nats_conf nats.conf 'port: 4222\nauthorization {\n  user: app\n  password: "x"\n'
c h6_nats_conf syntax_error nats 'nats-server -c nats.conf'
c h6_nats_port_busy port_in_use nats "nats-server -a 127.0.0.1 -p $PORT_BUSY --http_port 0"
c h6_beanstalkd_port_busy port_in_use beanstalkd "beanstalkd -l 127.0.0.1 -p $PORT_BUSY"
c h6_mosquitto_port_busy port_in_use mqtt "printf 'listener $PORT_BUSY 127.0.0.1\nallow_anonymous true\n' > m.conf && mosquitto -c m.conf"

# ---------------------------------------------------------------- mqtt broker / etcd / postgres (new situations)
if [ $HAVE_MQTT = 1 ]; then
c h6_mqtt_wrong_password auth_failure mqtt "mosquitto_pub -h 127.0.0.1 -p $PORT_MQTT -u sensor -P old-mqtt-pass -t plant/line1/temp -m 21.5"
c h6_mqtt_anonymous auth_failure mqtt "mosquitto_sub -h 127.0.0.1 -p $PORT_MQTT -t 'plant/#' -C 1 -W 2"
c h6_mqtt_sub_wait timeout mqtt "mosquitto_sub -h 127.0.0.1 -p $PORT_MQTT -u sensor -P right-mqtt-pass -t plant/line1/alarm -C 1 -W 1"
fi
c h6_mqtt_refused network mqtt "mosquitto_pub -h 127.0.0.1 -p $PORT_FREE -t deploy/done -m ok"
if [ $HAVE_ETCD = 1 ]; then
c h6_etcd_wrong_password auth_failure etcd "$ETC --user root:root-pass-2025 get /config/app"
c h6_etcd_no_user auth_failure etcd "$ETC put /config/app/replicas 3"
c h6_etcd_role_denied permission_denied etcd "$ETC --user deployer:deploy-pass put /config/app/replicas 3"
c h6_etcd_lease_missing file_not_found etcd "$ETC --user root:root-etcd-pass put /locks/deploy me --lease=694d7a9b1f2c3e4d"
c h6_etcd_bad_flag usage_error etcd "$ETC --user root:root-etcd-pass get /config --prefx"
fi
c h6_etcd_refused network etcd "ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:$PORT_FREE --dial-timeout=2s endpoint health"
c h6_etcd_port_busy port_in_use etcd "etcd --data-dir \$PWD/data --listen-client-urls http://127.0.0.1:$PORT_BUSY --advertise-client-urls http://127.0.0.1:$PORT_BUSY --listen-peer-urls http://127.0.0.1:$((B+22)) --initial-advertise-peer-urls http://127.0.0.1:$((B+22)) --initial-cluster default=http://127.0.0.1:$((B+22)) --log-level error"
if [ $HAVE_PG = 1 ]; then
PGU="PGPASSWORD=right-password"
PGPASSWORD=right-password psql -X -q -h 127.0.0.1 -p $PORT_PG -U postgres -c "create role batch login password 'batch-pass' connection limit 0" >/dev/null 2>&1
c h6_pg_conn_limit resource_limit postgres "PGPASSWORD=batch-pass psql -X -h 127.0.0.1 -p $PORT_PG -U batch -d shop -c 'select count(*) from orders'"
c h6_pg_role_missing auth_failure postgres "PGPASSWORD=analytics psql -X -h 127.0.0.1 -p $PORT_PG -U analytics -d shop -c 'select 1'"
c h6_pgbench_not_init file_not_found postgres "$PGU pgbench -h 127.0.0.1 -p $PORT_PG -U postgres -T 2 -c 2 shop"
c h6_pg_dump_missing_db file_not_found postgres "$PGU pg_dump -h 127.0.0.1 -p $PORT_PG -U postgres -Fc -f warehouse.dump warehouse"
c h6_pg_createuser_exists runtime_error postgres "$PGU createuser -h 127.0.0.1 -p $PORT_PG -U postgres --login readonly"
c h6_pg_isready_down network postgres "pg_isready -h 127.0.0.1 -p $PORT_FREE -U postgres -t 2"
c h6_pg_isready_quiet network postgres "pg_isready -q -h 127.0.0.1 -p $PORT_FREE -d shop -t 1"
c h6_pg_check_violation runtime_error postgres "$PG -d shop -v ON_ERROR_STOP=1 -c 'alter table orders add constraint positive check (total > 0)' -c 'insert into orders values (2, -4)'"
c h6_pg_copy_missing file_not_found postgres "$PG -d shop -v ON_ERROR_STOP=1 -c '\\copy orders from exports/orders-2026-11.csv csv header'"
c h6_pg_json_input runtime_error postgres "$PG -d shop -v ON_ERROR_STOP=1 -c \"select '{\\\"sku\\\": 12,}'::jsonb\""
c h6_pg_ctl_port_busy port_in_use postgres "mkdir -p db && chown postgres db && runuser -u postgres -- initdb -D db -A trust >/dev/null && runuser -u postgres -- postgres -D db -p $PORT_BUSY -c listen_addresses=127.0.0.1 -k \$PWD/db"
c h6_vacuumdb_missing file_not_found postgres "$PGU vacuumdb -h 127.0.0.1 -p $PORT_PG -U postgres --analyze-only reporting"
fi

# ---------------------------------------------------------------- backups / crypto tools
prep h6_restic_wrong_password; inc env RESTIC_PASSWORD=correct-horse restic init -q --repo repo
c h6_restic_wrong_password auth_failure restic 'RESTIC_PASSWORD=battery-staple restic --repo repo snapshots'
prep h6_restic_no_repo
c h6_restic_no_repo file_not_found restic 'RESTIC_PASSWORD=x restic --repo /srv/backups/restic-web snapshots'
prep h6_restic_no_password; inc env RESTIC_PASSWORD=correct-horse restic init -q --repo repo
c h6_restic_no_password auth_failure restic 'restic --repo repo backup /etc/hostname'
prep h6_restic_full; small_fs size=2m
c h6_restic_full disk_full restic 'head -c 6000000 /dev/urandom > data.bin && RESTIC_PASSWORD=pw restic init -q --repo mnt/repo && RESTIC_PASSWORD=pw restic -q --repo mnt/repo backup data.bin'
prep h6_borg_passphrase; inc env BORG_PASSPHRASE=right-one BORG_BASE_DIR=$CASE/b borg init -e repokey repo
c h6_borg_passphrase auth_failure borg 'BORG_BASE_DIR=$PWD/b BORG_PASSPHRASE=wrong-one borg list repo'
prep h6_borg_no_repo
c h6_borg_no_repo file_not_found borg 'BORG_BASE_DIR=$PWD/b BORG_PASSPHRASE=x borg list /srv/borg/nightly'
prep h6_borg_archive_exists; inc env BORG_PASSPHRASE=p BORG_BASE_DIR=$CASE/b borg init -e repokey repo
inc env BORG_PASSPHRASE=p BORG_BASE_DIR=$CASE/b borg create repo::etc-2026-12-07 /etc/hostname
c h6_borg_archive_exists runtime_error borg 'BORG_BASE_DIR=$PWD/b BORG_PASSPHRASE=p borg create repo::etc-2026-12-07 /etc/hostname'
prep h6_rclone_missing_src
c h6_rclone_missing_src file_not_found rclone 'rclone --config /dev/null copy exports/2026-12 backup/exports'
c h6_rclone_no_remote usage_error rclone 'rclone --config /dev/null lsd s3prod:acme-artifacts'
c h6_rclone_http_401 auth_failure rclone "rclone --config /dev/null lsf :http: --http-url http://127.0.0.1:$PORT_EXTRA/private/"
prep h6_rclone_full; small_fs size=1m
c h6_rclone_full disk_full rclone 'head -c 3000000 /dev/zero > big.iso && rclone --config /dev/null copy big.iso mnt/ --retries 1 --low-level-retries 1'
prep h6_age_wrong_identity; inc age-keygen -o alice.key; inc age-keygen -o bob.key
(cd "$CASE" && echo 'db_password=hunter2' | age -r "$(age-keygen -y alice.key)" -o secrets.env.age)
c h6_age_wrong_identity auth_failure age 'age -d -i bob.key -o secrets.env secrets.env.age'
c h6_age_bad_recipient usage_error age 'echo token | age -r age1notarealrecipient -o token.age'
put h6_signify_verify release.tar.gz 'release\n'
inc signify-openbsd -G -n -p rel.pub -s rel.sec
inc signify-openbsd -G -n -p other.pub -s other.sec
inc signify-openbsd -S -s rel.sec -m release.tar.gz
c h6_signify_verify runtime_error signify 'signify-openbsd -V -p other.pub -m release.tar.gz'
c h6_minisign_no_key file_not_found minisign 'echo x > app.tar && minisign -Vm app.tar -p keys/release.pub'
prep h6_openssl_pkcs12_pass; inc openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=api -days 3650 -keyout k.pem -out c.pem
inc openssl pkcs12 -export -in c.pem -inkey k.pem -out api.p12 -passout pass:right-one
c h6_openssl_pkcs12_pass auth_failure openssl 'openssl pkcs12 -in api.p12 -nodes -passin pass:wrong-one -out api.pem'
prep h6_openssl_enc_pass; (cd "$CASE" && echo 'API_KEY=abc' | openssl enc -aes-256-cbc -pbkdf2 -S 0102030405060708 -pass pass:right-one -out env.enc)
c h6_openssl_enc_pass auth_failure openssl 'openssl enc -d -aes-256-cbc -pbkdf2 -pass pass:wrong-one -in env.enc -out .env'
prep h6_sshkeygen_passphrase; inc ssh-keygen -q -t ed25519 -N right-phrase -f deploy_key
c h6_sshkeygen_passphrase auth_failure ssh 'ssh-keygen -y -P wrong-phrase -f deploy_key'
c h6_sshadd_no_agent network ssh 'ssh-keygen -q -t ed25519 -N "" -f k && env -u SSH_AUTH_SOCK ssh-add k'

# ---------------------------------------------------------------- python libraries (new ones)
put h6_duckdb_table sales_by_region.py 'import duckdb\ncon = duckdb.connect()\nprint(con.sql("select region, sum(amount) from sales group by region").fetchall())\n'
c h6_duckdb_table file_not_found duckdb 'python3 sales_by_region.py'
put h6_duckdb_parse adhoc_query.py 'import duckdb\nduckdb.sql("selct 42 as answer").show()\n'
c h6_duckdb_parse syntax_error duckdb 'python3 adhoc_query.py'
put h6_duckdb_csv load_events.py 'import duckdb\nprint(duckdb.read_csv("exports/events-2026-12.csv").shape)\n'
c h6_duckdb_csv file_not_found duckdb 'python3 load_events.py'
put h6_duckdb_cast cast.py 'import duckdb\nduckdb.sql("select cast(\x2712 kg\x27 as integer) as weight").fetchall()\n'
c h6_duckdb_cast runtime_error duckdb 'python3 cast.py'
put h6_pydantic_validation settings.py 'from pydantic import BaseModel\n\nclass Settings(BaseModel):\n    port: int\n    debug: bool\n\nSettings(port="eighty", debug="sometimes")\n'
c h6_pydantic_validation runtime_error pydantic 'python3 settings.py'
put h6_click_missing_option cli.py 'import click\n\n@click.command()\n@click.option("--env", required=True)\ndef deploy(env):\n    print(env)\n\ndeploy()\n'
c h6_click_missing_option usage_error click 'python3 cli.py --dry-run'
put h6_typer_bad_int tool.py 'import typer\n\ndef main(workers: int, name: str = "api"):\n    print(workers, name)\n\ntyper.run(main)\n'
COLOR=1 c h6_typer_bad_int usage_error typer 'COLUMNS=80 FORCE_COLOR=1 python3 tool.py four --name web'
put h6_typer_missing_arg tool.py 'import typer\n\ndef main(source: str, dest: str):\n    print(source, dest)\n\ntyper.run(main)\n'
c h6_typer_missing_arg usage_error typer 'COLUMNS=80 python3 tool.py backups/'
put h6_requests_refused get.py "import requests\nrequests.get('http://127.0.0.1:PORT/api/v2/orders', timeout=3)\n"
sed -i "s/PORT/$PORT_FREE/" "$CASE/get.py"
c h6_requests_refused network requests 'python3 get.py'
put h6_requests_503 push_job.py "import requests\nr = requests.post('http://127.0.0.1:PORT/status/503', json={'job': 7}, timeout=3)\nr.raise_for_status()\n"
sed -i "s/PORT/$PORT_EXTRA/" "$CASE/push_job.py"
c h6_requests_503 runtime_error requests 'python3 push_job.py'
put h6_requests_401 pull.py "import requests\nr = requests.get('http://127.0.0.1:PORT/private/reports.csv', auth=('ci', 'expired-token'), timeout=3)\nr.raise_for_status()\n"
sed -i "s/PORT/$PORT_EXTRA/" "$CASE/pull.py"
c h6_requests_401 auth_failure requests 'python3 pull.py'
put h6_requests_read_timeout poll.py "import requests\nrequests.get('http://127.0.0.1:PORT/slow/jobs', timeout=(2, 1))\n"
sed -i "s/PORT/$PORT_EXTRA/" "$CASE/poll.py"
c h6_requests_read_timeout network requests 'python3 poll.py'
put h6_requests_ssl health.py "import requests\nrequests.get('https://127.0.0.1:PORT/health', timeout=3)\n"
sed -i "s/PORT/$PORT_TLS_SELF/" "$CASE/health.py"
c h6_requests_ssl network requests 'python3 health.py'
put h6_httpx_connect metrics_probe.py "import httpx\nhttpx.get('http://127.0.0.1:PORT/metrics')\n"
sed -i "s/PORT/$PORT_FREE/" "$CASE/metrics_probe.py"
c h6_httpx_connect network httpx 'python3 metrics_probe.py'
put h6_httpx_403 delete_user.py "import httpx\nhttpx.delete('http://127.0.0.1:PORT/forbidden/users/42').raise_for_status()\n"
sed -i "s/PORT/$PORT_EXTRA/" "$CASE/delete_user.py"
c h6_httpx_403 auth_failure httpx 'python3 delete_user.py'
put h6_httpx_dns charge.py "import httpx\nhttpx.get('https://payments.internal.example/v1/charges', timeout=3)\n"
c h6_httpx_dns network httpx 'python3 charge.py'
put h6_aiohttp_connect a.py "import asyncio, aiohttp\nasync def main():\n    async with aiohttp.ClientSession() as s:\n        async with s.get('http://127.0.0.1:PORT/') as r:\n            print(r.status)\nasyncio.run(main())\n"
sed -i "s/PORT/$PORT_FREE/" "$CASE/a.py"
c h6_aiohttp_connect network aiohttp 'python3 a.py'
put h6_asyncio_wait_for w.py "import asyncio\nasync def fetch_prices():\n    await asyncio.sleep(10)\nasync def main():\n    await asyncio.wait_for(fetch_prices(), timeout=0.5)\nasyncio.run(main())\n"
c h6_asyncio_wait_for timeout python 'python3 w.py'
put h6_paramiko_auth ssh_password.py "import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\nc.connect('127.0.0.1', port=PORT, username='root', password='hunter2', allow_agent=False, look_for_keys=False)\n"
sed -i "s/PORT/$PORT_SSH/" "$CASE/ssh_password.py"
c h6_paramiko_auth auth_failure paramiko 'python3 ssh_password.py'
put h6_paramiko_refused ssh_deploy.py "import paramiko\nc = paramiko.SSHClient()\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\nc.connect('127.0.0.1', port=PORT, username='deploy', timeout=3)\n"
sed -i "s/PORT/$PORT_FREE/" "$CASE/ssh_deploy.py"
c h6_paramiko_refused network paramiko 'python3 ssh_deploy.py'
put h6_jwt_expired verify_token.py 'import jwt\ntoken = jwt.encode({"sub": "ci", "exp": 946684800}, "k3y", algorithm="HS256")\nprint(jwt.decode(token, "k3y", algorithms=["HS256"]))\n'
c h6_jwt_expired auth_failure jwt 'python3 verify_token.py'
put h6_jwt_signature verify_webhook.py 'import jwt\ntoken = jwt.encode({"sub": "ci"}, "old-secret", algorithm="HS256")\nprint(jwt.decode(token, "new-secret", algorithms=["HS256"]))\n'
c h6_jwt_signature auth_failure jwt 'python3 verify_webhook.py'
put h6_fernet_wrong_key dec.py 'from cryptography.fernet import Fernet\ntoken = Fernet(Fernet.generate_key()).encrypt(b"db-password")\nprint(Fernet(Fernet.generate_key()).decrypt(token))\n'
c h6_fernet_wrong_key auth_failure cryptography 'python3 dec.py'
put h6_ruamel_duplicate load_deploy.py 'from ruamel.yaml import YAML\nprint(YAML().load(open("deploy.yaml")))\n'
add deploy.yaml 'replicas: 2\nimage: api:1.4\nreplicas: 3\n'
c h6_ruamel_duplicate syntax_error yaml 'python3 load_deploy.py'
put h6_pyyaml_scanner load_values.py 'import yaml\nprint(yaml.safe_load(open("values.yaml")))\n'
add values.yaml 'service:\n  port: 8080\n  annotations:\n    team: "payments\n  tier: backend\n'
c h6_pyyaml_scanner syntax_error yaml 'python3 load_values.py'
put h6_lxml_syntax parse.py 'from lxml import etree\netree.parse("feed.xml")\n'
add feed.xml '<rss><channel><title>News</title><item><title>A & B</title></item></channel></rss>\n'
c h6_lxml_syntax syntax_error lxml 'python3 parse.py'
put h6_lxml_schema v.py 'from lxml import etree\nschema = etree.XMLSchema(etree.parse("order.xsd"))\nschema.assertValid(etree.parse("order.xml"))\n'
add order.xsd '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="order"><xs:complexType><xs:sequence><xs:element name="qty" type="xs:positiveInteger"/></xs:sequence></xs:complexType></xs:element></xs:schema>\n'
add order.xml '<order><qty>-2</qty></order>\n'
c h6_lxml_schema runtime_error lxml 'python3 v.py'
put h6_pillow_not_image thumb.py 'from PIL import Image\nImage.open("uploads/avatar.png").thumbnail((64, 64))\n'
add uploads/avatar.png '<!DOCTYPE html><html><body>Access denied</body></html>\n'
c h6_pillow_not_image runtime_error pillow 'python3 thumb.py'
put h6_pillow_bomb scan_preview.py 'from PIL import Image\nImage.open("scan.png").load()\n'
/usr/bin/python3 - "$CASE/scan.png" <<'PY'
import struct, sys, zlib
w = h = 20000
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
raw = zlib.compress(b"\x00" * (w // 8 + 1) * 4)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
PY
c h6_pillow_bomb resource_limit pillow 'python3 scan_preview.py'
put h6_sqlalchemy_no_table invoices.py 'from sqlalchemy import create_engine, text\nwith create_engine("sqlite:///app.db").connect() as c:\n    print(c.execute(text("select * from invoices")).all())\n'
c h6_sqlalchemy_no_table file_not_found sqlalchemy 'python3 invoices.py'
put h6_sqlalchemy_unique signup.py 'from sqlalchemy import create_engine, text\ne = create_engine("sqlite:///users.db")\nwith e.begin() as c:\n    c.execute(text("create table if not exists users (email text unique)"))\n    c.execute(text("insert into users values (\x27ada@example.com\x27)"))\n    c.execute(text("insert into users values (\x27ada@example.com\x27)"))\n'
c h6_sqlalchemy_unique runtime_error sqlalchemy 'python3 signup.py'
if [ $HAVE_PG = 1 ]; then
put h6_sqlalchemy_pg_auth pg_engine.py "from sqlalchemy import create_engine\ncreate_engine('postgresql+psycopg2://postgres:wrong-password@127.0.0.1:PORT/shop').connect()\n"
sed -i "s/PORT/$PORT_PG/" "$CASE/pg_engine.py"
c h6_sqlalchemy_pg_auth auth_failure sqlalchemy 'python3 pg_engine.py'
fi
put h6_psycopg2_refused connect_pg.py "import psycopg2\npsycopg2.connect(host='127.0.0.1', port=PORT, dbname='shop', user='app', connect_timeout=2)\n"
sed -i "s/PORT/$PORT_FREE/" "$CASE/connect_pg.py"
c h6_psycopg2_refused network psycopg2 'python3 connect_pg.py'
put h6_marshmallow m.py 'from marshmallow import Schema, fields\nclass User(Schema):\n    email = fields.Email(required=True)\n    age = fields.Int()\nUser().load({"email": "not-an-email", "age": "x"})\n'
c h6_marshmallow runtime_error marshmallow 'python3 m.py'
put h6_cerberus validate_config.py 'import sys\nfrom cerberus import Validator\nv = Validator({"replicas": {"type": "integer", "min": 1}})\nif not v.validate({"replicas": 0}):\n    sys.exit(f"invalid config: {v.errors}")\n'
c h6_cerberus runtime_error cerberus 'python3 validate_config.py'
put h6_msgpack_extra u.py 'import msgpack\nmsgpack.unpackb(open("cache.bin", "rb").read())\n'
printf '\x93\x01\x02\x03\xc0\xc0' >"$CASE/cache.bin"
c h6_msgpack_extra runtime_error msgpack 'python3 u.py'
put h6_mako_syntax render.py 'from mako.template import Template\nprint(Template(filename="invoice.txt").render(total=3))\n'
add invoice.txt 'Total: ${total}\n% for line in lines:\n  ${line}\n% endif\n'
c h6_mako_syntax syntax_error mako 'python3 render.py'
put h6_procpool_broken pool.py 'import os\nfrom concurrent.futures import ProcessPoolExecutor\ndef work(n):\n    if n == 3:\n        os._exit(1)\n    return n\nif __name__ == "__main__":\n    with ProcessPoolExecutor(2) as ex:\n        print(list(ex.map(work, range(6))))\n'
c h6_procpool_broken runtime_error python 'python3 pool.py'
c h6_py_print_devfull disk_full python "python3 -c 'print(\"report line\\n\" * 2000)' > /dev/full"
prep h6_py_write_full; small_fs size=256k
c h6_py_write_full disk_full python "python3 -c \"open('mnt/export.ndjson', 'w').write('{\\\"id\\\": 1}\\n' * 100000)\""

# ---------------------------------------------------------------- python dev tools (new ones)
put h6_nose2_fail tests/test_price.py 'import unittest\n\nclass PriceTest(unittest.TestCase):\n    def test_discount(self):\n        self.assertEqual(round(19.99 * 0.9, 2), 17.98)\n'
add tests/__init__.py ''
c h6_nose2_fail test_failure nose2 'python3 -m nose2 -s . tests'
put h6_pydocstyle api/views.py 'def list_orders(request):\n    return []\n\nclass OrderView:\n    """orders view"""\n'
c h6_pydocstyle compile_error pydocstyle 'pydocstyle api/'
put h6_pyflakes worker.py 'import os\nimport json\n\ndef run(job):\n    return jsn.dumps(job)\n'
c h6_pyflakes compile_error pyflakes 'python3 -m pyflakes worker.py'
put h6_pyflakes_syntax jobs.py 'def enqueue(job)\n    return job\n'
c h6_pyflakes_syntax syntax_error pyflakes 'python3 -m pyflakes jobs.py'
put h6_vulture app/util.py 'import os\n\ndef used():\n    return 1\n\ndef legacy_export(path):\n    unused_tmp = 3\n    return path\n\nprint(used())\n'
c h6_vulture compile_error vulture 'vulture --min-confidence 60 app/'
put h6_xenon_complexity calc.py "def grade(s):\n$(for i in $(seq 1 25); do printf '    if s == %d:\\n        return %d\\n' $i $i; done)\n    return 0\n"
c h6_xenon_complexity compile_error radon 'xenon --max-absolute B calc.py'
put h6_yapf_diff svc.py 'def f( a,b ):\n  return a+b\n'
c h6_yapf_diff compile_error yapf 'yapf --diff svc.py'
put h6_autopep8_exit svc.py 'import os,sys\ndef f( a ):\n    return a\n'
c h6_autopep8_exit compile_error autopep8 'autopep8 --diff --exit-code svc.py'
put h6_cpplint src/net.cc '#include <stdio.h>\nusing namespace std;\nint main(){ printf("x"); return 0; }\n'
c h6_cpplint compile_error cpplint 'cpplint --quiet src/net.cc'
put h6_detect_secrets config/settings.py 'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"\nDB_PASSWORD = "Sup3rS3cr3tPassw0rd!"\n'
c h6_detect_secrets compile_error detect-secrets 'detect-secrets-hook config/settings.py'
put h6_check_jsonschema deploy.json '{"replicas": "three", "image": "api:1.4"}\n'
add schema.json '{"type": "object", "required": ["image", "replicas"], "properties": {"replicas": {"type": "integer"}, "image": {"type": "string"}}}\n'
c h6_check_jsonschema runtime_error check-jsonschema 'check-jsonschema --schemafile schema.json deploy.json'
put h6_check_jsonschema_parse ci.yaml 'jobs:\n  build:\n    steps: [\n'
c h6_check_jsonschema_parse syntax_error check-jsonschema 'check-jsonschema --schemafile /dev/null ci.yaml'
put h6_proselint post.md 'This is very unique. We will utilize synergy in order to leverage it.\n'
c h6_proselint compile_error proselint 'proselint check post.md'
put h6_pip_compile_offline requirements.in 'flask>=3\nsqlalchemy\n'
c h6_pip_compile_offline network pip-tools 'pip-compile --quiet --output-file requirements.txt requirements.in'
put h6_pip_compile_wheelhouse requirements.in 'celery==5.4.0\n'
mkdir -p "$CASE/wheels"
c h6_pip_compile_wheelhouse missing_dependency pip-tools 'pip-compile --no-index --find-links wheels/ --output-file req.txt requirements.in'
put h6_pip_private_401 x ''
c h6_pip_private_401 auth_failure pip "python3 -m pip install --no-cache-dir --index-url http://127.0.0.1:$PORT_EXTRA/simple-private/ acme-billing-sdk==2.3.1"
put h6_build_backend pyproject.toml '[build-system]\nrequires = ["maturin>=1.5"]\nbuild-backend = "maturin"\n\n[project]\nname = "acme-cli"\nversion = "0.1.0"\n'
c h6_build_backend missing_dependency build 'python3 -m build --no-isolation --wheel'
put h6_build_isolated pyproject.toml '[build-system]\nrequires = ["setuptools>=68", "wheel"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "acme-lib"\nversion = "0.2.0"\n'
c h6_build_isolated network build 'python3 -m build --sdist'
put h6_pdm_install pyproject.toml '[project]\nname = "acme-api"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = ["fastapi>=0.110"]\n'
c h6_pdm_install network pdm 'PDM_CHECK_UPDATE=false pdm install --no-self --no-lock 2>&1 | tail -n 20; exit ${PIPESTATUS[0]}'
put h6_pdm_bad_toml pyproject.toml '[project]\nname = "acme-api"\nversion = 0.1.0\n'
c h6_pdm_bad_toml syntax_error pdm 'PDM_CHECK_UPDATE=false pdm lock'
put h6_hatch_no_project README.md 'notes\n'
c h6_hatch_no_project file_not_found hatch 'hatch version'
c h6_pipx_offline network pipx 'PIPX_HOME=$PWD/px PIPX_BIN_DIR=$PWD/bin pipx install httpie-edit'
put h6_waitress_port_busy app.py 'def app(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n'
c h6_waitress_port_busy port_in_use waitress "waitress-serve --listen=127.0.0.1:$PORT_BUSY app:app"
put h6_waitress_import x ''
c h6_waitress_import file_not_found waitress "waitress-serve --listen=127.0.0.1:$PORT_FREE shop.wsgi:application"
put h6_hypercorn_port_busy asgi.py 'async def app(scope, receive, send):\n    pass\n'
c h6_hypercorn_port_busy port_in_use hypercorn "hypercorn --bind 127.0.0.1:$PORT_BUSY asgi:app"

# ---------------------------------------------------------------- node tooling (new ones)
put h6_vitest_fail cart.test.mjs "import { test, expect } from 'vitest';\nconst total = (items) => items.reduce((s, i) => s + i.price * i.qty, 0);\ntest('cart total', () => { expect(total([{ price: 2.5, qty: 3 }, { price: 1, qty: 2 }])).toBe(10); });\n"
add package.json '{"name":"shop","type":"module","private":true}\n'
COLOR=1 c h6_vitest_fail test_failure vitest 'FORCE_COLOR=1 vitest run --root . cart.test.mjs'
put h6_vitest_import util.test.mjs "import { test, expect } from 'vitest';\nimport { slug } from './src/slug.mjs';\ntest('slug', () => { expect(slug('A B')).toBe('a-b'); });\n"
add package.json '{"name":"shop","type":"module","private":true}\n'
c h6_vitest_import file_not_found vitest 'vitest run --root . util.test.mjs'
put h6_ava_fail test/parse.test.mjs "import test from 'ava';\ntest('parses port', t => { t.is(Number.parseInt('08080', 8), 8080); });\n"
add package.json '{"name":"svc","type":"module","private":true}\n'
ln -s "$NM" "$CASE/node_modules"
c h6_ava_fail test_failure ava "NODE_PATH=$NM ava test/parse.test.mjs"
put h6_tape_fail test/dates.js "const test = require('tape');\ntest('iso week', (t) => { t.equal(new Date('2026-12-07').getUTCDay(), 0, 'monday is day 0'); t.end(); });\n"
c h6_tape_fail test_failure tape "NODE_PATH=$NM tape test/dates.js"
put h6_jasmine_fail spec/tax.spec.js "describe('tax', () => { it('adds 20%', () => { expect(Math.round(100 * 1.2 * 100) / 100).toEqual(121); }); });\n"
c h6_jasmine_fail test_failure jasmine 'jasmine spec/tax.spec.js'
put h6_qunit_fail test/money.js "QUnit.module('money');\nQUnit.test('formats cents', assert => { assert.strictEqual((1234 / 100).toFixed(1), '12.34'); });\n"
c h6_qunit_fail test_failure qunit 'qunit test/money.js'
put h6_rollup_syntax src/main.js "export function total(xs) {\n  return xs.reduce((a, b) => a + b, 0;\n}\n"
c h6_rollup_syntax compile_error rollup 'rollup src/main.js --file dist/bundle.js --format esm'
put h6_rollup_no_config src/main.js 'export const x = 1;\n'
c h6_rollup_no_config file_not_found rollup 'rollup --config rollup.config.prod.mjs'
put h6_rollup_missing_entry x ''
c h6_rollup_missing_entry file_not_found rollup 'rollup src/index.ts --file dist/index.js'
put h6_babel_syntax src/App.js "const App = () => {\n  return <div className=\"app\">{items.map(i => <Item key={i.id} {...i} />}</div>;\n};\n"
add babel.config.json '{}\n'
c h6_babel_syntax compile_error babel "NODE_PATH=$NM babel src --out-dir lib"
put h6_babel_preset src/index.js 'const a = 1;\n'
add babel.config.json '{"presets": ["@babel/preset-react"]}\n'
c h6_babel_preset missing_dependency babel "babel src --out-dir lib"
put h6_terser_parse dist/app.js 'function add(a, b) { return a + b }\nconst x = add(1, 2;\n'
c h6_terser_parse compile_error terser 'terser dist/app.js -c -m -o dist/app.min.js'
put h6_uglify_parse vendor/legacy.js 'var cfg = { debug: true, level: 3 ;\n'
c h6_uglify_parse compile_error uglify 'uglifyjs vendor/legacy.js -o vendor/legacy.min.js'
put h6_svgo_malformed icons/logo.svg '<svg xmlns="http://www.w3.org/2000/svg"><g><path d="M0 0L10 10"></g></svg>\n'
c h6_svgo_malformed syntax_error svgo 'svgo icons/logo.svg -o icons/logo.min.svg'
put h6_postcss_plugin src/site.css 'a { color: red; }\n'
add postcss.config.js "module.exports = { plugins: [require('autoprefixer')] };\n"
c h6_postcss_plugin missing_dependency postcss "NODE_PATH=$NM postcss src/site.css -o dist/site.css"
put h6_coffee_compile src/queue.coffee 'class Queue\n  constructor: (@items = []) ->\n  push: (x) ->\n    @items.push x\n  pop: ->\n    @items.shift(\n'
c h6_coffee_compile compile_error coffeescript 'coffee -c -o lib src/queue.coffee'
put h6_coffee_runtime report.coffee 'totals = {}\nconsole.log totals.eu.revenue\n'
c h6_coffee_runtime runtime_error coffeescript 'coffee report.coffee'
put h6_tsnode_type src/server.ts 'function port(v: string): number {\n  return v;\n}\nconsole.log(port("8080"));\n'
c h6_tsnode_type compile_error ts-node "NODE_PATH=$NM ts-node --compilerOptions '{\"module\":\"commonjs\"}' src/server.ts"
put h6_tsx_runtime src/job.ts 'type Job = { id: number; meta?: { owner: string } };\nconst jobs: Job[] = [{ id: 1 }];\nconsole.log(jobs[0].meta!.owner.toUpperCase());\n'
c h6_tsx_runtime runtime_error tsx 'tsx src/job.ts'
put h6_tsx_module src/main.ts "import { z } from 'zod';\nconsole.log(z.string().parse('x'));\n"
c h6_tsx_module missing_dependency tsx 'tsx src/main.ts'
put h6_jshint public/app.js 'function load() {\n  var data = fetchData()\n  if (data == null) return\n  x = data.items\n}\n'
add .jshintrc '{"undef": true, "asi": false, "eqnull": false, "browser": true}\n'
c h6_jshint compile_error jshint 'jshint public/app.js'
put h6_jsonlint config/app.json '{\n  "name": "api",\n  "port": 8080,\n  "features": ["a", "b",]\n}\n'
c h6_jsonlint syntax_error jsonlint 'jsonlint -q config/app.json'
put h6_taplo_lint Cargo.toml '[package]\nname = "svc"\nversion = "0.1.0"\n[dependencies]\nserde = { version = "1" features = ["derive"] }\n'
COLOR=1 c h6_taplo_lint syntax_error taplo 'taplo lint --colors always Cargo.toml'
put h6_taplo_fmt pyproject.toml '[tool.black]\nline-length=100\ntarget-version=[ "py311" ]\n'
c h6_taplo_fmt compile_error taplo 'taplo fmt --check pyproject.toml'
put h6_jsyaml .gitlab-ci.yml 'stages:\n  - build\nbuild:\n  stage: build\n  script:\n    - make\n   - make test\n'
c h6_jsyaml syntax_error js-yaml 'js-yaml .gitlab-ci.yml'
put h6_handlebars_parse templates/email.hbs '<p>Hello {{user.name}}</p>\n{{#each items}}\n<li>{{this}}</li>\n{{/if}}\n'
c h6_handlebars_parse syntax_error handlebars 'handlebars templates/email.hbs -f dist/templates.js'
put h6_ejs_syntax views/page.ejs '<h1><%= title %></h1>\n<% if (user) { %>\n<p><%= user.name %></p>\n'
c h6_ejs_syntax syntax_error ejs 'ejs views/page.ejs -o dist/page.html'
c h6_http_server_port_busy port_in_use http-server "http-server public -a 127.0.0.1 -p $PORT_BUSY"
gitrepo h6_commitlint_msg
add commitlint.config.js "module.exports = { rules: { 'type-empty': [2, 'never'], 'subject-empty': [2, 'never'], 'subject-full-stop': [2, 'never', '.'] } };\n"
COLOR=1 c h6_commitlint_msg compile_error commitlint 'echo "Fixed the login bug." | FORCE_COLOR=1 commitlint'
add .editorconfig 'root = true\n[*.py]\nindent_style = space\nindent_size = 4\ntrim_trailing_whitespace = true\n'
put h6_swagger_invalid openapi.yaml 'openapi: 3.0.3\ninfo:\n  title: Orders\npaths:\n  /orders:\n    get:\n      responses:\n        200:\n          description: ok\n'
c h6_swagger_invalid runtime_error swagger-cli 'swagger-cli validate openapi.yaml'
put h6_swagger_ref api.yaml "openapi: 3.0.3\ninfo: {title: A, version: '1'}\npaths:\n  /users:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                \$ref: './schemas/user.yaml'\n"
c h6_swagger_ref file_not_found swagger-cli 'swagger-cli bundle api.yaml -o dist/api.json'
put h6_knex_driver knexfile.js "module.exports = { client: 'sqlite3', connection: { filename: './dev.sqlite3' }, useNullAsDefault: true };\n"
mkdir -p "$CASE/migrations"
c h6_knex_driver missing_dependency knex "NODE_PATH=$NM knex migrate:latest --knexfile knexfile.js"
put h6_npm_ls_missing package.json '{"name":"web","version":"1.0.0","dependencies":{"lodash":"^4.17.21","dayjs":"^1.11.0"}}\n'
c h6_npm_ls_missing missing_dependency npm 'npm ls --depth=0'
put h6_npm_run_jshint package.json '{"name":"web","version":"1.0.0","scripts":{"lint:js":"jshint --config .jshintrc src/"}}\n'
add .jshintrc '{"undef": true}\n'
add src/cart.js 'function total() { return subtotal + shipping; }\n'
c h6_npm_run_jshint compile_error jshint 'npm run lint:js --silent'
put h6_npm_test_tape package.json "{\"name\":\"calc\",\"version\":\"1.0.0\",\"scripts\":{\"test\":\"NODE_PATH=$NM tape test/*.js\"}}\n"
add test/round.js "const test = require('tape');\ntest('rounds half up', t => { t.equal(Math.round(-2.5), -3); t.end(); });\n"
c h6_npm_test_tape test_failure tape 'npm test --silent'
put h6_npm_color_missing_script package.json '{"name":"web","version":"1.0.0","scripts":{"build":"rollup -c"}}\n'
COLOR=1 c h6_npm_color_missing_script usage_error npm 'npm run --color=always build:prod'
put h6_npm_version_dirty x ''
(cd "$CASE" && rm x && git init -q -b main && git config user.email d@e && git config user.name d && printf '{"name":"lib","version":"1.2.0"}\n' >package.json && git add . && git commit -qm init && echo change >>README.md && git add README.md)
c h6_npm_version_dirty runtime_error npm 'npm version minor -m "release %s"'
put h6_npm_private_401 package.json '{"name":"app","version":"1.0.0","dependencies":{"@acme/ui":"^2.0.0"}}\n'
c h6_npm_private_401 auth_failure npm "npm install --registry http://127.0.0.1:$PORT_HTTP/npm-private/ --no-package-lock"

# ---------------------------------------------------------------- ruby (minitest, erb) / php / perl (new situations)
put h6_minitest_fail test/cart_test.rb 'require "minitest/autorun"\nclass CartTest < Minitest::Test\n  def test_total\n    assert_equal 10.0, [2.5, 2.5, 4.9].sum\n  end\nend\n'
c h6_minitest_fail test_failure minitest 'ruby -Itest test/cart_test.rb --seed 42'
put h6_minitest_error test/user_test.rb 'require "minitest/autorun"\nclass UserTest < Minitest::Test\n  def test_name\n    user = nil\n    assert_equal "Ada", user.name\n  end\nend\n'
c h6_minitest_error test_failure minitest 'ruby test/user_test.rb --seed 7'
put h6_erb_syntax render.rb 'require "erb"\nputs ERB.new(File.read("config.yml.erb")).result(binding)\n'
add config.yml.erb 'db: <%= ENV.fetch("DB_HOST", "localhost") %>\n<% if ENV["REPLICA"] %>\nreplica: true\n'
c h6_erb_syntax syntax_error erb 'ruby render.rb'
put h6_ruby_enospc dump.rb 'File.open("mnt/dump.json", "w") { |f| 50_000.times { |i| f.write(%Q({"id":#{i},"pad":"#{"x" * 40}"}\\n)) } }\n'
small_fs size=512k
c h6_ruby_enospc disk_full ruby 'ruby dump.rb'
c h6_ruby_emfile resource_limit ruby "ulimit -n 32; ruby -e 'files = (1..100).map { |i| File.open(\"/dev/null\") }; puts files.size'"
put h6_ruby_gem_missing app.rb 'require "sinatra"\nget("/") { "ok" }\n'
c h6_ruby_gem_missing missing_dependency ruby 'ruby app.rb -p 4567'
put h6_php_max_exec loop.php '<?php\nset_time_limit(1);\n$n = 0;\nwhile (true) { $n++; }\n'
c h6_php_max_exec timeout php 'php loop.php'
put h6_php_mbstring slug.php '<?php\necho mb_strtolower("Straße"), "\\n";\n'
c h6_php_mbstring missing_dependency php 'php slug.php'
put h6_php_typeerror calc.php '<?php\ndeclare(strict_types=1);\nfunction vat(float $net): float { return $net * 1.2; }\necho vat("100"), "\\n";\n'
c h6_php_typeerror runtime_error php 'php calc.php'
put h6_php_pdo_missing db.php '<?php\n$db = new PDO("sqlite:app.db");\n$db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);\n$db->query("select * from sessions");\n'
c h6_php_pdo_missing missing_dependency php 'php db.php'
put h6_php_lint_syntax src/Router.php '<?php\nclass Router {\n    public function add($path, $handler) {\n        $this->routes[$path] = $handler\n    }\n}\n'
c h6_php_lint_syntax syntax_error php 'php -l src/Router.php'
c h6_php_devfull disk_full php "php -r 'if (file_put_contents(\"/dev/full\", str_repeat(\"row\\n\", 5000)) === false) { fwrite(STDERR, \"export failed\\n\"); exit(1); }'"
put h6_perl_module_missing sync.pl 'use strict;\nuse Mojo::UserAgent;\nprint Mojo::UserAgent->new->get("http://x")->result->code, "\\n";\n'
c h6_perl_module_missing missing_dependency perl 'perl sync.pl'
c h6_cpanm_offline network cpanm 'cpanm --notest --quiet --mirror http://cpan.internal.example/ --mirror-only Try::Tiny'

# ---------------------------------------------------------------- JVM / erlang builds: ant / rebar3
c h6_ant_no_buildfile file_not_found ant 'ant -noinput dist'
put h6_ant_no_target build.xml '<project name="app" default="compile"><target name="compile"><echo message="compiling"/></target></project>\n'
c h6_ant_no_target usage_error ant 'ant -noinput deploy'
put h6_ant_javac build.xml '<project name="app" default="compile"><target name="compile"><mkdir dir="build"/><javac srcdir="src" destdir="build" includeantruntime="false"/></target></project>\n'
add src/App.java 'public class App { public static void main(String[] a) { int n = "3"; } }\n'
c h6_ant_javac compile_error ant 'ant -noinput compile'
prep h6_rebar3_compile; mkdir -p "$CASE/src"
printf '{application, shop, [{vsn, "0.1.0"}, {modules, []}, {registered, []}, {applications, [kernel, stdlib]}]}.\n' >"$CASE/src/shop.app.src"
printf -- '-module(cart).\n-export([total/1]).\ntotal(Items) -> lists:sum([P || {_, P} <- Items]).\nbad() -> undefined_fun(1).\n' >"$CASE/src/cart.erl"
printf '{erl_opts, [debug_info]}.\n' >"$CASE/rebar.config"
c h6_rebar3_compile compile_error rebar3 'HOME=$PWD rebar3 compile'
prep h6_rebar3_eunit; mkdir -p "$CASE/src"
printf '{application, calc, [{vsn, "0.1.0"}, {modules, []}, {registered, []}, {applications, [kernel, stdlib]}]}.\n' >"$CASE/src/calc.app.src"
printf -- '-module(calc).\n-export([add/2]).\n-include_lib("eunit/include/eunit.hrl").\nadd(A, B) -> A - B.\nadd_test() -> ?assertEqual(5, add(2, 3)).\n' >"$CASE/src/calc.erl"
printf '{erl_opts, [debug_info]}.\n' >"$CASE/rebar.config"
c h6_rebar3_eunit test_failure rebar3 'HOME=$PWD rebar3 eunit'
prep h6_rebar3_deps; mkdir -p "$CASE/src"
printf '{application, web, [{vsn, "0.1.0"}, {modules, []}, {registered, []}, {applications, [kernel, stdlib]}]}.\n' >"$CASE/src/web.app.src"
printf -- '-module(web).\n' >"$CASE/src/web.erl"
printf '{deps, [{cowboy, "2.12.0"}]}.\n' >"$CASE/rebar.config"
c h6_rebar3_deps network rebar3 'HOME=$PWD rebar3 get-deps'

# ---------------------------------------------------------------- C/C++ test frameworks and sanitizers
put h6_catch2_fail test_money.cpp '#define CATCH_CONFIG_MAIN\n#include <catch2/catch.hpp>\nint cents(double v) { return static_cast<int>(v * 100); }\nTEST_CASE("converts to cents") { REQUIRE(cents(0.29) == 29); }\n'
inc g++ -O0 -o test_money test_money.cpp
c h6_catch2_fail test_failure catch2 './test_money --use-colour no'
put h6_gtest_fail parse_test.cc '#include <gtest/gtest.h>\n#include <string>\nint parse_port(const std::string& s) { return std::stoi(s.substr(1)); }\nTEST(Parse, Port) { EXPECT_EQ(parse_port(":8080"), 8080); EXPECT_EQ(parse_port("8443"), 8443); }\n'
inc g++ -o parse_test parse_test.cc -lgtest -lgtest_main -pthread
c h6_gtest_fail test_failure gtest './parse_test --gtest_color=no'
(cd "$CASE" && printf '#include <gtest/gtest.h>\nTEST(A, B) { SUCCEED(); }\n' >t.cc && g++ -o t t.cc -lgtest -lgtest_main -pthread >/dev/null 2>&1)
put h6_asan_overflow buf.c '#include <stdlib.h>\n#include <string.h>\nint main(void) {\n  char *b = malloc(8);\n  strcpy(b, "overflowing");\n  free(b);\n  return 0;\n}\n'
inc gcc -g -fsanitize=address -o parse_header buf.c
c h6_asan_overflow runtime_error gcc './parse_header'
put h6_ubsan_shift shift.c '#include <stdio.h>\nint main(int argc, char **argv) {\n  int bits = 31 + argc;\n  printf("%d\\n", 1 << bits);\n  return 0;\n}\n'
inc gcc -g -fsanitize=undefined -fno-sanitize-recover=all -o shift shift.c
c h6_ubsan_shift runtime_error gcc './shift'
put h6_c_assert queue.c '#include <assert.h>\n#include <stdio.h>\nint pop(int *n) { assert(*n > 0 && "pop from empty queue"); return --*n; }\nint main(void) { int n = 0; printf("%d\\n", pop(&n)); }\n'
inc gcc -o job_queue queue.c
c h6_c_assert runtime_error gcc './job_queue'
put h6_gcc_link_full main.c '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
small_fs size=8k
c h6_gcc_link_full disk_full gcc 'gcc -g -O0 -static -o mnt/hello main.c'
put h6_gcc_oom gen.c "int main(void) { return 0; }\n"
c h6_gcc_oom out_of_memory gcc 'ulimit -v 40000; gcc -O2 -c gen.c -o gen.o'

# ---------------------------------------------------------------- version control: darcs / breezy / quilt / git (new situations)
prep h6_darcs_no_repo
c h6_darcs_no_repo usage_error darcs 'darcs record -a -m "fix typo" --author "dev <dev@example.com>"'
prep h6_darcs_pull_missing; inc darcs init
c h6_darcs_pull_missing file_not_found darcs 'darcs pull -a /srv/darcs/upstream-lib'
prep h6_brz_not_branch
c h6_brz_not_branch usage_error brz 'brz status'
prep h6_brz_branch_missing
c h6_brz_branch_missing file_not_found brz 'brz branch /srv/bzr/legacy-billing billing'
put h6_quilt_no_series src/main.c 'int main(void) { return 0; }\n'
c h6_quilt_no_series file_not_found quilt 'quilt push -a'
put h6_quilt_reject src/config.h '#define PORT 80\n#define HOST "localhost"\n'
mkdir -p "$CASE/patches"; printf 'port.patch\n' >"$CASE/patches/series"
printf -- '--- a/src/config.h\n+++ b/src/config.h\n@@ -1,2 +1,2 @@\n-#define PORT 8080\n+#define PORT 9090\n #define HOST "localhost"\n' >"$CASE/patches/port.patch"
c h6_quilt_reject runtime_error quilt 'quilt push port.patch'
gitrepo h6_git_cherry_pick_conflict
(cd "$CASE" && git checkout -qb hotfix && echo hotfix >f.txt && git commit -qam 'hotfix: change f' && git checkout -q main && echo mainline >f.txt && git commit -qam 'main: change f')
c h6_git_cherry_pick_conflict runtime_error git 'git cherry-pick hotfix'
gitrepo h6_git_am_fails
(cd "$CASE" && echo one >g.txt && git add g.txt && git commit -qm g && echo two >g.txt && git commit -qam g2 && git format-patch -1 -o ../am-patches >/dev/null && mv ../am-patches . && git reset -q --hard HEAD~2)
c h6_git_am_fails runtime_error git 'git am am-patches/0001-g2.patch'
gitrepo h6_git_apply_check
printf -- '--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-original\n+changed\n' >"$CASE/fix.diff"
c h6_git_apply_check runtime_error git 'git apply --check fix.diff'
gitrepo h6_git_push_rejected
(cd "$CASE" && git clone -q --bare . ../remote-$$.git 2>/dev/null; mv ../remote-$$.git remote.git && git remote add origin ./remote.git && git clone -q remote.git other && (cd other && git config user.email o@e && git config user.name o && echo other >o.txt && git add o.txt && git commit -qm other && git push -q origin main) && echo mine >m.txt && git add m.txt && git commit -qm mine)
c h6_git_push_rejected runtime_error git 'git push --follow-tags origin main'
gitrepo h6_git_pull_ff_only
(cd "$CASE" && git clone -q . up && (cd up && git config user.email o@e && git config user.name o && echo up >u.txt && git add u.txt && git commit -qm up) && git remote add up ./up && echo local >l.txt && git add l.txt && git commit -qm local)
c h6_git_pull_ff_only runtime_error git 'git pull --ff-only up main'
gitrepo h6_git_clone_missing
c h6_git_clone_missing file_not_found git 'git clone /srv/git/payments-service.git payments'
gitrepo h6_git_worktree_busy
(cd "$CASE" && git branch feature/login && git worktree add -q wt1 feature/login 2>/dev/null)
c h6_git_worktree_busy runtime_error git 'git worktree add wt2 feature/login'
gitrepo h6_git_sign_no_key
c h6_git_sign_no_key auth_failure git 'echo x >> f.txt && GNUPGHOME=$PWD/.gnupg git -c user.signingkey=0xDEADBEEF12345678 commit -S -qam "signed release"'
gitrepo h6_git_archive_ref
c h6_git_archive_ref file_not_found git 'git archive --format=tar.gz -o release.tgz v2.4.0'
gitrepo h6_git_fsck_corrupt
(cd "$CASE" && obj=$(git rev-parse HEAD:f.txt) && f=.git/objects/${obj:0:2}/${obj:2} && chmod u+w "$f" && printf 'garbage' >"$f")
c h6_git_fsck_corrupt runtime_error git 'git fsck --full --no-progress'
gitrepo h6_git_submodule_missing
(cd "$CASE" && printf '[submodule "vendor/proto"]\n\tpath = vendor/proto\n\turl = /srv/git/proto-defs.git\n' >.gitmodules && git add .gitmodules && git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/proto && git commit -qm sub)
c h6_git_submodule_missing file_not_found git 'git submodule update --init vendor/proto'
gitrepo h6_git_gc_full; small_fs size=64k
(cd "$CASE" && /usr/bin/python3 -c "import random; random.seed(6); open('blob.bin','wb').write(random.randbytes(200000))" && git add blob.bin && git commit -qm blob)
c h6_git_gc_full disk_full git 'git clone --no-hardlinks --no-local . mnt/mirror'
gitrepo h6_git_remote_exists
(cd "$CASE" && git remote add origin /srv/git/app.git)
c h6_git_remote_exists runtime_error git 'git remote add origin /srv/git/app-v2.git'
gitrepo h6_git_switch_dirty
(cd "$CASE" && git checkout -qb other && echo other >f.txt && git commit -qam other && git checkout -q main && echo wip >f.txt)
c h6_git_switch_dirty runtime_error git 'git switch other'
gitrepo h6_git_color_conflict
(cd "$CASE" && git checkout -qb topic && echo topic >f.txt && git commit -qam topic && git checkout -q main && echo main2 >f.txt && git commit -qam main2)
COLOR=1 c h6_git_color_conflict runtime_error git 'git -c color.ui=always merge --no-edit topic'

# ---------------------------------------------------------------- media and data files: sox / exiftool / imagemagick / lmdb
c h6_sox_missing file_not_found sox 'sox recordings/intro.wav -r 16000 intro-16k.wav'
c h6_sox_bad_effect usage_error sox 'sox -n tone.wav synth 1 sine 440 reverbb 50'
put h6_sox_not_audio voice.wav 'RIFF? no, this is a text file\n'
c h6_sox_not_audio runtime_error sox 'sox voice.wav voice.flac'
LIMIT=file_size:65536 c h6_sox_fsize resource_limit signal 'sox -n -r 48000 -b 16 -c 2 long.wav synth 30 sine 440'
c h6_exiftool_missing file_not_found exiftool 'exiftool -json photos/IMG_2041.JPG'
put h6_exiftool_write notes.txt 'plain text\n'
c h6_exiftool_write runtime_error exiftool 'exiftool -overwrite_original -Artist="Ada" notes.txt'
c h6_magick_missing file_not_found imagemagick '/usr/bin/convert assets/hero.png -resize 50% assets/hero-small.png'
put h6_magick_not_image logo.png '<svg not really\n'
c h6_magick_not_image runtime_error imagemagick '/usr/bin/identify logo.png'
c h6_magick_limit resource_limit imagemagick '/usr/bin/convert -limit width 1000 -size 4000x200 xc:white banner.png'
prep h6_magick_policy
c h6_magick_policy permission_denied imagemagick '/usr/bin/convert -size 100x100 xc:white page.png && /usr/bin/convert page.png handout.pdf'
c h6_lmdb_missing file_not_found lmdb 'mdb_stat -e data/cache.mdb'
put h6_lmdb_invalid store/data.mdb 'not an lmdb file at all, just text padding padding padding\n'
c h6_lmdb_invalid runtime_error lmdb 'mdb_stat -e store'
put h6_db_dump_invalid users.db 'SQLite format 3 pretend\n'
c h6_db_dump_invalid runtime_error berkeley-db 'db_dump users.db'

# ---------------------------------------------------------------- linters / formatters / config languages (new ones)
put h6_shfmt_diff scripts/deploy.sh '#!/bin/sh\nif [ -n "$1" ]\nthen\n      echo "$1"\nfi\n'
c h6_shfmt_diff compile_error shfmt 'shfmt -d -i 2 scripts/deploy.sh'
put h6_shfmt_parse scripts/backup.sh '#!/bin/bash\nfor f in *.sql; do\n  gzip "$f"\ndone\nif [ -d /backup ]; then\n  mv *.gz /backup\n'
c h6_shfmt_parse syntax_error shfmt 'shfmt -l scripts/backup.sh'
put h6_codespell docs/guide.md 'The recieve function is called seperately for each occurence.\n'
c h6_codespell compile_error codespell 'codespell docs/'
put h6_clang_format src/parser.c 'int parse(const char*s){if(!s)return -1;return 0;}\n'
c h6_clang_format compile_error clang-format 'clang-format --dry-run -Werror --style=LLVM src/parser.c'
put h6_clang_format_config src/a.c 'int a;\n'
add .clang-format 'BasedOnStyle: LLVM\nIndentWidth: four\n'
c h6_clang_format_config syntax_error clang-format 'clang-format --dry-run src/a.c'
put h6_splint list.c '#include <stdlib.h>\nint *make(void) {\n  int *p = malloc(sizeof(int));\n  *p = 3;\n  return p;\n}\n'
c h6_splint compile_error splint 'splint +posixlib list.c'
put h6_flawfinder src/cli.c '#include <stdio.h>\n#include <string.h>\nint main(int argc, char **argv) {\n  char buf[16];\n  strcpy(buf, argv[1]);\n  printf(argv[1]);\n  return 0;\n}\n'
c h6_flawfinder compile_error flawfinder 'flawfinder --error-level=4 --quiet --dataonly src/'
put h6_luacheck src/app.lua 'local json = require("json")\nfunction handle(req)\n  local unused = 1\n  return reqest.body\nend\n'
c h6_luacheck compile_error luacheck 'luacheck --no-color src/app.lua'
put h6_luacheck_syntax src/cfg.lua 'return {\n  port = 8080\n  host = "0.0.0.0",\n}\n'
c h6_luacheck_syntax syntax_error luacheck 'luacheck --no-color src/cfg.lua'
put h6_jsonnet_syntax deploy.jsonnet '{\n  replicas: 3,\n  image: "api:" + std.extVar("tag")\n  ports: [8080],\n}\n'
c h6_jsonnet_syntax syntax_error jsonnet 'jsonnet --ext-str tag=1.4 deploy.jsonnet'
put h6_jsonnet_error svc.jsonnet 'local env = std.extVar("env");\nif env == "prod" then { replicas: 6 } else error "unknown environment: " + env\n'
c h6_jsonnet_error runtime_error jsonnet 'jsonnet --ext-str env=qa svc.jsonnet'
put h6_jsonnet_import main.jsonnet 'local lib = import "vendor/k8s-libsonnet/main.libsonnet";\nlib.deployment\n'
c h6_jsonnet_import file_not_found jsonnet 'jsonnet -J vendor main.jsonnet'
put h6_vim_script fix.vim 'set nocompatible\nlet g:width = 80\ncall FormatAll(g:width)\n'
add notes.txt 'x\n'
c h6_vim_script runtime_error vim 'vim -Nu NONE -i NONE -es -V1 -S fix.vim -c "wq" notes.txt'
c h6_units_unknown usage_error units "units -1 -t '3 furlongz' 'm'"
c h6_units_conform usage_error units "units -1 -t '5 kg' 'm'"

# ---------------------------------------------------------------- packaging: dpkg-deb / apt simulation / bubblewrap
prep h6_dpkgdeb_control; mkdir -p "$CASE/pkg/DEBIAN" "$CASE/pkg/usr/bin"
printf 'Package: acme-agent\nVersion: 1.0\nArchitecture: amd64\nMaintainer dev <dev@example.com>\nDescription: agent\n' >"$CASE/pkg/DEBIAN/control"
c h6_dpkgdeb_control syntax_error dpkg 'dpkg-deb --build --root-owner-group pkg acme-agent_1.0_amd64.deb'
put h6_dpkgdeb_not_deb agent.deb 'HTTP/1.1 404 Not Found\n'
c h6_dpkgdeb_not_deb runtime_error dpkg 'dpkg-deb --info agent.deb'
prep h6_apt_sim_deps; mkdir -p "$CASE/pkg/DEBIAN"
printf 'Package: acme-web\nVersion: 2.0\nArchitecture: all\nMaintainer: dev <dev@example.com>\nDepends: libacme-runtime3 (>= 3.1)\nDescription: web frontend\n' >"$CASE/pkg/DEBIAN/control"
inc dpkg-deb --build --root-owner-group pkg acme-web_2.0_all.deb
c h6_apt_sim_deps missing_dependency apt 'apt-get install -s -q ./acme-web_2.0_all.deb'
c h6_bwrap_readonly permission_denied bubblewrap 'bwrap --ro-bind / / --dev /dev --proc /proc touch /usr/local/share/build-stamp'
c h6_bwrap_no_net network bubblewrap "bwrap --ro-bind / / --dev /dev --proc /proc --unshare-net curl -sS -m 3 http://127.0.0.1:$PORT_HTTP/ok"
c h6_bwrap_missing_cmd command_not_found bubblewrap 'bwrap --ro-bind / / --dev /dev pytest-watch --help'

# ---------------------------------------------------------------- coreutils / shell: situations not used before
put h6_sha256_mismatch dist/app.tar.gz 'release bytes\n'
add dist/SHA256SUMS '0000000000000000000000000000000000000000000000000000000000000000  app.tar.gz\n'
c h6_sha256_mismatch runtime_error coreutils 'cd dist && sha256sum -c SHA256SUMS'
put h6_sha256_status dist/app.tar.gz 'release bytes\n'
add dist/SHA256SUMS 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff  app.tar.gz\n'
c h6_sha256_status runtime_error coreutils 'cd dist && sha256sum --status -c SHA256SUMS'
c h6_base64_invalid runtime_error coreutils 'echo "eyJhbGciOi*JIUzI1NiJ9" | base64 -d > header.json'
c h6_date_invalid usage_error coreutils 'date -d "2026-13-45 25:00" +%s'
c h6_chmod_bad_mode usage_error coreutils 'touch run.sh && chmod 8755 run.sh'
c h6_mkdir_exists runtime_error coreutils 'mkdir releases && mkdir releases'
c h6_ln_exists runtime_error coreutils 'mkdir -p releases/v2 && ln -s releases/v2 current && ln -sn releases/v3 current'
c h6_nohup_missing command_not_found coreutils 'nohup celery-beat --loglevel=info'
c h6_env_missing command_not_found coreutils 'env -i PATH=/usr/bin:/bin NODE_ENV=production next-server start'
c h6_stat_missing file_not_found coreutils 'stat -c %s build/output/app.wasm'
c h6_install_missing file_not_found coreutils 'install -m 0755 target/release/agent /tmp/agent-bin-install-test'
c h6_tr_range usage_error coreutils 'echo ABC | tr "z-a" "A-Z"'
c h6_getent_host network glibc 'getent hosts db-primary.internal.example'
c h6_getent_user file_not_found glibc 'getent passwd deploy-bot'
c h6_id_no_user file_not_found coreutils 'id -u jenkins-agent'
c h6_grep_q_silent unknown grep "printf 'listen 80;\n' > nginx.conf && grep -q 'listen 443 ssl' nginx.conf"
c h6_cmp_silent unknown coreutils "printf 'v1\n' > a.lock && printf 'v2\n' > b.lock && cmp -s a.lock b.lock"
c h6_pgrep_silent unknown procps 'pgrep -x node_exporter'
c h6_xz_silent runtime_error archive "head -c 500 /dev/zero > backup.xz && xz -t -q -q backup.xz"
c h6_bash_exit_silent unknown bash 'bash -c "exit 17"'

# ---------------------------------------------------------------- refused as nobody (nothing changes)
AS=nobody c h6_ulimit_raise_nobody permission_denied bash 'ulimit -n 1048576 && exec /usr/bin/python3 -c "print(1)"'
AS=nobody c h6_chrt_nobody permission_denied util-linux 'chrt -f 50 /bin/true'
AS=nobody c h6_renice_nobody permission_denied util-linux 'renice -n -5 -p $$'
AS=nobody c h6_ip_link_nobody permission_denied iproute2 'ip link set dev lo mtu 1400'
AS=nobody c h6_apache_port80_nobody permission_denied apache "cd /tmp && PATH=\$PATH:/usr/sbin && printf 'ServerRoot /etc/apache2\nServerName localhost\nListen 127.0.0.1:80\nInclude /etc/apache2/mods-available/mpm_event.load\nInclude /etc/apache2/mods-available/authz_core.load\nPidFile /tmp/a6-httpd-nobody.pid\nErrorLog /dev/stderr\n' > /tmp/a6-httpd-nobody.conf && apache2 -X -f /tmp/a6-httpd-nobody.conf; rc=\$?; rm -f /tmp/a6-httpd-nobody.conf; exit \$rc"
AS=nobody c h6_su_nobody auth_failure util-linux 'su -c "systemctl restart nginx" root < /dev/null'
AS=nobody c h6_crontab_other_nobody permission_denied cron 'crontab -l -u root'

# ---------------------------------------------------------------- memory / resource limits in more runtimes
c h6_java_ulimit_v out_of_memory jvm 'ulimit -v 300000; java -Xms1g -version'
put h6_java_threads Pool.java 'public class Pool { public static void main(String[] a) throws Exception { for (int i = 0; i < 500; i++) { Thread t = new Thread(() -> { try { Thread.sleep(5000); } catch (InterruptedException e) {} }); t.setDaemon(true); t.start(); } System.out.println("started"); } }\n'
inc javac Pool.java
AS=nobody c h6_java_threads resource_limit jvm 'ulimit -u 60; java -Xss256k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp . Pool'
c h6_node_ulimit_v out_of_memory node "ulimit -v 200000; node -e 'console.log(1)'"
c h6_jq_memory out_of_memory jq "ulimit -v 30000; jq -n '[range(0; 5000000)] | length'"
c h6_git_ulimit_v out_of_memory git "git init -q . && head -c 60000000 /dev/zero > dump.sql && ulimit -v 40000 && git add dump.sql"
c h6_gawk_memory out_of_memory awk "ulimit -v 30000; gawk 'BEGIN { for (i = 0; i < 5000000; i++) a[i] = i; print length(a) }'"
c h6_bash_ulimit_t resource_limit bash "ulimit -S -t 1; while :; do :; done"
c h6_prlimit_nofile resource_limit util-linux "prlimit --nofile=8 /usr/bin/python3 -c \"fs = [open('/dev/null') for _ in range(50)]\""
c h6_py_ulimit_fsize resource_limit python "ulimit -f 32; python3 -c \"open('export.csv', 'w').write('row\\n' * 100000)\""
put h6_sqlite_page_quota x ''
c h6_sqlite_page_quota disk_full sqlite "sqlite3 app.db 'pragma max_page_count = 20; create table logs (line text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000) insert into logs select printf(\"line %08d padding padding\", i) from n;'"
LIMIT=cpu_time:1 c h6_lim_cpu_python resource_limit signal "python3 -c 'while True: sum(range(1000))'"
LIMIT=output:300000 c h6_lim_output_yes_aligned resource_limit signal 'yes "DEBUG scheduler: tick queue=default workers=4 pending=0 lag=000"'
LIMIT=wall_time:2 c h6_lim_wall_mosquitto timeout signal "mosquitto_sub -h 127.0.0.1 -p $PORT_MQTT -u sensor -P right-mqtt-pass -t plant/line2/status"
LIMIT=file_size:100000 c h6_lim_fsize_python resource_limit signal "python3 -c \"open('trace.log', 'w').write('x' * 1000000)\""

# ---------------------------------------------------------------- signals (outside signals go only to the case's own process)
put h6_sig_rtmin worker.py 'import time\nprint("worker ready", flush=True)\nwhile True:\n    time.sleep(0.2)\n'
c h6_sig_rtmin killed signal '(sleep 1; kill -RTMIN+3 $$) & exec python3 worker.py'
c h6_sig_pwr_bash killed signal "(sleep 1; kill -PWR \$\$) & exec bash -c 'while true; do sleep 0.2; done'"
put h6_sig_io_perl poll.pl '$| = 1;\nprint "polling\\n";\nwhile (1) { select(undef, undef, undef, 0.2); }\n'
c h6_sig_io_perl killed signal '(sleep 1; kill -IO $$) & exec perl poll.pl'
put h6_sig_term_php daemon.php '<?php\necho "queue worker started\\n";\nwhile (true) { usleep(200000); }\n'
c h6_sig_term_php killed signal '(sleep 1; kill -TERM $$) & exec php daemon.php'
put h6_sig_kill_ruby import.rb '$stdout.sync = true\n(1..2).each { |i| puts "imported batch #{i}" }\nputs "waiting for the next batch"\nsleep 30\n'
c h6_sig_kill_ruby killed signal '(sleep 1; kill -KILL $$) & exec ruby import.rb'
put h6_sig_xcpu_lua spin.lua 'print("spinning")\nio.stdout:flush()\nwhile true do end\n'
c h6_sig_xcpu_lua killed signal '(sleep 1; kill -XCPU $$) & exec lua5.4 spin.lua'
put h6_sig_int_raku watch.raku 'say "watching";\nloop { sleep 0.2 }\n'
c h6_sig_int_raku killed signal '(sleep 2; kill -INT $$) & exec raku watch.raku'
put h6_sig_quit_node serve.js "console.log('listening'); setInterval(() => {}, 1000);\n"
c h6_sig_quit_node killed signal '(sleep 1; kill -QUIT $$) & exec node serve.js'
put h6_sig_vtalrm_py budget.py 'import signal\nsignal.setitimer(signal.ITIMER_VIRTUAL, 0.5)\nprint("optimising", flush=True)\nwhile True:\n    pass\n'
c h6_sig_vtalrm_py timeout signal 'python3 budget.py'
put h6_sig_prof_py prof.py 'import signal\nsignal.setitimer(signal.ITIMER_PROF, 0.5)\nx = 0\nwhile True:\n    x += 1\n'
c h6_sig_prof_py timeout signal 'python3 prof.py'
put h6_sig_segv_stack deep.c 'int depth(int n) { volatile char pad[256]; pad[0] = n; return depth(n + 1) + pad[0]; }\nint main(void) { return depth(0); }\n'
inc gcc -O0 -o deep deep.c
c h6_sig_segv_stack runtime_error signal './deep'
c h6_timeout_signal_usr1 timeout coreutils 'timeout -s USR1 1 sleep 10'
c h6_timeout_preserve timeout coreutils 'timeout --preserve-status 1 /usr/bin/python3 -c "import time; time.sleep(10)"'

# Extra normalisation the shared runner does not do (applied to this batch's files only): the
# same as analysis-5 (klog, Rust thread ids, rustc/pip temp names, TAP durations, prove's CPU
# line, curl's milliseconds, Erlang/ExUnit tokens, node GC traces, OpenSSL thread ids, test
# rates, goroutine ids other than 1), plus analysis-5's EXTRA and this batch's EXTRA6 (see README.md).
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
    # analysis-5 additions
    (r"\$7F[0-9A-F]{10}\b", "$7F0000000000"),                       # gforth backtrace addresses
    (r"(?m)^\d\d/\d\d \d\d:\d\d:\d\d ", "01/01 00:00:00 "),          # aria2's clock
    (r"CUID#\d+", "CUID#7"),                                          # aria2's command ids
    (r"(?m)^[0-9a-f]{6}\|(ERR|OK) ", r"000000|\1 "),                      # aria2's download ids
    (r"pin-sha256([=:])\"?[A-Za-z0-9+/]{43}=\"?", r"pin-sha256\1<pin>"),  # gnutls-cli: the run's certificate
    (r"\b(sha1|sha256):[0-9a-f]{40,64}\b", r"\1:<fingerprint>"),
    (r"\(\d+ in use\)", "(0 in use)"),                                    # Go's heap size at OOM
    (r"Goroutine \d+ \(", "Goroutine N ("),                                # race detector
    (r"in \d+ milliseconds", "in 0 milliseconds"),                          # robot's suite time
    (r"\] \[\d+\] \[(INFO|ERROR|WARNING|CRITICAL|DEBUG)\]", r"] [4242] [\1]"),  # gunicorn's pids
    (r"(Listening at: \S+) \(\d+\)", r"\1 (4242)"),
    (r"Started server process \[\d+\]", "Started server process [4242]"),  # uvicorn
    (r"Finished server process \[\d+\]", "Finished server process [4242]"),
    (r"\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\]", "[Sat Jan  1 00:00:00 2000]"),  # php -S clock
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
EXTRA6 = [
    # analysis-6 additions (see README.md)
    (r'"ts":\d+\.\d+', '"ts":0'),                                           # caddy's JSON log clock
    (r"(?m)^\d{10}: ", "0: "),                                            # mosquitto's clock
    (r"(?m)^\[\d+\] 2000/01/01 00:00:00\.\d+ ", "[4242] 2000/01/01 00:00:00.000000 "),  # nats-server pid and clock
    (r"\bN[A-Z0-9]{55}\b", "N" + "X" * 55),                                 # nats-server's random server id
    (r"/tmp/clojure-\d+\.edn", "/tmp/clojure-0.edn"),                        # clojure's error report file
    (r"/tmp/([a-z]+)-[0-9a-f]{6}\b", r"/tmp/\1-000000"),                     # ldc2 -run's temporary program
    (r"(Start at(?:\s|\x1b\[[0-9;]*m)+)\d\d:\d\d:\d\d", r"\g<1>00:00:00"),  # vitest's clock
    (r"/data/[0-9a-f]{2}/[0-9a-f]{64}-tmp-\d+", "/data/00/<pack>-tmp-0"),      # restic's pack file name
    (r"/tmp/magick-[A-Za-z0-9_-]+", "/tmp/magick-XXXXXXXX"),               # ImageMagick's delegate temp file
    (r"(/tmp/build-(?:\s*\n\s*)?requirements-)[A-Za-z0-9_]+(\.txt)", r"\1XXXXXXXX\2"),  # python -m build's requirement file
    (r"/tmp/build-env-(\s*\n\s*)[A-Za-z0-9_]+/", r"/tmp/build-env-\1XXXXXXXX/"),  # ... wrapped by pip
    (r"/tmp/build-env-[A-Za-z0-9_]+", "/tmp/build-env-XXXXXXXX"),           # python -m build's venv
    (r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "00000000-0000-0000-0000-000000000000"),  # UUIDs (etcdctl, rollup)
    (r'(?m)^\{"level":"info","ts":0,"logger":"tls","msg":"(?:cleaning storage unit|finished cleaning storage units)".*\n', ""),  # caddy: a background task that races the exit
    (r'(?m)^\{"level":"warn","ts":0,"logger":"http","msg":"server is listening only on the HTTP port.*\n', ""),  # caddy: logged by a goroutine in a racy order
    (r"(?s)> /root/\.pyenv/\S+ -m pip --python /tmp/build-.*?\.txt\n", "> <pip command of the isolated build environment>\n"),  # build: pip's echo, wrapped where the random names allow
    (r"Total time: \d+ seconds?", "Total time: 0 seconds"),               # ant
    (r"(pdm-\w+)-[a-z0-9_]{8}\.log", r"\1-XXXXXXXX.log"),                       # pdm's log file
    (r"UTC \[\d+\]", "UTC [4242]"),                                          # postgres's pid
    (r"cmd_\d{4}-\d\d-\d\d_\d\d\.\d\d\.\d\d", "cmd_2000-01-01_00.00.00"),         # pipx's log file
    (r"(CompUnit::Repository::\w+)<\d+>", r"\1<0>"),                          # raku's object ids
    (r"priority for \d+ \(process ID\)", "priority for 4242 (process ID)"),     # renice: the shell's pid
    (r"(\d+)(\x1b\[[0-9;]*m)(ms)\b", r"0\2\3"),                                # durations split by colour codes (vitest)
]
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    d = json.load(open(f, encoding="utf-8"))
    for k in ("stdout", "stderr"):
        for pat, rep in SUBS + EXTRA + EXTRA6:
            d[k] = re.sub(pat, rep, d[k])
    with open(f, "w", encoding="utf-8") as fh:
        json.dump(d, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
PY
echo "held-out batch written to $OUT ($(ls "$OUT"/*.json | wc -l) cases)"
