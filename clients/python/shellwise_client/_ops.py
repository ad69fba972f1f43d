"""The requests of the hand-written layer, shared by the sync and async clients; no I/O here.

Each call is built from the generated code: its request model and `_get_kwargs` (method,
path, query, headers, JSON body) and the generated model that parses its answer. The clients
only send what is built here and read the answer with `read_answer`.
"""

from __future__ import annotations

import base64
import io
import urllib.parse
from dataclasses import dataclass
from typing import (
    Any,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Generic,
    Iterable,
    Literal,
    Mapping,
    Optional,
    Sequence,
    TypedDict,
    TypeVar,
    Union,
    cast,
)

import httpx
from httpx_sse import ServerSentEvent

from ._errors import ConnectionFailed, ShellwiseError, UnexpectedResponse, error_from_response
from ._events import FINAL_EVENTS, StartEvent, StreamEvent, parse_event
from ._generated.api.analysis import analyze_failure
from ._generated.api.exec_ import run_command, stream_command
from ._generated.api.files import (
    delete_file,
    download_archive,
    download_file,
    list_files,
    move_file,
    patch_files,
    read_file,
    search_files,
    stat_file,
    upload_file,
    write_file,
)
from ._generated.api.jobs import cancel_job, get_job, get_job_output, list_jobs, start_job, stream_job_events
from ._generated.api.llm import chat_with_model, list_models
from ._generated.api.policy import approve_confirmation, check_policy, list_approvals, reject_confirmation
from ._generated.api.workspaces import create_workspace, delete_workspace, get_workspace, list_workspaces
from ._generated.models.analysis import Analysis
from ._generated.models.analyze_mode import AnalyzeMode
from ._generated.models.analyze_request import AnalyzeRequest
from ._generated.models.analyze_request_signal_type_1 import AnalyzeRequestSignalType1
from ._generated.models.chat_body import ChatBody
from ._generated.models.chat_message import ChatMessage
from ._generated.models.chat_response import ChatResponse
from ._generated.models.create_workspace_request import CreateWorkspaceRequest
from ._generated.models.delete_result import DeleteResult
from ._generated.models.exec_request import ExecRequest
from ._generated.models.exec_request_env_type_0 import ExecRequestEnvType0
from ._generated.models.exec_request_language_type_1 import ExecRequestLanguageType1
from ._generated.models.exec_result import ExecResult
from ._generated.models.file_content import FileContent
from ._generated.models.file_info import FileInfo
from ._generated.models.file_list import FileList
from ._generated.models.initial_file import InitialFile
from ._generated.models.job import Job
from ._generated.models.job_list import JobList
from ._generated.models.job_output import JobOutput
from ._generated.models.job_status import JobStatus
from ._generated.models.limit_hit import LimitHit
from ._generated.models.model_list import ModelList
from ._generated.models.move_request import MoveRequest
from ._generated.models.network import Network
from ._generated.models.output_encoding import OutputEncoding
from ._generated.models.output_stream import OutputStream
from ._generated.models.patch_format_wire import PatchFormatWire
from ._generated.models.patch_request import PatchRequest
from ._generated.models.patch_result import PatchResult
from ._generated.models.approval import Approval
from ._generated.models.approval_list import ApprovalList
from ._generated.models.policy_decision import PolicyDecision
from ._generated.models.request_limits import RequestLimits
from ._generated.models.search_request import SearchRequest
from ._generated.models.search_result import SearchResult
from ._generated.models.workspace import Workspace
from ._generated.models.workspace_list import WorkspaceList
from ._generated.models.write_file_request import WriteFileRequest
from ._generated.models.write_mode_wire import WriteModeWire
from ._generated.models.write_result import WriteResult
from ._generated.types import UNSET, File, Unset

T = TypeVar("T")


class _UseClientDefault:
    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT = _UseClientDefault()
"""`timeout=DEFAULT` (the default of every call): use the client's timeout."""

TimeoutArg = Union[float, httpx.Timeout, None, _UseClientDefault]
"""Seconds (or an httpx.Timeout); `None` waits without limit; DEFAULT uses the client's."""

TERMINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled", "lost"})


