from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.output_encoding import OutputEncoding

T = TypeVar("T", bound="JobTail")


@_attrs_define
class JobTail:
    """The end of a running job's stored output.

    Attributes:
        stdout (str):
        stderr (str):
        encoding (OutputEncoding): How output bytes are carried in JSON strings.
    """

    stdout: str
    stderr: str
    encoding: OutputEncoding
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stdout = self.stdout

        stderr = self.stderr

        encoding = self.encoding.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stdout": stdout,
                "stderr": stderr,
                "encoding": encoding,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stdout = d.pop("stdout")

        stderr = d.pop("stderr")

        encoding = OutputEncoding(d.pop("encoding"))

        job_tail = cls(
            stdout=stdout,
            stderr=stderr,
            encoding=encoding,
        )

        job_tail.additional_properties = d
        return job_tail

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
