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

from ..models.output_encoding import OutputEncoding
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_content_redactions import FileContentRedactions
    from ..models.line_range import LineRange


T = TypeVar("T", bound="FileContent")


@_attrs_define
class FileContent:
    r"""Part or all of a file.

    Example:
        {'path': 'src/app.py', 'encoding': 'text', 'content': 'def handler():\n    return 200\n', 'size': 1234, 'etag':
            '"4d2.4d2.18c3.2f1"', 'modifiedMs': 1764700000000, 'offset': 0, 'truncated': True, 'lines': {'start': 1, 'end':
            2, 'next': 3, 'total': 40}, 'redactions': {}}

    Attributes:
        path (str):
        encoding (OutputEncoding): How output bytes are carried in JSON strings.
        content (str): The bytes, redacted: a secret in a file never leaves (see `redactions`).
        size (int): The whole file's size in bytes.
        etag (str): The version read; send it as `If-Match` (or `ifMatch`) to write only over this one.
        modified_ms (int):
        offset (int): Byte offset of the first byte returned.
        truncated (bool): More of the file (or of the asked range) follows.
        redactions (FileContentRedactions): Secrets replaced, by rule id.
        next_offset (Union[None, Unset, int]): Where the next byte page starts; for a line range, where the rest of a
            line longer
            than `maxBytes` goes on (read it with `offset`).
        lines (Union['LineRange', None, Unset]):
    """

    path: str
    encoding: OutputEncoding
    content: str
    size: int
    etag: str
    modified_ms: int
    offset: int
    truncated: bool
    redactions: "FileContentRedactions"
    next_offset: Union[None, Unset, int] = UNSET
    lines: Union["LineRange", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.line_range import LineRange

        path = self.path

        encoding = self.encoding.value

        content = self.content

        size = self.size

        etag = self.etag

        modified_ms = self.modified_ms

        offset = self.offset

        truncated = self.truncated

        redactions = self.redactions.to_dict()

        next_offset: Union[None, Unset, int]
        if isinstance(self.next_offset, Unset):
            next_offset = UNSET
        else:
            next_offset = self.next_offset

        lines: Union[None, Unset, dict[str, Any]]
        if isinstance(self.lines, Unset):
            lines = UNSET
        elif isinstance(self.lines, LineRange):
            lines = self.lines.to_dict()
        else:
            lines = self.lines

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "encoding": encoding,
                "content": content,
                "size": size,
                "etag": etag,
                "modifiedMs": modified_ms,
                "offset": offset,
                "truncated": truncated,
                "redactions": redactions,
            }
        )
        if next_offset is not UNSET:
            field_dict["nextOffset"] = next_offset
        if lines is not UNSET:
            field_dict["lines"] = lines

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_content_redactions import FileContentRedactions
        from ..models.line_range import LineRange

        d = dict(src_dict)
        path = d.pop("path")

        encoding = OutputEncoding(d.pop("encoding"))

        content = d.pop("content")

        size = d.pop("size")

        etag = d.pop("etag")

        modified_ms = d.pop("modifiedMs")

        offset = d.pop("offset")

        truncated = d.pop("truncated")

        redactions = FileContentRedactions.from_dict(d.pop("redactions"))

        def _parse_next_offset(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        next_offset = _parse_next_offset(d.pop("nextOffset", UNSET))

        def _parse_lines(data: object) -> Union["LineRange", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lines_type_1 = LineRange.from_dict(data)

                return lines_type_1
            except:  # noqa: E722
                pass
            return cast(Union["LineRange", None, Unset], data)

        lines = _parse_lines(d.pop("lines", UNSET))

        file_content = cls(
            path=path,
            encoding=encoding,
            content=content,
            size=size,
            etag=etag,
            modified_ms=modified_ms,
            offset=offset,
            truncated=truncated,
            redactions=redactions,
            next_offset=next_offset,
            lines=lines,
        )

        file_content.additional_properties = d
        return file_content

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
