"""Roles, tokens, a server that is down or silent, no silent retries, analyze, chat and models."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest
from conftest import Proxy

from shellwise_client import AsyncShellwise, ClientTimeout, ConnectionFailed, ProblemError, Shellwise
from shellwise_client.models import Category, ChatMessage, Role


def test_no_token_is_401_unauthorized(url: str) -> None:
    with Shellwise(url, token="") as sw, pytest.raises(ProblemError) as caught:
        sw.run("echo")
    assert (caught.value.status, caught.value.code) == (401, "unauthorized")


def test_a_bad_token_is_403_invalid_token(url: str) -> None:
    with Shellwise(url, token="not-a-real-token") as sw, pytest.raises(ProblemError) as caught:
        sw.run("echo")
    assert (caught.value.status, caught.value.code) == (403, "invalid_token")


def test_a_viewer_cannot_run_commands_403_insufficient_role(url: str, viewer_token: str) -> None:
    with Shellwise(url, token=viewer_token) as sw:
        for call in (lambda: sw.run("echo"), lambda: sw.stream("echo"), lambda: sw.jobs.start("echo")):
            with pytest.raises(ProblemError) as caught:
                call()
            assert (caught.value.status, caught.value.code) == (403, "insufficient_role")


def test_raising_a_limit_needs_admin_403_limit_not_allowed(sw: Shellwise) -> None:
    from shellwise_client.models import RequestLimits

    with pytest.raises(ProblemError) as caught:
        sw.run("echo", limits=RequestLimits(memory_bytes=64 << 30))
    assert (caught.value.status, caught.value.code) == (403, "limit_not_allowed")


def test_the_request_id_of_a_problem_is_the_x_request_id_header(url: str, token: str) -> None:
    responses: list[httpx.Response] = []
    # A caller's own httpx client is used as it is (here: with a hook that keeps responses).
    with httpx.Client(event_hooks={"response": [responses.append]}) as http:
        with Shellwise(url, token=token, http_client=http) as sw, pytest.raises(ProblemError) as caught:
            sw.run("sudo rm -rf /")
    assert caught.value.request_id is not None
    assert caught.value.request_id == responses[-1].headers["x-request-id"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_a_server_that_is_down_is_connection_failed() -> None:
    with Shellwise(f"http://127.0.0.1:{_closed_port()}", token="x", timeout=5) as sw:
        with pytest.raises(ConnectionFailed):
            sw.run("echo")
        with pytest.raises(ConnectionFailed):
            sw.stream("echo")
        with pytest.raises(ConnectionError):  # it is also the builtin ConnectionError
            sw.jobs.get("ex_1")

    async def main() -> None:
        async with AsyncShellwise(f"http://127.0.0.1:{_closed_port()}", token="x") as asw:
            await asw.run("echo")

    with pytest.raises(ConnectionFailed):
        asyncio.run(main())


def test_a_connection_cut_after_the_request_fails_without_resending(token: str, proxy: Proxy) -> None:
    proxy.hang_up_after_request = True
    with Shellwise(proxy.url, token=token) as sw, pytest.raises(ConnectionFailed):
        sw.run("echo once")
    time.sleep(0.5)
    assert proxy.requests("POST /v1/exec ") == 1
    assert proxy.connections == 1


def test_a_call_timeout_raises_client_timeout_and_is_not_retried(token: str, proxy: Proxy) -> None:
    with Shellwise(proxy.url, token=token, timeout=30) as sw:
        started = time.monotonic()
        with pytest.raises(ClientTimeout):
            sw.run("sleep 3", timeout=0.5)
        assert time.monotonic() - started < 2.5
        with pytest.raises(TimeoutError):  # it is also the builtin TimeoutError
            sw.jobs.wait(sw.jobs.start("sleep 3").id, timeout=0.5)
    time.sleep(0.5)
    assert proxy.requests("POST /v1/exec ") == 1


def test_analyze_explains_a_failure_from_elsewhere(sw: Shellwise) -> None:
    analysis = sw.analyze(
        "python3 train.py",
        exit_code=1,
        stderr="Traceback (most recent call last):\n  File \"train.py\", line 1, in <module>\n"
        "    import yaml\nModuleNotFoundError: No module named 'yaml'\n",
    )
    assert analysis.category == Category.MISSING_DEPENDENCY
    assert "yaml" in analysis.summary
    assert "ModuleNotFoundError: No module named 'yaml'" in analysis.evidence
    assert 0 <= analysis.confidence <= 1


def test_analyze_by_signal(sw: Shellwise) -> None:
    assert sw.analyze("./server", signal="SIGKILL").category == Category.KILLED


def test_chat_without_an_llm_is_503_llm_unavailable(sw: Shellwise) -> None:
    with pytest.raises(ProblemError) as caught:
        sw.chat([ChatMessage(role=Role.USER, content="What does exit code 137 mean?")])
    assert (caught.value.status, caught.value.code) == (503, "llm_unavailable")


def test_models_lists_no_providers_on_a_server_without_llm(sw: Shellwise) -> None:
    models = sw.models()
    assert models.providers == []
