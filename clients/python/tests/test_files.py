"""Workspaces and their files against the live server: a named workspace per test (the
`default` one is a shared directory the per-token identity cannot write), removed at the end."""

from __future__ import annotations

import asyncio
import io
import tarfile
from typing import Any, AsyncIterator, Iterator

import pytest

from shellwise_client import AsyncShellwise, ConfirmationRequired, ProblemError, Shellwise
from shellwise_client.models import InitialFile

APP = "def handler():\n    return 500\n"
NOTES = "one\ntwo\nthree\nfour\n"
FIX = """\
--- a/src/app.py
+++ b/src/app.py
@@ -1,2 +1,2 @@
 def handler():
-    return 500
+    return 200
"""
# Every byte value, and a few lines of them: not UTF-8, and nothing that looks like a secret.
BLOB = bytes(range(256)) * 3 + b"\n\x00\xff\n"


def stable(value: Any) -> Any:
    """A model's wire form without what changes from run to run (versions and times)."""
    if isinstance(value, list):
        return [stable(v) for v in value]
    if not isinstance(value, dict):
        return stable(value.to_dict()) if hasattr(value, "to_dict") else value
    return {k: stable(v) for k, v in value.items() if k not in ("etag", "modifiedMs", "createdMs")}


@pytest.fixture
def ws(sw: Shellwise) -> Iterator[str]:
    workspace = sw.workspaces.create("sdk-test", files={"src/app.py": APP, "notes.txt": NOTES})
    yield workspace.id
    gone = sw.workspaces.delete(workspace.id)
    assert gone.path == workspace.id


def test_a_workspace_is_created_with_its_files_listed_and_deleted(sw: Shellwise) -> None:
    created = sw.workspaces.create(
        "sdk-lifecycle",
        ttl_secs=3600,
        files=[InitialFile(path="a.txt", content="a\n"), InitialFile(path="d/b.txt", content="bb\n")],
    )
    try:
        assert created.id.startswith("ws_")
        assert (created.name, created.default, created.owner) == ("sdk-lifecycle", False, "sdk-operator")
        assert isinstance(created.expires_ms, int) and isinstance(created.created_ms, int)
        assert created.expires_ms - created.created_ms == 3_600_000
        got = sw.workspaces.get(created.id)
        # a.txt, d and d/b.txt.
        assert got.usage and got.usage.files == 3
        listed = sw.workspaces.list().workspaces
        assert [w.id for w in listed] == ["default", created.id]
        assert listed[0].default is True
    finally:
        gone = sw.workspaces.delete(created.id)
    assert (gone.path, gone.removed) == (created.id, 3)
    with pytest.raises(ProblemError) as caught:
        sw.workspaces.get(created.id)
    assert (caught.value.status, caught.value.code) == (404, "workspace_not_found")


def test_the_default_workspace_cannot_be_deleted(sw: Shellwise) -> None:
    with pytest.raises(ProblemError) as caught:
        sw.workspaces.delete("default")
    assert (caught.value.status, caught.value.code) == (400, "invalid_request")


def test_a_line_range_is_read_with_where_to_go_on(sw: Shellwise, ws: str) -> None:
    page = sw.files.read(ws, "notes.txt", start_line=2, end_line=3)
    assert stable(page) == {
        "path": "notes.txt",
        "encoding": "text",
        "content": "two\nthree\n",
        "size": 19,
        "offset": 4,
        "truncated": True,
        "lines": {"start": 2, "end": 3, "next": 4, "total": 4},
        "redactions": {},
    }
    assert page.etag == sw.files.stat(ws, "notes.txt").etag


