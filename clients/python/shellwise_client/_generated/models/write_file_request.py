from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define

from ..models.output_encoding import OutputEncoding
from ..models.write_mode_wire import WriteModeWire
from ..types import UNSET, Unset

T = TypeVar("T", bound="WriteFileRequest")


@_attrs_define
class WriteFileRequest:
    r"""Write a whole file (atomically: readers see the old or the new content, never a mix).

    Example:
        {'path': 'src/config.py', 'content': 'DEBUG = False\n', 'ifMatch': '"4d2.4d2.18c3.2f1"'}

    Attributes:
        path (str):
        content (str):
        path_base_64 (Union[None, Unset, str]): The exact bytes of the path, base64 (standard alphabet), for a name that
            is not
            UTF-8 (a listing's `pathBase64`); when given it is used instead of `path`.
        encoding (Union[None, OutputEncoding, Unset]):
        mode (Union[None, Unset, WriteModeWire]):
        permissions (Union[None, Unset, str]): Octal permission bits (`0755`); left out keeps an existing file's, else
            `0644`.
        if_match (Union[None, Unset, str]): Write only over this version (the `etag` of a read; `*` = any existing
            file). The
            `If-Match` header does the same.
        parents (Union[None, Unset, bool]): Create missing parent directories (default true).
        force (Union[Unset, bool]): Write even though the content holds a `[REDACTED:…]` marker.
        confirm_token (Union[None, Unset, str]): For a protected path: the token a `confirmation_required` problem
            handed out.
    """

    path: str
    content: str
    path_base_64: Union[None, Unset, str] = UNSET
    encoding: Union[None, OutputEncoding, Unset] = UNSET
    mode: Union[None, Unset, WriteModeWire] = UNSET
    permissions: Union[None, Unset, str] = UNSET
    if_match: Union[None, Unset, str] = UNSET
    parents: Union[None, Unset, bool] = UNSET
    force: Union[Unset, bool] = UNSET
    confirm_token: Union[None, Unset, str] = UNSET

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        content = self.content

        path_base_64: Union[None, Unset, str]
        if isinstance(self.path_base_64, Unset):
            path_base_64 = UNSET
        else:
            path_base_64 = self.path_base_64

        encoding: Union[None, Unset, str]
        if isinstance(self.encoding, Unset):
            encoding = UNSET
        elif isinstance(self.encoding, OutputEncoding):
            encoding = self.encoding.value
        else:
            encoding = self.encoding

        mode: Union[None, Unset, str]
        if isinstance(self.mode, Unset):
            mode = UNSET
        elif isinstance(self.mode, WriteModeWire):
            mode = self.mode.value
        else:
            mode = self.mode

        permissions: Union[None, Unset, str]
        if isinstance(self.permissions, Unset):
            permissions = UNSET
        else:
            permissions = self.permissions

        if_match: Union[None, Unset, str]
        if isinstance(self.if_match, Unset):
            if_match = UNSET
        else:
            if_match = self.if_match

        parents: Union[None, Unset, bool]
        if isinstance(self.parents, Unset):
            parents = UNSET
        else:
            parents = self.parents

        force = self.force

        confirm_token: Union[None, Unset, str]
        if isinstance(self.confirm_token, Unset):
            confirm_token = UNSET
        else:
            confirm_token = self.confirm_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "content": content,
            }
        )
        if path_base_64 is not UNSET:
            field_dict["pathBase64"] = path_base_64
        if encoding is not UNSET:
            field_dict["encoding"] = encoding
        if mode is not UNSET:
            field_dict["mode"] = mode
        if permissions is not UNSET:
            field_dict["permissions"] = permissions
        if if_match is not UNSET:
            field_dict["ifMatch"] = if_match
        if parents is not UNSET:
            field_dict["parents"] = parents
        if force is not UNSET:
            field_dict["force"] = force
        if confirm_token is not UNSET:
            field_dict["confirmToken"] = confirm_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        content = d.pop("content")

        def _parse_path_base_64(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        path_base_64 = _parse_path_base_64(d.pop("pathBase64", UNSET))

        def _parse_encoding(data: object) -> Union[None, OutputEncoding, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                encoding_type_1 = OutputEncoding(data)

                return encoding_type_1
            except:  # noqa: E722
                pass
            return cast(Union[None, OutputEncoding, Unset], data)

        encoding = _parse_encoding(d.pop("encoding", UNSET))

        def _parse_mode(data: object) -> Union[None, Unset, WriteModeWire]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mode_type_1 = WriteModeWire(data)

                return mode_type_1
            except:  # noqa: E722
                pass
            return cast(Union[None, Unset, WriteModeWire], data)

        mode = _parse_mode(d.pop("mode", UNSET))

        def _parse_permissions(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        permissions = _parse_permissions(d.pop("permissions", UNSET))

        def _parse_if_match(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        if_match = _parse_if_match(d.pop("ifMatch", UNSET))

        def _parse_parents(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        parents = _parse_parents(d.pop("parents", UNSET))

        force = d.pop("force", UNSET)

        def _parse_confirm_token(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        confirm_token = _parse_confirm_token(d.pop("confirmToken", UNSET))

        write_file_request = cls(
            path=path,
            content=content,
            path_base_64=path_base_64,
            encoding=encoding,
            mode=mode,
            permissions=permissions,
            if_match=if_match,
            parents=parents,
            force=force,
            confirm_token=confirm_token,
        )

        return write_file_request
