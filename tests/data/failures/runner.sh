# Shared runner for the real-failure collectors (collect-2.sh and tests/heldout/analysis-1/collect.sh).
# Source it from a collector AFTER setting OUT (the directory that receives one JSON per case).
#
# What it provides:
#   c NAME EXPECTED_CATEGORY TOOLCHAIN 'COMMAND'   runs `bash -c COMMAND` for real in
#                                                  $WORK/cases/NAME and writes $OUT/NAME.json
#   prep NAME        makes the case directory ($CASE) so files can be put there first
#   crate NAME SRC   prep + a minimal Cargo package with SRC as src/main.rs
#   gomod NAME SRC   prep + a minimal Go module with SRC as main.go
#   sw_start_http / sw_start_pg / sw_start_mysql / sw_start_redis / sw_start_sshd   loopback services
# Per-case options (environment, set on the `c` line): LIMIT=wall_time:S|output:B|cpu_time:S|file_size:B,
# AS=nobody (drop to nobody), COLOR=1 (a colour terminal: TERM=xterm-256color and no NO_COLOR).
#
# Network: everything this produces goes to 127.0.0.1/::1 only. The collector re-executes
# itself in a private mount namespace whose /etc/resolv.conf points at 127.0.0.1, so any name
# lookup a tool makes fails locally; servers are started on loopback ports; pip, npm, go,
# cargo, maven and terraform are pointed at loopback or told to stay offline.
#
# Stable output: the per-run temporary directory is rewritten to /tmp/swfail, and PIDs, the
# host name, addresses, durations, timestamps, random seeds and random temp names are replaced
# by fixed tokens, so re-running gives (nearly) the same files.
set -u

if [ -z "${SW_IN_NS:-}" ]; then
    export SW_IN_NS=1
    exec unshare -m --propagation private bash -c '
        printf "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n" >/run/swfail-resolv.conf &&
        mount --bind /run/swfail-resolv.conf /etc/resolv.conf && exec bash "$0" "$@"' "$0" "$@"
fi

