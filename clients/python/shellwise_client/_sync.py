"""Shellwise: the synchronous client."""

from __future__ import annotations

import os
import time
from types import TracebackType
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Generator,
    Iterator,
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
from ._ops import DEFAULT, ExecOptions, TimeoutArg, UploadBody

if TYPE_CHECKING:
    from typing_extensions import Unpack

T = TypeVar("T")

USER_AGENT = "shellwise-client-python/0.1.0"


class Shellwise:
    """A client of one shellwise server.

    `base_url` and `token` default to $SHELLWISE_URL and $SHELLWISE_TOKEN. `timeout` (seconds,
    `None` for none) applies to every call unless the call passes its own `timeout=`. Nothing is
    retried behind your back: a POST that fails is reported, never re-sent (event streams
    resume with a GET instead, see `stream`). Use it as a context manager, or call `close()`.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        token: Optional[str] = None,
        *,
        timeout: Optional[float] = 60.0,
        http_client: Optional[httpx.Client] = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("SHELLWISE_URL") or "http://127.0.0.1:8080").rstrip("/")
        token = token if token is not None else os.environ.get("SHELLWISE_TOKEN")
        self.timeout = timeout
        self._headers = {"User-Agent": USER_AGENT}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        # A client passed in is used as it is (its transport, TLS and proxy settings); URLs,
        # headers and timeouts go with each request, so it is not changed.
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(follow_redirects=False)
        self.jobs = Jobs(self)
        self.policy = Policy(self)
        self.workspaces = Workspaces(self)
        self.files = Files(self)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Shellwise:
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    # ------------------------------------------------------------------------------- calls

    def run(
        self,
        command: Optional[str] = None,
        *,
        max_response_chars: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
        **options: Unpack[ExecOptions],
    ) -> ExecResult:
        """Run a command and wait for its result (`POST /v1/exec`). A non-zero exit is a result,
        not an error. Raises ConfirmationRequired when the policy asks a person first."""
        return self._call(_ops.run(command, options, max_response_chars, timeout))

    def stream(
        self,
        command: Optional[str] = None,
        *,
        timeout: TimeoutArg = DEFAULT,
        max_reconnects: int = 3,
        **options: Unpack[ExecOptions],
    ) -> EventStream:
        """Run a command and iterate over its events as they happen (`POST /v1/exec/stream`).

        Problems (denied, confirmation required, bad request) raise here, before iterating.
        Closing the stream (or leaving its `with` block) hangs up, which kills the command.
        If the connection drops, the stream resumes from the job's store by `Last-Event-ID`
        (up to `max_reconnects` times in a row) and never posts the command again; the
        server kills a command whose stream hung up, so the resumed events say how it ended.
        For work that must outlive the connection use `jobs.start` and `jobs.events`.
        """
        kwargs = _ops.stream_request(command, options)
        try:
            return EventStream(self, kwargs, _ops.Follow(None, None, max_reconnects), timeout)
        except ConfirmationRequired as err:
            token = err.confirm_token
            if token is not None:
                retry = _ops.with_token(options, token)
                err._resubmit = lambda: self.stream(command, timeout=timeout, max_reconnects=max_reconnects, **retry)
            raise

    def analyze(
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
        """Explain a failure that happened elsewhere (`POST /v1/analyze`)."""
        return self._call(
            _ops.analyze_call(command, exit_code, signal, stdout, stderr, cwd, timed_out, limit, timeout)
        )

    def chat(
        self,
        messages: Sequence[ChatMessage],
        *,
        provider: Optional[str] = None,
        model: Optional[str] = None,
        max_tokens: Optional[int] = None,
        temperature: Optional[float] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> ChatResponse:
        """Ask the server's LLM (`POST /v1/chat`); 503 `llm_unavailable` when none is configured."""
        return self._call(_ops.chat_call(messages, provider, model, max_tokens, temperature, timeout))

    def models(self, *, timeout: TimeoutArg = DEFAULT) -> ModelList:
        """The LLM models the server's providers offer (`GET /v1/models`)."""
        return self._call(_ops.list_models_call(timeout))

    # ---------------------------------------------------------------------------- transport

    def _send(self, kwargs: dict[str, Any], timeout: TimeoutArg, what: str) -> httpx.Response:
        try:
            return self._http.request(**_ops.absolute(kwargs, self.base_url, self._headers),
                                      timeout=_ops.resolve_timeout(timeout, self.timeout))
        except httpx.TransportError as exc:
            raise transport_error(exc, what) from exc

    def _call(self, call: _ops.Call[T]) -> T:
        response = self._send(call.kwargs, call.timeout, call.what)
        try:
            return _ops.read_answer(call, response)
        except ConfirmationRequired as err:
            confirmable = call.confirmable
            if confirmable is not None and err.confirm_token is not None:
                token = err.confirm_token
                err._resubmit = lambda: self._call(confirmable(token))
            raise

    def _call_bytes(self, call: _ops.BytesCall) -> bytes:
        return _ops.read_bytes(call, self._send(call.kwargs, call.timeout, call.what))

    def _open_stream(
        self,
        kwargs: dict[str, Any],
        timeout: httpx.Timeout,
        what: str,
        check: Callable[[httpx.Response, str], None] = _ops.check_stream_response,
    ) -> httpx.Response:
        request = self._http.build_request(**_ops.absolute(kwargs, self.base_url, self._headers), timeout=timeout)
        try:
            response = self._http.send(request, stream=True)
            if response.status_code >= 400:
                response.read()
        except httpx.TransportError as exc:
            raise transport_error(exc, what) from exc
        try:
            check(response, what)
        except BaseException:
            response.close()
            raise
        return response


