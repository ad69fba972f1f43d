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

T = TypeVar("T", bound="PatchedFile")


@_attrs_define
class PatchedFile:
    """One file of a patch.

    Attributes:
        path (str):
        op (str): `add`, `update` or `delete`.
        hunks (int):
        offsets (list[int]): Per hunk: lines away from where its header said (0 = exactly there).
        fuzzy (bool): Some hunk matched only when whitespace was ignored.
        moved_to (Union[None, Unset, str]): Where an update moved the file.
        etag (Union[None, Unset, str]): The new version (not for a delete or a dry run).
    """

    path: str
    op: str
    hunks: int
    offsets: list[int]
    fuzzy: bool
    moved_to: Union[None, Unset, str] = UNSET
    etag: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        op = self.op

        hunks = self.hunks

        offsets = self.offsets

        fuzzy = self.fuzzy

        moved_to: Union[None, Unset, str]
        if isinstance(self.moved_to, Unset):
            moved_to = UNSET
        else:
            moved_to = self.moved_to

        etag: Union[None, Unset, str]
        if isinstance(self.etag, Unset):
            etag = UNSET
        else:
            etag = self.etag

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "op": op,
                "hunks": hunks,
                "offsets": offsets,
                "fuzzy": fuzzy,
            }
        )
        if moved_to is not UNSET:
            field_dict["movedTo"] = moved_to
        if etag is not UNSET:
            field_dict["etag"] = etag

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        op = d.pop("op")

        hunks = d.pop("hunks")

        offsets = cast(list[int], d.pop("offsets"))

        fuzzy = d.pop("fuzzy")

        def _parse_moved_to(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        moved_to = _parse_moved_to(d.pop("movedTo", UNSET))

        def _parse_etag(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        etag = _parse_etag(d.pop("etag", UNSET))

        patched_file = cls(
            path=path,
            op=op,
            hunks=hunks,
            offsets=offsets,
            fuzzy=fuzzy,
            moved_to=moved_to,
            etag=etag,
        )

        patched_file.additional_properties = d
        return patched_file

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
