#!/usr/bin/env python3
"""POST one exec request N times over keep-alive connections, C at a time, and check each answer.

    bulk.py URL TOKEN N C BODY_JSON EXPECT_EXIT

Prints one line: `bulk n=N ok=K bad=B seconds=S rps=R first_bad=...` and exits 0 only if every
answer was 200 with exitCode EXPECT_EXIT. Loopback only (the VM has no other network).
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse


def main():
    url, token, n, conc, body, expect = sys.argv[1:7]
    n, conc, expect = int(n), int(conc), int(expect)
    u = urllib.parse.urlsplit(url)
    assert u.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
    lock = threading.Lock()
    state = {"next": 0, "ok": 0, "bad": 0, "first_bad": ""}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def worker():
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        while True:
            with lock:
                if state["next"] >= n:
                    break
                state["next"] += 1
            why = None
            try:
                c.request("POST", u.path, body, headers)
                r = c.getresponse()
                data = r.read()
                if r.status != 200:
                    why = f"status {r.status}: {data[:300]!r}"
                else:
                    got = json.loads(data).get("exitCode")
                    if got != expect:
                        why = f"exitCode {got}: {data[:300]!r}"
            except Exception as e:  # noqa: BLE001 - every failure is counted and shown
                why = f"{type(e).__name__}: {e}"
                c.close()
                c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            with lock:
                if why:
                    state["bad"] += 1
                    state["first_bad"] = state["first_bad"] or why
                else:
                    state["ok"] += 1
        c.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.monotonic() - t0
    print(f"bulk n={n} ok={state['ok']} bad={state['bad']} seconds={secs:.1f} "
          f"rps={n / secs:.0f} first_bad={state['first_bad'] or '-'}")
    sys.exit(0 if state["ok"] == n else 1)


if __name__ == "__main__":
    main()