class EventStream(Iterator[StreamEvent]):
    """The typed events of one run, in order: StartEvent, OutputEvent…, ExitEvent,
    AnalysisEvent (on failure), EndEvent. Iterate it; `close()` (or the end of a `with` block)
    hangs up. `job_id` and `last_event_id` say where it is, for resuming elsewhere."""

    def __init__(self, client: Shellwise, kwargs: dict[str, Any], follow: _ops.Follow, timeout: TimeoutArg) -> None:
        self._client = client
        self._follow = follow
        self._timeout = _ops.stream_timeout(timeout, client.timeout)
        self._response = client._open_stream(kwargs, self._timeout, _ops.describe(kwargs))
        self._events = self._run()

    @property
    def job_id(self) -> Optional[str]:
        return self._follow.job_id

    @property
    def last_event_id(self) -> Optional[str]:
        return self._follow.last_event_id

    def __iter__(self) -> EventStream:
        return self

    def __next__(self) -> StreamEvent:
        return next(self._events)

    def close(self) -> None:
        self._events.close()
        self._response.close()

    def __enter__(self) -> EventStream:
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()

    def _run(self) -> Generator[StreamEvent, None, None]:
        response: Optional[httpx.Response] = self._response
        cause: Optional[BaseException] = None
        while True:
            if response is not None:
                cause = None
                try:
                    for sse in EventSource(response).iter_sse():
                        event = self._follow.seen(sse)
                        if event is None:
                            continue
                        yield event
                        if self._follow.done:
                            return
                except httpx.TransportError as exc:
                    cause = exc
                finally:
                    response.close()
            # Dropped, or ended without `end`: resume from the job's store (a GET), or give up.
            kwargs = self._follow.resume(cause)
            time.sleep(self._follow.backoff())
            try:
                response = self._response = self._client._open_stream(kwargs, self._timeout, _ops.describe(kwargs))
            except (ConnectionFailed, ClientTimeout) as exc:
                response, cause = None, exc


