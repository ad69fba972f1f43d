#!/usr/bin/env python3
"""Compare a schemathesis run (its NDJSON report) with the accepted findings.

Every failed check becomes a finding: operation, check, response status, the problem's
`code` and `detail` (when the answer is a problem document) and schemathesis' message.
A finding is accepted when an entry of accepted.toml matches it. Exit 1 if any finding is
not accepted (they are listed grouped by operation, check, status and code), or if the
file has an entry without a reason. Entries that matched nothing are listed (data is random: a run
need not meet every accepted finding), never a failure.

    findings.py events.ndjson accepted.toml
"""
import base64
import json
import re
import sys
import tomllib

MATCH_KEYS = ("operation", "check", "status", "code", "detail", "message")


def decode(content):
    if isinstance(content, dict) and "$base64" in content:
        raw = base64.b64decode(content["$base64"])
    elif isinstance(content, str):
        raw = content.encode()
    else:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def findings(path):
    for line in open(path, encoding="utf-8"):
        record = json.loads(line)
        error = record.get("NonFatalError") or record.get("FatalError")
        if error:
            # schemathesis could not test something (a timeout, a schema it cannot use):
            # as much a finding as a failed check.
            value = error.get("value") or error.get("info") or {}
            if isinstance(value, dict):
                message = f'{value.get("type", "")}: {value.get("message", "")}'
            else:
                message = str(value)
            yield {
                "operation": error.get("label") or "?",
                "check": "runtime_error",
                "status": None,
                "code": None,
                "detail": "",
                "message": message[:2000],
                "case": "-",
            }
            continue
        event = record.get("ScenarioFinished")
        if not event:
            continue
        recorder = event["recorder"]
        for case_id, checks in recorder.get("checks", {}).items():
            response = (recorder.get("interactions", {}).get(case_id) or {}).get("response") or {}
            body = decode(response.get("content"))
            problem = body if isinstance(body, dict) and "code" in body else {}
            for check in checks:
                if check.get("status") != "failure":
                    continue
                failure = (check.get("failure_info") or {}).get("failure") or {}
                yield {
                    "operation": failure.get("operation") or recorder.get("label", "?"),
                    "check": check["name"],
                    "status": response.get("status_code"),
                    "code": problem.get("code"),
                    "detail": problem.get("detail", ""),
                    "message": f'{failure.get("title", "")}: {failure.get("message", "")}',
                    "case": case_id,
                }


def matches(entry, finding):
    for key in MATCH_KEYS:
        if key not in entry:
            continue
        want, got = entry[key], finding[key]
        if key in ("detail", "message"):
            if not re.search(want, got or ""):
                return False
        elif want != got:
            return False
    return True


def main(report, accepted_path):
    with open(accepted_path, "rb") as f:
        accepted = tomllib.load(f).get("accepted", [])
    bad = [e for e in accepted if not str(e.get("reason", "")).strip()
           or not {"operation", "check"} <= e.keys() or set(e) - set(MATCH_KEYS) - {"reason"}]
    for e in bad:
        print(f"accepted.toml: entry needs operation, check and a reason, and only {MATCH_KEYS}: {e}")
    hits, new_groups = {}, {}
    total = 0
    for f in findings(report):
        total += 1
        hit = next((i for i, e in enumerate(accepted) if matches(e, f)), None)
        if hit is None:
            key = (f["operation"], f["check"], f["status"], f["code"])
            new_groups.setdefault(key, []).append(f)
        else:
            hits[hit] = hits.get(hit, 0) + 1
    print(f"schemathesis findings: {total} failed checks, {total - sum(len(g) for g in new_groups.values())} "
          f"of them accepted by {len(hits)} entries of {accepted_path}")
    for i, n in sorted(hits.items()):
        e = accepted[i]
        print(f"  accepted  {e['operation']} {e['check']} {e.get('code', '')} ({n}x): "
              f"{e['reason'].split('. ')[0]}")
    used = set(hits)
    new = len(new_groups)
    for (operation, check, status, code), group in sorted(new_groups.items(), key=str):
        print(f"  NEW       {operation} {check} -> {status} {code or ''} ({len(group)}x)")
        print(f"            {group[0]['message'][:300]}")
        for detail in sorted({f["detail"] for f in group})[:5]:
            print(f"            detail: {detail[:200]}")
        print(f"            st replay {group[0]['case']}")
    for i, e in enumerate(accepted):
        if i not in used:
            print(f"  not met   {e['operation']} {e['check']} {e.get('code', '')} {e.get('detail', '')}")
    if new or bad:
        print(f"{new} finding group(s) not accepted: fix the code or the spec, or add an entry "
              f"with its reason to {accepted_path}")
        return 1
    print("no finding outside accepted.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
