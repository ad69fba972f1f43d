from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IsolationInfo")


@_attrs_define
class IsolationInfo:
    """How commands are isolated from each other and from the host.

    Attributes:
        identity (str): Who commands run as, e.g. "a uid per token from 70000-79999 (3 assigned)".
        active (list[str]): The layers every command gets, e.g. "pid namespace", "landlock (ABI 7)", "seccomp".
        missing (list[str]): Layers configured but unavailable on this host, each with the reason.
    """

    identity: str
    active: list[str]
    missing: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        identity = self.identity

        active = self.active

        missing = self.missing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "identity": identity,
                "active": active,
                "missing": missing,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        identity = d.pop("identity")

        active = cast(list[str], d.pop("active"))

        missing = cast(list[str], d.pop("missing"))

        isolation_info = cls(
            identity=identity,
            active=active,
            missing=missing,
        )

        isolation_info.additional_properties = d
        return isolation_info

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