def test_a_patch_applies_and_a_command_in_the_workspace_sees_it(sw: Shellwise, ws: str) -> None:
    dry = sw.files.patch(ws, FIX, dry_run=True)
    assert stable(dry) == {
        "applied": False,
        "files": [{"path": "src/app.py", "op": "update", "hunks": 1, "offsets": [0], "fuzzy": False}],
    }
    assert sw.files.read_all_text(ws, "src/app.py") == APP

    applied = sw.files.patch(ws, FIX)
    assert stable(applied) == {
        "applied": True,
        "files": [{"path": "src/app.py", "op": "update", "hunks": 1, "offsets": [0], "fuzzy": False}],
    }
    assert applied.files[0].etag == sw.files.stat(ws, "src/app.py").etag

    result = sw.run("cat src/app.py && pwd", workspace=ws)
    root = sw.workspaces.get(ws).path
    assert (result.exit_code, result.stdout) == (0, f"def handler():\n    return 200\n{root}\n")
    job = sw.jobs.start("grep -c return src/app.py", workspace=ws, wait_ms=10_000)
    assert job.result and (job.result.exit_code, job.result.stdout) == (0, "1\n")


def test_a_hunk_that_does_not_apply_is_a_409_patch_conflict_with_the_conflicts(sw: Shellwise, ws: str) -> None:
    stale = FIX.replace("500", "404")
    with pytest.raises(ProblemError) as caught:
        sw.files.patch(ws, stale)
    err = caught.value
    assert (err.status, err.code) == (409, "patch_conflict")
    assert err.conflicts is not None
    assert [(c.path, c.hunk, c.line, c.expected, c.found) for c in err.conflicts] == [
        ("src/app.py", 1, 1, ["def handler():", "    return 404"], ["def handler():", "    return 500"])
    ]
    assert err.conflicts[0].message.startswith("hunk 1 does not apply")
    # Nothing changed.
    assert sw.files.read_all_text(ws, "src/app.py") == APP


def test_a_write_over_a_version_that_changed_is_a_412_precondition_failed(sw: Shellwise, ws: str) -> None:
    first = sw.files.read(ws, "notes.txt")
    written = sw.files.write(ws, "notes.txt", "changed\n", if_match=first.etag)
    assert (written.created, written.file.size) == (False, 8)
    with pytest.raises(ProblemError) as caught:
        sw.files.write(ws, "notes.txt", "lost update\n", if_match=first.etag)
    assert (caught.value.status, caught.value.code) == (412, "precondition_failed")
    with pytest.raises(ProblemError) as caught:
        sw.files.upload(ws, "notes.txt", b"lost update\n", if_match=first.etag)
    assert (caught.value.status, caught.value.code) == (412, "precondition_failed")
    assert sw.files.read_all_text(ws, "notes.txt") == "changed\n"


def test_write_modes_append_and_create(sw: Shellwise, ws: str) -> None:
    sw.files.write(ws, "notes.txt", "five\n", mode="append")
    assert sw.files.read_all_text(ws, "notes.txt") == NOTES + "five\n"
    with pytest.raises(ProblemError) as caught:
        sw.files.write(ws, "notes.txt", "x\n", mode="create")
    assert (caught.value.status, caught.value.code) == (409, "file_exists")
    made = sw.files.write(ws, "new/deep/file.sh", "#!/bin/sh\n", mode="create", permissions="0755")
    assert stable(made) == {
        "file": {"path": "new/deep/file.sh", "kind": "file", "size": 10, "permissions": "0755"},
        "created": True,
    }


def test_search_finds_matches_with_context(sw: Shellwise, ws: str) -> None:
    found = sw.files.search(ws, "return", context=1)
    assert stable(found) == {
        "matches": [
            {
                "path": "src/app.py",
                "line": 2,
                "column": 5,
                "text": "    return 500",
                "before": [{"line": 1, "text": "def handler():"}],
                "after": [],
            }
        ],
        "filesSearched": 2,
        "filesMatched": 1,
        "filesSkipped": 0,
        "truncated": False,
        "redactions": {},
    }
    literal = sw.files.search(ws, "handler()", literal=True)
    assert [(m.path, m.line, m.text) for m in literal.matches] == [("src/app.py", 1, "def handler():")]
    regex = sw.files.search(ws, "^t", globs=["*.txt"])
    assert [(m.path, m.line, m.text) for m in regex.matches] == [("notes.txt", 2, "two"), ("notes.txt", 3, "three")]


