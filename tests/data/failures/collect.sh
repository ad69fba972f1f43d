#!/usr/bin/env bash
# Regenerates the real-failure corpus used by the analysis module's accuracy test.
#
# Every case below RUNS a real failing command on this machine and stores what it printed,
# one JSON file per case:
#   {"name","command","exitCode","signal","timedOut","limit","stdout","stderr","expectedCategory"}
# The expected category is a human judgement of the real cause, written before the
# heuristic was tuned. Only loopback network traffic is produced (127.0.0.1 ports owned by
# this script, closed port 1, and a resolver pointed at 127.0.0.1 inside a private mount
# namespace). Needs root (tmpfs mounts, dropping to `nobody`, a throwaway PostgreSQL).
#
# The per-run temporary directory is rewritten to /tmp/swfail in the stored output so that
# re-running the script gives stable files.
#
# Usage: sudo ./collect.sh            (writes *.json next to this script)
set -u

OUT=$(cd "$(dirname "$0")" && pwd)
rm -f "$OUT"/*.json  # the corpus is exactly what this run produces
WORK=$(mktemp -d /tmp/swfail.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK/cases" "$WORK/home"
BG_PIDS=()
MOUNTS=()
PGDATA=""

cleanup() {
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    if [ -n "$PGDATA" ]; then
        runuser -u postgres -- pg_ctl -D "$PGDATA" -m immediate stop >/dev/null 2>&1
    fi
    for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT

export SW_WORK="$WORK" SW_OUT="$OUT"

# The runner: runs `bash -c COMMAND` in its own session, with optional limits it enforces
# itself (and therefore can report): LIMIT=wall_time:SECS | output:BYTES | cpu_time:SECS |
# file_size:BYTES. AS=nobody drops privileges first.
cat >"$WORK/run.py" <<'PY'
import json, os, resource, selectors, signal, subprocess, sys, time

name, expected, command = sys.argv[1:4]
work, out = os.environ["SW_WORK"], os.environ["SW_OUT"]
kind, _, value = os.environ.get("LIMIT", "").partition(":")
as_nobody = os.environ.get("AS") == "nobody"
cwd = os.path.join(work, "cases", name)
os.makedirs(cwd, exist_ok=True)
KEEP = 64 * 1024
wall = float(value) if kind == "wall_time" else 60.0
out_cap = int(value) if kind == "output" else None

env = dict(os.environ)
for k in ("SW_WORK", "SW_OUT", "LIMIT", "AS"):
    env.pop(k, None)
env.update({
    "HOME": os.path.join(work, "home"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    "TERM": "dumb", "NO_COLOR": "1", "CARGO_TERM_COLOR": "never", "GIT_TERMINAL_PROMPT": "0",
    "CARGO_HOME": "/root/.cargo", "RUSTUP_HOME": "/root/.rustup", "PYENV_ROOT": "/root/.pyenv",
    "npm_config_update_notifier": "false", "npm_config_fund": "false",
})
if as_nobody:
    env["HOME"] = "/nonexistent"
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"

def pre():
    os.setsid()
    if kind == "cpu_time":
        resource.setrlimit(resource.RLIMIT_CPU, (int(value), int(value) + 1))
    if kind == "file_size":
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(value), int(value)))
    if as_nobody:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)

p = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=pre)
bufs = {p.stdout: bytearray(), p.stderr: bytearray()}
sel = selectors.DefaultSelector()
for f in bufs:
    sel.register(f, selectors.EVENT_READ)
deadline = time.monotonic() + wall
total, timed_out, output_hit = 0, False, False
while sel.get_map():
    left = deadline - time.monotonic()
    if left <= 0:
        timed_out = True
        break
    for key, _ in sel.select(timeout=left):
        chunk = os.read(key.fileobj.fileno(), 65536)
        if not chunk:
            sel.unregister(key.fileobj)
            continue
        total += len(chunk)
        b = bufs[key.fileobj]
        b.extend(chunk)
        del b[:-KEEP]
        if out_cap is not None and total > out_cap:
            output_hit = True
    if output_hit:
        break
if timed_out or output_hit:
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
rc = p.wait()

limit = None
sig = -rc if rc < 0 else None
code = rc if rc >= 0 else None
if timed_out:
    limit = "wall_time"
elif output_hit:
    limit = "output"
elif kind == "cpu_time" and (sig in (signal.SIGXCPU, signal.SIGKILL) or code == 128 + signal.SIGXCPU):
    limit = "cpu_time"
elif kind == "file_size" and (sig == signal.SIGXFSZ or code == 128 + signal.SIGXFSZ):
    limit = "file_size"

def text(b):
    t = b.decode("utf-8", "replace")
    return t.replace(work, "/tmp/swfail").replace(work.replace("/", "%2F"), "%2Ftmp%2Fswfail")

case = {
    "name": name, "command": command, "exitCode": code, "signal": sig,
    "timedOut": timed_out, "limit": limit,
    "stdout": text(bufs[p.stdout]), "stderr": text(bufs[p.stderr]),
    "expectedCategory": expected,
}
if code == 0:
    print(f"SKIPPED: {name} did not fail, not recorded", file=sys.stderr)
    sys.exit(0)
with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
    json.dump(case, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"{name:40} exit={code} signal={sig} limit={limit} -> {expected}")
PY

# c NAME EXPECTED_CATEGORY 'COMMAND'  (runs in $WORK/cases/NAME; prep NAME first for files)
c() { /usr/bin/python3 "$WORK/run.py" "$@"; }
prep() { CASE="$WORK/cases/$1"; mkdir -p "$CASE"; chmod 755 "$CASE"; }
crate() { # crate NAME MAIN_RS
    prep "$1"
    mkdir -p "$CASE/src"
    printf '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n' >"$CASE/Cargo.toml"
    printf '%s\n' "$2" >"$CASE/src/main.rs"
}

# ---------------------------------------------------------------- loopback services
PORT_BUSY=47613 PORT_HTTP=47614 PORT_SILENT=47615 PORT_PG=47616 PORT_TLS=47617
cat >"$WORK/servers.py" <<'PY'
import http.server, socket, sys, threading
busy, http_port, silent = (int(a) for a in sys.argv[1:4])
s1 = socket.socket(); s1.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s1.bind(("127.0.0.1", busy)); s1.listen()
s2 = socket.socket(); s2.bind(("127.0.0.1", silent)); s2.listen(64)  # accepts, never answers
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        code = 401 if "private" in self.path or "repo.git" in self.path else 403 if "admin" in self.path else 404
        self.send_response(code)
        if code == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="demo"')
        self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
threading.Thread(target=http.server.ThreadingHTTPServer(("127.0.0.1", http_port), H).serve_forever, daemon=True).start()
threading.Event().wait()
PY
/usr/bin/python3 "$WORK/servers.py" $PORT_BUSY $PORT_HTTP $PORT_SILENT &
BG_PIDS+=($!)
# A plain-HTTP server on the TLS test port, so a TLS client gets a protocol error.
/usr/bin/python3 -m http.server $PORT_TLS --bind 127.0.0.1 >/dev/null 2>&1 &
BG_PIDS+=($!)
sleep 1

# ---------------------------------------------------------------- command_not_found
c bash_cmd_not_found command_not_found 'rg --files-with-matches TODO src'
c sh_cmd_not_found command_not_found 'dash -c "fd -e rs"'
c bash_cmd_not_found_typo command_not_found 'gti status'
c env_interpreter_missing command_not_found 'env python2 -c "print 1"'
prep make_recipe_missing_tool
printf 'all:\n\tprotoc --rust_out=. api.proto\n' >"$CASE/Makefile"
c make_recipe_missing_tool command_not_found 'make'
prep shebang_missing_interpreter
printf '#!/usr/bin/env ruby\nputs 1\n' >"$CASE/tool"; chmod +x "$CASE/tool"
c shebang_missing_interpreter command_not_found './tool'
c xargs_missing_cmd command_not_found 'echo a.txt | xargs bat'

# ---------------------------------------------------------------- permission_denied
prep script_not_executable
printf '#!/bin/sh\necho deploying\n' >"$CASE/deploy.sh"
c script_not_executable permission_denied './deploy.sh'
prep cat_unreadable
echo secret >"$CASE/secret.txt"; chmod 600 "$CASE/secret.txt"
AS=nobody c cat_unreadable permission_denied 'cat secret.txt'
prep python_permission_error
echo 'k=v' >"$CASE/settings.ini"; chmod 600 "$CASE/settings.ini"
AS=nobody c python_permission_error permission_denied "python3 -c \"print(open('settings.ini').read())\""
prep node_eacces
echo '{}' >"$CASE/config.json"; chmod 600 "$CASE/config.json"
AS=nobody c node_eacces permission_denied "node -e \"require('fs').readFileSync('config.json')\""
AS=nobody c mkdir_denied permission_denied 'mkdir /var/lib/myapp'
AS=nobody c touch_denied permission_denied 'touch /etc/myapp.conf'
AS=nobody c kill_not_permitted permission_denied 'kill -TERM 1'
AS=nobody c apt_lock_denied permission_denied 'apt-get install -y ripgrep'
prep docker_sock_denied
/usr/bin/python3 -c "import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(600)" "$CASE/docker.sock" &
BG_PIDS+=($!)
sleep 0.5; chmod 660 "$CASE/docker.sock"
AS=nobody c docker_sock_denied permission_denied "DOCKER_HOST=unix://$CASE/docker.sock docker ps"
prep npm_global_eacces
mkdir -p "$CASE/pkg"; printf '{"name":"localtool","version":"1.0.0"}\n' >"$CASE/pkg/package.json"
AS=nobody c npm_global_eacces permission_denied 'npm install -g --offline ./pkg'
prep readonly_fs
mkdir -p "$CASE/ro"; mount -t tmpfs -o ro,size=64k tmpfs "$CASE/ro" && MOUNTS+=("$CASE/ro")
c readonly_fs permission_denied 'echo data > ro/out.txt'

# ---------------------------------------------------------------- file_not_found
c cat_missing file_not_found 'cat config.yaml'
c ls_missing file_not_found 'ls -l build/output'
c python_script_missing file_not_found 'python3 manage.py migrate'
c python_open_missing file_not_found "python3 -c \"import json; json.load(open('data/input.json'))\""
c node_script_missing file_not_found 'node server.js'
c gcc_input_missing file_not_found 'gcc -o app main.c'
c cd_missing file_not_found 'cd /srv/app && ls'
c cp_missing file_not_found 'cp report.pdf /tmp/'
c make_no_makefile file_not_found 'make'
c cargo_no_manifest file_not_found 'cargo build --offline'
c redirect_missing_dir file_not_found 'echo hello > logs/app.log'
c tar_missing_archive file_not_found 'tar -xzf release.tar.gz'
c git_cannot_chdir file_not_found 'git -C /srv/repo status'

# ---------------------------------------------------------------- missing_dependency
c python_missing_cv2 missing_dependency "python3 -c \"import cv2; print(cv2.__version__)\""
prep python_missing_sklearn
printf 'import os\nfrom sklearn.linear_model import LinearRegression\nprint(LinearRegression())\n' >"$CASE/train.py"
c python_missing_sklearn missing_dependency 'python3 train.py'
c python_missing_pil missing_dependency "python3 -c \"from PIL import Image\""
c node_missing_express missing_dependency "node -e \"const express = require('express'); express().listen(3000)\""
prep node_esm_missing
printf "import _ from 'lodash';\nconsole.log(_.chunk([1,2,3], 2));\n" >"$CASE/index.mjs"
c node_esm_missing missing_dependency 'node index.mjs'
prep gcc_missing_header
printf '#include <curl/curl.h>\nint main(void){ curl_global_init(0); return 0; }\n' >"$CASE/fetch.c"
c gcc_missing_header missing_dependency 'gcc -o fetch fetch.c'
prep ld_missing_lib
printf 'int main(void){ return 0; }\n' >"$CASE/main.c"
c ld_missing_lib missing_dependency 'gcc -o main main.c -lgtest'
c pkg_config_missing missing_dependency 'pkg-config --cflags --libs gtk4'
prep shared_lib_missing
printf 'int helper(void){ return 1; }\n' >"$CASE/helper.c"
printf 'int helper(void);\nint main(void){ return helper() - 1; }\n' >"$CASE/main.c"
(cd "$CASE" && gcc -shared -fPIC -o libhelper.so.1 helper.c -Wl,-soname,libhelper.so.1 && ln -s libhelper.so.1 libhelper.so && gcc -o app main.c -L. -lhelper && rm libhelper.so libhelper.so.1)
c shared_lib_missing missing_dependency './app'
prep javac_missing_package
printf 'import org.apache.commons.lang3.StringUtils;\npublic class App { public static void main(String[] a) { System.out.println(StringUtils.capitalize("x")); } }\n' >"$CASE/App.java"
c javac_missing_package missing_dependency 'javac App.java'
prep java_noclassdef
printf 'public class Main { public static void main(String[] a) { System.out.println(Util.greet()); } }\n' >"$CASE/Main.java"
printf 'public class Util { static String greet() { return "hi"; } }\n' >"$CASE/Util.java"
(cd "$CASE" && javac Main.java Util.java && rm Util.class)
c java_noclassdef missing_dependency 'java -cp . Main'
crate cargo_unlinked_crate 'use serde_json::Value;
fn main() { let v: Value = Value::Null; println!("{v}"); }'
c cargo_unlinked_crate missing_dependency 'cargo build --offline'
crate cargo_linker_missing 'fn main() { println!("hi"); }'
c cargo_linker_missing missing_dependency 'PATH=/root/.cargo/bin cargo build --offline'
crate cargo_offline_dep 'fn main() {}'
printf 'tokio-nonexistent-helper = "9.9"\n' >>"$CASE/Cargo.toml"
c cargo_offline_dep missing_dependency 'cargo build --offline'

# ---------------------------------------------------------------- network
c curl_refused network 'curl -sS http://127.0.0.1:1/health'
c curl_refused_verbose_fail network 'curl -fsS http://localhost:1/api/v1/status'
c wget_refused network 'wget -O- http://127.0.0.1:1/index.html'
c python_urllib_refused network "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:1/')\""
c node_fetch_refused network "node -e \"fetch('http://127.0.0.1:47619/api').then(r => r.text())\""
c git_clone_refused network 'git clone http://127.0.0.1:1/team/app.git'
c psql_refused network 'psql -h 127.0.0.1 -p 1 -U app -c "select 1"'
c ssh_refused network 'ssh -o BatchMode=yes -p 1 deploy@127.0.0.1 uptime'
c docker_daemon_down network 'DOCKER_HOST=unix:///tmp/swfail-no-daemon.sock docker ps'
c curl_read_timeout network "curl -sS --max-time 2 http://127.0.0.1:$PORT_SILENT/slow"
c curl_tls_error network "curl -sS https://127.0.0.1:$PORT_TLS/"
prep dns_failures
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$CASE/resolv.conf"
c curl_dns_fail network "unshare -m sh -c 'mount --bind $CASE/resolv.conf /etc/resolv.conf && exec curl -sS https://api.example.invalid/v1/users'"
c git_dns_fail network "unshare -m sh -c 'mount --bind $CASE/resolv.conf /etc/resolv.conf && exec git clone https://git.example.invalid/team/app.git'"
c ssh_dns_fail network "unshare -m sh -c 'mount --bind $CASE/resolv.conf /etc/resolv.conf && exec ssh -o BatchMode=yes deploy@build.example.invalid uptime'"

# ---------------------------------------------------------------- auth_failure
c curl_401 auth_failure "curl -fsS http://127.0.0.1:$PORT_HTTP/private/report"
c curl_403 auth_failure "curl -fsS -H 'Authorization: Bearer xyz' http://127.0.0.1:$PORT_HTTP/admin/users"
c python_urllib_401 auth_failure "python3 -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT_HTTP/private/data')\""
c git_http_auth_failed auth_failure "git clone http://bot:wrongpass@127.0.0.1:$PORT_HTTP/repo.git"
c git_http_no_credentials auth_failure "git ls-remote http://127.0.0.1:$PORT_HTTP/repo.git"
c wget_401 auth_failure "wget -q -O- http://127.0.0.1:$PORT_HTTP/private/file.tgz"
# A throwaway PostgreSQL with password authentication, on loopback only.
PGDATA="$WORK/pgdata"
mkdir -p "$PGDATA"; chown postgres "$PGDATA"
echo 'right-password' >"$WORK/pwfile"; chown postgres "$WORK/pwfile"
if runuser -u postgres -- initdb -D "$PGDATA" -U postgres --auth=scram-sha-256 --pwfile="$WORK/pwfile" >/dev/null 2>&1 &&
    runuser -u postgres -- pg_ctl -D "$PGDATA" -w -l "$PGDATA/log" \
        -o "-p $PORT_PG -c listen_addresses=127.0.0.1 -k $PGDATA" start >/dev/null 2>&1; then
    c psql_password_failed auth_failure "PGPASSWORD=hunter2 psql -h 127.0.0.1 -p $PORT_PG -U postgres -c 'select 1'"
    c psql_no_password auth_failure "psql -w -h 127.0.0.1 -p $PORT_PG -U postgres -c 'select 1'"
    c psql_syntax_error syntax_error "PGPASSWORD=right-password psql -h 127.0.0.1 -p $PORT_PG -U postgres -c 'selec 1'"
    c psql_missing_db file_not_found "PGPASSWORD=right-password psql -h 127.0.0.1 -p $PORT_PG -U postgres -d analytics -c 'select 1'"
else
    echo "WARNING: PostgreSQL could not start; skipping psql cases" >&2
    PGDATA=""
fi

# ---------------------------------------------------------------- syntax_error
c bash_syntax syntax_error 'bash -c "if [ -f x ] then echo yes; fi"'
prep sh_unterminated_quote
printf '#!/bin/sh\necho "starting\nexit 0\n' >"$CASE/run.sh"
c sh_unterminated_quote syntax_error 'sh run.sh'
c python_syntax syntax_error "python3 -c 'print(\"total:\", 1 + '"
prep python_indentation
printf 'def main():\n    x = 1\n  return x\n' >"$CASE/app.py"
c python_indentation syntax_error 'python3 app.py'
c node_syntax syntax_error "node -e 'const x = {a: 1,, b: 2};'"
prep node_syntax_file
printf 'function handler(req) {\n  return { ok: true \n}\n' >"$CASE/handler.js"
c node_syntax_file syntax_error 'node handler.js'
prep make_missing_separator
printf 'build:\n    gcc -o app main.c\n' >"$CASE/Makefile"
c make_missing_separator syntax_error 'make build'
c jq_parse_error syntax_error "echo '{\"a\": 1,}' | jq .a"
prep terraform_syntax
printf 'resource "null_resource" "x" {\n  triggers = {\n}\n' >"$CASE/main.tf"
c terraform_syntax syntax_error 'terraform validate -no-color'

# ---------------------------------------------------------------- usage_error
c ls_bad_option usage_error 'ls --colour-scheme=dark'
c grep_bad_option usage_error 'grep -Q pattern file.txt'
prep python_argparse_missing
printf 'import argparse\np = argparse.ArgumentParser(prog="deploy")\np.add_argument("--env", required=True)\np.parse_args()\n' >"$CASE/deploy.py"
c python_argparse_missing usage_error 'python3 deploy.py'
c git_unknown_subcommand usage_error 'git comit -m "fix"'
c cargo_unknown_subcommand usage_error 'cargo biuld'
prep make_no_rule
printf 'all:\n\t@echo ok\n' >"$CASE/Makefile"
c make_no_rule usage_error 'make deploy'
c head_bad_number usage_error 'head -n ten README.md'
c node_bad_option usage_error 'node --inspect-brk-now app.js'
c git_not_a_repo usage_error 'git log --oneline -5'
c tar_no_mode usage_error 'tar archive.tar src/'

# ---------------------------------------------------------------- compile_error
prep gcc_expected_semicolon
printf '#include <stdio.h>\nint main(void) {\n    int total = 0\n    printf("%%d\\n", total);\n    return 0;\n}\n' >"$CASE/main.c"
c gcc_expected_semicolon compile_error 'gcc -Wall -o main main.c'
prep gcc_undefined_reference
printf 'int compute(int);\nint main(void){ return compute(2); }\n' >"$CASE/main.c"
c gcc_undefined_reference compile_error 'gcc -o main main.c'
prep gpp_type_error
printf '#include <string>\nint main() {\n    std::string s = 42.5;\n    int n = s;\n    return n;\n}\n' >"$CASE/main.cpp"
c gpp_type_error compile_error 'g++ -std=c++17 -o main main.cpp'
crate cargo_e0425 'fn main() {
    let total = 1;
    println!("{}", totl);
}'
c cargo_e0425 compile_error 'cargo build --offline'
crate cargo_e0308 'fn parse(s: &str) -> u32 { s.len() }
fn main() { println!("{}", parse("x")); }'
c cargo_e0308 compile_error 'cargo build --offline'
prep javac_cannot_find_symbol
printf 'public class Calc {\n  public static void main(String[] a) {\n    int x = 1;\n    System.out.println(y + x);\n  }\n}\n' >"$CASE/Calc.java"
c javac_cannot_find_symbol compile_error 'javac Calc.java'
prep make_gcc_error
printf 'int main(void) { return undefined_var; }\n' >"$CASE/main.c"
printf 'app: main.c\n\tcc -o app main.c\n' >"$CASE/Makefile"
c make_gcc_error compile_error 'make'
crate rustc_borrow_error 'fn main() {
    let v = vec![1];
    let first = &v[0];
    let mut w = v;
    w.push(2);
    println!("{first}");
}'
c rustc_borrow_error compile_error 'cargo build --offline'

# ---------------------------------------------------------------- test_failure
prep python_unittest_fail
printf 'import unittest\n\nclass TestMath(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(1 + 1, 3)\n\n    def test_ok(self):\n        self.assertTrue(True)\n' >"$CASE/test_math.py"
c python_unittest_fail test_failure 'python3 -m unittest -v'
crate cargo_test_fail 'fn add(a: i32, b: i32) -> i32 { a - b }
fn main() { println!("{}", add(1, 2)); }
#[cfg(test)]
mod tests {
    #[test]
    fn adds() { assert_eq!(super::add(2, 2), 4); }
}'
c cargo_test_fail test_failure 'cargo test --offline'
prep node_test_fail
printf "const test = require('node:test');\nconst assert = require('node:assert');\ntest('sums', () => { assert.strictEqual(1 + 1, 3); });\ntest('passes', () => {});\n" >"$CASE/sum.test.js"
c node_test_fail test_failure 'node --test'
prep make_test_fail
printf 'import unittest\nclass T(unittest.TestCase):\n    def test_parse(self):\n        self.assertIn("b", ["a"])\n' >"$CASE/test_parse.py"
printf 'test:\n\tpython3 -m unittest\n' >"$CASE/Makefile"
c make_test_fail test_failure 'make test'

# ---------------------------------------------------------------- runtime_error
c python_value_error runtime_error "python3 -c \"int('abc')\""
prep python_key_error
printf 'import json\n\ndef load():\n    cfg = {"host": "localhost"}\n    return cfg["port"]\n\nload()\n' >"$CASE/app.py"
c python_key_error runtime_error 'python3 app.py'
c python_zero_division runtime_error "python3 -c 'print(10 / 0)'"
c node_throw runtime_error "node -e \"throw new Error('invalid configuration: missing API_URL')\""
c node_type_error runtime_error "node -e \"const user = undefined; console.log(user.name)\""
crate rust_panic 'fn main() {
    let v: Vec<i32> = Vec::new();
    println!("{}", v[3]);
}'
c rust_panic runtime_error 'cargo run --offline -q'
prep c_segfault
printf 'int main(void){ int *p = 0; return *p; }\n' >"$CASE/crash.c"
(cd "$CASE" && gcc -O0 -o crash crash.c)
c c_segfault runtime_error './crash'
prep c_abort
printf '#include <assert.h>\nint main(void){ int n = 0; assert(n > 0); return 0; }\n' >"$CASE/check.c"
(cd "$CASE" && gcc -o check check.c)
c c_abort runtime_error './check'
prep java_npe
printf 'public class Npe { public static void main(String[] a) { String s = null; System.out.println(s.length()); } }\n' >"$CASE/Npe.java"
(cd "$CASE" && javac Npe.java)
c java_npe runtime_error 'java Npe'
c bash_unbound_variable runtime_error 'set -u; echo "deploying to $TARGET_HOST"'
prep sqlite_locked
/usr/bin/python3 -c "import sqlite3,time; c=sqlite3.connect('$CASE/app.db', isolation_level=None); c.execute('create table if not exists t(x)'); c.execute('begin exclusive'); time.sleep(600)" &
BG_PIDS+=($!)
sleep 0.5
c sqlite_locked runtime_error "sqlite3 app.db 'insert into t values (1)'"
prep git_merge_conflict
(cd "$CASE" && git init -q -b main && git config user.email t@example.com && git config user.name t &&
    echo base >f.txt && git add f.txt && git commit -qm base && git checkout -qb feature &&
    echo feature >f.txt && git commit -qam feature && git checkout -q main && echo main >f.txt && git commit -qam main)
c git_merge_conflict runtime_error 'git merge feature'

# ---------------------------------------------------------------- out_of_memory
c python_memory_error out_of_memory 'ulimit -v 300000; python3 -c "data = bytearray(2 * 1024**3)"'
c node_heap_oom out_of_memory "node --max-old-space-size=32 -e \"const a = []; while (true) a.push(new Array(100000).fill('x'))\""
prep cpp_bad_alloc
printf '#include <vector>\nint main() { std::vector<char> v; v.reserve(8ULL << 30); return 0; }\n' >"$CASE/big.cpp"
(cd "$CASE" && g++ -o big big.cpp)
c cpp_bad_alloc out_of_memory 'ulimit -v 200000; ./big'
prep java_heap_oom
printf 'import java.util.*;\npublic class Hog { public static void main(String[] a) { List<long[]> l = new ArrayList<>(); while (true) l.add(new long[1000000]); } }\n' >"$CASE/Hog.java"
(cd "$CASE" && javac Hog.java)
c java_heap_oom out_of_memory 'java -Xmx32m Hog'

# ---------------------------------------------------------------- disk_full
prep tiny_fs
mkdir -p "$CASE/mnt"; mount -t tmpfs -o size=64k tmpfs "$CASE/mnt" && MOUNTS+=("$CASE/mnt")
c dd_disk_full disk_full "dd if=/dev/zero of=$CASE/mnt/blob bs=4k count=1000"
c python_disk_full disk_full "python3 -c \"open('$CASE/mnt/big.bin', 'wb').write(b'x' * 10_000_000)\""
c echo_dev_full disk_full 'echo "checkpoint" > /dev/full'
c cp_disk_full disk_full "head -c 500000 /dev/zero > payload.bin && cp payload.bin $CASE/mnt/copy.bin"
c git_init_disk_full disk_full "cd $CASE/mnt && head -c 60000 /dev/zero > fill && git init -q repo && cd repo && head -c 20000 /dev/urandom > data && git add data"

# ---------------------------------------------------------------- port_in_use
c python_http_server_port port_in_use "python3 -m http.server $PORT_BUSY --bind 127.0.0.1"
c node_listen_port port_in_use "node -e \"require('http').createServer(() => {}).listen($PORT_BUSY, '127.0.0.1')\""
c python_socket_bind port_in_use "python3 -c \"import socket; s = socket.socket(); s.bind(('127.0.0.1', $PORT_BUSY)); s.listen()\""
c git_daemon_port_busy port_in_use "git daemon --listen=127.0.0.1 --port=$PORT_BUSY --base-path=. --export-all"

# ---------------------------------------------------------------- timeout
c coreutils_timeout timeout 'timeout 1 sleep 30'
LIMIT=wall_time:1 c wall_time_limit timeout 'python3 -c "while True: pass"'
c python_subprocess_timeout timeout "python3 -c \"import subprocess; subprocess.run(['sleep', '30'], timeout=1)\""
c timeout_kill_signal timeout 'timeout -s KILL 1 sleep 30'

# ---------------------------------------------------------------- killed
c self_sigkill killed 'sleep 30 & kill -9 $$'
c python_sigterm killed "python3 -c \"import os, signal; os.kill(os.getpid(), signal.SIGTERM)\""
c python_sigint killed "python3 -c \"import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); os.kill(os.getpid(), signal.SIGINT)\""
c sh_sighup killed 'kill -HUP $$'

# ---------------------------------------------------------------- resource_limit
c python_too_many_files resource_limit "ulimit -n 16; python3 -c \"fs = [open('/dev/null') for _ in range(100)]\""
AS=nobody c fork_limit resource_limit 'ulimit -u 1; for i in 1 2 3; do sleep 1 & done; wait'
LIMIT=file_size:4096 c file_size_limit resource_limit 'head -c 100000 /dev/zero > big.bin'
LIMIT=cpu_time:1 c cpu_time_limit resource_limit 'python3 -c "while True: pass"'
LIMIT=output:65536 c output_limit resource_limit 'yes "log line"'
c ulimit_cpu_shell resource_limit 'ulimit -t 1; while :; do :; done'

# ---------------------------------------------------------------- unknown (nothing to go on)
c false_silent unknown 'false'
c grep_no_match unknown 'grep -q needle /etc/hostname'
c exit_code_3 unknown 'exit 3'
c test_missing_env unknown '[ -n "$DEPLOY_TOKEN" ]'

# ---------------------------------------------------------------- hold-out batch
# Added after the analyzer was written; labelled before the analyzer first saw them, and
# reported separately (names start with ho_) so the accuracy on unseen failures is known.
c ho_python_numpy missing_dependency 'python3 -c "import numpy as np; print(np.zeros(3))"'
c ho_node_relative_require file_not_found "node -e \"require('./lib/helper')\""
prep ho_gcc_sodium_header
printf '#include <sodium.h>\nint main(void){ return sodium_init(); }\n' >"$CASE/crypt.c"
c ho_gcc_sodium_header missing_dependency 'gcc -o crypt crypt.c'
prep ho_gpp_undefined_method
printf 'struct Cache { int get(int k); };\nint main() { Cache c; return c.get(1); }\n' >"$CASE/main.cpp"
c ho_gpp_undefined_method compile_error 'g++ -o main main.cpp'
c ho_python_json_loads syntax_error "python3 -c \"import json; json.loads('{\\\"name\\\": ')\""
c ho_sh_missing_done syntax_error "sh -c 'for f in a b; do echo \$f'"
AS=nobody c ho_ls_root_ssh_nobody permission_denied 'ls /root/.cargo/../'
AS=nobody c ho_chmod_not_permitted_nobody permission_denied 'chmod 600 /etc/hostname'
prep ho_git_pathspec
(cd "$CASE" && git init -q -b main && git config user.email t@example.com && git config user.name t && echo a >a && git add a && git commit -qm a)
c ho_git_pathspec usage_error 'git checkout feature/login'
c ho_git_clone_missing_path file_not_found 'git clone /srv/git/app.git'
c ho_curl_401_basic auth_failure "curl -fsS -u deploy:wrong http://127.0.0.1:$PORT_HTTP/private/build.zip -o build.zip"
c ho_wget_404 file_not_found "wget http://127.0.0.1:$PORT_HTTP/downloads/tool-1.2.tar.gz"
c ho_python_socket_refused network "python3 -c \"import socket; socket.create_connection(('127.0.0.1', 47699))\""
c ho_node_net_refused network "node -e \"require('net').connect(47699, '127.0.0.1')\""
if [ -n "$PGDATA" ]; then
    c ho_psql_unknown_user auth_failure "PGPASSWORD=secret psql -h 127.0.0.1 -p $PORT_PG -U reporting -d postgres -c 'select 1'"
fi
c ho_python_systemexit_message runtime_error "python3 -c \"raise SystemExit('error: config file has no [database] section')\""
c ho_make_missing_file file_not_found 'make -f build.mk'
c ho_python_open_write_missing_dir file_not_found "python3 -c \"open('out/results/summary.csv', 'w').write('a,b')\""
c ho_javac_file_not_found file_not_found 'javac Main.java'
prep ho_java_stack_overflow
printf 'public class Rec { static int f(int n) { return f(n + 1) + 1; } public static void main(String[] a) { f(0); } }\n' >"$CASE/Rec.java"
(cd "$CASE" && javac Rec.java)
c ho_java_stack_overflow runtime_error 'java Rec'
c ho_java_cannot_reserve_heap out_of_memory 'ulimit -v 400000; java -Xms2g -version'
c ho_python_dev_full disk_full "python3 -c \"f = open('/dev/full', 'w'); f.write('x' * 100); f.close()\""
c ho_perl_bind_busy port_in_use "perl -MIO::Socket::INET -e 'IO::Socket::INET->new(LocalAddr => \"127.0.0.1\", LocalPort => $PORT_BUSY, Listen => 1) or die \"bind: \$!\\n\"'"
LIMIT=wall_time:1 c ho_wall_time_sleep_loop timeout 'while :; do sleep 0.1; done'
c ho_python_abort runtime_error 'python3 -c "import os; os.abort()"'
c ho_perl_self_kill killed "perl -e 'kill \"KILL\", \$\$'"
c ho_python_pipes_emfile resource_limit 'ulimit -n 12; python3 -c "import os; p = [os.pipe() for _ in range(20)]"'
prep ho_python_doctest
printf 'def double(x):\n    """\n    >>> double(2)\n    4\n    """\n    return x * 3\n' >"$CASE/mathx.py"
c ho_python_doctest test_failure 'python3 -m doctest mathx.py'
c ho_set_e_false unknown 'set -e; false; echo never'
c ho_tar_create_missing_dir file_not_found 'tar -czf dist/release.tgz .'
c ho_sqlite_cannot_open file_not_found "sqlite3 data/app.db 'select 1'"
c ho_requests_refused network "python3 -c \"import requests; requests.get('http://127.0.0.1:47699/health')\""
c ho_pip_no_index missing_dependency 'pip install --no-index fastjsonschemax'
crate ho_cargo_bad_manifest 'fn main() {}'
printf 'serde = { version = "1"\n' >>"$CASE/Cargo.toml"
c ho_cargo_bad_manifest syntax_error 'cargo build --offline'
c ho_python_name_error runtime_error "python3 -c 'print(totl)'"
c ho_node_json_parse syntax_error "node -e \"JSON.parse('{bad json')\""
c ho_ssh_to_http_port network "ssh -o BatchMode=yes -o ConnectTimeout=3 -p $PORT_HTTP deploy@127.0.0.1 true"

echo "corpus written to $OUT ($(ls "$OUT"/*.json | wc -l) cases)"
