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

from ..models.code import Code
from ..models.error_tag import ErrorTag
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.patch_conflict import PatchConflict


T = TypeVar("T", bound="StreamErrorEvent")


@_attrs_define
class StreamErrorEvent:
    """`error`: the server failed mid-stream (a problem; the stream ends after it).

    Attributes:
        type_ (str): A URI naming the problem type: `urn:shellwise:problem:<code>`.
        title (str): Short human summary of the problem type.
        status (int): The HTTP status code.
        detail (str): What went wrong with this request, in words a person can act on.
        code (Code): Stable machine-readable error codes. Clients switch on these, never on `title` or `detail`.
        request_id (str): The request id (also in the `X-Request-Id` header).
        event (ErrorTag):
        available (Union[None, Unset, list[str]]): Allowed languages or shells, when the problem is about one of them.
        rule_id (Union[None, Unset, str]): The policy rule that decided (`policy_denied`, `confirmation_required`).
        reason (Union[None, Unset, str]): Why the rule decided so.
        confirm_token (Union[None, Unset, str]): Resubmit the exact same request with this `confirmToken` to run it
            once.
        expires_in_secs (Union[None, Unset, int]): Seconds the confirm token stays valid.
        approver_role (Union[None, Unset, str]): The role another token must hold to approve `confirmToken`
            (`confirmation_required`,
            `approval_pending`) when `policy.approver_role` is set.
        approval_mode (Union[None, Unset, str]): The caller's approval mode, when it shaped the answer (`never` denies
            what would need
            confirmation; `untrusted` asks for what is not allow-listed).
        conflicts (Union[None, Unset, list['PatchConflict']]): `patch_conflict`: each hunk that did not apply, where it
            was expected, and what the
            file has there (redacted).
    """

    type_: str
    title: str
    status: int
    detail: str
    code: Code
    request_id: str
    event: ErrorTag
    available: Union[None, Unset, list[str]] = UNSET
    rule_id: Union[None, Unset, str] = UNSET
    reason: Union[None, Unset, str] = UNSET
    confirm_token: Union[None, Unset, str] = UNSET
    expires_in_secs: Union[None, Unset, int] = UNSET
    approver_role: Union[None, Unset, str] = UNSET
    approval_mode: Union[None, Unset, str] = UNSET
    conflicts: Union[None, Unset, list["PatchConflict"]] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        title = self.title

        status = self.status

        detail = self.detail

        code = self.code.value

        request_id = self.request_id

        event = self.event.value

        available: Union[None, Unset, list[str]]
        if isinstance(self.available, Unset):
            available = UNSET
        elif isinstance(self.available, list):
            available = self.available

        else:
            available = self.available

        rule_id: Union[None, Unset, str]
        if isinstance(self.rule_id, Unset):
            rule_id = UNSET
        else:
            rule_id = self.rule_id

        reason: Union[None, Unset, str]
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        confirm_token: Union[None, Unset, str]
        if isinstance(self.confirm_token, Unset):
            confirm_token = UNSET
        else:
            confirm_token = self.confirm_token

        expires_in_secs: Union[None, Unset, int]
        if isinstance(self.expires_in_secs, Unset):
            expires_in_secs = UNSET
        else:
            expires_in_secs = self.expires_in_secs

        approver_role: Union[None, Unset, str]
        if isinstance(self.approver_role, Unset):
            approver_role = UNSET
        else:
            approver_role = self.approver_role

        approval_mode: Union[None, Unset, str]
        if isinstance(self.approval_mode, Unset):
            approval_mode = UNSET
        else:
            approval_mode = self.approval_mode

        conflicts: Union[None, Unset, list[dict[str, Any]]]
        if isinstance(self.conflicts, Unset):
            conflicts = UNSET
        elif isinstance(self.conflicts, list):
            conflicts = []
            for conflicts_type_0_item_data in self.conflicts:
                conflicts_type_0_item = conflicts_type_0_item_data.to_dict()
                conflicts.append(conflicts_type_0_item)

        else:
            conflicts = self.conflicts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "detail": detail,
                "code": code,
                "requestId": request_id,
                "event": event,
            }
        )
        if available is not UNSET:
            field_dict["available"] = available
        if rule_id is not UNSET:
            field_dict["ruleId"] = rule_id
        if reason is not UNSET:
            field_dict["reason"] = reason
        if confirm_token is not UNSET:
            field_dict["confirmToken"] = confirm_token
        if expires_in_secs is not UNSET:
            field_dict["expiresInSecs"] = expires_in_secs
        if approver_role is not UNSET:
            field_dict["approverRole"] = approver_role
        if approval_mode is not UNSET:
            field_dict["approvalMode"] = approval_mode
        if conflicts is not UNSET:
            field_dict["conflicts"] = conflicts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.patch_conflict import PatchConflict

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        status = d.pop("status")

        detail = d.pop("detail")

        code = Code(d.pop("code"))

        request_id = d.pop("requestId")

        event = ErrorTag(d.pop("event"))

        def _parse_available(data: object) -> Union[None, Unset, list[str]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                available_type_0 = cast(list[str], data)

                return available_type_0
            except:  # noqa: E722
                pass
            return cast(Union[None, Unset, list[str]], data)

        available = _parse_available(d.pop("available", UNSET))

        def _parse_rule_id(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        rule_id = _parse_rule_id(d.pop("ruleId", UNSET))

        def _parse_reason(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_confirm_token(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        confirm_token = _parse_confirm_token(d.pop("confirmToken", UNSET))

        def _parse_expires_in_secs(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        expires_in_secs = _parse_expires_in_secs(d.pop("expiresInSecs", UNSET))

        def _parse_approver_role(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        approver_role = _parse_approver_role(d.pop("approverRole", UNSET))

        def _parse_approval_mode(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        approval_mode = _parse_approval_mode(d.pop("approvalMode", UNSET))

        def _parse_conflicts(data: object) -> Union[None, Unset, list["PatchConflict"]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                conflicts_type_0 = []
                _conflicts_type_0 = data
                for conflicts_type_0_item_data in _conflicts_type_0:
                    conflicts_type_0_item = PatchConflict.from_dict(
                        conflicts_type_0_item_data
                    )

                    conflicts_type_0.append(conflicts_type_0_item)

                return conflicts_type_0
            except:  # noqa: E722
                pass
            return cast(Union[None, Unset, list["PatchConflict"]], data)

        conflicts = _parse_conflicts(d.pop("conflicts", UNSET))

        stream_error_event = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            code=code,
            request_id=request_id,
            event=event,
            available=available,
            rule_id=rule_id,
            reason=reason,
            confirm_token=confirm_token,
            expires_in_secs=expires_in_secs,
            approver_role=approver_role,
            approval_mode=approval_mode,
            conflicts=conflicts,
        )

        stream_error_event.additional_properties = d
        return stream_error_event

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
