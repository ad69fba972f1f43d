#!/usr/bin/env python3
"""File-operation benchmark: the [files] targets, measured against a real server.

    loadtest/files_bench.py --binary target/release/shellwise [--quick]

What it measures, on one server (loopback only, bounded counts and sizes):
  * read of a 4 KiB file end to end: sequential keep-alive GETs, p50/p99 in ms;
  * search of a 10,000-file, 100 MB tree for a literal and a regex: median of 5, in ms;
  * upload and download of 1 GiB (streamed): MB/s, and the server's peak RSS while each ran
    (memory must stay flat: the peak minus the idle RSS).
Every response is checked (status, bytes, match counts); a wrong one fails the run (exit 1).
--quick shrinks everything for CI (100 reads, 1,000 files / 10 MB, 64 MiB transfers).
Python 3 standard library only.
"""

import argparse
import hashlib
import http.client
import json
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the Server class and the loopback checks)


def request(srv, method, path, body=None, headers=None):
    bench.assert_loopback(srv.base + path)
    c = http.client.HTTPConnection(srv.host, srv.port, timeout=120)
    h = {"Authorization": f"Bearer {srv.token}"}
    if body is not None and not isinstance(body, (bytes, bytearray)):
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    c.request(method, path, body, h)
    r = c.getresponse()
    data = r.read()
    return r.status, data


def rss_kib(pid):
    return bench.status_kib(pid, "VmRSS")


class PeakRss:
    """Samples a process's RSS every 20 ms while a transfer runs."""

    def __init__(self, pid):
        self.pid, self.peak, self.stop = pid, rss_kib(pid), False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def run(self):
        while not self.stop:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.02)

    def done(self):
        self.stop = True
        self.t.join()
        return self.peak


