#!/usr/bin/env python3
"""A/B benchmark for shellwise that stays honest on a small, shared, noisy machine.

Why this shape: one run of one build gives one number, and on a shared 2-core box the same
build moves +-15% between windows. So two builds (or two configs) run interleaved, A B / B A,
for N rounds, each run on a fresh server after the machine went idle, and the figure that
matters is the median of the per-round ratios B/A: both sides of a ratio saw the same window.
Every response is checked (status and body); a wrong one, a socket error or a leftover
cgroup/process after the server stopped fails the whole benchmark (exit 1). Timing never does.

Bounded and loopback-only by construction: servers bind 127.0.0.1 (or ::1) on a free port,
every URL is checked to be a loopback IP literal before any traffic, every wrk run has -d,
the SSE scenario has an overall deadline, rawspawn has a duration.

    loadtest/bench.py --a target/release/shellwise --quick                  # CI smoke
    loadtest/bench.py --a ./main-bin --b target/release/shellwise --rounds 5 --duration 8
    loadtest/bench.py --a target/release/shellwise --b-env SHELLWISE__LIMITS__CGROUPS=off
    loadtest/bench.py --list

Python 3 standard library only, plus wrk (and cc for the raw reference loop). See README.md.
"""

import argparse
import asyncio
import http.client
import ipaddress
import json
import os
import pwd
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
CLK_TCK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1

ECHO = {"command": "echo hi"}
ECHO_OK = ['"stdout":"hi\\n"', '"exitCode":0,']
NO_CGROUPS = {"SHELLWISE__LIMITS__CGROUPS": "off"}

# kind "wrk": POST /v1/exec under wrk; "sse": many concurrent streams; "todo": placeholder.
# raw: the rawspawn mode doing the same kernel work (see rawspawn.c), for the server/raw ratio.
SCENARIOS = {
    "exec-c1": dict(kind="wrk", conns=1, body=ECHO, expect=ECHO_OK, raw="box",
                    about="echo hi, 1 connection (sequential keep-alive), default box"),
    "exec-c8": dict(kind="wrk", conns=8, body=ECHO, expect=ECHO_OK, raw="box",
                    about="echo hi, 8 connections, default box"),
    "exec-c64": dict(kind="wrk", conns=64, body=ECHO, expect=ECHO_OK, raw="box",
                     about="echo hi, 64 connections, default box"),
    "exec-c8-nocgroups": dict(kind="wrk", conns=8, body=ECHO, expect=ECHO_OK, raw="rlimit",
                              env=NO_CGROUPS, about="echo hi, 8 connections, limits.cgroups=off"),
    "fail-analysis": dict(kind="wrk", conns=8, body={"command": "ls /nonexistent"},
                          expect=['"exitCode":2,', '"aiAnalysis":{"', '"category":'], raw=None,
                          about="a failing command: exit 2 and a heuristic aiAnalysis"),
    "sse-1000": dict(kind="sse", streams=1000, quick_streams=200, sleep=5, quick_sleep=2,
                     about="1,000 concurrent POST /v1/exec/stream of `sleep 5; echo done`"),
    "jobs-c1": dict(kind="wrk", conns=1, path="/v1/jobs", body=ECHO, raw="box",
                    expect=['"status":"succeeded"', '"stdout":"hi\\n"'],
                    about="POST /v1/jobs of echo hi (done within waitMs: 200 inline), 1 connection"),
    "jobs-c8": dict(kind="wrk", conns=8, path="/v1/jobs", body=ECHO, raw="box",
                    expect=['"status":"succeeded"', '"stdout":"hi\\n"'],
                    about="POST /v1/jobs of echo hi, 8 connections"),
    "jobs-replay": dict(kind="custom", metric="ms to first event (lower)",
                        env={"SHELLWISE__LIMITS__DEFAULT__OUTPUT_BYTES": "33554432"},
                        about="replay of a finished job with 10 MiB of stored output: time to its "
                              "first event, and to its end"),
    "jobs-1000": dict(kind="custom", metric="KiB RSS added (lower)",
                      about="1,000 finished jobs in the store: server RSS added"),
    "files": dict(kind="todo", about="not yet: needs [files] (workspace read/write/patch routes)"),
}

# The box layer by layer: the server with the layers after this one switched off, next to
# rawspawn doing the same kernel work (cumulative, in this order). Not in the default set:
# ask for them with --layers (or --scenario layer-<name>).
LAYERS = [
    ("rlimit", {"SHELLWISE__LIMITS__CGROUPS": "off", "SHELLWISE__LIMITS__PID_NAMESPACE": "false",
                "SHELLWISE__LIMITS__PRIVATE_TMP": "false", "SHELLWISE__LIMITS__IPC_NAMESPACE": "false",
                "SHELLWISE__LIMITS__LANDLOCK": "false", "SHELLWISE__LIMITS__SECCOMP": "false"}),
    ("cgroup", {"SHELLWISE__LIMITS__PID_NAMESPACE": "false", "SHELLWISE__LIMITS__PRIVATE_TMP": "false",
                "SHELLWISE__LIMITS__IPC_NAMESPACE": "false", "SHELLWISE__LIMITS__LANDLOCK": "false",
                "SHELLWISE__LIMITS__SECCOMP": "false"}),
    ("pidns", {"SHELLWISE__LIMITS__PRIVATE_TMP": "false", "SHELLWISE__LIMITS__IPC_NAMESPACE": "false",
               "SHELLWISE__LIMITS__LANDLOCK": "false", "SHELLWISE__LIMITS__SECCOMP": "false"}),
    ("mountns", {"SHELLWISE__LIMITS__IPC_NAMESPACE": "false", "SHELLWISE__LIMITS__LANDLOCK": "false",
                 "SHELLWISE__LIMITS__SECCOMP": "false"}),
    ("ipcns", {"SHELLWISE__LIMITS__LANDLOCK": "false", "SHELLWISE__LIMITS__SECCOMP": "false"}),
    ("landlock", {"SHELLWISE__LIMITS__SECCOMP": "false"}),
    ("seccomp", {}),
]
for _name, _env in LAYERS:
    SCENARIOS[f"layer-{_name}"] = dict(
        kind="wrk", conns=8, body=ECHO, expect=ECHO_OK, raw=_name, env=_env, layer=True,
        about=f"echo hi, 8 connections, the box up to {_name} (later layers off)")

