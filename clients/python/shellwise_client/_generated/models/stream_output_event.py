from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.output_tag import OutputTag

T = TypeVar("T", bound="StreamOutputEvent")


@_attrs_define
class StreamOutputEvent:
    """`stdout` / `stderr`: a chunk of output, redacted, in the request's `outputEncoding`.

    Attributes:
        event (OutputTag): `stdout` or `stderr`.
        data (str):
    """

    event: OutputTag
    data: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.value

        data = self.data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = OutputTag(d.pop("event"))

        data = d.pop("data")

        stream_output_event = cls(
            event=event,
            data=data,
        )

        stream_output_event.additional_properties = d
        return stream_output_event

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
