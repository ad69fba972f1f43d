from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stream_event_frame_event import StreamEventFrameEvent
from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamEventFrame")


@_attrs_define
class StreamEventFrame:
    """One Server-Sent Event of a run's stream (ids `<job>:<n>`; send the last one back as `Last-Event-ID` to resume after
    it). The stream ends after `end`.

        Attributes:
            data (str): The event's JSON: one of StreamEventData (its `event` names it).
            id (Union[Unset, str]):
            event (Union[Unset, StreamEventFrameEvent]):
    """

    data: str
    id: Union[Unset, str] = UNSET
    event: Union[Unset, StreamEventFrameEvent] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        id = self.id

        event: Union[Unset, str] = UNSET
        if not isinstance(self.event, Unset):
            event = self.event.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if event is not UNSET:
            field_dict["event"] = event

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data")

        id = d.pop("id", UNSET)

        _event = d.pop("event", UNSET)
        event: Union[Unset, StreamEventFrameEvent]
        if isinstance(_event, Unset):
            event = UNSET
        else:
            event = StreamEventFrameEvent(_event)

        stream_event_frame = cls(
            data=data,
            id=id,
            event=event,
        )

        stream_event_frame.additional_properties = d
        return stream_event_frame

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
