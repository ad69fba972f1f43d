"""stream(): live typed events, in order, redacted; hanging up kills; a drop never re-POSTs."""

from __future__ import annotations

import asyncio
import os

from conftest import Proxy

from shellwise_client import (
    AnalysisEvent,
    AsyncShellwise,
    EndEvent,
    ExitEvent,
    OutputEvent,
    Shellwise,
    StartEvent,
    StreamEvent,
)
from shellwise_client.models import JobStatus


def _seq(event: StreamEvent) -> int:
    job, _, n = event.event_id.rpartition(":")
    assert job, event.event_id
    return int(n)


def test_the_first_event_arrives_while_the_command_still_runs(sw: Shellwise, marker: str) -> None:
    with sw.stream(f"echo {marker}; sleep 2; echo done") as events:
        first_output = next(e for e in events if isinstance(e, OutputEvent))
        assert first_output.data == f"{marker}\n"
        assert events.job_id is not None
        # The server itself says the command is still running when the first line is here.
        assert sw.jobs.get(events.job_id).status == JobStatus.RUNNING
        rest = list(events)
    assert isinstance(rest[-1], EndEvent) and rest[-1].status == "succeeded"


def test_events_come_in_order_with_consecutive_ids(sw: Shellwise) -> None:
    with sw.stream("echo out; echo err >&2; exit 3") as stream:
        events = list(stream)
    kinds = [e.kind for e in events]
    assert kinds == ["start", "output", "output", "exit", "analysis", "end"]
    assert [_seq(e) for e in events] == list(range(len(events)))
    start, out, err, exit_, analysis, end = events
    assert isinstance(start, StartEvent) and start.pid is not None
    assert isinstance(out, OutputEvent) and (out.stream, out.data) == ("stdout", "out\n")
    assert isinstance(err, OutputEvent) and (err.stream, err.data) == ("stderr", "err\n")
    assert isinstance(exit_, ExitEvent) and exit_.exit_code == 3
    assert isinstance(analysis, AnalysisEvent) and analysis.analysis.summary
    assert isinstance(end, EndEvent) and (end.job_id, end.status) == (start.job_id, "failed")


def test_secrets_in_streamed_output_come_back_redacted(sw: Shellwise) -> None:
    github = "ghp_" + "0123456789abcdefghijABCDEFGHIJ012345"
    aws = "AKIA" + "ZQ3D7HBK2MXW5RTY"
    with sw.stream(f"echo token={github}; echo key={aws}") as stream:
        events = list(stream)
    stdout = "".join(e.data for e in events if isinstance(e, OutputEvent))
    assert github not in stdout and aws not in stdout
    assert "token=[REDACTED:github-pat]\n" in stdout
    assert "key=[REDACTED:aws-access-key-id]\n" in stdout
    exit_ = next(e for e in events if isinstance(e, ExitEvent))
    assert exit_.summary.redactions.to_dict() == {"github-pat": 1, "aws-access-key-id": 1}


def test_closing_a_stream_kills_the_command(sw: Shellwise, marker: str) -> None:
    with sw.stream(f"echo {marker}; sleep 20; echo never", timeout_ms=30_000) as events:
        next(e for e in events if isinstance(e, OutputEvent))
    assert events.job_id is not None
    job = sw.jobs.wait(events.job_id, timeout=15)
    assert job.status == JobStatus.CANCELLED
    assert job.result and job.result.signal == "SIGKILL"
    assert job.result.stdout == f"{marker}\n"
    assert job.result.duration_ms < 15_000


def test_a_dropped_stream_resumes_from_the_job_and_never_reposts(
    token: str, proxy: Proxy, marker: str
) -> None:
    command = f"for i in 1 2 3 4 5 6 7 8 9 10; do echo {marker} $i; sleep 0.3; done"
    seen: list[StreamEvent] = []
    with Shellwise(proxy.url, token=token, timeout=30) as sw:
        with sw.stream(command) as events:
            for event in events:
                seen.append(event)
                if sum(isinstance(e, OutputEvent) for e in seen) == 2 and proxy.connections == 1:
                    proxy.sever()  # a real drop: both TCP connections are cut
        # The command was posted once; the rest came from GET /v1/jobs/{id}/events.
        assert proxy.requests("POST /v1/exec/stream") == 1
        assert proxy.requests(f"GET /v1/jobs/{events.job_id}/events") >= 1
        jobs = [j for j in sw.jobs.list(limit=50).jobs if j.command == command]
    assert [_seq(e) for e in seen] == list(range(len(seen)))  # nothing twice, nothing missed
    lines = "".join(e.data for e in seen if isinstance(e, OutputEvent)).splitlines()
    # The server kills a command whose stream hangs up: it stopped early, and ran once.
    assert 2 <= len(lines) < 10
    assert lines == [f"{marker} {i}" for i in range(1, len(lines) + 1)]
    end = seen[-1]
    assert isinstance(end, EndEvent) and end.status == "cancelled"
    assert len(jobs) == 1


def test_async_stream_yields_the_same_typed_events() -> None:
    async def main() -> list[StreamEvent]:
        async with AsyncShellwise(os.environ["SHELLWISE_URL"], os.environ["SHELLWISE_OPERATOR_TOKEN"]) as sw:
            async with await sw.stream("echo a; sleep 0.2; echo b") as stream:
                return [event async for event in stream]

    events = asyncio.run(main())
    assert [e.kind for e in events] == ["start", "output", "output", "exit", "end"]
    assert [e.data for e in events if isinstance(e, OutputEvent)] == ["a\n", "b\n"]