def test_uploaded_bytes_download_back_identical(sw: Shellwise, ws: str) -> None:
    up = sw.files.upload(ws, "bin/blob", BLOB)
    assert stable(up) == {"file": {"path": "bin/blob", "kind": "file", "size": len(BLOB), "permissions": "0644"}, "created": True}
    assert sw.files.download(ws, "bin/blob") == BLOB

    # A file object and a generator are streamed (chunked) rather than sent with a length.
    sw.files.upload(ws, "bin/from-file", io.BytesIO(BLOB))
    sw.files.upload(ws, "bin/from-chunks", (BLOB[i : i + 100] for i in range(0, len(BLOB), 100)))
    assert sw.files.download(ws, "bin/from-file") == BLOB
    with sw.files.download_stream(ws, "bin/from-chunks") as chunks:
        assert chunks.etag == sw.files.stat(ws, "bin/from-chunks").etag
        assert b"".join(chunks) == BLOB

    sw.files.upload(ws, "empty", b"")
    assert sw.files.download(ws, "empty") == b""
    # Not UTF-8: a read gives base64 unless text is asked for.
    assert sw.files.read(ws, "bin/blob").encoding == "base64"
    with pytest.raises(ProblemError) as caught:
        sw.files.upload(ws, "bin/blob", b"x", overwrite=False)
    assert (caught.value.status, caught.value.code) == (409, "file_exists")


def test_a_missing_file_is_a_404_file_not_found_for_every_read(sw: Shellwise, ws: str) -> None:
    for call in (
        lambda: sw.files.read(ws, "nope.txt"),
        lambda: sw.files.stat(ws, "nope.txt"),
        lambda: sw.files.download(ws, "nope.txt"),
        lambda: sw.files.download_stream(ws, "nope.txt"),
        lambda: sw.files.delete(ws, "nope.txt"),
    ):
        with pytest.raises(ProblemError) as caught:
            call()
        assert (caught.value.status, caught.value.code) == (404, "file_not_found")


def test_a_listing_comes_in_pages_and_entries_follows_them(sw: Shellwise, ws: str) -> None:
    for i in range(5):
        sw.files.write(ws, f"d/f{i}.txt", f"{i}\n")
    first = sw.files.list(ws, "d", limit=2)
    assert [e.path for e in first.entries] == ["d/f0.txt", "d/f1.txt"]
    assert isinstance(first.next_cursor, str)
    second = sw.files.list(ws, "d", limit=2, cursor=first.next_cursor)
    assert [e.path for e in second.entries] == ["d/f2.txt", "d/f3.txt"]

    assert [e.path for e in sw.files.entries(ws, "d", limit=2)] == [f"d/f{i}.txt" for i in range(5)]
    everything = [(e.path, str(e.kind), e.depth) for e in sw.files.entries(ws, depth=5, limit=3)]
    assert everything == [
        ("d", "directory", 1),
        ("d/f0.txt", "file", 2),
        ("d/f1.txt", "file", 2),
        ("d/f2.txt", "file", 2),
        ("d/f3.txt", "file", 2),
        ("d/f4.txt", "file", 2),
        ("notes.txt", "file", 1),
        ("src", "directory", 1),
        ("src/app.py", "file", 2),
    ]
    assert [e.path for e in sw.files.entries(ws, depth=5, glob="**/*.py")] == ["src/app.py"]


def test_read_all_text_joins_the_pages_of_a_long_file(sw: Shellwise, ws: str) -> None:
    text = "".join(f"line {i:04d} of the long file\n" for i in range(500))
    sw.files.write(ws, "long.txt", text)
    first = sw.files.read(ws, "long.txt", max_bytes=1000)
    # Cut at a line end: 1000 // 27 whole lines of 27 bytes.
    assert (first.truncated, first.next_offset, len(first.content)) == (True, 999, 999)
    assert sw.files.read_all_text(ws, "long.txt", page_bytes=1000) == text