class ExecOptions(TypedDict, total=False):
    """What to run besides `command` (the keyword arguments of run, stream, jobs.start and
    policy.check). Give exactly one of `command`, `argv`, or `code` with `language`."""

    argv: Sequence[str]
    code: str
    language: str
    shell: str
    cwd: str
    env: Mapping[str, str]
    stdin: str
    timeout_ms: int
    output_encoding: Literal["text", "base64"]
    limits: RequestLimits
    network: Literal["none", "host"]
    analyze: Literal["auto", "always", "never"]
    best_effort: bool
    confirm_token: str
    workspace: str


_EXEC_OPTIONS = frozenset(ExecOptions.__annotations__)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request, and how to read its answer."""

    kwargs: dict[str, Any]
    parse: Callable[[Mapping[str, Any]], T]
    timeout: TimeoutArg
    # Rebuilds this same request carrying a confirm token (calls the policy may ask about).
    confirmable: Optional[Callable[[str], Call[T]]] = None

    @property
    def what(self) -> str:
        return describe(self.kwargs)


def describe(kwargs: Mapping[str, Any]) -> str:
    """`POST /v1/exec`: a request as error messages name it."""
    return f"{str(kwargs['method']).upper()} {kwargs['url']}"


def resolve_timeout(timeout: TimeoutArg, client_timeout: Optional[float]) -> Union[float, httpx.Timeout, None]:
    return client_timeout if isinstance(timeout, _UseClientDefault) else timeout


def absolute(kwargs: dict[str, Any], base_url: str, headers: Mapping[str, str]) -> dict[str, Any]:
    """The generated request arguments aimed at this server, with the client's headers."""
    return {**kwargs, "url": base_url + kwargs["url"], "headers": {**headers, **kwargs.get("headers", {})}}


