from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define

from ..models.patch_format_wire import PatchFormatWire
from ..types import UNSET, Unset

T = TypeVar("T", bound="PatchRequest")


@_attrs_define
class PatchRequest:
    r"""Apply a patch: every file changes, or none does.

    Example:
        {'patch': '--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+    return 200\n'}

    Attributes:
        patch (str):
        format_ (Union[None, PatchFormatWire, Unset]):
        dry_run (Union[Unset, bool]): Check that it applies and report what would change; nothing is written.
        force (Union[Unset, bool]): Apply even though added lines hold a `[REDACTED:…]` marker.
        confirm_token (Union[None, Unset, str]):
    """

    patch: str
    format_: Union[None, PatchFormatWire, Unset] = UNSET
    dry_run: Union[Unset, bool] = UNSET
    force: Union[Unset, bool] = UNSET
    confirm_token: Union[None, Unset, str] = UNSET

    def to_dict(self) -> dict[str, Any]:
        patch = self.patch

        format_: Union[None, Unset, str]
        if isinstance(self.format_, Unset):
            format_ = UNSET
        elif isinstance(self.format_, PatchFormatWire):
            format_ = self.format_.value
        else:
            format_ = self.format_

        dry_run = self.dry_run

        force = self.force

        confirm_token: Union[None, Unset, str]
        if isinstance(self.confirm_token, Unset):
            confirm_token = UNSET
        else:
            confirm_token = self.confirm_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "patch": patch,
            }
        )
        if format_ is not UNSET:
            field_dict["format"] = format_
        if dry_run is not UNSET:
            field_dict["dryRun"] = dry_run
        if force is not UNSET:
            field_dict["force"] = force
        if confirm_token is not UNSET:
            field_dict["confirmToken"] = confirm_token

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        patch = d.pop("patch")

        def _parse_format_(data: object) -> Union[None, PatchFormatWire, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                format_type_1 = PatchFormatWire(data)

                return format_type_1
            except:  # noqa: E722
                pass
            return cast(Union[None, PatchFormatWire, Unset], data)

        format_ = _parse_format_(d.pop("format", UNSET))

        dry_run = d.pop("dryRun", UNSET)

        force = d.pop("force", UNSET)

        def _parse_confirm_token(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        confirm_token = _parse_confirm_token(d.pop("confirmToken", UNSET))

        patch_request = cls(
            patch=patch,
            format_=format_,
            dry_run=dry_run,
            force=force,
            confirm_token=confirm_token,
        )

        return patch_request