failures = []  # every reason the benchmark must exit non-zero


def fail(msg):
    failures.append(msg)
    print(f"  FAIL: {msg}", flush=True)


# ---------------------------------------------------------------- loopback only

def assert_loopback(url):
    """Refuse anything but a loopback IP literal: this kit must never load another host."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        sys.exit(f"bench.py: refusing non-loopback target {url!r}")
    return url


def free_port(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def raise_nofile():
    """1,000 streams need more fds than a default soft limit of 1024 (client and server)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# ---------------------------------------------------------------- /proc readers

def machine_ticks():
    """(busy, total) jiffies of all CPUs from /proc/stat; iowait counts as idle."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    total = sum(v[:8])  # guest time is already inside user
    return total - idle, total


def busy_between(a, b):
    dt = b[1] - a[1]
    return (b[0] - a[0]) / dt if dt > 0 else 0.0


def proc_fields(pid):
    """/proc/<pid>/stat fields after the command name (index 0 = state, field 3)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()


def cpu_ticks(pid):
    # utime, stime, cutime, cstime: children are reaped by the server (waitid on a pidfd),
    # so their CPU lands in the server's cutime/cstime.
    f = proc_fields(pid)
    return sum(int(x) for x in f[11:15])


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def fd_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def all_procs():
    """{pid: (ppid, starttime)} for every process; starttime tells a reused pid apart."""
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                f = proc_fields(d)
                out[int(d)] = (int(f[1]), int(f[19]))
            except (OSError, IndexError, ValueError):
                pass
    return out


