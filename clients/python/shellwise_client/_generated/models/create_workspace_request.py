from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.initial_file import InitialFile


T = TypeVar("T", bound="CreateWorkspaceRequest")


@_attrs_define
class CreateWorkspaceRequest:
    r"""Create a named workspace.

    Example:
        {'name': 'fix-login-bug', 'ttlSecs': 86400, 'gitInit': True, 'files': [{'path': 'README.md', 'content': '#
            scratch\n'}]}

    Attributes:
        name (Union[None, Unset, str]): A label for people (not unique, not an id).
        ttl_secs (Union[None, Unset, int]): Remove the workspace this many seconds after it was made (at most
            `workspace.max_ttl_secs` when that is set). Left out = kept until deleted.
        quota_bytes (Union[None, Unset, int]): Byte quota (default `workspace.quota_bytes`; more needs admin).
        quota_files (Union[None, Unset, int]): File-count quota (default `workspace.quota_files`; more needs admin).
        files (Union[None, Unset, list['InitialFile']]): Files to put in it (written as the workspace's owner, parents
            created).
        git_init (Union[Unset, bool]): Run `git init` in it.
    """

    name: Union[None, Unset, str] = UNSET
    ttl_secs: Union[None, Unset, int] = UNSET
    quota_bytes: Union[None, Unset, int] = UNSET
    quota_files: Union[None, Unset, int] = UNSET
    files: Union[None, Unset, list["InitialFile"]] = UNSET
    git_init: Union[Unset, bool] = UNSET

    def to_dict(self) -> dict[str, Any]:
        name: Union[None, Unset, str]
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        ttl_secs: Union[None, Unset, int]
        if isinstance(self.ttl_secs, Unset):
            ttl_secs = UNSET
        else:
            ttl_secs = self.ttl_secs

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

        files: Union[None, Unset, list[dict[str, Any]]]
        if isinstance(self.files, Unset):
            files = UNSET
        elif isinstance(self.files, list):
            files = []
            for files_type_0_item_data in self.files:
                files_type_0_item = files_type_0_item_data.to_dict()
                files.append(files_type_0_item)

        else:
            files = self.files

        git_init = self.git_init

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if ttl_secs is not UNSET:
            field_dict["ttlSecs"] = ttl_secs
        if quota_bytes is not UNSET:
            field_dict["quotaBytes"] = quota_bytes
        if quota_files is not UNSET:
            field_dict["quotaFiles"] = quota_files
        if files is not UNSET:
            field_dict["files"] = files
        if git_init is not UNSET:
            field_dict["gitInit"] = git_init

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.initial_file import InitialFile

        d = dict(src_dict)

        def _parse_name(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_ttl_secs(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        ttl_secs = _parse_ttl_secs(d.pop("ttlSecs", UNSET))

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

        def _parse_files(data: object) -> Union[None, Unset, list["InitialFile"]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                files_type_0 = []
                _files_type_0 = data
                for files_type_0_item_data in _files_type_0:
                    files_type_0_item = InitialFile.from_dict(files_type_0_item_data)

                    files_type_0.append(files_type_0_item)

                return files_type_0
            except:  # noqa: E722
                pass
            return cast(Union[None, Unset, list["InitialFile"]], data)

        files = _parse_files(d.pop("files", UNSET))

        git_init = d.pop("gitInit", UNSET)

        create_workspace_request = cls(
            name=name,
            ttl_secs=ttl_secs,
            quota_bytes=quota_bytes,
            quota_files=quota_files,
            files=files,
            git_init=git_init,
        )

        return create_workspace_request
