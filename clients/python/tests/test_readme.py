"""The README's examples: each is a file in examples/, quoted verbatim in the README and run
here against the live server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((HERE / "examples").glob("*.py"))


def _run(example: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, str(example)], env=os.environ, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_every_example_is_quoted_verbatim_in_the_readme() -> None:
    readme = (HERE / "README.md").read_text()
    # Each example has its own test below.
    assert [e.name for e in EXAMPLES] == [
        "async_client.py", "confirm.py", "errors.py", "files.py", "jobs.py", "quickstart.py", "stream.py"
    ]
    for example in EXAMPLES:
        assert f"```python\n{example.read_text()}```\n" in readme, f"README does not quote {example.name}"
    # ...and the README has no Python block that is not one of them.
    blocks = re.findall(r"```python\n(.*?)```\n", readme, flags=re.S)
    assert sorted(blocks) == sorted(e.read_text() for e in EXAMPLES)


def test_quickstart() -> None:
    assert _run(HERE / "examples/quickstart.py") == ["2 hello file_not_found"]


def test_stream_example() -> None:
    assert _run(HERE / "examples/stream.py") == ["stdout step 1", "stdout step 2", "stdout step 3", "exit 0"]


def test_jobs_example() -> None:
    assert _run(HERE / "examples/jobs.py") == ["running", "step 1", "step 2", "step 3", "succeeded step 2"]


def test_confirm_example() -> None:
    first, last = _run(HERE / "examples/confirm.py")
    assert first.startswith("dynamic-command-name: ")
    assert last == "confirmed"


def test_errors_example() -> None:
    denied, fine = _run(HERE / "examples/errors.py")
    assert re.fullmatch(r"403 policy_denied by rule rm-recursive-system; request id [0-9a-f]+", denied)
    assert fine == "fine"


def test_async_example() -> None:
    assert _run(HERE / "examples/async_client.py") == ["hello", "streamed"]


def test_files_example() -> None:
    assert _run(HERE / "examples/files.py") == ["    return 500", "200", "412 precondition_failed"]