def descendants(pid):
    procs = all_procs()
    kids = {}
    for p, (pp, _) in procs.items():
        kids.setdefault(pp, []).append(p)
    out, todo = set(), [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.add((k, procs[k][1]))
            todo.append(k)
    return out


def still_alive(procs):
    now = all_procs()
    return {(p, st) for p, st in procs if p in now and now[p][1] == st}


def in_server_cgroups(server_pid):
    """Processes still inside one of the server's per-exec cgroups (reparented orphans too)."""
    tag = f"/shellwise-{server_pid}-"
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cgroup") as f:
                    if tag in f.read():
                        out.append(int(d))
            except OSError:
                pass
    return out


def cgroup_parents(pid):
    """Directories where the server puts its run dirs: its own cgroup in every mounted
    hierarchy, and that cgroup's parent (on v2 the server may move itself into a leaf)."""
    mounts = []  # (mount point, mount root, fstype, superopts)
    with open("/proc/self/mountinfo") as f:
        for line in f:
            pre, post = line.split(" - ", 1)
            pre, post = pre.split(), post.split()
            if post[0] in ("cgroup", "cgroup2"):
                mounts.append((pre[4], pre[3], post[0], set(post[2].split(","))))
    dirs = set()
    with open(f"/proc/{pid}/cgroup") as f:
        for line in f:
            hid, ctrls, path = line.rstrip("\n").split(":", 2)
            for mnt, root, fstype, opts in mounts:
                v2 = fstype == "cgroup2" and hid == "0" and not ctrls
                v1 = fstype == "cgroup" and ctrls and set(ctrls.split(",")) <= opts
                if v1 or v2:
                    rel = path[len(root):] if root != "/" and path.startswith(root) else path
                    d = os.path.normpath(mnt + "/" + rel)
                    dirs.update([d, os.path.dirname(d)])
    return sorted(dirs)


def leftover_cgroups(pid, parents):
    out = []
    for d in parents:
        try:
            out += [f"{d}/{n}" for n in os.listdir(d)
                    if n == f"shellwise-{pid}" or n.startswith(f"shellwise-{pid}-")]
        except OSError:
            pass
    return out


def wait_idle(args, pending):
    """Before each run: no process of a previous server left, and the machine below
    --idle-cpu busy (sampled over 0.5 s windows), each for at most --idle-wait seconds."""
    t0 = time.monotonic()
    busy = 1.0
    while True:
        pending &= still_alive(pending)
        a = machine_ticks()
        time.sleep(0.5)
        busy = busy_between(a, machine_ticks())
        waited = time.monotonic() - t0
        if not pending and busy <= args.idle_cpu:
            return waited, busy
        if waited >= args.idle_wait:
            why = f"{len(pending)} processes of a previous run alive" if pending else \
                f"machine {busy:.0%} busy (threshold {args.idle_cpu:.0%})"
            print(f"  warning: not idle after {waited:.1f}s: {why}; running anyway", flush=True)
            return waited, busy


# ---------------------------------------------------------------- the server

class Server:
    """One shellwise process on a loopback port, with its own temporary state directory."""

    def __init__(self, binary, env, host):
        self.tmp = tempfile.mkdtemp(prefix="shellwise-bench-")
        os.chmod(self.tmp, 0o755)
        # Children run as an unprivileged user: their cwd must be reachable for them.
        self.work = os.path.join(self.tmp, "work")
        os.mkdir(self.work, 0o755)
        self.host, self.port = host, free_port(host)
        self.token = "bench-" + secrets.token_hex(16)
        hostport = f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"
        self.base = assert_loopback(f"http://{hostport}")
        full = dict(os.environ)
        full.update({
            "SHELLWISE_TOKEN": self.token,
            "SHELLWISE__SERVER__BIND": hostport,
            "SHELLWISE__STATE_DIR": os.path.join(self.tmp, "state"),
            "SHELLWISE__TELEMETRY__LOG_LEVEL": "warn",
        })
        full.update(env)
        self.log_path = os.path.join(self.tmp, "server.log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([binary, "serve"], cwd=self.work, env=full,
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, preexec_fn=raise_nofile)
        self.pid = self.proc.pid
        self.wait_healthy()
        self.cg_parents = cgroup_parents(self.pid)

    def wait_healthy(self, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                c = http.client.HTTPConnection(self.host, self.port, timeout=1)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.proc.kill()
        raise RuntimeError(f"server not healthy within {timeout}s:\n{self.log_tail()}")

    def post(self, path, body):
        assert_loopback(self.base + path)
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        c.request("POST", path, json.dumps(body), {"Authorization": f"Bearer {self.token}",
                                                   "Content-Type": "application/json"})
        r = c.getresponse()
        return r.status, r.read().decode("utf-8", "replace")

    def log_tail(self, n=20):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")

    def stop(self):
        """SIGTERM, bounded wait, then count what outlived the server. Returns (cgroups, pids)."""
        kids = descendants(self.pid)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            fail(f"server {self.pid} ignored SIGTERM for 20 s")
        # Cleanup may finish a moment after exit (a zombie keeps a v1 group busy): allow 3 s.
        deadline = time.monotonic() + 3
        while True:
            cgs = leftover_cgroups(self.pid, self.cg_parents)
            procs = still_alive(kids) | {(p, 0) for p in in_server_cgroups(self.pid)}
            if (not cgs and not procs) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.log.close()
        if not cgs and not procs:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return cgs, procs


# ---------------------------------------------------------------- runs

def run_wrk(srv, sc, duration):
    env = dict(os.environ, LT_TOKEN=srv.token, LT_BODY=json.dumps(sc["body"]), LT_STATUS="200")
    for i, e in enumerate(sc["expect"], 1):
        env[f"LT_EXPECT_{i}"] = e
    threads = 1 if sc["conns"] == 1 else min(2, NCPU)
    url = assert_loopback(srv.base + sc.get("path", "/v1/exec"))
    cmd = ["wrk", f"-t{threads}", f"-c{sc['conns']}", f"-d{duration}s", "--timeout", "10s",
           "-s", os.path.join(HERE, "exec.lua"), url]
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(duration / 2)
    mid = {"rss_mid_kib": status_kib(srv.pid, "VmRSS"), "fds_mid": fd_count(srv.pid)}
    try:
        out, _ = p.communicate(timeout=duration + 30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
    line = next((ln for ln in out.splitlines() if ln.startswith("LT_RESULT ")), None)
    if line is None:
        return dict(mid, error=f"wrk gave no result: {out[-500:]}")
    r = json.loads(line[len("LT_RESULT "):])
    r.update(mid)
    r["errors"] = (r["wrong_status"] + r["wrong_body"] + r["connect_errors"] + r["read_errors"]
                   + r["write_errors"] + r["timeouts"] + abs(r["requests"] - r["checked"]))
    r["metric"] = r["rps"]
    return r


async def sse_client(srv, n, sleep_s, deadline_s):
    """n concurrent streams; each must start, print `done` and end with an `exit` event of
    exit code 0. Samples the server's RSS and fds whenever concurrency reaches a new high."""
    body = json.dumps({"command": f"sleep {sleep_s}; echo done"}).encode()
    req = (f"POST /v1/exec/stream HTTP/1.1\r\nHost: {srv.host}\r\n"
           f"Authorization: Bearer {srv.token}\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    assert_loopback(srv.base + "/v1/exec/stream")
    state = {"started": 0, "ended": 0}
    errors = []

    async def one():
        w = None
        try:
            r, w = await asyncio.open_connection(srv.host, srv.port)
            w.write(req)
            await w.drain()
            head = await r.readuntil(b"\r\n\r\n")
            status = int(head.split()[1])
            chunked = b"transfer-encoding: chunked" in head.lower()
            events, buf, started = [], b"", False
            while True:
                if chunked:
                    size = int((await r.readline()).split(b";")[0], 16)
                    if size == 0:
                        break
                    data = (await r.readexactly(size + 2))[:-2]
                else:
                    data = await r.read(65536)
                    if not data:
                        break
                buf += data
                while b"\n\n" in buf:
                    frame, buf = buf.split(b"\n\n", 1)
                    ev = dict(ln.split(": ", 1) for ln in frame.decode().split("\n")
                              if ": " in ln and not ln.startswith(":"))
                    if "event" in ev:
                        events.append(ev)
                        if ev["event"] == "start" and not started:
                            started = True
                            state["started"] += 1
            if status != 200:
                return f"status {status}: {buf[:200]!r}"
            names = [e["event"] for e in events]
            if not names or names[0] != "start" or names[-1] != "end" or "exit" not in names:
                return f"events {names}"
            if not any(e["event"] == "stdout" and json.loads(e["data"]).get("data") == "done\n"
                       for e in events):
                return "no stdout `done`"
            exit_ev = next(e for e in events if e["event"] == "exit")
            if json.loads(exit_ev["data"]).get("exitCode") != 0:
                return f"exit event {exit_ev['data'][:200]}"
            return None
        except Exception as e:  # every kind of failure is counted, none stops the others
            return f"{type(e).__name__}: {e}"
        finally:
            state["ended"] += 1
            if w is not None:
                w.close()

    idle_rss, idle_fds = status_kib(srv.pid, "VmRSS"), fd_count(srv.pid)
    t0 = time.monotonic()
    tasks = [asyncio.ensure_future(one()) for _ in range(n)]
    peak = {"concurrent": 0, "rss_kib": idle_rss, "fds": idle_fds, "at_s": 0.0}
    ramp_s = None
    done_all = asyncio.ensure_future(asyncio.wait_for(asyncio.gather(*tasks), deadline_s))
    while not done_all.done():
        live = state["started"] - state["ended"]
        if ramp_s is None and state["started"] >= n:
            ramp_s = time.monotonic() - t0
        if live > peak["concurrent"]:
            peak = {"concurrent": live, "rss_kib": status_kib(srv.pid, "VmRSS"),
                    "fds": fd_count(srv.pid), "at_s": round(time.monotonic() - t0, 2)}
        await asyncio.sleep(0.25)
    try:
        results = done_all.result()
    except asyncio.TimeoutError:
        results = [t.result() if t.done() and not t.cancelled() else "overall deadline"
                   for t in tasks]
    errors = [x for x in results if x]
    c = max(peak["concurrent"], 1)
    return {
        "streams": n, "ok": n - len(errors), "errors": len(errors),
        "first_wrong": errors[0] if errors else "", "wall_s": round(time.monotonic() - t0, 2),
        "ramp_s": round(ramp_s, 2) if ramp_s else None, "peak_concurrent": peak["concurrent"],
        "peak_at_s": peak["at_s"], "rss_mid_kib": peak["rss_kib"], "fds_mid": peak["fds"],
        "kib_per_stream": round((peak["rss_kib"] - idle_rss) / c, 1),
        "fds_per_stream": round((peak["fds"] - idle_fds) / c, 2),
        "requests": n,
    }


def get(srv, path):
    assert_loopback(srv.base + path)
    c = http.client.HTTPConnection(srv.host, srv.port, timeout=60)
    c.request("GET", path, headers={"Authorization": f"Bearer {srv.token}"})
    r = c.getresponse()
    return r.status, r.read().decode("utf-8", "replace")


def jobs_replay(srv, args):
    """A job with 10 MiB of stored output, replayed: ms until the first event arrives, and
    until the whole stream ended (every byte read)."""
    cmd = "yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c 10485760"
    status, text = srv.post("/v1/jobs?waitMs=30000", {"command": cmd, "analyze": "never"})
    job = json.loads(text)
    if status != 200 or job.get("status") != "succeeded":
        return {"error": f"job did not finish: {status} {text[:300]}"}
    if job["stdoutBytes"] < 10485760:
        return {"error": f"stored {job['stdoutBytes']} bytes, not 10 MiB"}
    path = assert_loopback(srv.base + f"/v1/jobs/{job['id']}/events")
    firsts, totals, sizes = [], [], []
    for _ in range(3 if args.quick else 10):
        t0 = time.monotonic()
        s = socket.create_connection((srv.host, srv.port), timeout=60)
        s.sendall((f"GET /v1/jobs/{job['id']}/events HTTP/1.1\r\nHost: {srv.host}\r\n"
                   f"Authorization: Bearer {srv.token}\r\nConnection: close\r\n\r\n").encode())
        buf, first = b"", None
        while True:
            data = s.recv(1 << 20)
            if not data:
                break
            buf += data
            if first is None and b"\n\n" in buf.split(b"\r\n\r\n", 1)[-1]:
                first = time.monotonic() - t0
        s.close()
        totals.append(time.monotonic() - t0)
        firsts.append(first if first is not None else totals[-1])
        sizes.append(len(buf))
        if b"event: end" not in buf:
            return {"error": f"replay of {path} did not end with `end` ({len(buf)} bytes)"}
    return {"requests": len(firsts), "errors": 0, "metric": round(med(firsts) * 1000, 2),
            "first_event_ms": [round(x * 1000, 2) for x in firsts],
            "full_replay_ms": round(med(totals) * 1000, 1), "replay_bytes": med(sizes)}


def jobs_1000(srv, args):
    """RSS the server adds for 1,000 finished jobs in its store (8 concurrent submitters)."""
    n = 200 if args.quick else 1000
    before = status_kib(srv.pid, "VmRSS")
    import concurrent.futures
    def one(i):
        st, text = srv.post("/v1/jobs", {"command": f"echo job {i}"})
        return st == 200 and '"status":"succeeded"' in text
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ok = sum(pool.map(one, range(n)))
    time.sleep(1)
    after = status_kib(srv.pid, "VmRSS")
    st, text = get(srv, "/v1/jobs?limit=100")
    listed = len(json.loads(text).get("jobs", [])) if st == 200 else 0
    errors = (n - ok) + (0 if listed == 100 else 1)
    return {"requests": n, "errors": errors, "first_wrong": f"listed {listed}" if errors else "",
            "metric": round((after - before) * 1000 / n, 1) if n else None,
            "rss_before_kib": before, "rss_after_kib": after,
            "kib_added_per_1000": round((after - before) * 1000 / n, 1)}


CUSTOM = {"jobs-replay": jobs_replay, "jobs-1000": jobs_1000}


def run_one(args, build, name, sc, rnd, pending):
    waited, busy_before = wait_idle(args, pending)
    env = dict(sc.get("env", {}))
    env.update(build["env"])
    rec = {"type": "run", "round": rnd, "scenario": name, "build": build["label"],
           "binary": build["binary"], "env": env, "idle_wait_s": round(waited, 2),
           "busy_before": round(busy_before, 3)}
    if sc["kind"] == "sse":
        n = sc["quick_streams"] if args.quick else sc["streams"]
        env.update({"SHELLWISE__EXEC__MAX_CONCURRENT": str(n + 64),
                    "SHELLWISE__EXEC__MAX_CONCURRENT_PER_TOKEN": str(n + 64),
                    "SHELLWISE__EXEC__QUEUE_TIMEOUT_MS": "60000"})
    try:
        srv = Server(build["binary"], env, args.host)
    except RuntimeError as e:
        fail(f"{name}/{build['label']}: {e}")
        rec["error"] = str(e)
        return rec
    # The server hands freed start-up heap back a second after it starts (malloc_trim): idle
    # is measured after that.
    time.sleep(1.5)
    rec["rss_idle_kib"], rec["fds_idle"] = status_kib(srv.pid, "VmRSS"), fd_count(srv.pid)
    if sc.get("probe"):
        sc["probe"](srv, rec)
    m0, c0 = machine_ticks(), cpu_ticks(srv.pid)
    t0 = time.monotonic()
    if sc["kind"] == "wrk":
        r = run_wrk(srv, sc, args.duration)
    elif sc["kind"] == "custom":
        r = CUSTOM[name](srv, args)
    else:
        sleep_s = sc["quick_sleep"] if args.quick else sc["sleep"]
        r = asyncio.run(sse_client(srv, n, sleep_s, deadline_s=sleep_s + 60))
        r["metric"] = r["kib_per_stream"]
    elapsed = time.monotonic() - t0
    c1, m1 = cpu_ticks(srv.pid), machine_ticks()
    hwm = status_kib(srv.pid, "VmHWM")
    rec.update(r)
    # VmRSS/VmHWM come from per-thread counters synced lazily: a sample can exceed the mark.
    rec["rss_peak_kib"] = max(hwm, rec.get("rss_mid_kib") or 0)
    rec["seconds"] = round(elapsed, 2)
    rec["machine_busy"] = round(busy_between(m0, m1), 3)
    rec["cpu_ms_per_req"] = round((c1 - c0) * 1000 / CLK_TCK / max(r.get("requests") or 0, 1), 3)
    cgs, procs = srv.stop()
    rec["leftover_cgroups"], rec["leftover_procs"] = cgs, sorted(p for p, _ in procs)
    pending |= procs
    if r.get("error"):
        fail(f"{name}/{build['label']} round {rnd}: {r['error']}")
    elif r.get("errors"):
        fail(f"{name}/{build['label']} round {rnd}: {r['errors']} wrong responses or socket "
             f"errors; first: {r.get('first_wrong') or '(socket errors)'}")
    elif not r.get("requests"):
        fail(f"{name}/{build['label']} round {rnd}: no request completed")
    if cgs or procs:
        fail(f"{name}/{build['label']} round {rnd}: left {len(cgs)} cgroups {cgs[:3]} and "
             f"{len(procs)} processes {rec['leftover_procs'][:5]} after stop "
             f"(server log kept in {srv.tmp})")
    return rec


def probe_analysis(srv, rec):
    """One request outside wrk, parsed as JSON: the substring checks under load are only
    meaningful if the whole answer really has this shape."""
    status, text = srv.post("/v1/exec", SCENARIOS["fail-analysis"]["body"])
    try:
        body = json.loads(text)
        ok = status == 200 and body.get("exitCode") == 2 and \
            isinstance(body.get("aiAnalysis"), dict) and body["aiAnalysis"].get("category")
    except ValueError:
        ok = False
    if not ok:
        fail(f"fail-analysis probe: status {status}, body {text[:300]}")


SCENARIOS["fail-analysis"]["probe"] = probe_analysis


# ---------------------------------------------------------------- raw reference

def build_raw():
    out = os.path.join(tempfile.gettempdir(), f"shellwise-rawspawn-{os.getuid()}")
    src = os.path.join(HERE, "rawspawn.c")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        subprocess.run(["cc", "-O2", "-o", out, src], check=True)
    return out


def child_ids():
    """The uid:gid a root server's children run as (limits.run_as), for rawspawn --uid."""
    if os.getuid() != 0:
        return None
    for name in ("shellwise", "nobody"):
        try:
            p = pwd.getpwnam(name)
            return f"{p.pw_uid}:{p.pw_gid}"
        except KeyError:
            pass
    return None


def run_raw(args, exe, mode, par, rnd, pending):
    """`par` concurrent rawspawn loops (1 for the 1-connection case, else one per CPU)."""
    waited, busy_before = wait_idle(args, pending)
    cmd = [exe, "--mode", mode, "--seconds", str(args.raw_seconds)]
    if child_ids():
        cmd += ["--uid", child_ids()]
    cmd += ["--", "/bin/sh", "-c", "echo hi"]  # what the server runs for {"command":"echo hi"}
    m0 = machine_ticks()
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) for _ in range(par)]
    outs = [p.communicate(timeout=args.raw_seconds + 30)[0] for p in procs]
    busy = busy_between(m0, machine_ticks())
    rec = {"type": "raw", "round": rnd, "mode": mode, "parallel": par, "spawns_per_s": 0.0,
           "cpu_ms_per_spawn": 0.0, "failures": 0, "machine_busy": round(busy, 3), "idle_wait_s": round(waited, 2),
           "busy_before": round(busy_before, 3)}
    for p, out in zip(procs, outs):
        try:
            r = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            fail(f"rawspawn {mode} exited {p.returncode} without a result")
            continue
        rec["spawns_per_s"] += r["spawns_per_s"]
        rec["cpu_ms_per_spawn"] += r.get("cpu_ms_per_spawn", 0.0) / par
        rec["failures"] += r["failures"]
    rec["spawns_per_s"] = round(rec["spawns_per_s"], 1)
    rec["cpu_ms_per_spawn"] = round(rec["cpu_ms_per_spawn"], 3)
    if rec["failures"]:
        fail(f"rawspawn {mode}: {rec['failures']} spawns failed")
    return rec


# ---------------------------------------------------------------- output

def mib(kib):
    return f"{(kib or 0) / 1024:.1f}"


def print_run(rec):
    if rec.get("error"):
        print(f"  r{rec['round']} {rec['scenario']:<18} {rec['build']}  ERROR {rec['error'][:200]}")
        return
    if "rps" in rec:
        perf = f"{rec['rps']:8.1f} req/s p50 {rec['p50_ms']:7.2f} p99 {rec['p99_ms']:7.2f} ms"
    elif "streams" not in rec:
        extra = {k: v for k, v in rec.items() if k in ("first_event_ms", "full_replay_ms",
                 "replay_bytes", "rss_before_kib", "rss_after_kib", "kib_added_per_1000")}
        perf = f"{SCENARIOS[rec['scenario']].get('metric', '')} {rec['metric']} {extra}"
    else:
        perf = (f"{rec['ok']}/{rec['streams']} ok, peak {rec['peak_concurrent']} live at "
                f"{rec['peak_at_s']}s, {rec['kib_per_stream']} KiB + {rec['fds_per_stream']} fds"
                f"/stream, ramp {rec['ramp_s']}s")
    left = len(rec["leftover_cgroups"]) + len(rec["leftover_procs"])
    print(f"  r{rec['round']} {rec['scenario']:<18} {rec['build']}  {perf}  "
          f"cpu {rec['cpu_ms_per_req']:6.2f} ms/req  busy {rec['machine_busy']:4.0%}  "
          f"rss {mib(rec['rss_idle_kib'])}/{mib(rec.get('rss_mid_kib'))}/{mib(rec['rss_peak_kib'])} MiB"
          f"  fds {rec['fds_idle']}/{rec.get('fds_mid')}  wrong {rec['errors']}  leftovers {left}",
          flush=True)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec=".1f"):
    return "-" if x is None else format(x, spec)


def summarize(args, runs, raws, builds):
    """Per scenario: medians per build, median of per-round B/A ratios, server/raw ratio."""
    out = []
    by = {}
    for r in runs:
        if r.get("metric") is not None:
            by.setdefault((r["scenario"], r["build"]), {})[r["round"]] = r
    raw_by, raw_cpu = {}, {}
    for r in raws:
        raw_by.setdefault((r["mode"], r["parallel"]), {})[r["round"]] = r["spawns_per_s"]
        raw_cpu.setdefault((r["mode"], r["parallel"]), []).append(r.get("cpu_ms_per_spawn"))
    print("\nSummary (medians over rounds; B/A = median of per-round ratios, min..max)")
    print(f"  {'scenario':<18} {'metric':<16} {'A':>9} {'B':>9} {'B/A':>7} {'range':>13}"
          f"  {'A/raw':>6} {'B/raw':>6}  cpu ms/req A B   peak MiB A B")
    for name, sc in SCENARIOS.items():
        if name not in args.scenario:
            continue
        if sc["kind"] == "todo":
            print(f"  {name:<18} {sc['about']}")
            out.append({"type": "summary", "scenario": name, "status": sc["about"]})
            continue
        metric = {"wrk": "req/s", "custom": sc.get("metric", "")}.get(sc["kind"],
                                                                     "KiB/stream (lower)")
        per = [by.get((name, b["label"]), {}) for b in builds]
        meds = [med([r["metric"] for r in p.values()]) for p in per]
        ratios = []
        if len(builds) == 2:
            ratios = [per[1][k]["metric"] / per[0][k]["metric"]
                      for k in per[0] if k in per[1] and per[0][k]["metric"]]
        raw_key = (sc.get("raw"), 1 if sc.get("conns") == 1 else NCPU)
        vs_raw = []
        for p in per:
            rr = raw_by.get(raw_key, {})
            vs_raw.append(med([p[k]["metric"] / rr[k] for k in p if rr.get(k)]) if sc.get("raw")
                          else None)
        cpu = [med([r["cpu_ms_per_req"] for r in p.values()]) for p in per]
        peak = [med([r["rss_peak_kib"] / 1024 for r in p.values()]) for p in per]
        for col in (meds, vs_raw, cpu, peak):
            col.extend([None] * (2 - len(col)))  # single-build mode: column B stays empty
        rng = f"{min(ratios):.3f}..{max(ratios):.3f}" if ratios else "-"
        print(f"  {name:<18} {metric:<16} {fmt(meds[0]):>9} {fmt(meds[1]):>9} "
              f"{fmt(med(ratios), '.3f'):>7} {rng:>13}  {fmt(vs_raw[0], '.2f'):>6} "
              f"{fmt(vs_raw[1], '.2f'):>6}  {fmt(cpu[0], '.2f'):>5} {fmt(cpu[1], '.2f'):>5}"
              f"   {fmt(peak[0]):>5} {fmt(peak[1]):>5}")
        out.append({"type": "summary", "scenario": name, "metric": metric, "median_a": meds[0],
                    "median_b": meds[1], "ratio_b_over_a": med(ratios), "ratios": ratios,
                    "server_over_raw": vs_raw[:len(builds)], "raw": sc.get("raw"),
                    "cpu_ms_per_req": cpu[:len(builds)], "rss_peak_mib": peak[:len(builds)]})
    if raws:
        print("  raw reference (rawspawn, /bin/sh -c 'echo hi'): " + ", ".join(
            f"{m} x{p} {fmt(med(list(v.values())))}/s" for (m, p), v in sorted(raw_by.items())))
    layers = [(n, f"layer-{n}") for n, _ in LAYERS if f"layer-{n}" in args.scenario]
    if layers:
        # What each layer adds, in CPU per exec: the server's (HTTP included) and the raw
        # loop's for the same kernel work, medians over rounds, build A.
        print("\nLayer costs (cumulative; cpu ms per exec, and what this layer added)")
        print(f"  {'layer':<10} {'server req/s':>12} {'raw spawns/s':>12} {'srv/raw':>8}"
              f"  {'server cpu':>10} {'+layer':>7}  {'raw cpu':>8} {'+layer':>7}")
        prev = (None, None)
        for n, name in layers:
            runs_a = by.get((name, builds[0]["label"]), {})
            rps = med([r["metric"] for r in runs_a.values()])
            srv_cpu = med([r["cpu_ms_per_req"] for r in runs_a.values()])
            key = (n, NCPU)
            raw_rps = med(list(raw_by.get(key, {}).values()))
            rcpu = med(raw_cpu.get(key, []))
            ratio = rps / raw_rps if rps and raw_rps else None
            d_srv = srv_cpu - prev[0] if srv_cpu is not None and prev[0] is not None else None
            d_raw = rcpu - prev[1] if rcpu is not None and prev[1] is not None else None
            print(f"  {n:<10} {fmt(rps):>12} {fmt(raw_rps):>12} {fmt(ratio, '.2f'):>8}"
                  f"  {fmt(srv_cpu, '.3f'):>10} {fmt(d_srv, '+.3f'):>7}  {fmt(rcpu, '.3f'):>8}"
                  f" {fmt(d_raw, '+.3f'):>7}")
            out.append({"type": "layer", "layer": n, "server_rps": rps, "raw_spawns_per_s": raw_rps,
                        "server_over_raw": ratio, "server_cpu_ms": srv_cpu, "raw_cpu_ms": rcpu,
                        "server_added_ms": d_srv, "raw_added_ms": d_raw})
            prev = (srv_cpu, rcpu)
    return out


# ---------------------------------------------------------------- main

def parse_env(items):
    env = {}
    for it in items or []:
        k, sep, v = it.partition("=")
        if not sep or not k.startswith("SHELLWISE"):
            sys.exit(f"bench.py: expected SHELLWISE...=VALUE, got {it!r}")
        env[k] = v
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", help="binary A (the baseline)")
    ap.add_argument("--b", help="binary B (default: A again when --a-env/--b-env are given; "
                                "otherwise single-build mode)")
    ap.add_argument("--a-env", action="append", metavar="KEY=VAL", help="env for A's server")
    ap.add_argument("--b-env", action="append", metavar="KEY=VAL", help="env for B's server")
    ap.add_argument("--rounds", type=int, help="A/B rounds (default 5; --quick: 1)")
    ap.add_argument("--duration", type=int, help="seconds per wrk run (default 8; --quick: 2)")
    ap.add_argument("--quick", action="store_true", help="1 round, 2 s runs, 200 streams: < 60 s")
    ap.add_argument("--scenario", action="append", help="run only these (repeatable); --list")
    ap.add_argument("--list", action="store_true", help="list scenarios and exit")
    ap.add_argument("--json", help="JSON lines output (default: a file in /tmp, path printed)")
    ap.add_argument("--host", default="127.0.0.1", help="127.0.0.1 or ::1")
    ap.add_argument("--idle-cpu", type=float, default=0.35,
                    help="wait until the machine is below this busy fraction (default 0.35)")
    ap.add_argument("--idle-wait", type=float, help="max idle wait per run (default 20 s; quick 2)")
    ap.add_argument("--raw-seconds", type=float, help="seconds per rawspawn run (default 3; quick 1)")
    ap.add_argument("--no-raw", action="store_true", help="skip the rawspawn reference")
    ap.add_argument("--layers", action="store_true",
                    help="the box layer by layer (layer-* scenarios, each next to rawspawn)")
    args = ap.parse_args()

    if args.list:
        for name, sc in SCENARIOS.items():
            print(f"{name:<18} {sc['about']}")
        return 0
    if not args.a:
        ap.error("--a BINARY is required")
    assert_loopback(f"http://[{args.host}]/" if ":" in args.host else f"http://{args.host}/")
    args.rounds = args.rounds or (1 if args.quick else 5)
    args.duration = args.duration or (2 if args.quick else 8)
    args.idle_wait = args.idle_wait if args.idle_wait is not None else (2 if args.quick else 20)
    args.raw_seconds = args.raw_seconds or (1 if args.quick else 3)
    if not (1 <= args.rounds <= 50 and 1 <= args.duration <= 120):
        ap.error("--rounds must be 1..50 and --duration 1..120 (bounded by design)")
    if args.layers:
        args.scenario = (args.scenario or []) + [f"layer-{n}" for n, _ in LAYERS]
    args.scenario = args.scenario or [s for s in SCENARIOS if not SCENARIOS[s].get("layer")]
    unknown = [s for s in args.scenario if s not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario(s) {unknown}; see --list")
    if shutil.which("wrk") is None and any(SCENARIOS[s]["kind"] == "wrk" for s in args.scenario):
        sys.exit("bench.py: wrk is needed (apt-get install -y wrk)")
    builds = [{"label": "A", "binary": os.path.abspath(args.a), "env": parse_env(args.a_env)}]
    if args.b or args.b_env:
        builds.append({"label": "B", "binary": os.path.abspath(args.b or args.a),
                       "env": parse_env(args.b_env)})
    for b in builds:
        if not os.access(b["binary"], os.X_OK):
            sys.exit(f"bench.py: {b['binary']} is not an executable")
    raise_nofile()
    json_path = args.json or os.path.join(
        tempfile.gettempdir(), f"shellwise-bench-{time.strftime('%Y%m%d-%H%M%S')}.jsonl")
    jf = open(json_path, "w")

    def emit(rec):
        jf.write(json.dumps(rec) + "\n")
        jf.flush()

    emit({"type": "meta", "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "ncpu": NCPU,
          "builds": builds, "rounds": args.rounds, "duration": args.duration,
          "quick": args.quick, "scenarios": args.scenario, "loadavg": os.getloadavg()})
    raw_exe = None
    raw_keys = sorted({(SCENARIOS[s]["raw"], 1 if SCENARIOS[s].get("conns") == 1 else NCPU)
                       for s in args.scenario if SCENARIOS[s].get("raw")})
    if raw_keys and not args.no_raw:
        if shutil.which("cc") is None:
            print("note: no cc; skipping the rawspawn reference")
        else:
            raw_exe = build_raw()

    t_start = time.monotonic()
    runs, raws, pending = [], [], set()
    for rnd in range(1, args.rounds + 1):
        print(f"round {rnd}/{args.rounds}", flush=True)
        # A B, then B A: a drift across the round hits both sides alike.
        order = builds if rnd % 2 else builds[::-1]
        for name in args.scenario:
            sc = SCENARIOS[name]
            if sc["kind"] == "todo":
                continue
            for b in order:
                rec = run_one(args, b, name, sc, rnd, pending)
                runs.append(rec)
                emit(rec)
                print_run(rec)
        if raw_exe:
            for mode, par in raw_keys:
                rec = run_raw(args, raw_exe, mode, par, rnd, pending)
                raws.append(rec)
                emit(rec)
                print(f"  r{rnd} raw {mode:<8} x{par}  {rec['spawns_per_s']:8.1f} spawns/s  "
                      f"cpu {rec['cpu_ms_per_spawn']:6.3f} ms/spawn  busy {rec['machine_busy']:4.0%}",
                      flush=True)
    for rec in summarize(args, runs, raws, builds):
        emit(rec)
    emit({"type": "result", "ok": not failures, "failures": failures,
          "seconds": round(time.monotonic() - t_start, 1)})
    jf.close()
    print(f"\n{len(runs)} runs in {time.monotonic() - t_start:.0f}s; JSON lines: {json_path}")
    if failures:
        print(f"FAILED ({len(failures)}):\n  " + "\n  ".join(failures))
        return 1
    print("OK: every response checked, no leftover cgroups or processes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
