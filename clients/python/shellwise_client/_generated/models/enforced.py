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

T = TypeVar("T", bound="Enforced")


@_attrs_define
class Enforced:
    """One limit that was enforced on a command, and by what.

    Attributes:
        limit (str): `wall_time`, `output`, `memory`, `pids`, `cpu`, `cpu_time`, `file_size`, `open_files`,
            `address_space`, `network`, `user`, `process_group`, `pid_namespace`, `private_tmp`.
        by (str): What enforces it: `supervisor`, `cgroup_v1`, `cgroup_v2`, `rlimit`, `netns`, `setuid`,
            `pidns`, `mountns`.
        value (Union[None, Unset, int]): The value in the limit's unit (ms, bytes, count, milli-CPUs, seconds, uid), if
            any.
    """

    limit: str
    by: str
    value: Union[None, Unset, int] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        limit = self.limit

        by = self.by

        value: Union[None, Unset, int]
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limit": limit,
                "by": by,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        limit = d.pop("limit")

        by = d.pop("by")

        def _parse_value(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        value = _parse_value(d.pop("value", UNSET))

        enforced = cls(
            limit=limit,
            by=by,
            value=value,
        )

        enforced.additional_properties = d
        return enforced

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