def test_move_stat_and_delete(sw: Shellwise, ws: str) -> None:
    moved = sw.files.move(ws, "notes.txt", "archive/notes.txt")
    assert stable(moved) == {"path": "archive/notes.txt", "kind": "file", "size": 19, "permissions": "0644"}
    with pytest.raises(ProblemError) as caught:
        sw.files.move(ws, "src/app.py", "archive/notes.txt")
    assert (caught.value.status, caught.value.code) == (409, "file_exists")
    sw.files.move(ws, "src/app.py", "archive/notes.txt", overwrite=True)
    assert sw.files.read_all_text(ws, "archive/notes.txt") == APP

    with pytest.raises(ProblemError) as caught:
        sw.files.delete(ws, "archive")
    assert (caught.value.status, caught.value.code) == (409, "directory_not_empty")
    gone = sw.files.delete(ws, "archive", recursive=True)
    assert (gone.path, gone.removed) == ("archive", 2)


def test_a_protected_path_needs_a_confirmation_that_resubmit_gives(sw: Shellwise, ws: str) -> None:
    with pytest.raises(ConfirmationRequired) as caught:
        sw.files.write(ws, ".env", "MODE=dev\n")
    err = caught.value
    assert (err.status, err.code, err.rule_id) == (409, "confirmation_required", "protected-path")
    assert err.confirm_token is not None
    written = err.resubmit()
    assert written.created is True
    assert sw.files.download(ws, ".env") == b"MODE=dev\n"

    # Uploading bytes and deleting confirm the same way; the token works once.
    with pytest.raises(ConfirmationRequired) as caught:
        sw.files.upload(ws, ".env", b"MODE=prod\n")
    token = caught.value.confirm_token
    assert token is not None
    assert sw.files.upload(ws, ".env", b"MODE=prod\n", confirm_token=token).created is False
    with pytest.raises(ConfirmationRequired):
        sw.files.upload(ws, ".env", b"MODE=prod\n", confirm_token=token)
    with pytest.raises(ConfirmationRequired) as caught:
        sw.files.delete(ws, ".env")
    assert caught.value.resubmit().removed == 1


def test_an_archive_holds_the_workspace(sw: Shellwise, ws: str) -> None:
    sw.files.write(ws, ".gitignore", "*.log\n")
    sw.files.write(ws, "debug.log", "noise\n")
    with tarfile.open(fileobj=io.BytesIO(sw.files.archive(ws)), mode="r:gz") as tar:
        files = {m.name.rstrip("/"): m for m in tar.getmembers()}
        assert sorted(files) == [".gitignore", "notes.txt", "src", "src/app.py"]
        member = tar.extractfile(files["src/app.py"])
        assert member is not None and member.read() == APP.encode()
    with tarfile.open(fileobj=io.BytesIO(sw.files.archive(ws, "src")), mode="r:gz") as tar:
        assert sorted(m.name for m in tar.getmembers()) == ["app.py"]
    with pytest.raises(ProblemError) as caught:
        sw.files.archive(ws, "notes.txt")
    assert (caught.value.status, caught.value.code) == (409, "not_a_directory")


def test_the_async_client_works_on_files_the_same_way(url: str, token: str) -> None:
    async def main() -> None:
        async with AsyncShellwise(url, token=token, timeout=30) as sw:
            ws = (await sw.workspaces.create("sdk-async", files={"a.txt": "alpha\n"})).id
            try:
                await sw.files.patch(ws, "--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-alpha\n+beta\n")
                assert await sw.files.read_all_text(ws, "a.txt") == "beta\n"

                async def chunks() -> AsyncIterator[bytes]:
                    for i in range(0, len(BLOB), 256):
                        yield BLOB[i : i + 256]

                await sw.files.upload(ws, "blob", chunks())
                await sw.files.upload(ws, "blob2", io.BytesIO(BLOB))
                async with await sw.files.download_stream(ws, "blob") as stream:
                    assert b"".join([c async for c in stream]) == BLOB
                assert await sw.files.download(ws, "blob2") == BLOB
                assert [e.path async for e in sw.files.entries(ws, limit=1)] == ["a.txt", "blob", "blob2"]
                with pytest.raises(ConfirmationRequired) as caught:
                    await sw.files.move(ws, "a.txt", ".env")
                moved = await caught.value.resubmit()
                assert moved.path == ".env"
                result = await sw.run("cat .env", workspace=ws)
                assert result.stdout == "beta\n"
            finally:
                await sw.workspaces.delete(ws)

    asyncio.run(main())
