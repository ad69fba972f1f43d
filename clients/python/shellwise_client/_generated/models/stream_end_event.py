from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.end_tag import EndTag
from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamEndEvent")


@_attrs_define
class StreamEndEvent:
    """`end`: the last event of every run's stream: the job's final status.

    Attributes:
        event (EndTag):
        id (str):
        status (JobStatus): Where a job is in its life.
        error (Union[None, Unset, str]): Why it did not run or was lost, if so.
    """

    event: EndTag
    id: str
    status: JobStatus
    error: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.value

        id = self.id

        status = self.status.value

        error: Union[None, Unset, str]
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "id": id,
                "status": status,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = EndTag(d.pop("event"))

        id = d.pop("id")

        status = JobStatus(d.pop("status"))

        def _parse_error(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        error = _parse_error(d.pop("error", UNSET))

        stream_end_event = cls(
            event=event,
            id=id,
            status=status,
            error=error,
        )

        stream_end_event.additional_properties = d
        return stream_end_event

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
