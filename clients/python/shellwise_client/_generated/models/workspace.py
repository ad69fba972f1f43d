from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.workspace_usage import WorkspaceUsage


T = TypeVar("T", bound="Workspace")


@_attrs_define
class Workspace:
    """A workspace: where commands (`workspace` in runCommand and submitJob) and file
    operations work.

        Example:
            {'id': 'ws_4f1c9a0b2d3e5f60', 'name': 'fix-login-bug', 'default': False, 'path':
                '/var/lib/shellwise/work/.workspaces/ws_4f1c9a0b2d3e5f60', 'owner': 'agent', 'createdMs': 1764700000000,
                'expiresMs': 1764786400000, 'quotaBytes': 1073741824, 'quotaFiles': 100000, 'usage': {'bytes': 10, 'files': 2}}

        Attributes:
            id (str): `default` for the token's own workspace, else `ws_…`.
            default (bool): Whether this is the token's default workspace.
            path (str): The directory on the server (the `cwd` of commands run in it).
            owner (str): The token that owns it.
            name (Union[None, Unset, str]):
            created_ms (Union[None, Unset, int]):
            expires_ms (Union[None, Unset, int]): When the janitor removes it.
            quota_bytes (Union[None, Unset, int]):
            quota_files (Union[None, Unset, int]):
            usage (Union['WorkspaceUsage', None, Unset]):
    """

    id: str
    default: bool
    path: str
    owner: str
    name: Union[None, Unset, str] = UNSET
    created_ms: Union[None, Unset, int] = UNSET
    expires_ms: Union[None, Unset, int] = UNSET
    quota_bytes: Union[None, Unset, int] = UNSET
    quota_files: Union[None, Unset, int] = UNSET
    usage: Union["WorkspaceUsage", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.workspace_usage import WorkspaceUsage

        id = self.id

        default = self.default

        path = self.path

        owner = self.owner

        name: Union[None, Unset, str]
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        created_ms: Union[None, Unset, int]
        if isinstance(self.created_ms, Unset):
            created_ms = UNSET
        else:
            created_ms = self.created_ms

        expires_ms: Union[None, Unset, int]
        if isinstance(self.expires_ms, Unset):
            expires_ms = UNSET
        else:
            expires_ms = self.expires_ms

        quota_bytes: Union[None, Unset, int]
        if isinstance(self.quota_bytes, Unset):
            quota_bytes = UNSET
        else:
            quota_bytes = self.quota_bytes

        quota_files: Union[None, Unset, int]
        if isinstance(self.quota_files, Unset):
            quota_files = UNSET
        else:
            quota_files = self.quota_files

        usage: Union[None, Unset, dict[str, Any]]
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, WorkspaceUsage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "default": default,
                "path": path,
                "owner": owner,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if created_ms is not UNSET:
            field_dict["createdMs"] = created_ms
        if expires_ms is not UNSET:
            field_dict["expiresMs"] = expires_ms
        if quota_bytes is not UNSET:
            field_dict["quotaBytes"] = quota_bytes
        if quota_files is not UNSET:
            field_dict["quotaFiles"] = quota_files
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workspace_usage import WorkspaceUsage

        d = dict(src_dict)
        id = d.pop("id")

        default = d.pop("default")

        path = d.pop("path")

        owner = d.pop("owner")

        def _parse_name(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_created_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        created_ms = _parse_created_ms(d.pop("createdMs", UNSET))

        def _parse_expires_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        expires_ms = _parse_expires_ms(d.pop("expiresMs", UNSET))

        def _parse_quota_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        quota_bytes = _parse_quota_bytes(d.pop("quotaBytes", UNSET))

        def _parse_quota_files(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        quota_files = _parse_quota_files(d.pop("quotaFiles", UNSET))

        def _parse_usage(data: object) -> Union["WorkspaceUsage", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_1 = WorkspaceUsage.from_dict(data)

                return usage_type_1
            except:  # noqa: E722
                pass
            return cast(Union["WorkspaceUsage", None, Unset], data)

        usage = _parse_usage(d.pop("usage", UNSET))

        workspace = cls(
            id=id,
            default=default,
            path=path,
            owner=owner,
            name=name,
            created_ms=created_ms,
            expires_ms=expires_ms,
            quota_bytes=quota_bytes,
            quota_files=quota_files,
            usage=usage,
        )

        workspace.additional_properties = d
        return workspace

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
