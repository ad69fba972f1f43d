"""Typed errors: every failure of a call is a ShellwiseError.

A problem the server answered (RFC 9457, `application/problem+json`) becomes a ProblemError
that keeps the whole body, so a caller can switch on `code` and read `rule_id`,
`confirm_token` and the rest; a server that cannot be reached becomes ConnectionFailed, a call
that ran out of time ClientTimeout.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import httpx

from ._generated.models.patch_conflict import PatchConflict


class ShellwiseError(Exception):
    """Base class of every error this package raises."""


class ConnectionFailed(ShellwiseError, ConnectionError):
    """The server could not be reached, or the connection broke before an answer arrived.

    A POST that fails this way is never re-sent: it may have reached the server.
    """


class ClientTimeout(ShellwiseError, TimeoutError):
    """The call's `timeout` ran out before the server answered (the request is not re-sent)."""


class UnexpectedResponse(ShellwiseError):
    """The server answered with something that is neither the documented body nor a problem."""

    def __init__(self, message: str, *, status: int, body: str, request_id: Optional[str]) -> None:
        super().__init__(message)
        self.status = status
        self.body = body
        self.request_id = request_id


class ProblemError(ShellwiseError):
    """The server refused the request with a problem document.

    `code` is the stable machine-readable code (one of `shellwise_client.models.Code`; compare
    with `==`, it is a `str` enum). Fields the problem did not carry are `None`; `body` holds
    the whole document, including fields this version does not know.
    """

    def __init__(
        self, body: Mapping[str, Any], *, status: int, request_id: Optional[str], retry_after: Optional[float]
    ) -> None:
        self.body: dict[str, Any] = dict(body)
        self.status = status
        self.code: str = _text(body, "code") or "unknown"
        self.type = _text(body, "type")
        self.title = _text(body, "title")
        self.detail = _text(body, "detail")
        # The body carries the request id; the X-Request-Id header is the fallback.
        self.request_id = _text(body, "requestId") or request_id
        self.rule_id = _text(body, "ruleId")
        self.reason = _text(body, "reason")
        self.confirm_token = _text(body, "confirmToken")
        # With `policy.approver_role` set: the role another token needs to approve the token.
        self.approver_role = _text(body, "approverRole")
        # The caller's approval mode, when it shaped the answer (`never`, `untrusted`).
        self.approval_mode = _text(body, "approvalMode")
        expires = body.get("expiresInSecs")
        self.expires_in_secs: Optional[int] = expires if isinstance(expires, int) else None
        available = body.get("available")
        self.available: Optional[list[str]] = (
            [a for a in available if isinstance(a, str)] if isinstance(available, list) else None
        )
        # Seconds to wait before trying again (429 and 503 answers say so in Retry-After).
        self.retry_after = retry_after
        # `patch_conflict`: each hunk that did not apply, where, and what the file has there.
        self.conflicts: Optional[list[PatchConflict]] = _conflicts(body.get("conflicts"))
        super().__init__(f"{status} {self.code}: {self.detail or self.title or 'no detail'}")


class ConfirmationRequired(ProblemError):
    """409 `confirmation_required`: the policy asks a person to confirm this command, or this
    change to a protected file (`files.protected`, e.g. `.env`).

    Show `rule_id` and `reason` to that person; if they agree, `resubmit()` sends the very same
    request once more carrying `confirm_token` (single use; valid for `expires_in_secs`), and
    returns what the original call would have: a result, a job, an event stream, or what the
    file call returns (for AsyncShellwise, an awaitable of it). Passing `confirm_token=` to the
    same call does the same. An upload from a stream cannot be resubmitted (its bytes are gone):
    upload again with `confirm_token=`.
    """

    _resubmit: Optional[Callable[[], Any]] = None

    def resubmit(self) -> Any:
        if self._resubmit is None or self.confirm_token is None:
            raise ShellwiseError("this confirmation cannot be resubmitted: no request or no token")
        return self._resubmit()


def _conflicts(value: Any) -> Optional[list[PatchConflict]]:
    if not isinstance(value, list):
        return None
    try:
        return [PatchConflict.from_dict(c) for c in value if isinstance(c, dict)]
    except (KeyError, TypeError, ValueError):
        # A shape this version does not know: `body["conflicts"]` still has it as sent.
        return None


def _text(body: Mapping[str, Any], key: str) -> Optional[str]:
    value = body.get(key)
    return value if isinstance(value, str) else None


def error_from_response(response: httpx.Response) -> ShellwiseError:
    """The error for an answer with status >= 400 (its body must have been read)."""
    request_id = response.headers.get("x-request-id")
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("code"), str):
        cls = ConfirmationRequired if body["code"] == "confirmation_required" else ProblemError
        return cls(
            body, status=response.status_code, request_id=request_id, retry_after=_retry_after(response)
        )
    return UnexpectedResponse(
        f"{response.status_code} without a problem document",
        status=response.status_code,
        body=response.text[:2000],
        request_id=request_id,
    )


def _retry_after(response: httpx.Response) -> Optional[float]:
    value = response.headers.get("retry-after")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def transport_error(exc: httpx.TransportError, what: str) -> ShellwiseError:
    """ClientTimeout or ConnectionFailed for an httpx failure (chain it with `from exc`)."""
    if isinstance(exc, httpx.TimeoutException):
        return ClientTimeout(f"{what}: timed out ({type(exc).__name__})")
    return ConnectionFailed(f"{what}: {type(exc).__name__}: {exc}")
