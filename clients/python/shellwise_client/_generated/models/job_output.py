from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.output_encoding import OutputEncoding
from ..models.output_stream import OutputStream
from ..types import UNSET, Unset

T = TypeVar("T", bound="JobOutput")


@_attrs_define
class JobOutput:
    """A byte range of a job's stored (redacted) output.

    Attributes:
        stream (OutputStream): Which output stream.
        offset (int): Where `data` starts in the stream's stored bytes.
        length (int): Bytes in `data` (before base64).
        data (str):
        encoding (OutputEncoding): How output bytes are carried in JSON strings.
        total_bytes (int): Stored bytes of this stream so far.
        complete (bool): Whether the job is over (no more output will be stored).
        next_offset (Union[None, Unset, int]): `offset` for the next range, or `null` when this one reached the stored
            end.
    """

    stream: OutputStream
    offset: int
    length: int
    data: str
    encoding: OutputEncoding
    total_bytes: int
    complete: bool
    next_offset: Union[None, Unset, int] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stream = self.stream.value

        offset = self.offset

        length = self.length

        data = self.data

        encoding = self.encoding.value

        total_bytes = self.total_bytes

        complete = self.complete

        next_offset: Union[None, Unset, int]
        if isinstance(self.next_offset, Unset):
            next_offset = UNSET
        else:
            next_offset = self.next_offset

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stream": stream,
                "offset": offset,
                "length": length,
                "data": data,
                "encoding": encoding,
                "totalBytes": total_bytes,
                "complete": complete,
            }
        )
        if next_offset is not UNSET:
            field_dict["nextOffset"] = next_offset

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stream = OutputStream(d.pop("stream"))

        offset = d.pop("offset")

        length = d.pop("length")

        data = d.pop("data")

        encoding = OutputEncoding(d.pop("encoding"))

        total_bytes = d.pop("totalBytes")

        complete = d.pop("complete")

        def _parse_next_offset(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        next_offset = _parse_next_offset(d.pop("nextOffset", UNSET))

        job_output = cls(
            stream=stream,
            offset=offset,
            length=length,
            data=data,
            encoding=encoding,
            total_bytes=total_bytes,
            complete=complete,
            next_offset=next_offset,
        )

        job_output.additional_properties = d
        return job_output

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
