from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MoveRequest")


@_attrs_define
class MoveRequest:
    """Move or rename a file or directory inside the workspace.

    Example:
        {'from': 'src/old_name.py', 'to': 'src/new_name.py'}

    Attributes:
        from_ (str):
        to (str):
        overwrite (Union[Unset, bool]): Replace what is at `to` (default: 409 `file_exists`).
        parents (Union[None, Unset, bool]): Create missing parents of `to` (default true).
        confirm_token (Union[None, Unset, str]):
    """

    from_: str
    to: str
    overwrite: Union[Unset, bool] = UNSET
    parents: Union[None, Unset, bool] = UNSET
    confirm_token: Union[None, Unset, str] = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        to = self.to

        overwrite = self.overwrite

        parents: Union[None, Unset, bool]
        if isinstance(self.parents, Unset):
            parents = UNSET
        else:
            parents = self.parents

        confirm_token: Union[None, Unset, str]
        if isinstance(self.confirm_token, Unset):
            confirm_token = UNSET
        else:
            confirm_token = self.confirm_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "to": to,
            }
        )
        if overwrite is not UNSET:
            field_dict["overwrite"] = overwrite
        if parents is not UNSET:
            field_dict["parents"] = parents
        if confirm_token is not UNSET:
            field_dict["confirmToken"] = confirm_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_ = d.pop("from")

        to = d.pop("to")

        overwrite = d.pop("overwrite", UNSET)

        def _parse_parents(data: object) -> Union[None, Unset, bool]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, bool], data)

        parents = _parse_parents(d.pop("parents", UNSET))

        def _parse_confirm_token(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        confirm_token = _parse_confirm_token(d.pop("confirmToken", UNSET))

        move_request = cls(
            from_=from_,
            to=to,
            overwrite=overwrite,
            parents=parents,
            confirm_token=confirm_token,
        )

        return move_request
