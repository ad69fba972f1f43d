from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PatchConflict")


@_attrs_define
class PatchConflict:
    """One hunk of a patch that did not apply.

    Attributes:
        path (str): The file the hunk is for.
        hunk (int): 1-based index of the hunk within that file's changes.
        line (int): 1-based line where the hunk was expected.
        expected (list[str]): The lines the hunk expected (context and removed lines).
        found (list[str]): What the file has there instead.
        message (str):
    """

    path: str
    hunk: int
    line: int
    expected: list[str]
    found: list[str]
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        hunk = self.hunk

        line = self.line

        expected = self.expected

        found = self.found

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "hunk": hunk,
                "line": line,
                "expected": expected,
                "found": found,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        hunk = d.pop("hunk")

        line = d.pop("line")

        expected = cast(list[str], d.pop("expected"))

        found = cast(list[str], d.pop("found"))

        message = d.pop("message")

        patch_conflict = cls(
            path=path,
            hunk=hunk,
            line=line,
            expected=expected,
            found=found,
            message=message,
        )

        patch_conflict.additional_properties = d
        return patch_conflict

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
