from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define

from ..models.output_encoding import OutputEncoding
from ..types import UNSET, Unset

T = TypeVar("T", bound="InitialFile")


@_attrs_define
class InitialFile:
    """A file a new workspace starts with.

    Attributes:
        path (str):
        content (str):
        encoding (Union[None, OutputEncoding, Unset]):
    """

    path: str
    content: str
    encoding: Union[None, OutputEncoding, Unset] = UNSET

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        content = self.content

        encoding: Union[None, Unset, str]
        if isinstance(self.encoding, Unset):
            encoding = UNSET
        elif isinstance(self.encoding, OutputEncoding):
            encoding = self.encoding.value
        else:
            encoding = self.encoding

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "path": path,
                "content": content,
            }
        )
        if encoding is not UNSET:
            field_dict["encoding"] = encoding

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        content = d.pop("content")

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

        initial_file = cls(
            path=path,
            content=content,
            encoding=encoding,
        )

        return initial_file
