"""The typed events of a run's stream, parsed from Server-Sent Events.

The generated models for these events cannot be used as they are: the spec's tag enums say
`Start`, `Exit`, `Analysis` and `End` while the server sends `start`, `exit`, `analysis` and
`end`, so their `from_dict` raises. The events are small frozen dataclasses instead, and the
`exit` and `analysis` payloads are parsed with the generated ExitSummary and Analysis models
(which do not look at the tag).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

from httpx_sse import ServerSentEvent

from ._errors import ProblemError, ShellwiseError
from ._generated.models.analysis import Analysis
from ._generated.models.exit_summary import ExitSummary


@dataclass(frozen=True)
class StartEvent:
    """The command started. `pid` is its host pid, `None` if it could not be executed."""

    event_id: str
    job_id: str
    pid: Optional[int]
    kind: Literal["start"] = "start"


@dataclass(frozen=True)
class OutputEvent:
    """A chunk of output (already redacted), in the request's `output_encoding`."""

    event_id: str
    stream: Literal["stdout", "stderr"]
    data: str
    kind: Literal["output"] = "output"


@dataclass(frozen=True)
class ExitEvent:
    """How the command ended: the result without its output."""

    event_id: str
    summary: ExitSummary
    kind: Literal["exit"] = "exit"

    @property
    def exit_code(self) -> int:
        return self.summary.exit_code


@dataclass(frozen=True)
class AnalysisEvent:
    """Why the command failed (after `exit`, when the request's `analyze` asks for it)."""

    event_id: str
    analysis: Analysis
    kind: Literal["analysis"] = "analysis"


@dataclass(frozen=True)
class EndEvent:
    """The last event of every stream: the job's final status."""

    event_id: str
    job_id: str
    status: str
    error: Optional[str]
    kind: Literal["end"] = "end"


@dataclass(frozen=True)
class ErrorEvent:
    """The server failed mid-stream; the stream ends after this. `problem` can be raised."""

    event_id: str
    problem: ProblemError
    kind: Literal["error"] = "error"


StreamEvent = Union[StartEvent, OutputEvent, ExitEvent, AnalysisEvent, EndEvent, ErrorEvent]

# Events after which the server sends nothing more: the stream is complete, never resumed.
FINAL_EVENTS = (EndEvent, ErrorEvent)


class MalformedEvent(ShellwiseError):
    """An event whose data is not what the spec describes."""


def parse_event(sse: ServerSentEvent) -> Optional[StreamEvent]:
    """The typed event for one SSE message; `None` for an event name this version does not know
    (newer servers may add some; skipping them keeps old clients working)."""
    name = sse.event
    if name not in ("start", "stdout", "stderr", "exit", "analysis", "end", "error"):
        return None
    try:
        data: Any = json.loads(sse.data)
        if not isinstance(data, dict):
            raise ValueError("the data is not a JSON object")
        if name == "start":
            pid = data.get("pid")
            return StartEvent(sse.id, _str(data, "jobId"), pid if isinstance(pid, int) else None)
        if name in ("stdout", "stderr"):
            return OutputEvent(sse.id, "stdout" if name == "stdout" else "stderr", _str(data, "data"))
        if name == "exit":
            return ExitEvent(sse.id, ExitSummary.from_dict(data))
        if name == "analysis":
            return AnalysisEvent(sse.id, Analysis.from_dict(data))
        if name == "end":
            error = data.get("error")
            return EndEvent(sse.id, _str(data, "id"), _str(data, "status"), error if isinstance(error, str) else None)
        status = data.get("status")
        return ErrorEvent(
            sse.id,
            ProblemError(data, status=status if isinstance(status, int) else 500, request_id=None, retry_after=None),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise MalformedEvent(f"cannot parse `{name}` event {sse.id!r}: {exc}") from exc


def _str(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(f"`{key}` is not a string")
    return value
