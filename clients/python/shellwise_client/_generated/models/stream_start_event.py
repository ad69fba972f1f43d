from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.start_tag import StartTag
from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamStartEvent")


@_attrs_define
class StreamStartEvent:
    """`start`: the command started (`pid` is its host pid; `null` if it could not be executed).

    Attributes:
        event (StartTag):
        id (str):
        job_id (str): The job this stream belongs to (its events URL is `/v1/jobs/{jobId}/events`).
        pid (Union[None, Unset, int]):
    """

    event: StartTag
    id: str
    job_id: str
    pid: Union[None, Unset, int] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.value

        id = self.id

        job_id = self.job_id

        pid: Union[None, Unset, int]
        if isinstance(self.pid, Unset):
            pid = UNSET
        else:
            pid = self.pid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "id": id,
                "jobId": job_id,
            }
        )
        if pid is not UNSET:
            field_dict["pid"] = pid

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = StartTag(d.pop("event"))

        id = d.pop("id")

        job_id = d.pop("jobId")

        def _parse_pid(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        pid = _parse_pid(d.pop("pid", UNSET))

        stream_start_event = cls(
            event=event,
            id=id,
            job_id=job_id,
            pid=pid,
        )

        stream_start_event.additional_properties = d
        return stream_start_event

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
