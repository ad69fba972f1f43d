"""shellwise-client: run commands on a shellwise server, stream their events, follow jobs.

    from shellwise_client import Shellwise

    with Shellwise("http://127.0.0.1:8080", token="...") as sw:
        print(sw.run("echo hello").stdout)

Shellwise is synchronous, AsyncShellwise the asyncio twin. Results are the generated models
(`shellwise_client.models`); failures are ShellwiseError subclasses.
"""

from ._async import AsyncEventStream, AsyncJobs, AsyncPolicy, AsyncShellwise
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
from ._ops import DEFAULT, ExecOptions, TimeoutArg
from ._sync import EventStream, Jobs, Policy, Shellwise

__version__ = "0.1.0"

__all__ = [
    "DEFAULT",
    "AnalysisEvent",
    "AsyncEventStream",
    "AsyncJobs",
    "AsyncPolicy",
    "AsyncShellwise",
    "ClientTimeout",
    "ConfirmationRequired",
    "ConnectionFailed",
    "EndEvent",
    "ErrorEvent",
    "EventStream",
    "ExecOptions",
    "ExitEvent",
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
]
