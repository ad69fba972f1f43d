#!/usr/bin/env python3
"""Collision check for held-out batch 6 (run from anywhere: python3 collisions.py).

Loads the `command` fields of the corpus (tests/data/failures/**/*.json) and of the other
held-out batches (tests/heldout/analysis-*/*.json) WITHOUT displaying them, and prints only
counts and the names of this batch's cases whose command equals another one: exactly, or once
port numbers (any 4-5 digit number) and the per-run temporary directory are ignored. Also
reports commands that appear twice in this batch. Exit status 1 when anything collides."""
import glob, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
MINE = os.path.basename(HERE)

def load(pattern):
    out = []
    for f in glob.glob(pattern, recursive=True):
        try:
            d = json.load(open(f, encoding="utf-8"))
        except Exception:
            continue
        if isinstance(d, dict) and isinstance(d.get("command"), str):
            out.append((d.get("name", os.path.basename(f)), d["command"]))
        elif isinstance(d, list):
            out += [(x.get("name", "?"), x["command"]) for x in d if isinstance(x, dict) and isinstance(x.get("command"), str)]
    return out

def loose(cmd):
    cmd = cmd.replace("/tmp/swfail", "")
    return re.sub(r"\b\d{4,5}\b", "N", " ".join(cmd.split()))

others = load(os.path.join(ROOT, "tests/data/failures/**/*.json"))
for d in glob.glob(os.path.join(ROOT, "tests/heldout/analysis-*")):
    if os.path.basename(d) != MINE:
        others += load(os.path.join(d, "*.json"))
mine = load(os.path.join(HERE, "*.json"))
exact = {c for _, c in others}
loosed = {loose(c) for _, c in others}
hit_exact = sorted(n for n, c in mine if c in exact)
hit_loose = sorted(n for n, c in mine if c not in exact and loose(c) in loosed)
seen, dup = {}, []
for n, c in mine:
    if loose(c) in seen:
        dup.append(f"{seen[loose(c)]}={n}")
    seen.setdefault(loose(c), n)
print(f"other commands loaded: {len(others)}; this batch: {len(mine)}")
print(f"exact collisions: {len(hit_exact)} {' '.join(hit_exact)}")
print(f"collisions with port numbers ignored (beyond exact): {len(hit_loose)} {' '.join(hit_loose)}")
print(f"duplicates inside this batch: {len(dup)} {' '.join(dup)}")
sys.exit(1 if hit_exact or hit_loose or dup else 0)
