from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
    Union,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.context_line import ContextLine


T = TypeVar("T", bound="SearchMatch")


@_attrs_define
class SearchMatch:
    """A matching line.

    Attributes:
        path (str):
        line (int):
        column (int): 1-based byte column of the first match.
        text (str):
        before (Union[Unset, list['ContextLine']]):
        after (Union[Unset, list['ContextLine']]):
    """

    path: str
    line: int
    column: int
    text: str
    before: Union[Unset, list["ContextLine"]] = UNSET
    after: Union[Unset, list["ContextLine"]] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        line = self.line

        column = self.column

        text = self.text

        before: Union[Unset, list[dict[str, Any]]] = UNSET
        if not isinstance(self.before, Unset):
            before = []
            for before_item_data in self.before:
                before_item = before_item_data.to_dict()
                before.append(before_item)

        after: Union[Unset, list[dict[str, Any]]] = UNSET
        if not isinstance(self.after, Unset):
            after = []
            for after_item_data in self.after:
                after_item = after_item_data.to_dict()
                after.append(after_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "line": line,
                "column": column,
                "text": text,
            }
        )
        if before is not UNSET:
            field_dict["before"] = before
        if after is not UNSET:
            field_dict["after"] = after

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.context_line import ContextLine

        d = dict(src_dict)
        path = d.pop("path")

        line = d.pop("line")

        column = d.pop("column")

        text = d.pop("text")

        before = []
        _before = d.pop("before", UNSET)
        for before_item_data in _before or []:
            before_item = ContextLine.from_dict(before_item_data)

            before.append(before_item)

        after = []
        _after = d.pop("after", UNSET)
        for after_item_data in _after or []:
            after_item = ContextLine.from_dict(after_item_data)

            after.append(after_item)

        search_match = cls(
            path=path,
            line=line,
            column=column,
            text=text,
            before=before,
            after=after,
        )

        search_match.additional_properties = d
        return search_match

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