def bench_read(srv, ws, n):
    payload = ("0123456789abcdef" * 256).encode()  # 4 KiB, no secrets
    st, data = request(srv, "PUT", f"/v1/workspaces/{ws}/files",
                       {"path": "small.txt", "content": payload.decode()})
    if st != 200:
        bench.fail(f"write small.txt: {st} {data[:300]!r}")
    c = http.client.HTTPConnection(srv.host, srv.port, timeout=30)
    h = {"Authorization": f"Bearer {srv.token}"}
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        c.request("GET", f"/v1/workspaces/{ws}/files?path=small.txt", headers=h)
        r = c.getresponse()
        body = r.read()
        times.append((time.perf_counter() - t0) * 1000)
        if r.status != 200 or json.loads(body)["content"].encode() != payload:
            bench.fail(f"read small.txt: {r.status} {body[:300]!r}")
    times.sort()
    return dict(n=n, p50_ms=round(times[len(times) // 2], 3),
                p99_ms=round(times[int(len(times) * 0.99) - 1], 3))


def make_tree(root, files, total_bytes, uid):
    """files spread over 100 directories; every 1000th file holds the needle once."""
    size = total_bytes // files
    line = b"the quick brown fox jumps over the lazy dog 0123456789\n"
    body = (line * (size // len(line) + 1))[:size]
    for i in range(files):
        d = os.path.join(root, "tree", f"d{i % 100:02d}")
        os.makedirs(d, exist_ok=True)
        content = body
        if i % 1000 == 0:
            content = body[: size // 2] + b"NEEDLE_7f3c in the middle\n" + body[size // 2:]
        with open(os.path.join(d, f"f{i:05d}.txt"), "wb") as f:
            f.write(content)
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "tree")):
        os.chown(dirpath, uid, uid)
        for n in filenames:
            os.chown(os.path.join(dirpath, n), uid, uid)
    return (files + 999) // 1000


def bench_search(srv, ws, path, files, total_bytes, uid):
    expect = make_tree(path, files, total_bytes, uid)
    out = {}
    for name, body in [("literal", {"pattern": "NEEDLE_7f3c", "literal": True, "path": "tree"}),
                       ("regex", {"pattern": r"NEEDLE_[0-9a-f]{4}\b", "path": "tree"})]:
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            st, data = request(srv, "POST", f"/v1/workspaces/{ws}/files/search",
                               dict(body, maxMatches=1000))
            runs.append((time.perf_counter() - t0) * 1000)
            res = json.loads(data) if st == 200 else {}
            if st != 200 or len(res["matches"]) != expect or res["filesSearched"] != files:
                bench.fail(f"search {name}: {st} {data[:300]!r}")
        out[name] = round(statistics.median(runs), 1)
    return dict(files=files, mb=total_bytes >> 20, median_ms=out)


def bench_transfer(srv, ws, size):
    chunk = bytes(range(256)) * 4096  # 1 MiB, no secret-looking text
    idle = rss_kib(srv.pid)
    digest = hashlib.sha256()
    # Upload, streamed in chunks (chunked transfer encoding).
    bench.assert_loopback(srv.base)
    c = http.client.HTTPConnection(srv.host, srv.port, timeout=300)
    c.putrequest("PUT", f"/v1/workspaces/{ws}/files/raw?path=big.bin")
    c.putheader("Authorization", f"Bearer {srv.token}")
    c.putheader("Content-Type", "application/octet-stream")
    c.putheader("Content-Length", str(size))
    c.endheaders()
    peak = PeakRss(srv.pid)
    t0 = time.perf_counter()
    sent = 0
    while sent < size:
        part = chunk[: min(len(chunk), size - sent)]
        c.send(part)
        digest.update(part)
        sent += len(part)
    r = c.getresponse()
    body = r.read()
    up_s = time.perf_counter() - t0
    up_peak = peak.done()
    if r.status != 200 or json.loads(body)["file"]["size"] != size:
        bench.fail(f"upload: {r.status} {body[:300]!r}")
    # Download, read in 1 MiB pieces and checked.
    c = http.client.HTTPConnection(srv.host, srv.port, timeout=300)
    peak = PeakRss(srv.pid)
    t0 = time.perf_counter()
    c.request("GET", f"/v1/workspaces/{ws}/files/raw?path=big.bin",
              headers={"Authorization": f"Bearer {srv.token}"})
    r = c.getresponse()
    got = hashlib.sha256()
    n = 0
    while True:
        piece = r.read(1 << 20)
        if not piece:
            break
        got.update(piece)
        n += len(piece)
    down_s = time.perf_counter() - t0
    down_peak = peak.done()
    if r.status != 200 or n != size or got.digest() != digest.digest():
        bench.fail(f"download: {r.status}, {n} bytes, digest match {got.digest() == digest.digest()}")
    mb = size / 1e6
    return dict(mib=size >> 20, upload_mb_s=round(mb / up_s), download_mb_s=round(mb / down_s),
                idle_rss_mib=round(idle / 1024, 1),
                upload_peak_rss_mib=round(up_peak / 1024, 1),
                download_peak_rss_mib=round(down_peak / 1024, 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="target/release/shellwise")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args()
    reads, files, tree, transfer = (2000, 10_000, 100 << 20, 1 << 30)
    if args.quick:
        reads, files, tree, transfer = (100, 1000, 10 << 20, 64 << 20)
    srv = bench.Server(os.path.abspath(args.binary), {
        "SHELLWISE__FILES__MAX_UPLOAD_BYTES": str(2 << 30),
        "SHELLWISE__WORKSPACE__QUOTA_BYTES": "0",
        "SHELLWISE__WORKSPACE__QUOTA_FILES": "0",
    }, args.host)
    try:
        st, data = request(srv, "POST", "/v1/workspaces", {"name": "bench", "quotaBytes": 0,
                                                           "quotaFiles": 0})
        if st != 200:
            bench.fail(f"create workspace: {st} {data[:300]!r}")
        ws = json.loads(data)
        st, data = request(srv, "POST", "/v1/exec", {"command": "id -u", "workspace": ws["id"]})
        uid = int(json.loads(data)["stdout"])
        result = dict(read_4kib=bench_read(srv, ws["id"], reads),
                      search=bench_search(srv, ws["id"], ws["path"], files, tree, uid),
                      transfer=bench_transfer(srv, ws["id"], transfer))
    finally:
        cgs, procs = srv.stop()
    print(json.dumps(result, indent=2))
    if cgs or procs:
        bench.fail(f"left behind: cgroups {cgs}, processes {procs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
