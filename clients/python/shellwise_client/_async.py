"""AsyncShellwise: the asyncio client; the same calls as Shellwise, awaited."""

from __future__ import annotations

import asyncio
import os
import time
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Literal,
    Mapping,
    Optional,
    Sequence,
    TypeVar,
    Union,
)

import httpx
from httpx_sse import EventSource

from . import _ops
from ._errors import ClientTimeout, ConfirmationRequired, ConnectionFailed, transport_error
from ._events import StreamEvent
from ._generated.models.analysis import Analysis
from ._generated.models.chat_message import ChatMessage
from ._generated.models.chat_response import ChatResponse
from ._generated.models.delete_result import DeleteResult
from ._generated.models.exec_result import ExecResult
from ._generated.models.file_content import FileContent
from ._generated.models.file_info import FileInfo
from ._generated.models.file_list import FileList
from ._generated.models.initial_file import InitialFile
from ._generated.models.job import Job
from ._generated.models.job_list import JobList
from ._generated.models.job_output import JobOutput
from ._generated.models.model_list import ModelList
from ._generated.models.patch_result import PatchResult
from ._generated.models.approval import Approval
from ._generated.models.approval_list import ApprovalList
from ._generated.models.policy_decision import PolicyDecision
from ._generated.models.search_result import SearchResult
from ._generated.models.workspace import Workspace
from ._generated.models.workspace_list import WorkspaceList
from ._generated.models.write_result import WriteResult
from ._ops import DEFAULT, AsyncUploadBody, ExecOptions, TimeoutArg
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
        self.workspaces = AsyncWorkspaces(self)
        self.files = AsyncFiles(self)

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

    async def _send(self, kwargs: dict[str, Any], timeout: TimeoutArg, what: str) -> httpx.Response:
        try:
            return await self._http.request(
                **_ops.absolute(kwargs, self.base_url, self._headers),
                timeout=_ops.resolve_timeout(timeout, self.timeout),
            )
        except httpx.TransportError as exc:
            raise transport_error(exc, what) from exc

    async def _call(self, call: _ops.Call[T]) -> T:
        response = await self._send(call.kwargs, call.timeout, call.what)
        try:
            return _ops.read_answer(call, response)
        except ConfirmationRequired as err:
            confirmable = call.confirmable
            if confirmable is not None and err.confirm_token is not None:
                token = err.confirm_token
                err._resubmit = lambda: self._call(confirmable(token))
            raise

    async def _call_bytes(self, call: _ops.BytesCall) -> bytes:
        return _ops.read_bytes(call, await self._send(call.kwargs, call.timeout, call.what))

    async def _open_stream(
        self,
        kwargs: dict[str, Any],
        timeout: httpx.Timeout,
        what: str,
        check: Callable[[httpx.Response, str], None] = _ops.check_stream_response,
    ) -> httpx.Response:
        request = self._http.build_request(**_ops.absolute(kwargs, self.base_url, self._headers), timeout=timeout)
        try:
            response = await self._http.send(request, stream=True)
            if response.status_code >= 400:
                await response.aread()
        except httpx.TransportError as exc:
            raise transport_error(exc, what) from exc
        try:
            check(response, what)
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

    async def approvals(self, *, timeout: TimeoutArg = DEFAULT) -> ApprovalList:
        return await self._client._call(_ops.list_approvals_call(timeout))

    async def approve(self, confirm_token: str, *, timeout: TimeoutArg = DEFAULT) -> Approval:
        return await self._client._call(_ops.approve_call(confirm_token, timeout))

    async def reject(self, confirm_token: str, *, timeout: TimeoutArg = DEFAULT) -> Approval:
        return await self._client._call(_ops.reject_call(confirm_token, timeout))


