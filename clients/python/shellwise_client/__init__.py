"""shellwise-client: run commands on a shellwise server, stream their events, follow jobs,
work on the files of a workspace.

    from shellwise_client import Shellwise

    with Shellwise("http://127.0.0.1:8080", token="...") as sw:
        print(sw.run("echo hello").stdout)

Shellwise is synchronous, AsyncShellwise the asyncio twin. Results are the generated models
(`shellwise_client.models`); failures are ShellwiseError subclasses.
"""

from ._async import (
    AsyncByteStream,
    AsyncEventStream,
    AsyncFiles,
    AsyncJobs,
    AsyncPolicy,
    AsyncShellwise,
    AsyncWorkspaces,
)
from ._errors import (
    ClientTimeout,
    ConfirmationRequired,
    ConnectionFailed,
    ProblemError,
    ShellwiseError,
    UnexpectedResponse,
)
from ._events import (
    AnalysisEvent,
    EndEvent,
    ErrorEvent,
    ExitEvent,
    MalformedEvent,
    OutputEvent,
    StartEvent,
    StreamEvent,
)
from ._ops import DEFAULT, DEFAULT_WORKSPACE, AsyncUploadBody, ExecOptions, TimeoutArg, UploadBody
from ._sync import ByteStream, EventStream, Files, Jobs, Policy, Shellwise, Workspaces

__version__ = "0.1.0"

__all__ = [
    "DEFAULT",
    "DEFAULT_WORKSPACE",
    "AnalysisEvent",
    "AsyncByteStream",
    "AsyncEventStream",
    "AsyncFiles",
    "AsyncJobs",
    "AsyncPolicy",
    "AsyncShellwise",
    "AsyncUploadBody",
    "AsyncWorkspaces",
    "ByteStream",
    "ClientTimeout",
    "ConfirmationRequired",
    "ConnectionFailed",
    "EndEvent",
    "ErrorEvent",
    "EventStream",
    "ExecOptions",
    "ExitEvent",
    "Files",
    "Jobs",
    "MalformedEvent",
    "OutputEvent",
    "Policy",
    "ProblemError",
    "Shellwise",
    "ShellwiseError",
    "StartEvent",
    "StreamEvent",
    "TimeoutArg",
    "UnexpectedResponse",
    "UploadBody",
    "Workspaces",
]
