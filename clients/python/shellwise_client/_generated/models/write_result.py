from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.file_info import FileInfo


T = TypeVar("T", bound="WriteResult")


@_attrs_define
class WriteResult:
    """What a write did.

    Attributes:
        file (FileInfo): An entry in a workspace. Example: {'path': 'src/app.py', 'kind': 'file', 'size': 1234,
            'permissions': '0644', 'modifiedMs': 1764700000000, 'etag': '"4d2.4d2.18c3.2f1"'}.
        created (bool): Nothing was there before.
    """

    file: "FileInfo"
    created: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_dict()

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
                "created": created,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_info import FileInfo

        d = dict(src_dict)
        file = FileInfo.from_dict(d.pop("file"))

        created = d.pop("created")

        write_result = cls(
            file=file,
            created=created,
        )

        write_result.additional_properties = d
        return write_result

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