: "${OUT:?set OUT before sourcing runner.sh}"
mkdir -p "$OUT"
# SW_ONLY="name1 name2" re-runs only those cases (keeping the other JSON files).
if [ -z "${SW_ONLY:-}" ]; then
    rm -f "$OUT"/*.json  # the set is exactly what this run produces
fi
WORK=$(mktemp -d /tmp/swfail.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK/cases" "$WORK/home" "$WORK/svc"
: >"$WORK/empty.tfrc"
BG_PIDS=()
MOUNTS=()
PGDATA=""
MYDATA=""

sw_cleanup() {
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
    if [ -n "$PGDATA" ]; then
        runuser -u postgres -- pg_ctl -D "$PGDATA" -m immediate stop >/dev/null 2>&1
    fi
    if [ -n "$MYDATA" ] && [ -f "$WORK/mysvc/mysqld.pid" ]; then
        kill "$(cat "$WORK/mysvc/mysqld.pid")" 2>/dev/null; sleep 1
    fi
    for m in "${MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
    rm -rf "$WORK"
}
trap sw_cleanup EXIT
trap 'exit 143' TERM INT HUP

export SW_WORK="$WORK" SW_OUT="$OUT"
# Fixed commit dates so that commit ids (shown in git's messages) are the same on every run.
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"

cat >"$WORK/run.py" <<'PY'
import json, os, re, resource, selectors, signal, socket, subprocess, sys, time

name, expected, toolchain, command = sys.argv[1:5]
work, out = os.environ["SW_WORK"], os.environ["SW_OUT"]
kind, _, value = os.environ.get("LIMIT", "").partition(":")
as_nobody = os.environ.get("AS") == "nobody"
color = os.environ.get("COLOR") == "1"
cwd = os.path.join(work, "cases", name)
os.makedirs(cwd, exist_ok=True)
KEEP = 64 * 1024
wall = float(value) if kind == "wall_time" else 90.0
out_cap = int(value) if kind == "output" else None

env = dict(os.environ)
for k in ("SW_WORK", "SW_OUT", "LIMIT", "AS", "COLOR", "SW_IN_NS", "CASE", "OLDPWD"):
    env.pop(k, None)
for k in list(env):
    if k.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        env.pop(k)
env.update({
    "HOME": os.path.join(work, "home"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    "TERM": "dumb", "NO_COLOR": "1", "CARGO_TERM_COLOR": "never", "GIT_TERMINAL_PROMPT": "0",
    "CARGO_HOME": "/root/.cargo", "RUSTUP_HOME": "/root/.rustup", "PYENV_ROOT": "/root/.pyenv",
    "npm_config_update_notifier": "false", "npm_config_fund": "false", "npm_config_audit": "false",
    "npm_config_registry": "http://127.0.0.1:1/", "PIP_INDEX_URL": "http://127.0.0.1:1/simple/",
    "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_RETRIES": "0", "PIP_TIMEOUT": "2",
    "GOPROXY": "off", "GOSUMDB": "off", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local",
    "GOCACHE": "/root/.cache/swfail-go-build", "GOPATH": os.path.join(work, "home", "go"),
    "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": os.path.join(work, "empty.tfrc"),
    "TF_IN_AUTOMATION": "1", "MAVEN_OPTS": "-Dmaven.repo.local=" + os.path.join(work, "home", "m2"),
})
if color:
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm-256color"
    env.pop("CARGO_TERM_COLOR", None)
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

start = time.monotonic()
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
elapsed = time.monotonic() - start

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

host = socket.gethostname()
SUBS = [
    (r"/tmp/go-build\d+", "/tmp/go-build0"),
    (r"(/tmp/pip-[a-z-]+?-)[a-z0-9_]{8}\b", r"\g<1>xxxxxxxx"),
    (r"/tmp/tmp[a-z0-9_]{8}\b", "/tmp/tmpxxxxxxxx"),
    (r"(target/(?:debug|release)/deps/[\w-]+?-)[0-9a-f]{16}\b", r"\g<1>0000000000000000"),
    (r"(line \d+: +)\d+( +[A-Z])", r"\g<1>4242\2"),
    (r"\(node:\d+\)", "(node:4242)"),
    (r"==\d+==", "==4242=="),
    (r"hs_err_pid\d+", "hs_err_pid4242"),
    (r"(?i)\b(pid[ =:#]*|process )\d+", r"\g<1>4242"),
    (r"\b0x[0-9a-fA-F]{6,}\b", "0x0000"),
    (r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?", "2000-01-01T00:00:00Z"),
    (r"--seed[ =]\d+", "--seed 1"),
    (r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d", "2000/01/01 00:00:00"),
    (r"\d{4}-\d\d-\d\dT\d\d_\d\d_\d\d_\d+Z", "2000-01-01T00_00_00_000Z"),
    (r"duration_ms [\d.]+", "duration_ms 0"),
    (r"(?m)^\d+:([MCSX]) \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d+", r"4242:\1 01 Jan 2000 00:00:00.000"),
    (r"/tmp/cc[A-Za-z0-9]{6}\.o", "/tmp/ccXXXXXX.o"),
    (r"SHA256:[A-Za-z0-9+/]{43}", "SHA256:" + "x" * 43),
    (r"[\d.]+ (runs|assertions)/s", r"0.0 \1/s"),
    (r"\b\d+(?:\.\d+)?(\s?)(ms|s|sec|seconds)\b", r"0\1\2"),
    (r"after \d+ ms", "after 0 ms"),
]
def text(b):
    t = b.decode("utf-8", "replace")
    t = t.replace(work, "/tmp/swfail").replace(work.replace("/", "%2F"), "%2Ftmp%2Fswfail")
    for pat, rep in SUBS:
        t = re.sub(pat, rep, t)
    if len(host) >= 2:
        t = re.sub(r"(?<![\w.-])" + re.escape(host) + r"(?![\w-])", "host", t)
    return t

case = {
    "name": name, "command": command.replace(work, "/tmp/swfail"), "exitCode": code, "signal": sig,
    "timedOut": timed_out, "limit": limit,
    "stdout": text(bufs[p.stdout]), "stderr": text(bufs[p.stderr]),
    "expectedCategory": expected, "toolchain": toolchain,
}
if code == 0:
    print(f"SKIPPED: {name} did not fail, not recorded", file=sys.stderr)
    sys.exit(0)
with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
    json.dump(case, f, indent=2, ensure_ascii=False)
    f.write("\n")
print(f"{name:40} exit={code} signal={sig} limit={limit} {elapsed:5.1f}s -> {expected}")
PY

c() {
    if [ -n "${SW_ONLY:-}" ] && [[ " $SW_ONLY " != *" $1 "* ]]; then return 0; fi
    /usr/bin/python3 "$WORK/run.py" "$@"
}
prep() { CASE="$WORK/cases/$1"; mkdir -p "$CASE"; chmod 755 "$CASE"; }
crate() { # crate NAME MAIN_RS
    prep "$1"
    mkdir -p "$CASE/src"
    printf '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n' >"$CASE/Cargo.toml"
    printf '%s\n' "$2" >"$CASE/src/main.rs"
}
gomod() { # gomod NAME MAIN_GO
    prep "$1"
    printf 'module example.com/demo\n\ngo 1.19\n' >"$CASE/go.mod"
    printf '%s\n' "$2" >"$CASE/main.go"
}

# ---------------------------------------------------------------- loopback services
# Each collector has its own port block (SW_PORT_BASE), so the two can run at the same time.
B=${SW_PORT_BASE:-47700}
PORT_BUSY=$((B+1)) PORT_HTTP=$((B+2)) PORT_SILENT=$((B+3)) PORT_CLOSE=$((B+4)) PORT_RESET=$((B+5))
PORT_TLS_PLAIN=$((B+6)) PORT_TLS_SELF=$((B+7)) PORT_PG=$((B+8)) PORT_MY=$((B+9)) PORT_REDIS=$((B+10)) PORT_SSH=$((B+11))
PORT_FREE=$((B+29))  # nothing listens here

sw_start_http() {
    cat >"$WORK/svc/servers.py" <<'PY'
import http.server, json, socket, ssl, struct, sys, threading
busy, http_port, silent, close_p, reset_p, self_p, cert = sys.argv[1:8]
def listener(port, backlog=64):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(port))); s.listen(backlog); return s
b = listener(busy)          # holds the port, never accepts
sl = listener(silent)       # accepted by the kernel, never answered
def closer(s, reset):
    while True:
        c, _ = s.accept()
        if reset:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
threading.Thread(target=closer, args=(listener(close_p), False), daemon=True).start()
threading.Thread(target=closer, args=(listener(reset_p), True), daemon=True).start()
class H(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body=b"", ctype="text/plain", extra=()):
        self.send_response(code)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body))); self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
    def do_GET(self):
        p = self.path
        if p.startswith("/k8s401") or p.startswith("/k8s403"):
            code = 401 if "401" in p[:8] else 403
            st = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                  "message": "Unauthorized" if code == 401 else 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
                  "reason": "Unauthorized" if code == 401 else "Forbidden", "code": code}
            return self.reply(code, json.dumps(st).encode(), "application/json")
        if p.startswith("/npm-private"):
            return self.reply(401, b'{"error":"authentication required"}', "application/json",
                              [("WWW-Authenticate", 'Bearer realm="npm"')])
        if "private" in p or "repo.git" in p or p.startswith("/secure"):
            return self.reply(401, b"", extra=[("WWW-Authenticate", 'Basic realm="demo"')])
        if p.startswith("/admin") or p.startswith("/forbidden"):
            return self.reply(403, b"forbidden\n")
        if p.startswith("/loop"):
            return self.reply(302, b"", extra=[("Location", p)])
        if p.startswith("/npm/"):
            return self.reply(404, b'{"error":"Not found"}', "application/json")
        return self.reply(404, b"not found\n")
    do_HEAD = do_GET
    def do_POST(self):
        return self.reply(401 if "private" in self.path else 404, b"")
    do_PUT = do_POST
    def log_message(self, *a): pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", int(http_port)), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
tls = http.server.ThreadingHTTPServer(("127.0.0.1", int(self_p)), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert + ".crt", cert + ".key")
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
threading.Thread(target=tls.serve_forever, daemon=True).start()
threading.Event().wait()
PY
    openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 3650 \
        -keyout "$WORK/svc/self.key" -out "$WORK/svc/self.crt" >/dev/null 2>&1
    /usr/bin/python3 "$WORK/svc/servers.py" $PORT_BUSY $PORT_HTTP $PORT_SILENT $PORT_CLOSE $PORT_RESET $PORT_TLS_SELF "$WORK/svc/self" 2>"$WORK/svc/servers.log" &
    BG_PIDS+=($!)
    /usr/bin/python3 -m http.server $PORT_TLS_PLAIN --bind 127.0.0.1 >/dev/null 2>&1 &
    BG_PIDS+=($!)
    sleep 1
}

# A throwaway PostgreSQL with password authentication; superuser postgres / right-password,
# plus a database "shop" with a table "orders".
sw_start_pg() {
    PGDATA="$WORK/pgdata"
    mkdir -p "$PGDATA"; chown postgres "$PGDATA"
    echo 'right-password' >"$WORK/svc/pwfile"; chown postgres "$WORK/svc/pwfile"
    if runuser -u postgres -- initdb -D "$PGDATA" -U postgres --auth=scram-sha-256 --pwfile="$WORK/svc/pwfile" >/dev/null 2>&1 &&
        runuser -u postgres -- pg_ctl -D "$PGDATA" -w -l "$PGDATA/log" \
            -o "-p $PORT_PG -c listen_addresses=127.0.0.1 -k $PGDATA" start >/dev/null 2>&1; then
        PGPASSWORD=right-password psql -q -h 127.0.0.1 -p $PORT_PG -U postgres -c 'create database shop' >/dev/null &&
        PGPASSWORD=right-password psql -q -h 127.0.0.1 -p $PORT_PG -U postgres -d shop \
            -c 'create table orders(id int primary key, total numeric not null); insert into orders values (1, 9.5); create role readonly login password $$ro-pass$$; grant connect on database shop to readonly;' >/dev/null
        return 0
    fi
    echo "WARNING: PostgreSQL could not start" >&2
    PGDATA=""
    return 1
}

# A throwaway MariaDB on 127.0.0.1:$PORT_MY; root / root-pass, database "inventory" with table "items".
sw_start_mysql() {
    MYDATA="$WORK/mydata"
    mkdir -p "$MYDATA" "$WORK/mysvc"; chown mysql:mysql "$MYDATA" "$WORK/mysvc"
    cat >"$WORK/svc/my-init.sql" <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED BY 'root-pass';
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'root-pass';
GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE DATABASE inventory;
CREATE TABLE inventory.items (id INT PRIMARY KEY, sku VARCHAR(8) NOT NULL UNIQUE);
INSERT INTO inventory.items VALUES (1, 'A-1');
CREATE USER 'report'@'127.0.0.1' IDENTIFIED BY 'report-pass';
GRANT SELECT ON inventory.* TO 'report'@'127.0.0.1';
SQL
    chmod 644 "$WORK/svc/my-init.sql"
    if mariadb-install-db --no-defaults --user=mysql --datadir="$MYDATA" --auth-root-authentication-method=normal --skip-test-db >"$WORK/svc/my-install.log" 2>&1; then
        runuser -u mysql -- mariadbd --no-defaults --datadir="$MYDATA" --port=$PORT_MY --bind-address=127.0.0.1 \
            --socket="$WORK/mysvc/mysqld.sock" --pid-file="$WORK/mysvc/mysqld.pid" --skip-name-resolve \
            --init-file="$WORK/svc/my-init.sql" --log-error="$WORK/mysvc/mysqld.err" &
        BG_PIDS+=($!)
        for _ in $(seq 60); do
            mysql --no-defaults -h 127.0.0.1 -P $PORT_MY -uroot -proot-pass -e 'select 1' >/dev/null 2>&1 && return 0
            sleep 0.5
        done
    fi
    echo "WARNING: MariaDB could not start" >&2
    MYDATA=""
    return 1
}

# A redis-server on 127.0.0.1:$PORT_REDIS with requirepass s3cret-redis.
sw_start_redis() {
    redis-server --port $PORT_REDIS --bind 127.0.0.1 --requirepass s3cret-redis --save '' --appendonly no \
        --dir "$WORK/svc" --daemonize no >/dev/null 2>&1 &
    BG_PIDS+=($!)
    for _ in $(seq 40); do
        redis-cli -p $PORT_REDIS -a s3cret-redis --no-auth-warning ping >/dev/null 2>&1 && return 0
        sleep 0.25
    done
    echo "WARNING: redis could not start" >&2
    return 1
}

# An sshd on 127.0.0.1:$PORT_SSH, public keys only; root may log in with $WORK/svc/id_good.
sw_start_sshd() {
    mkdir -p /run/sshd
    ssh-keygen -q -t ed25519 -N '' -f "$WORK/svc/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$WORK/svc/id_good" -C good@example
    ssh-keygen -q -t ed25519 -N '' -f "$WORK/svc/id_wrong" -C wrong@example
    cp "$WORK/svc/id_good.pub" "$WORK/svc/authorized_keys"; chmod 600 "$WORK/svc/authorized_keys"
    cat >"$WORK/svc/sshd_config" <<CFG
Port $PORT_SSH
ListenAddress 127.0.0.1
HostKey $WORK/svc/host_key
PidFile $WORK/svc/sshd.pid
AuthorizedKeysFile $WORK/svc/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
LogLevel QUIET
CFG
    /usr/sbin/sshd -D -f "$WORK/svc/sshd_config" &
    BG_PIDS+=($!)
    printf '[127.0.0.1]:%s %s\n' $PORT_SSH "$(cat "$WORK/svc/host_key.pub" | cut -d' ' -f1,2)" >"$WORK/svc/known_hosts"
    ssh-keygen -q -t ed25519 -N '' -f "$WORK/svc/other_host_key"
    printf '[127.0.0.1]:%s %s\n' $PORT_SSH "$(cut -d' ' -f1,2 "$WORK/svc/other_host_key.pub")" >"$WORK/svc/known_hosts_bad"
    sleep 1
}
