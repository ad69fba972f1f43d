"""policy.check, policy_denied, and the confirm flow (ConfirmationRequired.resubmit)."""

from __future__ import annotations

import asyncio
import os

import pytest
from conftest import Proxy

from shellwise_client import AsyncShellwise, ConfirmationRequired, OutputEvent, ProblemError, Shellwise
from shellwise_client.models import Action, ExecResult, JobStatus

# The default policy asks a person to confirm a program only known at run time (rule
# `dynamic-command-name`); this one runs `echo`, so confirming it is harmless.
NEEDS_CONFIRMATION = "$(date +echo) confirmed"


def test_policy_check_decides_without_running(sw: Shellwise) -> None:
    decision = sw.policy.check("git status && rm -rf ~")
    assert decision.decision == Action.DENY
    assert decision.rule_id == "rm-recursive-system"
    assert [c.argv for c in decision.commands] == [["git", "status"], ["rm", "-rf", "~"]]
    assert [c.decision for c in decision.commands] == [Action.ALLOW, Action.DENY]

    confirm = sw.policy.check(NEEDS_CONFIRMATION)
    assert confirm.decision == Action.CONFIRM
    assert (confirm.approval_mode, confirm.approval_mode_source) == ("on-request", "default")
    assert sw.policy.check(argv=["ls", "-la"]).decision == Action.ALLOW


def test_without_an_approver_the_approval_helpers_say_so(sw: Shellwise) -> None:
    for call in (sw.policy.approvals, lambda: sw.policy.approve("cf_x"), lambda: sw.policy.reject("cf_x")):
        with pytest.raises(ProblemError) as caught:
            call()
        assert (caught.value.status, caught.value.code) == (404, "approvals_not_configured")


def test_a_denied_command_is_a_403_policy_denied_with_the_rule(sw: Shellwise) -> None:
    with pytest.raises(ProblemError) as caught:
        sw.run("echo ok; sudo rm -rf /")
    err = caught.value
    assert (err.status, err.code, err.rule_id) == (403, "policy_denied", "rm-recursive-system")
    assert err.reason and err.request_id
    assert not isinstance(err, ConfirmationRequired)


def test_a_denied_post_is_sent_once(token: str, proxy: Proxy) -> None:
    with Shellwise(proxy.url, token=token) as sw:
        with pytest.raises(ProblemError):
            sw.run("sudo rm -rf /")
        with pytest.raises(ProblemError):
            sw.jobs.start("sudo rm -rf /")
    assert proxy.requests("POST /v1/exec ") == 1
    assert proxy.requests("POST /v1/jobs") == 1


def test_confirmation_required_carries_a_token_and_resubmit_runs_it_once(sw: Shellwise) -> None:
    with pytest.raises(ConfirmationRequired) as caught:
        sw.run(NEEDS_CONFIRMATION)
    err = caught.value
    assert (err.status, err.code, err.rule_id) == (409, "confirmation_required", "dynamic-command-name")
    assert err.confirm_token and err.expires_in_secs and err.reason

    result = err.resubmit()
    assert isinstance(result, ExecResult)
    assert (result.exit_code, result.stdout) == (0, "confirmed\n")

    # The token is single use: sending it again asks again, with a fresh token.
    with pytest.raises(ConfirmationRequired) as again:
        sw.run(NEEDS_CONFIRMATION, confirm_token=err.confirm_token)
    assert again.value.confirm_token and again.value.confirm_token != err.confirm_token


def test_confirm_flow_for_jobs_and_streams(sw: Shellwise) -> None:
    with pytest.raises(ConfirmationRequired) as job_caught:
        sw.jobs.start(NEEDS_CONFIRMATION, wait_ms=10_000)
    job = job_caught.value.resubmit()
    assert job.status == JobStatus.SUCCEEDED and job.result.stdout == "confirmed\n"

    with pytest.raises(ConfirmationRequired) as stream_caught:
        sw.stream(NEEDS_CONFIRMATION)
    with stream_caught.value.resubmit() as events:
        assert [e.data for e in events if isinstance(e, OutputEvent)] == ["confirmed\n"]


def test_async_confirm_flow_resubmit_is_awaitable() -> None:
    async def main() -> ExecResult:
        async with AsyncShellwise(os.environ["SHELLWISE_URL"], os.environ["SHELLWISE_OPERATOR_TOKEN"]) as sw:
            try:
                await sw.run(NEEDS_CONFIRMATION)
            except ConfirmationRequired as err:
                result: ExecResult = await err.resubmit()
                return result
            raise AssertionError("the policy did not ask for confirmation")

    assert asyncio.run(main()).stdout == "confirmed\n"