class Jobs:
    """Commands that may outlive a request: start, poll, wait, follow, read, cancel."""

    def __init__(self, client: Shellwise) -> None:
        self._client = client

    def start(
        self,
        command: Optional[str] = None,
        *,
        wait_ms: Optional[int] = 0,
        max_response_chars: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
        **options: Unpack[ExecOptions],
    ) -> Job:
        """Start a job (`POST /v1/jobs`). It comes back finished (with `result`) if it ends
        within `wait_ms` (default 0: answer at once), else queued or running."""
        return self._client._call(_ops.start_job_call(command, options, wait_ms, max_response_chars, timeout))

    def get(
        self,
        job_id: str,
        *,
        wait_ms: Optional[int] = None,
        max_response_chars: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Job:
        """A job's status, and its result once it finished; waits up to `wait_ms` for the end."""
        return self._client._call(_ops.get_job_call(job_id, wait_ms, max_response_chars, timeout))

    def wait(self, job_id: str, *, timeout: Optional[float] = None, poll_ms: int = 20_000) -> Job:
        """Wait until the job is over (succeeded, failed, cancelled or lost) and return it.

        Long-polls `GET /v1/jobs/{id}?waitMs=…`, which is safe to repeat. `timeout` (seconds,
        `None` for none) bounds the whole wait: ClientTimeout when it runs out.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait_ms = poll_ms
            if deadline is not None:
                wait_ms = max(0, min(poll_ms, int((deadline - time.monotonic()) * 1000)))
            # The request may take wait_ms on the server, plus the usual time to answer.
            http_timeout = None if self._client.timeout is None else wait_ms / 1000 + self._client.timeout
            job = self.get(job_id, wait_ms=wait_ms, timeout=http_timeout)
            if str(job.status) in _ops.TERMINAL_STATUSES:
                return job
            if deadline is not None and time.monotonic() >= deadline:
                raise ClientTimeout(f"job {job_id} is still {job.status} after {timeout} s")

    def cancel(self, job_id: str, *, timeout: TimeoutArg = DEFAULT) -> Job:
        """Cancel a queued or running job (409 `job_finished` if it is already over)."""
        return self._client._call(_ops.cancel_job_call(job_id, timeout))

    def events(
        self,
        job_id: str,
        *,
        after: Optional[str] = None,
        max_reconnects: int = 5,
        timeout: TimeoutArg = DEFAULT,
    ) -> EventStream:
        """A job's events from the start (or after event id `after`), then live until `end`
        (`GET /v1/jobs/{id}/events`). A dropped connection resumes by `Last-Event-ID`;
        closing the stream does not stop the job."""
        follow = _ops.Follow(job_id, after, max_reconnects)
        return EventStream(self._client, _ops.events_request(job_id, after), follow, timeout)

    def output(
        self,
        job_id: str,
        *,
        stream: Literal["stdout", "stderr"] = "stdout",
        offset: Optional[int] = None,
        length: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> JobOutput:
        """A byte range of a job's stored (redacted) output; `next_offset` continues it."""
        return self._client._call(_ops.job_output_call(job_id, stream, offset, length, timeout))

    def list(
        self,
        *,
        status: Optional[str] = None,
        before: Optional[str] = None,
        limit: Optional[int] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> JobList:
        """This token's jobs, newest first; pass `next_before` as `before` for the next page."""
        return self._client._call(_ops.list_jobs_call(status, before, limit, timeout))


class Policy:
    """The server's allow/deny/confirm policy."""

    def __init__(self, client: Shellwise) -> None:
        self._client = client

    def check(
        self, command: Optional[str] = None, *, timeout: TimeoutArg = DEFAULT, **options: Unpack[ExecOptions]
    ) -> PolicyDecision:
        """What the policy would decide for this request, without running anything."""
        return self._client._call(_ops.check_policy_call(command, options, timeout))

    def approvals(self, *, timeout: TimeoutArg = DEFAULT) -> ApprovalList:
        """The confirm tokens waiting for an approver (`policy.approver_role`; this token must
        hold that role)."""
        return self._client._call(_ops.list_approvals_call(timeout))

    def approve(self, confirm_token: str, *, timeout: TimeoutArg = DEFAULT) -> Approval:
        """Approve another token's confirm token (its ConfirmationRequired's `confirm_token`):
        the requester's `resubmit()` then runs once. A token cannot approve its own."""
        return self._client._call(_ops.approve_call(confirm_token, timeout))

    def reject(self, confirm_token: str, *, timeout: TimeoutArg = DEFAULT) -> Approval:
        """Reject a confirm token: the requester's resubmission raises `approval_rejected`."""
        return self._client._call(_ops.reject_call(confirm_token, timeout))



class Workspaces:
    """Directories of the token's own where commands (`run(..., workspace=id)`) and file calls
    work. `default` is the token's default one; named ones (`ws_…`) are made here."""

    def __init__(self, client: Shellwise) -> None:
        self._client = client

    def list(self, *, timeout: TimeoutArg = DEFAULT) -> WorkspaceList:
        """This token's workspaces, its default one first (`GET /v1/workspaces`)."""
        return self._client._call(_ops.list_workspaces_call(timeout))

    def create(
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
        """Make a named workspace (`POST /v1/workspaces`). `files` maps paths to their text (or
        is a list of `models.InitialFile`, for base64 content); `ttl_secs` has the server remove
        it later; quotas above the server's defaults need admin."""
        return self._client._call(
            _ops.create_workspace_call(name, ttl_secs, quota_bytes, quota_files, files, git_init, timeout)
        )

    def get(self, ws: str, *, timeout: TimeoutArg = DEFAULT) -> Workspace:
        """One workspace, with what it holds (`usage`)."""
        return self._client._call(_ops.get_workspace_call(ws, timeout))

    def delete(self, ws: str, *, timeout: TimeoutArg = DEFAULT) -> DeleteResult:
        """Delete a named workspace and everything in it (`default` cannot be deleted)."""
        return self._client._call(_ops.delete_workspace_call(ws, timeout))


class Files:
    """Files of a workspace: each call takes the workspace id first (`"default"`, the token's
    own, or a `ws_…` id) and a path from its root. Reads, searches and downloads are redacted.
    A change to a protected path (`.env`, `.git/**`, …) raises ConfirmationRequired, whose
    `resubmit()` sends it again with the token."""

    def __init__(self, client: Shellwise) -> None:
        self._client = client

    def read(
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
        """A page of a file: lines `start_line..=end_line`, or bytes from `offset`. A longer
        file comes back `truncated`, with `next_offset` (or `lines.next`) to go on from;
        `etag` is the version to pass as `if_match`."""
        return self._client._call(
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

    def read_all_text(
        self, ws: str, path: str, *, page_bytes: Optional[int] = None, timeout: TimeoutArg = DEFAULT
    ) -> str:
        """The whole file as (redacted) text, page by page; bytes that are not UTF-8 come back
        as U+FFFD. `timeout` applies to each page."""
        pages = _ops.TextPages(ws, path)
        while True:
            if pages.add(self._client._call(pages.call(page_bytes, timeout))):
                return pages.text

    def write(
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
        """Write a whole file atomically (bytes are sent as base64). `if_match` (an `etag`)
        writes only over that version: else 412 `precondition_failed`; `mode="create"` only
        where nothing is (409 `file_exists`). `force` writes content holding a redaction
        marker."""
        return self._client._call(
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

    def delete(
        self,
        ws: str,
        path: str,
        *,
        recursive: Optional[bool] = None,
        confirm_token: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> DeleteResult:
        """Delete a file or symlink, or a directory with `recursive=True`."""
        return self._client._call(_ops.delete_file_call(ws, path, recursive, confirm_token, timeout))

    def stat(self, ws: str, path: str, *, timeout: TimeoutArg = DEFAULT) -> FileInfo:
        """What is at a path (a symlink is described, not followed)."""
        return self._client._call(_ops.stat_file_call(ws, path, timeout))

    def list(
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
        """One page of a directory's entries, in path order; pass `next_cursor` as `cursor`
        for the next (or use `entries`, which does)."""
        return self._client._call(
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

    def entries(
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
    ) -> Iterator[FileInfo]:
        """Every entry of a listing, fetching page after page (`limit` entries each) as the
        iteration goes on."""
        cursor: Optional[str] = None
        while True:
            page = self.list(
                ws, path, depth=depth, glob=glob, gitignore=gitignore, hidden=hidden, limit=limit,
                cursor=cursor, timeout=timeout,
            )
            yield from page.entries
            cursor = _ops.next_cursor(page)
            if cursor is None:
                return

    def move(
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
        """Move or rename a file or directory (409 `file_exists` at `dst` unless `overwrite`);
        returns the entry at its new path."""
        return self._client._call(_ops.move_file_call(ws, src, dst, overwrite, parents, confirm_token, timeout))

    def patch(
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
        """Apply a unified diff (or a `*** Begin Patch` envelope): every file changes or none.
        A hunk that does not apply raises ProblemError 409 `patch_conflict` with `conflicts`."""
        return self._client._call(
            _ops.patch_files_call(ws, patch_text, dry_run, format, force, confirm_token, timeout)
        )

    def search(
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
        """Search file contents for a regex (or text, with `literal`), with `context` lines."""
        return self._client._call(
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

    def upload(
        self,
        ws: str,
        path: str,
        data: UploadBody,
        *,
        overwrite: Optional[bool] = None,
        permissions: Optional[str] = None,
        if_match: Optional[str] = None,
        confirm_token: Optional[str] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> WriteResult:
        """Put raw bytes at a path: `data` is bytes, a binary file object or an iterable of
        chunks (streamed). Atomic: an upload cut short leaves nothing."""
        return self._client._call(
            _ops.upload_file_call(
                ws,
                path,
                data,
                overwrite=overwrite,
                permissions=permissions,
                if_match=if_match,
                confirm_token=confirm_token,
                timeout=timeout,
            )
        )

    def download(self, ws: str, path: str, *, timeout: TimeoutArg = DEFAULT) -> bytes:
        """A file's bytes (redacted: a file without secrets arrives byte for byte)."""
        return self._client._call_bytes(_ops.download_call(ws, path, timeout))

    def download_stream(self, ws: str, path: str, *, timeout: TimeoutArg = DEFAULT) -> ByteStream:
        """A file's bytes as they arrive, without holding them all: iterate the chunks, and
        close the stream (or leave its `with` block) when done. `timeout` bounds connecting
        and each wait for the next bytes."""
        return ByteStream.open(self._client, _ops.download_call(ws, path, timeout))

    def archive(
        self,
        ws: str,
        path: Optional[str] = None,
        *,
        gitignore: Optional[bool] = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> bytes:
        """A directory (default: the root) as tar.gz bytes; `.gitignore`d files and `.git` are
        left out unless `gitignore=False`."""
        return self._client._call_bytes(_ops.archive_call(ws, path, gitignore, timeout))


class ByteStream(Iterator[bytes]):
    """The bytes of a download as they arrive: iterate it for chunks. `close()` (or the end of
    a `with` block) hangs up. `etag` is the version downloaded."""

    def __init__(self, response: httpx.Response, what: str) -> None:
        self._response = response
        self._what = what
        self._chunks = response.iter_bytes()
        self.etag: Optional[str] = response.headers.get("etag")

    @classmethod
    def open(cls, client: Shellwise, call: _ops.BytesCall) -> ByteStream:
        timeout = _ops.stream_timeout(call.timeout, client.timeout)
        return cls(client._open_stream(call.kwargs, timeout, call.what, _ops.check_bytes_response), call.what)

    def __iter__(self) -> ByteStream:
        return self

    def __next__(self) -> bytes:
        try:
            return next(self._chunks)
        except httpx.TransportError as exc:
            raise transport_error(exc, self._what) from exc

    def close(self) -> None:
        self._response.close()

    def __enter__(self) -> ByteStream:
        return self

    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None:
        self.close()
