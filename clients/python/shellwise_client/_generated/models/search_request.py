from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchRequest")


@_attrs_define
class SearchRequest:
    """Search the workspace's files (ripgrep's searcher; `.gitignore` honoured, binary files
    skipped).

        Example:
            {'pattern': 'def handler', 'globs': ['*.py'], 'context': 2}

        Attributes:
            pattern (str): A regular expression (Rust syntax), or text with `literal`; not empty.
            literal (Union[Unset, bool]):
            case_insensitive (Union[Unset, bool]):
            path (Union[None, Unset, str]): Directory or file to search (default: the whole workspace).
            globs (Union[None, Unset, list[str]]): Only files whose path matches one of these globs.
            context (Union[None, Unset, int]): Lines of context before and after each match (at most 10).
            max_matches (Union[None, Unset, int]): Most matches returned (default 100; more than `files.max_search_matches`
                gives that
                many).
            hidden (Union[None, Unset, bool]): Include names starting with `.` (default false, like ripgrep).
            gitignore (Union[None, Unset, bool]): Leave out what `.gitignore` ignores (default true).
    """

    pattern: str
    literal: Union[Unset, bool] = UNSET
    case_insensitive: Union[Unset, bool] = UNSET
    path: Union[None, Unset, str] = UNSET
    globs: Union[None, Unset, list[str]] = UNSET
    context: Union[None, Unset, int] = UNSET
    max_matches: Union[None, Unset, int] = UNSET
    hidden: Union[None, Unset, bool] = UNSET
    gitignore: Union[None, Unset, bool] = UNSET

    def to_dict(self) -> dict[str, Any]:
        pattern = self.pattern

        literal = self.literal

        case_insensitive = self.case_insensitive

        path: Union[None, Unset, str]
        if isinstance(self.path, Unset):
            path = UNSET
        else:
            path = self.path

        globs: Union[None, Unset, list[str]]
        if isinstance(self.globs, Unset):
            globs = UNSET
        elif isinstance(self.globs, list):
            globs = self.globs

        else:
            globs = self.globs

        context: Union[None, Unset, int]
        if isinstance(self.context, Unset):
            context = UNSET
        else:
            context = self.context

        max_matches: Union[None, Unset, int]
        if isinstance(self.max_matches, Unset):
            max_matches = UNSET
        else:
            max_matches = self.max_matches

        hidden: Union[None, Unset, bool]
        if isinstance(self.hidden, Unset):
            hidden = UNSET
        else:
            hidden = self.hidden

        gitignore: Union[None, Unset, bool]
        if isinstance(self.gitignore, Unset):
            gitignore = UNSET
        else:
            gitignore = self.gitignore

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pattern": pattern,
            }
        )
        if literal is not UNSET:
            field_dict["literal"] = literal
        if case_insensitive is not UNSET:
            field_dict["caseInsensitive"] = case_insensitive
        if path is not UNSET:
            field_dict["path"] = path
        if globs is not UNSET:
            field_dict["globs"] = globs
        if context is not UNSET:
            field_dict["context"] = context
        if max_matches is not UNSET:
            field_dict["maxMatches"] = max_matches
        if hidden is not UNSET:
            field_dict["hidden"] = hidden
        if gitignore is not UNSET:
            field_dict["gitignore"] = gitignore

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pattern = d.pop("pattern")

        literal = d.pop("literal", UNSET)

        case_insensitive = d.pop("caseInsensitive", UNSET)

        def _parse_path(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        path = _parse_path(d.pop("path", UNSET))

        def _parse_globs(data: object) -> Union[None, Unset, list[str]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                globs_type_0 = cast(list[str], data)

                return globs_type_0
            except:  # noqa: E722
                pass
            return cast(Union[None, Unset, list[str]], data)

        globs = _parse_globs(d.pop("globs", UNSET))

        def _parse_context(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        context = _parse_context(d.pop("context", UNSET))

        def _parse_max_matches(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        max_matches = _parse_max_matches(d.pop("maxMatches", UNSET))

        def _parse_hidden(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        hidden = _parse_hidden(d.pop("hidden", UNSET))

        def _parse_gitignore(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        gitignore = _parse_gitignore(d.pop("gitignore", UNSET))

        search_request = cls(
            pattern=pattern,
            literal=literal,
            case_insensitive=case_insensitive,
            path=path,
            globs=globs,
            context=context,
            max_matches=max_matches,
            hidden=hidden,
            gitignore=gitignore,
        )

        return search_request
