from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.approval_mode import ApprovalMode
from ..models.approval_status import ApprovalStatus
from ..models.token_role import TokenRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="Approval")


@_attrs_define
class Approval:
    """One confirm token as an approver sees it. The command and reason are redacted.

    Example:
        {'token': 'cf_4f1c9a0b2d3e5f60', 'status': 'pending', 'ruleId': 'git-push-force', 'reason': 'a force push
            rewrites shared history', 'requester': 'ci', 'requesterRole': 'operator', 'command': 'git push --force origin
            main', 'approvalMode': 'on-request', 'requestedAtMs': 1767225600000, 'expiresInSecs': 284}

    Attributes:
        token (str): The confirm token: approve or reject it with `/v1/approvals/{token}`.
        status (ApprovalStatus): Where an approval stands.
        rule_id (str): The policy rule that asked for confirmation (`protected-path` for a file change).
        reason (str): Why the rule asks, redacted.
        requester (str): The name of the token that asked (never its value).
        requester_role (TokenRole): What a token may do. Each role includes the ones below it.
        command (str): What would run (or which file change), redacted.
        approval_mode (ApprovalMode): How the policy's `confirm` tier applies to a token.
        requested_at_ms (int): When it was asked for, in milliseconds since the Unix epoch.
        expires_in_secs (int): Seconds until the token expires.
        decided_by (Union[None, Unset, str]): The approver who approved or rejected it.
    """

    token: str
    status: ApprovalStatus
    rule_id: str
    reason: str
    requester: str
    requester_role: TokenRole
    command: str
    approval_mode: ApprovalMode
    requested_at_ms: int
    expires_in_secs: int
    decided_by: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        status = self.status.value

        rule_id = self.rule_id

        reason = self.reason

        requester = self.requester

        requester_role = self.requester_role.value

        command = self.command

        approval_mode = self.approval_mode.value

        requested_at_ms = self.requested_at_ms

        expires_in_secs = self.expires_in_secs

        decided_by: Union[None, Unset, str]
        if isinstance(self.decided_by, Unset):
            decided_by = UNSET
        else:
            decided_by = self.decided_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "status": status,
                "ruleId": rule_id,
                "reason": reason,
                "requester": requester,
                "requesterRole": requester_role,
                "command": command,
                "approvalMode": approval_mode,
                "requestedAtMs": requested_at_ms,
                "expiresInSecs": expires_in_secs,
            }
        )
        if decided_by is not UNSET:
            field_dict["decidedBy"] = decided_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        token = d.pop("token")

        status = ApprovalStatus(d.pop("status"))

        rule_id = d.pop("ruleId")

        reason = d.pop("reason")

        requester = d.pop("requester")

        requester_role = TokenRole(d.pop("requesterRole"))

        command = d.pop("command")

        approval_mode = ApprovalMode(d.pop("approvalMode"))

        requested_at_ms = d.pop("requestedAtMs")

        expires_in_secs = d.pop("expiresInSecs")

        def _parse_decided_by(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        decided_by = _parse_decided_by(d.pop("decidedBy", UNSET))

        approval = cls(
            token=token,
            status=status,
            rule_id=rule_id,
            reason=reason,
            requester=requester,
            requester_role=requester_role,
            command=command,
            approval_mode=approval_mode,
            requested_at_ms=requested_at_ms,
            expires_in_secs=expires_in_secs,
            decided_by=decided_by,
        )

        approval.additional_properties = d
        return approval

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