def read_answer(call: Call[T], response: httpx.Response) -> T:
    """The parsed body of a finished response, or the error it stands for."""
    if response.status_code >= 400:
        raise error_from_response(response)
    try:
        data = response.json()
        if not isinstance(data, dict):
            raise TypeError("the body is not a JSON object")
        return call.parse(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise UnexpectedResponse(
            f"{call.what}: {response.status_code} with a body that does not match the spec: {exc}",
            status=response.status_code,
            body=response.text[:2000],
            request_id=response.headers.get("x-request-id"),
        ) from exc


def _given(value: Optional[T]) -> Union[T, Unset]:
    return UNSET if value is None else value


def _language(value: Optional[str]) -> Union[ExecRequestLanguageType1, Unset]:
    if value is None:
        return UNSET
    try:
        return ExecRequestLanguageType1(value)
    except ValueError:
        # A name the spec does not list: send it as it is, so the server answers with
        # `unsupported_language` and the names it has (`available`) rather than this client
        # guessing. The generated to_dict passes a plain str through unchanged.
        return cast(ExecRequestLanguageType1, value)


def exec_request(command: Optional[str], options: ExecOptions) -> ExecRequest:
    unknown = set(options) - _EXEC_OPTIONS
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    o = options
    env = o.get("env")
    argv = o.get("argv")
    encoding = o.get("output_encoding")
    network = o.get("network")
    analyze = o.get("analyze")
    return ExecRequest(
        command=_given(command),
        shell=_given(o.get("shell")),
        argv=UNSET if argv is None else list(argv),
        code=_given(o.get("code")),
        language=_language(o.get("language")),
        cwd=_given(o.get("cwd")),
        env=UNSET if env is None else ExecRequestEnvType0.from_dict(dict(env)),
        stdin=_given(o.get("stdin")),
        timeout_ms=_given(o.get("timeout_ms")),
        output_encoding=UNSET if encoding is None else OutputEncoding(encoding),
        limits=_given(o.get("limits")),
        network=UNSET if network is None else Network(network),
        analyze=UNSET if analyze is None else AnalyzeMode(analyze),
        confirm_token=_given(o.get("confirm_token")),
        best_effort=_given(o.get("best_effort")),
        workspace=_given(o.get("workspace")),
    )


def with_token(options: ExecOptions, token: str) -> ExecOptions:
    confirmed = ExecOptions(**options)
    confirmed["confirm_token"] = token
    return confirmed


def _path_id(job_id: str) -> str:
    # openapi-python-client 0.26 puts path parameters into the URL unescaped; an id holding
    # `/` or `..` would address another route (job ids and workspace ids alike).
    return urllib.parse.quote(job_id, safe="")


def run(
    command: Optional[str], options: ExecOptions, max_response_chars: Optional[int], timeout: TimeoutArg
) -> Call[ExecResult]:
    return Call(
        run_command._get_kwargs(body=exec_request(command, options), max_response_chars=_given(max_response_chars)),
        ExecResult.from_dict,
        timeout,
        lambda token: run(command, with_token(options, token), max_response_chars, timeout),
    )


def start_job_call(
    command: Optional[str],
    options: ExecOptions,
    wait_ms: Optional[int],
    max_response_chars: Optional[int],
    timeout: TimeoutArg,
) -> Call[Job]:
    return Call(
        start_job._get_kwargs(
            body=exec_request(command, options),
            wait_ms=_given(wait_ms),
            max_response_chars=_given(max_response_chars),
        ),
        Job.from_dict,
        timeout,
        lambda token: start_job_call(command, with_token(options, token), wait_ms, max_response_chars, timeout),
    )


def get_job_call(
    job_id: str, wait_ms: Optional[int], max_response_chars: Optional[int], timeout: TimeoutArg
) -> Call[Job]:
    return Call(
        get_job._get_kwargs(_path_id(job_id), wait_ms=_given(wait_ms), max_response_chars=_given(max_response_chars)),
        Job.from_dict,
        timeout,
    )


def cancel_job_call(job_id: str, timeout: TimeoutArg) -> Call[Job]:
    return Call(cancel_job._get_kwargs(_path_id(job_id)), Job.from_dict, timeout)


def job_output_call(
    job_id: str,
    stream: Literal["stdout", "stderr"],
    offset: Optional[int],
    length: Optional[int],
    timeout: TimeoutArg,
) -> Call[JobOutput]:
    return Call(
        get_job_output._get_kwargs(
            _path_id(job_id), stream=OutputStream(stream), offset=_given(offset), length=_given(length)
        ),
        JobOutput.from_dict,
        timeout,
    )


def list_jobs_call(
    status: Optional[str], before: Optional[str], limit: Optional[int], timeout: TimeoutArg
) -> Call[JobList]:
    return Call(
        list_jobs._get_kwargs(
            status=UNSET if status is None else JobStatus(status), before=_given(before), limit=_given(limit)
        ),
        JobList.from_dict,
        timeout,
    )


def check_policy_call(command: Optional[str], options: ExecOptions, timeout: TimeoutArg) -> Call[PolicyDecision]:
    return Call(check_policy._get_kwargs(body=exec_request(command, options)), PolicyDecision.from_dict, timeout)


def list_approvals_call(timeout: TimeoutArg) -> Call[ApprovalList]:
    return Call(list_approvals._get_kwargs(), ApprovalList.from_dict, timeout)


def approve_call(confirm_token: str, timeout: TimeoutArg) -> Call[Approval]:
    token = urllib.parse.quote(confirm_token, safe="")
    return Call(approve_confirmation._get_kwargs(token), Approval.from_dict, timeout)


def reject_call(confirm_token: str, timeout: TimeoutArg) -> Call[Approval]:
    token = urllib.parse.quote(confirm_token, safe="")
    return Call(reject_confirmation._get_kwargs(token), Approval.from_dict, timeout)


def analyze_call(
    command: str,
    exit_code: Optional[int],
    signal: Union[int, str, None],
    stdout: Optional[str],
    stderr: Optional[str],
    cwd: Optional[str],
    timed_out: Optional[bool],
    limit: Optional[str],
    timeout: TimeoutArg,
) -> Call[Analysis]:
    body = AnalyzeRequest(
        command=command,
        exit_code=_given(exit_code),
        signal=UNSET if signal is None else signal if isinstance(signal, int) else AnalyzeRequestSignalType1(signal),
        stdout=_given(stdout),
        stderr=_given(stderr),
        cwd=_given(cwd),
        timed_out=_given(timed_out),
        limit=UNSET if limit is None else LimitHit(limit),
    )
    return Call(analyze_failure._get_kwargs(body=body), Analysis.from_dict, timeout)


def chat_call(
    messages: Sequence[ChatMessage],
    provider: Optional[str],
    model: Optional[str],
    max_tokens: Optional[int],
    temperature: Optional[float],
    timeout: TimeoutArg,
) -> Call[ChatResponse]:
    body = ChatBody(
        messages=list(messages),
        provider=_given(provider),
        model=_given(model),
        max_tokens=_given(max_tokens),
        temperature=_given(temperature),
    )
    return Call(chat_with_model._get_kwargs(body=body), ChatResponse.from_dict, timeout)


def list_models_call(timeout: TimeoutArg) -> Call[ModelList]:
    return Call(list_models._get_kwargs(), ModelList.from_dict, timeout)


# ------------------------------------------------------------------------ workspaces and files

DEFAULT_WORKSPACE = "default"
"""The id of the token's own workspace; named ones (`ws_…`) come from `workspaces.create`."""

UploadBody = Union[bytes, Iterable[bytes]]
"""What `files.upload` sends: bytes, a binary file object (read in chunks), or an iterable of
chunks. Bytes go with a Content-Length; anything else is streamed (chunked)."""

AsyncUploadBody = Union[bytes, Iterable[bytes], AsyncIterable[bytes]]
"""The same for AsyncShellwise, which also takes an async iterable of chunks."""

_FILE_CHUNK = 64 << 10


@dataclass(frozen=True)
class BytesCall:
    """A request whose answer is raw bytes (a download or an archive), not JSON."""

    kwargs: dict[str, Any]
    timeout: TimeoutArg

    @property
    def what(self) -> str:
        return describe(self.kwargs)


def check_bytes_response(response: httpx.Response, what: str) -> None:
    """Raise the error a (read, for >= 400) download response stands for."""
    if response.status_code >= 400:
        raise error_from_response(response)
    content_type = response.headers.get("content-type", "")
    if response.status_code != 200 or not content_type.startswith("application/octet-stream"):
        raise UnexpectedResponse(
            f"{what}: {response.status_code} {content_type or 'no content type'} instead of bytes",
            status=response.status_code,
            body="",
            request_id=response.headers.get("x-request-id"),
        )


def read_bytes(call: BytesCall, response: httpx.Response) -> bytes:
    check_bytes_response(response, call.what)
    return response.content


def _initial_files(files: Union[Mapping[str, str], Sequence[InitialFile], None]) -> Union[list[InitialFile], Unset]:
    if files is None:
        return UNSET
    if isinstance(files, Mapping):
        return [InitialFile(path=path, content=content) for path, content in files.items()]
    return list(files)


def list_workspaces_call(timeout: TimeoutArg) -> Call[WorkspaceList]:
    return Call(list_workspaces._get_kwargs(), WorkspaceList.from_dict, timeout)


def create_workspace_call(
    name: Optional[str],
    ttl_secs: Optional[int],
    quota_bytes: Optional[int],
    quota_files: Optional[int],
    files: Union[Mapping[str, str], Sequence[InitialFile], None],
    git_init: Optional[bool],
    timeout: TimeoutArg,
) -> Call[Workspace]:
    body = CreateWorkspaceRequest(
        name=_given(name),
        ttl_secs=_given(ttl_secs),
        quota_bytes=_given(quota_bytes),
        quota_files=_given(quota_files),
        files=_initial_files(files),
        git_init=_given(git_init),
    )
    return Call(create_workspace._get_kwargs(body=body), Workspace.from_dict, timeout)


def get_workspace_call(ws: str, timeout: TimeoutArg) -> Call[Workspace]:
    return Call(get_workspace._get_kwargs(_path_id(ws)), Workspace.from_dict, timeout)


def delete_workspace_call(ws: str, timeout: TimeoutArg) -> Call[DeleteResult]:
    return Call(delete_workspace._get_kwargs(_path_id(ws)), DeleteResult.from_dict, timeout)


def read_file_call(
    ws: str,
    path: str,
    *,
    start_line: Optional[int] = None,
    end_line: Optional[int] = None,
    offset: Optional[int] = None,
    length: Optional[int] = None,
    max_bytes: Optional[int] = None,
    encoding: Optional[Literal["text", "base64"]] = None,
    timeout: TimeoutArg,
) -> Call[FileContent]:
    kwargs = read_file._get_kwargs(
        _path_id(ws),
        path=path,
        start_line=_given(start_line),
        end_line=_given(end_line),
        offset=_given(offset),
        length=_given(length),
        max_bytes=_given(max_bytes),
        encoding=UNSET if encoding is None else OutputEncoding(encoding),
    )
    return Call(kwargs, FileContent.from_dict, timeout)


class TextPages:
    """Puts a whole file's text together from its byte pages (`files.read_all_text`).

    Byte pages (`offset` → `nextOffset`) start and end on whole lines, so no secret is cut in
    half and the redacted pages join up. Line pages are not used: a line longer than a page
    comes back cut, and `lines.next` goes on after it. If the file changes between pages (its
    etag moves) the text would be a mix of versions, so it starts again, a few times at most.
    """

    MAX_RESTARTS = 3

    def __init__(self, ws: str, path: str) -> None:
        self.ws = ws
        self.path = path
        self.offset = 0
        self._parts: list[str] = []
        self._etag: Optional[str] = None
        self._restarts = 0

    def add(self, page: FileContent) -> bool:
        """Take one page; True when the file is complete (then `text` has it)."""
        if self._etag is not None and page.etag != self._etag:
            self._restarts += 1
            if self._restarts > self.MAX_RESTARTS:
                raise ShellwiseError(f"{self.path} kept changing while it was read ({self._restarts} times)")
            self.offset, self._parts, self._etag = 0, [], None
            return False
        if page.offset != self.offset:
            # The server moved the page's start: joining it would repeat or lose text.
            raise UnexpectedResponse(
                f"read {self.path}: asked for offset {self.offset}, got a page at {page.offset}",
                status=200,
                body="",
                request_id=None,
            )
        self._etag = page.etag
        self._parts.append(page.content)
        if not page.truncated:
            return True
        following = page.next_offset
        if not isinstance(following, int) or following <= self.offset:
            raise UnexpectedResponse(
                f"read {self.path}: a truncated page at {self.offset} without a later nextOffset ({following})",
                status=200,
                body="",
                request_id=None,
            )
        self.offset = following
        return False

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def call(self, page_bytes: Optional[int], timeout: TimeoutArg) -> Call[FileContent]:
        return read_file_call(
            self.ws, self.path, offset=self.offset, max_bytes=page_bytes, encoding="text", timeout=timeout
        )


def write_file_call(
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
    timeout: TimeoutArg,
) -> Call[WriteResult]:
    # Bytes travel as base64 in the JSON body; text as it is.
    binary = isinstance(content, bytes)
    body = WriteFileRequest(
        path=path,
        content=base64.b64encode(content).decode("ascii") if isinstance(content, bytes) else content,
        encoding=OutputEncoding.BASE64 if binary else UNSET,
        mode=UNSET if mode is None else WriteModeWire(mode),
        if_match=_given(if_match),
        permissions=_given(permissions),
        parents=_given(parents),
        force=_given(force),
        confirm_token=_given(confirm_token),
    )
    return Call(
        write_file._get_kwargs(_path_id(ws), body=body),
        WriteResult.from_dict,
        timeout,
        lambda token: write_file_call(
            ws,
            path,
            content,
            mode=mode,
            if_match=if_match,
            permissions=permissions,
            parents=parents,
            force=force,
            confirm_token=token,
            timeout=timeout,
        ),
    )


def delete_file_call(
    ws: str, path: str, recursive: Optional[bool], confirm_token: Optional[str], timeout: TimeoutArg
) -> Call[DeleteResult]:
    return Call(
        delete_file._get_kwargs(
            _path_id(ws), path=path, recursive=_given(recursive), confirm_token=_given(confirm_token)
        ),
        DeleteResult.from_dict,
        timeout,
        lambda token: delete_file_call(ws, path, recursive, token, timeout),
    )


def stat_file_call(ws: str, path: str, timeout: TimeoutArg) -> Call[FileInfo]:
    return Call(stat_file._get_kwargs(_path_id(ws), path=path), FileInfo.from_dict, timeout)


def list_files_call(
    ws: str,
    path: Optional[str],
    *,
    depth: Optional[int] = None,
    glob: Optional[str] = None,
    gitignore: Optional[bool] = None,
    hidden: Optional[bool] = None,
    limit: Optional[int] = None,
    cursor: Optional[str] = None,
    timeout: TimeoutArg,
) -> Call[FileList]:
    kwargs = list_files._get_kwargs(
        _path_id(ws),
        path=_given(path),
        depth=_given(depth),
        glob=_given(glob),
        gitignore=_given(gitignore),
        hidden=_given(hidden),
        limit=_given(limit),
        cursor=_given(cursor),
    )
    return Call(kwargs, FileList.from_dict, timeout)


def next_cursor(page: FileList) -> Optional[str]:
    """The cursor of the page after this one; None on the last page."""
    cursor = page.next_cursor
    return cursor if isinstance(cursor, str) and cursor else None


def move_file_call(
    ws: str,
    src: str,
    dst: str,
    overwrite: Optional[bool],
    parents: Optional[bool],
    confirm_token: Optional[str],
    timeout: TimeoutArg,
) -> Call[FileInfo]:
    body = MoveRequest(
        from_=src,
        to=dst,
        overwrite=_given(overwrite),
        parents=_given(parents),
        confirm_token=_given(confirm_token),
    )
    return Call(
        move_file._get_kwargs(_path_id(ws), body=body),
        FileInfo.from_dict,
        timeout,
        lambda token: move_file_call(ws, src, dst, overwrite, parents, token, timeout),
    )


def patch_files_call(
    ws: str,
    patch_text: str,
    dry_run: Optional[bool],
    patch_format: Optional[Literal["auto", "unified", "envelope"]],
    force: Optional[bool],
    confirm_token: Optional[str],
    timeout: TimeoutArg,
) -> Call[PatchResult]:
    body = PatchRequest(
        patch=patch_text,
        dry_run=_given(dry_run),
        format_=UNSET if patch_format is None else PatchFormatWire(patch_format),
        force=_given(force),
        confirm_token=_given(confirm_token),
    )
    return Call(
        patch_files._get_kwargs(_path_id(ws), body=body),
        PatchResult.from_dict,
        timeout,
        lambda token: patch_files_call(ws, patch_text, dry_run, patch_format, force, token, timeout),
    )


def search_files_call(
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
    timeout: TimeoutArg,
) -> Call[SearchResult]:
    body = SearchRequest(
        pattern=pattern,
        literal=_given(literal),
        case_insensitive=_given(case_insensitive),
        path=_given(path),
        globs=UNSET if globs is None else list(globs),
        context=_given(context),
        max_matches=_given(max_matches),
        hidden=_given(hidden),
        gitignore=_given(gitignore),
    )
    return Call(search_files._get_kwargs(_path_id(ws), body=body), SearchResult.from_dict, timeout)


def upload_file_call(
    ws: str,
    path: str,
    data: Union[bytes, Iterable[bytes], AsyncIterable[bytes]],
    *,
    overwrite: Optional[bool] = None,
    permissions: Optional[str] = None,
    if_match: Optional[str] = None,
    confirm_token: Optional[str] = None,
    timeout: TimeoutArg,
) -> Call[WriteResult]:
    # The generated code sends `File.payload` as the body; the body goes to httpx as it is
    # instead, so bytes get a Content-Length and a stream is sent in chunks.
    kwargs = upload_file._get_kwargs(
        _path_id(ws),
        body=File(payload=io.BytesIO()),
        path=path,
        overwrite=_given(overwrite),
        permissions=_given(permissions),
        confirm_token=_given(confirm_token),
    )
    kwargs["content"] = data
    if if_match is not None:
        kwargs["headers"] = {**kwargs["headers"], "If-Match": if_match}

    def confirmed(token: str) -> Call[WriteResult]:
        return upload_file_call(
            ws,
            path,
            data,
            overwrite=overwrite,
            permissions=permissions,
            if_match=if_match,
            confirm_token=token,
            timeout=timeout,
        )

    # Only bytes can be sent again; a stream's bytes are gone once sent.
    return Call(kwargs, WriteResult.from_dict, timeout, confirmed if isinstance(data, bytes) else None)


def async_upload_body(data: AsyncUploadBody) -> Union[bytes, AsyncIterable[bytes]]:
    """What httpx's AsyncClient can send for `data` (it refuses a sync iterable)."""
    if isinstance(data, bytes) or isinstance(data, AsyncIterable):
        return data
    return _async_chunks(data)


async def _async_chunks(data: Iterable[bytes]) -> AsyncIterator[bytes]:
    read = getattr(data, "read", None)
    if callable(read):
        while True:
            chunk = read(_FILE_CHUNK)
            if not chunk:
                return
            yield chunk
    else:
        for chunk in data:
            yield chunk


def download_call(ws: str, path: str, timeout: TimeoutArg) -> BytesCall:
    return BytesCall(download_file._get_kwargs(_path_id(ws), path=path), timeout)


def archive_call(ws: str, path: Optional[str], gitignore: Optional[bool], timeout: TimeoutArg) -> BytesCall:
    return BytesCall(
        download_archive._get_kwargs(_path_id(ws), path=_given(path), gitignore=_given(gitignore)), timeout
    )


# ------------------------------------------------------------------------------ event streams

_SSE_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-store"}


def stream_request(command: Optional[str], options: ExecOptions) -> dict[str, Any]:
    kwargs = stream_command._get_kwargs(body=exec_request(command, options))
    kwargs["headers"] = {**kwargs["headers"], **_SSE_HEADERS}
    return kwargs


def events_request(job_id: str, after: Optional[str]) -> dict[str, Any]:
    kwargs = stream_job_events._get_kwargs(_path_id(job_id), last_event_id=_given(after))
    kwargs["headers"] = {**kwargs["headers"], **_SSE_HEADERS}
    return kwargs


def stream_timeout(timeout: TimeoutArg, client_timeout: Optional[float]) -> httpx.Timeout:
    """An event stream's timeout: `timeout` bounds connecting and each wait for the next bytes.
    The server sends a heartbeat comment every few seconds, so a long wait means a dead
    connection, which is resumed like a dropped one."""
    resolved = resolve_timeout(timeout, client_timeout)
    return resolved if isinstance(resolved, httpx.Timeout) else httpx.Timeout(resolved)


def check_stream_response(response: httpx.Response, what: str) -> None:
    """Raise the error an opened (and, for >= 400, read) event-stream response stands for."""
    if response.status_code >= 400:
        raise error_from_response(response)
    content_type = response.headers.get("content-type", "")
    if response.status_code != 200 or not content_type.startswith("text/event-stream"):
        raise UnexpectedResponse(
            f"{what}: {response.status_code} {content_type or 'no content type'} instead of an event stream",
            status=response.status_code,
            body="",
            request_id=response.headers.get("x-request-id"),
        )


class Follow:
    """Where one event stream is, so that it can resume after a dropped connection.

    Resuming is always `GET /v1/jobs/{id}/events` with `Last-Event-ID`: it replays what was
    missed from the job's store and never runs the command again. A POST is never re-sent.
    """

    def __init__(self, job_id: Optional[str], last_event_id: Optional[str], max_reconnects: int) -> None:
        self.job_id = job_id
        self.last_event_id = last_event_id
        self.max_reconnects = max_reconnects
        self.done = False
        self._failures = 0

    def seen(self, sse: ServerSentEvent) -> Optional[StreamEvent]:
        event = parse_event(sse)
        if sse.id:
            self.last_event_id = sse.id
        if isinstance(event, StartEvent):
            self.job_id = event.job_id
        if event is not None:
            self._failures = 0
            self.done = isinstance(event, FINAL_EVENTS)
        return event

    def resume(self, cause: Optional[BaseException]) -> dict[str, Any]:
        """The request that picks the stream up again, or ConnectionFailed if it cannot."""
        what = "the event stream broke" if cause is not None else "the event stream ended before `end`"
        if self.job_id is None:
            raise ConnectionFailed(f"{what} before the server named its job; nothing to resume") from cause
        if self._failures >= self.max_reconnects:
            raise ConnectionFailed(
                f"{what}; gave up after {self.max_reconnects} reconnect(s) to job {self.job_id}"
            ) from cause
        self._failures += 1
        return events_request(self.job_id, self.last_event_id)

    def backoff(self) -> float:
        return min(0.1 * float(1 << self._failures), 2.0)

