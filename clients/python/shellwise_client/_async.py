"""AsyncShellwise: the asyncio client; the same calls as Shellwise, awaited."""

from __future__ import annotations

import asyncio
import os
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, AsyncGenerator, AsyncIterator, Literal, Optional, Sequence, TypeVar, Union

import httpx
from httpx_sse import EventSource

from . import _ops
from ._errors import ClientTimeout, ConfirmationRequired, ConnectionFailed, transport_error
from ._events import StreamEvent
from ._generated.models.analysis import Analysis
from ._generated.models.chat_message import ChatMessage
from ._generated.models.chat_response import ChatResponse
from ._generated.models.exec_result import ExecResult
from ._generated.models.job import Job
from ._generated.models.job_list import JobList
from ._generated.models.job_output import JobOutput
from ._generated.models.model_list import ModelList
from ._generated.models.policy_decision import PolicyDecision
from ._ops import DEFAULT, ExecOptions, TimeoutArg
from ._sync import USER_AGENT

if TYPE_CHECKING:
    from typing_extensions import Unpack

T = TypeVar("T")


class AsyncShellwise:
    """The asyncio twin of Shellwise: the same arguments, calls and errors; every call is
    awaited and streams are async iterators. Use `async with`, or `await client.aclose()`.
    A ConfirmationRequired raised here has a `resubmit()` that returns an awaitable."""

    def __init__(
        self,
        base_url: Optional[str] = None,
        token: Optional[str] = None,
        *,
        timeout: Optional[float] = 60.0,
        http_client: Optional[httpx.AsyncClient] = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("SHELLWISE_URL") or "http://127.0.0.1:8080").rstrip("/")
        token = token if token is not None else os.environ.get("SHELLWISE_TOKEN")
        self.timeout = timeout
        self._headers = {"User-Agent": USER_AGENT}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(follow_redirects=False)
        self.jobs = AsyncJobs(self)
        self.policy = AsyncPolicy(self)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncShellwise:
        return self

    async def __aexit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------------------------------- calls

    async def run(
        self,
        command: Optional[str] = None,
        *,
        max_response_chars: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
        **options: Unpack[ExecOptions],
    ) -> ExecResult:
        """See Shellwise.run."""
        return await self._call(_ops.run(command, options, max_response_chars, timeout))

    async def stream(
        self,
        command: Optional[str] = None,
        *,
        timeout: TimeoutArg = DEFAULT,
        max_reconnects: int = 3,
        **options: Unpack[ExecOptions],
    ) -> AsyncEventStream:
        """See Shellwise.stream: `async for event in await client.stream(...)`."""
        kwargs = _ops.stream_request(command, options)
        try:
            return await AsyncEventStream.open(self, kwargs, _ops.Follow(None, None, max_reconnects), timeout)
        except ConfirmationRequired as err:
            token = err.confirm_token
            if token is not None:
                retry = _ops.with_token(options, token)
                err._resubmit = lambda: self.stream(command, timeout=timeout, max_reconnects=max_reconnects, **retry)
            raise

    async def analyze(
        self,
        command: str,
        *,
        exit_code: Optional[int] = None,
        signal: Union[int, str, None] = None,
        stdout: Optional[str] = None,
        stderr: Optional[str] = None,
        cwd: Optional[str] = None,
        timed_out: Optional[bool] = None,
        limit: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Analysis:
        """See Shellwise.analyze."""
        return await self._call(
            _ops.analyze_call(command, exit_code, signal, stdout, stderr, cwd, timed_out, limit, timeout)
        )

    async def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        provider: Optional[str] = None,
        model: Optional[str] = None,
        max_tokens: Optional[int] = None,
        temperature: Optional[float] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> ChatResponse:
        """See Shellwise.chat."""
        return await self._call(_ops.chat_call(messages, provider, model, max_tokens, temperature, timeout))

    async def models(self, *, timeout: TimeoutArg = DEFAULT) -> ModelList:
        """See Shellwise.models."""
        return await self._call(_ops.list_models_call(timeout))

    # ---------------------------------------------------------------------------- transport

    async def _call(self, call: _ops.Call[T]) -> T:
        try:
            response = await self._http.request(
                **_ops.absolute(call.kwargs, self.base_url, self._headers),
                timeout=_ops.resolve_timeout(call.timeout, self.timeout),
            )
        except httpx.TransportError as exc:
            raise transport_error(exc, call.what) from exc
        try:
            return _ops.read_answer(call, response)
        except ConfirmationRequired as err:
            confirmable = call.confirmable
            if confirmable is not None and err.confirm_token is not None:
                token = err.confirm_token
                err._resubmit = lambda: self._call(confirmable(token))
            raise

    async def _open_stream(self, kwargs: dict[str, Any], timeout: httpx.Timeout, what: str) -> httpx.Response:
        request = self._http.build_request(**_ops.absolute(kwargs, self.base_url, self._headers), timeout=timeout)
        try:
            response = await self._http.send(request, stream=True)
            if response.status_code >= 400:
                await response.aread()
        except httpx.TransportError as exc:
            raise transport_error(exc, what) from exc
        try:
            _ops.check_stream_response(response, what)
        except BaseException:
            await response.aclose()
            raise
        return response


class AsyncEventStream(AsyncIterator[StreamEvent]):
    """The async twin of EventStream: `async for event in stream`; `await stream.aclose()` (or
    the end of an `async with` block) hangs up."""

    def __init__(
        self, client: AsyncShellwise, response: httpx.Response, follow: _ops.Follow, timeout: httpx.Timeout
    ) -> None:
        self._client = client
        self._follow = follow
        self._timeout = timeout
        self._response = response
        self._events = self._run()

    @classmethod
    async def open(
        cls, client: AsyncShellwise, kwargs: dict[str, Any], follow: _ops.Follow, timeout: TimeoutArg
    ) -> AsyncEventStream:
        resolved = _ops.stream_timeout(timeout, client.timeout)
        response = await client._open_stream(kwargs, resolved, _ops.describe(kwargs))
        return cls(client, response, follow, resolved)

    @property
    def job_id(self) -> Optional[str]:
        return self._follow.job_id

    @property
    def last_event_id(self) -> Optional[str]:
        return self._follow.last_event_id

    def __aiter__(self) -> AsyncEventStream:
        return self

    async def __anext__(self) -> StreamEvent:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        await self._events.aclose()
        await self._response.aclose()

    async def __aenter__(self) -> AsyncEventStream:
        return self

    async def __aexit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        await self.aclose()

    async def _run(self) -> AsyncGenerator[StreamEvent, None]:
        response: Optional[httpx.Response] = self._response
        cause: Optional[BaseException] = None
        while True:
            if response is not None:
                cause = None
                try:
                    async for sse in EventSource(response).aiter_sse():
                        event = self._follow.seen(sse)
                        if event is None:
                            continue
                        yield event
                        if self._follow.done:
                            return
                except httpx.TransportError as exc:
                    cause = exc
                finally:
                    await response.aclose()
            # Dropped, or ended without `end`: resume from the job's store (a GET), or give up.
            kwargs = self._follow.resume(cause)
            await asyncio.sleep(self._follow.backoff())
            try:
                response = await self._client._open_stream(kwargs, self._timeout, _ops.describe(kwargs))
                self._response = response
            except (ConnectionFailed, ClientTimeout) as exc:
                response, cause = None, exc


class AsyncJobs:
    """See Jobs."""

    def __init__(self, client: AsyncShellwise) -> None:
        self._client = client

    async def start(
        self,
        command: Optional[str] = None,
        *,
        wait_ms: Optional[int] = 0,
        max_response_chars: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
        **options: Unpack[ExecOptions],
    ) -> Job:
        return await self._client._call(_ops.start_job_call(command, options, wait_ms, max_response_chars, timeout))

    async def get(
        self,
        job_id: str,
        *,
        wait_ms: Optional[int] = None,
        max_response_chars: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Job:
        return await self._client._call(_ops.get_job_call(job_id, wait_ms, max_response_chars, timeout))

    async def wait(self, job_id: str, *, timeout: Optional[float] = None, poll_ms: int = 20_000) -> Job:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait_ms = poll_ms
            if deadline is not None:
                wait_ms = max(0, min(poll_ms, int((deadline - time.monotonic()) * 1000)))
            http_timeout = None if self._client.timeout is None else wait_ms / 1000 + self._client.timeout
            job = await self.get(job_id, wait_ms=wait_ms, timeout=http_timeout)
            if str(job.status) in _ops.TERMINAL_STATUSES:
                return job
            if deadline is not None and time.monotonic() >= deadline:
                raise ClientTimeout(f"job {job_id} is still {job.status} after {timeout} s")

    async def cancel(self, job_id: str, *, timeout: TimeoutArg = DEFAULT) -> Job:
        return await self._client._call(_ops.cancel_job_call(job_id, timeout))

    async def events(
        self,
        job_id: str,
        *,
        after: Optional[str] = None,
        max_reconnects: int = 5,
        timeout: TimeoutArg = DEFAULT,
    ) -> AsyncEventStream:
        follow = _ops.Follow(job_id, after, max_reconnects)
        return await AsyncEventStream.open(self._client, _ops.events_request(job_id, after), follow, timeout)

    async def output(
        self,
        job_id: str,
        *,
        stream: Literal["stdout", "stderr"] = "stdout",
        offset: Optional[int] = None,
        length: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> JobOutput:
        return await self._client._call(_ops.job_output_call(job_id, stream, offset, length, timeout))

    async def list(
        self,
        *,
        status: Optional[str] = None,
        before: Optional[str] = None,
        limit: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> JobList:
        return await self._client._call(_ops.list_jobs_call(status, before, limit, timeout))


class AsyncPolicy:
    """See Policy."""

    def __init__(self, client: AsyncShellwise) -> None:
        self._client = client

    async def check(
        self, command: Optional[str] = None, *, timeout: TimeoutArg = DEFAULT, **options: Unpack[ExecOptions]
    ) -> PolicyDecision:
        return await self._client._call(_ops.check_policy_call(command, options, timeout))
