"""jobs: detach, wait, read output, cancel, follow events and resume them after a drop."""

from __future__ import annotations

import asyncio
import os

import pytest
from conftest import Proxy

from shellwise_client import (
    AsyncShellwise,
    ConnectionFailed,
    EndEvent,
    OutputEvent,
    ProblemError,
    Shellwise,
    StreamEvent,
)
from shellwise_client.models import Job, JobStatus


def test_a_job_that_outlives_wait_ms_comes_back_running_then_waits_to_its_result(
    sw: Shellwise, marker: str
) -> None:
    job = sw.jobs.start(f"echo {marker}; sleep 1; echo done", wait_ms=100)
    assert job.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    assert not job.result
    assert job.links.events == f"/v1/jobs/{job.id}/events"

    finished = sw.jobs.wait(job.id, timeout=20)
    assert finished.status == JobStatus.SUCCEEDED
    assert finished.result and finished.result.stdout == f"{marker}\ndone\n"


def test_a_quick_job_comes_back_finished_within_wait_ms(sw: Shellwise) -> None:
    job = sw.jobs.start("echo quick", wait_ms=10_000)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result and job.result.stdout == "quick\n"


def test_job_output_reads_stored_output_by_range(sw: Shellwise) -> None:
    job = sw.jobs.wait(sw.jobs.start("printf 'step 1\\nstep 2\\nstep 3\\n'").id, timeout=20)
    page = sw.jobs.output(job.id, offset=7, length=7)
    assert (page.data, page.offset, page.total_bytes, page.complete) == ("step 2\n", 7, 21, True)
    assert page.next_offset == 14
    assert sw.jobs.output(job.id, stream="stderr").data == ""


def test_cancel_stops_a_running_job_and_a_second_cancel_is_job_finished(sw: Shellwise) -> None:
    job = sw.jobs.start("sleep 30", timeout_ms=40_000)
    cancelled = sw.jobs.cancel(job.id)
    assert cancelled.id == job.id
    final = sw.jobs.wait(job.id, timeout=15)
    assert final.status == JobStatus.CANCELLED

    with pytest.raises(ProblemError) as caught:
        sw.jobs.cancel(job.id)
    assert (caught.value.status, caught.value.code) == (409, "job_finished")
    assert caught.value.detail and job.id in caught.value.detail


@pytest.mark.parametrize("call", ["get", "cancel", "output", "events"])
def test_an_unknown_job_is_404_job_not_found(sw: Shellwise, call: str) -> None:
    missing = "ex_0000000000000000"
    with pytest.raises(ProblemError) as caught:
        if call == "get":
            sw.jobs.get(missing)
        elif call == "cancel":
            sw.jobs.cancel(missing)
        elif call == "output":
            sw.jobs.output(missing)
        else:
            sw.jobs.events(missing)
    assert (caught.value.status, caught.value.code) == (404, "job_not_found")


def test_a_job_id_cannot_reach_another_route(sw: Shellwise) -> None:
    # The id is escaped into one path segment, so this asks for a job with an odd id.
    with pytest.raises(ProblemError) as caught:
        sw.jobs.get("../exec")
    assert caught.value.status == 404


def test_events_resume_after_a_dropped_connection_without_running_the_command_again(
    token: str, proxy: Proxy, marker: str
) -> None:
    command = f"for i in 1 2 3 4 5 6; do echo {marker} $i; sleep 0.3; done"
    seen: list[StreamEvent] = []
    with Shellwise(proxy.url, token=token, timeout=30) as sw:
        job = sw.jobs.start(command)
        with sw.jobs.events(job.id) as events:
            for event in events:
                seen.append(event)
                if sum(isinstance(e, OutputEvent) for e in seen) == 2 and proxy.connections == 1:
                    proxy.sever()
        assert proxy.connections >= 2  # it really reconnected
        assert proxy.requests("POST /v1/jobs") == 1
        output = sw.jobs.output(job.id)
        jobs = [j for j in sw.jobs.list(limit=50).jobs if j.command == command]

    expected = [f"{marker} {i}" for i in range(1, 7)]
    streamed = "".join(e.data for e in seen if isinstance(e, OutputEvent))
    assert streamed.splitlines() == expected  # each line once, none lost
    assert output.data.splitlines() == expected  # the job's own record: it ran once
    assert len(jobs) == 1
    end = seen[-1]
    assert isinstance(end, EndEvent) and end.status == "succeeded"


def test_events_give_up_after_max_reconnects_and_never_post_again(token: str, proxy: Proxy) -> None:
    with Shellwise(proxy.url, token=token, timeout=30) as sw:
        job = sw.jobs.start("echo started; sleep 5", timeout_ms=10_000)
        with sw.jobs.events(job.id, max_reconnects=2) as events:
            next(events)
            proxy.hang_up_after_request = True  # from now on the "server" fails every request
            proxy.sever()
            with pytest.raises(ConnectionFailed) as caught:
                list(events)
        assert "gave up after 2 reconnect(s)" in str(caught.value)
        assert proxy.requests(f"GET /v1/jobs/{job.id}/events") == 3  # the first and 2 retries
        assert proxy.requests("POST /v1/jobs") == 1
        proxy.hang_up_after_request = False
        assert sw.jobs.cancel(job.id).id == job.id


def test_events_after_an_id_replay_only_what_follows(sw: Shellwise) -> None:
    job = sw.jobs.wait(sw.jobs.start("echo one; echo two").id, timeout=20)
    with sw.jobs.events(job.id) as events:
        everything = list(events)
    with sw.jobs.events(job.id, after=everything[1].event_id) as events:
        rest = list(events)
    assert [e.event_id for e in rest] == [e.event_id for e in everything[2:]]


def test_list_shows_this_tokens_jobs(sw: Shellwise, marker: str) -> None:
    job = sw.jobs.start(f"echo {marker}", wait_ms=10_000)
    listed = sw.jobs.list(status="succeeded", limit=20)
    assert job.id in [j.id for j in listed.jobs]


def test_async_jobs_start_wait_and_follow() -> None:
    async def main() -> tuple[Job, list[StreamEvent]]:
        async with AsyncShellwise(os.environ["SHELLWISE_URL"], os.environ["SHELLWISE_OPERATOR_TOKEN"]) as sw:
            job = await sw.jobs.start("echo a; sleep 0.5; echo b")
            async with await sw.jobs.events(job.id) as events:
                seen = [e async for e in events]
            return await sw.jobs.wait(job.id, timeout=10), seen

    job, events = asyncio.run(main())
    assert job.status == JobStatus.SUCCEEDED
    assert [e.data for e in events if isinstance(e, OutputEvent)] == ["a\n", "b\n"]
