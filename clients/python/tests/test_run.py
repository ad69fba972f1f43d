"""run(): buffered results, and the problems a bad request gets."""

from __future__ import annotations

import asyncio
import os
import sys

import pytest

import shellwise_client
from shellwise_client import AsyncShellwise, ProblemError, Shellwise
from shellwise_client.models import Analysis, Code, ExecResult, RequestLimits


def test_the_suite_runs_the_installed_package() -> None:
    # test.sh installs the package into the venv (with its packaged _generated code); the suite
    # must exercise that copy, not the source tree.
    assert os.path.realpath(shellwise_client.__file__).startswith(os.path.realpath(sys.prefix))


def test_run_returns_exit_code_stdout_and_stderr_of_a_failing_command(sw: Shellwise) -> None:
    result = sw.run("echo hello; echo oops >&2; exit 3")
    assert (result.exit_code, result.stdout, result.stderr) == (3, "hello\n", "oops\n")
    assert result.timed_out is False
    # A failure comes with the server's analysis, parsed into the generated model.
    assert isinstance(result.ai_analysis, Analysis)


def test_run_takes_argv_code_and_stdin(sw: Shellwise) -> None:
    assert sw.run(argv=["printf", "%s-%s", "a", "b c"]).stdout == "a-b c"
    assert sw.run(code="print(6 * 7)", language="python").stdout == "42\n"
    assert sw.run("wc -l", stdin="a\nb\n").stdout.strip() == "2"
    assert sw.run("echo $GREETING", env={"GREETING": "hi there"}).stdout == "hi there\n"


def test_run_reports_a_timeout_as_a_result(sw: Shellwise) -> None:
    result = sw.run("sleep 10", timeout_ms=300)
    assert result.timed_out is True
    assert result.exit_code == 124
    assert str(result.limit) == "wall_time"


def test_run_passes_limits_through(sw: Shellwise) -> None:
    result = sw.run("echo ok", limits=RequestLimits(pids=32))
    pids = [e.value for e in result.limits_enforced if e.limit == "pids"]
    assert pids == [32]


def test_async_run_returns_the_same_result_type() -> None:
    async def main() -> ExecResult:
        async with AsyncShellwise(os.environ["SHELLWISE_URL"], os.environ["SHELLWISE_OPERATOR_TOKEN"]) as sw:
            return await sw.run("echo async")

    result = asyncio.run(main())
    assert (result.exit_code, result.stdout) == (0, "async\n")


def test_invalid_request_is_a_400_problem_with_code_and_request_id(sw: Shellwise) -> None:
    with pytest.raises(ProblemError) as caught:
        sw.run("echo", timeout_ms=0)
    err = caught.value
    assert (err.status, err.code) == (400, "invalid_request")
    assert err.code == Code.INVALID_REQUEST
    assert err.detail and "timeoutMs" in err.detail
    assert err.request_id


def test_neither_command_nor_argv_is_invalid_request(sw: Shellwise) -> None:
    with pytest.raises(ProblemError) as caught:
        sw.run()
    assert (caught.value.status, caught.value.code) == (400, "invalid_request")


def test_unsupported_language_lists_what_the_server_has(sw: Shellwise) -> None:
    with pytest.raises(ProblemError) as caught:
        sw.run(code="x", language="cobol")
    err = caught.value
    assert (err.status, err.code) == (400, "unsupported_language")
    assert err.available is not None and "python" in err.available


def test_an_unknown_option_is_refused_before_sending(sw: Shellwise) -> None:
    with pytest.raises(TypeError):
        sw.run("echo", timeout_secs=3)  # type: ignore[call-arg]