class AsyncWorkspaces:
    """See Workspaces."""

    def __init__(self, client: AsyncShellwise) -> None:
        self._client = client

    async def list(self, *, timeout: TimeoutArg = DEFAULT) -> WorkspaceList:
        return await self._client._call(_ops.list_workspaces_call(timeout))

    async def create(
        self,
        name: Optional[str] = None,
        *,
        ttl_secs: Optional[int] = None,
        quota_bytes: Optional[int] = None,
        quota_files: Optional[int] = None,
        files: Union[Mapping[str, str], Sequence[InitialFile], None] = None,
        git_init: Optional[bool] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Workspace:
        return await self._client._call(
            _ops.create_workspace_call(name, ttl_secs, quota_bytes, quota_files, files, git_init, timeout)
        )

    async def get(self, ws: str, *, timeout: TimeoutArg = DEFAULT) -> Workspace:
        return await self._client._call(_ops.get_workspace_call(ws, timeout))

    async def delete(self, ws: str, *, timeout: TimeoutArg = DEFAULT) -> DeleteResult:
        return await self._client._call(_ops.delete_workspace_call(ws, timeout))


class AsyncFiles:
    """See Files."""

    def __init__(self, client: AsyncShellwise) -> None:
        self._client = client

    async def read(
        self,
        ws: str,
        path: str,
        *,
        start_line: Optional[int] = None,
        end_line: Optional[int] = None,
        offset: Optional[int] = None,
        length: Optional[int] = None,
        max_bytes: Optional[int] = None,
        encoding: Optional[Literal["text", "base64"]] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> FileContent:
        return await self._client._call(
            _ops.read_file_call(
                ws,
                path,
                start_line=start_line,
                end_line=end_line,
                offset=offset,
                length=length,
                max_bytes=max_bytes,
                encoding=encoding,
                timeout=timeout,
            )
        )

    async def read_all_text(
        self, ws: str, path: str, *, page_bytes: Optional[int] = None, timeout: TimeoutArg = DEFAULT
    ) -> str:
        pages = _ops.TextPages(ws, path)
        while True:
            if pages.add(await self._client._call(pages.call(page_bytes, timeout))):
                return pages.text

    async def write(
        self,
        ws: str,
        path: str,
        content: Union[str, bytes],
        *,
        mode: Optional[Literal["overwrite", "create", "append"]] = None,
        if_match: Optional[str] = None,
        permissions: Optional[str] = None,
        parents: Optional[bool] = None,
        force: Optional[bool] = None,
        confirm_token: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> WriteResult:
        return await self._client._call(
            _ops.write_file_call(
                ws,
                path,
                content,
                mode=mode,
                if_match=if_match,
                permissions=permissions,
                parents=parents,
                force=force,
                confirm_token=confirm_token,
                timeout=timeout,
            )
        )

    async def delete(
        self,
        ws: str,
        path: str,
        *,
        recursive: Optional[bool] = None,
        confirm_token: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> DeleteResult:
        return await self._client._call(_ops.delete_file_call(ws, path, recursive, confirm_token, timeout))

    async def stat(self, ws: str, path: str, *, timeout: TimeoutArg = DEFAULT) -> FileInfo:
        return await self._client._call(_ops.stat_file_call(ws, path, timeout))

    async def list(
        self,
        ws: str,
        path: Optional[str] = None,
        *,
        depth: Optional[int] = None,
        glob: Optional[str] = None,
        gitignore: Optional[bool] = None,
        hidden: Optional[bool] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> FileList:
        return await self._client._call(
            _ops.list_files_call(
                ws,
                path,
                depth=depth,
                glob=glob,
                gitignore=gitignore,
                hidden=hidden,
                limit=limit,
                cursor=cursor,
                timeout=timeout,
            )
        )

    async def entries(
        self,
        ws: str,
        path: Optional[str] = None,
        *,
        depth: Optional[int] = None,
        glob: Optional[str] = None,
        gitignore: Optional[bool] = None,
        hidden: Optional[bool] = None,
        limit: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> AsyncIterator[FileInfo]:
        """`async for entry in client.files.entries(...)` (no `await` before it)."""
        cursor: Optional[str] = None
        while True:
            page = await self.list(
                ws, path, depth=depth, glob=glob, gitignore=gitignore, hidden=hidden, limit=limit,
                cursor=cursor, timeout=timeout,
            )
            for entry in page.entries:
                yield entry
            cursor = _ops.next_cursor(page)
            if cursor is None:
                return

    async def move(
        self,
        ws: str,
        src: str,
        dst: str,
        *,
        overwrite: Optional[bool] = None,
        parents: Optional[bool] = None,
        confirm_token: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> FileInfo:
        return await self._client._call(
            _ops.move_file_call(ws, src, dst, overwrite, parents, confirm_token, timeout)
        )

    async def patch(
        self,
        ws: str,
        patch_text: str,
        *,
        dry_run: Optional[bool] = None,
        format: Optional[Literal["auto", "unified", "envelope"]] = None,
        force: Optional[bool] = None,
        confirm_token: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> PatchResult:
        return await self._client._call(
            _ops.patch_files_call(ws, patch_text, dry_run, format, force, confirm_token, timeout)
        )

    async def search(
        self,
        ws: str,
        pattern: str,
        *,
        literal: Optional[bool] = None,
        case_insensitive: Optional[bool] = None,
        path: Optional[str] = None,
        globs: Optional[Sequence[str]] = None,
        context: Optional[int] = None,
        max_matches: Optional[int] = None,
        hidden: Optional[bool] = None,
        gitignore: Optional[bool] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> SearchResult:
        return await self._client._call(
            _ops.search_files_call(
                ws,
                pattern,
                literal=literal,
                case_insensitive=case_insensitive,
                path=path,
                globs=globs,
                context=context,
                max_matches=max_matches,
                hidden=hidden,
                gitignore=gitignore,
                timeout=timeout,
            )
        )

    async def upload(
        self,
        ws: str,
        path: str,
        data: AsyncUploadBody,
        *,
        overwrite: Optional[bool] = None,
        permissions: Optional[str] = None,
        if_match: Optional[str] = None,
        confirm_token: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> WriteResult:
        """See Files.upload; `data` may also be an async iterable of chunks."""
        return await self._client._call(
            _ops.upload_file_call(
                ws,
                path,
                _ops.async_upload_body(data),
                overwrite=overwrite,
                permissions=permissions,
                if_match=if_match,
                confirm_token=confirm_token,
                timeout=timeout,
            )
        )

    async def download(self, ws: str, path: str, *, timeout: TimeoutArg = DEFAULT) -> bytes:
        return await self._client._call_bytes(_ops.download_call(ws, path, timeout))

    async def download_stream(self, ws: str, path: str, *, timeout: TimeoutArg = DEFAULT) -> AsyncByteStream:
        """`async with await client.files.download_stream(...) as chunks: async for chunk in chunks`."""
        return await AsyncByteStream.open(self._client, _ops.download_call(ws, path, timeout))

    async def archive(
        self,
        ws: str,
        path: Optional[str] = None,
        *,
        gitignore: Optional[bool] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> bytes:
        return await self._client._call_bytes(_ops.archive_call(ws, path, gitignore, timeout))


class AsyncByteStream(AsyncIterator[bytes]):
    """See ByteStream: `async for chunk in stream`; `await stream.aclose()` hangs up."""

    def __init__(self, response: httpx.Response, what: str) -> None:
        self._response = response
        self._what = what
        self._chunks = response.aiter_bytes()
        self.etag: Optional[str] = response.headers.get("etag")

    @classmethod
    async def open(cls, client: AsyncShellwise, call: _ops.BytesCall) -> AsyncByteStream:
        timeout = _ops.stream_timeout(call.timeout, client.timeout)
        response = await client._open_stream(call.kwargs, timeout, call.what, _ops.check_bytes_response)
        return cls(response, call.what)

    def __aiter__(self) -> AsyncByteStream:
        return self

    async def __anext__(self) -> bytes:
        try:
            return await self._chunks.__anext__()
        except httpx.TransportError as exc:
            raise transport_error(exc, self._what) from exc

    async def aclose(self) -> None:
        await self._response.aclose()

    async def __aenter__(self) -> AsyncByteStream:
        return self

    async def __aexit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        await self.aclose()
