#!/usr/bin/env python3
"""What `shellwise ci` adds to a passing CI step: wall time of `STEP` run directly vs through
`shellwise ci --format plain -- STEP`, interleaved (direct, wrapped, direct, ...) so both see
the same machine state. Prints medians and p90s of each and of the per-pair differences.

    loadtest/ci_overhead.py target/release/shellwise                 # step: true
    loadtest/ci_overhead.py target/release/shellwise --runs 400 -- sh -c 'seq 100000'

Output of the step goes to /dev/null in both cases (through the wrapper's redacting pipe in the
second). Timing only reports; it never fails.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time


def timed(argv):
    start = time.perf_counter()
    status = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return (time.perf_counter() - start) * 1000.0, status


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--json", help="append one JSON line with the figures to this file")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    step = argv[cut + 1 :] or ["true"]
    wrapped = [args.binary, "ci", "--format", "plain", "--"] + step
    for _ in range(10):  # warm the page cache for both
        timed(step)
        timed(wrapped)
    direct, through, diff = [], [], []
    for _ in range(args.runs):
        d, ds = timed(step)
        w, ws = timed(wrapped)
        if ds != ws:
            print(f"exit status differs: direct {ds}, through shellwise ci {ws}", file=sys.stderr)
            return 1
        direct.append(d)
        through.append(w)
        diff.append(w - d)
    figures = {
        "step": step,
        "runs": args.runs,
        "direct_ms": {"p50": statistics.median(direct), "p90": pct(direct, 90)},
        "through_ms": {"p50": statistics.median(through), "p90": pct(through, 90)},
        "overhead_ms": {"p50": statistics.median(diff), "p90": pct(diff, 90)},
    }
    print(f"step {' '.join(step)!r}, {args.runs} interleaved pairs")
    for name in ("direct_ms", "through_ms", "overhead_ms"):
        f = figures[name]
        print(f"  {name:12} p50 {f['p50']:7.2f}  p90 {f['p90']:7.2f}")
    if args.json:
        with open(args.json, "a") as out:
            out.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
