from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JobLinks")


@_attrs_define
class JobLinks:
    """Where to follow a job.

    Attributes:
        self_ (str):
        events (str):
        output (str):
        cancel (str):
    """

    self_: str
    events: str
    output: str
    cancel: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        self_ = self.self_

        events = self.events

        output = self.output

        cancel = self.cancel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "self": self_,
                "events": events,
                "output": output,
                "cancel": cancel,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        self_ = d.pop("self")

        events = d.pop("events")

        output = d.pop("output")

        cancel = d.pop("cancel")

        job_links = cls(
            self_=self_,
            events=events,
            output=output,
            cancel=cancel,
        )

        job_links.additional_properties = d
        return job_links

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
