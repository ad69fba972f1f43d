from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.search_match import SearchMatch
    from ..models.search_result_redactions import SearchResultRedactions


T = TypeVar("T", bound="SearchResult")


@_attrs_define
class SearchResult:
    """Matches, in path order.

    Attributes:
        matches (list['SearchMatch']):
        files_searched (int):
        files_matched (int):
        files_skipped (int): Binary, larger than `files.search_max_file_bytes`, or unreadable.
        truncated (bool): `maxMatches` was reached; more may exist.
        redactions (SearchResultRedactions): Secrets replaced in the returned lines, by rule id.
    """

    matches: list["SearchMatch"]
    files_searched: int
    files_matched: int
    files_skipped: int
    truncated: bool
    redactions: "SearchResultRedactions"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        matches = []
        for matches_item_data in self.matches:
            matches_item = matches_item_data.to_dict()
            matches.append(matches_item)

        files_searched = self.files_searched

        files_matched = self.files_matched

        files_skipped = self.files_skipped

        truncated = self.truncated

        redactions = self.redactions.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "matches": matches,
                "filesSearched": files_searched,
                "filesMatched": files_matched,
                "filesSkipped": files_skipped,
                "truncated": truncated,
                "redactions": redactions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_match import SearchMatch
        from ..models.search_result_redactions import SearchResultRedactions

        d = dict(src_dict)
        matches = []
        _matches = d.pop("matches")
        for matches_item_data in _matches:
            matches_item = SearchMatch.from_dict(matches_item_data)

            matches.append(matches_item)

        files_searched = d.pop("filesSearched")

        files_matched = d.pop("filesMatched")

        files_skipped = d.pop("filesSkipped")

        truncated = d.pop("truncated")

        redactions = SearchResultRedactions.from_dict(d.pop("redactions"))

        search_result = cls(
            matches=matches,
            files_searched=files_searched,
            files_matched=files_matched,
            files_skipped=files_skipped,
            truncated=truncated,
            redactions=redactions,
        )

        search_result.additional_properties = d
        return search_result

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
