from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exec_result import ExecResult
    from ..models.job_links import JobLinks
    from ..models.job_tail import JobTail


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """A job: a command that may outlive the request that started it. Only its token (and admins)
    can see it.

        Example:
            {'id': 'ex_4f1c9a0b2d3e5f60', 'status': 'running', 'command': 'make test', 'createdAt':
                '2026-12-02T06:30:00.120Z', 'startedAt': '2026-12-02T06:30:00.121Z', 'finishedAt': None, 'stdoutBytes': 5120,
                'stderrBytes': 0, 'outputTruncated': False, 'lastEventId': 'ex_4f1c9a0b2d3e5f60:17', 'error': None, 'result':
                None, 'links': {'self': '/v1/jobs/ex_4f1c9a0b2d3e5f60', 'events': '/v1/jobs/ex_4f1c9a0b2d3e5f60/events',
                'output': '/v1/jobs/ex_4f1c9a0b2d3e5f60/output', 'cancel': '/v1/jobs/ex_4f1c9a0b2d3e5f60/cancel'}}

        Attributes:
            id (str):
            status (JobStatus): Where a job is in its life.
            command (str): What runs (redacted; never its environment or stdin).
            created_at (str): RFC 3339, UTC.
            stdout_bytes (int): Output stored so far (after redaction), per stream.
            stderr_bytes (int):
            output_truncated (bool): Whether stored output stopped at `jobs.max_output_bytes` or a full store (the command
                ran on; the result's own totals count every byte).
            links (JobLinks): Where to follow a job.
            started_at (Union[None, Unset, str]):
            finished_at (Union[None, Unset, str]):
            last_event_id (Union[None, Unset, str]): The last stored event's id (`Last-Event-ID` to resume its events after
                it).
            error (Union[None, Unset, str]): Why it failed to run, or was lost.
            result (Union['ExecResult', None, Unset]):
            tail (Union['JobTail', None, Unset]):
    """

    id: str
    status: JobStatus
    command: str
    created_at: str
    stdout_bytes: int
    stderr_bytes: int
    output_truncated: bool
    links: "JobLinks"
    started_at: Union[None, Unset, str] = UNSET
    finished_at: Union[None, Unset, str] = UNSET
    last_event_id: Union[None, Unset, str] = UNSET
    error: Union[None, Unset, str] = UNSET
    result: Union["ExecResult", None, Unset] = UNSET
    tail: Union["JobTail", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.exec_result import ExecResult
        from ..models.job_tail import JobTail

        id = self.id

        status = self.status.value

        command = self.command

        created_at = self.created_at

        stdout_bytes = self.stdout_bytes

        stderr_bytes = self.stderr_bytes

        output_truncated = self.output_truncated

        links = self.links.to_dict()

        started_at: Union[None, Unset, str]
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        else:
            started_at = self.started_at

        finished_at: Union[None, Unset, str]
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = self.finished_at

        last_event_id: Union[None, Unset, str]
        if isinstance(self.last_event_id, Unset):
            last_event_id = UNSET
        else:
            last_event_id = self.last_event_id

        error: Union[None, Unset, str]
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        result: Union[None, Unset, dict[str, Any]]
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ExecResult):
            result = self.result.to_dict()
        else:
            result = self.result

        tail: Union[None, Unset, dict[str, Any]]
        if isinstance(self.tail, Unset):
            tail = UNSET
        elif isinstance(self.tail, JobTail):
            tail = self.tail.to_dict()
        else:
            tail = self.tail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "command": command,
                "createdAt": created_at,
                "stdoutBytes": stdout_bytes,
                "stderrBytes": stderr_bytes,
                "outputTruncated": output_truncated,
                "links": links,
            }
        )
        if started_at is not UNSET:
            field_dict["startedAt"] = started_at
        if finished_at is not UNSET:
            field_dict["finishedAt"] = finished_at
        if last_event_id is not UNSET:
            field_dict["lastEventId"] = last_event_id
        if error is not UNSET:
            field_dict["error"] = error
        if result is not UNSET:
            field_dict["result"] = result
        if tail is not UNSET:
            field_dict["tail"] = tail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exec_result import ExecResult
        from ..models.job_links import JobLinks
        from ..models.job_tail import JobTail

        d = dict(src_dict)
        id = d.pop("id")

        status = JobStatus(d.pop("status"))

        command = d.pop("command")

        created_at = d.pop("createdAt")

        stdout_bytes = d.pop("stdoutBytes")

        stderr_bytes = d.pop("stderrBytes")

        output_truncated = d.pop("outputTruncated")

        links = JobLinks.from_dict(d.pop("links"))

        def _parse_started_at(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        started_at = _parse_started_at(d.pop("startedAt", UNSET))

        def _parse_finished_at(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        finished_at = _parse_finished_at(d.pop("finishedAt", UNSET))

        def _parse_last_event_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        last_event_id = _parse_last_event_id(d.pop("lastEventId", UNSET))

        def _parse_error(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_result(data: object) -> Union["ExecResult", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_1 = ExecResult.from_dict(data)

                return result_type_1
            except:  # noqa: E722
                pass
            return cast(Union["ExecResult", None, Unset], data)

        result = _parse_result(d.pop("result", UNSET))

        def _parse_tail(data: object) -> Union["JobTail", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tail_type_1 = JobTail.from_dict(data)

                return tail_type_1
            except:  # noqa: E722
                pass
            return cast(Union["JobTail", None, Unset], data)

        tail = _parse_tail(d.pop("tail", UNSET))

        job = cls(
            id=id,
            status=status,
            command=command,
            created_at=created_at,
            stdout_bytes=stdout_bytes,
            stderr_bytes=stderr_bytes,
            output_truncated=output_truncated,
            links=links,
            started_at=started_at,
            finished_at=finished_at,
            last_event_id=last_event_id,
            error=error,
            result=result,
            tail=tail,
        )

        job.additional_properties = d
        return job

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
