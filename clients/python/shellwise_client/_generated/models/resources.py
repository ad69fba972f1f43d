from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Resources")


@_attrs_define
class Resources:
    """Resources a command used, measured by its cgroup.

    Attributes:
        user_ms (Union[None, Unset, int]): User CPU time of the whole process tree, ms.
        system_ms (Union[None, Unset, int]): System CPU time of the whole process tree, ms.
        peak_memory_bytes (Union[None, Unset, int]): Peak memory of the process tree, bytes.
    """

    user_ms: Union[None, Unset, int] = UNSET
    system_ms: Union[None, Unset, int] = UNSET
    peak_memory_bytes: Union[None, Unset, int] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_ms: Union[None, Unset, int]
        if isinstance(self.user_ms, Unset):
            user_ms = UNSET
        else:
            user_ms = self.user_ms

        system_ms: Union[None, Unset, int]
        if isinstance(self.system_ms, Unset):
            system_ms = UNSET
        else:
            system_ms = self.system_ms

        peak_memory_bytes: Union[None, Unset, int]
        if isinstance(self.peak_memory_bytes, Unset):
            peak_memory_bytes = UNSET
        else:
            peak_memory_bytes = self.peak_memory_bytes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if user_ms is not UNSET:
            field_dict["userMs"] = user_ms
        if system_ms is not UNSET:
            field_dict["systemMs"] = system_ms
        if peak_memory_bytes is not UNSET:
            field_dict["peakMemoryBytes"] = peak_memory_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_user_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        user_ms = _parse_user_ms(d.pop("userMs", UNSET))

        def _parse_system_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        system_ms = _parse_system_ms(d.pop("systemMs", UNSET))

        def _parse_peak_memory_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        peak_memory_bytes = _parse_peak_memory_bytes(d.pop("peakMemoryBytes", UNSET))

        resources = cls(
            user_ms=user_ms,
            system_ms=system_ms,
            peak_memory_bytes=peak_memory_bytes,
        )

        resources.additional_properties = d
        return resources

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
