from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.file_kind import FileKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="FileInfo")


@_attrs_define
class FileInfo:
    """An entry in a workspace.

    Example:
        {'path': 'src/app.py', 'kind': 'file', 'size': 1234, 'permissions': '0644', 'modifiedMs': 1764700000000, 'etag':
            '"4d2.4d2.18c3.2f1"'}

    Attributes:
        path (str): Path from the workspace root (UTF-8; see `pathBase64`).
        kind (FileKind): What kind of entry a path names.
        size (int):
        permissions (str): Octal permission bits, e.g. `0644`.
        modified_ms (int):
        path_base_64 (Union[None, Unset, str]): The exact bytes of a name that is not UTF-8 (then `path` shows it
            lossily).
        etag (Union[None, Unset, str]): The version (files only).
        target (Union[None, Unset, str]): A symlink's target, as written.
        depth (Union[None, Unset, int]): Depth below the listed directory (listings only; 1 = its own entries).
    """

    path: str
    kind: FileKind
    size: int
    permissions: str
    modified_ms: int
    path_base_64: Union[None, Unset, str] = UNSET
    etag: Union[None, Unset, str] = UNSET
    target: Union[None, Unset, str] = UNSET
    depth: Union[None, Unset, int] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        kind = self.kind.value

        size = self.size

        permissions = self.permissions

        modified_ms = self.modified_ms

        path_base_64: Union[None, Unset, str]
        if isinstance(self.path_base_64, Unset):
            path_base_64 = UNSET
        else:
            path_base_64 = self.path_base_64

        etag: Union[None, Unset, str]
        if isinstance(self.etag, Unset):
            etag = UNSET
        else:
            etag = self.etag

        target: Union[None, Unset, str]
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        depth: Union[None, Unset, int]
        if isinstance(self.depth, Unset):
            depth = UNSET
        else:
            depth = self.depth

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "kind": kind,
                "size": size,
                "permissions": permissions,
                "modifiedMs": modified_ms,
            }
        )
        if path_base_64 is not UNSET:
            field_dict["pathBase64"] = path_base_64
        if etag is not UNSET:
            field_dict["etag"] = etag
        if target is not UNSET:
            field_dict["target"] = target
        if depth is not UNSET:
            field_dict["depth"] = depth

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        kind = FileKind(d.pop("kind"))

        size = d.pop("size")

        permissions = d.pop("permissions")

        modified_ms = d.pop("modifiedMs")

        def _parse_path_base_64(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        path_base_64 = _parse_path_base_64(d.pop("pathBase64", UNSET))

        def _parse_etag(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        etag = _parse_etag(d.pop("etag", UNSET))

        def _parse_target(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        target = _parse_target(d.pop("target", UNSET))

        def _parse_depth(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        depth = _parse_depth(d.pop("depth", UNSET))

        file_info = cls(
            path=path,
            kind=kind,
            size=size,
            permissions=permissions,
            modified_ms=modified_ms,
            path_base_64=path_base_64,
            etag=etag,
            target=target,
            depth=depth,
        )

        file_info.additional_properties = d
        return file_info

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
