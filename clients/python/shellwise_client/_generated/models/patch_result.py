from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.patched_file import PatchedFile


T = TypeVar("T", bound="PatchResult")


@_attrs_define
class PatchResult:
    """What a patch changed (or would change, for a dry run).

    Attributes:
        applied (bool): False for a dry run.
        files (list['PatchedFile']):
    """

    applied: bool
    files: list["PatchedFile"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        applied = self.applied

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "applied": applied,
                "files": files,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.patched_file import PatchedFile

        d = dict(src_dict)
        applied = d.pop("applied")

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = PatchedFile.from_dict(files_item_data)

            files.append(files_item)

        patch_result = cls(
            applied=applied,
            files=files,
        )

        patch_result.additional_properties = d
        return patch_result

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
